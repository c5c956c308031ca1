/**
 * api/spec-matches-code: when does a code route serve an OpenAPI operation, and which descriptions
 * and code services are about the same API. Paths are compared as the HTTP model writes them (every
 * server path, basePath, global and mount prefix already applied), with parameter names ignored.
 */
import type { Endpoint } from './http.js';
import { isVersionSegment } from './http-paths.js';
import { addTo } from '../util/multimap.js';

/** A description (source 'openapi') or a code service (source 'typescript'): its endpoints and where it lives. */
export interface Side {
  serviceId: string;
  /** The description's root file, or the file creating the app: where in the repository the service lives. */
  file: string;
  endpoints: Endpoint[];
  /** The deepest path every endpoint lives under (`/api/public` for `/api/public/traces`, `/api/public/scores/{id}`). */
  base: string;
}

/**
 * `/orders/{orderId}` and `/orders/:id` → `/orders/{}`: parameter names are the implementer's
 * choice, so only their position counts. The model already drops trailing slashes; paths stay
 * case-sensitive, as servers route them.
 */
export function pathKey(path: string): string {
  const normalised = path.replace(/\{[^}/]*\}/g, '{}').replace(/:[A-Za-z_$][\w$]*/g, '{}');
  return normalised.length > 1 ? normalised.replace(/\/+$/, '') : normalised;
}

/** A path segment archlint could not compute (`<process.env.PREFIX>`), kept as written by the routes input. */
const UNRESOLVED = /[<>]/;

/**
 * Endpoints the rule compares. Health, metrics, docs and version endpoints are infrastructure, and
 * favicons and images are assets, not API.
 * In code, catch-alls (`app.all('*', notFound)`, `app.get('*', spa)`) are fallbacks, not operations,
 * and a route whose path archlint cannot see any part of is left out rather than guessed at.
 */
export function isCompared(endpoint: Endpoint): boolean {
  if (endpoint.role === 'infrastructure' || endpoint.role === 'asset') return false;
  if (endpoint.source === 'openapi') return true;
  if (endpoint.path.split('/').some((segment) => segment.includes('*'))) return false;
  return knownTail(endpoint).length > 0;
}

/**
 * The segments of a code route's path that are known for sure. A high-confidence path is known
 * whole; for a low-confidence one (a prefix computed at run time, a router mounted where archlint
 * cannot see) only the segments after the last unresolved piece are.
 */
function knownTail(endpoint: Endpoint): string[] {
  const segments = pathKey(endpoint.path)
    .split('/')
    .filter((s) => s !== '');
  if (endpoint.confidence === 'high') return segments;
  const lastUnresolved = segments.findLastIndex((segment) => UNRESOLVED.test(segment));
  return segments.slice(lastUnresolved + 1);
}

/**
 * Whether a code route answers a described operation. Express, Fastify, Koa, Hono and Nest answer
 * HEAD with a GET handler, and CORS middleware answers OPTIONS on any routed path, so a described
 * `head` or `options` needs no route of its own. A low-confidence route is matched leniently: its
 * known tail must end the operation's path.
 */
export function serves(route: Endpoint, operation: Endpoint): boolean {
  const methodOk =
    route.allMethods === true ||
    route.method === operation.method ||
    (operation.method === 'head' && route.method === 'get') ||
    operation.method === 'options';
  if (!methodOk) return false;
  if (route.confidence === 'high') return pathKey(route.path) === pathKey(operation.path);
  const tail = knownTail(route);
  const segments = pathKey(operation.path)
    .split('/')
    .filter((s) => s !== '');
  return (
    tail.length <= segments.length &&
    tail.every((segment, i) => segment === segments[segments.length - tail.length + i])
  );
}

/**
 * A code route that may answer a described operation although archlint cannot place it: its router is mounted where
 * archlint cannot see (a file-system route loader, a prefix computed at run time) and the route answers at that
 * router's own root (`router.get('/', …)` with an unknown prefix), so no segment of its path is known. Such a route
 * is left out of the comparison (isCompared), but it may be the one serving the operation. Catch-alls (`*`) are
 * fallbacks, not operations.
 */
export function mayServeUnplaced(route: Endpoint, operation: Endpoint): boolean {
  if (route.source !== 'typescript' || route.confidence !== 'low' || route.path.includes('*')) return false;
  const methodOk = route.allMethods === true || route.method === operation.method;
  return methodOk && knownTail(route).length === 0;
}

/**
 * Whether an operation documents a code route: the same method (any method for `.all()`), and for
 * a HEAD route its GET. The reverse of `serves` without its leniency: only high-confidence routes
 * are ever reported as undocumented.
 */
export function documents(operation: Endpoint, route: Endpoint): boolean {
  const methodOk =
    route.allMethods === true ||
    route.method === operation.method ||
    (route.method === 'head' && operation.method === 'get');
  return methodOk && pathKey(route.path) === pathKey(operation.path);
}

/** Groups endpoints of one source by service, in first-seen order; `fileOf` says where a service lives. */
export function sidesOf(
  endpoints: Endpoint[],
  source: Endpoint['source'],
  fileOf: (serviceId: string) => string | undefined,
): Side[] {
  const byService = new Map<string, Endpoint[]>();
  for (const endpoint of endpoints) {
    if (endpoint.source !== source || !isCompared(endpoint)) continue;
    addTo(byService, endpoint.serviceId, endpoint);
  }
  return [...byService].map(([serviceId, list]) => ({
    serviceId,
    file: fileOf(serviceId) ?? list[0]!.origin.file,
    endpoints: list,
    base: commonParent(list),
  }));
}

/** The deepest path that is a parent of every endpoint's path, as a directory is of files ('/' when none). */
function commonParent(endpoints: Endpoint[]): string {
  let common: string[] | undefined;
  for (const endpoint of endpoints) {
    const parent = segmentsOf(endpoint.path).slice(0, -1);
    common = common === undefined ? parent : common.slice(0, commonLength(common, parent));
  }
  return `/${(common ?? []).join('/')}`;
}

/**
 * Whether a path is inside a description's base. A description documents the part of the URL space
 * its operations live in: a public API under /api/public says nothing about the /api/auth routes the
 * same app serves its own web pages with.
 */
export function isUnder(path: string, base: string): boolean {
  const within = segmentsOf(base);
  return commonLength(segmentsOf(path), within) === within.length;
}

function segmentsOf(path: string): string[] {
  return pathKey(path)
    .split('/')
    .filter((s) => s !== '');
}

function commonLength(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * Below this share of the smaller side's endpoints, what a description and a code service have in
 * common is a coincidence (a `GET /users/{id}` in a description of another service), not the same API.
 */
const MIN_SHARED_FRACTION = 0.25;

export interface Pairing {
  /** For each description id, the code services its operations are compared with, most shared endpoints first. */
  codeFor: Map<string, string[]>;
  /** For each code service id, the descriptions its routes are compared with, most shared endpoints first. */
  specsFor: Map<string, string[]>;
}

interface Candidate {
  id: string;
  shared: number;
  /** How many leading folders the two files have in common. */
  closeness: number;
}

/**
 * Which descriptions and code services describe the same API. Candidates share endpoints: at least
 * one, and at least a quarter of the endpoints of the smaller of the two (less is a coincidence). A
 * description that shares nothing with any code service is about another service (a client's copy of
 * a partner API, a sibling service's contract) and is not compared at all, and neither is code no
 * description shares anything with. Among its candidates, each side picks the nearest in the folder
 * tree (all of them when equally near): in a monorepo where several services serve look-alike
 * APIs, a service's routes are compared with its own description, not with a sibling's that
 * happens to document them.
 */
export function pairSides(specs: Side[], code: Side[]): Pairing {
  const forSpec = new Map<string, Candidate[]>();
  const forCode = new Map<string, Candidate[]>();
  for (const spec of specs) {
    for (const app of code) {
      const shared = spec.endpoints.filter((operation) =>
        app.endpoints.some((route) => serves(route, operation)),
      ).length;
      if (shared === 0 || shared < MIN_SHARED_FRACTION * Math.min(spec.endpoints.length, app.endpoints.length))
        continue;
      const closeness = commonFolders(spec.file, app.file);
      addTo(forSpec, spec.serviceId, { id: app.serviceId, shared, closeness });
      addTo(forCode, app.serviceId, { id: spec.serviceId, shared, closeness });
    }
  }
  return { codeFor: nearest(forSpec), specsFor: nearest(forCode) };
}

function nearest(candidates: Map<string, Candidate[]>): Map<string, string[]> {
  return new Map(
    [...candidates].map(([id, list]) => {
      const best = Math.max(...list.map((c) => c.closeness));
      return [
        id,
        list
          .filter((c) => c.closeness === best)
          .sort((a, b) => b.shared - a.shared)
          .map((c) => c.id),
      ];
    }),
  );
}

function commonFolders(a: string, b: string): number {
  return commonLength(a.split('/').slice(0, -1), b.split('/').slice(0, -1));
}

/** `v2` → 2, `v1beta` → 1, `2024-01-01` → 20240101; undefined for a segment that is not a version. */
function versionNumber(segment: string): number | undefined {
  if (!isVersionSegment(segment)) return undefined;
  const digits = /^v(\d+)/i.exec(segment)?.[1] ?? segment.replace(/-/g, '');
  return Number(digits);
}

/**
 * The documented operation that supersedes a route: the same resource under a newer version at the same
 * place in the path (`/api/public/v2/prompts` for the unversioned `/api/public/prompts`, `/v3/scores` for
 * `/v1/scores/{id}`). The route is the older version of a documented resource, kept serving old clients
 * while the description moved on: not drift. Undefined when no newer version documents the resource.
 */
export function supersededBy(route: Endpoint, operations: Endpoint[]): Endpoint | undefined {
  const own = segmentsOf(route.path);
  return operations.find((operation) => {
    const theirs = segmentsOf(operation.path);
    return theirs.some((segment, i) => {
      const newer = versionNumber(segment);
      if (newer === undefined || i + 1 >= theirs.length || commonLength(own, theirs.slice(0, i)) < i) return false;
      // Unversioned at that place (`/api/public/prompts`), or an older version there (`/api/v1/prompts`).
      const older = own[i] === undefined ? undefined : versionNumber(own[i]!);
      const resourceAt = older === undefined ? i : i + 1;
      if (older !== undefined && older >= newer) return false;
      if (older === undefined && newer < 2) return false;
      return own[resourceAt] !== undefined && own[resourceAt] === theirs[i + 1];
    });
  });
}

/**
 * The descriptions that lie in the package of code services serving routes (the nearest folder with a package
 * manifest, `packageOf`), and whose operations none of those routes serves (see Service.unserved). A description
 * with no code service in its package (a contract of a service written in another language, a shared schema
 * package) is not compared: archlint cannot tell what serves it.
 */
export function unservedDescriptions(
  described: readonly Endpoint[],
  routes: readonly Endpoint[],
  fileOf: (serviceId: string) => string | undefined,
  packageOf: (file: string) => string | undefined,
): Set<string> {
  const specs = sidesOf([...described], 'openapi', fileOf);
  const code = sidesOf([...routes], 'typescript', fileOf);
  const unserved = new Set<string>();
  for (const spec of specs) {
    const home = packageOf(spec.file);
    if (home === undefined) continue;
    const neighbours = new Set(code.filter((app) => packageOf(app.file) === home).map((app) => app.serviceId));
    if (neighbours.size === 0) continue;
    const own = routes.filter((route) => neighbours.has(route.serviceId));
    const served = spec.endpoints.some((operation) => own.some((route) => mayServe(route, operation)));
    // A route of the package under the description's own base path (`GET /etapi/etapi.openapi.yaml` beside a described
    // `/etapi/notes`) says the package serves that part of the URL space, through routes archlint may not see.
    const inItsSpace = spec.base !== '/' && own.some((route) => isUnder(route.path, spec.base));
    // The package's routes name none of the described resources (`/member/{id}/organization` described, `/members/…`
    // routed: the same resources, served by routes archlint may not have matched or seen): nothing says it serves them.
    const routedWords = new Set(own.flatMap((route) => resourceWords(route.path)));
    const namesThem = spec.endpoints.some((operation) =>
      resourceWords(operation.path).some((word) => routedWords.has(word)),
    );
    if (!served && !inItsSpace && !namesThem) unserved.add(spec.serviceId);
  }
  return unserved;
}

/**
 * For each description that lies in the package of code services (as unservedDescriptions reads it), the services of
 * that package with a route serving one of its operations (Service.servedBy): the code a description documents.
 */
export function servingApps(
  described: readonly Endpoint[],
  routes: readonly Endpoint[],
  fileOf: (serviceId: string) => string | undefined,
  packageOf: (file: string) => string | undefined,
): Map<string, string[]> {
  const specs = sidesOf([...described], 'openapi', fileOf);
  const code = sidesOf([...routes], 'typescript', fileOf);
  const serving = new Map<string, string[]>();
  for (const spec of specs) {
    const home = packageOf(spec.file);
    if (home === undefined) continue;
    const neighbours = new Set(code.filter((app) => packageOf(app.file) === home).map((app) => app.serviceId));
    const apps = [...neighbours].filter((id) =>
      routes.some((route) => route.serviceId === id && spec.endpoints.some((operation) => mayServe(route, operation))),
    );
    if (apps.length > 0) serving.set(spec.serviceId, apps.sort());
  }
  return serving;
}

/** The resource names of a path, singular: `/api/v1/members/{id}/work-experiences` → member, work-experience. */
function resourceWords(path: string): string[] {
  return segmentsOf(path)
    .filter((segment) => segment !== '{}' && segment !== 'api' && !isVersionSegment(segment) && !segment.includes('*'))
    .map((segment) => {
      const word = segment.toLowerCase();
      return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
    });
}

/**
 * Whether a route may answer an operation, leniently: it serves it, or serves it under a prefix the description's
 * servers block leaves out (`/monitors/{id}` described, `/v1/monitors/{id}` routed) or adds (a gateway's `/api/v1`), or is
 * a catch-all below which the operation lies (`ALL /rpc/*` handed to an RPC adapter that answers `/rpc/acme.v1.Monitors/List`).
 */
function mayServe(route: Endpoint, operation: Endpoint): boolean {
  if (serves(route, operation)) return true;
  const methodOk = route.allMethods === true || route.method === operation.method;
  if (!methodOk) return false;
  const described = pathKey(operation.path);
  const routed = pathKey(route.path);
  const star = routed.indexOf('*');
  if (star >= 0) return described.startsWith(routed.slice(0, star));
  // `/api/v1/member/{}/organization` described (a gateway's prefix in the servers block), `/member/{}/organization`
  // routed — or the other way round; a tail of two segments at least, so `/{}` alone matches nothing.
  const tail = (longer: string, shorter: string) =>
    longer.endsWith(shorter) && shorter.split('/').filter((segment) => segment !== '').length >= 2;
  return tail(routed, described) || tail(described, routed);
}
