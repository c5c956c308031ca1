/**
 * What an endpoint is for. The API checklist (versions, paging, auth, error shapes, naming) is
 * about the service's own resource API; a real service also answers OAuth redirects, webhook
 * senders, load balancers, browsers asking for a favicon and clients of protocols whose wire
 * format someone else fixed (TUS, S3). Judging those by the resource checklist was the largest
 * source of wrong findings on real code, so every endpoint gets a role here, once, and each rule
 * says which roles it judges. Pages of a server-rendered site (views, HTML form posts) are `page`:
 * the API checklist does not apply to them, but a page may still need a login.
 *
 * Pure functions over the model, called by each input at the end of building its endpoints, so
 * descriptions and code get the same answer for the same path.
 */
import type { Endpoint, EndpointRole, Service } from './http.js';
import { hasVersionSegment, infrastructureKind, isVersionSegment, underProbe } from './http-paths.js';
import { isUnder, pairSides, sidesOf } from './spec-code-matching.js';

export interface RoleVerdict {
  role: EndpointRole;
  /** Why, in a few words a message can quote ("OAuth/OIDC endpoint", "TUS resumable upload"). */
  roleReason: string;
}

/** Segments that put a path in a protocol's namespace, wherever they stand: OAuth 2 / OIDC / SAML / SCIM / TUS. */
const PROTOCOL_NAMESPACES = new Map<string, string>([
  ...['oauth', 'oauth2', 'oidc', 'openid', 'openid-connect'].map((s) => [s, 'OAuth/OIDC endpoint'] as const),
  ...['saml', 'saml2'].map((s) => [s, 'SAML endpoint'] as const),
  ...['callback', 'callbacks', 'oauth-callback', 'oauth_callback'].map((s) => [s, 'authentication callback'] as const),
  ['scim', 'SCIM (a standard provisioning protocol)'],
  ...['tus', 'resumable'].map((s) => [s, 'TUS resumable upload (versioned by the Tus-Resumable header)'] as const),
  ['mcp', 'Model Context Protocol transport (versioned in its handshake)'],
  // Integration platforms that call the service on their own terms: Zapier's REST Hooks (`/zapier/subscribe`,
  // `/zapier/unsubscribe`) and polling triggers (a plain array, no paging) are set in the Zapier app's definition,
  // and IFTTT's service API fixes its paths (`/ifttt/v1/status`, `/ifttt/v1/triggers/{slug}`).
  ['zapier', 'integration endpoint called by Zapier (paths and shapes set in the Zapier app)'],
  ['ifttt', 'IFTTT service API (paths fixed by IFTTT)'],
]);
/**
 * Endpoint names an authorization server defines, when they end the path (`/oauth/authorize`,
 * `/jwks.json`); `/tenants/{id}/jwks` is a resource that manages keys, judged as one.
 */
const PROTOCOL_ENDPOINTS = new Map<string, string>([
  ...[
    'authorize',
    'jwks',
    'jwks.json',
    'userinfo',
    'introspect',
    'introspection',
    'revoke',
    'end_session',
    'end-session',
    'device_authorization',
  ].map((s) => [s, 'OAuth/OIDC endpoint'] as const),
  ...['acs', 'slo'].map((s) => [s, 'SAML endpoint'] as const),
]);

/** What follows `/v1/` in the OpenAI and Anthropic APIs that gateways and proxies re-serve. */
const LLM_WIRE_ENDPOINTS = new Set(['completions', 'embeddings', 'responses', 'messages', 'models']);

/** Endpoint names only the Prometheus HTTP API uses, and the ones it shares with others (judged under a `/prometheus` namespace). */
const PROMETHEUS_ENDPOINTS = new Set(['query_range', 'query_exemplars']);
const PROMETHEUS_QUERY = new Set(['query', 'series', 'labels', 'values', 'metadata']);

/** `favicon.ico`, `robots.txt`, `sitemap.xml`, images, styles, fonts, web manifests. */
const ASSET_FILE = /\.(ico|png|jpe?g|gif|svg|webp|avif|bmp|css|js|mjs|map|txt|xml|woff2?|ttf|otf|eot|webmanifest)$/i;
const ASSET_FOLDER = new Set([
  'static',
  'assets',
  '_next',
  'favicon',
  'og',
  'og-image',
  'opengraph-image',
  'twitter-image',
  'apple-icon',
  'icon',
]);

/** Build and runtime facts a deployment reads, and profilers: not part of the resource API. */
/** First path segments (after `/api` and a version) under which every route is a debugging tool. */
const DEBUG_NAMESPACE = new Set(['debug', '__debug', '_debug']);
/** First path segments (after `/api` and a version) that name the service's own internal routes. */
const INTERNAL_NAMESPACE = new Set(['internal', '_internal', '__internal']);
const INFRASTRUCTURE_SEGMENTS = new Set([
  'version',
  '_version',
  'build-info',
  'buildinfo',
  'pprof',
  '__debug',
  'debug',
]);

/** Web-hook receivers by path: `/webhooks/stripe`, `/api/webhook`, `/hooks/github`. */
const WEBHOOK_SEGMENT = /^(webhooks?|web-hooks?|hooks)$/i;
/**
 * One sender's receiver named in one segment: `/api/stripe-webhook`, `/mixpanel_webhook/{accessToken}`,
 * `/githubWebhook`. The sender's name is part of the URL configured at the sender, which the project cannot rename.
 */
const SENDER_WEBHOOK_SEGMENT = /^[a-z][a-z0-9]*(?:[-_]webhooks?|Webhooks?)$/;

/**
 * The header a webhook sender signs its delivery with (`Stripe-Signature`, `X-Hub-Signature-256`,
 * `Svix-Signature`, `X-Slack-Signature`): a POST that takes one is a receiver, authenticated by the signature.
 */
export const SIGNATURE_HEADER = /(^|-)signature(-\d+)?$/i;
/**
 * The query a webhook sender (WebSub, Meta/WhatsApp) calls to confirm a subscription before it delivers:
 * `GET …?hub.mode=subscribe&hub.challenge=…&hub.verify_token=…`. The receiver echoes the challenge.
 */
const HANDSHAKE_PARAMETER = /^hub\.(challenge|verify_token|mode)$/i;

/** A path parameter that is the credential of a handed-out URL: `:pushToken`, `{token}`, `:webhookKey`, `:secret`. */
const PUSH_TOKEN = /^[{:]\w*(token|key|secret)\}?$/;

/**
 * Test doubles served by the app itself (`/mock/fail`, `/mocks/echo`), at the top of an unversioned path:
 * fixtures for the project's own tests or integrations, not part of its API.
 */
const MOCK_NAMESPACE = new Set(['mock', 'mocks']);

/** AWS-style action names (`GetVectorBucket`, `ListObjectsV2`): an RPC wire format another vendor fixed. */
const ACTION_NAME =
  /^(Get|List|Put|Create|Delete|Update|Describe|Query|Head|Copy|Batch[A-Z][a-z]+|Upload|Abort|Complete|Restore|Select|Tag|Untag)[A-Z][A-Za-z0-9]*$/;
/** How many action-named siblings make a family (one `/GetUser` is a naming slip, a dozen is a protocol). */
const ACTION_FAMILY = 3;

/** The role of one endpoint from its own facts (path, method, declared markers, handler facts). */
export function roleOf(
  endpoint: Pick<Endpoint, 'path' | 'method' | 'webhook' | 'handler' | 'allMethods' | 'hiddenFromDocs'> & {
    parameters?: Endpoint['parameters'];
    procedure?: Endpoint['procedure'];
    devOnly?: Endpoint['devOnly'];
  },
): RoleVerdict {
  // Registered only when the process runs in development or tests: a debugging tool, a mock or a test hook that the
  // deployed service does not serve, whatever its path says.
  if (endpoint.devOnly)
    return { role: 'infrastructure', roleReason: `registered only in development or tests (${endpoint.devOnly})` };
  // A tRPC procedure answers the app's own client, which is built from the same router types: first-party RPC.
  if (endpoint.procedure)
    return { role: 'internal', roleReason: `${endpoint.procedure.kind} (first-party RPC of the app's own client)` };
  const lower = endpoint.path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => s.toLowerCase());
  const named = lower.filter((s) => !isParameter(s));
  const parameterised = named.length < lower.length;
  const parameters = endpoint.parameters ?? [];

  if (endpoint.webhook || endpoint.handler?.verifiesSignature)
    return { role: 'webhook', roleReason: 'webhook receiver (called by another system, authenticated by a signature)' };
  if (endpoint.method === 'post' && parameters.some((p) => p.in === 'header' && SIGNATURE_HEADER.test(p.name))) {
    return {
      role: 'webhook',
      roleReason: 'webhook receiver (takes a signature header: authenticated by the signature)',
    };
  }
  if (endpoint.method === 'get' && parameters.some((p) => p.in === 'query' && HANDSHAKE_PARAMETER.test(p.name))) {
    return { role: 'webhook', roleReason: 'webhook subscription handshake (echoes hub.challenge to the sender)' };
  }
  if (endpoint.handler?.delegatesTo)
    return { role: 'protocol', roleReason: `handled whole by ${endpoint.handler.delegatesTo}` };
  if (lower.includes('.well-known')) return { role: 'protocol', roleReason: '/.well-known discovery document' };
  if (endpoint.method === 'options' && !endpoint.allMethods) return { role: 'protocol', roleReason: 'CORS preflight' };
  // `app.all('/rpc/*', connectHandler)`: every method and every path below, handed to another handler (an RPC
  // adapter, a proxy, a 404 fallback); the paths it serves are not declared here.
  if (endpoint.allMethods && lower.at(-1) === '*')
    return { role: 'protocol', roleReason: 'catch-all handed to another handler' };
  // `ALL /api/push/:pushToken`: a URL handed to another system (a cron job, a CI step, a monitoring agent) that calls it
  // with whatever method its tool uses; the token in the path is the credential. A push receiver, like a webhook.
  if (endpoint.allMethods && lower.length >= 2 && isParameter(lower.at(-1)!) && PUSH_TOKEN.test(lower.at(-1)!))
    return {
      role: 'webhook',
      roleReason: 'push URL handed out to another system (any method; its token authenticates)',
    };
  // `PUT /{upload_url}`: a description of the URL the API hands out (a signed upload URL), not a path of its own.
  if (lower.length === 1 && /^[{<][^}>]*url[}>]$/.test(lower[0]!))
    return { role: 'protocol', roleReason: 'a signed URL the API hands out' };

  const kind = infrastructureKind(endpoint.path);
  // `/openapi-v1.json`: a description of one version of the API.
  if (!kind && endpoint.method === 'get' && /^(openapi|swagger)[-_.]?v?\d*\.(json|ya?ml)$/.test(lower.at(-1) ?? ''))
    return { role: 'infrastructure', roleReason: 'API documentation' };
  // `POST /feedback/docs` takes feedback; documentation is read.
  if (kind && !(kind === 'docs' && endpoint.method !== 'get'))
    return { role: 'infrastructure', roleReason: kind === 'docs' ? 'API documentation' : `${kind} probe` };
  if (endpoint.method === 'get' && underProbe(endpoint.path))
    return { role: 'infrastructure', roleReason: 'health probe' };
  // `GET /` answering `{ healthy: true }`, `GET /checkhealth` answering 'OK': a liveness probe, whatever its path says.
  if (!parameterised && answersHealthStatus(endpoint))
    return { role: 'infrastructure', roleReason: 'liveness probe (answers a constant health status)' };
  // `app.get('/', handleHealthCheck)`: the handler's name says it is the load balancer's check.
  const probe = namedProbe(endpoint);
  if (probe) return { role: 'infrastructure', roleReason: `${probe} probe (its handler is named so)` };
  // `/version`, `/debug/pprof/heap`; `/documents/{id}/version` is about a document, not the build.
  if (!parameterised && named.some((s) => INFRASTRUCTURE_SEGMENTS.has(s)))
    return { role: 'infrastructure', roleReason: 'build, version or debugging endpoint' };

  const top = named[0] === 'api' ? named[1] : named[0];
  if (MOCK_NAMESPACE.has(top ?? '') && !hasVersionSegment(endpoint.path))
    return { role: 'infrastructure', roleReason: 'test mock served by the app' };
  // `/debug/insights/{projectId}`: a namespace of debugging tools, whatever it is about.
  if (DEBUG_NAMESPACE.has(named.filter((s) => s !== 'api' && !isVersionSegment(s))[0] ?? ''))
    return { role: 'infrastructure', roleReason: 'debugging endpoint' };

  // `/internal/fleet/{id}/rollout`, `/api/internal/billing/unpause`: a namespace the service names as its own,
  // called by its operators, jobs and sibling services, which deploy with it: not the published API.
  if (INTERNAL_NAMESPACE.has(named.filter((s) => s !== 'api' && !isVersionSegment(s))[0] ?? ''))
    return { role: 'internal', roleReason: 'internal namespace of the service (/internal)' };

  // `/status`, `/api/v1/status`: the service's own status page. Not a liveness probe (it often reports
  // dependencies, or is a product page), and not a resource either.
  const namespace = lower.filter((s) => s !== 'api' && !isVersionSegment(s));
  if (namespace.length === 1 && namespace[0] === 'status' && endpoint.method === 'get')
    return { role: 'infrastructure', roleReason: 'service status' };
  // `/info`, `/api/info`: what the running service is (build, queues, links), like Spring Actuator's /info.
  if (namespace.length === 1 && namespace[0] === 'info' && endpoint.method === 'get')
    return { role: 'infrastructure', roleReason: 'service information' };

  const last = lower.at(-1) ?? '';
  if (ASSET_FILE.test(last) && !/^(openapi|swagger)/.test(last)) return { role: 'asset', roleReason: 'static file' };
  const first = named[0] === 'api' ? named[1] : named[0];
  if (first !== undefined && ASSET_FOLDER.has(first))
    return { role: 'asset', roleReason: 'static asset or generated image' };
  // `GET /misc/favicon?url=…`, `/api/v1/getFavicon`: a site's icon, fetched for an <img>.
  if (endpoint.method === 'get' && /favicon/.test(last)) return { role: 'asset', roleReason: 'favicon (an image)' };

  for (const segment of named) {
    const reason = PROTOCOL_NAMESPACES.get(segment);
    if (reason) return { role: 'protocol', roleReason: reason };
  }
  // `/authorize`, `/connect/token`-style names at the top of an authorization server, not deep in an app's
  // own sign-in flow (`/api/auth/email-password/authorize` is judged as its resource API).
  const endpointName = PROTOCOL_ENDPOINTS.get(last);
  if (endpointName && !parameterised && namespace.length <= 2) return { role: 'protocol', roleReason: endpointName };
  // `/oauth/token`, `/auth/token`, `/connect/token`: the token endpoint of an authorization server.
  if (last === 'token' && named.some((s) => s === 'auth' || s === 'connect'))
    return { role: 'protocol', roleReason: 'OAuth token endpoint' };

  // `/api/v1/query_range`, `/prometheus/api/v1/label/{name}/values`: the Prometheus HTTP API, served (or proxied) for
  // Grafana and PromQL clients; its paths and their snake_case names are Prometheus's.
  if (PROMETHEUS_ENDPOINTS.has(last) || (named.includes('prometheus') && PROMETHEUS_QUERY.has(last)))
    return { role: 'protocol', roleReason: 'Prometheus HTTP API (paths fixed by Prometheus)' };

  // `/v1/chat/completions`, `/openai/v1/models`, `/anthropic/v1/messages`: the OpenAI / Anthropic wire API, served by an
  // AI gateway or proxy for those vendors' SDKs; its paths, `v1` and shapes are the vendor's, not the service's.
  if (lower.slice(-2).join('/') === 'chat/completions' || (lower.at(-2) === 'v1' && LLM_WIRE_ENDPOINTS.has(last)))
    return { role: 'protocol', roleReason: 'OpenAI/Anthropic-compatible API (paths fixed by the vendor)' };

  // `GET /providers.json`, `/feed.json`, `/manifest.json`: a document fetched by its file name, not a resource.
  if (endpoint.method === 'get' && /\.json$/i.test(last))
    return { role: 'asset', roleReason: 'document served by file name' };

  const answer = pageOrAsset(endpoint);
  if (answer) return answer;
  // `/api/cron/daily-report`, a path in vercel.json `crons`, a handler behind `CRON_SECRET`: a scheduler calls it.
  if (endpoint.handler?.scheduled || named.includes('cron'))
    return { role: 'internal', roleReason: 'scheduled job trigger' };
  // `x-api-key !== process.env.API_KEY`: one secret for every caller, so no user is behind the call; it is made by
  // whoever configured the deployment (a sibling service, a job, an operator's tool). The project's own surface, deployed
  // with its callers: not a published API, whose clients each hold credentials of their own.
  if (endpoint.handler?.sharedSecret)
    return {
      role: 'internal',
      roleReason: `called with the deployment's shared secret (${endpoint.handler.sharedSecret}): the project's own services and operators`,
    };

  // Left out of the published documentation on purpose: the backend of the project's own pages or tools.
  if (endpoint.hiddenFromDocs) return { role: 'internal', roleReason: 'hidden from the published API documentation' };

  // `GET /`: the root names no resource; a service answers it with a banner or a liveness `{status: 'ok'}`.
  if (lower.length === 0 && endpoint.method === 'get' && !endpoint.allMethods)
    return { role: 'infrastructure', roleReason: 'service root (banner or liveness)' };

  // `/webhooks/stripe`, `/api/v1/webhook`: a namespace for receivers. `/repos/{owner}/hooks` is a resource.
  if (endpoint.method === 'post' && namespace.length > 0 && WEBHOOK_SEGMENT.test(namespace[0]!)) {
    return { role: 'webhook', roleReason: 'webhook receiver (by its path)' };
  }
  // `/stripe/webhook`, `/integrations/whatsapp/webhook`: the receiver of one sender, named
  // after it. (`/projects/{id}/webhook`, right after an id, is that project's webhook setting.)
  if (endpoint.method === 'post' && last === 'webhook' && lower.length >= 2 && !isParameter(lower.at(-2)!)) {
    return { role: 'webhook', roleReason: 'webhook receiver of one sender (by its path)' };
  }
  // `/api/mixpanel_webhook/{accessToken}`: the sender's receiver in one segment, followed at most by the URL's
  // credentials; after an id (`/projects/{id}/slack-webhook`) it is that project's webhook setting.
  const senderAt = endpoint.path
    .split('/')
    .filter((s) => s !== '')
    .findIndex((segment) => SENDER_WEBHOOK_SEGMENT.test(segment));
  if (
    endpoint.method === 'post' &&
    senderAt >= 0 &&
    (senderAt === 0 || !isParameter(lower[senderAt - 1]!)) &&
    lower.slice(senderAt + 1).every((segment) => isParameter(segment))
  ) {
    return { role: 'webhook', roleReason: 'webhook receiver of one sender (by its path)' };
  }
  return { role: 'resource', roleReason: 'resource API' };
}

/**
 * What the handler answers, when that makes the endpoint something other than an API operation: a view
 * rendered to HTML is a page of a server-rendered site (unless the same handler also answers JSON, for
 * clients that ask for it); a GET that sends a stored file's or object's bytes is the URL of an asset
 * (an avatar, an upload) even when a failed read answers JSON.
 */
function pageOrAsset(endpoint: Pick<Endpoint, 'method' | 'handler'>): RoleVerdict | undefined {
  const handler = endpoint.handler;
  if (!handler) return undefined;
  if (handler.rendersView && !handler.sendsJson)
    return { role: 'page', roleReason: `server-rendered HTML page (${handler.rendersView})` };
  // A JSON answer there is the error of a failed read (`{error: 'not found'}`), not the resource.
  if (handler.servesStoredFile && endpoint.method === 'get')
    return { role: 'asset', roleReason: `stored file served by URL (${handler.servesStoredFile})` };
  return undefined;
}

/** Whether some versioned path of the same service lies under this one. */
function leadsToVersions(key: string, versioned: readonly string[]): boolean {
  const prefix = key.endsWith('/') ? key : `${key}/`;
  return versioned.some((v) => v.startsWith(prefix));
}

/** `/rpc/acme.monitor.v1.MonitorService`: a gRPC/Connect service of the project's own, judged as its API. */
const isRpcService = (parent: string) => /\.[A-Za-z][\w]*$/.test(parent.slice(parent.lastIndexOf('/') + 1));

const isParameter = (segment: string) => segment.startsWith('{') || segment.startsWith(':') || segment === '*';

/**
 * Roles for every endpoint of a model, in place. Per endpoint first, then what only the whole
 * service shows: a POST under `/webhooks` that also answers GET is a collection of webhook
 * subscriptions (a resource), not a receiver; and families of AWS-style action names under one
 * parent path (`/vector/GetIndex`, `/vector/ListIndexes`, …) mirror another vendor's RPC wire API.
 */
export function assignRoles(
  endpoints: Endpoint[],
  webApps: ReadonlySet<string> = new Set(),
  viewApps: ReadonlySet<string> = new Set(),
): void {
  const families = new Map<string, Set<string>>();
  const gets = new Set<string>();
  const split = (endpoint: Endpoint) => {
    const cut = endpoint.path.lastIndexOf('/');
    return { parent: `${endpoint.serviceId} ${endpoint.path.slice(0, cut)}`, last: endpoint.path.slice(cut + 1) };
  };
  const versioned: string[] = [];
  for (const endpoint of endpoints) {
    // A GET that only answers a sender's subscription handshake does not make the path a resource.
    if (endpoint.method === 'get' && roleOf(endpoint).role !== 'webhook')
      gets.add(`${endpoint.serviceId} ${endpoint.path}`);
    if (hasVersionSegment(endpoint.path)) versioned.push(`${endpoint.serviceId} ${endpoint.path}`);
    const { parent, last } = split(endpoint);
    if (!ACTION_NAME.test(last)) continue;
    const family = families.get(parent) ?? new Set<string>();
    families.set(parent, family.add(last));
  }
  // `GET /admin/*` answered with the HTML of a single-page UI (a job dashboard, an admin console): the JSON
  // routes below `/admin` are that UI's own backend, deployed and changed with it.
  const uiPrefixes = new Set<string>();
  for (const endpoint of endpoints) {
    if (!endpoint.path.endsWith('/*') || endpoint.method !== 'get') continue;
    const prefix = endpoint.path.slice(0, -2);
    if (prefix !== '' && roleOf(endpoint).role === 'page') uiPrefixes.add(`${endpoint.serviceId} ${prefix}`);
  }
  const underUi = (endpoint: Endpoint) =>
    [...uiPrefixes].some((p) => `${endpoint.serviceId} ${endpoint.path}`.startsWith(`${p}/`));
  for (const endpoint of endpoints) {
    let verdict = roleOf(endpoint);
    const { parent, last } = split(endpoint);
    const family = families.get(parent);
    if (
      verdict.role === 'webhook' &&
      !endpoint.webhook &&
      !endpoint.handler?.verifiesSignature &&
      gets.has(`${endpoint.serviceId} ${endpoint.path}`)
    ) {
      verdict = { role: 'resource', roleReason: 'resource API' };
    } else if (
      verdict.role === 'resource' &&
      endpoint.method === 'get' &&
      !hasVersionSegment(endpoint.path) &&
      leadsToVersions(`${endpoint.serviceId} ${endpoint.path}`, versioned)
    ) {
      // `GET /apis/apps` above `/apis/apps/v1/…`: tells clients which versions exist, so it cannot carry one.
      verdict = { role: 'infrastructure', roleReason: 'API discovery (lists the versions under it)' };
    } else if (
      verdict.role === 'resource' &&
      family &&
      family.size >= ACTION_FAMILY &&
      family.has(last) &&
      !isRpcService(parent)
    ) {
      verdict = {
        role: 'protocol',
        roleReason: `one of ${family.size} AWS-style actions under ${endpoint.path.slice(0, endpoint.path.lastIndexOf('/')) || '/'}: another API's wire format`,
      };
    }
    if (
      verdict.role === 'resource' &&
      viewApps.has(endpoint.serviceId) &&
      endpoint.handler?.redirects &&
      !endpoint.handler.sendsJson
    ) {
      // In an app that renders views, a route answered by a redirect is browser navigation: an HTML form post
      // (forms can only GET and POST, hence `POST /account/delete`) or a link that lands on a page.
      verdict = {
        role: 'page',
        roleReason:
          endpoint.method === 'post'
            ? 'HTML form post of a server-rendered site (answered by a redirect)'
            : 'browser navigation of a server-rendered site (answered by a redirect)',
      };
    }
    if (
      verdict.role === 'resource' &&
      viewApps.has(endpoint.serviceId) &&
      !hasVersionSegment(endpoint.path) &&
      !endpoint.path.split('/').includes('api')
    ) {
      // A server-rendered site's few JSON routes outside any `/api` namespace are fetched by its own pages
      // (a chat box, an upload form); a site that publishes an API puts it under /api or a version.
      verdict = {
        role: 'internal',
        roleReason: 'first-party route of a server-rendered site (outside /api, no version)',
      };
    }
    if (
      verdict.role === 'resource' &&
      webApps.has(endpoint.serviceId) &&
      !hasVersionSegment(endpoint.path) &&
      !endpoint.published
    ) {
      // A web app's API routes serve its own pages, deployed with them; a version in the path is what says
      // the routes are published for other clients too (`/api/v1/…`).
      verdict = {
        role: 'internal',
        roleReason: 'first-party route of a web app (no version: not published as an API)',
      };
    }
    if (verdict.role === 'resource' && uiPrefixes.size > 0 && !hasVersionSegment(endpoint.path) && underUi(endpoint)) {
      verdict = { role: 'internal', roleReason: 'backend of the single-page UI served at the same prefix' };
    }
    endpoint.role = verdict.role;
    endpoint.roleReason = verdict.roleReason;
  }
}

/** A version in the path, or declared on the route (Nest `@Version`, URI versioning with a default version). */
const isVersioned = (endpoint: Endpoint) =>
  hasVersionSegment(endpoint.path) || (endpoint.versioning !== undefined && !endpoint.versioning.neutral);

/**
 * What descriptions and code show together. A service whose OpenAPI description (one that shares its
 * operations with the service's routes, as api/spec-matches-code pairs them) documents its API under a
 * versioned base path (`/api/v2`) publishes that API; its other routes — outside that base path and with no
 * version of their own (`/team`, `/alerts`, `/me`) — are the backend of the project's own clients, deployed
 * with them: `internal`, like the unversioned routes of a web app. A service whose description documents
 * unversioned paths, or that has no description, keeps its roles: archlint cannot tell what it publishes.
 * Returns the code endpoints, copied where the role changes.
 */
export function publishedSurfaceRoles(
  described: readonly Endpoint[],
  routes: readonly Endpoint[],
  services: readonly Pick<Service, 'id' | 'origin'>[],
): Endpoint[] {
  if (described.length === 0 || routes.length === 0) return [...routes];
  const files = new Map(services.map((service) => [service.id, service.origin.file]));
  const fileOf = (id: string) => files.get(id);
  const specs = sidesOf([...described], 'openapi', fileOf);
  const code = sidesOf([...routes], 'typescript', fileOf);
  if (specs.length === 0 || code.length === 0) return [...routes];
  const { specsFor } = pairSides(specs, code);
  const published = new Map<string, { bases: string[]; versioned: { base: string; file: string } }>();
  for (const side of code) {
    const paired = specs.filter((spec) => specsFor.get(side.serviceId)?.includes(spec.serviceId));
    const versioned = paired.find((spec) => hasVersionSegment(spec.base));
    if (versioned)
      published.set(side.serviceId, {
        bases: paired.map((spec) => spec.base),
        versioned: { base: versioned.base, file: versioned.file },
      });
  }
  if (published.size === 0) return [...routes];
  return routes.map((route) => {
    const surface = published.get(route.serviceId);
    if (
      !surface ||
      route.role !== 'resource' ||
      isVersioned(route) ||
      surface.bases.some((base) => isUnder(route.path, base))
    )
      return route;
    return {
      ...route,
      role: 'internal',
      roleReason: `first-party route: the service publishes its API under ${surface.versioned.base} (described in ${surface.versioned.file}); this route is outside it, with no version`,
    };
  });
}

/**
 * Described operations under a catch-all route the paired code hands whole to a package's request handler
 * (`api.on(['GET', 'POST'], '/auth/*', (c) => auth.handler(c.req.raw))`): the package (an auth library, a
 * TUS server) defines and answers those paths — its protocol, copied into the description, not the service's
 * own resource API. Returns the described endpoints, copied where the role changes.
 */
export function delegatedOperationRoles(
  described: readonly Endpoint[],
  routes: readonly Endpoint[],
  services: readonly Pick<Service, 'id' | 'origin'>[],
): Endpoint[] {
  const delegated = routes.filter((route) => route.handler?.delegatesTo && /^\/[^*]+\/\*$/.test(route.path));
  if (described.length === 0 || delegated.length === 0) return [...described];
  const files = new Map(services.map((service) => [service.id, service.origin.file]));
  const fileOf = (id: string) => files.get(id);
  const specs = sidesOf([...described], 'openapi', fileOf);
  const code = sidesOf([...routes], 'typescript', fileOf);
  if (specs.length === 0 || code.length === 0) return [...described];
  const { codeFor } = pairSides(specs, code);
  return described.map((operation) => {
    const partners = codeFor.get(operation.serviceId) ?? [];
    const route = delegated.find(
      (r) =>
        partners.includes(r.serviceId) &&
        (r.allMethods === true || r.method === operation.method) &&
        operation.path.startsWith(r.path.slice(0, -1)),
    );
    if (!route || operation.role === 'protocol') return operation;
    return {
      ...operation,
      role: 'protocol',
      roleReason: `served by ${route.handler!.delegatesTo} through the catch-all ${route.path}`,
    };
  });
}

/**
 * The services that serve an API of their own: at least one `resource` endpoint. An app whose routes are all
 * probes, docs, assets, pages, webhooks or first-party RPC (a health sidecar, a Swagger-UI docs server, the
 * static file server of a single-page app, a queue worker's probe port) has no API to version or rate-limit,
 * and its operators watch it through the service it belongs to: the service-wide checks judge API services.
 */
/**
 * A GET route whose handler reads nothing and answers a literal saying it is up (`'OK'`, `{ status: 'ok' }`,
 * `{ healthy: true }`: Endpoint.handler.constantAnswer 'health'): a liveness probe by what it does, whatever its path.
 */
export function answersHealthStatus(endpoint: Pick<Endpoint, 'method' | 'handler'>): boolean {
  return endpoint.method === 'get' && endpoint.handler?.constantAnswer === 'health';
}

/**
 * A GET whose handler is named as a probe (`handleHealthCheck`, `readiness`; Endpoint.handler.probeName), on a path
 * with no parameter: that probe, whatever its path is called. `/tenants/{id}` named `health` is about one tenant.
 */
export function namedProbe(
  endpoint: Pick<Endpoint, 'method' | 'path' | 'handler'>,
): 'liveness' | 'readiness' | undefined {
  if (endpoint.method !== 'get' || /[{:]/.test(endpoint.path)) return undefined;
  return endpoint.handler?.probeName;
}

export function servicesWithApi(endpoints: readonly Pick<Endpoint, 'serviceId' | 'role'>[]): Set<string> {
  return new Set(endpoints.filter((endpoint) => endpoint.role === 'resource').map((endpoint) => endpoint.serviceId));
}

/** What the inputs saw of a code service's callers (src/inputs/routes/first-party.ts). */
export interface CallerEvidence {
  /** The first read of a credential a third party would hold (a bearer token, an API key), as written; undefined: none seen. */
  credential?: string;
  /**
   * Of those, the first read of a key handed out for programs (an API-key header, basic auth, a security scheme of the
   * served Swagger document), as written; undefined when the only credential read is a bearer token, which a
   * single-page app sends too.
   */
  programKey?: string;
}

/**
 * A route that hands out or manages credentials for programs: API keys, access tokens and client secrets
 * (`/api-keys`, `/user/api-key/rotate`, `/tokens`, `/personal-access-tokens`, tRPC `tokens.create`,
 * `/applications/{id}/secrets`), or the token endpoint of an OAuth authorization server (`/oauth/token`: third-party
 * apps get tokens there).
 */
const KEY_SEGMENT =
  /^(api[-_]?keys?|apikeys?|keys|(api|access|personal[-_]?access|auth|service[-_]?account)[-_]?tokens?|tokens|pats?|(client[-_]?)?secrets|credentials)(\.|$)/i;
const OAUTH_NAMESPACE = /^(oauth2?|oidc|openid(-connect)?)$/i;
/** A route that serves the API's own description (`/openapi.json`, `/api/swagger.yaml`, `/api-docs`): it publishes the API. */
const SERVED_DESCRIPTION = /^([\w-]+[.-])?(openapi|swagger)(\.(json|ya?ml))?$|^(api-?docs|redoc|swagger-ui)$/i;

/** Whether a route shows that programs other than the project's UI call its service (see markFirstPartyRoutes). */
function servesPrograms(endpoint: Pick<Endpoint, 'path'>): boolean {
  const segments = endpoint.path.split('/').filter((s) => s !== '' && !isParameter(s));
  if (segments.some((s) => KEY_SEGMENT.test(s) || SERVED_DESCRIPTION.test(s))) return true;
  return segments.at(-1)?.toLowerCase() === 'token' && segments.some((s) => OAUTH_NAMESPACE.test(s));
}

/**
 * How many of a service's routes the project's own browser code must name before the service counts as its UI's
 * backend: one call may be a link to a public endpoint, not a client of the API.
 */
const FIRST_PARTY_CALLS = 2;
/**
 * The share of the service's paths the UI must call: an open API with a page that calls one or two of its routes (a
 * demo, a status widget) is not its UI's backend; the backend of a single-page app is called all over (a third of
 * its paths and more on the real backends read: 66 of 121, 32 of 38, 43 of 51).
 */
const FIRST_PARTY_SHARE = 0.2;

/**
 * Marks the routes whose only clients are the project's own (Endpoint.firstParty): the unversioned resource routes of
 * a code service that the same repository's browser code calls, when nothing in the service's code reads a credential
 * a third party would hold and no command-line client of the repository calls it: its callers sign in through its own
 * pages or not at all, so it has no client that is not deployed with it. A bearer token read from the `Authorization`
 * header is such a credential only when the service hands out keys or tokens for programs (a route that manages API
 * keys, access tokens or client secrets, an OAuth token endpoint) or serves its own API description: otherwise the
 * token is the one its own sign-in gave the UI, which a single-page app sends as a cookie-based one sends its cookie.
 * A key read for programs (an API-key header, basic auth, a served Swagger security scheme) always is. A versioned route is published by its version, and a route
 * published on purpose (trpc-to-openapi) keeps its audience. In place.
 */
export function markFirstPartyRoutes(
  endpoints: Endpoint[],
  evidence: ReadonlyMap<string, CallerEvidence>,
  browserPaths: readonly (readonly string[])[],
  commandLinePaths: readonly (readonly string[])[] = [],
): void {
  if (browserPaths.length === 0) return;
  const keyed = new Set(endpoints.filter(servesPrograms).map((endpoint) => endpoint.serviceId));
  // A key route of a router whose app is not known (mounted where archlint does not see) may be any app's.
  const keyedAnywhere = [...keyed].some((id) => !evidence.has(id));
  const candidates = new Map<string, Endpoint[]>();
  for (const endpoint of endpoints) {
    const seen = evidence.get(endpoint.serviceId);
    if (!seen) continue;
    if (
      seen.credential !== undefined &&
      (seen.programKey !== undefined || keyedAnywhere || keyed.has(endpoint.serviceId))
    )
      continue;
    if (endpoint.role !== 'resource' || endpoint.published || isVersioned(endpoint)) continue;
    const list = candidates.get(endpoint.serviceId) ?? [];
    candidates.set(endpoint.serviceId, [...list, endpoint]);
  }
  for (const routes of candidates.values()) {
    // A command-line client of the repository (installed and run by people, apart from the server) calls it too.
    if (routes.some((route) => commandLinePaths.some((path) => callsRoute(path, route.path)))) continue;
    const called = routes.filter((route) => browserPaths.some((path) => callsRoute(path, route.path)));
    const paths = new Set(called.map((route) => route.path));
    const all = new Set(routes.map((route) => route.path));
    if (paths.size < Math.max(FIRST_PARTY_CALLS, FIRST_PARTY_SHARE * all.size)) continue;
    const example = [...paths].sort()[0]!;
    const bearer = evidence.get(routes[0]!.serviceId)?.credential;
    const credentials =
      bearer === undefined
        ? 'nothing in the service reads an API key or bearer token'
        : `the service reads no API key, hands out none and serves no description of its API (the token it reads, ${bearer}, is one its own UI holds)`;
    for (const route of routes)
      route.firstParty = `the project's own user-interface code calls ${paths.size} of its routes (${example}…) and ${credentials}: its clients are deployed with it`;
  }
}

/**
 * Whether a path named by browser code (segments, `*` for a parameter) calls a route: the whole route path, or its
 * tail after a base URL the client adds (`api.get('/apps/guest')` with `baseURL: '/api'`): of at least two segments,
 * or one below `/api`.
 */
function callsRoute(named: readonly string[], routePath: string): boolean {
  const route = routePath
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (isParameter(s) ? '*' : s));
  if (named.length > route.length || named.length === 0) return false;
  const offset = route.length - named.length;
  // One segment (`/items`) is a call only below a bare `/api` the client's base URL adds: alone it names too little
  // (a page of the UI's own router, `/settings`, is not a call of the server's `/settings`).
  if (named.length < 2 && (offset === 0 || !route.slice(0, offset).every((s) => s === 'api'))) return false;
  // A substitution may hold any segment; a route's parameter is matched by a substitution only.
  return named.every((segment, i) => segment === '*' || segment === route[offset + i]);
}

/**
 * A description in the repository that documents a service's routes publishes them (to whoever reads it): the
 * routes of a code service paired with a description (api/spec-matches-code's pairing) are not first-party only,
 * whoever else calls them. Returns the code endpoints, copied where the mark goes.
 */
export function describedNotFirstParty(
  described: readonly Endpoint[],
  routes: readonly Endpoint[],
  services: readonly Pick<Service, 'id' | 'origin'>[],
): Endpoint[] {
  if (described.length === 0 || !routes.some((route) => route.firstParty)) return [...routes];
  const files = new Map(services.map((service) => [service.id, service.origin.file]));
  const fileOf = (id: string) => files.get(id);
  const { specsFor } = pairSides(
    sidesOf([...described], 'openapi', fileOf),
    sidesOf([...routes], 'typescript', fileOf),
  );
  return routes.map((route) => {
    if (!route.firstParty || (specsFor.get(route.serviceId) ?? []).length === 0) return route;
    const { firstParty: _dropped, ...published } = route;
    return published;
  });
}
