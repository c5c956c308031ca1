/** CodeFile.reach: which entry points' imports reach a file, judged over the whole tree. */
import { realpathSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFiles } from '../src/engine/file-rules.js';
import { lint } from '../src/engine/run.js';
import { useTempTrees } from './harness/tree.js';
import { reachProbe } from './harness/reach-probe.js';
import { join } from 'node:path';

const tree = useTempTrees('reach');

async function reaches(dir: string): Promise<Record<string, string>> {
  const { result } = await lint({ cwd: dir, paths: ['.'], loaded: { config: {}, baseDir: dir }, rules: [reachProbe] });
  return Object.fromEntries(result.findings.filter((f) => f.ruleId === 'test/reach').map((f) => [f.file, f.message]));
}

describe('code reach', () => {
  it('follows value imports from server and browser entry points, and folders loaded by name', async () => {
    const dir = tree({
      'package.json': JSON.stringify({ name: 'forum', scripts: { start: 'node dist/server/main.js' } }),
      'server/main.ts':
        "import { routes } from './routes';\nimport { runUpgrades } from './upgrade';\nroutes();\nrunUpgrades();\n",
      'server/routes.ts': "import { geo } from '../shared/geo';\nexport const routes = () => geo;\n",
      'server/upgrade.ts':
        "import { readdirSync } from 'node:fs';\nimport { join } from 'node:path';\n" +
        "export const runUpgrades = () => readdirSync(join(__dirname, './upgrades')).map((f) => require(f));\n",
      'server/upgrades/v2.ts': 'export const up = 1;\n',
      'server/types.ts': "import type { Page } from '../client/page';\nexport type P = Page;\n",
      'shared/geo.ts': 'export const geo = 1;\n',
      'client/main.ts':
        "import { createRoot } from 'react-dom/client';\nimport { page } from './page';\ncreateRoot(page);\n",
      'client/page.ts': "import { geo } from '../shared/geo';\nexport const page = geo;\nexport type Page = number;\n",
      'legacy/old.ts': 'export const old = 1;\n',
    });
    expect(await reaches(dir)).toEqual({
      'server/main.ts': 'server',
      'server/routes.ts': 'server',
      'server/upgrade.ts': 'server',
      // Loaded by file name from the folder the loader names.
      'server/upgrades/v2.ts': 'server',
      // The upgrade loader walks its own folder (`__dirname`): everything below it may be loaded.
      'server/types.ts': 'server',
      // Imported by the page and the server: the server runs it.
      'shared/geo.ts': 'server',
      'client/main.ts': 'browser',
      // A type-only import from the server brings none of the page's code there.
      'client/page.ts': 'browser',
      'legacy/old.ts': 'unreached',
    });
  });

  it("stops a server walk at a 'use client' module, and counts Next.js routes and Worker mains as entries", async () => {
    const dir = tree({
      'web/package.json': JSON.stringify({ name: 'web', dependencies: { next: '15' } }),
      'web/app/page.tsx': "import { Form } from './form';\nexport default () => Form;\n",
      'web/app/form.tsx': "'use client';\nimport { send } from '../lib/send';\nexport const Form = send;\n",
      'web/lib/send.ts': 'export const send = 1;\n',
      'edge/package.json': JSON.stringify({ name: 'edge' }),
      'edge/wrangler.toml': 'name = "edge"\nmain = "src/worker.ts"\n',
      'edge/src/worker.ts': "import { hit } from './hit';\nexport default hit;\n",
      'edge/src/hit.ts': 'export const hit = 1;\n',
    });
    expect(await reaches(dir)).toMatchObject({
      'web/app/page.tsx': 'server',
      'web/app/form.tsx': 'browser',
      'web/lib/send.ts': 'browser',
      'edge/src/worker.ts': 'server',
      'edge/src/hit.ts': 'server',
    });
  });

  it("tells a command's files from a server's: bin commands, and scripts that start no server", async () => {
    const dir = tree({
      'api/package.json': JSON.stringify({
        name: 'api',
        scripts: { start: 'node dist/start/server.js', worker: 'node dist/jobs.js', pprof: 'tsx src/scripts/pprof.ts' },
      }),
      'api/src/start/server.ts': "import { routes } from '../routes';\nroutes();\n",
      'api/src/routes.ts': "import { shared } from './shared';\nexport const routes = () => shared;\n",
      'api/src/jobs.ts': "import { sync } from './sync';\nsync();\n",
      'api/src/sync.ts': 'export const sync = () => 1;\n',
      'api/src/scripts/pprof.ts':
        "import { profile } from '../pprof-http';\nimport { shared } from '../shared';\nprofile(shared);\n",
      'api/src/pprof-http.ts': 'export const profile = (n: number) => n;\n',
      'api/src/shared.ts': 'export const shared = 1;\n',
      'tool/package.json': JSON.stringify({
        name: 'tool',
        bin: { tool: 'dist/esm/index.js' },
        scripts: { dev: 'tsx src/index.ts' },
      }),
      'tool/src/index.ts': "import { run } from './run';\nrun();\n",
      'tool/src/run.ts': 'export const run = () => 1;\n',
      'build-steps/package.json': JSON.stringify({
        name: 'build-steps',
        scripts: { start: 'node dist/main.js', postbuild: 'node scripts/telemetry.js' },
      }),
      'build-steps/src/main.ts': 'export const main = 1;\n',
      'build-steps/scripts/telemetry.js': 'module.exports = 1;\n',
      'poller/package.json': JSON.stringify({
        name: 'poller',
        bin: { poll: 'bin/poll.js' },
        scripts: { dev: 'tsx src/dev.ts' },
      }),
      'poller/src/dev.ts': "import { start } from './reviews';\nstart();\n",
      'poller/src/reviews.ts': 'export const start = () => setInterval(() => undefined, 60_000);\n',
    });
    expect(await reaches(dir)).toEqual({
      'api/src/start/server.ts': 'server',
      'api/src/routes.ts': 'server',
      // The `worker` script runs a long-lived process: a server's entry, as the start script's.
      'api/src/jobs.ts': 'server',
      'api/src/sync.ts': 'server',
      // Only the `pprof` script reaches these: a command a person runs and waits on.
      'api/src/scripts/pprof.ts': 'cli',
      'api/src/pprof-http.ts': 'cli',
      // Imported by the command and the server: the server runs it.
      'api/src/shared.ts': 'server',
      // A package that ships a command (`bin`, built from src/) and starts no server: even its `dev` script runs the command.
      'tool/src/index.ts': 'cli',
      'tool/src/run.ts': 'cli',
      'build-steps/src/main.ts': 'server',
      // A step every build runs, unattended in each self-hoster's Docker build: judged as before.
      'build-steps/scripts/telemetry.js': 'server',
      // A command that polls for ever is a daemon someone deployed, not a command a person waits on.
      'poller/src/dev.ts': 'server',
      'poller/src/reviews.ts': 'server',
    });
  });

  it('is unknown where nothing says how code starts: no entry anywhere, a package with none, a load it cannot follow', async () => {
    expect(await reaches(tree({ 'src/a.ts': 'export const a = 1;\n' }))).toEqual({ 'src/a.ts': 'unknown' });
    const dir = tree({
      'api/package.json': JSON.stringify({ name: 'api' }),
      'api/src/index.ts': "import { load } from './plugins';\nload();\napp.listen(3000);\n",
      'api/src/plugins.ts': 'export const load = (name: string) => require(name);\n',
      'api/src/plugin.ts': 'export const p = 1;\n',
      'jobs/package.json': JSON.stringify({ name: 'jobs' }),
      'jobs/src/sync.ts': 'export const sync = 1;\n',
    });
    expect(await reaches(dir)).toEqual({
      'api/src/index.ts': 'server',
      'api/src/plugins.ts': 'server',
      'api/src/plugin.ts': 'unknown',
      'jobs/src/sync.ts': 'unknown',
    });
  });

  it('follows no import on a line commented out, and takes no method named import or require for a load', async () => {
    const dir = tree({
      'package.json': JSON.stringify({ name: 'api', scripts: { start: 'node dist/src/index.js' } }),
      'src/index.ts':
        "import { search } from './tools';\nimport { records } from './records';\n" +
        'void records.import(String(process.env.SOURCE), { dryRun: true });\nvoid search;\napp.listen(3000);\n',
      'src/records.ts':
        'export const records = { import: async (from: string, options: object) => [from, options] };\n',
      'src/tools/index.ts': "export { search } from './search';\n// export { crawl } from './crawl';\n",
      'src/tools/search.ts': 'export const search = 1;\n',
      'src/tools/crawl.ts': 'export const crawl = 1;\n',
    });
    expect(await reaches(dir)).toMatchObject({
      'src/tools/index.ts': 'server',
      'src/tools/search.ts': 'server',
      // Only a commented-out line names it, and the package loads nothing by a name it cannot read.
      'src/tools/crawl.ts': 'unreached',
    });
  });

  it("counts a server's loads it cannot follow, not a page's: what a browser loads by name runs in no server", async () => {
    const dir = tree({
      'package.json': JSON.stringify({ name: 'web', dependencies: { next: '14.0.0', react: '18.0.0' } }),
      'pages/api/chat.ts':
        'export default function handler(req: unknown, res: { json(v: unknown): void }) { res.json(1); }\n',
      'pages/index.tsx':
        'export default function Home({ lang }: { lang: string }) { void import(lang); return null; }\n',
      'tools/probe.mjs': "await fetch('https://api.example.com/v1/messages');\n",
    });
    expect(await reaches(dir)).toMatchObject({
      'pages/api/chat.ts': 'server',
      'pages/index.tsx': 'browser',
      'tools/probe.mjs': 'unreached',
    });
    // The same load in a server's module: the script may be what it loads.
    const served = tree({
      'package.json': JSON.stringify({ name: 'web', dependencies: { next: '14.0.0', react: '18.0.0' } }),
      'pages/api/chat.ts':
        'export default function handler(req: { query: { m: string } }, res: { json(v: unknown): void }) { res.json(require(req.query.m)); }\n',
      'tools/probe.mjs': "await fetch('https://api.example.com/v1/messages');\n",
    });
    expect(await reaches(served)).toMatchObject({ 'pages/api/chat.ts': 'server', 'tools/probe.mjs': 'unknown' });
  });

  it('takes no test, no bundle and no app-router name outside Next.js for an entry, and no bare "." for a folder', async () => {
    // A minified vendored library: over 20 KB on one line, with a loader's `require(name)` and a server's `.listen(`.
    const bundle = `!function(e){var t=require(e);t.listen(80);${'var a=1;'.repeat(3_000)}}('x');\n`;
    const dir = tree({
      'package.json': JSON.stringify({ name: 'notes', scripts: { start: 'node dist/src/index.js' } }),
      'src/index.ts': 'export const start = 1;\n',
      'jobs/package.json': JSON.stringify({ name: 'jobs', scripts: { start: 'node dist/index.js' } }),
      'jobs/src/index.ts': "import { loadLocale } from './i18n/load';\nloadLocale('en');\n",
      // A dynamic import whose only strings without a `/` are separators: it names no folder of its own.
      'jobs/src/i18n/load.ts': "export const loadLocale = (key: string) => import(key.split('.').join('-'));\n",
      'jobs/src/i18n/picker.ts': 'export const picker = 1;\n',
      // Only a test imports the admin client, and the test starts a server of its own: no deployment runs either.
      'src/admin.ts': 'export const admin = 1;\n',
      'src/admin.test.ts':
        "import { admin } from './admin';\nimport http from 'node:http';\nhttp.createServer().listen(0);\nvoid admin;\n",
      'public/vendor/lib.js': bundle,
      // `app/…/template.ts` is a Next.js route file name only in a package that depends on Next.js.
      'src/public/app/widgets/template.ts': "import { copy } from '../menus/copy';\nexport const TPL = copy;\n",
      'src/public/app/menus/copy.ts': 'export const copy = 1;\n',
      'web/package.json': JSON.stringify({ name: 'web', dependencies: { next: '15' } }),
      'web/app/template.tsx': "import { frame } from '../lib/frame';\nexport default frame;\n",
      'web/lib/frame.ts': 'export const frame = 1;\n',
    });
    const found = await reaches(dir);
    expect(found).toMatchObject({
      'src/index.ts': 'server',
      'jobs/src/i18n/load.ts': 'server',
      'src/admin.ts': 'unreached',
      'src/public/app/widgets/template.ts': 'unreached',
      'src/public/app/menus/copy.ts': 'unreached',
      'web/app/template.tsx': 'server',
      'web/lib/frame.ts': 'server',
    });
    // The loader names no folder: what it loads is not knowable, not the files beside it.
    expect(found['jobs/src/i18n/picker.ts']).toBe('unknown');
  });

  it("takes a Next.js pages-router page with no server data for a browser's entry: a workspace client only it imports is browser code", async () => {
    const dir = tree({
      'package.json': JSON.stringify({ name: 'stamps', private: true, workspaces: ['app', 'scorer-client', 'iam'] }),
      'app/package.json': JSON.stringify({ name: 'app', dependencies: { next: '14', 'scorer-client': '*' } }),
      'app/pages/_app.tsx': "import { ScoreProvider } from '../context/score';\nexport default ScoreProvider;\n",
      'app/pages/_document.tsx': "import { theme } from '../lib/theme';\nexport default theme;\n",
      'app/pages/stats.tsx': "import { stats } from '../lib/stats';\nexport const getServerSideProps = stats;\n",
      'app/pages/api/health.ts': "import { ok } from '../../lib/ok';\nexport default ok;\n",
      'app/context/score.tsx':
        "import { fetchScore } from 'scorer-client';\nexport const ScoreProvider = fetchScore;\n",
      'app/lib/theme.ts': 'export const theme = 1;\n',
      'app/lib/stats.ts': 'export const stats = 1;\n',
      'app/lib/ok.ts': 'export const ok = 1;\n',
      'scorer-client/package.json': JSON.stringify({ name: 'scorer-client', main: 'src/index.ts' }),
      'scorer-client/src/index.ts': 'export const fetchScore = 1;\n',
      'iam/package.json': JSON.stringify({ name: 'iam', scripts: { start: 'node dist/main.js' } }),
      'iam/src/main.ts': "import http from 'node:http';\nhttp.createServer().listen(80);\n",
    });
    expect(await reaches(dir)).toMatchObject({
      'app/pages/_app.tsx': 'browser',
      'app/context/score.tsx': 'browser',
      'scorer-client/src/index.ts': 'browser',
      // Server data, an API route: the server's; `_document` renders only on the server, and is no entry.
      'app/pages/stats.tsx': 'server',
      'app/lib/stats.ts': 'server',
      'app/lib/ok.ts': 'server',
      'app/pages/_document.tsx': 'unreached',
    });
  });

  it("counts a front-end package's modules as a page's entries: a shared package's API client only they import is browser code", async () => {
    const dir = tree({
      'package.json': JSON.stringify({ name: 'acme', private: true, workspaces: ['packages/*'] }),
      'packages/server/package.json': JSON.stringify({
        name: '@acme/server',
        scripts: { start: 'node dist/index.js' },
        dependencies: { express: '4', '@acme/shared': '*' },
      }),
      'packages/server/src/index.ts':
        "import express from 'express';\nimport { money } from '@acme/shared/src/format';\nexpress().listen(money);\n",
      'packages/web/package.json': JSON.stringify({
        name: '@acme/web',
        dependencies: { react: '18', '@acme/shared': '*' },
      }),
      // Mounted by a framework archlint does not read: the package's React dependency says it is a front end.
      'packages/web/src/Notes.tsx':
        "import { loadNotes } from '@acme/shared/src/api/notes';\nexport const Notes = loadNotes;\n",
      'packages/shared/package.json': JSON.stringify({ name: '@acme/shared', dependencies: { axios: '1' } }),
      'packages/shared/src/api/notes.ts': 'export const loadNotes = 1;\n',
      'packages/shared/src/format.ts': 'export const money = 1;\n',
    });
    expect(await reaches(dir)).toMatchObject({
      'packages/web/src/Notes.tsx': 'browser',
      'packages/shared/src/api/notes.ts': 'browser',
      'packages/shared/src/format.ts': 'server',
    });
  });

  it("takes a browser-only webpack configuration's entries for a page's, and leaves one that builds for Node alone", async () => {
    const dir = tree({
      'package.json': JSON.stringify({ name: 'send', scripts: { start: 'node server/bin/prod.js' } }),
      'server/bin/prod.js': "const app = require('../app');\napp.listen(8080);\n",
      'server/app.js': 'module.exports = {};\n',
      'webpack.config.js':
        "const path = require('path');\nmodule.exports = {\n  target: 'web',\n" +
        "  entry: { app: ['./app/main.js'], // ios: ['./ios/ios.js']\n  },\n" +
        "  devServer: { proxy: { '/api/ws': { target: 'ws://localhost:8081', ws: true } } },\n};\n",
      'app/main.js':
        "import choo from 'choo';\nimport User from './user';\nchoo().mount('body');\nexport default User;\n",
      'app/user.js': 'export default class User {}\n',
      'ios/ios.js': 'export const ios = 1;\n',
      'desktop/package.json': JSON.stringify({ name: 'desktop', scripts: { start: 'electron .' } }),
      'desktop/webpack.config.js': "module.exports = { target: 'electron-main', entry: './src/main.js' };\n",
      'desktop/src/main.js': 'export const main = 1;\n',
    });
    expect(await reaches(dir)).toMatchObject({
      'app/main.js': 'browser',
      'app/user.js': 'browser',
      // Commented out of the entries.
      'ios/ios.js': 'unreached',
      // Electron's main process is no page.
      'desktop/src/main.js': 'unknown',
    });
  });

  it('gives a batch checked apart the judgement made over the whole tree', async () => {
    const dir = realpathSync(
      tree({ 'client/api.ts': "export const load = () => fetch('https://notes.example.com/api/notes');\n" }),
    );
    const file = { path: 'client/api.ts', absPath: join(dir, 'client/api.ts'), kind: 'code' as const, size: 70 };
    const setup = {
      cwd: dir,
      roots: [dir],
      config: { config: {}, baseDir: dir },
      ruleIds: ['resilience/http-client-timeouts'],
      options: {},
      rootLabel: '.',
    };
    // Alone, the batch cannot know who imports the file: judged as before.
    expect((await checkFiles([file], setup)).flat()).toHaveLength(1);
    // Told the page's imports alone reach it: browser code, not judged.
    expect((await checkFiles([file], { ...setup, codeReach: [['client/api.ts', 'browser']] })).flat()).toEqual([]);
  });
});
