/**
 * ts-rest contracts in the routes model: each contract route is an endpoint at its contract path, where the
 * contract is served — registered on an Express/Fastify app (its mounts and middleware apply), or matched on
 * the whole URL path by a fetch / Next.js handler (in the service whose route hands it the request).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanTrees, endpointList as endpoints } from './routes-helpers.js';

afterEach(cleanTrees);

const CONTRACT = [
  "import { initContract } from '@ts-rest/core';",
  "import { z } from 'zod';",
  'const c = initContract();',
  'const comments = c.router({',
  "  list: { method: 'GET', path: '/posts/:id/comments', responses: { 200: z.array(z.string()) } },",
  '});',
  'export const contract = c.router(',
  '  {',
  "    getPosts: { method: 'GET', path: '/posts', query: z.object({ skip: z.number() }), responses: {} },",
  "    createPost: { method: 'POST', path: '/posts', body: z.object({}), responses: {} },",
  "    deletePost: c.mutation({ method: 'DELETE', path: '/posts/:id', body: null, responses: {} }),",
  '    comments,',
  '  },',
  "  { pathPrefix: '/v1' },",
  ');',
].join('\n');

const IMPLEMENTATION = [
  "import { initServer } from '@ts-rest/express';",
  "import { contract } from './contract';",
  "import { requireUser } from './auth';",
  'const s = initServer();',
  'export const router = s.router(contract, {',
  '  getPosts: async ({ query }) => ({ status: 200, body: [] }),',
  '  createPost: { middleware: [requireUser], handler: async () => ({ status: 201, body: {} }) },',
  '  deletePost: async () => ({ status: 204, body: null }),',
  '  comments: { list: async () => ({ status: 200, body: [] }) },',
  '});',
].join('\n');

/** The implementation's handlers, keyed like the contract. */
const HANDLERS = [
  '  getPosts: async () => ({ status: 200, body: [] }),',
  '  createPost: async () => ({ status: 201, body: {} }),',
  '  deletePost: async () => ({ status: 204, body: null }),',
  '  comments: { list: async () => ({ status: 200, body: [] }) },',
];

const AUTH = [
  'export function requireUser(req, res, next) {',
  "  if (!req.headers.authorization) return res.status(401).json({ error: 'unauthorized' });",
  '  next();',
  '}',
].join('\n');

describe('ts-rest', () => {
  it('registers a contract on an Express router mounted at a prefix, with its route middleware', async () => {
    const routes = await endpoints({
      'package.json': '{ "dependencies": { "express": "5.0.0", "@ts-rest/express": "3.52.0" } }',
      'src/contract.ts': CONTRACT,
      'src/router.ts': IMPLEMENTATION,
      'src/auth.ts': AUTH,
      'src/app.ts': [
        "import express from 'express';",
        "import { createExpressEndpoints } from '@ts-rest/express';",
        "import { contract } from './contract';",
        "import { router } from './router';",
        'const app = express();',
        'const api = express.Router();',
        'createExpressEndpoints(contract, router, api);',
        "app.use('/api', api);",
        'app.listen(3000);',
      ].join('\n'),
    });
    expect(routes).toEqual([
      'DELETE /api/v1/posts/{id} src/contract.ts:11 src/app.ts#app resource auth=none',
      'GET /api/v1/posts src/contract.ts:9 src/app.ts#app resource auth=none',
      'GET /api/v1/posts/{id}/comments src/contract.ts:5 src/app.ts#app resource auth=none',
      'POST /api/v1/posts src/contract.ts:10 src/app.ts#app resource auth=requireUser',
    ]);
  });

  it('puts globalMiddleware in front of every route', async () => {
    const routes = await endpoints({
      'package.json': '{ "dependencies": { "express": "5.0.0", "@ts-rest/express": "3.52.0" } }',
      'src/contract.ts': CONTRACT,
      'src/router.ts': IMPLEMENTATION,
      'src/auth.ts': AUTH,
      'src/app.ts': [
        "import express from 'express';",
        "import { createExpressEndpoints } from '@ts-rest/express';",
        "import { contract } from './contract';",
        "import { router } from './router';",
        "import { requireUser } from './auth';",
        'const app = express();',
        'createExpressEndpoints(contract, router, app, { globalMiddleware: [requireUser] });',
        'app.listen(3000);',
      ].join('\n'),
    });
    expect(routes.map((r) => r.replace(/ src\/contract.*? resource/, ''))).toEqual([
      'DELETE /v1/posts/{id} auth=requireUser',
      'GET /v1/posts auth=requireUser',
      'GET /v1/posts/{id}/comments auth=requireUser',
      'POST /v1/posts auth=requireUser',
    ]);
  });

  it('registers a contract as a Fastify plugin at the register prefix', async () => {
    const routes = await endpoints({
      'package.json': '{ "dependencies": { "fastify": "5.0.0", "@ts-rest/fastify": "3.52.0" } }',
      'src/contract.ts': CONTRACT,
      'src/app.ts': [
        "import Fastify from 'fastify';",
        "import { initServer } from '@ts-rest/fastify';",
        "import { contract } from './contract';",
        'const app = Fastify();',
        'const s = initServer();',
        'const router = s.router(contract, {',
        ...HANDLERS,
        '});',
        "app.register(s.plugin(router), { prefix: '/api' });",
        'app.listen({ port: 3000 });',
      ].join('\n'),
    });
    expect(routes.map((r) => r.split(' ').slice(0, 2).join(' '))).toEqual([
      'DELETE /api/v1/posts/{id}',
      'GET /api/v1/posts',
      'GET /api/v1/posts/{id}/comments',
      'POST /api/v1/posts',
    ]);
  });

  it('serves a contract through a fetch handler mounted in a Hono app: whole URL paths, in that service', async () => {
    const routes = await endpoints({
      'package.json': '{ "dependencies": { "hono": "4.0.0", "@ts-rest/serverless": "3.52.0" } }',
      'src/contract.ts': CONTRACT,
      'src/auth.ts': [
        'export const withApiKey = (handler) => async (args, ctx) => {',
        "  if (!args.headers.authorization) return { status: 401, body: { message: 'unauthorized' } };",
        '  return handler(args, ctx);',
        '};',
      ].join('\n'),
      'src/app.ts': [
        "import { Hono } from 'hono';",
        "import { serve } from '@hono/node-server';",
        "import { fetchRequestHandler, tsr } from '@ts-rest/serverless/fetch';",
        "import { contract } from './contract';",
        "import { withApiKey } from './auth';",
        'const router = tsr.router(contract, {',
        '  getPosts: withApiKey(async () => ({ status: 200, body: [] })),',
        '  createPost: withApiKey(async () => ({ status: 201, body: {} })),',
        '  deletePost: withApiKey(async () => ({ status: 204, body: null })),',
        '  comments: { list: async () => ({ status: 200, body: [] }) },',
        '});',
        'const app = new Hono();',
        "app.get('/health', (c) => c.text('ok'));",
        "app.all('/api/*', (c) => fetchRequestHandler({ request: c.req.raw, contract, router, options: { basePath: '/api' } }));",
        'serve(app);',
      ].join('\n'),
    });
    expect(routes).toEqual([
      'DELETE /api/v1/posts/{id} src/contract.ts:11 src/app.ts#app resource auth=withApiKey',
      'GET /api/v1/posts src/contract.ts:9 src/app.ts#app resource auth=withApiKey',
      'GET /api/v1/posts/{id}/comments src/contract.ts:5 src/app.ts#app resource auth=none',
      'GET /health src/app.ts:13 src/app.ts#app infrastructure auth=none',
      'POST /api/v1/posts src/contract.ts:10 src/app.ts#app resource auth=withApiKey',
    ]);
  });

  it('serves a contract through a Hono mount of a sub-app (the whole URL path is matched)', async () => {
    const routes = await endpoints({
      'package.json': '{ "dependencies": { "hono": "4.0.0", "@ts-rest/serverless": "3.52.0" } }',
      'src/contract.ts': CONTRACT,
      'src/api.ts': [
        "import { Hono } from 'hono';",
        "import { fetchRequestHandler, tsr } from '@ts-rest/serverless/fetch';",
        "import { contract } from './contract';",
        'const router = tsr.router(contract, {',
        ...HANDLERS,
        '});',
        'export const api = new Hono();',
        "api.get('/openapi.json', (c) => c.json({}));",
        "api.mount('/', async (request) => fetchRequestHandler({ request, contract, router }));",
      ].join('\n'),
      'src/app.ts': [
        "import { Hono } from 'hono';",
        "import { serve } from '@hono/node-server';",
        "import { api } from './api';",
        'const app = new Hono();',
        "app.route('/v1', api);",
        'serve(app);',
      ].join('\n'),
    });
    expect(routes.map((r) => r.split(' ').slice(0, 4).join(' '))).toEqual([
      'DELETE /v1/posts/{id} src/contract.ts:11 src/app.ts#app',
      'GET /v1/openapi.json src/api.ts:11 src/app.ts#app',
      'GET /v1/posts src/contract.ts:9 src/app.ts#app',
      'GET /v1/posts/{id}/comments src/contract.ts:5 src/app.ts#app',
      'POST /v1/posts src/contract.ts:10 src/app.ts#app',
    ]);
  });

  it('lists a Hono mount of another fetch handler as one catch-all route', async () => {
    const routes = await endpoints({
      'package.json': '{ "dependencies": { "hono": "4.0.0" } }',
      'src/app.ts': [
        "import { Hono } from 'hono';",
        "import { serve } from '@hono/node-server';",
        "import { legacy } from './legacy';",
        'const app = new Hono();',
        "app.mount('/legacy/', legacy.fetch);",
        'serve(app);',
      ].join('\n'),
      'src/legacy.ts': 'export const legacy = { fetch: async (request: Request) => new Response("ok") };\n',
    });
    expect(routes.map((r) => r.split(' ').slice(0, 4).join(' '))).toEqual([
      'ALL /legacy/* src/app.ts:5 src/app.ts#app',
    ]);
  });

  it('serves a contract from a Next.js pages catch-all with createNextRouter', async () => {
    const routes = await endpoints({
      'package.json': '{ "dependencies": { "next": "15.0.0", "@ts-rest/next": "3.52.0" } }',
      'next.config.mjs': 'export default {};\n',
      'src/contract.ts': CONTRACT.replace("{ pathPrefix: '/v1' }", "{ pathPrefix: '/api/v1' }"),
      'src/pages/api/[...ts-rest].ts': [
        "import { createNextRoute, createNextRouter } from '@ts-rest/next';",
        "import { contract } from '../../contract';",
        'const posts = createNextRoute(contract, {',
        ...HANDLERS,
        '});',
        'export default createNextRouter(contract, posts);',
      ].join('\n'),
    });
    expect(routes.map((r) => r.split(' ').slice(0, 4).join(' '))).toEqual([
      'DELETE /api/v1/posts/{id} src/contract.ts:11 next.config.mjs#nextjs',
      'GET /api/v1/posts src/contract.ts:9 next.config.mjs#nextjs',
      'GET /api/v1/posts/{id}/comments src/contract.ts:5 next.config.mjs#nextjs',
      'POST /api/v1/posts src/contract.ts:10 next.config.mjs#nextjs',
    ]);
  });

  it('reads a NestJS controller method decorated with @TsRestHandler(route) at the contract path', async () => {
    const routes = await endpoints({
      'package.json': '{ "dependencies": { "@nestjs/core": "11.0.0", "@ts-rest/nest": "3.52.0" } }',
      'src/contract.ts': CONTRACT,
      'src/main.ts': [
        "import { NestFactory } from '@nestjs/core';",
        "import { AppModule } from './app.module';",
        'async function bootstrap() {',
        '  const app = await NestFactory.create(AppModule);',
        "  app.setGlobalPrefix('api');",
        '  await app.listen(3000);',
        '}',
        'bootstrap();',
      ].join('\n'),
      'src/app.module.ts': [
        "import { Module } from '@nestjs/common';",
        "import { PostsController } from './posts.controller';",
        '@Module({ controllers: [PostsController] })',
        'export class AppModule {}',
      ].join('\n'),
      'src/posts.controller.ts': [
        "import { Controller } from '@nestjs/common';",
        "import { TsRestHandler, tsRestHandler } from '@ts-rest/nest';",
        "import { contract } from './contract';",
        '@Controller()',
        'export class PostsController {',
        '  @TsRestHandler(contract.getPosts)',
        '  getPosts() { return tsRestHandler(contract.getPosts, async () => ({ status: 200, body: [] })); }',
        '  @TsRestHandler(contract.comments.list)',
        '  comments() { return tsRestHandler(contract.comments.list, async () => ({ status: 200, body: [] })); }',
        '}',
      ].join('\n'),
    });
    expect(routes.map((r) => r.split(' ').slice(0, 4).join(' '))).toEqual([
      'GET /api/v1/posts src/posts.controller.ts:6 src/main.ts#app',
      'GET /api/v1/posts/{id}/comments src/posts.controller.ts:8 src/main.ts#app',
    ]);
  });

  it('keeps a contract whose handler no route reaches in a service of its own, at low confidence', async () => {
    const routes = await endpoints({
      'package.json': '{ "dependencies": { "@ts-rest/serverless": "3.52.0" } }',
      'src/contract.ts': CONTRACT,
      'src/lambda.ts': [
        "import { createLambdaHandler, tsr } from '@ts-rest/serverless/aws';",
        "import { contract } from './contract';",
        'const router = tsr.router(contract, {',
        ...HANDLERS,
        '});',
        'export const handler = createLambdaHandler(contract, router);',
      ].join('\n'),
    });
    expect(routes.map((r) => r.split(' ').slice(0, 5).join(' '))).toEqual([
      'DELETE /v1/posts/{id} src/contract.ts:11 src/lambda.ts#handler low',
      'GET /v1/posts src/contract.ts:9 src/lambda.ts#handler low',
      'GET /v1/posts/{id}/comments src/contract.ts:5 src/lambda.ts#handler low',
      'POST /v1/posts src/contract.ts:10 src/lambda.ts#handler low',
    ]);
  });
});
