/**
 * --cache: a reused run reports exactly what a fresh run reports, in every format, and any
 * change a finding can depend on (a file, the config, a $ref target, an earlier migration, the
 * file that mounts a router) gives the fresh findings.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../src/cli/main.js';
import { runCli } from './harness/cli.js';
import { useTempTrees, writeTree } from './harness/tree.js';

const tree = useTempTrees('cache');

/** A run's report with its duration zeroed (the only thing a reused run may report differently), and whether the cache was used. */
async function cli(argv: string[], cwd: string) {
  const { code, stdout, stderr } = await runCli(argv, cwd, { XDG_CACHE_HOME: userCacheOf(cwd) });
  const report = stdout.replace(/"durationMs": \d+/g, '"durationMs": 0').replace(/ in \d+ ms/g, ' in 0 ms');
  return { code, report, stderr, reused: stderr.includes('cache: reusing') };
}

/** A user cache folder (`XDG_CACHE_HOME`) per linted tree, outside it, as on a real machine. */
const userCaches = new Map<string, string>();
function userCacheOf(dir: string): string {
  if (!userCaches.has(dir)) userCaches.set(dir, tree({ '.keep': '' }));
  return userCaches.get(dir)!;
}

/** The folder the default --cache uses for the tree `dir`: one per repository under the user's cache folder. */
function cacheFolderOf(dir: string): string {
  const folders = readdirSync(join(userCacheOf(dir), 'archlint'));
  expect(folders).toHaveLength(1);
  return join(userCacheOf(dir), 'archlint', folders[0]!);
}

/** Findings from OpenAPI (with a $ref'd file), SQL (across migrations), code (a router mounted elsewhere) and secrets. */
const SERVICE: Record<string, string> = {
  'openapi.yaml': [
    'openapi: 3.0.3',
    'info: { title: Uploads, version: "1" }',
    'paths:',
    '  /v1/uploads:',
    '    post:',
    '      responses:',
    "        '201': { description: stored }",
    "        '413':",
    '          description: too large',
    '          content:',
    '            application/json:',
    '              schema: { $ref: schemas/Failure.yaml }',
    '',
  ].join('\n'),
  'schemas/Failure.yaml': 'type: object\nproperties:\n  status: { type: integer }\n',
  'db/migrations/001_init.sql': [
    'CREATE TABLE orders (id bigint PRIMARY KEY);',
    'CREATE TABLE order_events (id bigint PRIMARY KEY, order_id bigint NOT NULL);',
    'CREATE INDEX order_events_order_id_idx ON order_events (order_id);',
    '',
  ].join('\n'),
  'db/migrations/002_fk.sql':
    'ALTER TABLE order_events ADD CONSTRAINT order_events_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);\n',
  'src/orders.ts': [
    "import { Router } from 'express';",
    'export const ordersRouter = Router();',
    "ordersRouter.get('/orders', (_req, res) => res.json({ data: [], next: null }));",
    '',
  ].join('\n'),
  'src/app.ts': [
    "import express from 'express';",
    "import { ordersRouter } from './orders';",
    'const app = express();',
    "app.use('/v1', ordersRouter);",
    '',
  ].join('\n'),
  'src/config.ts': "export const awsKey = 'AKIAZ3MWSQPWNHXYK7QT';\n",
};

function ids(report: string): string[] {
  const parsed = JSON.parse(report) as { findings: Array<{ ruleId: string; file: string; line: number }> };
  return parsed.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);
}

describe('--cache reuses findings', () => {
  it('reports byte-identically to a fresh run in every format, and reuses only with --cache', async () => {
    const dir = tree(SERVICE);
    const first = await cli(['--cache', '--verbose', '-f', 'json'], dir);
    expect(first.reused).toBe(false);
    expect(existsSync(cacheFolderOf(dir))).toBe(true);
    expect(ids(first.report).length).toBeGreaterThan(0);
    for (const format of FORMATS) {
      const fresh = await cli(['-f', format, '--no-color'], dir);
      const cached = await cli(['--cache', '--verbose', '-f', format, '--no-color'], dir);
      expect(cached.reused, format).toBe(true);
      expect(cached.report, format).toBe(fresh.report);
      expect(cached.code, format).toBe(fresh.code);
    }
  });

  it("reuses the entries of a checkout moved elsewhere (keys hold no absolute path), with the moved tree's fresh findings", async () => {
    const dir = tree(SERVICE);
    const cacheDir = join(tree({ '.keep': '' }), 'shared-cache');
    // Only the root description is named: its $ref target is read outside discovery and recorded apart.
    const args = ['--cache-location', cacheDir, '--verbose', '-f', 'json', 'openapi.yaml'];
    const first = await cli(args, dir);
    expect(first.reused).toBe(false);
    expect(ids(first.report).length).toBeGreaterThan(0);
    const moved = `${dir}-moved`;
    cpSync(dir, moved, { recursive: true, preserveTimestamps: true });
    rmSync(dir, { recursive: true, force: true });
    try {
      const cached = await cli(args, moved);
      expect(cached.reused).toBe(true);
      expect(cached.report).toBe((await cli(args.slice(3), moved)).report);
      // The $ref target is checked at its new place: an edit there is seen.
      writeFileSync(join(moved, 'schemas/Failure.yaml'), 'type: object\nproperties:\n  code: { type: string }\n');
      expect((await cli(args, moved)).reused).toBe(false);
    } finally {
      rmSync(moved, { recursive: true, force: true });
    }
  });

  it('applies --baseline to reused findings', async () => {
    const dir = tree(SERVICE);
    await cli(['--cache', '--write-baseline', 'base.json', '-f', 'json'], dir);
    // base.json is a new file in the tree: this run misses and stores, the next reuses.
    await cli(['--cache', '--baseline', 'base.json', '-f', 'json'], dir);
    const fresh = await cli(['--baseline', 'base.json', '-f', 'json'], dir);
    const cached = await cli(['--cache', '--verbose', '--baseline', 'base.json', '-f', 'json'], dir);
    expect(cached.reused).toBe(true);
    expect(cached.report).toBe(fresh.report);
    expect(ids(cached.report)).toEqual([]);
  });
});

describe('--cache invalidation: each change gives the fresh findings', () => {
  /** Warms the cache, applies the change, and checks the cached run equals a fresh one and differs from before. */
  async function expectRerun(change: (dir: string) => void, args: string[] = [], setup: Record<string, string> = {}) {
    const dir = tree({ ...SERVICE, ...setup });
    const before = await cli(['--cache', '-f', 'json', ...args], dir);
    expect((await cli(['--cache', '--verbose', '-f', 'json', ...args], dir)).reused).toBe(true);
    change(dir);
    const cached = await cli(['--cache', '--verbose', '-f', 'json', ...args], dir);
    const fresh = await cli(['-f', 'json', ...args], dir);
    expect(cached.reused).toBe(false);
    expect(cached.report).toBe(fresh.report);
    expect(ids(cached.report)).not.toEqual(ids(before.report));
    // …and the new findings are what the next run reuses.
    const again = await cli(['--cache', '--verbose', '-f', 'json', ...args], dir);
    expect(again.reused).toBe(true);
    expect(again.report).toBe(fresh.report);
  }

  it('a file edit', async () => {
    await expectRerun((dir) => writeTree(dir, { 'src/config.ts': 'export const region = process.env.AWS_REGION;\n' }));
  });

  it('a config change (file) and a --rule change (command line)', async () => {
    await expectRerun((dir) =>
      writeTree(dir, { 'archlint.config.yaml': 'rules:\n  security/no-hardcoded-secrets: off\n' }),
    );
    const dir = tree(SERVICE);
    const on = await cli(['--cache', '-f', 'json'], dir);
    const off = await cli(['--cache', '--verbose', '-f', 'json', '--rule', 'security/no-hardcoded-secrets=off'], dir);
    expect(off.reused).toBe(false);
    expect(ids(off.report).length).toBeLessThan(ids(on.report).length);
    const only = await cli(['--cache', '--verbose', '-f', 'json', '--only', 'api/structured-errors'], dir);
    expect(only.reused).toBe(false);
    expect(ids(only.report)).toEqual(['openapi.yaml:8 api/structured-errors']);
  });

  it('a $ref target change, also when only the root description is named', async () => {
    const fix = (dir: string) =>
      writeTree(dir, {
        'schemas/Failure.yaml':
          'type: object\nrequired: [code, message]\nproperties:\n  code: { type: string }\n  message: { type: string }\n',
      });
    await expectRerun(fix);
    await expectRerun(fix, ['openapi.yaml']);
  });

  it('an earlier migration change', async () => {
    await expectRerun((dir) =>
      writeTree(dir, {
        'db/migrations/001_init.sql': SERVICE['db/migrations/001_init.sql']!.split('\n')
          .filter((l) => !l.startsWith('CREATE INDEX'))
          .join('\n'),
      }),
    );
  });

  it('the file that mounts a router', async () => {
    // Five resource paths: api/versioned-routes judges an app of that size (a smaller one may be a sidecar).
    const routes = ['/orders', '/orders/:id', '/invoices', '/invoices/:id', '/customers'];
    const orders = [
      "import { Router } from 'express';",
      'export const ordersRouter = Router();',
      ...routes.map((path) => `ordersRouter.get('${path}', (_req, res) => res.json({ data: [], next: null }));`),
      '',
    ].join('\n');
    await expectRerun(
      (dir) => writeTree(dir, { 'src/app.ts': SERVICE['src/app.ts']!.replace("'/v1'", "'/api'") }),
      [],
      { 'src/orders.ts': orders },
    );
  });

  it('a file added or removed', async () => {
    await expectRerun((dir) => rmSync(join(dir, 'src/config.ts')));
  });
});

describe('--cache per file', () => {
  const FILE_RULES = 'perf/no-n-plus-one, resilience/http-client-timeouts, security/no-hardcoded-secrets';
  const more = {
    'src/payments.ts': "export const pay = (url: string) => fetch(url, { method: 'POST' });\n",
    'src/tokens.ts':
      "import jwt from 'jsonwebtoken';\nexport const sign = (p: object) => jwt.sign(p, 'q7Zr8Lw2Xv9Kp4Tn7Bm3Hd6Fs1Gj5Yc');\n",
  };

  it('after an edit, runs the file-scoped rules on the changed file only, with the findings of a fresh run', async () => {
    const dir = tree({ ...SERVICE, ...more });
    const first = await cli(['--cache', '--verbose', '-f', 'json'], dir);
    expect(first.stderr).toContain(`cache: ${FILE_RULES}: 0 unchanged file(s) reused, 9 to check`);
    writeTree(dir, {
      'src/tokens.ts': `${more['src/tokens.ts'].replace('q7Zr8Lw2', 'Mk3Pq9Vt')}export const region = 'eu-west-1';\n`,
    });
    const edited = await cli(['--cache', '--verbose', '-f', 'json'], dir);
    expect(edited.reused).toBe(false);
    expect(edited.stderr).toContain(`cache: ${FILE_RULES}: 8 unchanged file(s) reused, 1 to check`);
    const fresh = await cli(['-f', 'json'], dir);
    expect(edited.report).toBe(fresh.report);
    // The reused files' findings are there: the secret in src/config.ts and the fetch in src/payments.ts.
    expect(ids(edited.report)).toEqual(
      expect.arrayContaining([
        'src/config.ts:1 security/no-hardcoded-secrets',
        'src/payments.ts:1 resilience/http-client-timeouts',
        'src/tokens.ts:2 security/no-hardcoded-secrets',
      ]),
    );
  });

  it('drops a removed file, and starts afresh when the settings or the rules change', async () => {
    const dir = tree({ ...SERVICE, ...more });
    await cli(['--cache', '-f', 'json'], dir);
    rmSync(join(dir, 'src/payments.ts'));
    const removed = await cli(['--cache', '--verbose', '-f', 'json'], dir);
    expect(removed.stderr).toContain(`cache: ${FILE_RULES}: 8 unchanged file(s) reused, 0 to check`);
    expect(removed.report).toBe((await cli(['-f', 'json'], dir)).report);

    const ruleOff = await cli(['--cache', '--verbose', '-f', 'json', '--rule', 'perf/no-n-plus-one=off'], dir);
    expect(ruleOff.stderr).toContain(
      'cache: resilience/http-client-timeouts, security/no-hardcoded-secrets: 0 unchanged file(s) reused, 8 to check',
    );
    expect(ruleOff.report).toBe((await cli(['-f', 'json', '--rule', 'perf/no-n-plus-one=off'], dir)).report);
  });

  it("starts afresh when a file changes what it says of another (node-config's mapping of the defaults)", async () => {
    const dir = tree({
      ...SERVICE,
      'config/default.json': '{\n  "jwtSecret": "vieYahc4oow2ohtheeyiek1Ga7Oowei0"\n}\n',
      'config/custom-environment-variables.json': '{\n  "port": "PORT"\n}\n',
    });
    const first = await cli(['--cache', '-f', 'json'], dir);
    expect(ids(first.report)).toContain('config/default.json:2 security/no-hardcoded-secrets');
    // Deployments now read the secret from JWT_SECRET: the default is the developer's.
    writeTree(dir, { 'config/custom-environment-variables.json': '{\n  "jwtSecret": "JWT_SECRET"\n}\n' });
    const edited = await cli(['--cache', '--verbose', '-f', 'json'], dir);
    expect(edited.stderr).toContain(`cache: ${FILE_RULES}: 0 unchanged file(s) reused, 9 to check`);
    expect(edited.report).toBe((await cli(['-f', 'json'], dir)).report);
    expect(ids(edited.report)).not.toContain('config/default.json:2 security/no-hardcoded-secrets');
  });

  it('starts afresh when a package manifest changes (where each file runs is read from it)', async () => {
    const dir = tree({
      ...SERVICE,
      ...more,
      'package.json': JSON.stringify({ name: 'svc', dependencies: { express: '4' } }),
    });
    const first = await cli(['--cache', '-f', 'json'], dir);
    expect(ids(first.report)).toContain('src/payments.ts:1 resilience/http-client-timeouts');
    // Now a front-end package: its fetches run in the browser.
    writeTree(dir, { 'package.json': JSON.stringify({ name: 'svc', dependencies: { react: '18' } }) });
    const edited = await cli(['--cache', '--verbose', '-f', 'json'], dir);
    expect(edited.stderr).toContain(`cache: ${FILE_RULES}: 0 unchanged file(s) reused, 10 to check`);
    expect(edited.report).toBe((await cli(['-f', 'json'], dir)).report);
    expect(ids(edited.report)).not.toContain('src/payments.ts:1 resilience/http-client-timeouts');
  });
});

describe('--cache never fails the run', () => {
  it('ignores a corrupt, truncated or foreign entry', async () => {
    const dir = tree(SERVICE);
    const fresh = await cli(['-f', 'json'], dir);
    await cli(['--cache', '-f', 'json'], dir);
    const folder = cacheFolderOf(dir);
    const entry = readdirSync(folder).find((name) => name.startsWith('run-'));
    const file = join(folder, entry!);
    const good = readFileSync(file, 'utf8');
    const parsed = JSON.parse(good) as { findings: Array<Record<string, unknown>> };
    parsed.findings[0]!.line = 'one';
    for (const bad of [good.slice(0, good.length / 2), '{}', 'null', '\u0000\u0001', JSON.stringify(parsed)]) {
      writeFileSync(file, bad);
      const run = await cli(['--cache', '--verbose', '-f', 'json'], dir);
      expect(run.code).toBe(fresh.code);
      expect(run.reused).toBe(false);
      expect(run.report).toBe(fresh.report);
    }
    // The per-file store too (written again by the runs above): truncated, foreign, or a finding of the wrong shape.
    const store = join(folder, readdirSync(folder).find((name) => name.startsWith('files-'))!);
    const stored = readFileSync(store, 'utf8');
    const shaped = JSON.parse(stored) as { files: Record<string, { findings: Array<Record<string, unknown>> }> };
    shaped.files['src/config.ts']!.findings[0]!.origin = 'src/config.ts';
    for (const bad of [stored.slice(0, stored.length / 2), '{}', 'null', JSON.stringify(shaped)]) {
      writeFileSync(file, 'not an entry');
      writeFileSync(store, bad);
      const run = await cli(['--cache', '--verbose', '-f', 'json'], dir);
      expect(run.code).toBe(fresh.code);
      expect(run.report).toBe(fresh.report);
    }
  });

  it('ignores an unreadable or unwritable cache location', async () => {
    const dir = tree({ ...SERVICE, blocker: 'a file where the cache folder would go\n' });
    const fresh = await cli(['-f', 'json'], dir);
    const run = await cli(['--cache-location', 'blocker/cache', '-f', 'json'], dir);
    expect(run.code).toBe(fresh.code);
    expect(run.report).toBe(fresh.report);
  });

  it('keeps a cache folder inside the linted tree out of the lint', async () => {
    const dir = tree(SERVICE);
    await cli(['--cache-location', '.archlint-cache', '-f', 'json'], dir);
    const second = await cli(['--cache-location', '.archlint-cache', '--verbose', '-f', 'json'], dir);
    expect(second.reused).toBe(true);
    expect(ids(second.report).some((id) => id.startsWith('.archlint-cache'))).toBe(false);
  });

  it('never reads a cache folder that git tracks: a pull request could commit a forged "no problems" entry', async (context) => {
    const dir = tree(SERVICE);
    const git = (...args: string[]) => spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
    if (git('init', '-q').status !== 0) return context.skip('git is not installed');
    const fresh = await cli(['-f', 'json'], dir);
    await cli(['--cache-location', '.archlint-cache', '-f', 'json'], dir);
    // Forge every entry into "no findings", and commit it.
    for (const name of readdirSync(join(dir, '.archlint-cache')).filter((n) => n.startsWith('run-'))) {
      const file = join(dir, '.archlint-cache', name);
      const entry = JSON.parse(readFileSync(file, 'utf8')) as { findings: unknown[] };
      entry.findings = [];
      writeFileSync(file, JSON.stringify(entry));
    }
    git('add', '-f', '.archlint-cache');
    const run = await cli(['--cache-location', '.archlint-cache', '--verbose', '-f', 'json'], dir);
    expect(run.reused).toBe(false);
    expect(run.stderr).toContain('archlint: not using the cache in .archlint-cache: git tracks files in it');
    expect(run.report).toBe(fresh.report);
    expect(run.code).toBe(fresh.code);
  });

  it('keeps the default cache outside the checkout, one folder per repository, in the user cache folder', async () => {
    const dir = tree(SERVICE);
    const home = tree({ '.keep': '' });
    const run = await runCli(['--cache', '-f', 'json'], dir, { HOME: home });
    expect(run.code).toBeGreaterThan(0);
    expect(readdirSync(join(home, '.cache', 'archlint'))).toHaveLength(1);
    expect(readdirSync(dir).some((name) => name.includes('cache'))).toBe(false);
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);
  });

  it('removes temporary files that a killed run left in the cache folder, once they are an hour old', async () => {
    const dir = tree(SERVICE);
    await cli(['--cache', '-f', 'json'], dir);
    const folder = cacheFolderOf(dir);
    const old = join(folder, 'run-abc.json.4242-0-0.tmp');
    const fresh = join(folder, 'run-abc.json.4243-0-0.tmp');
    writeFileSync(old, '{"half');
    writeFileSync(fresh, '{"half');
    const hourAgo = (Date.now() - 61 * 60 * 1000) / 1000;
    utimesSync(old, hourAgo, hourAgo);
    writeFileSync(join(dir, 'src/new.ts'), 'export const n = 1;\n');
    await cli(['--cache', '-f', 'json'], dir);
    expect(existsSync(old)).toBe(false);
    // A run may still be writing a young one.
    expect(existsSync(fresh)).toBe(true);
  });
});
