import {
  ReportedServices,
  defineRule,
  servicesWithApi,
  type Endpoint,
  type ErrorSite,
  type Origin,
  type Service,
  addTo,
  isExamplePath,
} from '../../src/rule-api.js';

/** `RateLimit`, `RateLimit-Policy`, `RateLimit-Remaining`, `X-RateLimit-Limit`, `X-Rate-Limit-Reset`… (IETF draft and the common X- forms). */
const RATE_LIMIT_HEADER = /^(x-)?rate-?limit(\b|-|_|$)/i;

/**
 * The prose of a description tells clients about the limit: a `429` / `Too Many Requests` answer or a rate limit
 * named (`## Rate limiting`, "rate limit of 60 requests per minute"). Many public APIs document their limit once,
 * in the introduction, instead of on every operation; clients are told either way.
 */
const RATE_LIMIT_PROSE = /\b429\b|too many requests|rate[- ]?limit/i;

/**
 * The service shows that it limits clients: a rate-limit package, a 429 response or a RateLimit header anywhere in it,
 * or a description whose introduction documents the limit.
 */
function limitsRate(service: Service, endpoints: Endpoint[]): boolean {
  if (service.rateLimitModules && service.rateLimitModules.length > 0) return true;
  if (service.description !== undefined && RATE_LIMIT_PROSE.test(service.description)) return true;
  return endpoints.some((endpoint) =>
    endpoint.responses.some(
      (response) => response.status === '429' || response.headers.some((h) => RATE_LIMIT_HEADER.test(h)),
    ),
  );
}

/**
 * An app in code (not a web app) with fewer resource paths than this is a worker, a sidecar or a tool the project's
 * own services call (a build runner's callbacks, a screenshot worker, a setup wizard), reached inside the deployment:
 * archlint cannot tell that clients reach it, so it asks it for no rate limit. A catch-all (`/*`) hides how many
 * paths it serves: such an app is judged.
 */
const CLIENT_API_PATHS = 5;
function internalTool(service: Service, api: Endpoint[]): boolean {
  if (service.source !== 'typescript' || service.kind === 'web-app') return false;
  if (api.some((endpoint) => endpoint.path.split('/').includes('*'))) return false;
  return new Set(api.map((endpoint) => endpoint.path)).size < CLIENT_API_PATHS;
}

/** The folder a file is in, with a trailing `/` (`''` at the top). */
const folderOf = (file: string) => file.slice(0, file.lastIndexOf('/') + 1);

/** How many leading path segments two folders share. */
function sharedDepth(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let depth = 0;
  while (depth < x.length && depth < y.length && x[depth] === y[depth] && x[depth] !== '') depth++;
  return depth;
}

const inside = (outer: Origin | undefined, inner: Origin) =>
  outer?.range !== undefined &&
  inner.range !== undefined &&
  outer.file === inner.file &&
  outer.range.start <= inner.range.start &&
  inner.range.end <= outer.range.end;

/**
 * Code services that answer 429 from a helper of their own: a limiter called by handlers or a route wrapper
 * (`if (!(await checkRateLimit(key))) throw new ApiError('rate limited', 429)`, `return tooManyRequestsResponse()`),
 * not registered as a middleware archlint recognises. A 429 written in one handler is not counted: it is as often a
 * quota on that one action (at most four verification emails in five minutes) as a limit on the API's request rate.
 * An error site belongs to the code service whose app is declared nearest to it in the folder tree (all the nearest
 * ones on a tie): a 429 in `apps/web/lib/rate-limit.ts` is the web app's, not the worker's in `apps/worker/`.
 */
function servicesAnswering429(
  services: readonly Service[],
  endpoints: readonly Endpoint[],
  sites: readonly ErrorSite[],
): Set<string> {
  const code = services.filter((service) => service.source === 'typescript');
  const handlers = endpoints.filter((endpoint) => endpoint.source === 'typescript' && endpoint.handler !== undefined);
  const found = new Set<string>();
  for (const site of sites) {
    if (site.status !== 429 || site.caughtLocally) continue;
    if (handlers.some((endpoint) => inside(endpoint.handler!.origin, site.origin))) continue;
    const folder = folderOf(site.origin.file);
    const depths = code.map((service) => sharedDepth(folderOf(service.origin.file), folder));
    const best = Math.max(0, ...depths);
    // A file that shares no folder with any app (a script at the top) places the 429 nowhere.
    if (best === 0) continue;
    for (const [i, service] of code.entries()) if (depths[i] === best) found.add(service.id);
  }
  return found;
}

export default defineRule({
  meta: {
    id: 'api/rate-limit-responses',
    title: 'An API limits request rates and tells clients so',
    severity: 'note',
    requires: ['http', 'routes'],
    tags: ['api', 'security', 'reliability'],
    why:
      'Without a rate limit, one misbehaving client — a retry loop, a scraper, a credential-stuffing script — can ' +
      'use up the capacity every other client shares, and brute-forcing a login costs nothing. Declaring `429 Too ' +
      'Many Requests` with `Retry-After` / `RateLimit` headers tells well-behaved clients how fast they may go and ' +
      'when to come back, instead of leaving them to discover it in production.',
    fix:
      'Limit requests (at the gateway, or in the app: `express-rate-limit`, `@fastify/rate-limit`, ' +
      '`@nestjs/throttler`, `hono-rate-limiter`, `koa-ratelimit`) and describe it: a `429` response (a shared ' +
      '`components/responses/TooManyRequests`) with `Retry-After` and `RateLimit`/`RateLimit-Policy` (or ' +
      '`X-RateLimit-*`) headers, on the operations it applies to. A description whose introduction (`info.description`) ' +
      'documents the limit (a 429 answer, a rate limit named) tells its clients and is not reported. An app in code with fewer than five resource paths ' +
      "(a worker, a sidecar, a tool the project's own services call) is not judged, nor is an app that answers 429 from a " +
      'helper of its own (a limiter its handlers or route wrappers call, not registered as middleware; an error thrown ' +
      'with 429, `throw new RequestError({ status: 429 })`, counts whatever its class) or registers a ' +
      'middleware of its own that answers 429 or sets `X-RateLimit-*` / `RateLimit-*` headers; a 429 written ' +
      'in one handler may be a quota on that action and does not count. A first-run installer beside the server it sets up ' +
      '(`setup.js`, `install/web.js`: a wizard that runs once) is not judged, nor are the snapshot copies of a tutorial ' +
      "(numbered sibling folders that each hold the same app, mostly unchanged: a book's `book/1-end/`, `book/2-end/`, " +
      'frozen at a chapter for readers and deployed by nobody; the app the project deploys is judged), nor is an app all of whose routes are called ' +
      "with the deployment's shared secret (`x-api-key !== process.env.API_KEY`): whoever holds that one value is the " +
      "project's own services and operators, not clients to limit. Nor is an app none of whose routes checks who " +
      'calls it (no auth middleware or check in a handler, no sign-in route, no API key or bearer token read from a ' +
      'request): such an app is reached inside the deployment (a sidecar, an internal API) or on a network its operator ' +
      'trusts, and archlint cannot tell that untrusted clients reach it. Nor is an app of a repository whose own proxy ' +
      'or gateway configuration limits request rates (nginx `limit_req`, a Traefik `rateLimit` middleware, Caddy ' +
      "`rate_limit`, Envoy's or Kong's rate-limit plugins, HAProxy request-rate tracking): clients meet that limit " +
      'first; its descriptions are still asked to declare the 429 clients get.' +
      ' A description that lies in the package of a code service and describes nothing that package serves (a hosted ' +
      "product's API, a template, a stale snapshot: no route of the package serves any of its operations) is not judged: " +
      'the code beside it cannot change that API. Nor is a description whose operations the code of its package serves, ' +
      'when that code is reported for limiting nothing: one cause, one finding.' +
      " A description in an `examples/` folder (a sample of what a plugin generates) is no service's contract and is not " +
      'judged, nor is a description no other file of the project names while another description is named (by a docs ' +
      "site, a generator script, a server, a workflow) and no docs site publishes by itself (Mintlify's `mint.json` / " +
      '`docs.json` folder): nothing uses it — a draft, a local copy, a stale snapshot, or the ' +
      'specification of an API the project calls as a client. Hosted limiters a handler consults (`@unkey/ratelimit`, ' +
      'Arcjet) count as rate limiting, and a route that answers an HTML page (`res.send(indexHtml)`, the fallback of a ' +
      'single-page app whose operations go over a websocket) is a page, not API.',
    examples: {
      bad: [
        {
          description: 'No operation declares a 429 response or a RateLimit header',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'paths:',
              '  /v1/orders:',
              '    get:',
              "      responses: { '200': { description: ok } }",
              '',
            ].join('\n'),
          },
        },
      ],
      good: [
        {
          description: 'A shared 429 response with Retry-After and RateLimit headers',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'paths:',
              '  /v1/orders:',
              '    get:',
              '      responses:',
              "        '200': { description: ok }",
              "        '429': { $ref: '#/components/responses/TooManyRequests' }",
              'components:',
              '  responses:',
              '    TooManyRequests:',
              '      description: Slow down',
              '      headers:',
              '        Retry-After: { schema: { type: integer } }',
              '        RateLimit-Policy: { schema: { type: string } }',
              '',
            ].join('\n'),
          },
        },
      ],
    },
    messages: {
      description:
        '{{service}} declares no rate limiting: no 429 response and no RateLimit header in its {{count}}; describe the limit clients must respect',
      app: '{{service}} ({{framework}}) registers no rate-limit middleware (express-rate-limit, @fastify/rate-limit, @nestjs/throttler, hono-rate-limiter…) and sends no 429: one client can exhaust it',
    },
  },
  check(ctx) {
    const byService = new Map<string, Endpoint[]>();
    for (const endpoint of ctx.http.endpoints) addTo(byService, endpoint.serviceId, endpoint);
    const withApi = servicesWithApi(ctx.http.endpoints);
    const answering429 = servicesAnswering429(ctx.http.services, ctx.http.endpoints, ctx.routes.errorSites);
    const reported = new ReportedServices();
    for (const service of ReportedServices.codeFirst(ctx.http.services, (service) => service)) {
      const endpoints = byService.get(service.id) ?? [];
      // A description of an API its package does not serve: its code has nothing to limit.
      if (answering429.has(service.id) || service.unserved) continue;
      // A description in an `examples/` folder shows how to describe an API (a plugin's sample piece types): it is no
      // service's contract, and no client is limited by it.
      if (service.source === 'openapi' && isExamplePath(service.origin.file)) continue;
      // A description nothing in the project names, beside one that is used (Service.unreferenced): a draft, a local
      // copy, a stale snapshot or a provider's API the project calls; the used description is judged.
      if (service.unreferenced) continue;
      // A components-only description, an app with no routes or only probes, docs and assets serves no API to limit.
      if (!withApi.has(service.id) || limitsRate(service, endpoints)) continue;
      const api = endpoints.filter((endpoint) => endpoint.role === 'resource');
      if (service.source === 'openapi') {
        // A description of code that limits nothing, where that code is reported: one cause, one finding.
        if (reported.repeats(service)) continue;
        ctx.report({
          at: service,
          messageId: 'description',
          data: { service: service.name, count: `${api.length} operation${api.length === 1 ? '' : 's'}` },
        });
      } else if (
        service.rateLimitModules !== undefined &&
        service.deployable &&
        !internalTool(service, api) &&
        // An app that checks no caller on any route is reached inside the deployment or on a network its operator
        // trusts: archlint cannot tell that untrusted clients reach it (Service.identifiesNoCaller).
        !service.identifiesNoCaller &&
        // The repository's own proxy or gateway limits request rates in front of its apps (Service.upstreamRateLimit).
        !service.upstreamRateLimit
      ) {
        // Code: only once the input has looked for rate-limit packages (undefined = not known).
        reported.add(service.id);
        ctx.report({
          at: service,
          messageId: 'app',
          data: { service: service.name, framework: service.framework ?? 'app' },
        });
      }
    }
  },
});
