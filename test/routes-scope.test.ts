/**
 * The router graph parses only the files it can reach (issue 22): a text scan of module specifiers
 * chooses them. Routes in files reachable only through imports, re-exports, barrels and dynamic
 * requires are still found, and a file no router can reach is never parsed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CodeFile, CodeModel } from '../src/inputs/code/index.js';
import { CallSites } from '../src/inputs/routes/call-sites.js';
import { graphScope } from '../src/inputs/routes/graph-scope.js';
import { specifiersIn, valueSpecifiersIn } from '../src/inputs/routes/importers.js';
import { Modules } from '../src/inputs/routes/modules.js';
import { cleanTrees, routeList } from './routes-helpers.js';

afterEach(cleanTrees);

describe('the text scan of module specifiers', () => {
  it('finds imports, re-exports, requires and dynamic imports, with any quotes and comments before the specifier', () => {
    const text = [
      "import express from 'express';",
      'import { a } from "./a";',
      "import './side-effect';",
      "export * from './barrel';",
      "export { default as users } from './users';",
      "const b = require('./b');",
      'const c = require(`./c`);',
      "const d = await import(/* webpackChunkName: 'd' */ './d');",
      "import e = require('./e');",
      "type F = typeof import('./f');",
    ].join('\n');
    expect(specifiersIn(text)).toEqual([
      'express',
      './a',
      './side-effect',
      './barrel',
      './users',
      './b',
      './c',
      './d',
      './e',
      './f',
    ]);
  });

  it('reads each comment before a specifier up to its own end, so text between two comments is not skipped', () => {
    const text = [
      "const d = import(/** chunk: 'd' **/ /* two */ './d');",
      "const x = require(/* a */ helpers /* b */ './not-a-specifier');",
      // A vendored bundle: `require(/*` with no quote after the comment, and many comments after it.
      `define(function (require) { return require(/* x */ name); });\n${'/* c */ f();\n'.repeat(20000)}`,
    ].join('\n');
    expect(specifiersIn(text)).toEqual(['./d']);
  });

  it('skips lines commented out with //, not a trailing comment after code, nor a block comment', () => {
    const text = [
      "export { search } from './search';",
      "// export { crawl } from './crawl';",
      "  //import type { Old } from './old';",
      "import { ping } from './ping'; // was: from './old-ping'",
      "/* import { kept } from './kept'; */",
    ].join('\n');
    expect(specifiersIn(text)).toEqual(['./search', './ping', './old-ping', './kept']);
    // A commented-out type import takes no occurrence away from a value import of the same module.
    expect(valueSpecifiersIn("// import type { A } from './a';\nimport { a } from './a';\n")).toEqual(['./a']);
    // A megabyte on one line with many loads: each stretch of text is searched once.
    const bundle = `${"require('./m');".repeat(50_000)}\n// require('./gone');\n`;
    expect(specifiersIn(bundle)).toHaveLength(50_000);
  });
});

describe('the value specifiers', () => {
  it('leave out type-only imports and re-exports, one occurrence each', () => {
    const text = [
      "import type { App } from './app';",
      "import { app } from './app';",
      "export type { Row } from './rows';",
      "import type Foo from './foo';",
      "import { type Bar, baz } from './bar';",
    ].join('\n');
    expect(valueSpecifiersIn(text)).toEqual(['./app', './bar']);
  });
});

describe('routes in files without a framework import', () => {
  it('are found through a barrel, a named re-export, a destructured require and a require chain', async () => {
    const routes = await routeList({
      'src/app.ts': [
        "import express from 'express';",
        "import { mountUsers } from './routes';",
        "import { orders } from './routes';",
        'const app = express();',
        'mountUsers(app);',
        "app.use('/orders', orders);",
        "const admin = require('./admin/index.js');",
        'admin(app);',
        "const { register } = require('./reports');",
        'register(app);',
        'app.listen(3000);',
      ].join('\n'),
      'src/routes/index.ts': "export * from './users';\nexport { orders } from './orders';\n",
      'src/routes/users.ts': "export function mountUsers(app) {\n  app.get('/users', (req, res) => res.json([]));\n}\n",
      'src/routes/orders.ts': [
        "import { makeRouter } from '../lib/router';",
        'export const orders = makeRouter();',
        "orders.post('/', (req, res) => res.json({}));",
      ].join('\n'),
      'src/lib/router.ts': "import { Router } from 'express';\nexport const makeRouter = () => Router();\n",
      'src/admin/index.js': "const settings = require('./settings');\nmodule.exports = (app) => settings(app);\n",
      'src/admin/settings.js':
        "module.exports = function (app) {\n  app.put('/admin/settings', (req, res) => res.json({}));\n};\n",
      'src/reports.ts':
        "export function register(app) {\n  app.delete('/reports/:id', (req, res) => res.json({}));\n}\n",
    });
    expect(routes).toEqual([
      'DELETE /reports/{id} src/reports.ts:2 src/app.ts#app',
      'GET /users src/routes/users.ts:2 src/app.ts#app',
      'POST /orders src/routes/orders.ts:3 src/app.ts#app',
      'PUT /admin/settings src/admin/settings.js:2 src/app.ts#app',
    ]);
  });

  it('are found in a file that only imports the module creating the app', async () => {
    const routes = await routeList({
      'server/app.ts':
        "import Koa from 'koa';\nimport Router from '@koa/router';\nexport const app = new Koa();\nexport const api = new Router({ prefix: '/api' });\n",
      'server/entry.ts': [
        "import { app, api } from './app';",
        "api.get('/health', (ctx) => { ctx.body = 'ok'; });",
        'app.use(api.routes());',
        'app.listen(3000);',
      ].join('\n'),
    });
    expect(routes).toEqual(['GET /api/health server/entry.ts:2 server/app.ts#app']);
  });
});

describe('the graph scope', () => {
  /** A code model whose trees must not be read: reading one fails the test. */
  function model(files: Record<string, string>): { code: CodeModel; parsed: string[] } {
    const parsed: string[] = [];
    const list: CodeFile[] = Object.entries(files).map(([path, content]) => ({
      path,
      text: { path, content } as CodeFile['text'],
      get tree(): CodeFile['tree'] {
        parsed.push(path);
        throw new Error(`parsed ${path}`);
      },
      get sourceFile(): CodeFile['sourceFile'] {
        parsed.push(path);
        throw new Error(`parsed ${path}`);
      },
      runtime: 'server',
      reach: 'unknown',
    }));
    const byPath = new Map(list.map((f) => [f.path, f]));
    return { code: { files: list, get: (p: string) => byPath.get(p) } as unknown as CodeModel, parsed };
  }

  it('holds the framework files, their importers and what those import, and parses nothing to choose them', () => {
    const { code, parsed } = model({
      'server/app.ts': "import express from 'express';\nexport const app = express();\n",
      'server/main.ts': "import { app } from './app';\nimport { routes } from './routes';\nroutes(app);\n",
      'server/routes.ts': "import { helper } from './util';\nexport function routes(app) { app.get('/x', helper); }\n",
      'server/util.ts': 'export const helper = () => 1;\n',
      'server/typed.ts': "export function mount(router: Router) { router.get('/y', () => 1); }\n",
      'web/page.tsx':
        "import { useRouter } from 'next/router';\nexport const Page = () => useRouter().query.get('q');\n",
      'web/api.ts': "export const load = () => client.get('/users');\n",
    });
    const scope = graphScope(new Modules(code, []), code.files);
    expect([...scope].map((f) => f.path).sort()).toEqual([
      'server/app.ts',
      'server/main.ts',
      'server/routes.ts',
      'server/typed.ts',
      'server/util.ts',
    ]);
    expect(parsed).toEqual([]);
  });

  it('does not walk through type-only imports nor into front-end modules', () => {
    const { code, parsed } = model({
      'server/app.ts': "import { Hono } from 'hono';\nexport const app = new Hono();\nexport type App = typeof app;\n",
      'server/serve.ts': "import { app } from './app';\nimport { mountAll } from './mount';\nmountAll(app);\n",
      'server/mount.ts': "export function mountAll(app) { app.get('/a', (c) => c.text('a')); }\n",
      'web/client.ts':
        "import type { App } from '../server/app';\nimport { api } from './api';\nexport const c = api<App>();\n",
      'web/api.ts': 'export const api = () => 1;\n',
      'web/Page.tsx':
        "import React from 'react';\nimport { app } from '../server/app';\nexport const Page = () => null;\n",
      'server/widget.ts': "'use client';\nexport const w = 1;\n",
      'server/uses-widget.ts':
        "import { app } from './app';\nimport { w } from './widget';\napp.get('/w', (c) => c.json(w));\n",
    });
    const scope = graphScope(new Modules(code, []), code.files);
    expect([...scope].map((f) => f.path).sort()).toEqual([
      'server/app.ts',
      'server/mount.ts',
      'server/serve.ts',
      'server/uses-widget.ts',
    ]);
    expect(parsed).toEqual([]);
  });

  it('walks through a module with no function (a data table) without keeping it, and keeps what it imports', () => {
    const { code, parsed } = model({
      'server/app.ts':
        "import express from 'express';\nimport { bots } from './bots';\nimport { mount } from './mount';\nexport const app = express();\nmount(app, bots);\n",
      // Generated data: nothing in it can receive a router.
      'server/bots.ts': "import { extra } from './extra';\nexport const bots = [{ name: 'a' }, ...extra];\n",
      // Imported only through the table, but declares functions: it may be handed one.
      'server/extra.ts': "export const extra = [];\nexport const register = (r) => r.get('/e', () => 1);\n",
      // A method with a return type is a function too.
      'server/mount.ts':
        "export const m = { mount(app): void { app.get('/m', () => 1); } };\nexport const mount = m.mount;\n",
    });
    const scope = graphScope(new Modules(code, []), code.files);
    expect([...scope].map((f) => f.path).sort()).toEqual(['server/app.ts', 'server/extra.ts', 'server/mount.ts']);
    expect(parsed).toEqual([]);
  });

  it('finds the routes of a router handed on through a data module to a function of the module it re-exports', async () => {
    const routes = await routeList({
      'src/app.ts':
        "import express from 'express';\nimport { table, mount } from './table';\nconst app = express();\nmount(app, table);\napp.listen(3000);\n",
      // No function of its own: walked through, not kept; what it re-exports still is.
      'src/table.ts': "export { mount } from './mount';\nexport const table = [{ path: '/t' }];\n",
      'src/mount.ts': "export function mount(app, rows) {\n  app.get('/t', (req, res) => res.json(rows));\n}\n",
    });
    expect(routes).toEqual(['GET /t src/mount.ts:2 src/app.ts#app']);
  });

  it('holds files registering literal routes when plugins are autoloaded from a folder', () => {
    const { code } = model({
      'app.ts':
        "import Fastify from 'fastify';\nimport AutoLoad from '@fastify/autoload';\nFastify().register(AutoLoad, { dir: 'routes' });\n",
      'routes/users.js': "module.exports = async function (f) { f.get('/users', async () => []); };\n",
      'lib/other.js': 'module.exports = 1;\n',
    });
    const scope = graphScope(new Modules(code, []), code.files);
    expect([...scope].map((f) => f.path).sort()).toEqual(['app.ts', 'routes/users.js']);
  });
});

describe('files only handed a router (collected when asked)', () => {
  it('are read for the calls they pass the router on with, under any name they import the function by', async () => {
    const routes = await routeList({
      'src/app.ts': [
        "import express from 'express';",
        "import { setup } from './setup';",
        'const app = express();',
        'setup(app);',
        'app.listen(3000);',
      ].join('\n'),
      // No verb, factory or default export: deferred, then read because it calls `mount` under another name.
      'src/setup.ts': "import { mount as attach } from './mount';\nexport function setup(a) {\n  attach(a);\n}\n",
      'src/mount.ts': "export function mount(r) {\n  r.post('/items', (req, res) => res.json({}));\n}\n",
      // Deferred and never asked about: holds no call of a function the graph follows.
      'src/domain.ts': "import { mount } from './mount';\nexport function price(n: number) {\n  return n * 2;\n}\n",
    });
    expect(routes).toEqual(['POST /items src/mount.ts:2 src/app.ts#app']);
  });

  it('are told apart by their text: a verb, a factory, a served member or a computed call is collected up front', () => {
    const sites = new CallSites(
      { verbs: new Set(['get', 'all', 'use']), factories: new Set(['express', 'Hono']), reads: new Set(['fetch']) },
      ['serve'],
    );
    const file = (content: string) => ({ path: 'a.ts', text: { path: 'a.ts', content } }) as unknown as CodeFile;
    // Collected up front: each can add to the lists the graph reads whole.
    expect(sites.mayAddToLists(file('export const f = (r) => r\n  .get("/x", h);'))).toBe(true);
    expect(sites.mayAddToLists(file('export const f = (r) => r?.use(m);'))).toBe(true);
    expect(sites.mayAddToLists(file('export const make = () => express<App>();'))).toBe(true);
    expect(sites.mayAddToLists(file('export const make = () => new Hono;'))).toBe(true);
    expect(sites.mayAddToLists(file('export const s = (a) => serve(a);'))).toBe(true);
    expect(sites.mayAddToLists(file('export default { fetch: app.fetch };'))).toBe(true);
    expect(sites.mayAddToLists(file('export const f = (r, m) => r[m]("/x", h);'))).toBe(true);
    // Deferred: `Promise.all` is no registration, a name only mentioned is no call.
    expect(sites.mayAddToLists(file('export const f = async (xs) => Promise.all(xs.map(load));'))).toBe(false);
    expect(sites.mayAddToLists(file('// built with express\nexport const expressive = 1;\nconst Hono2 = 2;'))).toBe(
      false,
    );
  });
});
