/**
 * tRPC routers in the routes model: procedures named by their router keys, served at the endpoint of the
 * handler that mounts them (a Next.js route file, app middleware, a Fastify plugin), as first-party RPC;
 * trpc-to-openapi procedures as REST resources at their own method and path.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanTrees, endpointList as procedures } from './routes-helpers.js';

afterEach(cleanTrees);

/** The t3-style tRPC setup: `t`, a public and a protected base procedure, the router factory alias. */
const TRPC = [
  "import { initTRPC, TRPCError } from '@trpc/server';",
  'const t = initTRPC.context<{ session?: { user: { id: string } } }>().create();',
  'export const createTRPCRouter = t.router;',
  'export const mergeRouters = t.mergeRouters;',
  'export const publicProcedure = t.procedure;',
  'const enforceUserIsAuthed = t.middleware(({ ctx, next }) => {',
  "  if (!ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED' });",
  '  return next({ ctx: { session: ctx.session } });',
  '});',
  'export const protectedProcedure = t.procedure.use(enforceUserIsAuthed);',
].join('\n');

const USER_ROUTER = [
  "import { z } from 'zod';",
  "import { createTRPCRouter, protectedProcedure, publicProcedure } from '../trpc';",
  'export const userRouter = createTRPCRouter({',
  '  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => ({ id: input.id })),',
  '  update: protectedProcedure.input(z.object({ name: z.string() })).mutation(async () => ({ ok: true })),',
  '  settings: { get: protectedProcedure.query(() => ({})) },',
  '});',
].join('\n');

const ROOT = [
  "import { createTRPCRouter, mergeRouters, publicProcedure } from './trpc';",
  "import { userRouter } from './routers/user';",
  'const health = createTRPCRouter({ ping: publicProcedure.query(() => "pong") });',
  'export const appRouter = mergeRouters(health, createTRPCRouter({ user: userRouter }));',
].join('\n');

describe('tRPC', () => {
  it("serves a router through a Next.js pages API route at the file's path", async () => {
    const routes = await procedures({
      'package.json': '{ "dependencies": { "next": "15.0.0", "@trpc/server": "11.0.0" } }',
      'next.config.mjs': 'export default {};\n',
      'src/server/trpc.ts': TRPC,
      'src/server/routers/user.ts': USER_ROUTER,
      'src/server/root.ts': ROOT,
      'src/pages/api/trpc/[trpc].ts': [
        "import { createNextApiHandler } from '@trpc/server/adapters/next';",
        "import { appRouter } from '../../../server/root';",
        'export default createNextApiHandler({ router: appRouter, createContext: () => ({}) });',
      ].join('\n'),
    });
    expect(routes).toEqual([
      'GET /api/trpc/ping src/server/root.ts:3 next.config.mjs#nextjs internal public=publicProcedure',
      'GET /api/trpc/user.byId src/server/routers/user.ts:4 next.config.mjs#nextjs internal public=publicProcedure',
      'GET /api/trpc/user.settings.get src/server/routers/user.ts:6 next.config.mjs#nextjs internal auth=protectedProcedure',
      'POST /api/trpc/user.update src/server/routers/user.ts:5 next.config.mjs#nextjs internal auth=protectedProcedure',
    ]);
  });

  it("serves a router through Hono middleware and an Express mount, under the app's prefixes", async () => {
    const routes = await procedures({
      'src/trpc.ts': TRPC,
      'src/routers/user.ts': USER_ROUTER,
      'src/root.ts': ROOT,
      'src/hono.ts': [
        "import { Hono } from 'hono';",
        "import { serve } from '@hono/node-server';",
        "import { trpcServer } from '@hono/trpc-server';",
        "import { appRouter } from './root';",
        "const app = new Hono().basePath('/api');",
        "app.get('/health', (c) => c.text('ok'));",
        "app.use('/trpc/*', trpcServer({ router: appRouter }));",
        'serve({ fetch: app.fetch });',
      ].join('\n'),
      'src/express.ts': [
        "import express from 'express';",
        "import * as trpcExpress from '@trpc/server/adapters/express';",
        "import { userRouter } from './routers/user';",
        'const app = express();',
        "app.use('/rpc', trpcExpress.createExpressMiddleware({ router: userRouter }));",
        'app.listen(3000);',
      ].join('\n'),
    });
    expect(routes).toEqual([
      'GET /api/health src/hono.ts:6 src/hono.ts#app infrastructure auth=none',
      'GET /api/trpc/ping src/root.ts:3 src/hono.ts#app internal public=publicProcedure',
      'GET /api/trpc/user.byId src/routers/user.ts:4 src/hono.ts#app internal public=publicProcedure',
      'GET /api/trpc/user.settings.get src/routers/user.ts:6 src/hono.ts#app internal auth=protectedProcedure',
      'GET /rpc/byId src/routers/user.ts:4 src/express.ts#app internal public=publicProcedure',
      'GET /rpc/settings.get src/routers/user.ts:6 src/express.ts#app internal auth=protectedProcedure',
      'POST /api/trpc/user.update src/routers/user.ts:5 src/hono.ts#app internal auth=protectedProcedure',
      'POST /rpc/update src/routers/user.ts:5 src/express.ts#app internal auth=protectedProcedure',
    ]);
  });

  it('keeps procedures served by no handler it sees, with no guessed endpoint', async () => {
    const routes = await procedures({
      'src/trpc.ts': TRPC,
      'src/routers/user.ts': USER_ROUTER,
      'src/root.ts': ROOT,
    });
    expect(routes).toEqual([
      'GET /<tRPC endpoint>/ping src/root.ts:3 src/root.ts#appRouter low internal public=publicProcedure',
      'GET /<tRPC endpoint>/user.byId src/routers/user.ts:4 src/root.ts#appRouter low internal public=publicProcedure',
      'GET /<tRPC endpoint>/user.settings.get src/routers/user.ts:6 src/root.ts#appRouter low internal auth=protectedProcedure',
      'POST /<tRPC endpoint>/user.update src/routers/user.ts:5 src/root.ts#appRouter low internal auth=protectedProcedure',
    ]);
  });

  it("reads Fastify's plugin prefix and a fetch handler's endpoint", async () => {
    const routes = await procedures({
      'src/trpc.ts': TRPC,
      'src/routers/user.ts': USER_ROUTER,
      'src/server.ts': [
        "import Fastify from 'fastify';",
        "import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';",
        "import { userRouter } from './routers/user';",
        'const server = Fastify();',
        "server.register(fastifyTRPCPlugin, { prefix: '/trpc', trpcOptions: { router: userRouter } });",
        'server.listen({ port: 3000 });',
      ].join('\n'),
      'src/worker.ts': [
        "import { fetchRequestHandler } from '@trpc/server/adapters/fetch';",
        "import { userRouter } from './routers/user';",
        "export default { fetch: (req: Request) => fetchRequestHandler({ endpoint: '/api', req, router: userRouter }) };",
      ].join('\n'),
    });
    expect(routes).toEqual([
      'GET /api/byId src/routers/user.ts:4 src/worker.ts#trpc internal public=publicProcedure',
      'GET /api/settings.get src/routers/user.ts:6 src/worker.ts#trpc internal auth=protectedProcedure',
      'GET /trpc/byId src/routers/user.ts:4 src/server.ts#server internal public=publicProcedure',
      'GET /trpc/settings.get src/routers/user.ts:6 src/server.ts#server internal auth=protectedProcedure',
      'POST /api/update src/routers/user.ts:5 src/worker.ts#trpc internal auth=protectedProcedure',
      'POST /trpc/update src/routers/user.ts:5 src/server.ts#server internal auth=protectedProcedure',
    ]);
  });

  it('publishes trpc-to-openapi procedures as REST resources at their base path', async () => {
    const routes = await procedures({
      'package.json': '{ "dependencies": { "next": "15.0.0" } }',
      'src/server/trpc.ts': TRPC,
      'src/server/routers/user.ts': [
        "import { z } from 'zod';",
        "import { createTRPCRouter, protectedProcedure, publicProcedure } from '../trpc';",
        'export const userRouter = createTRPCRouter({',
        "  list: protectedProcedure.meta({ openapi: { method: 'GET', path: '/users' } }).input(z.object({ q: z.string() })).query(() => []),",
        "  byId: publicProcedure.meta({ openapi: { method: 'GET', path: '/users/{id}', protect: true } }).input(z.object({ id: z.string() })).query(() => ({})),",
        '  internalOnly: protectedProcedure.mutation(() => ({})),',
        "  streamed: protectedProcedure.meta({ openapi: { method: 'POST', path: '/stream', enabled: false } }).subscription(async function* () {}),",
        '});',
      ].join('\n'),
      'src/app/api/trpc/[trpc]/route.ts': [
        "import { fetchRequestHandler } from '@trpc/server/adapters/fetch';",
        "import { userRouter } from '../../../../server/routers/user';",
        "const handler = (req: Request) => fetchRequestHandler({ endpoint: '/api/trpc', req, router: userRouter });",
        'export { handler as GET, handler as POST };',
      ].join('\n'),
      'src/app/api/v1/[...openapi]/route.ts': [
        "import { createOpenApiFetchHandler } from 'trpc-to-openapi';",
        "import { userRouter } from '../../../../server/routers/user';",
        "const handler = (req: Request) => createOpenApiFetchHandler({ endpoint: '/api/v1', req, router: userRouter });",
        'export { handler as GET, handler as POST };',
      ].join('\n'),
    });
    expect(routes).toEqual([
      'GET /api/trpc/byId src/server/routers/user.ts:5 package.json#nextjs internal auth=?',
      'GET /api/trpc/list src/server/routers/user.ts:4 package.json#nextjs internal auth=?',
      'GET /api/trpc/streamed src/server/routers/user.ts:7 package.json#nextjs internal auth=protectedProcedure',
      'GET /api/v1/users src/server/routers/user.ts:4 package.json#nextjs resource auth=protectedProcedure',
      'GET /api/v1/users/{id} src/server/routers/user.ts:5 package.json#nextjs resource auth=meta.openapi.protect',
      'POST /api/trpc/internalOnly src/server/routers/user.ts:6 package.json#nextjs internal auth=protectedProcedure',
    ]);
  });

  it('follows lazy routers, a handler called through a project function, and a router it can only match by name', async () => {
    const routes = await procedures({
      'package.json': '{ "name": "acme", "workspaces": ["packages/*"] }',
      'packages/api/package.json': '{ "name": "@acme/api", "exports": { "./deep": "./src/deep.ts" } }',
      'packages/api/src/trpc.ts': TRPC,
      'packages/api/src/routers/user.ts': USER_ROUTER,
      'packages/api/src/root.ts': [
        "import { lazy } from '@trpc/server';",
        "import { createTRPCRouter } from './trpc';",
        'export const appRouter = createTRPCRouter({',
        "  user: lazy(() => import('./routers/user').then((m) => m.userRouter)),",
        '});',
      ].join('\n'),
      'packages/api/src/deep.ts': "export { appRouter } from './root';\n",
      'server/handler.ts': [
        "import { fetchRequestHandler } from '@trpc/server/adapters/fetch';",
        "import { appRouter } from '@acme/api/deep';",
        'export const rpc = (req: Request) => fetchRequestHandler({ endpoint: process.env.RPC_PATH!, req, router: appRouter });',
      ].join('\n'),
      'server/app.ts': [
        "import { Hono } from 'hono';",
        "import { serve } from '@hono/node-server';",
        "import { rpc } from './handler';",
        'const app = new Hono();',
        "app.use('/rpc/*', async (c) => rpc(c.req.raw));",
        'serve({ fetch: app.fetch });',
      ].join('\n'),
    });
    expect(routes).toEqual([
      'GET /rpc/user.byId packages/api/src/routers/user.ts:4 server/app.ts#app internal public=publicProcedure',
      'GET /rpc/user.settings.get packages/api/src/routers/user.ts:6 server/app.ts#app internal auth=protectedProcedure',
      'POST /rpc/user.update packages/api/src/routers/user.ts:5 server/app.ts#app internal auth=protectedProcedure',
    ]);
  });

  it('reads authentication from the base procedure chain: public by name, refusing middleware, names it cannot follow', async () => {
    const routes = await procedures({
      'src/trpc.ts': [
        "import { initTRPC, TRPCError } from '@trpc/server';",
        "import { sessionGuard } from '@acme/guards';",
        'const t = initTRPC.create();',
        'export const router = t.router;',
        // A public base whose middleware refuses some callers is still public on purpose.
        "export const publicProcedure = t.procedure.use(({ ctx, next }: any) => { if (ctx.user?.banned) throw new TRPCError({ code: 'UNAUTHORIZED' }); return next(); });",
        "export const privateProcedure = publicProcedure.use(({ ctx, next }: any) => { if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED' }); return next(); });",
        'export const adminProcedure = privateProcedure.use(({ next }: any) => next());',
        'export const loggedProcedure = t.procedure.use(({ next }: any) => next());',
        'export const guardedProcedure = t.procedure.use(sessionGuard);',
        'export const tracedProcedure = t.procedure.use(trace);',
        'declare const trace: any;',
      ].join('\n'),
      'src/router.ts': [
        "import { authedProcedure, teamProcedure } from '@acme/trpc';",
        "import { adminProcedure, guardedProcedure, loggedProcedure, privateProcedure, publicProcedure, router, tracedProcedure } from './trpc';",
        'export const appRouter = router({',
        '  a: publicProcedure.query(() => 1),',
        '  b: privateProcedure.query(() => 1),',
        '  c: adminProcedure.mutation(() => 1),',
        '  d: loggedProcedure.query(() => 1),',
        '  e: guardedProcedure.query(() => 1),',
        '  f: authedProcedure.query(() => 1),',
        '  g: teamProcedure.query(() => 1),',
        '  h: tracedProcedure.query(() => 1),',
        '});',
      ].join('\n'),
    });
    expect(routes).toEqual([
      'GET /<tRPC endpoint>/a src/router.ts:4 src/router.ts#appRouter low internal public=publicProcedure',
      'GET /<tRPC endpoint>/b src/router.ts:5 src/router.ts#appRouter low internal auth=privateProcedure',
      'GET /<tRPC endpoint>/d src/router.ts:7 src/router.ts#appRouter low internal auth=none',
      'GET /<tRPC endpoint>/e src/router.ts:8 src/router.ts#appRouter low internal auth=guardedProcedure',
      'GET /<tRPC endpoint>/f src/router.ts:9 src/router.ts#appRouter low internal auth=authedProcedure',
      'GET /<tRPC endpoint>/g src/router.ts:10 src/router.ts#appRouter low internal auth=?',
      'GET /<tRPC endpoint>/h src/router.ts:11 src/router.ts#appRouter low internal auth=?',
      'POST /<tRPC endpoint>/c src/router.ts:6 src/router.ts#appRouter low internal auth=privateProcedure',
    ]);
  });
});
