import { defineRule, inSignInFlow, isVersionSegment, type Endpoint, type Service, addTo } from '../../src/rule-api.js';
import { documents, pairSides, sidesOf } from './_lib/spec-code-matching.js';

/**
 * Where a client gets its credentials (`/login`, `/auth/register`, `/oauth/callback`, `/password/forgot`): public
 * by nature. Code has no `security: []` to say so, so code routes like these (and the root `/`, a landing or
 * status page) are not reported.
 */
const CREDENTIAL_ENTRY =
  /\/(log-?in|sign-?in|sign-?up(-[a-z]+)?|register|logout|sign-?out|token|refresh|oauth2?|callback|forgot(-?password)?|reset(-?password)?|verify(-?email)?|magic-?link|otp)(\/|$)/i;

/** Where a caller gets or recovers its credentials, in a description or in code: public by nature. */
const isCredentialEntry = (path: string) => CREDENTIAL_ENTRY.test(path) || inSignInFlow(path);

/**
 * The credential travels in the URL: a signed or pre-signed URL (`/upload/public-signed-url/{path}`, `/presigned/…`),
 * or a path parameter that is a key or token the caller holds (`/api/features/{clientKey}` of a public SDK,
 * `/config/{key}`, `/verify/{token}`). The route checks it itself; there is no session to ask for.
 */
const SIGNED_URL = /\/([a-z-]*-)?(pre-?)?signed(-[a-z]+)*(\/|$)/i;
const KEY_PARAMETER = /\{(([a-z]+[-_]?)?key|([a-z]+[-_]?)?token|public[-_]?id)\}/i;
const credentialInUrl = (path: string) => SIGNED_URL.test(path) || KEY_PARAMETER.test(path);

/**
 * A required header parameter that carries the credential (`x-api-key`, `Authorization`): security declared as a
 * parameter instead of a `securitySchemes` requirement. The operation is authenticated; the form is not archlint's to judge here.
 */
const CREDENTIAL_HEADER = /^((x-)?api[-_]?key|authorization|(x-)?(access|auth)[-_]?token)$/i;
const headerAuthenticated = (endpoint: Endpoint) =>
  endpoint.parameters.some((p) => p.in === 'header' && p.required && CREDENTIAL_HEADER.test(p.name));

/**
 * `/public/status/{slug}`, `/api/public/...`, `/public-project/{id}`: a namespace the project named public (a segment
 * that is the word, alone or first in a hyphenated name; not `/publications`).
 */
const PUBLIC_NAMESPACE = /\/public([-_][a-z0-9]+)*(\/|$)/i;
/**
 * Capability links: the token or slug in the path is the credential (`/share/{slug}`, `/invite/{token}`,
 * `/unsubscribe/{token}`, RFC 8058 one-click unsubscribe).
 */
const CAPABILITY_LINK = /\/(share|shared|invite|invites|invitation|invitations|unsubscribe|magic-link)\/\{[^}]+\}/i;
/**
 * The target of an e-mail's unsubscribe link (`/api/unsubscribe?token=…`, `/emails/unsubscribe/resubscribe`): it must
 * work from the mail client with no login (RFC 8058 one-click unsubscribe); the link's token is the credential.
 */
const UNSUBSCRIBE = /\/(unsubscribe|resubscribe)(\/|$)/i;
/**
 * A share link (`/share/{shareId}`): public by nature in a description too. Invitations there are judged: an
 * `/invites/{inviteId}` of a description is as often the management of invitations as their acceptance.
 */
const SHARE_LINK = /\/(share|shared)\/\{[^}]+\}/i;
/** A shared page read by its slug (`GET /share/p/{pageSlug}`): the slug is the capability. Writes there are judged. */
const SHARED_PAGE_READ = (endpoint: Endpoint) =>
  endpoint.method === 'get' && !endpoint.allMethods && /\/(share|shared)\/[a-z]+\/\{[^}]+\}$/i.test(endpoint.path);
/**
 * A short link (`GET /s/{code}`, `GET /go/{slug}`): one segment and the link's code, answered with a redirect. Whoever
 * holds the link may follow it; resolving it is public by nature.
 */
const LINK_REDIRECT = (endpoint: Endpoint) =>
  endpoint.method === 'get' &&
  !endpoint.allMethods &&
  endpoint.handler?.redirects === true &&
  /^\/[^/{}]+\/\{[^}]+\}$/.test(endpoint.path);
/**
 * A read whose handler declares its answer the same for every caller: `Cache-Control: public` (any shared cache may
 * keep it and hand it to anyone) or a static asset's content type (an image, a script). Public by design.
 */
const PUBLIC_ANSWER = (endpoint: Endpoint) =>
  READS.has(endpoint.method) && endpoint.handler?.publicAnswer !== undefined;
/**
 * A handler that reads nothing and answers the same whatever it is given: one that only fails (throws to test error
 * reporting, a catch-all 404, an upload with no name), or a read that answers a bare status (a no-op kept for old
 * clients). It serves no data and changes nothing.
 */
const CONSTANT_ANSWER = (endpoint: Endpoint) =>
  endpoint.handler?.constantAnswer === 'failure' ||
  (endpoint.handler?.constantAnswer === 'status' && READS.has(endpoint.method));
/**
 * `GET /config`, `GET /api/client-config`, `GET /api/v1/locales`: the settings and translations a single-page app
 * fetches at the root of its API before anyone signs in (its sign-in page needs them). Public by nature, like the
 * sign-in itself. Only at the root: `/admin/config`, `/projects/{id}/config` are the data of someone.
 */
const CLIENT_CONFIG =
  /^\/(((client|public|app|site|ui|web|frontend|runtime)[-_]?)?(config|configuration)|locales?|languages|i18n)$/i;
const isClientConfig = (endpoint: Endpoint) => {
  if (!READS.has(endpoint.method) && !endpoint.allMethods) return false;
  const segments = endpoint.path.split('/').filter((s) => s !== '');
  const last = segments.pop();
  return last !== undefined && CLIENT_CONFIG.test(`/${last}`) && isApiRoot(`/${segments.join('/')}`);
};
/** `POST /users`, `POST /accounts` with no guard next to guarded neighbours: sign-up. */
const SIGN_UP = (endpoint: Endpoint) => endpoint.method === 'post' && /\/(users|accounts)$/i.test(endpoint.path);

/**
 * `/`, `/api`, `/api/v1`: the root of the service or of its API prefix, a landing or hello page that names
 * no resource (code has no `security: []` to say it is public).
 */
const isApiRoot = (path: string) =>
  path.split('/').every((s) => s === '' || s.toLowerCase() === 'api' || isVersionSegment(s));

/**
 * `/debug/env`, `/health/environment`, `/config/dump`: infrastructure that hands out the process's environment or
 * configuration (secrets, connection strings). Probes and docs are public by design; these are a clear risk when open.
 */
const ENVIRONMENT_DUMP = /\/(env|environment|environment-variables|vars|config-?dump)$/i;

const isEnvironmentDump = (endpoint: Endpoint) =>
  endpoint.role === 'infrastructure' && ENVIRONMENT_DUMP.test(endpoint.path);

const WRITES = new Set(['post', 'put', 'patch', 'delete']);
const READS = new Set(['get', 'head']);
/**
 * Public reads, protected writes: a read with no guard whose resource has guarded writes, at the same path
 * or below it (`GET /articles/{slug}` next to a guarded `PUT /articles/{slug}`; `GET /profiles/{name}` next
 * to a guarded `POST /profiles/{name}/follow`). Whoever guarded those writes chose which calls on this
 * resource need a login and left the read open (a blog's articles, public profiles, a catalog; the
 * handler may still read an optional token to personalise it). A forgotten guard has no such sibling, and
 * an unguarded write to the same path says the resource itself was left open: then the read is judged too.
 * An unguarded write is never explained this way.
 */
function readOfGuardedResource(endpoint: Endpoint, seen: Endpoint[]): boolean {
  if (!READS.has(endpoint.method) || endpoint.allMethods) return false;
  const own = endpoint.path;
  const writes = seen.filter(
    (other) =>
      WRITES.has(other.method) && !other.allMethods && (other.path === own || other.path.startsWith(`${own}/`)),
  );
  const guarded = (other: Endpoint) => other.auth!.guards.length > 0;
  return writes.some(guarded) && writes.filter((other) => other.path === own).every(guarded);
}

const folderOf = (file: string) => file.slice(0, file.lastIndexOf('/') + 1);

/** Same folder, or one folder directly inside the other (`app/api/orders/` and `app/api/orders/export/`). */
function near(a: string, b: string): boolean {
  const [x, y] = [folderOf(a), folderOf(b)].sort((p, q) => p.length - q.length) as [string, string];
  return (
    y.startsWith(x) &&
    y
      .slice(x.length)
      .split('/')
      .filter((s) => s !== '').length <= 1
  );
}

const route = (endpoint: Endpoint) => `${endpoint.allMethods ? 'ALL' : endpoint.method.toUpperCase()} ${endpoint.path}`;

/** `bearerAuth`, `oauth2 + apiKey`: the schemes of the requirements other operations declare, for the message. */
function schemesOf(endpoints: Endpoint[]): string {
  const names = new Set(
    endpoints.flatMap((e) => (e.security ?? []).map((requirement) => requirement.join(' + ')).filter((s) => s !== '')),
  );
  const list = [...names].sort();
  return list.length > 3 ? `${list.slice(0, 3).join(', ')}, …` : list.join(', ');
}

function guardsOf(endpoints: Endpoint[]): string {
  const list = [...new Set(endpoints.flatMap((e) => e.auth?.guards ?? []))].sort();
  return list.length > 3 ? `${list.slice(0, 3).join(', ')}, …` : list.join(', ');
}

/**
 * Code routes the project's own description declares public: the operation that documents the route (in a
 * description paired with the route's service, as api/spec-matches-code pairs them) says `security: []`. That is
 * the explicit opt-out, written in the contract rather than in the code.
 */
function declaredPublic(endpoints: Endpoint[], services: Map<string, Service>): Set<Endpoint> {
  const fileOf = (id: string) => services.get(id)?.origin.file;
  const specs = sidesOf(endpoints, 'openapi', fileOf);
  const open = new Set<Endpoint>();
  if (!specs.some((side) => side.endpoints.some(optedOut))) return open;
  const code = sidesOf(endpoints, 'typescript', fileOf);
  const { specsFor } = pairSides(specs, code);
  for (const side of code) {
    const operations = specs
      .filter((spec) => specsFor.get(side.serviceId)?.includes(spec.serviceId))
      .flatMap((spec) => spec.endpoints);
    for (const route of side.endpoints) {
      const documented = operations.filter((operation) => documents(operation, route));
      if (documented.length > 0 && documented.every(optedOut)) open.add(route);
    }
  }
  return open;
}

/** `security: []` (or only empty requirements `{}`): the operation is public on purpose. */
const optedOut = (operation: Endpoint) => operation.security?.every((requirement) => requirement.length === 0) === true;

const plural = (n: number, word: string) => `${n} other ${word}${n === 1 ? '' : 's'}`;

export default defineRule({
  meta: {
    id: 'api/authenticated-operations',
    title: 'Every operation requires authentication or opts out explicitly',
    severity: 'warning',
    requires: ['http'],
    tags: ['api', 'security'],
    why:
      'An operation with no security requirement is open to anyone who can reach it. When the rest of the API ' +
      'requires a token, the one that does not is usually an accident — a report endpoint added in a hurry, a ' +
      'route registered before the auth middleware — and it leaks exactly the data the others protect. Declaring ' +
      'security also tells clients and gateways how to call the API.',
    fix:
      'Declare a global `security` requirement in the description (it applies to every operation) or one on the ' +
      'operation; in code, put the route behind the auth middleware or guard the other routes use. If the ' +
      "operation is public on purpose, say so: `security: []` on the operation (in NestJS, the project's " +
      '`@Public()` marker, or an optional-auth guard alone, `@UseGuards(OptionalAuthGuard)`, which lets anonymous callers through; a route that limits its anonymous callers itself — a rate limiter, a throttler guard or a `@Throttle()` limit of ' +
      'its own and no auth, a 429 answer — is read as public on purpose). Auth checked in a wrapper or a helper ' +
      'the handler hands its request to counts; where archlint cannot follow where the request goes, it reports ' +
      "nothing (a handler that forwards the caller's headers, cookies or raw request to another server, a reverse proxy: " +
      'that server decides; one that passes the request on with `next()` to what is registered after it; a handler list ' +
      'spread from a factory whose handler archlint cannot find; a handler that answers 403 itself, deciding who may call ' +
      'it on grounds archlint does not read). A handler refuses with a status also when it throws an error whose code names ' +
      "it — `new TRPCError({ code: 'UNAUTHORIZED' })` (401: it checked the caller itself), a project's " +
      "`new ApiError({ code: 'forbidden' })` (403): error classes like these map their code to the status they answer with. " +
      "A route whose handler or middleware lets the caller in by the object's own " +
      'secret sent in the URL or body (an edit key or share token compared with the one stored on the row, or used to ' +
      'find it) is authorised by capability: public on purpose, and not a guard that makes its neighbours look ' +
      'unguarded, since an app with no accounts has no login to forget. A handler that asks whether the caller is signed ' +
      'in and answers either way (`isLoggedIn: Boolean(req.user)`, `if (req.user) …`) is optional authentication written ' +
      'in the handler: a route for anonymous and signed-in callers alike (one that only uses the caller, `req.user?.id` ' +
      'in a query, is still judged). A route is reported only beside at least two guarded ' +
      'routes (in its folder, or the one just above or below): one guarded route among open ones (an admin action on a ' +
      'public status site) shows no rule the others break. Nor does archlint judge the unguarded routes of an app it never sees served (no `listen`, no server or ' +
      'adapter given it: a sub-app its caller mounts, behind whatever that mount puts in front of it), nor a helper module ' +
      'kept under `pages/api` whose default export takes a string or number rather than a request (it serves nothing of its own). A Next.js `middleware.ts` (`proxy.ts`) counts for the routes its `matcher` covers where it refuses a ' +
      'request that carries no credential (its body read for the route: conditions on the path and method evaluated, ' +
      'chains of middleware followed); a route whose matcher or middleware body archlint cannot read is not reported. Health, readiness, metrics and docs endpoints are exempt (not one that hands out the process ' +
      'environment, `/health/environment`, `/debug/env`: open in a service that guards its routes, it is reported ' +
      'wherever it is declared), and so are operations ' +
      'where clients get their credentials (`/login`, `/register`, `/signup`, `/oauth/callback`, `/forgot-password`…), URLs that carry ' +
      'their own credential (a signed or pre-signed URL, a client key, token or public id in the path: `/api/features/{clientKey}`), and stored ' +
      'files served by URL (`res.sendFile`, a storage object streamed back: assets, public like a bucket), the root of ' +
      'the API (`/api`, a hello page), the settings a single-page app fetches at the root of its API before anyone signs in ' +
      '(`GET /api/config`, `/api/locales`: its sign-in page needs them, so they cannot ask for a login), a namespace the project named public and share links (`/public/…`, `/public-project/{id}`, `/share/{id}`, ' +
      "in code and descriptions alike), a short link answered by a redirect (`GET /s/{code}`), the target of an e-mail's " +
      'unsubscribe link (`/unsubscribe`), a read whose ' +
      'handler declares its answer the same for everyone (`Cache-Control: public`, an image or script body), a handler ' +
      'that reads nothing and only fails (throws, a catch-all 404) or a read answered by a bare status, a route ' +
      "the project's own description declares `security: []`, a handler that reads " +
      'the credential header itself (`req.headers.authorization`, `x-api-key`: its check is not known), ' +
      'and a read whose resource has guarded writes (public reads, protected writes: ' +
      '`GET /articles/{slug}` beside a guarded `PUT /articles/{slug}`). Webhook receivers (a signature header such as ' +
      '`Stripe-Signature`, a `hub.challenge` subscription handshake) and test mocks (`/mock/…`) are not API ' +
      "operations, nor is a route registered only in development or tests (under `NODE_ENV !== 'production'`, `isDev`, an `E2E_TESTING` flag: the deployed service does not serve it; `archlint routes` shows the condition). A description that authenticates with a header parameter (`x-api-key`, `Authorization`) instead of a " +
      'security requirement is not judged: archlint cannot tell which operations go without it on purpose. Pages of a server-rendered site are judged like API routes: a page can need a login. ' +
      "A description generated from the code (a NestJS `SwaggerModule` document written to a committed file) is judged like any other: it is what clients and generated SDKs read, so a guarded route documented without security is reported there, and the fix is in the code (`@ApiBearerAuth()` beside the guard). A webhook receiver whose handler hands the request headers to a service that reads the sender's signature header (`this.repoService.handleWebhook(provider, req.headers, body)`) is a webhook receiver. " +
      "A description that lies in the package of a code service and describes nothing that package serves (a hosted product's API, a template, a stale snapshot: no route of the package serves any of its operations) is not judged: the code beside it cannot change that API.",
    examples: {
      bad: [
        {
          description: 'One operation has no security, and there is no global requirement',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'paths:',
              '  /v1/orders:',
              '    get:',
              '      security: [{ bearerAuth: [] }]',
              "      responses: { '200': { description: ok } }",
              '  /v1/order-totals:',
              '    get:',
              "      responses: { '200': { description: ok } }",
              'components:',
              '  securitySchemes:',
              '    bearerAuth: { type: http, scheme: bearer }',
              '',
            ].join('\n'),
          },
        },
      ],
      good: [
        {
          description: 'A global requirement; the public status page opts out with security: []; /healthz is exempt',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'security: [{ bearerAuth: [] }]',
              'paths:',
              '  /v1/orders:',
              '    get:',
              "      responses: { '200': { description: ok } }",
              '  /v1/public/service-levels:',
              '    get:',
              '      security: []',
              "      responses: { '200': { description: ok } }",
              '  /healthz:',
              '    get:',
              "      responses: { '200': { description: ok } }",
              'components:',
              '  securitySchemes:',
              '    bearerAuth: { type: http, scheme: bearer }',
              '',
            ].join('\n'),
          },
        },
      ],
    },
    messages: {
      noSecurityAnywhere:
        '{{service}} declares no security: no global `security` and none on its {{count}} (e.g. {{example}}); declare a requirement, and `security: []` on operations that are public on purpose',
      operation:
        '{{route}} has no security requirement (none on the operation, no global `security`){{contrast}}; add one, or `security: []` if it is public on purpose',
      route:
        '{{route}} runs no authentication middleware or guard, unlike {{others}} in {{service}} ({{guards}}); protect it, or mark it public explicitly',
    },
  },
  check(ctx) {
    const services = new Map<string, Service>(ctx.http.services.map((service) => [service.id, service]));
    const byService = new Map<string, Endpoint[]>();
    for (const endpoint of ctx.http.endpoints) {
      // A description of an API its package does not serve (a hosted product's, a template, a stale snapshot).
      if (services.get(endpoint.serviceId)?.unserved) continue;
      // OAuth callbacks, webhooks (signed), probes, docs and assets (stored files served by URL too) are public
      // by design. A web app's own routes (internal) and a site's pages are judged too: a session check
      // forgotten there leaks what the other pages protect.
      if (
        endpoint.role !== 'resource' &&
        endpoint.role !== 'internal' &&
        endpoint.role !== 'page' &&
        !isEnvironmentDump(endpoint)
      )
        continue;
      addTo(byService, endpoint.serviceId, endpoint);
    }
    // A route served by two apps (two builds of one app) lacks its guard once: reported once.
    const reported = new Set<string>();
    const publicByDescription = declaredPublic(ctx.http.endpoints, services);
    for (const [serviceId, endpoints] of byService) {
      const service = services.get(serviceId);
      const name = service?.name ?? serviceId;
      // Description: `security` on the operation or globally; [] (or an empty requirement {}) is an explicit opt-out.
      // A credential header parameter is security written another way, which archlint does not follow as a scheme
      // (which operations go without it on purpose?): such a description is not judged. A sign-up or password reset is
      // where a client gets its credentials (left out next to secured operations, as in code).
      const headerAuth = endpoints.some((e) => e.source === 'openapi' && headerAuthenticated(e));
      const described = endpoints.filter((e) => e.source === 'openapi' && !headerAuth);
      const open = described.filter((e) => e.security === undefined);
      if (open.length > 0 && open.length === described.length && service) {
        ctx.report({
          at: service,
          messageId: 'noSecurityAnywhere',
          data: {
            service: name,
            count: `${open.length} operation${open.length === 1 ? '' : 's'}`,
            example: route(open[0]!),
          },
        });
      } else {
        const secured = described.filter((e) => e.security?.some((requirement) => requirement.length > 0));
        for (const endpoint of open) {
          if (
            secured.length > 0 &&
            (isCredentialEntry(endpoint.path) ||
              isApiRoot(endpoint.path) ||
              credentialInUrl(endpoint.path) ||
              PUBLIC_NAMESPACE.test(endpoint.path) ||
              SHARE_LINK.test(endpoint.path) ||
              UNSUBSCRIBE.test(endpoint.path) ||
              SHARED_PAGE_READ(endpoint))
          )
            continue;
          const contrast =
            secured.length > 0 ? `, unlike ${plural(secured.length, 'operation')} (${schemesOf(secured)})` : '';
          ctx.report({ at: endpoint, messageId: 'operation', data: { route: route(endpoint), contrast } });
        }
      }
      // Code: only where the input saw the middleware chain (auth defined), and only next to guarded routes: in
      // the same folder or the one just above or below (the same router, controller or route folder). A route
      // that lacks the guard its neighbours have is the accident this rule is for; a feature folder with no
      // guarded route is a public controller by design, or checks credentials inside its handlers in a way
      // archlint cannot follow: not reported.
      const seen = endpoints.filter((e) => e.source === 'typescript' && e.auth !== undefined);
      const guarded = seen.filter((e) => e.auth!.guards.length > 0);
      if (guarded.length === 0) continue;
      for (const endpoint of seen) {
        if (
          endpoint.auth!.guards.length > 0 ||
          endpoint.auth!.optOut !== undefined ||
          isApiRoot(endpoint.path) ||
          publicByDescription.has(endpoint)
        )
          continue;
        if (isCredentialEntry(endpoint.path) || PUBLIC_NAMESPACE.test(endpoint.path) || credentialInUrl(endpoint.path))
          continue;
        if (
          CAPABILITY_LINK.test(endpoint.path) ||
          UNSUBSCRIBE.test(endpoint.path) ||
          SHARED_PAGE_READ(endpoint) ||
          SIGN_UP(endpoint) ||
          isClientConfig(endpoint) ||
          LINK_REDIRECT(endpoint) ||
          PUBLIC_ANSWER(endpoint) ||
          CONSTANT_ANSWER(endpoint) ||
          readOfGuardedResource(endpoint, seen)
        )
          continue;
        // An open environment dump in a service that guards its routes is a risk wherever it is declared.
        const neighbours = isEnvironmentDump(endpoint)
          ? guarded
          : guarded.filter((e) => near(e.origin.file, endpoint.origin.file));
        // Evidence of a forgotten guard is a pattern: at least two guarded routes beside it. One guarded route in a
        // folder of open ones (an admin action among public pages, a mock beside the real API) shows no rule the
        // others follow; an open environment dump is judged against the service's guards as a whole.
        const enough = isEnvironmentDump(endpoint) ? 1 : 2;
        if (neighbours.length < enough || reported.has(JSON.stringify(endpoint.origin))) continue;
        reported.add(JSON.stringify(endpoint.origin));
        ctx.report({
          at: endpoint,
          messageId: 'route',
          data: {
            route: route(endpoint),
            others: isEnvironmentDump(endpoint)
              ? `${plural(neighbours.length, 'route')} (it hands out the environment)`
              : `${plural(neighbours.length, 'route')} declared next to it`,
            service: name,
            guards: guardsOf(neighbours),
          },
        });
      }
    }
  },
});
