/**
 * Input models carried from one run to the next (`archlint --watch`): an input none of whose files
 * changed is reused with the diagnostics it reported; a change drops the inputs it may affect; the
 * findings are those of a cold run.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { CarriedInputs } from '../src/engine/carried-inputs.js';
import { lint } from '../src/engine/run.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(dir: string, carried?: CarriedInputs) {
  const lines: string[] = [];
  const { result } = await lint({
    cwd: dir,
    paths: ['.'],
    loaded: { config: {}, baseDir: dir },
    rules,
    log: (m) => lines.push(m),
    ...(carried ? { carried } : {}),
  });
  const findings = result.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort();
  return { findings, log: lines.filter((l) => /^input \w+: /.test(l)).map((l) => l.replace(/\d+ ms$/, 'N ms')) };
}

describe('carried input models', () => {
  it('rebuilds only the schema after a migration is added, and reports what a cold run reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'archlint-carry-'));
    made.push(dir);
    mkdirSync(join(dir, 'migrations'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'package.json'), '{ "dependencies": { "express": "5.0.0" } }\n');
    writeFileSync(join(dir, 'migrations', '001.sql'), 'CREATE TABLE users (id bigint PRIMARY KEY);\n');
    writeFileSync(
      join(dir, 'src', 'app.ts'),
      "import express from 'express';\nconst app = express();\napp.get('/users', (req, res) => res.json([]));\napp.listen(3000);\n",
    );
    // A file the code input cannot parse: its core/parse-error must come back when the model is reused.
    writeFileSync(join(dir, 'src', 'broken.ts'), 'export const = ;\n');

    const carried = new CarriedInputs();
    const first = await run(dir, carried);
    expect(first.log.some((l) => l.startsWith('input routes: ') && !l.includes('reused'))).toBe(true);
    expect(carried.names()).toEqual(expect.arrayContaining(['code', 'routes', 'schema']));

    writeFileSync(
      join(dir, 'migrations', '002.sql'),
      'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\n',
    );
    carried.invalidate(['migrations/002.sql']);
    const second = await run(dir, carried);
    expect(second.log).toContain('input routes: reused from the previous run');
    expect(second.log).toContain('input code: reused from the previous run');
    expect(second.log).not.toContain('input schema: reused from the previous run');
    const cold = await run(dir);
    expect(second.findings).toEqual(cold.findings);
    expect(second.findings).toContain('migrations/002.sql:1 db/indexed-foreign-keys');
    expect(second.findings).toContain('src/broken.ts:1 core/parse-error');
  });

  it('drops every model after a code, package.json or config change, and the OpenAPI models after a YAML change', () => {
    const carried = new CarriedInputs();
    const fill = () => {
      for (const name of ['code', 'routes', 'schema', 'openapi', 'http'] as const)
        carried.keep(name, { value: {}, reports: [] });
    };
    fill();
    carried.invalidate(['db/migrations/003.sql']);
    expect(carried.names()).toEqual(['code', 'http', 'openapi', 'routes']);
    fill();
    carried.invalidate(['api/openapi.yaml']);
    expect(carried.names()).toEqual(['code', 'routes']);
    for (const path of [
      'src/app.ts',
      'package.json',
      'tsconfig.base.json',
      'archlint.config.yaml',
      'prisma/schema.prisma',
      // A Worker's `main`: where CodeFile.reach starts.
      'edge/wrangler.json',
    ]) {
      fill();
      carried.invalidate([path]);
      expect(carried.names(), path).toEqual([]);
    }
  });
});
