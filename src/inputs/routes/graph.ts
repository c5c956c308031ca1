/**
 * The router graph the extractors build: application instances, routers, plugin contexts and
 * the routes registered on each, joined by mounts (`app.use(prefix, router)`,
 * `register(plugin, { prefix })`, `app.route(prefix, sub)`, `router.use(prefix, other.routes())`).
 * Full paths come from walking it from each root.
 */
import type { ts } from 'ts-morph';
import type { Origin } from '../../model/finding.js';
import type { HttpMethod } from '../../model/http.js';
import type { CodeFile } from '../code/index.js';
import type { StringValue } from './values.js';

export type Framework =
  | 'express'
  | 'fastify'
  | 'hono'
  | 'koa'
  | 'nestjs'
  | 'nextjs'
  | 'overnightjs'
  | 'trpc'
  | 'react-router'
  | 'ts-rest';

export interface RouteDecl {
  /** `all` = every method. */
  method: HttpMethod | 'all';
  path: StringValue;
  /** The registration call (or decorator / exported handler). */
  origin: Origin;
  /** Where the path is written when that is elsewhere: `router.route('/x')` for `.get(h)` chained on it. */
  pathOrigin?: Origin;
  file: CodeFile;
  /** The handler function, when it could be found. */
  handler?: ts.FunctionLikeDeclaration;
  /** Query schemas declared with the route (Fastify `schema.querystring`, Hono `zValidator('query', s)`…). */
  querySchemas?: ts.Expression[];
  /** Method or path could not be resolved. */
  uncertain?: boolean;
  /** Auth middleware in the route's own list (`router.get('/x', requireAuth, h)`, Fastify `onRequest`), as written. */
  guards?: string[];
  /** Optional auth in the route's own list (`auth.optional`): public on purpose. */
  optOut?: string;
  /** The route's own list holds middleware the input cannot follow (so its auth is not known). */
  unknownMiddleware?: boolean;
  /** The route's own middleware checks a webhook signature (`verifySlackSignature`). */
  signatureMiddleware?: boolean;
  /** A paging middleware in the route's own list (`koaPagination()`), as written. */
  pagingMiddleware?: string;
  /** The route's own middleware checks a cron secret (see NodeMiddleware.scheduled). */
  scheduledMiddleware?: boolean;
  /** The route's own middleware compares the request with a shared secret of the deployment: its name (see NodeMiddleware.sharedSecret). */
  secretMiddleware?: string;
  /** The registered handler is a package call wrapping no project function (`toNodeHandler(auth)`): that package. */
  delegatesTo?: string;
  /** Left out of the generated API docs on purpose (see Endpoint.hiddenFromDocs). */
  hiddenFromDocs?: boolean;
  /** Marked deprecated in the generated API docs (`deprecated: true` in the route's options). */
  deprecated?: boolean;
  /** An RPC procedure served through a handler mounted on the node (see Endpoint.procedure). */
  procedure?: { name: string; kind: string };
  /** Published in the REST API the project documents from its code (see Endpoint.published). */
  published?: boolean;
  /** The framework whose handler conventions the route follows, when not the node's (a tRPC procedure on a Hono app). */
  framework?: Framework;
  /** Registered only in development or tests: the condition, as written (src/inputs/routes/dev-only.ts). */
  devOnly?: string;
}

export interface Mount {
  child: RouterNode;
  prefix: StringValue;
  origin: Origin;
  /** Offset of the mounted value in origin.file: middleware registered before it runs before the child's routes. */
  order: number;
  /** Mounted only in development or tests: the condition, as written (src/inputs/routes/dev-only.ts). */
  devOnly?: string;
}

/**
 * Middleware registered on a node (`app.use(mw)`, `app.use('/admin', mw)`, Hono `use('/api/*', jwt())`,
 * Fastify `addHook('onRequest', …)`). Express, Koa and Hono run it only for routes and mounts
 * registered after it; Fastify hooks cover the whole plugin context.
 */
export interface NodeMiddleware {
  /** As written: `requireAuth`, `passport.authenticate('jwt', …)`. */
  label: string;
  /** unknown: a value the input cannot follow; when no guard is seen, the route's auth is not known. */
  kind: 'auth' | 'rate-limit' | 'other' | 'unknown';
  /** Path the middleware is scoped to, relative to the node ('' = every path). */
  scope: StringValue;
  file: string;
  /** Offset in file; undefined = applies regardless of registration order (Fastify hooks). */
  order?: number;
  /** It checks a cron secret from the environment (`bearerAuth({ token: process.env.CRON_SECRET })`): the routes behind it are scheduled jobs. */
  scheduled?: boolean;
  /**
   * It compares the request with one secret from the environment (`x-api-key !== process.env.API_KEY`): the name. The
   * routes behind it are called by whoever holds the deployment's secret (src/inputs/routes/shared-secret.ts).
   */
  sharedSecret?: string;
}

export interface RouterNode {
  /** `<file>#<variable>`: stable across runs. */
  id: string;
  name: string;
  framework: Framework;
  /**
   * app: an application factory (`express()`, `Fastify()`, `new Koa()`, `NestFactory.create`, `new Hono()`);
   * router: `Router()`, `new Router()` (Koa); context: a Fastify plugin's encapsulated instance;
   * handle: `router.route(path)`; unresolved: a parameter whose caller could not be found.
   */
  role: 'app' | 'router' | 'context' | 'handle' | 'unresolved';
  file: CodeFile;
  /** Where it is created. */
  origin: Origin;
  /** The creating expression (or declaration): a factory's own router is told apart by it. */
  creation: ts.Node;
  /** Koa router `prefix` applied to its own routes. */
  ownPrefix?: StringValue;
  routes: RouteDecl[];
  mounts: Mount[];
  /** Mounted into another node (so not a service itself). */
  mounted: boolean;
  /** Created from another node as the same application (`basePath`, Fastify fastify-plugin contexts). */
  derivedFrom?: RouterNode;
  /** Created by calling a project app factory (`build()`): the factory's own app, mounted at ''. */
  instanceOf?: RouterNode;
  /** Packages registered as middleware / plugins / modules (health and metrics detection). */
  packages: Set<string>;
  /** Middleware registered on the node itself, in registration order. */
  middleware: NodeMiddleware[];
  /** Rate limiters on the node or its routes: package names, or a project middleware named as one. */
  rateLimiters: Set<string>;
  /** Seen being served: listen(), export default, serve({ fetch }), handle(app)… */
  served: boolean;
  /**
   * Handed to a Next.js route handler by Hono's adapter (`export const GET = handle(app)` from hono/vercel or
   * hono/nextjs): the app answers inside the Next.js app that holds the file, not as a service of its own.
   */
  handedToNext?: boolean;
  /** NestJS: `close()` was called on it (with no `listen()`, a throwaway instance that read configuration). */
  closed?: boolean;
}

/** An endpoint before handler analysis: its full path is known (as far as it can be). */
export interface EndpointDraft {
  serviceId: string;
  framework: Framework;
  method: HttpMethod | 'all';
  /** Every prefix applied. */
  path: StringValue;
  /** As written at the registration. */
  declaredPath: string;
  origin: Origin;
  pathOrigin?: Origin;
  file: CodeFile;
  handler?: ts.FunctionLikeDeclaration;
  querySchemas?: ts.Expression[];
  versioning?: { kind: 'uri' | 'header' | 'media-type' | 'custom'; defaultVersion?: string; neutral?: boolean };
  /** Authentication in effect (see Endpoint.auth); undefined when part of the chain is not visible. */
  auth?: { guards: string[]; optOut?: string };
  signatureMiddleware?: boolean;
  delegatesTo?: string;
  pagingMiddleware?: string;
  /** A middleware in front of the route (or a wrapper around a Next.js handler) checks a cron secret. */
  scheduledMiddleware?: boolean;
  /** A middleware in front of the route compares the request with a shared secret of the deployment: its name. */
  secretMiddleware?: string;
  hiddenFromDocs?: boolean;
  deprecated?: boolean;
  procedure?: { name: string; kind: string };
  published?: boolean;
  /** Registered (or mounted) only in development or tests: the condition, as written (see Endpoint.devOnly). */
  devOnly?: string;
  confidence: 'high' | 'low';
}
