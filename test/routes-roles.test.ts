/** Handler facts the routes input reads for endpoint roles: views, redirects, stored files, cron triggers, hand-offs to Next.js. */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanTrees, routesModel, tree } from './routes-helpers.js';

afterEach(cleanTrees);

const row = (e: { method: string; path: string; role: string; serviceId: string }) =>
  `${e.method.toUpperCase()} ${e.path} ${e.role} ${e.serviceId}`;

describe('server-rendered sites', () => {
  it('reads views and redirects through CommonJS controllers (`exports.x = …`), and the view engine of the app', async () => {
    const dir = tree({
      'app.js': [
        "const express = require('express');",
        "const home = require('./controllers/home');",
        'const app = express();',
        "app.set('view engine', 'pug');",
        "app.get('/', home.index);",
        "app.post('/contact', home.postContact);",
        "app.post('/api/contact', home.apiContact);",
        'app.listen(3000);',
      ].join('\n'),
      'controllers/home.js': [
        "exports.index = (req, res) => res.render('home');",
        "exports.postContact = (req, res) => { res.redirect('/'); };",
        'exports.apiContact = async (req, res) => {',
        "  const upstream = await fetch('https://example.com');",
        '  const body = await upstream.json();',
        '  res.json({ ok: true, body });',
        '};',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    expect(model.services.map((s) => s.viewEngine)).toEqual(['pug']);
    expect(
      model.endpoints.map((e) => [e.path, e.role, e.handler?.rendersView, e.handler?.redirects, e.handler?.sendsJson]),
    ).toEqual([
      ['/', 'page', 'res.render', undefined, undefined],
      ['/contact', 'page', undefined, true, undefined],
      ['/api/contact', 'resource', undefined, undefined, true],
    ]);
  });

  it('follows a handler that is a property of a required module (`module.exports = { … }`) wrapped by a project helper', async () => {
    const dir = tree({
      'server.js': [
        "const express = require('express');",
        "const renders = require('./renders.routes');",
        'const app = express();',
        "app.set('view engine', 'hbs');",
        "app.use('/', renders);",
        'app.listen(3000);',
      ].join('\n'),
      'renders.routes.js': [
        "const { Router } = require('express');",
        "const renders = require('./renders.handler');",
        "const asyncHandler = require('./asyncHandler');",
        'const router = Router();',
        "router.get('/confirm-user-delete', asyncHandler(renders.confirmUserDelete));",
        'module.exports = router;',
      ].join('\n'),
      'asyncHandler.js':
        'module.exports = (fn) => (req, res, next) => Promise.resolve(fn(req, res, next)).catch(next);',
      'renders.handler.js': [
        'async function confirmUserDelete(req, res) {',
        "  res.render('partials/dialog/delete_user', { layout: false });",
        '}',
        'module.exports = { confirmUserDelete };',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    expect(model.endpoints.map((e) => [e.path, e.role, e.handler?.rendersView])).toEqual([
      ['/confirm-user-delete', 'page', 'res.render'],
    ]);
  });

  it('a handler that renders for htmx and sends an object (res.send({ … })) to API clients answers JSON: not a page', async () => {
    const dir = tree({
      'app.js': [
        "const express = require('express');",
        'const app = express();',
        "app.set('view engine', 'hbs');",
        "app.delete('/api/users/:id', (req, res) => {",
        "  if (req.isHTML) return res.render('partials/deleted');",
        "  return res.status(200).send({ message: 'User has been deleted.' });",
        '});',
        'app.listen(3000);',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    expect(model.endpoints.map((e) => [e.path, e.role, e.handler?.sendsJson])).toEqual([
      ['/api/users/{id}', 'resource', true],
    ]);
  });

  it('a redirect alone makes no page in an app with no view engine', async () => {
    const dir = tree({
      'app.ts': [
        "import express from 'express';",
        'const app = express();',
        "app.post('/v1/logout', (req, res) => res.redirect('/'));",
        'app.listen(1);',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    expect(model.endpoints.map((e) => e.role)).toEqual(['resource']);
  });
});

describe('scheduled jobs', () => {
  it('paths listed in the vercel.json `crons` of the app (parameters match any segment) and handlers that check CRON_SECRET', async () => {
    const dir = tree({
      'vercel.json': JSON.stringify({ crons: [{ path: '/jobs/reports/daily?x=1', schedule: '0 1 * * *' }] }),
      'server.ts': [
        "import express from 'express';",
        'const app = express();',
        "app.get('/jobs/:kind/daily', (req, res) => res.json({}));",
        "app.get('/jobs/cleanup', (req, res) => {",
        "  if (req.headers.authorization !== `Bearer ${process.env.CRON_SECRET}`) return res.status(401).json({ code: 'UNAUTHORIZED', message: 'no' });",
        '  res.json({});',
        '});',
        "app.get('/v1/jobs', (req, res) => res.json({ data: [], next: null }));",
        '// Sending the secret to another service is not checking a request with it.',
        "app.post('/v1/runs', async (req, res) => {",
        "  await fetch('https://worker.internal/run', { headers: { Authorization: `Basic ${process.env.CRON_SECRET}` } });",
        '  res.status(202).json({});',
        '});',
        'export default app;',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    expect(model.endpoints.map((e) => [e.path, e.role, e.handler?.scheduled])).toEqual([
      ['/jobs/{kind}/daily', 'internal', true],
      ['/jobs/cleanup', 'internal', true],
      ['/v1/jobs', 'resource', undefined],
      ['/v1/runs', 'resource', undefined],
    ]);
    expect(model.endpoints[0]!.roleReason).toBe('scheduled job trigger');
  });

  it('a vercel.json that is not JSON is ignored', async () => {
    const dir = tree({
      'vercel.json': '{ crons: [',
      'server.ts':
        "import express from 'express';\nconst app = express();\napp.get('/jobs/a', (q, s) => s.json({}));\nexport default app;\n",
    });
    const model = await routesModel(dir);
    expect(model.endpoints.map((e) => e.role)).toEqual(['resource']);
  });
});

describe("the deployment's shared secret", () => {
  it('a request compared with one secret from the environment, in the handler, a helper, or a middleware in front', async () => {
    const dir = tree({
      'server.ts': [
        "import express from 'express';",
        "import crypto from 'node:crypto';",
        "import jwt from 'jsonwebtoken';",
        'const app = express();',
        'function fromWebApp(req: express.Request) {',
        '  const secret = process.env.MEDIA_SERVER_SECRET;',
        "  return req.get('x-media-server-secret') === secret;",
        '}',
        "app.post('/video/mux', (req, res) => {",
        "  if (!fromWebApp(req)) return res.status(401).json({ error: 'no' });",
        '  res.json({});',
        '});',
        "app.post('/admin/tenants', (req, res, next) => {",
        "  const token = String(req.headers.authorization).replace('Bearer ', '');",
        '  if (!crypto.timingSafeEqual(Buffer.from(token), Buffer.from(process.env.ADMIN_API_KEY ?? ""))) return res.sendStatus(401);',
        '  next();',
        '}, (req, res) => res.json({}));',
        '// A per-user token verified with the signing key, and a secret only asked whether it is set: client routes.',
        "app.get('/v1/jobs', (req, res) => {",
        '  jwt.verify(String(req.headers.authorization), process.env.JWT_SECRET!);',
        "  if (process.env.WORKER_TOKEN === undefined) return res.status(503).json({ code: 'OFF', message: 'off' });",
        '  res.json({ data: [], next: null });',
        '});',
        "// A super-admin key let in beside the users' own keys is an extra credential, not the only one.",
        "app.get('/v1/monitors', async (req, res) => {",
        "  const key = String(req.headers['x-api-key']);",
        "  if (key.startsWith('sa_') && key === process.env.SUPER_ADMIN_TOKEN) return res.json({ data: [], next: null });",
        "  if (!(await lookupKey(key))) return res.status(401).json({ code: 'UNAUTHORIZED', message: 'no' });",
        '  res.json({ data: [], next: null });',
        '});',
        'declare function lookupKey(key: string): Promise<boolean>;',
        '// A secret sent to another service is not a check of this request.',
        "app.post('/v1/runs', async (req, res) => {",
        "  await fetch('https://worker.internal/run', { headers: { 'x-api-key': process.env.WORKER_API_KEY! } });",
        '  res.status(202).json({});',
        '});',
        'export default app;',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    expect(model.endpoints.map((e) => [e.path, e.role, e.handler?.sharedSecret])).toEqual([
      ['/video/mux', 'internal', 'MEDIA_SERVER_SECRET'],
      ['/admin/tenants', 'internal', 'ADMIN_API_KEY'],
      ['/v1/jobs', 'resource', undefined],
      ['/v1/monitors', 'resource', undefined],
      ['/v1/runs', 'resource', undefined],
    ]);
    expect(model.endpoints[1]!.roleReason).toBe(
      "called with the deployment's shared secret (ADMIN_API_KEY): the project's own services and operators",
    );
    // The answer of the check goes to the holder of the secret; the JWT check's answers are the API's.
    const sites = model.errorSites.map((site) => [site.status, site.answersSecretHolder === true]);
    expect(sites).toEqual([
      [401, false],
      [401, true],
      [503, false],
      [401, false],
    ]);
  });
});

describe('Next.js route handlers', () => {
  it('a Hono app handed to a route handler (handle(app), app.fetch) answers inside the Next.js app, with its full paths', async () => {
    const dir = tree({
      'next.config.js': 'module.exports = {};',
      'app/api/private/[...route]/route.ts': [
        "import { Hono } from 'hono';",
        "import { handle } from 'hono/vercel';",
        "const app = new Hono().basePath('/api/private');",
        "app.get('/v1/polls', (c) => c.json({ data: [], next: null }));",
        'export const GET = handle(app);',
        'export const POST = handle(app);',
      ].join('\n'),
      'app/api/admin/[...route]/route.ts': [
        "import { Hono } from 'hono';",
        "const admin = new Hono().basePath('/api/admin');",
        "admin.get('/stats', (c) => c.json({}));",
        'export const GET = (req: Request) => admin.fetch(req);',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    expect(model.services.map((s) => s.id)).toEqual(['next.config.js#nextjs']);
    expect(model.endpoints.map(row).sort()).toEqual([
      'GET /api/admin/stats internal next.config.js#nextjs',
      'GET /api/private/v1/polls resource next.config.js#nextjs',
    ]);
  });

  it('`export const PUT = PATCH` carries PATCH’s wrappers, so its auth', async () => {
    const dir = tree({
      'package.json': '{ "dependencies": { "next": "15.0.0" } }',
      'lib/auth.ts': [
        'export function withAuth(h: (r: Request) => Promise<Response>) {',
        '  return async (r: Request) => (r.headers.get("authorization") ? h(r) : new Response(null, { status: 401 }));',
        '}',
      ].join('\n'),
      'app/api/v1/tags/[id]/route.ts': [
        "import { withAuth } from '../../../../../lib/auth';",
        'export const PATCH = withAuth(async (r) => Response.json({}));',
        'export const PUT = PATCH;',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    expect(model.endpoints.map((e) => [e.method, e.auth?.guards])).toEqual([
      ['patch', ['withAuth']],
      ['put', ['withAuth']],
    ]);
  });

  it('a GET that returns a stored object read by a helper is an asset; the upload next to it is not', async () => {
    const dir = tree({
      'package.json': '{ "dependencies": { "next": "15.0.0" } }',
      'app/api/v1/storage/[...key]/route.ts': [
        "import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';",
        'const s3 = new S3Client({});',
        'async function read(key: string) {',
        '  const out = await s3.send(new GetObjectCommand({ Bucket: "b", Key: key }));',
        '  return Buffer.from(await out.Body!.transformToByteArray());',
        '}',
        'export async function GET(req: Request, ctx: { params: { key: string[] } }) {',
        '  try {',
        "    return new Response(await read(ctx.params.key.join('/')), { headers: { 'Cache-Control': 'public, max-age=3600' } });",
        '  } catch {',
        "    return Response.json({ error: { code: 'NOT_FOUND', message: 'no such object' } }, { status: 404 });",
        '  }',
        '}',
        'export async function PUT(req: Request) {',
        '  return new Response(await req.arrayBuffer());',
        '}',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    expect(model.endpoints.map((e) => [e.method, e.role, e.handler?.servesStoredFile])).toEqual([
      ['get', 'asset', 'a stored object returned as the body'],
      ['put', 'resource', undefined],
    ]);
  });
});

describe('the name of a Next.js app at the lint root', () => {
  it('is the folder linted (the lint cwd), not the folder the process runs in', async () => {
    const dir = tree({
      'package.json': JSON.stringify({ name: 'web', dependencies: { next: '15.0.0' } }),
      'app/api/orders/route.ts': 'export async function GET() { return Response.json([]); }\n',
    });
    const model = await routesModel(dir);
    const names = model.services.filter((s) => s.framework === 'nextjs').map((s) => s.name);
    expect(process.cwd()).not.toBe(dir);
    expect(names).toEqual([dir.split('/').pop()]);
  });
});

describe('catch-alls handed to a package', () => {
  it('a handler whose every return hands the request (or a copy of it) to the same package delegates, however long its set-up; one answer of its own, or a throw, does not', async () => {
    const dir = tree({
      'auth.ts': "import { betterAuth } from 'better-auth';\nexport const auth = betterAuth({});",
      'index.ts': [
        "import { Hono } from 'hono';",
        "import { auth } from './auth';",
        'const app = new Hono();',
        "app.on(['GET', 'POST'], '/auth/*', async (c) => {",
        "  const a = c.req.header('Authorization');",
        "  const k = c.req.header('x-api-key');",
        "  const bearer = a?.split(' ')[1];",
        '  if (bearer && !k) {',
        '    const headers = new Headers(c.req.raw.headers);',
        "    headers.set('x-api-key', bearer);",
        '    return auth.handler(new Request(c.req.raw, { headers }));',
        '  }',
        '  return auth.handler(c.req.raw);',
        '});',
        "app.on(['GET'], '/sso/*', async (c) => {",
        "  const a = c.req.header('Authorization');",
        "  const k = c.req.header('x-api-key');",
        "  if (!a && !k) return c.json({ error: 'unauthorized' }, 401);",
        '  const url = new URL(c.req.url);',
        '  return auth.handler(c.req.raw);',
        '});',
        "app.on(['GET'], '/oidc/*', async (c) => {",
        "  const a = c.req.header('Authorization');",
        "  const k = c.req.header('x-api-key');",
        "  if (!a && !k) throw new Error('unauthorized');",
        '  const url = new URL(c.req.url);',
        '  return auth.handler(c.req.raw);',
        '});',
        'export default app;',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    expect(model.endpoints.map((e) => [e.method, e.path, e.handler?.delegatesTo])).toEqual([
      ['get', '/auth/*', 'better-auth'],
      ['post', '/auth/*', 'better-auth'],
      ['get', '/sso/*', undefined],
      ['get', '/oidc/*', undefined],
    ]);
  });
});

describe('first-party routes', () => {
  const server = {
    'server/package.json': '{ "name": "s", "private": true, "dependencies": { "express": "4" } }',
    'server/app.ts': [
      "import express from 'express';",
      'const app = express();',
      "app.get('/api/notes', (req, res) => res.json([]));",
      "app.get('/api/notes/:id', (req, res) => res.json({}));",
      "app.get('/api/tags', (req, res) => res.json([]));",
      'app.listen(3000);',
      '',
    ].join('\n'),
  };
  const ui = {
    'web/package.json': '{ "name": "w", "private": true, "dependencies": { "react": "18" } }',
    'web/src/api.ts':
      "export const notes = () => fetch('/api/notes');\nexport const note = (id: string) => fetch(`/api/notes/${id}`);\n",
  };

  it("marks the routes of a service the repository's UI calls, when its code reads no third-party credential", async () => {
    const model = await routesModel(tree({ ...server, ...ui }));
    expect(model.endpoints.map((e) => e.firstParty !== undefined)).toEqual([true, true, true]);
  });

  it('leaves them unmarked without a UI calling them, or when the service reads an API key', async () => {
    expect((await routesModel(tree(server))).endpoints.some((e) => e.firstParty)).toBe(false);
    const keyed = {
      ...server,
      'server/auth.ts': "export const key = (req: { header(name: string): string }) => req.header('x-api-key');\n",
    };
    expect((await routesModel(tree({ ...keyed, ...ui }))).endpoints.some((e) => e.firstParty)).toBe(false);
  });

  it('reads a bearer token as the UI sign-in, unless the service hands out keys for programs', async () => {
    const bearer = {
      ...server,
      'server/auth.ts':
        'export const who = (req: { headers: { authorization?: string } }) => req.headers.authorization;\n',
    };
    const signedIn = await routesModel(tree({ ...bearer, ...ui }));
    expect(signedIn.endpoints.map((e) => e.firstParty !== undefined)).toEqual([true, true, true]);
    const withKeys = {
      ...bearer,
      'server/app.ts': bearer['server/app.ts'].replace(
        'app.listen(3000);',
        "app.post('/api/api-keys', (req, res) => res.json({}));\napp.listen(3000);",
      ),
    };
    expect((await routesModel(tree({ ...withKeys, ...ui }))).endpoints.some((e) => e.firstParty)).toBe(false);
  });
});

describe('routes registered only in development or tests', () => {
  it('follows a Fastify plugin registered under the condition, a class method called only under it, and a callback', async () => {
    const dir = tree({
      'server.ts': [
        "import Fastify from 'fastify';",
        "import { localAds } from './local-ads';",
        "import { Server } from './flex';",
        'const app = Fastify();',
        "if (process.env.NODE_ENV === 'development') {",
        '  app.register(localAds);',
        '}',
        "app.get('/v1/feeds', async () => []);",
        'const server = new Server();',
        'if (process.env.APP_TEST_ROUTER) server.testRouter();',
        'server.start();',
        "process.env.NODE_ENV === 'test' && app.register(async (scoped) => { scoped.post('/v1/reset', async () => ({})); });",
        'app.listen({ port: 3000 });',
      ].join('\n'),
      'local-ads.ts': [
        "import type { FastifyInstance } from 'fastify';",
        'export async function localAds(app: FastifyInstance) {',
        "  app.get('/v1/ads', async () => []);",
        '}',
      ].join('\n'),
      'flex.ts': [
        "import express from 'express';",
        'export class Server {',
        '  app = express();',
        '  testRouter() {',
        "    this.app.get('/test/router', (_req, res) => res.json({ ok: true }));",
        '  }',
        '  start() {',
        '    this.app.listen(8080);',
        '  }',
        '}',
      ].join('\n'),
    });
    const model = await routesModel(dir);
    const roles = Object.fromEntries(model.endpoints.map((e) => [e.path, [e.role, e.devOnly]]));
    expect(roles['/v1/feeds']).toEqual(['resource', undefined]);
    expect(roles['/v1/ads']).toEqual(['infrastructure', "process.env.NODE_ENV === 'development'"]);
    expect(roles['/v1/reset']).toEqual(['infrastructure', "process.env.NODE_ENV === 'test'"]);
    expect(roles['/test/router']).toEqual([
      'infrastructure',
      'testRouter() is called only there: process.env.APP_TEST_ROUTER',
    ]);
  });
});
