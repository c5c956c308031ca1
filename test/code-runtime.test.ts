/** CodeFile.runtime: where a file's code runs, from the file, its package and its site config. */
import { describe, expect, it } from 'vitest';
import { lint } from '../src/engine/run.js';
import { filePropertyProbe } from './harness/reach-probe.js';
import { createRuntimeJudge } from '../src/inputs/code/runtime.js';
import { createTextFiles } from '../src/inputs/text/index.js';
import { useTempTrees } from './harness/tree.js';
import { join } from 'node:path';
import { realpathSync } from 'node:fs';

const tree = useTempTrees('runtime');

/** Reports each code file's runtime. */
const runtimeRule = filePropertyProbe('runtime', (file) => file.runtime);

async function runtimes(dir: string, paths = ['.']): Promise<Record<string, string>> {
  const { result } = await lint({ cwd: dir, paths, loaded: { config: {}, baseDir: dir }, rules: [runtimeRule] });
  return Object.fromEntries(result.findings.filter((f) => f.ruleId === 'test/runtime').map((f) => [f.file, f.message]));
}

const pkg = (deps: Record<string, string>) => JSON.stringify({ name: 'p', dependencies: deps });

describe('code runtime', () => {
  it('tells front-end packages, extensions, service workers and client modules from server code', async () => {
    const dir = tree({
      'client/package.json': pkg({ react: '18', 'redux-orm': '0.16' }),
      'client/src/models/Board.js': 'export const a = 1;\n',
      'solid/package.json': JSON.stringify({ devDependencies: { 'solid-js': '1', vite: '6' } }),
      'solid/src/api.ts': 'export const a = 1;\n',
      'api/package.json': pkg({ express: '4', react: '18' }),
      'api/src/index.ts': 'export const a = 1;\n',
      'web/package.json': pkg({ next: '15', react: '19' }),
      'web/lib/server.ts': 'export const a = 1;\n',
      'web/lib/client.ts': "// a comment first\n'use client';\nexport const a = 1;\n",
      'web/public/sw.js': "self.addEventListener('fetch', (event) => event.respondWith(fetch(event.request)));\n",
      'ext/manifest.json': '{ "manifest_version": 3, "name": "x" }',
      'ext/package.json': pkg({}),
      'ext/src/upload.ts': 'export const a = 1;\n',
      'lib/util.ts': 'export const a = 1;\n',
      'broken/package.json': '{ not json',
      'broken/a.ts': 'export const a = 1;\n',
    });
    expect(await runtimes(dir)).toEqual({
      'api/src/index.ts': 'server',
      'broken/a.ts': 'server',
      'client/src/models/Board.js': 'browser',
      'ext/src/upload.ts': 'browser',
      'lib/util.ts': 'server',
      'solid/src/api.ts': 'browser',
      'web/lib/client.ts': 'browser',
      'web/lib/server.ts': 'server',
      'web/public/sw.js': 'browser',
    });
  });

  it('renders Astro pages at build time unless the config or the page asks for a server', async () => {
    const dir = tree({
      'site/package.json': pkg({ astro: '5' }),
      'site/astro.config.mjs': "export default { output: 'static' };\n",
      'site/src/pages/llms.txt.ts': 'export const GET = () => 1;\n',
      'site/src/pages/contact.ts': 'export const prerender = false;\nexport const POST = () => 1;\n',
      'site/src/lib/data.ts': 'export const a = 1;\n',
      'ssr/package.json': pkg({ astro: '5' }),
      'ssr/astro.config.ts': "export default { output: 'server' };\n",
      'ssr/src/pages/api.ts': 'export const GET = () => 1;\n',
      'ssr/src/pages/about.ts': 'export const prerender = true;\nexport const GET = () => 1;\n',
      'plain/package.json': pkg({ astro: '5' }),
      'plain/src/pages/index.ts': 'export const GET = () => 1;\n',
    });
    expect(await runtimes(dir)).toEqual({
      'plain/src/pages/index.ts': 'build',
      'site/astro.config.mjs': 'server',
      'site/src/lib/data.ts': 'server',
      'site/src/pages/contact.ts': 'server',
      'site/src/pages/llms.txt.ts': 'build',
      'ssr/astro.config.ts': 'server',
      'ssr/src/pages/about.ts': 'build',
      'ssr/src/pages/api.ts': 'server',
    });
  });

  it('reads nothing above the lint root, and judges a batch without its manifests the same', async () => {
    const dir = tree({
      'client/package.json': pkg({ react: '18' }),
      'client/src/a.ts': 'export const a = 1;\n',
    });
    // Linting only src/: the package.json above it is outside the root, so the file stays `server`.
    expect(await runtimes(join(dir, 'client/src'))).toEqual({ 'a.ts': 'server' });
    // A batch of files (file-scoped rules in workers) that does not list the package.json.
    const root = realpathSync(dir);
    const file = { path: 'client/src/a.ts', absPath: join(root, 'client/src/a.ts'), kind: 'code' as const, size: 20 };
    const judge = createRuntimeJudge({ roots: [root] }, createTextFiles({ roots: [root], files: [file], skipped: [] }));
    expect(judge.runtimeOf(file, 'export const a = 1;\n')).toBe('browser');
    // A file named on the command line is judged in its package, read up to the current directory.
    expect(await runtimes(dir, ['client/src/a.ts'])).toEqual({ 'client/src/a.ts': 'browser' });
  });

  it("reads the platform's bound on a function from vercel.json beside the package, for the files its globs match", () => {
    const dir = tree({
      'apps/web/package.json': pkg({ next: '15' }),
      'apps/web/vercel.json': JSON.stringify({
        functions: { 'app/(ee)/api/cron/**/*.ts': { maxDuration: 600 }, 'app/api/big/route.ts': { memory: 2048 } },
      }),
      'apps/web/app/(ee)/api/cron/import/utils.ts': 'export const a = 1;\n',
      'apps/web/app/api/big/route.ts': 'export const b = 1;\n',
      'apps/web/app/api/links/route.ts': 'export const c = 1;\n',
    });
    const root = realpathSync(dir);
    const files = [
      'apps/web/app/(ee)/api/cron/import/utils.ts',
      'apps/web/app/api/big/route.ts',
      'apps/web/app/api/links/route.ts',
    ].map((path) => ({ path, absPath: join(root, path), kind: 'code' as const, size: 20 }));
    // A batch that lists only the code files still reads the configs from their folders.
    const judge = createRuntimeJudge({ roots: [root] }, createTextFiles({ roots: [root], files, skipped: [] }));
    expect(files.map((file) => judge.platformLimitOf(file))).toEqual([600, undefined, undefined]);
  });
});

describe('package data layers', () => {
  /** Reports each code file's CodeFile.packageDataLayers, joined. */
  const layersRule = filePropertyProbe('layers', (file) => (file.packageDataLayers ?? []).join(',') || '-');

  it("lists the ORM and driver packages of the file's nearest package.json, none for a package naming none", async () => {
    const dir = tree({
      'api/package.json': pkg({ express: '4', typeorm: '0.3', pg: '8' }),
      'api/src/deep/users.ts': 'export const a = 1;\n',
      'jobs/package.json': pkg({ sequelize: '6' }),
      'jobs/src/run.ts': 'export const a = 1;\n',
      'web/package.json': pkg({ express: '4' }),
      'web/src/index.ts': 'export const a = 1;\n',
    });
    const { result } = await lint({
      cwd: dir,
      paths: ['.'],
      loaded: { config: {}, baseDir: dir },
      rules: [layersRule],
    });
    const layers = Object.fromEntries(
      result.findings.filter((f) => f.ruleId === 'test/layers').map((f) => [f.file, f.message]),
    );
    expect(layers).toEqual({
      'api/src/deep/users.ts': 'typeorm,pg',
      'jobs/src/run.ts': 'sequelize',
      'web/src/index.ts': '-',
    });
  });
});

describe('package embedded database', () => {
  /** Reports each code file's CodeFile.packageEmbeddedDatabase. */
  const embeddedRule = filePropertyProbe('embedded', (file) => String(file.packageEmbeddedDatabase === true));

  it('is SQLite the package runs with and no database reached over a network', async () => {
    const dir = tree({
      'media/package.json': pkg({ typeorm: '0.3', sqlite3: '5' }),
      'media/src/a.ts': 'export const a = 1;\n',
      'both/package.json': pkg({ knex: '3', 'better-sqlite3': '11', pg: '8' }),
      'both/src/a.ts': 'export const a = 1;\n',
      'tests-only/package.json': JSON.stringify({
        name: 'p',
        dependencies: { knex: '3' },
        devDependencies: { sqlite3: '5' },
      }),
      'tests-only/src/a.ts': 'export const a = 1;\n',
      'prisma/package.json': pkg({ '@prisma/client': '6', 'better-sqlite3': '11' }),
      'prisma/src/a.ts': 'export const a = 1;\n',
    });
    const { result } = await lint({
      cwd: dir,
      paths: ['.'],
      loaded: { config: {}, baseDir: dir },
      rules: [embeddedRule],
    });
    const embedded = Object.fromEntries(
      result.findings.filter((f) => f.ruleId === 'test/embedded').map((f) => [f.file, f.message]),
    );
    expect(embedded).toEqual({
      'media/src/a.ts': 'true',
      'both/src/a.ts': 'false',
      'tests-only/src/a.ts': 'false',
      'prisma/src/a.ts': 'false',
    });
  });
});
