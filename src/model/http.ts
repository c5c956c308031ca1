/**
 * The HTTP model: services and their endpoints, whether they were read from an OpenAPI
 * description or from route registrations in code. API rules read only this, so each is written
 * once and works on both sources. Inputs fill what they can see; `undefined` means "not known"
 * (a rule must not report on what it cannot know), which is different from false/empty.
 */
import type { Located, Origin } from './finding.js';

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

export type HttpSource = 'openapi' | 'typescript';

/**
 * What an endpoint is for (see src/model/endpoint-roles.ts): `resource` — the service's own API,
 * which the API checklist judges; `protocol` — OAuth/OIDC/SAML, `/.well-known`, TUS, CORS preflight,
 * wire-compatible mirrors of another vendor's API; `webhook` — a receiver another system calls;
 * `infrastructure` — health, readiness, metrics, docs, version, debugging; `internal` — first-party
 * RPC of a web app, forward-auth hooks, scheduled-job triggers; `asset` — favicon, images, static files,
 * stored files served by URL; `page` — an HTML page or HTML form post of a server-rendered site.
 */
export type EndpointRole = 'resource' | 'protocol' | 'webhook' | 'infrastructure' | 'internal' | 'asset' | 'page';

/** One OpenAPI description, or one application instance in code (`express()`, `NestFactory.create`, …). */
/**
 * Wrapper properties that hold the list of a collection response (`{ data: [...] }`), whatever else the
 * object carries, in the order a description's shapes prefer them. Shared by the OpenAPI input (which
 * property is the list) and api/paginated-lists (a named array is a list, not a sub-resource).
 */
export const LIST_WRAPPER_PROPERTIES: readonly string[] = [
  'data',
  'items',
  'results',
  'records',
  'entries',
  'values',
  'list',
  'rows',
  'elements',
  'content',
  'objects',
  'resources',
];

export interface Service extends Located {
  /** Stable id: the root description's path, or `<file>#<app variable>` in code. */
  id: string;
  /** Human name: the description's info.title, or the app variable / package name. */
  name: string;
  source: HttpSource;
  /** Where the service is declared: the `paths` key of a description; the creation call in code. */
  origin: Origin;
  /**
   * A service deployed from this repository, which operations expect to probe: an app in code, or a
   * description declared in config (`openapi.services`) as such a service's complete contract. A
   * description is otherwise not one: it may be a vendor's public API or describe a few resources.
   */
  deployable: boolean;
  /**
   * `web-app`: a framework that serves a site's pages as well as its API routes (Next.js). Its platform
   * checks it through its pages (Vercel, a container HEALTHCHECK on `/`); probes and metrics are asked
   * of backend services. Undefined: an API service, or not known.
   */
  kind?: 'web-app';
  /**
   * Code only: how the app renders server-side HTML views, when it configures a view engine
   * (`app.set('view engine', 'pug')`, `@fastify/view`, `express-handlebars`, `koa-views`). Its form posts
   * answered by a redirect are pages of the site, not API operations. Undefined: none seen.
   */
  viewEngine?: string;
  /** Framework in code ('express', 'fastify', 'nestjs', 'hono', 'koa', 'nextjs', 'overnightjs', 'react-router', …); undefined for OpenAPI. */
  framework?: string;
  /**
   * Infrastructure registered without a visible route: health modules (`@nestjs/terminus`,
   * `fastify-healthcheck`, …) and metrics middleware (`express-prom-bundle`, …), by package name.
   */
  healthModules: string[];
  metricsModules: string[];
  /**
   * Code only: a route of the service that the repository's deployment configuration probes (a Dockerfile
   * `HEALTHCHECK`, a Compose `healthcheck`, a Kubernetes `httpGet` probe, a platform's health-check path), as
   * `GET <path> (<file>)`. The orchestrator restarts the service or takes it out of rotation on that answer, whatever
   * the path is called: it is the service's probe. Undefined: none seen.
   */
  probedByDeployment?: string;
  /**
   * Code only: no resource route of the service checks who calls it — every route's middleware and handler are known
   * and none authenticates, and the service's code reads no credential (bearer token, API key) from a request. Such
   * an app is reached inside the deployment (a sidecar, an internal API the project's services call) or on a network
   * its operator trusts (a personal tool): archlint cannot tell that untrusted clients reach it. Undefined: it
   * authenticates some caller, or archlint cannot see enough to say.
   */
  identifiesNoCaller?: true;
  /**
   * Code only: the file of the repository's proxy or gateway configuration that limits request rates in front of its
   * apps (nginx `limit_req`, a Traefik `rateLimit` middleware, Envoy's or Kong's rate-limit plugins…). Clients meet
   * that limit before the app. Undefined: none seen.
   */
  upstreamRateLimit?: string;
  /**
   * Where the base path every endpoint shares is declared, or would be: a description's `servers` /
   * `basePath` (its `paths` key when it has neither); in code, a global prefix. Added for
   * api/versioned-routes, which reports a service with no version anywhere once, here, instead of
   * once per path.
   */
  baseOrigin?: Origin;
  /** Versioning declared for the whole service (Nest enableVersioning, OpenAPI header parameter on every op). */
  versioning?: Versioning;
  /**
   * Code only; the TypeScript input fills it: rate-limit packages registered on the app or any of its
   * routers/routes/modules (`express-rate-limit`, `@fastify/rate-limit`, `@nestjs/throttler`,
   * `hono-rate-limiter`, `koa-ratelimit`, `rate-limiter-flexible`…), by package name (a project middleware that
   * answers 429 or is named as a limiter, by its name); [] when the input
   * saw the whole app and found none. Undefined = not known (OpenAPI, or not read yet): api/rate-limit-responses
   * then judges the service only by its 429 responses and RateLimit headers and reports nothing for code.
   */
  rateLimitModules?: string[];
  /**
   * OpenAPI only: the description's `info.description`, as written: the prose its readers get before any operation
   * (how to authenticate, the limits clients must respect, how versions change). Undefined when there is none.
   */
  description?: string;
  /**
   * OpenAPI only: the description lies in the package of code services that serve HTTP routes, and none of their
   * routes serves any of its operations. It describes an API this package does not serve — a hosted product's or a
   * partner's, a template, a snapshot of an older version — which its code cannot change: the API checklist is for
   * the API the repository serves. Undefined: served, or nothing to compare it with (no code in its package).
   */
  unserved?: boolean;
  /**
   * OpenAPI only: no other file of the lint roots names this description's file, while another description of the
   * project is named (by a docs site, a build or generator script, a server, a workflow). Nothing uses it: a draft, a
   * local dev copy, a snapshot nothing writes any more, or the specification of an API the project calls as a client
   * (src/inputs/openapi/references.ts). Undefined: named somewhere, or no description is named to compare with.
   */
  unreferenced?: true;
  /**
   * OpenAPI only: the code services of the description's package whose routes serve some of its operations — the
   * code the description documents, which decides what there is to document (a rate limit, for one). Undefined when
   * no code of its package serves it, or there is none.
   */
  servedBy?: string[];
}

export interface Versioning {
  kind: 'uri' | 'header' | 'media-type' | 'custom';
  /** e.g. Nest `defaultVersion`. */
  defaultVersion?: string;
}

export type ParameterLocation = 'query' | 'header' | 'path' | 'cookie';

export interface Parameter extends Located {
  name: string;
  in: ParameterLocation;
  required: boolean;
}

/** The shape of a response body, as far as an input can tell. */
export interface BodyShape {
  kind: 'none' | 'string' | 'array' | 'object' | 'other' | 'unknown';
  /** The body (or its main property) is a list of items. */
  collection: boolean;
  /** For an object wrapping a list: which property holds it (`data`, `items`, …). */
  arrayProperty?: string;
  /** Property names of an object body (after $ref / allOf), as written. */
  properties: string[];
  /** For an object with a nested `error` object: its properties (`{error: {code, message}}`). */
  nestedErrorProperties?: string[];
  /** For an object: the properties whose value is a string (`{error: string}`: the error told in words). */
  stringProperties?: string[];
  /** For an object read from its example (a free-form schema): the string values the example shows, by property. */
  exampleStrings?: Record<string, string>;
  /** Where the schema / the returned expression is written (the $ref target's file when referenced). */
  origin?: Origin;
}

export interface ResponseSummary extends Located {
  /** '200', '4XX', 'default', or in code the literal status sent (e.g. '500'). */
  status: string;
  /** Media types declared (OpenAPI) or implied (json/text) in code. */
  mediaTypes: string[];
  body: BodyShape;
  /** Response header names (Link, X-Total-Count, RateLimit-*…), as written. */
  headers: string[];
}

export interface Endpoint extends Located {
  /** Stable id: `<service id> <METHOD> <path>`. */
  id: string;
  serviceId: string;
  source: HttpSource;
  method: HttpMethod;
  /**
   * The full path as a client calls it, with every prefix applied (server URL path / basePath,
   * global prefix, mount prefixes), parameters written `{name}` in both sources, no trailing slash.
   */
  path: string;
  /** The path as written at the declaration (OpenAPI path key, route string). */
  declaredPath: string;
  /** Where the operation is declared: the method key (`get:`) in the file that holds it; the route registration in code. */
  origin: Origin;
  /** Where the path is declared (OpenAPI path key); same as origin in code. */
  pathOrigin: Origin;
  operationId?: string;
  summary?: string;
  tags: string[];
  /** Path-level and operation-level parameters, $refs resolved; in code, the query/header params the handler reads. */
  parameters: Parameter[];
  requestBody?: { mediaTypes: string[]; required: boolean; origin: Origin };
  responses: ResponseSummary[];
  /**
   * Security requirements in effect (operation-level, else global); [] = explicitly none
   * (`security: []`); undefined = unknown or not declared at all.
   */
  security?: string[][];
  /** Versioning declared on this endpoint (Nest @Version, VERSION_NEUTRAL → { kind: 'custom', neutral }). */
  versioning?: Versioning & { neutral?: boolean };
  /**
   * Code only; the TypeScript input fills it: authentication in effect for this route. `guards` are the
   * auth middleware and guards that run before the handler, wherever they are applied (app/router `use`,
   * a mount, the route's own middleware list, Nest `@UseGuards` on the controller or method, a global
   * `APP_GUARD`), as written (`requireAuth`, `passport.authenticate('jwt')`, `AuthGuard('jwt')`); [] when
   * the input saw the route's whole middleware chain and none authenticates. `optOut` names an explicit
   * public marker (`@Public()`, `@SkipAuth()`, `@AllowAnonymous()`, an optional-auth guard or middleware alone, a rate limiter in the route's own middleware with no
   * auth), the code form of OpenAPI `security: []`.
   * Undefined = not known (part of the chain is not visible, or the handler hands its request to a function or
   * is built by a factory the input cannot follow, forwards the caller's credentials to another server as a reverse
   * proxy does, or passes the request on with `next()`): api/authenticated-operations reports nothing.
   */
  auth?: { guards: string[]; optOut?: string };
  /** What the endpoint is for; every endpoint of a built model has one. API rules judge `resource` endpoints. */
  role: EndpointRole;
  /** Why it has that role, in a few words a message can quote ("OAuth/OIDC endpoint"). */
  roleReason: string;
  /** OpenAPI `x-webhook` / 3.1 webhooks, or code marked as a webhook receiver. */
  webhook?: boolean;
  /** Marked deprecated: the operation (`deprecated: true`), or the whole description's version (its `info` says so). */
  deprecated?: boolean;
  /**
   * Code only: the route is left out of the API documentation the project generates from its code, on
   * purpose (Fastify/Hono `schema: { hide: true }` / `hide: true`, NestJS `@ApiExcludeEndpoint()` or
   * `@ApiExcludeController()`): a first-party route the project chose not to publish.
   */
  hiddenFromDocs?: boolean;
  /**
   * Code only: registered for every method (Express `.all`, Nest `@All`, a Next.js pages/api handler
   * with no visible `req.method` check). `method` is then 'get', so list/version rules still see it;
   * `archlint routes` prints ALL.
   */
  allMethods?: boolean;
  /**
   * Code only: a procedure of an RPC framework the project's own client calls (a tRPC query or mutation,
   * `user.byId`), served at `<endpoint>/<name>`: first-party RPC, not a resource path. `kind` names the
   * framework's word for it (`tRPC query`). Procedures published as REST (trpc-to-openapi `meta.openapi`)
   * are ordinary endpoints with their own method and path, and carry no `procedure`.
   */
  procedure?: { name: string; kind: string };
  /**
   * Code only: the route is published on purpose in the REST API the project documents from its code
   * (trpc-to-openapi `meta.openapi`): meant for other clients, so a web app's unversioned-route default
   * (first-party, `internal`) does not apply to it.
   */
  published?: boolean;
  /**
   * Code only: the route's clients are the project's own — why, in a sentence (src/model/endpoint-roles.ts
   * markFirstPartyRoutes): the repository's browser code calls the service, and nothing in the service reads a
   * credential a third party would hold (an API key, a bearer token). Such a route changes together with every
   * client it has: a version in its path would serve nobody. Undefined: not known to be so.
   */
  firstParty?: string;
  /**
   * Code only: the route is registered (or its router mounted) only under a condition that holds in development or
   * tests (`process.env.NODE_ENV !== 'production'`, `isDev`, `process.env.E2E_TESTING`): the condition, as written.
   * The deployed service does not serve it (src/inputs/routes/dev-only.ts).
   */
  devOnly?: string;
  /** 'low' when part of the path or the method could not be resolved statically (code only). */
  confidence: 'high' | 'low';
  /**
   * Code only: evidence found in the handler that the spec side gets from parameters/responses,
   * e.g. paging arguments passed to the data layer (`take`, `limit`, `cursor`).
   */
  handler?: {
    origin: Origin;
    /** Query parameter names the handler reads (`req.query.limit`, `@Query('page')`). */
    queryParams: string[];
    /** Paging arguments passed to a data-layer call (`take`, `skip`, `limit`, `offset`, `cursor`). */
    pagingArgs: string[];
    /**
     * The handler, its route middleware or a project function it calls checks a webhook signature:
     * `stripe.webhooks.constructEvent`, svix `new Webhook(secret).verify`, `verifyWebhook`,
     * `validateSignature`, an HMAC compared with `timingSafeEqual`. Read from the names of the calls
     * (no type checker): a webhook receiver, authenticated by its signature rather than by a guard.
     * The TypeScript input always sets it (true or false); optional only for handlers built elsewhere.
     */
    verifiesSignature?: boolean;
    /**
     * All the handler does is hand the request to a package's own request handler: better-auth
     * `auth.handler(c.req.raw)`, `toNodeHandler(auth)`, NextAuth/Auth.js `handlers`, oidc-provider
     * `provider.callback()`, `tusServer.handle(req, res)`. The package name (`better-auth`,
     * `@tus/server`): the endpoint is that library's protocol, not a resource of the project.
     */
    delegatesTo?: string;
    /**
     * What the handler reads from its database to answer, following the project's own calls a few
     * levels (controller → service → repository; src/inputs/routes/data-reads.ts). Undefined when no
     * read is seen, or one whose limit archlint cannot see (`findMany(args)`): not known.
     */
    reads?: ListRead;
    /** A paging middleware in front of the handler (`koaPagination()`): it reads the page parameters and sets the paging headers. */
    pagedBy?: string;
    /**
     * The handler answers with server-rendered HTML: how, as written (`res.render`, `reply.view`, `c.html`,
     * `res.sendFile('*.html')`, `JSX`, `HTML string`). The endpoint is a page of a site, not an API operation.
     */
    rendersView?: string;
    /** The handler answers with a redirect (`res.redirect`, `ctx.redirect`, `c.redirect`, `NextResponse.redirect`). */
    redirects?: boolean;
    /** The handler sends a JSON body somewhere (`res.json`, `c.json`, `Response.json`): an API answer, even if it also renders. */
    sendsJson?: boolean;
    /**
     * The handler sends a stored file or object's bytes as the body: how, as written (`res.sendFile`,
     * `createReadStream().pipe`, `GetObjectCommand`). A GET that does is an asset URL (an avatar, an upload).
     */
    servesStoredFile?: string;
    /**
     * The handler declares its answer the same for every caller, as written: `Cache-Control: public` (shared caches
     * may keep it and hand it to anyone), or a static asset's content type (`Content-Type: image/svg+xml`, a script).
     */
    publicAnswer?: string;
    /**
     * The handler answers the same whatever it is given and reads nothing: it uses only its own parameters (the
     * request, the response, `next`) and error constructors. `failure`: it only fails (throws, hands an error to
     * `next`, answers a 4xx/5xx such as a 404 echoing the URL); `status`: it answers a bare status with no body;
     * `health`: it answers a literal that says it is up (`'OK'`, `{ status: 'ok' }`, `{ healthy: true }`): a liveness
     * probe, whatever its path is called.
     */
    constantAnswer?: 'failure' | 'status' | 'health';
    /**
     * The handler's own name declares a probe (`app.get('/', handleHealthCheck)`, a `readiness()` method): what the
     * route is for, whatever its path is called (src/inputs/routes/probe-names.ts).
     */
    probeName?: 'liveness' | 'readiness';
    /**
     * A scheduled job's trigger: the path is listed in the app's vercel.json `crons`, or the handler or a
     * middleware in front of it checks a cron secret from the environment (`CRON_SECRET`). Called by a
     * scheduler, not by API clients; rules about job endpoints (timeouts, idempotency) can use it.
     */
    scheduled?: boolean;
    /**
     * The request is compared with one secret read from the deployment's environment, in the handler, a project
     * function it calls or a middleware in front of it (`x-api-key !== process.env.API_KEY`): the variable's name.
     * One value for every caller, no user behind it: the callers are whoever configured the deployment — the
     * project's own services, jobs and operators (src/inputs/routes/shared-secret.ts). Undefined: none seen.
     */
    sharedSecret?: string;
  };
}

/**
 * The verdict on a handler's data reads:
 * - `unbounded`: a multi-row read with no limit (Prisma `findMany` without `take`, TypeORM `find`/`findBy`
 *   without `take`, Sequelize `findAll` without `limit`, Drizzle `select()` without `.limit()`, Mongoose
 *   `find()` without `.limit()`, SQL `SELECT` without `LIMIT`): the answer grows with the table.
 * - `paged`: every multi-row read takes a moving window (`skip`/`offset`/`cursor`).
 * - `bounded`: every multi-row read is limited (`take`/`limit`), by a constant or by the request.
 * - `not-rows`: only counts, groups, aggregates or single rows are read: not a collection of rows.
 */
export interface ListRead {
  kind: 'unbounded' | 'paged' | 'bounded' | 'not-rows';
  /** The deciding call, as written (`prisma.run.findMany`, `db.select(…).from(…).all`). */
  call: string;
  /** Where the deciding call is, possibly in a service or repository the handler calls. */
  origin: Origin;
}

export interface HttpModel {
  services: Service[];
  endpoints: Endpoint[];
}
