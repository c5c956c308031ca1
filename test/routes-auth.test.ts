/** What the routes input says about authentication (Endpoint.auth) and rate limiting (Service.rateLimitModules). */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanTrees, routesModel, tree } from './routes-helpers.js';

afterEach(cleanTrees);

/** `METHOD path → guards` (`[]` none, `?` unknown, `public: …` opted out), sorted. */
async function authOf(files: Record<string, string>): Promise<string[]> {
  const model = await routesModel(tree(files));
  return model.endpoints
    .map((e) => {
      const method = e.allMethods ? 'ALL' : e.method.toUpperCase();
      const auth =
        e.auth === undefined ? '?' : `[${e.auth.guards.join(', ')}]${e.auth.optOut ? ` public: ${e.auth.optOut}` : ''}`;
      return `${method} ${e.path} → ${auth}`;
    })
    .sort();
}

async function limitersOf(files: Record<string, string>): Promise<Array<[string, string[] | undefined]>> {
  const model = await routesModel(tree(files));
  return model.services.map((s) => [s.id, s.rateLimitModules]);
}

describe('Express auth', () => {
  it('follows app/router use in registration order, path-scoped use, mount middleware and route middleware', async () => {
    const auth = await authOf({
      'app.ts': [
        "import express from 'express';",
        "import passport from 'passport';",
        "import session from 'express-session';",
        "import { admin } from './admin';",
        "import { api } from './api';",
        'const app = express();',
        'app.use(express.json());',
        'app.use(session({ secret: process.env.S! }));',
        "app.get('/login', (req, res) => res.json({}));",
        "app.use('/admin', passport.authenticate('jwt', { session: false }), admin);",
        "app.use('/api', api);",
        'app.listen(3000);',
      ].join('\n'),
      'admin.ts': [
        "import { Router } from 'express';",
        'export const admin = Router();',
        "admin.get('/stats', (req, res) => res.json({}));",
      ].join('\n'),
      'api.ts': [
        "import { Router } from 'express';",
        "import { checkToken } from './check';",
        'export const api = Router();',
        "api.get('/status', (req, res) => res.json({}));",
        'api.use(checkToken);',
        "api.get('/orders', (req, res) => res.json({}));",
        "api.post('/orders', isLoggedIn, (req, res) => res.json({}));",
        'function isLoggedIn(req: any, res: any, next: any) { next(); }',
      ].join('\n'),
      // Named neutrally, but verifies a JWT: an auth middleware all the same.
      'check.ts': [
        "import jwt from 'jsonwebtoken';",
        'export function checkToken(req: any, res: any, next: any) { jwt.verify(req.headers.authorization, KEY); next(); }',
      ].join('\n'),
    });
    expect(auth).toEqual([
      "GET /admin/stats → [passport.authenticate('jwt', { session:…]",
      'GET /api/orders → [checkToken]',
      'GET /api/status → []',
      'GET /login → []',
      'POST /api/orders → [checkToken, isLoggedIn]',
    ]);
  });

  it('knows a body that answers 401, and leaves routers no app mounts unknown', async () => {
    const auth = await authOf({
      'app.ts': [
        "import express from 'express';",
        'const app = express();',
        "app.use((req, res, next) => (req.headers['x-api-key'] ? next() : res.status(401).json({ error: { code: 'NO_KEY', message: 'no key' } })));",
        "app.get('/things', (req, res) => res.json([]));",
        'app.listen(1);',
      ].join('\n'),
      'orphan.ts': [
        "import { Router } from 'express';",
        'export const r = Router();',
        "r.get('/loose', (req, res) => res.json({}));",
      ].join('\n'),
    });
    expect(auth).toEqual(['GET /loose → ?', 'GET /things → [inline middleware]']);
  });

  it('treats an implicit global `app = express()` as a service', async () => {
    const model = await routesModel(
      tree({
        'server.js':
          "const express = require('express');\napp = express();\napp.get('/x', (req, res) => res.json({}));\napp.listen(3000);\n",
      }),
    );
    expect(model.services.map((s) => s.id)).toEqual(['server.js#app']);
    expect(model.endpoints.map((e) => `${e.serviceId} ${e.path} ${e.confidence}`)).toEqual(['server.js#app /x high']);
  });
});

describe('auth in the other frameworks', () => {
  it('Fastify: onRequest hooks cover the context and the plugins it registers; route options count', async () => {
    const auth = await authOf({
      'server.ts': [
        "import Fastify from 'fastify';",
        'const app = Fastify();',
        "app.get('/public', async () => ({}));",
        'app.register(async (api) => {',
        "  api.addHook('onRequest', api.authenticate);",
        "  api.get('/me', async () => ({}));",
        "}, { prefix: '/v1' });",
        "app.get('/report', { onRequest: [app.authenticate] }, async () => ({}));",
        'app.listen({ port: 1 });',
      ].join('\n'),
    });
    expect(auth).toEqual(['GET /public → []', 'GET /report → [app.authenticate]', 'GET /v1/me → [api.authenticate]']);
  });

  it('Hono: use with a path pattern, route middleware, hono/jwt and hono/bearer-auth', async () => {
    const auth = await authOf({
      'index.ts': [
        "import { Hono } from 'hono';",
        "import { jwt } from 'hono/jwt';",
        "import { bearerAuth } from 'hono/bearer-auth';",
        "import { logger } from 'hono/logger';",
        'const app = new Hono();',
        'app.use(logger());',
        "app.use('/api/*', jwt({ secret: process.env.S! }));",
        "app.get('/api/books', (c) => c.json([]));",
        "app.get('/open', (c) => c.json({}));",
        "app.post('/hooks', bearerAuth({ token: process.env.T! }), (c) => c.json({}));",
        'export default app;',
      ].join('\n'),
    });
    expect(auth).toEqual([
      'GET /api/books → [jwt({ secret: process.env.S! })]',
      'GET /open → []',
      'POST /hooks → [bearerAuth({ token: process.env.T! })]',
    ]);
  });

  it('Koa: app and router middleware in order', async () => {
    const auth = await authOf({
      'app.ts': [
        "import Koa from 'koa';",
        "import Router from '@koa/router';",
        "import jwt from 'koa-jwt';",
        'const app = new Koa();',
        'const open = new Router();',
        "open.get('/ping-me', (ctx) => { ctx.body = {}; });",
        'app.use(open.routes());',
        'app.use(jwt({ secret: process.env.S! }));',
        "const router = new Router({ prefix: '/v1' });",
        "router.get('/items', (ctx) => { ctx.body = []; });",
        'app.use(router.routes());',
        'app.listen(1);',
      ].join('\n'),
    });
    expect(auth).toEqual(['GET /ping-me → []', 'GET /v1/items → [jwt({ secret: process.env.S! })]']);
  });

  it('NestJS: global APP_GUARD and useGlobalGuards, @UseGuards on class and method, @Public() opt-outs; ThrottlerGuard is not auth', async () => {
    const auth = await authOf({
      'main.ts': [
        "import { NestFactory } from '@nestjs/core';",
        "import { AppModule } from './app.module';",
        'async function boot() { const app = await NestFactory.create(AppModule); app.useGlobalGuards(new RolesGuard()); await app.listen(3000); }',
        'class RolesGuard {}',
      ].join('\n'),
      'app.module.ts': [
        "import { Controller, Get, Module, Post, UseGuards } from '@nestjs/common';",
        "import { APP_GUARD } from '@nestjs/core';",
        "import { AuthGuard } from '@nestjs/passport';",
        "import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';",
        "import { Public } from './public';",
        "@Controller('v1/cats')",
        "@UseGuards(AuthGuard('jwt'))",
        'class Cats {',
        '  @Get() list() { return []; }',
        "  @Public() @Get('count') count() { return 1; }",
        '  @UseGuards(AdminGuard) @Post() create() { return {}; }',
        '}',
        'class AdminGuard {}',
        '@Module({ imports: [ThrottlerModule.forRoot([{ ttl: 60000, limit: 10 }])], controllers: [Cats], providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }] })',
        'export class AppModule {}',
      ].join('\n'),
      'public.ts':
        "import { SetMetadata } from '@nestjs/common';\nexport const Public = () => SetMetadata('isPublic', true);\n",
    });
    expect(auth).toEqual([
      "GET /v1/cats → [new RolesGuard(), AuthGuard('jwt')]",
      "GET /v1/cats/count → [new RolesGuard(), AuthGuard('jwt')] public: @Public()",
      "POST /v1/cats → [new RolesGuard(), AuthGuard('jwt'), AdminGuard]",
    ]);
  });

  it('NestJS: auth middleware applied in configure(consumer) runs for the forRoutes it names, minus exclude', async () => {
    const auth = await authOf({
      'main.ts':
        "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nNestFactory.create(AppModule);\n",
      'app.module.ts': [
        "import { Controller, Get, Module, Put, RequestMethod } from '@nestjs/common';",
        "@Controller('user') class UserController { @Get() me() { return {}; } @Put() update() { return {}; } }",
        "@Controller('tags') class TagsController { @Get() list() { return []; } @Get('mine') mine() { return []; } }",
        '@Module({ controllers: [UserController, TagsController] })',
        'export class AppModule {',
        '  configure(consumer: any) {',
        "    consumer.apply(AuthMiddleware).forRoutes({ path: 'user', method: RequestMethod.GET });",
        "    consumer.apply(SessionAuth).exclude('tags').forRoutes(TagsController);",
        '  }',
        '}',
        'class AuthMiddleware {}',
        'class SessionAuth {}',
      ].join('\n'),
    });
    expect(auth).toEqual([
      'GET /tags → []',
      'GET /tags/mine → [SessionAuth]',
      'GET /user → [AuthMiddleware]',
      'PUT /user → []',
    ]);
  });

  it('optional auth marks a route public rather than protected', async () => {
    const auth = await authOf({
      'app.ts': [
        "import express from 'express';",
        "import { auth } from './auth';",
        'const app = express();',
        "app.get('/articles', auth.optional, (q, s) => s.json([]));",
        "app.post('/articles', auth.required, (q, s) => s.json({}));",
        'app.listen(1);',
      ].join('\n'),
      'auth.ts':
        'export const auth = { required: (q: any, s: any, n: any) => n(), optional: (q: any, s: any, n: any) => n() };\n',
    });
    expect(auth).toEqual(['GET /articles → [] public: auth.optional', 'POST /articles → [auth.required]']);
  });

  it('Next.js: auth middleware.ts with a matcher, auth wrappers and session checks in handlers', async () => {
    const auth = await authOf({
      'package.json': '{ "dependencies": { "next": "15.0.0" } }',
      'middleware.ts':
        "export { default } from 'next-auth/middleware';\nexport const config = { matcher: ['/api/admin/:path*'] };\n",
      'app/api/admin/users/route.ts': 'export async function GET() { return Response.json([]); }\n',
      'app/api/me/route.ts': [
        "import { getServerSession } from 'next-auth';",
        'export async function GET() { const session = await getServerSession(); return Response.json(session); }',
        'export async function DELETE() { return new Response(null); }',
      ].join('\n'),
      'pages/api/posts.ts': [
        "import { withMiddlewares } from '../../lib/with';",
        'async function list(req: any, res: any) { res.json([]); }',
        'async function create(req: any, res: any) { res.json({}); }',
        'export default withMiddlewares({ GET: list, POST: create });',
      ].join('\n'),
      'pages/api/secret.ts':
        "import { withAuth } from '../../lib/with';\nexport default withAuth(async (req: any, res: any) => res.json({}));\n",
      'lib/with.ts': 'export const withMiddlewares = (h: any) => h;\nexport const withAuth = (h: any) => h;\n',
    });
    expect(auth).toEqual([
      'ALL /api/secret → [withAuth]',
      'DELETE /api/me → []',
      'GET /api/admin/users → [next-auth/middleware]',
      'GET /api/me → [getServerSession()]',
      'GET /api/posts → []',
      'POST /api/posts → []',
    ]);
  });

  it('Next.js: a middleware matcher it cannot read leaves unguarded routes unknown', async () => {
    const auth = await authOf({
      'package.json': '{ "dependencies": { "next": "15.0.0" } }',
      'src/paths.ts': "export const guarded = ['/api/items'];\n",
      'src/middleware.ts': [
        "import { NextResponse } from 'next/server';",
        "import { getToken } from 'next-auth/jwt';",
        "import { guarded } from './paths';",
        'export async function middleware(req: any) {',
        '  if (!(await getToken({ req }))) return NextResponse.json({}, { status: 401 });',
        '  return NextResponse.next();',
        '}',
        'export const config = { matcher: guarded.map((p) => `${p}/:path*`) };',
      ].join('\n'),
      'src/app/api/items/route.ts': 'export async function GET() { return Response.json([]); }\n',
    });
    expect(auth).toEqual(['GET /api/items → ?']);
  });

  it('Next.js: a regular-expression matcher is evaluated, and the paths it leaves out are not guarded by it', async () => {
    const auth = await authOf({
      'package.json': '{ "dependencies": { "next": "15.0.0" } }',
      'middleware.ts': [
        "import { NextResponse } from 'next/server';",
        "import { getToken } from 'next-auth/jwt';",
        'export async function middleware(req: any) {',
        '  if (!(await getToken({ req }))) return NextResponse.redirect(new URL("/login", req.url));',
        '  return NextResponse.next();',
        '}',
        "export const config = { matcher: ['/((?!api/|_next/static|favicon.ico).*)'] };",
      ].join('\n'),
      'app/api/items/route.ts': 'export async function GET() { return Response.json([]); }\n',
      'app/feed/route.ts': 'export async function GET() { return Response.json([]); }\n',
    });
    expect(auth).toEqual(['GET /api/items → []', 'GET /feed → [middleware.ts middleware]']);
  });

  it('Next.js: conditions on the pathname in the middleware body decide, per route, whether its check runs', async () => {
    const auth = await authOf({
      'package.json': '{ "dependencies": { "next": "15.0.0" } }',
      'middleware.ts': [
        "import { NextResponse } from 'next/server';",
        "import { getToken } from 'next-auth/jwt';",
        "import { isKnownHost } from './hosts';",
        "const OPEN = ['/api/health', '/api/feed'];",
        'export async function middleware(req: any) {',
        '  const { pathname } = req.nextUrl;',
        '  if (OPEN.some((p) => pathname.startsWith(p))) return NextResponse.next();',
        "  if (pathname.startsWith('/api/beta') && !isKnownHost(req.headers.get('host'))) return NextResponse.next();",
        '  const token = await getToken({ req });',
        '  if (!token) return NextResponse.json({ error: "Unauthorized" }, { status: 401 });',
        '  return NextResponse.next();',
        '}',
      ].join('\n'),
      'hosts.ts': 'export const isKnownHost = (h: string) => h.length > 0;\n',
      'app/api/feed/route.ts': 'export async function GET() { return Response.json([]); }\n',
      'app/api/items/route.ts': 'export async function GET() { return Response.json([]); }\n',
      'app/api/beta/route.ts': 'export async function GET() { return Response.json([]); }\n',
    });
    // /api/beta: whether it skips the check depends on the host, which archlint cannot know.
    expect(auth).toEqual(['GET /api/beta → ?', 'GET /api/feed → []', 'GET /api/items → [middleware.ts middleware]']);
  });

  it('Next.js: Clerk middleware protects only what its callback asks for', async () => {
    const auth = await authOf({
      'package.json': '{ "dependencies": { "next": "15.0.0" } }',
      'a/package.json': '{ "dependencies": { "next": "15.0.0" } }',
      'a/middleware.ts':
        "import { clerkMiddleware } from '@clerk/nextjs/server';\nexport default clerkMiddleware();\nexport const config = { matcher: ['/((?!_next|.*\\\\..*).*)'] };\n",
      'a/app/api/items/route.ts': 'export async function GET() { return Response.json([]); }\n',
      'b/package.json': '{ "dependencies": { "next": "15.0.0" } }',
      'b/middleware.ts': [
        "import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server';",
        "const isPublic = createRouteMatcher(['/api/webhooks(.*)']);",
        'export default clerkMiddleware(async (auth, req) => { if (!isPublic(req)) await auth.protect(); });',
      ].join('\n'),
      'b/app/api/items/route.ts': 'export async function GET() { return Response.json([]); }\n',
      'b/app/api/webhooks/route.ts': 'export async function POST() { return Response.json([]); }\n',
    });
    expect(auth).toEqual([
      'GET /api/items → []',
      'GET /api/items → [b/middleware.ts middleware (@clerk/nextjs)]',
      'POST /api/webhooks → []',
    ]);
  });
});

describe('rate limiting', () => {
  it('records rate-limit packages on apps, routers, routes, Nest modules and guards, Fastify plugins and Next.js apps', async () => {
    const limiters = await limitersOf({
      'express.ts': [
        "import express, { Router } from 'express';",
        "import rateLimit from 'express-rate-limit';",
        'const app = express();',
        'const r = Router();',
        'const loginLimiter = rateLimit({ max: 5 });',
        "r.post('/login', loginLimiter, (req, res) => res.json({}));",
        "app.use('/auth', r);",
      ].join('\n'),
      'bare.ts': "import express from 'express';\nconst bare = express();\nbare.get('/x', (q, s) => s.json({}));\n",
      'fastify.ts':
        "import Fastify from 'fastify';\nconst f = Fastify();\nf.register(import('@fastify/rate-limit'), { max: 100 });\nf.register(require('@fastify/rate-limit'));\n",
      'hono.ts':
        "import { Hono } from 'hono';\nimport { rateLimiter } from 'hono-rate-limiter';\nconst h = new Hono();\nh.use(rateLimiter({ limit: 100 }));\nexport default h;\n",
      'custom.ts':
        "import express from 'express';\nimport { throttleRequests } from './throttle';\nconst custom = express();\ncustom.use(throttleRequests);\n",
      'throttle.ts': 'export function throttleRequests(req: any, res: any, next: any) { next(); }\n',
      'nest/main.ts': "import { NestFactory } from '@nestjs/core';\nimport { M } from './m';\nNestFactory.create(M);\n",
      'nest/m.ts':
        "import { Module } from '@nestjs/common';\nimport { ThrottlerModule } from '@nestjs/throttler';\n@Module({ imports: [ThrottlerModule.forRoot([])] })\nexport class M {}\n",
      'nest2/main.ts':
        "import { NestFactory } from '@nestjs/core';\nimport { Unknown } from 'somewhere';\nNestFactory.create(Unknown);\n",
      'web/package.json': '{ "dependencies": { "next": "15.0.0" } }',
      'web/middleware.ts':
        "import { Ratelimit } from '@upstash/ratelimit';\nexport function middleware() { return Ratelimit; }\n",
      'web/app/api/x/route.ts': 'export function GET() { return Response.json({}); }\n',
    });
    expect(limiters).toEqual([
      ['bare.ts#bare', []],
      ['custom.ts#custom', ['throttleRequests']],
      ['express.ts#app', ['express-rate-limit']],
      ['fastify.ts#f', ['@fastify/rate-limit']],
      ['hono.ts#h', ['hono-rate-limiter']],
      ['nest/main.ts#nestjs@3', ['@nestjs/throttler']],
      ['nest2/main.ts#nestjs@3', undefined],
      ['web/package.json#nextjs', ['@upstash/ratelimit']],
    ]);
  });
});

describe('auth the input must not miss, or must call unknown', () => {
  it('Fastify: a JWT hook registered through a barrel re-export that throws; route config opt-outs; hooks it cannot follow', async () => {
    const auth = await authOf({
      'src/plugins/index.ts': "export * from './jwt';\n",
      'src/plugins/jwt.ts': [
        "import fp from 'fastify-plugin';",
        'const errors = { accessDenied: (m: string) => new Error(m) };',
        'const plugin = fp(async (fastify: any) => {',
        "  fastify.addHook('preHandler', async (request: any) => {",
        '    if (!request.headers.cookie) throw errors.accessDenied("no session");',
        '  });',
        '});',
        'export function registerSession(fastify: any) { fastify.register(plugin); }',
      ].join('\n'),
      'src/server.ts': [
        "import Fastify from 'fastify';",
        "import { registerSession } from './plugins';",
        'export function start(deps: { hook: any }) {',
        '  const app = Fastify();',
        '  app.register(async (scope) => {',
        '    registerSession(scope);',
        "    scope.get('/v1/files', async () => []);",
        "    scope.get('/v1/files/:id', { config: { allowInvalidJwt: true } }, async () => ({}));",
        '  });',
        '  app.register(async (other) => {',
        "    other.addHook('onRequest', deps.hook);",
        "    other.get('/v1/other', async () => []);",
        '  });',
        "  app.get('/v1/open', async () => []);",
        '  app.listen({ port: 1 });',
        '}',
      ].join('\n'),
    });
    expect(auth).toEqual([
      'GET /v1/files → [inline middleware]',
      'GET /v1/files/{id} → [inline middleware] public: config.allowInvalidJwt',
      'GET /v1/open → []',
      'GET /v1/other → ?',
    ]);
  });

  it('Hono: createRoute middleware, createMiddleware bodies, a handler that answers 401 itself, and middleware from a workspace package', async () => {
    const auth = await authOf({
      'package.json': '{ "name": "acme", "workspaces": ["packages/*", "api"] }',
      'packages/keys/package.json': '{ "name": "@acme/keys", "exports": { ".": "./src/index.ts" } }',
      'packages/keys/src/index.ts':
        "export async function keyCheck(c: any, next: any) { if (!c.req.header('x-key')) return c.text('no', 401); await next(); }\n",
      'api/index.ts': [
        "import { OpenAPIHono, createRoute } from '@hono/zod-openapi';",
        "import { keyCheck } from '@acme/keys';",
        "import { createMiddleware } from 'hono/factory';",
        'const app = new OpenAPIHono();',
        "app.openapi(createRoute({ method: 'get', path: '/v1/a', middleware: [keyCheck], responses: {} }), (c) => c.json({}));",
        "app.use('/v1/b/*', keyCheck);",
        "app.get('/v1/b/list', (c) => c.json([]));",
        "app.post('/cron', (c) => { if (c.req.header('authorization') !== process.env.CRON) return c.text('Unauthorized', 401); return c.json({}); });",
        "app.get('/v1/c', (c) => c.json([]));",
        // hono/factory createMiddleware around the project's own check: its body says what it does.
        "const teamScope = createMiddleware(async (c, next) => { if (!c.req.header('x-team')) return c.json({ error: 'no team' }, 403); await next(); });",
        "app.get('/v1/d', teamScope, (c) => c.json([]));",
        'export default app;',
      ].join('\n'),
    });
    expect(auth).toEqual([
      'GET /v1/a → [keyCheck]',
      'GET /v1/b/list → [keyCheck]',
      'GET /v1/c → []',
      'GET /v1/d → [teamScope]',
      'POST /cron → [401 from the handler (c.text())]',
    ]);
  });
});

describe('auth in handlers: inline checks, helpers, and what archlint cannot follow', () => {
  it('a status option of 401, a helper two levels down, a request handed to a function it cannot resolve, a handler answering 429', async () => {
    const auth = await authOf({
      'app.ts': [
        "import express from 'express';",
        "import { deps } from './deps';",
        "import { route } from './route';",
        'const app = express();',
        // 401 given as a `status` option, not as a number argument.
        "app.post('/v1/jobs/run', (req, res) => { if (req.headers['x-cron'] !== process.env.CRON) return res.json({ ok: false }, { status: 401 }); return res.json({}); });",
        // Hands the request to a helper, which hands it to another that answers 401.
        "app.get('/v1/notes', async (req, res) => { await route(req, res); });",
        // An injected service archlint cannot resolve: its auth is unknown, not none.
        "app.get('/v1/tasks', async (req, res) => deps.dispatcher.handle(req, res));",
        // A function looked up in a table: unknown too.
        'const table: Record<string, (req: any, res: any) => unknown> = {};',
        "app.get('/v1/boards', (req, res) => table[req.path](req, res));",
        // Limits its anonymous callers itself: public on purpose.
        "app.get('/v1/lookup', (req, res) => { if (!allow(req.ip)) return res.status(429).json({}); return res.json({}); });",
        "app.get('/v1/plain', (req, res) => res.json([]));",
        'function allow(ip: string) { return ip !== ""; }',
        'app.listen(1);',
      ].join('\n'),
      'route.ts': [
        'export async function route(req: any, res: any) { return inner(req, res); }',
        'async function inner(req: any, res: any) { if (!req.headers.cookie) return res.status(401).end(); }',
      ].join('\n'),
      'deps.ts': 'export const deps: any = globalThis as any;',
    });
    expect(auth).toEqual([
      'GET /v1/boards → ?',
      'GET /v1/lookup → [] public: 429 from the handler (res.status())',
      'GET /v1/notes → [route() → inner() → 401 from the handler (res.status())]',
      'GET /v1/plain → []',
      'GET /v1/tasks → ?',
      'POST /v1/jobs/run → [401 from the handler (res.json())]',
    ]);
  });
});

describe('middleware that is not auth', () => {
  it('error handlers that answer 401 after the fact do not authenticate', async () => {
    const auth = await authOf({
      'app.ts': [
        "import express from 'express';",
        'const app = express();',
        'function koaLikeErrorHandler(req: any, res: any, next: any) { try { next(); } catch { res.status(401).json({}); } }',
        'app.use(koaLikeErrorHandler);',
        'app.use((err: any, req: any, res: any, next: any) => res.status(401).json({ error: err.message }));',
        "app.get('/v1/items', (req, res) => res.json([]));",
        'app.listen(1);',
      ].join('\n'),
    });
    expect(auth).toEqual(['GET /v1/items → []']);
  });
});

describe('capability checks', () => {
  it("reads a check of the object's own key from the path, query or body as public on purpose, not a shared secret or a header", async () => {
    const auth = await authOf({
      'app.ts': [
        "import express from 'express';",
        'const rows = new Map<string, { id: string; editToken: string; shareToken: string }>();',
        'const app = express();',
        // Compared with the row's stored key: a capability.
        "app.post('/events/:id/edit', (req, res) => {",
        '  const row = rows.get(req.params.id);',
        "  if (!row || row.editToken !== req.body.editToken) return res.status(401).json({ error: 'wrong key' });",
        '  res.json(row);',
        '});',
        // The key sent in the query, handed to a helper that compares it.
        "app.get('/events/:id/shared', (req, res) => {",
        '  const token = req.query.token;',
        "  if (!canView(req.params.id, token)) return res.status(403).json({ error: 'no' });",
        '  res.json({});',
        '});',
        'function canView(id: string, token: unknown) { return rows.get(id)?.shareToken === token; }',
        // Compared with the service's own configuration: a shared secret, which authenticates a trusted caller.
        "app.get('/jobs', (req, res) => {",
        "  if (req.query.secret !== process.env.JOBS_SECRET) return res.status(401).json({ error: 'no' });",
        '  res.json([]);',
        '});',
        // A token from a header is a credential, whatever it is compared with.
        "app.get('/me', (req, res) => {",
        '  const row = rows.get(String(req.query.id));',
        "  if (row?.editToken !== req.headers['x-token']) return res.status(401).json({ error: 'no' });",
        '  res.json(row);',
        '});',
        'app.listen(3000);',
      ].join('\n'),
    });
    expect(auth).toEqual([
      'GET /events/{id}/shared → [] public: capability check (rows.get(id)?.shareToken === token)',
      'GET /jobs → [401 from the handler (res.status())]',
      'GET /me → [401 from the handler (res.status())]',
      'POST /events/{id}/edit → [] public: capability check (row.editToken !== req.body.editToken)',
    ]);
  });
});

describe('optional sign-in in the handler', () => {
  it('reads a handler that tests whether the caller is signed in as public on purpose, not one that only uses the caller', async () => {
    const auth = await authOf({
      'app.ts': [
        "import express from 'express';",
        'const app = express();',
        "app.get('/context', (req: any, res) => res.json({ isLoggedIn: Boolean(req.user) }));",
        "app.get('/home', (req: any, res) => { if (req.isAuthenticated()) return res.json({ page: 'dashboard' }); res.json({ page: 'landing' }); });",
        "app.get('/mine', (req: any, res) => res.json({ owner: req.user?.id }));",
        'app.listen(3000);',
      ].join('\n'),
    });
    expect(auth).toEqual([
      'GET /context → [] public: optional sign-in (Boolean(req.user))',
      'GET /home → [] public: optional sign-in (req.isAuthenticated())',
      'GET /mine → []',
    ]);
  });
});
