/**
 * Routers reached as members: an app passed inside a context object (`registerX({ app, db })`), and
 * @overnightjs/core controllers registered by a class that extends its `Server` (issue 17).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanTrees, endpointList, routeList } from './routes-helpers.js';

afterEach(cleanTrees);

describe('an app passed as a property of an object argument', () => {
  const server = [
    "import { Hono } from 'hono';",
    "import { serve } from '@hono/node-server';",
    "import { registerRoutes } from './routes';",
    'export function createServer(deps: { db: unknown }) {',
    '  const app = new Hono();',
    '  registerRoutes({ app, ...deps });',
    '  return { app };',
    '}',
    'serve({ fetch: createServer({ db: 1 }).app.fetch });',
  ].join('\n');

  it('follows a destructured parameter, a context passed on, and `context.app`', async () => {
    const routes = await routeList({
      'package.json': '{ "dependencies": { "hono": "4.0.0" } }',
      'src/server.ts': server,
      'src/routes.ts': [
        "import type { Context } from './types';",
        "import { registerUsers } from './users';",
        'export function registerRoutes(context: Context) {',
        '  registerUsers(context);',
        "  context.app.get('/api/health', (c) => c.json({ ok: true }));",
        '}',
      ].join('\n'),
      'src/users.ts': [
        "import type { Context } from './types';",
        'export function registerUsers(context: Context) {',
        '  listUsers(context);',
        '  deleteUser({ ...context });',
        '}',
        'function listUsers({ app, db }: Context) {',
        "  app.get('/api/users', (c) => c.json([db]));",
        '}',
        'function deleteUser(context: Context) {',
        '  const { app } = context;',
        "  app.delete('/api/users/:id', (c) => c.body(null, 204));",
        '}',
      ].join('\n'),
      'src/types.ts': "import type { Hono } from 'hono';\nexport type Context = { app: Hono; db: unknown };\n",
    });
    expect(routes).toEqual([
      'DELETE /api/users/{id} src/users.ts:11 src/server.ts#app',
      'GET /api/health src/routes.ts:5 src/server.ts#app',
      'GET /api/users src/users.ts:7 src/server.ts#app',
    ]);
  });

  it('follows a nested property path', async () => {
    const routes = await routeList({
      'package.json': '{ "dependencies": { "express": "4.0.0" } }',
      'src/app.ts': [
        "import express from 'express';",
        "import { mount } from './routes';",
        'const app = express();',
        'mount({ http: { router: app } });',
        'app.listen(3000);',
      ].join('\n'),
      'src/routes.ts': [
        'export function mount({ http: { router } }: any) {',
        "  router.get('/v1/items', (req: any, res: any) => res.json([]));",
        '}',
      ].join('\n'),
    });
    expect(routes).toEqual(['GET /v1/items src/routes.ts:2 src/app.ts#app']);
  });
});

describe('@overnightjs/core', () => {
  const files = {
    'package.json': '{ "dependencies": { "@overnightjs/core": "1.7.6", "express": "4.0.0" } }',
    'src/app.ts': [
      "import { Server } from '@overnightjs/core';",
      "import { json } from 'express';",
      "import { Users } from './controllers/Users';",
      "import { V1 } from './controllers/v1';",
      "import { requireKey } from './auth';",
      'const server = new (class extends Server {',
      '  public constructor() {',
      '    super();',
      '    this.app.use(json());',
      '    this.addControllers([new Users(), new V1()]);',
      '  }',
      '})();',
      'server.app.listen(4000);',
      '',
      'export class Admin extends Server {',
      '  constructor() {',
      '    super();',
      "    this.app.get('/admin/ping', (req, res) => res.send('ok'));",
      '    super.addControllers(new Users(), undefined, requireKey);',
      '  }',
      '}',
      'new Admin().app.listen(4001);',
    ].join('\n'),
    'src/auth.ts': [
      "import type { Request, Response, NextFunction } from 'express';",
      'export function requireKey(req: Request, res: Response, next: NextFunction) {',
      "  if (!req.headers.authorization) return res.status(401).json({ error: 'unauthorized' });",
      '  next();',
      '}',
      'export const isAuthenticated = requireKey;',
    ].join('\n'),
    'src/controllers/Users.ts': [
      "import { ClassMiddleware, Controller, Delete, Get, Middleware, Post } from '@overnightjs/core';",
      "import type { Request, Response } from 'express';",
      "import { isAuthenticated } from '../auth';",
      "@Controller('users')",
      'export class Users {',
      "  @Get('')",
      '  public list(req: Request, res: Response) {',
      '    return res.json([]);',
      '  }',
      "  @Get('id/:id')",
      '  @Middleware([isAuthenticated])',
      '  public async get(req: Request, res: Response) {',
      '    return res.json({ id: req.params.id });',
      '  }',
      "  @Delete('id/:id')",
      '  @Middleware(isAuthenticated)',
      '  public remove = async (req: Request, res: Response) => res.status(204).end();',
      '  public helper() {}',
      '}',
      '',
      "@Controller('open')",
      '@ClassMiddleware([isAuthenticated])',
      'export class Guarded {',
      '  @Post()',
      '  public create(req: Request, res: Response) {',
      '    return res.status(201).json({});',
      '  }',
      '}',
    ].join('\n'),
    'src/controllers/v1/index.ts': [
      "import { ChildControllers, Controller, Middleware, Post } from '@overnightjs/core';",
      "import type { Request, Response } from 'express';",
      "import { isAuthenticated } from '../../auth';",
      "import { Guarded } from '../Users';",
      "import { Events } from './Events';",
      "@Controller('v1')",
      '@ChildControllers([new Events(), new Guarded()])',
      'export class V1 {',
      '  @Post()',
      "  @Post('track')",
      '  @Middleware([isAuthenticated])',
      '  public track(req: Request, res: Response) {',
      '    return res.json({ ok: true });',
      '  }',
      '}',
    ].join('\n'),
    'src/controllers/v1/Events.ts': [
      "import { Controller, Get } from '@overnightjs/core';",
      "import type { Request, Response } from 'express';",
      "@Controller('events')",
      'export class Events {',
      '  @Get()',
      '  public list(req: Request, res: Response) {',
      '    return res.json([]);',
      '  }',
      '}',
      '/** Not a controller: no @Controller, so never mounted. */',
      'export class Helper {',
      '  @Get()',
      '  public list() {}',
      '}',
    ].join('\n'),
  };

  it('reads controllers, several verbs on one method, children and the apps that add them', async () => {
    expect(await routeList(files)).toEqual([
      'DELETE /users/id/{id} src/controllers/Users.ts:15 src/app.ts#Admin',
      'DELETE /users/id/{id} src/controllers/Users.ts:15 src/app.ts#server',
      'GET /admin/ping src/app.ts:18 src/app.ts#Admin',
      'GET /users src/controllers/Users.ts:6 src/app.ts#Admin',
      'GET /users src/controllers/Users.ts:6 src/app.ts#server',
      'GET /users/id/{id} src/controllers/Users.ts:10 src/app.ts#Admin',
      'GET /users/id/{id} src/controllers/Users.ts:10 src/app.ts#server',
      'GET /v1/events src/controllers/v1/Events.ts:5 src/app.ts#server',
      'POST /v1 src/controllers/v1/index.ts:9 src/app.ts#server',
      'POST /v1/open src/controllers/Users.ts:24 src/app.ts#server',
      'POST /v1/track src/controllers/v1/index.ts:10 src/app.ts#server',
    ]);
  });

  it('applies @Middleware, @ClassMiddleware and the middleware given to addControllers', async () => {
    const auth = (await endpointList(files)).map((line) => {
      const parts = line.split(' ');
      return `${parts[0]} ${parts[1]} ${parts[3]} ${parts.at(-1)}`;
    });
    expect(auth).toEqual([
      'DELETE /users/id/{id} src/app.ts#Admin auth=requireKey+isAuthenticated',
      'DELETE /users/id/{id} src/app.ts#server auth=isAuthenticated',
      'GET /admin/ping src/app.ts#Admin auth=none',
      'GET /users src/app.ts#Admin auth=requireKey',
      'GET /users src/app.ts#server auth=none',
      'GET /users/id/{id} src/app.ts#Admin auth=requireKey+isAuthenticated',
      'GET /users/id/{id} src/app.ts#server auth=isAuthenticated',
      'GET /v1/events src/app.ts#server auth=none',
      'POST /v1 src/app.ts#server auth=isAuthenticated',
      'POST /v1/open src/app.ts#server auth=isAuthenticated',
      'POST /v1/track src/app.ts#server auth=isAuthenticated',
    ]);
  });
});

describe('Fastify all()', () => {
  it('reads `all` as a route for every method, in nested plugins and inside a bare block', async () => {
    const routes = await routeList({
      'package.json': '{ "dependencies": { "fastify": "5.0.0" } }',
      'src/index.ts': [
        "import Fastify from 'fastify';",
        'const server = Fastify();',
        'server.register(async (fastify, options) => {',
        '  await fastify.register((fastify) => {',
        "    fastify.all('/api/auth/*', async () => options);",
        '  });',
        '});',
        'server.register(async (instance) => {',
        '  {',
        '    const h = 1;',
        "    instance.all('/ai/agents/*', { schema: {} }, async () => h);",
        '  }',
        "  instance.get('/x', async () => 1);",
        "}, { prefix: '/v1' });",
        'server.listen({ port: 3000 });',
      ].join('\n'),
    });
    expect(routes).toEqual([
      'ALL /api/auth/* src/index.ts:5 src/index.ts#server',
      'ALL /v1/ai/agents/* src/index.ts:11 src/index.ts#server',
      'GET /v1/x src/index.ts:13 src/index.ts#server',
    ]);
  });
});

describe('a project class that extends a framework app class', () => {
  it('is that app: `new App()` and `this` inside it', async () => {
    const routes = await routeList({
      'package.json': '{ "dependencies": { "koa": "2.0.0", "@koa/router": "12.0.0" } }',
      'src/app.ts': [
        "import Koa from 'koa';",
        "import Router from '@koa/router';",
        'class Base extends Koa {}',
        'export class App extends Base {',
        '  constructor() {',
        '    super();',
        "    const router = new Router({ prefix: '/v1' });",
        "    router.get('/items', (ctx) => { ctx.body = []; });",
        '    this.use(router.routes());',
        '  }',
        '}',
        'new App().listen(3000);',
      ].join('\n'),
    });
    expect(routes).toEqual(['GET /v1/items src/app.ts:8 src/app.ts#App']);
  });
});
