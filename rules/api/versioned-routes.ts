import {
  addTo,
  defineRule,
  hasVersionSegment,
  isVersionSegment,
  ReportedServices,
  type Endpoint,
} from '../../src/rule-api.js';

/**
 * Resource endpoints only: OAuth callbacks, webhooks, TUS, health and docs are called by clients
 * whose paths someone else fixed. VERSION_NEUTRAL opts out. A code route whose full path is not
 * known (a prefix computed at run time, a router mounted where archlint cannot see) may well carry
 * a version: not judged rather than guessed.
 */
function judged(endpoint: Endpoint): boolean {
  return (
    endpoint.role === 'resource' &&
    endpoint.confidence !== 'low' &&
    !endpoint.versioning?.neutral &&
    // A version lets old clients keep working while new ones move on; a route whose clients are all the project's
    // own (its bundled UI, no API key or token handed out to anyone else) changes together with them.
    endpoint.firstParty === undefined
  );
}

function isVersioned(endpoint: Endpoint): boolean {
  return hasVersionSegment(endpoint.path) || (endpoint.versioning !== undefined && !endpoint.versioning.neutral);
}

/**
 * Versions introduced per resource: `/api/public/v2/prompts` next to `/api/public/prompts`. The unversioned
 * path is the resource's implicit v1 and its successor carries the version: the service has a scheme. Read
 * as: some versioned path, with its version segment left out and cut after the resource that follows it,
 * begins an unversioned path.
 */
function versionsPerResource(versioned: readonly Endpoint[], unversioned: readonly Endpoint[]): boolean {
  const successors = new Set<string>();
  for (const endpoint of versioned) {
    const segments = endpoint.path.split('/').filter((s) => s !== '');
    const at = segments.findIndex(isVersionSegment);
    if (at < 0 || at + 1 >= segments.length) continue;
    successors.add(`/${[...segments.slice(0, at), segments[at + 1]!].join('/')}`);
  }
  return unversioned.some((endpoint) =>
    [...successors].some((resource) => endpoint.path === resource || endpoint.path.startsWith(`${resource}/`)),
  );
}

/**
 * A description whose paths the code serves under a version (`/monitor` described, `/v1/monitor` routed: the app
 * mounts the API at `/v1`) leaves the version out of its servers block; the API itself is versioned. Read as: most
 * described paths are the tail of a code route whose extra leading segments carry a version.
 */
function servedUnderVersion(described: readonly Endpoint[], routes: readonly Endpoint[]): boolean {
  const keyOf = (path: string) => path.replace(/\{[^}/]*\}/g, '{}');
  const tails = new Set<string>();
  for (const route of routes) {
    const segments = keyOf(route.path)
      .split('/')
      .filter((s) => s !== '');
    const at = segments.findIndex(isVersionSegment);
    if (at >= 0 && at + 1 < segments.length) tails.add(`${route.method} /${segments.slice(at + 1).join('/')}`);
  }
  if (tails.size === 0) return false;
  const served = described.filter((endpoint) => tails.has(`${endpoint.method} ${keyOf(endpoint.path)}`));
  return served.length * 2 > described.length;
}

const originKey = (endpoint: Endpoint) => JSON.stringify(endpoint.pathOrigin);

/**
 * An app in code with fewer resource paths than this and no version is a worker, a sidecar or a tool called by the
 * project's own services (a build runner's callbacks, a screenshot worker, a setup wizard): archlint cannot tell that
 * anyone outside the project calls it, so it does not ask it for a versioning scheme.
 */
const PUBLISHED_API_PATHS = 5;
const routeOf = (group: Endpoint[]) =>
  `${group.map((e) => (e.allMethods ? 'ALL' : e.method.toUpperCase())).join(', ')} ${group[0]!.path}`;
/** Route declarations listed as related locations of a service-wide finding. */
const RELATED_LIMIT = 10;

export default defineRule({
  meta: {
    id: 'api/versioned-routes',
    title: 'Public routes carry an API version',
    severity: 'warning',
    requires: ['http'],
    tags: ['api', 'compatibility'],
    why:
      'Without a version in the URL (or an explicit version header or media type), the first breaking change to a ' +
      'response has nowhere to go: every client gets it at once. With `/v1`, a `/v2` can live next to it while ' +
      'clients migrate.',
    fix:
      'Put the version in the base path every route shares (`servers: [{url: https://api.example.com/v1}]`, ' +
      '`basePath: /v1`, a global prefix or router mount in code), or declare header/media-type versioning explicitly ' +
      '(an `Accept-Version`/`API-Version` header parameter, NestJS `enableVersioning`). Health, metrics and docs ' +
      "endpoints need no version, nor does the service's own `/internal/…` namespace, nor do pages and form posts of a server-rendered site (a service made only of " +
      'pages has no API to version) or scheduled-job triggers (vercel.json `crons`, `/cron/…`, behind `CRON_SECRET`), ' +
      "nor routes called with the deployment's shared secret (`x-api-key !== process.env.API_KEY`: one value for every " +
      "caller, so the callers are the project's own services and operators, which deploy with them), nor first-party " +
      "routes: those of a service the repository's own UI code calls and whose code reads no API key or bearer token " +
      '(its clients sign in through its pages, so every one of them is deployed with it: a version would serve nobody). ' +
      "A bearer token counts as the UI's own sign-in, like a session cookie, when the service hands out no keys, tokens " +
      'or client secrets for programs (no `/api-keys`, `/tokens`, `/…/secrets` or OAuth `/token` route), reads no API ' +
      'key or basic auth and serves no description of its API (`/openapi.json`, `/api-docs`, a Swagger security scheme). ' +
      'Routes also served at an unversioned legacy alias (`/api` next to `/api/v2`) are versioned, and an API that gives ' +
      'a resource its `/v2` next to the unversioned original (its implicit v1) has a scheme. A description of routes the code of its package serves, when that code is reported, is not ' +
      'reported again (one cause, one finding). In a description, a group of ' +
      'paths left out of a versioned API is reported once, at its first path, with the count. An app in code that serves ' +
      'a versioned API is not asked about its unversioned routes (the backend of its own pages, legacy aliases, paths ' +
      'another protocol fixed: archlint cannot tell which were meant to be published), nor is an app with fewer than five ' +
      "resource paths (a worker, a sidecar, a tool the project's own services call). A description whose paths the code " +
      'serves under a version (`/monitors` described, `/v1/monitors` routed) is versioned: only its servers block ' +
      'leaves the version out.' +
      ' A description that lies in the package of a code service and describes nothing that package serves (a hosted ' +
      "product's API, a template, a stale snapshot: no route of the package serves any of its operations) is not judged: " +
      'the code beside it cannot change that API.',
    examples: {
      bad: [
        {
          description: 'No version in the server URL or in any path',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'servers:',
              '  - url: https://api.example.com',
              'paths:',
              '  /orders:',
              '    get:',
              "      responses: { '200': { description: ok } }",
              '',
            ].join('\n'),
          },
        },
      ],
      good: [
        {
          description: 'The version is in the server URL; /health needs none',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'servers:',
              '  - url: https://api.example.com/v1',
              'paths:',
              '  /orders:',
              '    get:',
              "      responses: { '200': { description: ok } }",
              '  /health:',
              '    get:',
              "      responses: { '200': { description: ok } }",
              '',
            ].join('\n'),
          },
        },
      ],
    },
    messages: {
      unversionedService:
        '{{service}} has no API versioning scheme: no version in {{paths}} (e.g. {{example}}), and no version header or media type declared; add /v1 to the base path or declare header versioning',
      mostlyUnversionedService:
        '{{service}} has no API versioning scheme: {{unversioned}} carry no version (e.g. {{example}}), only {{versioned}} (e.g. {{versionedExample}}) {{doOrDoes}}; add /v1 to the base path or declare header versioning',
      unversionedRoute:
        '{{route}} has no API version (no /v1-style segment, version header or versioned media type), unlike the other routes of {{service}}',
      unversionedRoutes:
        '{{count}} routes declared in this file have no API version (e.g. {{route}}; no /v1-style segment, version header or versioned media type), unlike the other routes of {{service}}',
    },
  },
  check(ctx) {
    const services = new Map(ctx.http.services.map((service) => [service.id, service]));
    const byService = new Map<string, Endpoint[]>();
    for (const endpoint of ctx.http.endpoints) if (judged(endpoint)) addTo(byService, endpoint.serviceId, endpoint);
    const describedVersioned = [...byService.values()].flat().filter((e) => e.source === 'openapi' && isVersioned(e));
    const codeVersioned = ctx.http.endpoints.filter((e) => e.source === 'typescript' && hasVersionSegment(e.path));
    const reported = new ReportedServices();
    for (const [serviceId, endpoints] of ReportedServices.codeFirst(byService, ([id]) => services.get(id))) {
      const service = services.get(serviceId);
      // Versioned as a whole, or a description of an API its package does not serve (its code cannot change it).
      if (service?.versioning || service?.unserved) continue;
      // A description of routes its package's code serves, where that code was reported: one cause, one finding.
      if (reported.repeats(service)) continue;
      // Routes of an app in code that is no service (built by a script for its schema, never served): the
      // service that deploys them judges them, with its own prefixes.
      if (!service && endpoints.every((endpoint) => endpoint.source === 'typescript')) continue;
      const versioned = endpoints.filter(isVersioned);
      // A router mounted at /api/v2 and again at /api as a legacy alias: the declaration has a version, the
      // alias keeps old clients working. Judged by declaration, not by each path it is reachable at.
      const versionedDeclarations = new Set(versioned.map(originKey));
      const unversioned = endpoints.filter(
        (endpoint) => !isVersioned(endpoint) && !versionedDeclarations.has(originKey(endpoint)),
      );
      // Descriptions in one repository describe one API in parts (a client's subset, an admin part): a resource's
      // successor may be written in another of them.
      const successors = service?.source === 'openapi' ? describedVersioned : versioned;
      if (unversioned.length === 0 || versionsPerResource(successors, unversioned)) continue;
      if (service?.source === 'openapi' && servedUnderVersion(unversioned, codeVersioned)) continue;
      if (service?.source === 'typescript') {
        // Code that serves a versioned API next to unversioned routes publishes the versioned ones; the others are the
        // backend of its own clients, legacy aliases or paths a protocol fixed — archlint cannot tell which were meant
        // to be published, so it asks nothing of them. A handful of paths is not a published API either.
        if (versioned.length > 0 || new Set(unversioned.map((e) => e.path)).size < PUBLISHED_API_PATHS) continue;
      }
      const serviceName = service?.name ?? serviceId;
      // One finding per route declaration, naming every method declared there.
      const declarations = new Map<string, Endpoint[]>();
      for (const endpoint of unversioned) addTo(declarations, originKey(endpoint), endpoint);
      const groups = [...declarations.values()];
      // Most routes without a version is a service without a versioning scheme: one cause, one finding,
      // on the service, with the routes as related locations. A few stragglers in a versioned API are
      // each their own mistake.
      reported.add(serviceId);
      if (versioned.length < unversioned.length && service) {
        const paths = new Set(unversioned.map((e) => e.path));
        ctx.report({
          at: service.baseOrigin ?? service.origin,
          messageId: versioned.length === 0 ? 'unversionedService' : 'mostlyUnversionedService',
          data: {
            service: serviceName,
            paths: paths.size === 1 ? 'its one resource path' : `any of its ${paths.size} resource paths`,
            unversioned: `${paths.size} of its resource paths`,
            example: routeOf(groups[0]!),
            versioned: `${versioned.length} route${versioned.length === 1 ? '' : 's'}`,
            doOrDoes: versioned.length === 1 ? 'does' : 'do',
            versionedExample: versioned.length > 0 ? `${versioned[0]!.method.toUpperCase()} ${versioned[0]!.path}` : '',
          },
          related: groups
            .slice(0, RELATED_LIMIT)
            .map((group) => ({ at: group[0]!.pathOrigin, message: `${routeOf(group)} has no version` })),
        });
        continue;
      }
      // A router (its file) left out of the versioned API is one omission, however many routes it declares: one
      // finding per file, at its first unversioned route, naming how many there are.
      const byFile = new Map<string, Endpoint[][]>();
      for (const group of groups) addTo(byFile, group[0]!.pathOrigin.file, group);
      for (const fileGroups of byFile.values()) {
        const ordered = [...fileGroups].sort(
          (a, b) => (a[0]!.pathOrigin.range?.start ?? 0) - (b[0]!.pathOrigin.range?.start ?? 0),
        );
        const first = ordered[0]!;
        const data = { route: routeOf(first), service: serviceName, count: `${ordered.length}` };
        if (ordered.length === 1) {
          ctx.report({ at: { ...first[0]!, origin: first[0]!.pathOrigin }, messageId: 'unversionedRoute', data });
          continue;
        }
        ctx.report({
          at: { ...first[0]!, origin: first[0]!.pathOrigin },
          messageId: 'unversionedRoutes',
          data,
          related: ordered
            .slice(1, RELATED_LIMIT + 1)
            .map((group) => ({ at: group[0]!.pathOrigin, message: `${routeOf(group)} has no version` })),
        });
      }
    }
  },
});
