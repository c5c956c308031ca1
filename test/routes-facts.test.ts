/** What the routes input says about services, handlers and error sites, and the `archlint routes` command. */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanTrees, routesModel, tree } from './routes-helpers.js';
import { runCli as cli } from './harness/cli.js';

afterEach(cleanTrees);

describe('services', () => {
  it('one per application instance; sub-routers, plugins and Hono routers are not services; health and metrics packages are recorded', async () => {
    const dir = tree({
      'express.ts': [
        "import express from 'express';",
        "import promBundle from 'express-prom-bundle';",
        "import { Router } from 'express';",
        'const app = express();',
        'app.use(promBundle({ includeMethod: true }));',
        'const r = Router();',
        "app.use('/v1', r);",
      ].join('\n'),
      'fastify.ts': [
        "import Fastify from 'fastify';",
        'const app = Fastify();',
        "app.register(require('fastify-healthcheck'));",
      ].join('\n'),
      'hono.ts': [
        "import { Hono } from 'hono';",
        'const api = new Hono();',
        "api.get('/x', (c) => c.json({}));",
        'export default { fetch: api.fetch };',
      ].join('\n'),
      'hono-router.ts': [
        "import { Hono } from 'hono';",
        'export const sub = new Hono();',
        "sub.get('/y', (c) => c.json({}));",
      ].join('\n'),
    });
    const model = await routesModel(dir);
    expect(model.services.map((s) => [s.id, s.framework, s.healthModules, s.metricsModules])).toEqual([
      ['express.ts#app', 'express', [], ['express-prom-bundle']],
      ['fastify.ts#app', 'fastify', ['fastify-healthcheck'], []],
      ['hono.ts#api', 'hono', [], []],
    ]);
    // The unmounted Hono router keeps its route, at low confidence, under its own id.
    expect(model.endpoints.map((e) => `${e.serviceId} ${e.path} ${e.confidence}`)).toEqual([
      'hono-router.ts#sub /y low',
      'hono.ts#api /x high',
    ]);
  });

  it('records a request-rate limiter imported anywhere in the code the routes reach; a throttle of outgoing calls is not one', async () => {
    const dir = tree({
      'limited/app.ts': [
        "import express from 'express';",
        "import { auth } from './auth';",
        'const app = express();',
        "app.use('/v1/auth', auth);",
        'app.listen(3000);',
      ].join('\n'),
      'limited/auth.ts': [
        "import { Router } from 'express';",
        "import { limitAttempts } from './security';",
        'export const auth = Router();',
        "auth.post('/login', async (req, res) => res.json({ ok: await limitAttempts(req.ip) }));",
      ].join('\n'),
      'limited/security.ts': [
        "import { RateLimiterMemory } from 'rate-limiter-flexible';",
        'const l = new RateLimiterMemory({ points: 5 });',
        'export const limitAttempts = (k: string) => l.consume(k);',
      ].join('\n'),
      'paced/app.ts': [
        "import express from 'express';",
        "const { fetchRates } = require('./rates');",
        'const app = express();',
        "app.get('/v1/rates', async (_q, res) => res.json(await fetchRates()));",
        'app.listen(3000);',
      ].join('\n'),
      'paced/rates.ts': [
        "import Bottleneck from 'bottleneck';",
        'const b = new Bottleneck({ minTime: 200 });',
        'export const fetchRates = () => b.schedule(() => Promise.resolve([]));',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    expect(model.services.map((s) => [s.id, s.rateLimitModules])).toEqual([
      ['limited/app.ts#app', ['rate-limiter-flexible']],
      ['paced/app.ts#app', []],
    ]);
  });

  it('follows a CommonJS index that hands on another module whole, and records package plugins @fastify/autoload loads', async () => {
    const dir = tree({
      'kutt/server.js': [
        "const express = require('express');",
        "const routes = require('./routes');",
        'const app = express();',
        "app.use('/api/v2', routes.api);",
        'app.listen(3000);',
      ].join('\n'),
      'kutt/routes/index.js': "module.exports = require('./routes');",
      'kutt/routes/routes.js': [
        "const { Router } = require('express');",
        'const api = Router();',
        "api.get('/health', (_q, res) => res.send('OK'));",
        'module.exports = { api };',
      ].join('\n'),
      'fst/app.ts': [
        "import path from 'node:path';",
        "import Fastify from 'fastify';",
        "import autoload from '@fastify/autoload';",
        'const app = Fastify();',
        "app.register(autoload, { dir: path.join(import.meta.dirname, 'plugins') });",
        'app.listen({ port: 3000 });',
      ].join('\n'),
      'fst/plugins/pressure.ts': [
        "import underPressure from '@fastify/under-pressure';",
        "import fp from 'fastify-plugin';",
        'export default fp(underPressure, { name: "p" });',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    expect(model.endpoints.map((e) => `${e.serviceId} ${e.path}`)).toEqual(['kutt/server.js#app /api/v2/health']);
    expect(model.services.find((s) => s.id === 'fst/app.ts#app')?.healthModules).toEqual(['@fastify/under-pressure']);
  });

  it('does not take test files for services', async () => {
    const dir = tree({
      'src/app.test.ts':
        "import express from 'express';\nconst app = express();\napp.get('/t', (q, s) => s.json([]));\n",
    });
    const model = await routesModel(dir);
    expect(model.services).toEqual([]);
    expect(model.endpoints).toEqual([]);
  });
});

describe('handlers', () => {
  it('reads query parameters, paging arguments and whether a collection is returned', async () => {
    const dir = tree({
      'app.ts': [
        "import express from 'express';",
        'const app = express();',
        "app.get('/v1/a', async (req, res) => { const { page, per_page } = req.query; res.json(await db.user.findMany({ take: 10, skip: 0 })); });",
        "app.get('/v1/b', async (req, res) => { const rows = await knex('t').select('*').limit(5); res.json({ data: rows, total: 3 }); });",
        "app.get('/v1/c/:id', async (req, res) => { res.json(await db.user.findUnique({ where: { id: req.params.id } })); });",
        "app.get('/v1/d', async (req, res) => { const items: string[] = []; res.status(200).send(items); });",
        'declare const db: any; declare const knex: any;',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    const facts = model.endpoints.map((e) => [
      e.path,
      e.handler?.queryParams,
      e.handler?.pagingArgs,
      e.responses.map(
        (r) =>
          `${r.status}:${r.body.kind}:${r.body.collection}${r.body.arrayProperty ? `:${r.body.arrayProperty}` : ''}`,
      ),
    ]);
    expect(facts).toEqual([
      ['/v1/a', ['page', 'per_page'], ['skip', 'take'], ['200:array:true']],
      ['/v1/b', [], ['limit'], ['200:object:true:data']],
      ['/v1/c/{id}', [], [], ['200:unknown:false']],
      ['/v1/d', [], [], ['200:array:true']],
    ]);
    expect(model.endpoints[0]!.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['query:page', 'query:per_page']);
  });

  it('reads Nest @Query DTOs, declared Promise<T[]> returns and Fastify / Hono query schemas', async () => {
    const dir = tree({
      'main.ts':
        "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './mod';\nNestFactory.create(AppModule);\n",
      'mod.ts': [
        "import { Controller, Get, Module, Query } from '@nestjs/common';",
        'class Paging { limit?: number; cursor?: string; }',
        'class ListDto extends Paging { q?: string; }',
        "@Controller('v1/cats')",
        'class Cats {',
        '  @Get() list(@Query() query: ListDto): Promise<Cat[]> { return this.svc.all(query); }',
        "  @Get('one') one(@Query('id') id: string) { return {}; }",
        '}',
        '@Module({ controllers: [Cats] })',
        'export class AppModule {}',
      ].join('\n'),
      'fastify.ts': [
        "import Fastify from 'fastify';",
        'const app = Fastify();',
        "app.get('/v1/dogs', { schema: { querystring: { type: 'object', properties: { offset: { type: 'integer' } } } } }, async () => []);",
      ].join('\n'),
      'hono.ts': [
        "import { Hono } from 'hono';",
        "import { zValidator } from '@hono/zod-validator';",
        'const app = new Hono();',
        "app.get('/v1/birds', zValidator('query', z.object({ page: z.string() })), (c) => c.json([]));",
        'export default app;',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    const facts = Object.fromEntries(
      model.endpoints.map((e) => [
        e.path,
        [e.handler?.queryParams.join(','), e.responses.some((r) => r.body.collection)],
      ]),
    );
    expect(facts).toEqual({
      '/v1/birds': ['page', true],
      '/v1/cats': ['q,limit,cursor'.split(',').sort().join(','), true],
      '/v1/cats/one': ['id', false],
      '/v1/dogs': ['offset', true],
    });
  });
});

describe('routes hidden from the generated docs', () => {
  it('reads Fastify `schema: { hide: true }` and NestJS @ApiExcludeEndpoint / @ApiExcludeController', async () => {
    const dir = tree({
      'fastify.ts': [
        "import Fastify from 'fastify';",
        'const app = Fastify();',
        "app.route({ method: 'GET', url: '/tools/ip-lookup', schema: { hide: true }, handler: async () => ({}) });",
        "app.get('/tools/site-checker', { schema: { hide: true } }, async () => ({}));",
        "app.get('/v1/sites', { schema: { querystring: {} } }, async () => []);",
        'app.listen({ port: 1 });',
      ].join('\n'),
      'nest/main.ts': [
        "import { NestFactory } from '@nestjs/core';",
        "import { AppModule } from './app.module';",
        'NestFactory.create(AppModule).then((app) => app.listen(1));',
      ].join('\n'),
      'nest/app.module.ts': [
        "import { Module } from '@nestjs/common';",
        "import { OpsController, UsersController } from './controllers';",
        '@Module({ controllers: [OpsController, UsersController] })',
        'export class AppModule {}',
      ].join('\n'),
      'nest/controllers.ts': [
        "import { Controller, Get } from '@nestjs/common';",
        "import { ApiExcludeController, ApiExcludeEndpoint } from '@nestjs/swagger';",
        '@ApiExcludeController()',
        "@Controller('ops')",
        'export class OpsController {',
        "  @Get('queues') queues() { return []; }",
        '}',
        "@Controller('users')",
        'export class UsersController {',
        '  @Get() list() { return []; }',
        '  @ApiExcludeEndpoint()',
        "  @Get('internal-stats') stats() { return {}; }",
        '}',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    const hidden = model.endpoints.map((e) => `${e.path} ${e.hiddenFromDocs === true}`).sort();
    expect(hidden).toEqual([
      '/ops/queues true',
      '/tools/ip-lookup true',
      '/tools/site-checker true',
      '/users false',
      '/users/internal-stats true',
      '/v1/sites false',
    ]);
  });
});

describe('error sites', () => {
  it('finds error responses in all six frameworks and describes their bodies', async () => {
    const dir = tree({
      'express.ts': [
        "import type { Request, Response } from 'express';",
        'export function h(req: Request, res: Response) {',
        "  res.status(500).send('Something went wrong');",
        '  res.sendStatus(404);',
        "  res.status(400).json({ error: 'fail' });",
        '  try { x(); } catch (err) { res.status(500).json({ message: err.message }); }',
        "  res.status(422).json(problem('VALIDATION', 'email is invalid'));",
        '}',
        'function problem(code: string, message: string) { return { error: { code, message } }; }',
        'declare function x(): void;',
      ].join('\n'),
      'fastify.ts': "export async function f(req: any, reply: any) { return reply.code(400).send('bad'); }\n",
      'hono.ts': "export const g = (c: any) => c.text('Error', 500);\n",
      'koa.ts': "export async function k(ctx: any) { ctx.status = 404; ctx.body = 'Not found'; ctx.throw(500); }\n",
      'nest.ts': [
        "import { HttpException, NotFoundException } from '@nestjs/common';",
        'export function n(id: string) {',
        "  if (!id) throw new HttpException('Error', 500);",
        '  throw new NotFoundException(`Order ${id} was not found`);',
        '}',
      ].join('\n'),
      'next.ts':
        "import { NextResponse } from 'next/server';\nexport function GET() { return NextResponse.json({ error: 'nope' }, { status: 403 }); }\n",
    });
    const model = await routesModel(dir);
    const sites = model.errorSites.map(
      (s) =>
        `${s.origin.file} ${s.via} ${s.status ?? '-'} ${JSON.stringify(s.body)}${s.exception ? ` ${s.exception.className}` : ''}`,
    );
    expect(sites).toEqual([
      'express.ts res.status().send 500 {"kind":"text","text":"Something went wrong"}',
      'express.ts res.sendStatus 404 {"kind":"none"}',
      'express.ts res.status().json 400 {"kind":"object","properties":["error"],"stringProperties":{"error":"fail"}}',
      'express.ts res.status().json 500 {"kind":"object","properties":["message"],"stringProperties":{},"leaked":"err.message"}',
      'express.ts res.status().json 422 {"kind":"object","properties":["error"],"stringProperties":{},"nestedErrorProperties":["code","message"],"builtBy":"problem"}',
      'fastify.ts reply.code().send 400 {"kind":"text","text":"bad"}',
      'hono.ts c.text 500 {"kind":"text","text":"Error"}',
      'koa.ts ctx.body = 404 {"kind":"text","text":"Not found"}',
      'koa.ts ctx.throw 500 {"kind":"none"}',
      'nest.ts new HttpException 500 {"kind":"text","text":"Error"} HttpException',
      'nest.ts new NotFoundException 404 {"kind":"text","text":"Order ${id} was not found"} NotFoundException',
      'next.ts NextResponse.json 403 {"kind":"object","properties":["error"],"stringProperties":{"error":"nope"}}',
    ]);
  });
});

describe('archlint routes', () => {
  it('prints the inventory as JSON in the documented shape, and as a table', async () => {
    const dir = tree({
      'src/app.ts':
        "import express from 'express';\nimport { r } from './r';\nconst app = express();\napp.get('/health', (q, s) => s.json({}));\napp.use('/api', r);\napp.listen(3000);\n",
      'src/r.ts':
        "import { Router } from 'express';\nexport const r = Router();\nr.post('/items', (q, s) => s.json({}));\n",
    });
    const json = await cli(['routes', '--format', 'json'], dir);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      routes: [
        {
          method: 'GET',
          path: '/health',
          file: 'src/app.ts',
          line: 4,
          source: 'typescript',
          service: 'src/app.ts#app',
          role: 'infrastructure',
          roleReason: 'liveness probe',
          auth: { guards: [] },
        },
        {
          method: 'POST',
          path: '/api/items',
          file: 'src/r.ts',
          line: 3,
          source: 'typescript',
          service: 'src/app.ts#app',
          role: 'resource',
          roleReason: 'resource API',
          auth: { guards: [] },
        },
      ].sort((a, b) => (a.path < b.path ? -1 : 1)),
    });
    const pretty = await cli(['routes', 'src', '--no-color'], dir);
    expect(pretty.stdout).toContain('src/app.ts#app (express) — 2 routes');
    expect(pretty.stdout).toMatch(/POST\s+\/api\/items\s+src\/r\.ts:3/);
  });

  it('counts the unparsable files that may hide routes: those the router graph reads, not code it never needed', async () => {
    const files = {
      'src/app.ts': "import express from 'express';\nconst app = express();\napp.get('/a', (q, s) => s.json({}));\n",
      // Imports the framework: the graph reads it, and its routes may be lost to the error.
      'src/broken-router.ts': "import { Router } from 'express';\nexport const r = Router(\nr.get('/b'\n",
      // No framework, imported by no router: it holds no route, and `archlint lint` still reports its error.
      'src/broken-util.ts': 'export const f = (a => ;\n',
    };
    const dir = tree(files);
    const routes = await cli(['routes', '--format', 'json'], dir);
    expect(routes.stderr).toContain('archlint: 1 file(s) could not be parsed and may hide routes');
    const lint = await cli(['lint', '--format', 'json', '--fail-on', 'never'], dir);
    const errors = (JSON.parse(lint.stdout) as { findings: Array<{ ruleId: string; file: string }> }).findings
      .filter((f) => f.ruleId === 'core/parse-error')
      .map((f) => f.file)
      .sort();
    expect(errors).toEqual(['src/broken-router.ts', 'src/broken-util.ts']);
  });

  it('exits 2 on a missing path', async () => {
    const dir = tree({ 'a.ts': '' });
    const result = await cli(['routes', 'nope'], dir);
    expect(result.code).toBe(2);
  });
});

describe('handler roles facts (verifiesSignature, delegatesTo)', () => {
  async function rolesOf(files: Record<string, string>): Promise<string[]> {
    const model = await routesModel(tree(files));
    return model.endpoints
      .map(
        (e) =>
          `${e.allMethods ? 'ALL' : e.method.toUpperCase()} ${e.path} ${e.handler ? `sig=${e.handler.verifiesSignature}${e.handler.delegatesTo ? ` to=${e.handler.delegatesTo}` : ''}` : 'no handler'}`,
      )
      .sort();
  }

  it('sees webhook signature checks in the handler, its helpers and its route middleware, and not signed links', async () => {
    const roles = await rolesOf({
      'app.ts': [
        "import express from 'express';",
        "import Stripe from 'stripe';",
        "import { Webhook } from 'svix';",
        "import { createHmac, timingSafeEqual } from 'node:crypto';",
        "import { verifySlackRequest } from './slack';",
        'const stripe = new Stripe(process.env.STRIPE_KEY!);',
        'const app = express();',
        "app.post('/hooks/stripe', (req, res) => { const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'] as string, 's'); res.json({ id: event.id }); });",
        "app.post('/hooks/clerk', (req, res) => { const wh = new Webhook(process.env.SECRET!); wh.verify(req.body, req.headers as any); res.sendStatus(204); });",
        "app.post('/hooks/github', (req, res) => { if (!checkHmac(req)) return res.sendStatus(401); res.sendStatus(204); });",
        "app.post('/hooks/slack', verifySlackRequest, (req, res) => res.sendStatus(204));",
        "app.get('/files/:id', (req, res) => { verifyDownloadSignature(req.query.token as string); res.json({}); });",
        "app.get('/orders', (req, res) => res.json([]));",
        'function checkHmac(req: any) { const digest = createHmac("sha256", "k").update(req.rawBody).digest(); return timingSafeEqual(digest, Buffer.from(req.headers["x-sig"])); }',
        'function verifyDownloadSignature(token: string) { return token.length > 0; }',
        'app.listen(1);',
      ].join('\n'),
      'slack.ts':
        'export function verifySlackRequest(req: any, res: any, next: any) { if (!validateSlackSignature(req)) return res.sendStatus(401); next(); }\nfunction validateSlackSignature(req: any) { return !!req; }\n',
    });
    expect(roles).toEqual([
      'GET /files/{id} sig=false',
      'GET /orders sig=false',
      'POST /hooks/clerk sig=true',
      'POST /hooks/github sig=true',
      'POST /hooks/slack sig=true',
      'POST /hooks/stripe sig=true',
    ]);
  });

  it('names the package a handler hands the whole request to, and nothing for a handler that does its own work', async () => {
    const roles = await rolesOf({
      'src/index.ts': [
        "import { Hono } from 'hono';",
        "import { auth, makeAuth } from './auth';",
        "import { z } from 'zod';",
        'const app = new Hono();',
        'const tenantAuth = makeAuth();',
        "app.all('/api/tenant-auth/*', (c) => tenantAuth.handler(c.req.raw));",
        "app.on(['GET', 'POST'], '/api/auth/*', (c) => auth.handler(c.req.raw));",
        "app.post('/v1/items', async (c) => c.json(z.object({ a: z.string() }).parse(await c.req.json())));",
        'export default app;',
      ].join('\n'),
      'src/auth.ts':
        "import { betterAuth } from 'better-auth';\nexport const auth = betterAuth({ secret: process.env.AUTH_SECRET });\nexport function makeAuth() { return betterAuth({ basePath: '/api/tenant-auth' }); }\n",
      'server.ts': [
        "import express from 'express';",
        "import { toNodeHandler } from 'better-auth/node';",
        "import { Server } from '@tus/server';",
        "import { auth } from './src/auth';",
        'const app = express();',
        "app.all('/api/auth/*', toNodeHandler(auth));",
        'function uploads(options: { tus: Server }) {',
        "  app.post('/files', (req, res) => options.tus.handle(req, res));",
        '}',
        "uploads({ tus: new Server({ path: '/files' } as any) });",
        'app.listen(1);',
      ].join('\n'),
      'web/next.config.js': 'module.exports = {};\n',
      'web/app/api/auth/[...nextauth]/route.ts':
        "import { handlers } from '../../../../lib/auth';\nexport const { GET, POST } = handlers;\n",
      'web/lib/auth.ts':
        "import NextAuth from 'next-auth';\nconst { handlers, auth } = NextAuth({ providers: [] });\nexport { handlers, auth };\n",
    });
    expect(roles).toEqual([
      'ALL /api/auth/* sig=false to=better-auth',
      'ALL /api/tenant-auth/* sig=false to=better-auth',
      'GET /api/auth/* sig=false to=better-auth',
      'GET /api/auth/{nextauth} sig=false to=next-auth',
      'POST /api/auth/* sig=false to=better-auth',
      'POST /api/auth/{nextauth} sig=false to=next-auth',
      'POST /files sig=false to=@tus/server',
      'POST /v1/items sig=false',
    ]);
  });
});

describe('services across builds and packages', () => {
  it('an app factory built by two entry points is one service; sub-apps mounted from a workspace package are not services', async () => {
    const model = await routesModel(
      tree({
        'package.json': '{ "name": "acme", "workspaces": ["apps/*", "packages/*"] }',
        'packages/identity/package.json': '{ "name": "@acme/identity", "main": "./dist/index.js" }',
        'packages/identity/src/index.ts':
          "import { Hono } from 'hono';\nconst sessions = new Hono();\nsessions.post('/', (c) => c.json({}));\nexport const identity = new Hono();\nidentity.route('/sessions', sessions);\n",
        'apps/api/package.json': '{ "name": "@acme/api" }',
        'apps/api/src/index.ts':
          "import { Hono } from 'hono';\nimport { identity } from '@acme/identity';\nconst app = new Hono();\napp.route('/auth', identity);\nexport default app;\n",
        'apps/jobs/src/app.ts':
          "import fastify from 'fastify';\nexport default function build() { const app = fastify(); app.get('/v1/jobs', async () => []); return app; }\n",
        'apps/jobs/src/server.ts': "import build from './app';\nbuild().listen({ port: 1 });\n",
        'apps/jobs/src/worker.ts': "import build from './app';\nconst app = build();\napp.listen({ port: 2 });\n",
        'apps/jobs/src/telemetry.ts':
          "import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';\nexport const exporter = new PrometheusExporter({ port: 9464 });\n",
        'apps/jobs/package.json': '{ "name": "@acme/jobs" }',
      }),
    );
    expect(model.services.map((s) => [s.id, s.metricsModules])).toEqual([
      ['apps/api/src/index.ts#app', []],
      ['apps/jobs/src/server.ts#app', ['@opentelemetry/exporter-prometheus']],
    ]);
    expect(model.endpoints.map((e) => `${e.method.toUpperCase()} ${e.path} ${e.serviceId}`).sort()).toEqual([
      'GET /v1/jobs apps/jobs/src/server.ts#app',
      'POST /auth/sessions apps/api/src/index.ts#app',
    ]);
  });
});

describe('central error handlers (ErrorSite.centralHandler)', () => {
  it('marks what an Express error middleware, a Fastify setErrorHandler, a Hono onError and a Nest @Catch filter send, and nothing else', async () => {
    const dir = tree({
      'express.ts': [
        'export function errorHandler(err: any, req: any, res: any, next: any) {',
        '  res.status(err.statusCode ?? 500).json({ statusCode: err.statusCode, success: false, message: err.message });',
        '}',
        "export function handler(req: any, res: any) { return res.status(400).json({ success: false, message: 'No ids given' }); }",
      ].join('\n'),
      'fastify.ts':
        "export function setup(app: any) { app.setErrorHandler((error: any, req: any, reply: any) => reply.code(500).send({ message: 'Internal error' })); }\n",
      'hono.ts':
        "export function setup(app: any) { app.onError((err: any, c: any) => c.json({ error: 'Internal error' }, 500)); }\n",
      'nest.ts': [
        "import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';",
        '@Catch()',
        'export class AllExceptions implements ExceptionFilter {',
        '  catch(exception: any, host: ArgumentsHost) {',
        "    host.switchToHttp().getResponse().status(500).json({ statusCode: 500, message: 'Internal error' });",
        '  }',
        '}',
      ].join('\n'),
      'main.ts': [
        "import { AllExceptions } from './nest';",
        'export function register(app: any) { app.useGlobalFilters(new AllExceptions()); }',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    expect(model.errorSites.map((s) => `${s.origin.file} ${s.status ?? '-'} ${s.centralHandler === true}`)).toEqual([
      'express.ts - true',
      'express.ts 400 false',
      'fastify.ts 500 true',
      'hono.ts 500 true',
      'nest.ts 500 true',
    ]);
  });

  it('sees no error site in a Nest filter no code names (a commented-out registration is none), nor in a status field of a data object', async () => {
    const dir = tree({
      'nest.ts': [
        "import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';",
        '@Catch()',
        'export class AllExceptions implements ExceptionFilter {',
        '  readonly label = AllExceptions.name;',
        '  catch(exception: any, host: ArgumentsHost) {',
        '    host.switchToHttp().getResponse().status(500).json({ message: exception.message });',
        '  }',
        '}',
      ].join('\n'),
      'main.ts': [
        "// import { AllExceptions } from './nest';",
        'export function register(app: any) { /* app.useGlobalFilters(new AllExceptions()); */ }',
      ].join('\n'),
      'koa.ts': [
        'export async function probe(ctx: any, connections: any[]) {',
        '  for (const connection of connections) { connection.status = 500; }',
        '  ctx.status = 404;',
        '}',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    expect(model.errorSites.map((s) => `${s.origin.file} ${s.via} ${s.status ?? '-'}`)).toEqual([
      'koa.ts ctx.status = 404',
    ]);
  });
});

describe('what a list handler reads', () => {
  it('judges the data reads a handler makes, through the services it calls, and is silent on what it cannot see', async () => {
    const dir = tree({
      'db.ts': ["import { PrismaClient } from '@prisma/client';", 'export const prisma = new PrismaClient();'].join(
        '\n',
      ),
      'models.ts': ["import { Sequelize, Model } from 'sequelize';", 'export class Run extends Model {}'].join('\n'),
      'service.ts': [
        "import { prisma } from './db';",
        'export class EventsService {',
        '  all(teamId: string) { return prisma.event.findMany({ where: { teamId } }); }',
        '  recent(teamId: string, take: number) { return prisma.event.findMany({ where: { teamId }, take }); }',
        '  window(teamId: string, skip: number) { return prisma.event.findMany({ where: { teamId }, skip, take: 50 }); }',
        '  spread(teamId: string, page: object) { return prisma.event.findMany({ where: { teamId }, ...page }); }',
        "  byType(teamId: string) { return prisma.event.groupBy({ by: ['type'], where: { teamId }, _count: true }); }",
        '}',
      ].join('\n'),
      'app.ts': [
        "import express from 'express';",
        "import { Run } from './models';",
        "import { EventsService } from './service';",
        'const events = new EventsService();',
        'class Handlers {',
        '  constructor(private readonly service: EventsService) {}',
        '  all = async (req: any, res: any) => res.json(await this.service.all(req.params.teamId));',
        "  window = async (req: any, res: any) => res.json(await this.service.window('t', 0));",
        "  spread = async (req: any, res: any) => res.json(await this.service.spread('t', {}));",
        "  byType = async (req: any, res: any) => res.json(await this.service.byType('t'));",
        '}',
        'const handlers = new Handlers(events);',
        'const app = express();',
        "app.get('/a', handlers.all);",
        "app.get('/h', handlers.window);",
        "app.get('/i', handlers.spread);",
        "app.get('/j', handlers.byType);",
        "app.get('/b', async (req, res) => res.json(await events.recent('t', 10)));",
        "app.get('/c', async (req, res) => res.json(await Run.findAll({ where: { robotId: req.params.id } })));",
        "app.get('/d', async (req, res) => res.json(await Run.findAll({ where: { robotId: req.params.id }, limit: 20 })));",
        "app.get('/e', async (req, res) => res.json(await pool.query('SELECT * FROM tenants')));",
        "app.get('/k', async (req, res) => res.json(await store.query({ text: 'SELECT id FROM tenants ORDER BY id LIMIT $1', values: [10] })));",
        'declare const store: { query(q: object): Promise<unknown[]> };',
        "app.get('/l', async (req, res) => { const q = db.knex.select('*').from('syncs').where({ env: 1 }); if (req.query.x) q.where('y', 1); res.json(await q); });",
        "app.get('/m', async (req, res) => { const q = db.knex.select('*').from('syncs'); q.limit(Number(req.params.n)); res.json(await q); });",
        "app.get('/n', async (req, res) => { const q = db.knex.select('*').from('syncs'); res.json(await paginate(q)); });",
        "app.get('/o', async (req, res) => res.json(await prisma.error.findMany({ distinct: ['platform'], select: { platform: true } })));",
        'declare const db: any; declare const paginate: any;',
        'function asyncWrapper(fn: any) { return (req: any, res: any, next: any) => fn(req, res, next).catch(next); }',
        'const listRuns = asyncWrapper(async (req: any, res: any) => res.json(await Run.findAll()));',
        "app.get('/p', listRuns);",
        "import { prisma } from './db';",
        "app.get('/f', async (req, res) => res.json(await pool.query('SELECT status, count(*) FROM runs GROUP BY status')));",
        "app.get('/g', async (req, res) => res.json(Object.values({ a: 1 })));",
        'declare const pool: { query(sql: string): Promise<unknown[]> };',
        'app.listen(3000);',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    const reads = Object.fromEntries(
      model.endpoints.map((e) => [
        e.path,
        e.handler?.reads ? `${e.handler.reads.kind} ${e.handler.reads.call}` : undefined,
      ]),
    );
    expect(reads).toEqual({
      '/a': 'unbounded prisma.event.findMany',
      '/b': 'bounded prisma.event.findMany', // `events` is a `new EventsService()`
      '/c': 'unbounded Run.findAll',
      '/d': 'bounded Run.findAll',
      '/e': 'unbounded pool.query',
      '/f': 'not-rows pool.query',
      '/g': undefined,
      '/h': 'paged prisma.event.findMany',
      '/i': undefined, // the spread may carry a take
      '/j': 'not-rows prisma.event.groupBy',
      '/k': 'bounded store.query',
      '/l': 'unbounded db.knex.select',
      '/m': 'bounded db.knex.select',
      '/n': undefined, // handed to a helper that may page it
      '/o': 'not-rows prisma.error.findMany',
      '/p': 'unbounded Run.findAll', // the function given to the wrapper is the handler
    });
  });
});

describe('handler answers the same for everyone', () => {
  it('publicAnswer: Cache-Control public or an asset content type; constantAnswer: only failures, or a bare status', async () => {
    const dir = tree({
      'app.ts': [
        "import express from 'express';",
        "import { catalog, settings } from './data';",
        'const app = express();',
        "app.get('/catalog', (_req, res) => { res.set('Cache-Control', 'public, s-maxage=60'); res.json(catalog); });",
        "app.get('/private', (_req, res) => { res.set('Cache-Control', 'private, max-age=60'); res.json(catalog); });",
        "app.get('/logo', (_req, res) => { res.writeHead(200, { 'Content-Type': `image/${'png'}` }); res.end(); });",
        "app.get('/boom', () => { throw new Error('test'); res.json({ never: true }); });",
        "app.get('/missing', (req, res) => res.status(404).send({ error: 'not found: ' + req.url }));",
        "app.post('/files', (_req, _res, next) => next(new Error('Filename not provided.')));",
        "app.get('/noop', (_req, res) => { res.sendStatus(200); });",
        "app.get('/stub', (_req, res) => res.json({ total: 0 }));",
        "app.get('/settings', (_req, res) => { res.sendStatus(200); void settings; });",
        "app.get('/slow', async (_req, res) => { await Promise.resolve(); res.sendStatus(200); });",
        'app.listen(3000);',
      ].join('\n'),
      'data.ts': 'export const catalog = [1];\nexport const settings = { a: 1 };\n',
    });
    const model = await routesModel(dir);
    expect(model.endpoints.map((e) => [e.method, e.path, e.handler?.publicAnswer, e.handler?.constantAnswer])).toEqual([
      ['get', '/catalog', 'Cache-Control: public', undefined],
      ['get', '/private', undefined, undefined],
      ['get', '/logo', 'Content-Type: image/', 'status'],
      ['get', '/boom', undefined, 'failure'],
      ['get', '/missing', undefined, 'failure'],
      ['post', '/files', undefined, 'failure'],
      ['get', '/noop', undefined, 'status'],
      ['get', '/stub', undefined, undefined],
      ['get', '/settings', undefined, undefined],
      ['get', '/slow', undefined, undefined],
    ]);
  });
});

describe('deployment probes and caller identification', () => {
  it('takes the route a Dockerfile, Compose, Kubernetes or platform health check calls for the probe, and nothing commented out', async () => {
    const app = (path: string) =>
      [
        "import express from 'express';",
        'const app = express();',
        `app.get('${path}', (_req, res) => res.json({ ok: true }));`,
        "app.get('/v1/items', (_req, res) => res.json([]));",
        'app.listen(3000);',
      ].join('\n');
    const dir = tree({
      'docker/server.ts': app('/auth/isConfigured'),
      'docker/Dockerfile':
        'FROM node\nHEALTHCHECK --interval=30s \\\n  CMD wget --spider http://localhost:3000/auth/isconfigured\n',
      'compose/server.ts': app('/api/ping'),
      'compose/docker-compose.yml':
        'services:\n  web:\n    build: .\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost:${PORT:-3000}/api/ping"]\n',
      'k8s/server.ts': app('/live'),
      'k8s/chart/values.yaml': 'probes:\n  liveness:\n    httpGet:\n      path: /live\n      port: 3000\n',
      'fly/server.ts': app('/resources/healthcheck'),
      'fly/fly.toml': '[[services.http_checks]]\n  interval = "10s"\n  path = "/resources/healthcheck"\n',
      // A vendor's container probing its own root says nothing of the app beside it.
      'beside-minio/server.ts': app('/'),
      'beside-minio/docker-compose.yml':
        'services:\n  minio:\n    image: minio/minio\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost:9000/"]\n',
      'commented/server.ts': app('/api'),
      'commented/Dockerfile': 'FROM node\n# HEALTHCHECK CMD curl -f http://localhost:3000/api\n',
    });
    const model = await routesModel(dir);
    expect(Object.fromEntries(model.services.map((s) => [s.id, s.probedByDeployment ?? null]))).toEqual({
      'beside-minio/server.ts#app': null,
      'commented/server.ts#app': null,
      'compose/server.ts#app': 'GET /api/ping (compose/docker-compose.yml)',
      'docker/server.ts#app': 'GET /auth/isConfigured (docker/Dockerfile)',
      'fly/server.ts#app': 'GET /resources/healthcheck (fly/fly.toml)',
      'k8s/server.ts#app': 'GET /live (k8s/chart/values.yaml)',
    });
  });

  it('marks an app none of whose routes checks, signs in or reads a credential as identifying no caller', async () => {
    const dir = tree({
      'internal/server.ts': [
        "import express from 'express';",
        'const app = express();',
        "app.post('/sync/members', (_req, res) => res.json({}));",
        "app.get('/sync/status', (_req, res) => res.json({}));",
        'app.listen(3000);',
      ].join('\n'),
      'login/server.ts': [
        "import express from 'express';",
        'const app = express();',
        "app.post('/auth/login', (_req, res) => res.json({}));",
        "app.get('/posts', (_req, res) => res.json([]));",
        'app.listen(3000);',
      ].join('\n'),
      'key/server.ts': [
        "import express from 'express';",
        'const app = express();',
        "app.get('/links', (req, res) => res.json({ owner: req.headers['x-api-key'] }));",
        'app.listen(3000);',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    expect(Object.fromEntries(model.services.map((s) => [s.id, s.identifiesNoCaller ?? null]))).toEqual({
      'internal/server.ts#app': true,
      'key/server.ts#app': null,
      'login/server.ts#app': null,
    });
  });
});
