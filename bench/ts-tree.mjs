// A realistic ~5,000-file TypeScript backend tree for the `secrets` benchmark, generated from
// templates with a seeded PRNG: the same tree on every machine, no download, and nothing
// secret-shaped committed to this repository (planted values are built at run time).
//
//   writeTsTree(dir, { files: 5000 }) → { files, planted: [{ file, kind }] }
//
// Modules are NestJS/Express style: controllers, services, DTOs, entities, repositories,
// tests and config, 60–250 lines each. Every 125th file gets one planted secret, cycling
// through provider formats (seen by secretlint too) and code-aware cases (sinks, fallbacks,
// generic secret-named literals) that only archlint reads.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** mulberry32: small, fast, good enough for generating text. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const DOMAINS = [
  'orders',
  'customers',
  'payments',
  'invoices',
  'shipping',
  'catalog',
  'inventory',
  'users',
  'auth',
  'billing',
  'reports',
  'notifications',
  'search',
  'reviews',
  'carts',
  'coupons',
  'refunds',
  'webhooks',
  'audit',
  'tenants',
];
const FIELDS = [
  'id',
  'name',
  'email',
  'status',
  'createdAt',
  'updatedAt',
  'amount',
  'currency',
  'quantity',
  'sku',
  'description',
  'ownerId',
  'tenantId',
  'version',
  'tags',
  'notes',
  'reference',
  'externalId',
  'priority',
  'dueAt',
];
const TYPES = ['string', 'number', 'boolean', 'Date', 'string[]'];

/** The planted cases, in rotation. Values come from `rnd` at generation time. */
const PLANTS = [
  { kind: 'github-token (provider)', line: (r) => `export const GH_TOKEN = 'ghp_${r.str(ALNUM, 36)}';` },
  {
    kind: 'aws-secret-access-key (provider)',
    line: (r) => `const awsConfig = { aws_secret_access_key: '${r.str(`${ALNUM}/+`, 40)}' };`,
  },
  { kind: 'stripe-secret-key (provider)', line: (r) => `const stripeKey = 'sk_live_${r.str(ALNUM, 32)}';` },
  {
    kind: 'slack-token (provider)',
    line: (r) => `const slackBot = 'xoxb-${r.str('0123456789', 11)}-${r.str('0123456789', 12)}-${r.str(ALNUM, 24)}';`,
  },
  {
    kind: 'database-url (provider)',
    line: (r) => `const DATABASE_URL = 'postgres://app:${r.str(ALNUM, 18)}@db.internal:5432/app';`,
  },
  {
    kind: 'jwt.sign sink (archlint only)',
    line: (r) => `export const sign = (p: object) => jwt.sign(p, '${r.str(ALNUM, 32)}');`,
  },
  {
    kind: 'env fallback (archlint only)',
    line: (r) => `const hmacKey = process.env.HMAC_KEY ?? '${r.str(ALNUM, 28)}';`,
  },
  {
    kind: 'JwtModule.register (archlint only)',
    line: (r) => `export const jwtModule = JwtModule.register({ secret: '${r.str(ALNUM, 30)}' });`,
  },
  {
    kind: 'createHmac sink (archlint only)',
    line: (r) =>
      `export const mac = (s: string) => createHmac('sha256', '${r.str(ALNUM, 26)}').update(s).digest('hex');`,
  },
  {
    kind: 'generic client_secret (archlint only)',
    line: (r) =>
      `const oauth = { clientId: 'orders-service', clientSecret: '${r.str(`${UPPER_DIGITS}abcdefgh`, 34)}' };`,
  },
];

export function writeTsTree(root, { files = 5000, seed = 20240601, plantEvery = 125 } = {}) {
  const rand = prng(seed);
  const r = {
    int: (n) => Math.floor(rand() * n),
    pick: (xs) => xs[Math.floor(rand() * xs.length)],
    str: (alphabet, n) => Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(''),
  };
  const planted = [];
  const kinds = ['controller', 'service', 'dto', 'entity', 'repository', 'spec', 'module', 'util'];
  for (let i = 0; i < files; i++) {
    const domain = DOMAINS[i % DOMAINS.length];
    const kind = kinds[Math.floor(i / DOMAINS.length) % kinds.length];
    const n = Math.floor(i / (DOMAINS.length * kinds.length));
    const name = `${domain}-${kind}-${n}`;
    const rel = kind === 'spec' ? `test/${domain}/${name}.spec.ts` : `src/${domain}/${kind}s/${name}.ts`;
    const lines = moduleLines(r, domain, kind, n);
    if (i % plantEvery === plantEvery - 1) {
      const plant = PLANTS[planted.length % PLANTS.length];
      lines.splice(Math.min(6, lines.length), 0, plant.line(r));
      planted.push({ file: rel, kind: plant.kind });
    }
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, `${lines.join('\n')}\n`);
  }
  writeFileSync(
    join(root, 'package.json'),
    `${JSON.stringify({ name: 'generated-backend', private: true, dependencies: { '@nestjs/core': '^10.0.0' } }, null, 2)}\n`,
  );
  return { files: files + 1, planted };
}

function pascal(s) {
  return s.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase());
}

function moduleLines(r, domain, kind, n) {
  const Entity = pascal(domain.replace(/s$/, ''));
  const fields = Array.from({ length: 6 + r.int(10) }, () => r.pick(FIELDS));
  const unique = [...new Set(fields)];
  const out = [
    `// ${Entity} ${kind} #${n}: generated for the archlint secrets benchmark.`,
    `import { Injectable, Logger } from '@nestjs/common';`,
    ...(domain === 'auth' ? [`import { createHmac } from 'node:crypto';`, `import jwt from 'jsonwebtoken';`] : []),
    `import type { ${Entity}Record } from '../${domain}.types';`,
    '',
  ];
  // About one module in eight reads its settings from the environment; the rest get a ConfigService.
  const fromEnv = n % 8 === 0;
  out.push(`export interface ${Entity}${pascal(kind)}Shape${n} {`);
  for (const f of unique) out.push(`  ${f}${r.int(3) === 0 ? '?' : ''}: ${r.pick(TYPES)};`);
  out.push('}', '');
  out.push(`@Injectable()`, `export class ${Entity}${pascal(kind)}${n} {`);
  out.push(`  private readonly logger = new Logger('${Entity}${pascal(kind)}${n}');`);
  if (fromEnv) {
    out.push(
      `  private readonly baseUrl = process.env.${domain.toUpperCase()}_URL ?? 'http://${domain}.internal:8080';`,
    );
    out.push(`  private readonly timeoutMs = Number(process.env.${domain.toUpperCase()}_TIMEOUT_MS ?? '5000');`, '');
  } else {
    out.push(`  constructor(private readonly config: ConfigService) {}`);
    out.push(`  private get baseUrl(): string { return this.config.getOrThrow('${domain}.url'); }`);
    out.push(`  private get timeoutMs(): number { return this.config.get('${domain}.timeoutMs', 5000); }`, '');
  }
  const methods = 3 + r.int(6);
  for (let m = 0; m < methods; m++) {
    const verb = r.pick(['find', 'create', 'update', 'remove', 'list', 'count', 'sync', 'validate']);
    out.push(`  /** ${verb} ${domain}: keeps the ${r.pick(unique)} and ${r.pick(unique)} consistent. */`);
    out.push(
      `  async ${verb}${Entity}${m}(input: Partial<${Entity}${pascal(kind)}Shape${n}>): Promise<${Entity}Record | undefined> {`,
    );
    out.push(`    const started = Date.now();`);
    out.push(`    if (!input.${r.pick(unique)}) {`);
    out.push(`      this.logger.warn('missing ${r.pick(unique)} for ${verb}');`);
    out.push(`      throw new Error('${Entity} ${verb} failed: ${r.pick(unique)} is required');`);
    out.push(`    }`);
    out.push(
      `    const res = await fetch(\`\${this.baseUrl}/${domain}/\${encodeURIComponent(String(input.${r.pick(unique)}))}\`, {`,
    );
    out.push(`      method: '${r.pick(['GET', 'POST', 'PUT', 'DELETE'])}',`);
    out.push(`      headers: { 'content-type': 'application/json', 'x-request-id': crypto.randomUUID() },`);
    out.push(`      signal: AbortSignal.timeout(this.timeoutMs),`);
    out.push(`    });`);
    out.push(`    this.logger.log(\`${verb} took \${Date.now() - started} ms (status \${res.status})\`);`);
    out.push(`    return res.ok ? ((await res.json()) as ${Entity}Record) : undefined;`);
    out.push(`  }`, '');
  }
  out.push('}', '');
  out.push(
    `export const ${domain.toUpperCase()}_${kind.toUpperCase()}_${n}_COLUMNS = [${unique.map((f) => `'${f}'`).join(', ')}] as const;`,
  );
  return out;
}
