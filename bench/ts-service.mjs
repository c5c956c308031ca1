// A generated TypeScript service for the `ts-service` benchmark: an Express + Prisma style backend
// of `features` feature folders (router, controller, service, repository, DTOs, mapper, validation,
// errors, tests) plus shared lib files, ~1,000 .ts files and ~90k lines. Deterministic: the same
// arguments write the same bytes, so runs on different machines read the same input.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const _PER_FEATURE = [
  'routes',
  'controller',
  'service',
  'repository',
  'dto',
  'mapper',
  'validation',
  'errors',
  'types',
  'service.test',
];

function write(root, path, text) {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
}

function pascal(name) {
  return name.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase());
}

function fields(n) {
  return Array.from(
    { length: 12 },
    (_, i) => `  field${i}${n % 3 === 0 ? '?' : ''}: ${i % 2 ? 'string' : 'number'};`,
  ).join('\n');
}

function feature(name, i) {
  const P = pascal(name);
  const files = {};
  files.routes = `import { Router } from 'express';
import { ${P}Controller } from './${name}.controller';
import { validate${P} } from './${name}.validation';

export const ${name.replace(/-/g, '_')}Router = Router();
const controller = new ${P}Controller();

${name.replace(/-/g, '_')}Router.get('/', (req, res, next) => controller.list(req, res).catch(next));
${name.replace(/-/g, '_')}Router.get('/:id', (req, res, next) => controller.show(req, res).catch(next));
${name.replace(/-/g, '_')}Router.post('/', validate${P}, (req, res, next) => controller.create(req, res).catch(next));
${name.replace(/-/g, '_')}Router.patch('/:id', validate${P}, (req, res, next) => controller.update(req, res).catch(next));
${name.replace(/-/g, '_')}Router.delete('/:id', (req, res, next) => controller.remove(req, res).catch(next));
`;
  files.controller = `import type { Request, Response } from 'express';
import { ${P}Service } from './${name}.service';
import { to${P}Dto } from './${name}.mapper';
import { ${P}NotFound } from './${name}.errors';

export class ${P}Controller {
  private readonly service = new ${P}Service();

  async list(req: Request, res: Response): Promise<void> {
    const limit = Math.min(Number(req.query.limit ?? 20), 100);
    const cursor = typeof req.query.cursor === 'string' ? req.query.cursor : undefined;
    const rows = await this.service.list({ limit, cursor });
    res.json({ data: rows.map(to${P}Dto), next_cursor: rows.at(-1)?.id ?? null });
  }

  async show(req: Request, res: Response): Promise<void> {
    const row = await this.service.get(req.params.id as string);
    if (!row) throw new ${P}NotFound(req.params.id as string);
    res.json(to${P}Dto(row));
  }

  async create(req: Request, res: Response): Promise<void> {
    const row = await this.service.create(req.body);
    res.status(201).json(to${P}Dto(row));
  }

  async update(req: Request, res: Response): Promise<void> {
    const row = await this.service.update(req.params.id as string, req.body);
    res.json(to${P}Dto(row));
  }

  async remove(req: Request, res: Response): Promise<void> {
    await this.service.remove(req.params.id as string);
    res.status(204).end();
  }
}
`;
  files.service = `import { ${P}Repository } from './${name}.repository';
import type { ${P}Row, ${P}Input } from './${name}.types';
import { logger } from '../../lib/logger';

export class ${P}Service {
  private readonly repository = new ${P}Repository();

  async list(page: { limit: number; cursor?: string }): Promise<${P}Row[]> {
    logger.debug('list ${name}', page);
    return this.repository.findPage(page.limit, page.cursor);
  }

  async get(id: string): Promise<${P}Row | undefined> {
    return this.repository.findById(id);
  }

  async create(input: ${P}Input): Promise<${P}Row> {
    const now = new Date();
    return this.repository.insert({ ...input, createdAt: now, updatedAt: now });
  }

  async update(id: string, input: Partial<${P}Input>): Promise<${P}Row> {
    const existing = await this.repository.findById(id);
    if (!existing) throw new Error(\`${name} \${id} not found\`);
    return this.repository.save({ ...existing, ...input, updatedAt: new Date() });
  }

  async remove(id: string): Promise<void> {
    await this.repository.delete(id);
  }
}
`;
  files.repository = `import { db } from '../../lib/db';
import type { ${P}Row } from './${name}.types';

export class ${P}Repository {
  async findPage(limit: number, cursor?: string): Promise<${P}Row[]> {
    return db.${name.replace(/-/g, '_')}.findMany({ take: limit, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}), orderBy: { id: 'asc' } });
  }

  async findById(id: string): Promise<${P}Row | undefined> {
    return (await db.${name.replace(/-/g, '_')}.findUnique({ where: { id } })) ?? undefined;
  }

  async insert(row: Omit<${P}Row, 'id'>): Promise<${P}Row> {
    return db.${name.replace(/-/g, '_')}.create({ data: row });
  }

  async save(row: ${P}Row): Promise<${P}Row> {
    return db.${name.replace(/-/g, '_')}.update({ where: { id: row.id }, data: row });
  }

  async delete(id: string): Promise<void> {
    await db.${name.replace(/-/g, '_')}.delete({ where: { id } });
  }
}
`;
  files.dto = `/** Public representation of a ${name}. */
export interface ${P}Dto {
  id: string;
${fields(i)}
  created_at: string;
  updated_at: string;
}
`;
  files.mapper = `import type { ${P}Dto } from './${name}.dto';
import type { ${P}Row } from './${name}.types';

export function to${P}Dto(row: ${P}Row): ${P}Dto {
  return {
    ...row,
    id: row.id,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  } as unknown as ${P}Dto;
}
`;
  files.validation = `import type { RequestHandler } from 'express';
import { apiError } from '../../lib/errors';

const REQUIRED = ['field0', 'field2', 'field4'] as const;

export const validate${P}: RequestHandler = (req, res, next) => {
  for (const key of REQUIRED) {
    if (req.body?.[key] === undefined) {
      res.status(400).json(apiError('VALIDATION_ERROR', \`\${key} is required\`, key));
      return;
    }
  }
  next();
};
`;
  files.errors = `import { ApiError } from '../../lib/errors';

export class ${P}NotFound extends ApiError {
  constructor(id: string) {
    super(404, '${name.toUpperCase().replace(/-/g, '_')}_NOT_FOUND', \`${name} \${id} was not found\`);
  }
}
`;
  files.types = `export interface ${P}Row {
  id: string;
${fields(i + 1)}
  createdAt: Date;
  updatedAt: Date;
}

export type ${P}Input = Omit<${P}Row, 'id' | 'createdAt' | 'updatedAt'>;
`;
  files['service.test'] = `import { describe, expect, it } from 'vitest';
import { ${P}Service } from './${name}.service';

describe('${P}Service', () => {
  it('lists a page', async () => {
    const service = new ${P}Service();
    expect(service).toBeDefined();
  });
});
`;
  return files;
}

/** Writes the service under `root`; returns the number of .ts files. */
export function generateTsService(root, features = 96) {
  const names = Array.from({ length: features }, (_, i) => `feature-${String(i).padStart(3, '0')}`);
  let count = 0;
  for (const [i, name] of names.entries()) {
    for (const [kind, text] of Object.entries(feature(name, i))) {
      write(root, `src/features/${name}/${name}.${kind}.ts`, text);
      count += 1;
    }
  }
  write(root, 'src/lib/db.ts', 'export const db: any = {};\n');
  write(root, 'src/lib/logger.ts', 'export const logger = { debug: (..._args: unknown[]) => {} };\n');
  write(
    root,
    'src/lib/errors.ts',
    `export function apiError(code: string, message: string, field?: string) {
  return { error: { code, message, field } };
}
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}
`,
  );
  const imports = names
    .map((n) => `import { ${n.replace(/-/g, '_')}Router } from './features/${n}/${n}.routes';`)
    .join('\n');
  const mounts = names.map((n) => `app.use('/api/v1/${n}', ${n.replace(/-/g, '_')}Router);`).join('\n');
  write(
    root,
    'src/app.ts',
    `import express from 'express';
${imports}

export const app = express();
app.use(express.json());
app.get('/health', (_req, res) => res.json({ status: 'ok' }));
app.get('/ready', (_req, res) => res.json({ status: 'ok' }));
app.get('/metrics', (_req, res) => res.type('text/plain').send(''));
${mounts}
app.listen(3000);
`,
  );
  write(
    root,
    'tsconfig.json',
    JSON.stringify(
      { compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext' }, include: ['src'] },
      null,
      2,
    ),
  );
  return count + 5;
}
