/** Route extraction: exact route lists per framework, with prefixes resolved across files. */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanTrees, routeList } from './routes-helpers.js';

afterEach(cleanTrees);

describe('Express', () => {
  it('resolves routers mounted in other files, nested, with const and template prefixes and tsconfig paths', async () => {
    const routes = await routeList({
      'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"] } } }',
      'src/app.ts': [
        "import express from 'express';",
        "import { api } from '@/routes';",
        "import { API_PREFIX } from './config';",
        'const app = express();',
        "app.get('/health', (_req, res) => res.json({ ok: true }));",
        'app.use(`${API_PREFIX}/v1`, api);',
        'app.listen(3000);',
      ].join('\n'),
      'src/config.ts': "export const API_PREFIX = '/api';\n",
      'src/routes/index.ts': [
        "import { Router } from 'express';",
        "import users from './users.js';",
        'export const api = Router();',
        "api.use('/users', users);",
      ].join('\n'),
      'src/routes/users.ts': [
        "import express from 'express';",
        'const router = express.Router();',
        "router.get('/', list);",
        "router.route('/:id').get(show).put(update);",
        "router.all('/:id/audit', show);",
        'function list(_req: unknown, res: any) { res.json([]); }',
        'function show() {}',
        'function update() {}',
        'export default router;',
      ].join('\n'),
    });
    expect(routes).toEqual([
      'ALL /api/v1/users/{id}/audit src/routes/users.ts:5 src/app.ts#app',
      'GET /api/v1/users src/routes/users.ts:3 src/app.ts#app',
      'GET /api/v1/users/{id} src/routes/users.ts:4 src/app.ts#app',
      'GET /health src/app.ts:5 src/app.ts#app',
      'PUT /api/v1/users/{id} src/routes/users.ts:4 src/app.ts#app',
    ]);
  });

  it('follows apps passed to functions, class routers, CommonJS and mounted sub-apps', async () => {
    const routes = await routeList({
      'server.js': [
        "const express = require('express');",
        "const registerRoutes = require('./routes');",
        "const { OrdersRoutes } = require('./orders');",
        "const admin = require('./admin');",
        'const app = express();',
        'registerRoutes(app);',
        "app.use('/orders', new OrdersRoutes().router);",
        "app.use('/admin', admin);",
        'app.listen(3000);',
      ].join('\n'),
      'routes.js': [
        'module.exports = function (app) {',
        "  app.get('/ping', (req, res) => res.send('pong'));",
        '};',
      ].join('\n'),
      'orders.js': [
        "const { Router } = require('express');",
        'class OrdersRoutes {',
        '  router = Router();',
        "  constructor() { this.router.post('/', this.create); }",
        '  create(req, res) { res.status(201).json({}); }',
        '}',
        'module.exports = { OrdersRoutes };',
      ].join('\n'),
      'admin.js': [
        "const express = require('express');",
        'const admin = express();',
        "admin.delete('/cache', (req, res) => res.sendStatus(204));",
        'module.exports = admin;',
      ].join('\n'),
    });
    expect(routes).toEqual([
      'DELETE /admin/cache admin.js:3 server.js#app',
      'GET /ping routes.js:2 server.js#app',
      'POST /orders orders.js:4 server.js#app',
    ]);
  });

  it('keeps a route whose prefix cannot be resolved, at low confidence', async () => {
    const routes = await routeList({
      'app.ts': [
        "import express from 'express';",
        "import { Router } from 'express';",
        'const app = express();',
        'const r = Router();',
        "r.get('/items', (_q, s) => s.json([]));",
        'app.use(process.env.PREFIX!, r);',
        "app.get('setting');",
      ].join('\n'),
    });
    expect(routes).toEqual(['GET /<process.env.PREFIX>/items app.ts:5 app.ts#app low']);
  });
});

describe('Fastify', () => {
  it('registers plugins with nested prefixes across files, fastify-plugin without one, route() with method arrays', async () => {
    const routes = await routeList({
      'src/server.ts': [
        "import Fastify from 'fastify';",
        "import { v1 } from './v1';",
        "import shared from './shared';",
        'const app = Fastify({ logger: true });',
        "app.get('/healthz', async () => ({ ok: true }));",
        "app.register(v1, { prefix: '/api/v1' });",
        'app.register(shared);',
        'await app.listen({ port: 3000 });',
      ].join('\n'),
      'src/v1.ts': [
        "import type { FastifyInstance } from 'fastify';",
        "import users from './users';",
        'export async function v1(f: FastifyInstance) {',
        "  f.register(users, { prefix: '/users' });",
        "  f.route({ method: ['GET', 'HEAD'], url: '/status', handler: async () => 'ok' });",
        '}',
      ].join('\n'),
      'src/users.ts': [
        "import type { FastifyPluginAsync } from 'fastify';",
        'const users: FastifyPluginAsync = async (fastify) => {',
        "  fastify.get('/', async () => []);",
        "  fastify.post('/:id', { schema: {} }, async () => ({}));",
        '};',
        'export default users;',
      ].join('\n'),
      'src/shared.ts': [
        "import fp from 'fastify-plugin';",
        'export default fp(async (instance) => {',
        "  instance.get('/metrics', async () => '');",
        '});',
      ].join('\n'),
    });
    expect(routes).toEqual([
      'GET /api/v1/status src/v1.ts:5 src/server.ts#app',
      'GET /api/v1/users src/users.ts:3 src/server.ts#app',
      'GET /healthz src/server.ts:5 src/server.ts#app',
      'GET /metrics src/shared.ts:3 src/server.ts#app',
      'HEAD /api/v1/status src/v1.ts:5 src/server.ts#app',
      'POST /api/v1/users/{id} src/users.ts:4 src/server.ts#app',
    ]);
  });

  it('prefixes @fastify/autoload plugins with their folder', async () => {
    const routes = await routeList({
      'app.ts': [
        "import Fastify from 'fastify';",
        "import AutoLoad from '@fastify/autoload';",
        "import { join } from 'node:path';",
        'const app = Fastify();',
        "app.register(AutoLoad, { dir: join(__dirname, 'routes'), options: { prefix: '/api' } });",
      ].join('\n'),
      'routes/root.ts': "export default async function (fastify: any) { fastify.get('/', async () => ({})); }\n",
      'routes/users/index.ts':
        "export default async function (fastify: any) { fastify.get('/:id', async () => ({})); }\n",
    });
    expect(routes).toEqual([
      'GET /api routes/root.ts:1 app.ts#app',
      'GET /api/users/{id} routes/users/index.ts:1 app.ts#app',
    ]);
  });
});

describe('NestJS', () => {
  it('applies global prefix (with exclude), URI versioning, controller and method versions, RouterModule paths', async () => {
    const routes = await routeList({
      'src/main.ts': [
        "import { NestFactory } from '@nestjs/core';",
        "import { VersioningType } from '@nestjs/common';",
        "import { AppModule } from './app.module';",
        'async function bootstrap() {',
        '  const app = await NestFactory.create(AppModule);',
        "  app.setGlobalPrefix('api', { exclude: ['health'] });",
        "  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });",
        '  await app.listen(3000);',
        '}',
        'bootstrap();',
      ].join('\n'),
      'src/app.module.ts': [
        "import { Module } from '@nestjs/common';",
        "import { RouterModule } from '@nestjs/core';",
        "import { CatsModule } from './cats/cats.module';",
        "import { HealthController } from './health.controller';",
        "import { AdminModule } from './admin.module';",
        '@Module({',
        "  imports: [CatsModule, AdminModule, RouterModule.register([{ path: 'admin', module: AdminModule }])],",
        '  controllers: [HealthController],',
        '})',
        'export class AppModule {}',
      ].join('\n'),
      'src/cats/cats.module.ts': [
        "import { Module } from '@nestjs/common';",
        "import { CatsController } from './cats.controller';",
        '@Module({ controllers: [CatsController] })',
        'export class CatsModule {}',
      ].join('\n'),
      'src/cats/cats.controller.ts': [
        "import { All, Controller, Get, Post, Version, VERSION_NEUTRAL } from '@nestjs/common';",
        "@Controller('cats')",
        'export class CatsController {',
        '  @Get()',
        '  findAll() { return []; }',
        "  @Post(':id/toys')",
        "  @Version('2')",
        '  addToy() {}',
        "  @All('legacy')",
        '  @Version(VERSION_NEUTRAL)',
        '  legacy() {}',
        '}',
      ].join('\n'),
      'src/health.controller.ts': [
        "import { Controller, Get } from '@nestjs/common';",
        "@Controller('health')",
        'export class HealthController {',
        '  @Get()',
        '  check() {}',
        '}',
      ].join('\n'),
      'src/admin.module.ts': [
        "import { Controller, Get, Module } from '@nestjs/common';",
        "@Controller({ path: 'stats', version: ['1', '2'] })",
        'export class StatsController {',
        '  @Get()',
        '  get() {}',
        '}',
        '@Module({ controllers: [StatsController] })',
        'export class AdminModule {}',
      ].join('\n'),
    });
    expect(routes).toEqual([
      'ALL /api/cats/legacy src/cats/cats.controller.ts:9 src/main.ts#app',
      'GET /api/v1/admin/stats src/admin.module.ts:4 src/main.ts#app',
      'GET /api/v1/cats src/cats/cats.controller.ts:4 src/main.ts#app',
      'GET /api/v2/admin/stats src/admin.module.ts:4 src/main.ts#app',
      'GET /v1/health src/health.controller.ts:4 src/main.ts#app',
      'POST /api/v2/cats/{id}/toys src/cats/cats.controller.ts:6 src/main.ts#app',
    ]);
  });
});

describe('Hono', () => {
  it('resolves route(prefix, sub), basePath, chained routes, on() and openapi(createRoute())', async () => {
    const routes = await routeList({
      'src/index.ts': [
        "import { Hono } from 'hono';",
        "import { books } from './books';",
        "import { docs } from './docs';",
        "const app = new Hono().basePath('/api');",
        "app.route('/v1/books', books);",
        "app.route('/docs', docs);",
        "app.get('/health', (c) => c.text('ok'));",
        'export default app;',
      ].join('\n'),
      'src/books.ts': [
        "import { Hono } from 'hono';",
        'export const books = new Hono()',
        "  .get('/', (c) => c.json([]))",
        "  .post('/', (c) => c.json({}, 201));",
        "books.on(['PUT', 'PATCH'], '/:id', (c) => c.json({}));",
      ].join('\n'),
      'src/docs.ts': [
        "import { OpenAPIHono, createRoute } from '@hono/zod-openapi';",
        'export const docs = new OpenAPIHono();',
        "const route = createRoute({ method: 'get', path: '/users/{id}', responses: {} });",
        'docs.openapi(route, (c) => c.json({}));',
      ].join('\n'),
    });
    expect(routes).toEqual([
      'GET /api/docs/users/{id} src/docs.ts:4 src/index.ts#app',
      'GET /api/health src/index.ts:7 src/index.ts#app',
      'GET /api/v1/books src/books.ts:3 src/index.ts#app',
      'PATCH /api/v1/books/{id} src/books.ts:5 src/index.ts#app',
      'POST /api/v1/books src/books.ts:4 src/index.ts#app',
      'PUT /api/v1/books/{id} src/books.ts:5 src/index.ts#app',
    ]);
  });
});

describe('Koa', () => {
  it('applies router prefixes, router.use(prefix, other.routes()) and koa-mount', async () => {
    const routes = await routeList({
      'app.ts': [
        "import Koa from 'koa';",
        "import mount from 'koa-mount';",
        "import Router from '@koa/router';",
        "import { users } from './users';",
        "import { legacy } from './legacy';",
        'const app = new Koa();',
        "const api = new Router({ prefix: '/api' });",
        "api.use('/v1', users.routes());",
        "api.get('/ping', (ctx) => { ctx.body = 'pong'; });",
        'app.use(api.routes()).use(api.allowedMethods());',
        "app.use(mount('/old', legacy));",
        'app.listen(3000);',
      ].join('\n'),
      'users.ts': [
        "import Router from 'koa-router';",
        "export const users = new Router({ prefix: '/users' });",
        "users.get('/:id', (ctx) => { ctx.body = {}; });",
        "users.del('/:id', (ctx) => { ctx.status = 204; });",
      ].join('\n'),
      'legacy.ts': [
        "import Koa from 'koa';",
        "import Router from '@koa/router';",
        'export const legacy = new Koa();',
        'const r = new Router();',
        "r.get('/orders', (ctx) => { ctx.body = []; });",
        'legacy.use(r.routes());',
      ].join('\n'),
    });
    expect(routes).toEqual([
      'DELETE /api/v1/users/{id} users.ts:4 app.ts#app',
      'GET /api/ping app.ts:9 app.ts#app',
      'GET /api/v1/users/{id} users.ts:3 app.ts#app',
      'GET /old/orders legacy.ts:5 app.ts#app',
    ]);
  });
});

describe('Next.js', () => {
  it('reads app/**/route.ts exports and pages/api handlers, with groups, dynamic segments and basePath', async () => {
    const routes = await routeList({
      'next.config.mjs': "export default { basePath: '/shop' };\n",
      'app/(store)/api/v1/products/[id]/route.ts': [
        "import { NextResponse } from 'next/server';",
        'export async function GET() { return NextResponse.json({}); }',
        'export const DELETE = async () => new Response(null, { status: 204 });',
      ].join('\n'),
      'app/api/files/[...path]/route.ts':
        'const handler = () => new Response();\nexport { handler as GET, handler as POST };\n',
      'app/_internal/route.ts': 'export function GET() {}\n',
      'pages/api/orders/index.ts': [
        'export default function handler(req: any, res: any) {',
        "  if (req.method === 'POST') return res.status(201).json({});",
        "  if (req.method !== 'GET') return res.status(405).end();",
        '  res.json([]);',
        '}',
      ].join('\n'),
      'pages/api/hello.ts': 'export default (req: any, res: any) => res.json({ hi: 1 });\n',
    });
    expect(routes).toEqual([
      'ALL /shop/api/hello pages/api/hello.ts:1 next.config.mjs#nextjs',
      'DELETE /shop/api/v1/products/{id} app/(store)/api/v1/products/[id]/route.ts:3 next.config.mjs#nextjs',
      'GET /shop/api/files/{path} app/api/files/[...path]/route.ts:1 next.config.mjs#nextjs',
      'GET /shop/api/orders pages/api/orders/index.ts:1 next.config.mjs#nextjs',
      'GET /shop/api/v1/products/{id} app/(store)/api/v1/products/[id]/route.ts:2 next.config.mjs#nextjs',
      'POST /shop/api/files/{path} app/api/files/[...path]/route.ts:1 next.config.mjs#nextjs',
      'POST /shop/api/orders pages/api/orders/index.ts:1 next.config.mjs#nextjs',
    ]);
  });
});

describe('Next.js route builders', () => {
  it('reads a pages/api default export built by a chain of method calls, one route per method call', async () => {
    // jitsu's console: createRoute().GET({…}).handler(fn).toNextApiHandler().
    const routes = await routeList({
      'package.json': '{ "dependencies": { "next": "14.0.0" } }',
      'lib/api.ts': [
        'export function createRoute(): any {',
        '  const builder: any = {};',
        "  for (const m of ['GET', 'POST']) builder[m] = () => ({ handler: () => builder });",
        '  builder.toNextApiHandler = () => (req: any, res: any) => res.end();',
        '  return builder;',
        '}',
      ].join('\n'),
      'pages/api/[workspaceId]/domain-check.ts': [
        "import { createRoute } from '../../../lib/api';",
        'export default createRoute()',
        '  .GET({ auth: true })',
        '  .handler(async ({ query }: any) => ({ ok: true }))',
        '  .POST({ auth: true })',
        '  .handler(async ({ body }: any) => body)',
        '  .toNextApiHandler();',
      ].join('\n'),
      // A chain with no call named for a method: the wrapped handler, any method.
      'pages/api/ping.ts': [
        "import { wrap } from '../../lib/wrap';",
        'export default wrap(async (req: any, res: any) => res.json({ ok: true })).withLogging();',
      ].join('\n'),
      'lib/wrap.ts': 'export const wrap = (h: any) => ({ withLogging: () => h });\n',
    });
    expect(routes).toEqual([
      'ALL /api/ping pages/api/ping.ts:2 package.json#nextjs',
      'GET /api/{workspaceId}/domain-check pages/api/[workspaceId]/domain-check.ts:3 package.json#nextjs',
      'POST /api/{workspaceId}/domain-check pages/api/[workspaceId]/domain-check.ts:5 package.json#nextjs',
    ]);
  });
});

describe('Next.js route folders named like tests', () => {
  it('keeps a route whose URL segments read like test folders, not a test file or a test app', async () => {
    // dub: a "send test" action and a cron job that cleans up after the e2e suite are routes.
    const routes = await routeList({
      'package.json': '{ "dependencies": { "next": "15.0.0" } }',
      'app/api/postbacks/[id]/send-test/route.ts': 'export async function POST() { return Response.json({}); }\n',
      'app/api/cron/cleanup/e2e-tests/route.ts': 'export async function GET() { return Response.json({}); }\n',
      'app/api/items/__tests__/route.test.ts': 'export async function GET() { return Response.json([]); }\n',
      'e2e/app/api/fake/route.ts': 'export async function GET() { return Response.json({}); }\n',
    });
    expect(routes).toEqual([
      'GET /api/cron/cleanup/e2e-tests app/api/cron/cleanup/e2e-tests/route.ts:1 package.json#nextjs',
      'POST /api/postbacks/{id}/send-test app/api/postbacks/[id]/send-test/route.ts:1 package.json#nextjs',
    ]);
  });
});

describe('routers handed around', () => {
  it('follows routers received as a rest-parameter tuple and routers returned in an array and mounted in a loop', async () => {
    const routes = await routeList({
      'src/app.ts': [
        "import Koa from 'koa';",
        "import { createRouters } from './routers';",
        'const app = new Koa();',
        'for (const router of createRouters()) app.use(router.routes());',
        'app.listen(3000);',
      ].join('\n'),
      'src/routers.ts': [
        "import Router from '@koa/router';",
        "import statusRoutes from './status';",
        'export function createRouters() {',
        "  const api = new Router({ prefix: '/api' });",
        '  const open = new Router();',
        '  statusRoutes(open, { id: 1 });',
        "  api.get('/users', (ctx) => { ctx.body = []; });",
        '  return [api, open];',
        '}',
      ].join('\n'),
      'src/status.ts': [
        'type Args<T> = [router: T, tenant: { id: number }];',
        'export default function statusRoutes<T extends { get: Function }>(...[router, tenant]: Args<T>) {',
        "  router.get('/status', (ctx: any) => { ctx.status = 204; });",
        '}',
      ].join('\n'),
    });
    expect(routes).toEqual([
      'GET /api/users src/routers.ts:7 src/app.ts#app',
      'GET /status src/status.ts:3 src/app.ts#app',
    ]);
  });
});

describe('workspace packages', () => {
  it('resolves a sibling package by name through exports, main built from src and subpaths; a broken manifest or a framework fork changes nothing', async () => {
    const routes = await routeList({
      'package.json': '{ "name": "acme", "workspaces": ["apps/*", "packages/*"] }',
      'packages/broken/package.json': '{ "name": ',
      'packages/express/package.json': '{ "name": "express", "main": "index.js" }',
      'packages/express/index.js': 'module.exports = function fake() {};\n',
      'packages/orders/package.json': '{ "name": "@acme/orders", "main": "./dist/index.js" }',
      'packages/orders/src/index.ts':
        "import { Router } from 'express';\nexport const orders = Router();\norders.get('/', (q, s) => s.json([]));\n",
      'packages/users/package.json':
        '{ "name": "@acme/users", "exports": { "./routes": { "types": "./src/routes.ts", "default": "./dist/routes.js" } } }',
      'packages/users/src/routes.ts':
        "import { Router } from 'express';\nconst users = Router();\nusers.get('/:id', (q, s) => s.json({}));\nexport default users;\n",
      'apps/api/src/app.ts': [
        "import express from 'express';",
        "import { orders } from '@acme/orders';",
        "import users from '@acme/users/routes';",
        'const app = express();',
        "app.use('/orders', orders);",
        "app.use('/users', users);",
        'app.listen(1);',
      ].join('\n'),
    });
    expect(routes).toEqual([
      'GET /orders packages/orders/src/index.ts:3 apps/api/src/app.ts#app',
      'GET /users/{id} packages/users/src/routes.ts:3 apps/api/src/app.ts#app',
    ]);
  });
});
