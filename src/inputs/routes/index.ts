/**
 * The `routes` input: HTTP services and endpoints declared in TypeScript/JavaScript code
 * (Express, Fastify, NestJS, Hono, Koa, Next.js), with every prefix resolved across files, plus the
 * error sites api/structured-errors judges. Built on the `code` input's syntax trees (no second
 * parse, no type checker).
 */
import { posix } from 'node:path';
import type { ErrorSite, RoutesModel } from '../../model/code-http.js';
import type { FileSet, TextFiles } from '../../model/files.js';
import { assignRoles } from '../../model/endpoint-roles.js';
import type { Endpoint, HttpMethod, Service } from '../../model/http.js';
import type { ts } from 'ts-morph';
import type { CodeFile, CodeModel } from '../code/index.js';
import { loadTsMorph } from '../code/ts-morph.js';
import type { InputEnv } from '../env.js';
import { ErrorSites } from './errors.js';
import type { EndpointDraft, NodeMiddleware, RouterNode } from './graph.js';
import { HandlerAnalyzer } from './handler.js';
import { DataReads } from './data-reads.js';
import type { HandlerAnswers } from './handler-answers.js';
import type { HandlerRoles } from './handler-roles.js';
import { INBOUND_RATE_LIMIT_PACKAGES, RATE_LIMIT_PACKAGES } from './middleware.js';
import { Reach } from './reach.js';
import { Modules, requireSpecifier } from './modules.js';
import { NestExtractor } from './frameworks/nest-controllers.js';
import { extractNext, type NextResult } from './frameworks/next-routes.js';
import { extractTrpc } from './frameworks/trpc.js';
import { extractReactRouter } from './frameworks/react-router-routes.js';
import { isExamplePath } from '../../model/example-paths.js';
import { isTestFile, isTestPath, judgingRoots, pathBelowRoot } from '../../model/test-paths.js';
import { joinPaths } from './paths.js';
import { adapterOf, RECOGNISED_PACKAGES } from './frameworks/index.js';
import { nestApps } from './frameworks/nestjs.js';
import { GraphBuilder } from './graph-builder.js';
import { origin } from './origins.js';
import { readPathAliases } from './tsconfig.js';
import { Evaluator, type StringValue } from './values.js';
import { readWorkspacePackages } from './workspaces.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const tsApi = loadTsMorph().ts;
/** Packages that give a service a liveness/readiness endpoint without a visible route. */
const HEALTH_PACKAGES = new Set([
  '@nestjs/terminus',
  'fastify-healthcheck',
  '@hono/health',
  'express-actuator',
  'lightship',
  '@godaddy/terminus',
  'terminus',
  'express-healthcheck',
  'fastify-custom-healthcheck',
  // Answers 503 on every route when its health check or the event loop fails (and can expose /status).
  '@fastify/under-pressure',
  'under-pressure',
]);
/** Packages that expose Prometheus metrics. */
/**
 * Metrics with no route in the app: exporters that serve /metrics on their own port, and agents and
 * SDKs that push metrics (DataDog's dd-trace, OpenTelemetry's metrics SDK and OTLP metric exporters,
 * StatsD clients, New Relic). A package that imports one has metrics.
 */
const SELF_SERVED_METRICS = new Set([
  '@opentelemetry/exporter-prometheus',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/exporter-metrics-otlp-http',
  '@opentelemetry/exporter-metrics-otlp-grpc',
  '@opentelemetry/exporter-metrics-otlp-proto',
  'dd-trace',
  'hot-shots',
  'node-statsd',
  'statsd-client',
  'newrelic',
]);
const METRICS_PACKAGES = new Set([
  '@opentelemetry/exporter-prometheus',
  'express-prom-bundle',
  'fastify-metrics',
  '@willsoto/nestjs-prometheus',
  'express-prometheus-middleware',
  '@hono/prometheus',
  'koa-prometheus-adv',
  'prometheus-api-metrics',
]);

export async function buildRoutesModel(env: InputEnv): Promise<RoutesModel> {
  const code = await env.input('code');
  return extractRoutes(code, env.text, env.fileSet, env.cwd);
}

/** `cwd`: the folder file paths are relative to (the lint's, not the process's): it names a Next.js app at the root. */
export function extractRoutes(code: CodeModel, text: TextFiles, fileSet: FileSet, cwd: string): RoutesModel {
  const configs = fileSet.files
    .filter((f) => /^tsconfig[\w.-]*\.json$|^jsconfig\.json$/.test(posix.basename(f.path)))
    .map((f) => f.path);
  const manifests = packageJsons(fileSet, text);
  const modules = new Modules(
    code,
    readPathAliases(configs, text),
    readWorkspacePackages(manifests, RECOGNISED_PACKAGES),
  );
  const evaluator = new Evaluator(modules);
  // Tests build throwaway apps and routers, examples show how to use the project: neither is a deployed API.
  // Both judged below the lint root: the folders above what the user pointed at say nothing.
  const discovered = new Map(fileSet.files.map((file) => [file.path, file]));
  const sources = code.files.filter((file) => {
    const found = discovered.get(file.path) ?? { path: file.path, absPath: '' };
    return !isTestFile(found, judgingRoots(fileSet)) && !isExamplePath(pathBelowRoot(found, judgingRoots(fileSet)));
  });
  const routers = new GraphBuilder(modules, evaluator);
  routers.run(sources);
  // An app built in a test harness (`runServer()` in `utils/tests.ts`, imported only by `*.test.ts`) is the
  // tests' copy of the service, not a second one.
  const harness = new Set(
    routers.nodes.filter(
      (n) => n.role === 'app' && createdInFunction(n.creation) && usedOnlyByTests(modules, n.file.path),
    ),
  );

  const services: Service[] = [];
  const drafts: EndpointDraft[] = [];
  const nest = new NestExtractor(modules, evaluator, routers.routeMiddleware.classifier).extract(
    sources,
    [...nestApps(routers).values()].filter((app) => !(app.node.closed && !app.node.served) && !harness.has(app.node)),
  );
  const next = extractNext(modules, routers.routeMiddleware.classifier, sources, manifests, cwd, (e) =>
    routers.appsHandedTo(e),
  );
  // tRPC procedures: added to the apps that serve them (before the walk), or drafts of their own.
  const rpc = extractTrpc(routers, routers.nodes, sources, next);
  const reactRouter = extractReactRouter(modules, routers.routeMiddleware.classifier, sources, manifests, cwd);
  // Apps that answer inside a Next.js app (`export const GET = handle(app)`) are part of it, not services.
  const handed = handedToNext(routers.nodes, next);
  const { services: serviceNodes, repeats } = oneServicePerBuild(
    routers.nodes.filter((n) => isService(n) && !handed.has(n) && !harness.has(n)),
  );
  for (const node of serviceNodes) {
    const nodes = [...reachable(node)];
    const packages = new Set(nodes.flatMap((n) => [...n.packages]));
    for (const p of nest.packages.get(node) ?? []) packages.add(p);
    const limiters = new Set([...packages].filter((p) => RATE_LIMIT_PACKAGES.has(p)));
    for (const n of nodes) for (const limiter of n.rateLimiters) limiters.add(limiter);
    // A Nest app whose root module could not be followed may register a throttler we did not see.
    const rateLimitKnown = !adapterOf(node.framework).routesOutsideGraph || nest.packages.has(node);
    const nestVersioning = nestApps(routers).get(node)?.versioning;
    services.push({
      id: node.id,
      name: node.name,
      source: 'typescript',
      origin: node.origin,
      framework: node.framework,
      deployable: true,
      healthModules: [...packages].filter((p) => HEALTH_PACKAGES.has(p)).sort(),
      metricsModules: [...packages].filter((p) => METRICS_PACKAGES.has(p)).sort(),
      ...(rateLimitKnown ? { rateLimitModules: [...limiters].sort() } : {}),
      ...(nestVersioning ? { versioning: nestVersioningKind(nestVersioning.getText()) } : {}),
      ...viewEngineOf(nodes, packages),
    });
  }
  // What a handed app registers (rate limiters, health modules) counts for the Next.js app it answers in.
  for (const [node, serviceId] of handed) {
    const service = next.services.find((s) => s.id === serviceId);
    if (!service) continue;
    const nodes = [...reachable(node)];
    const packages = new Set(nodes.flatMap((n) => [...n.packages]));
    const limiters = [...packages]
      .filter((p) => RATE_LIMIT_PACKAGES.has(p))
      .concat(nodes.flatMap((n) => [...n.rateLimiters]));
    service.rateLimitModules = unique([...(service.rateLimitModules ?? []), ...limiters]).sort();
    service.healthModules = unique([
      ...service.healthModules,
      ...[...packages].filter((p) => HEALTH_PACKAGES.has(p)),
    ]).sort();
  }
  const serviceIds = new Set(serviceNodes.map((n) => n.id));
  for (const root of routers.nodes.filter(
    (n) => !n.mounted && !adapterOf(n.framework).routesOutsideGraph && !repeats.has(n) && !harness.has(n),
  )) {
    // A handed app is the whole of what answers below its route file: its chain is known.
    const confident = serviceIds.has(root.id) || handed.has(root);
    const serviceId = handed.get(root) ?? root.id;
    walk(root, { value: '', exact: true }, { guards: [], unknown: false }, (route, prefix, chain) => {
      const path = joinStrings(prefix, route.path);
      const { unknown } = chain;
      // No middleware authenticates: the handler may check the credentials itself (and answer 401).
      const inHandler =
        chain.guards.length === 0 && !route.optOut && route.handler
          ? routers.routeMiddleware.classifier.handlerAuth(route.handler, true)
          : {};
      const guards = inHandler.guard ? [inHandler.guard] : chain.guards;
      const optOut = route.optOut ?? inHandler.optOut;
      drafts.push({
        serviceId,
        framework: route.framework ?? root.framework,
        method: route.method,
        path,
        declaredPath: joinPaths(route.path.value),
        origin: route.origin,
        ...(route.pathOrigin ? { pathOrigin: route.pathOrigin } : {}),
        file: route.file,
        ...(route.handler ? { handler: route.handler } : {}),
        ...(route.querySchemas?.length ? { querySchemas: route.querySchemas } : {}),
        ...(route.signatureMiddleware ? { signatureMiddleware: true } : {}),
        ...(route.pagingMiddleware ? { pagingMiddleware: route.pagingMiddleware } : {}),
        ...(chain.scheduled ? { scheduledMiddleware: true } : {}),
        ...(route.hiddenFromDocs ? { hiddenFromDocs: true } : {}),
        ...(route.delegatesTo ? { delegatesTo: route.delegatesTo } : {}),
        ...(route.deprecated ? { deprecated: true } : {}),
        ...(route.procedure ? { procedure: route.procedure } : {}),
        ...(route.published ? { published: true } : {}),
        // Middleware added where the app is mounted or served is out of sight for a router that is not a service.
        // Middleware it cannot follow in front of a route with no visible guard: its auth is not known.
        // So is a handler that hands its request to a function it cannot resolve (it may be the check).
        ...(confident && (guards.length > 0 || optOut || (!unknown && !inHandler.unknown))
          ? { auth: { guards, ...(optOut ? { optOut } : {}) } }
          : {}),
        confidence: confident && path.exact && !route.uncertain ? 'high' : 'low',
      });
    });
  }
  drafts.push(...nest.drafts);
  services.push(...next.services, ...reactRouter.services);
  drafts.push(...next.drafts.filter((d) => !rpc.replaced.has(d)), ...rpc.drafts, ...reactRouter.drafts);

  const analyzer = new HandlerAnalyzer(modules);
  const reads = new DataReads(modules);
  const endpoints = dedupeEndpoints(
    drafts.map((draft) =>
      toEndpoint(
        draft,
        analyzer,
        reads,
        routers.routeMiddleware.handlerRoles,
        routers.routeMiddleware.answers,
        modules,
      ),
    ),
  );
  markCronPaths(endpoints, services, fileSet, text);
  assignRoles(
    endpoints,
    new Set(services.filter((s) => s.kind === 'web-app').map((s) => s.id)),
    new Set(services.filter((s) => s.viewEngine).map((s) => s.id)),
  );
  noteLimitersInCode(services, endpoints, new Reach(modules));
  const errorSites: ErrorSite[] = new ErrorSites(modules, evaluator).collect(sources);
  const exporters = new SelfServedMetrics(sources, manifests);
  for (const service of services) {
    const exporter = exporters.for(service.origin.file);
    if (exporter && !service.metricsModules.includes(exporter))
      service.metricsModules = [...service.metricsModules, exporter].sort();
  }
  services.sort((a, b) => compare(a.id, b.id));
  return { services, endpoints, errorSites };
}

/**
 * A limiter registered in a sub-router, wrapped in a project helper around the abuse-prone routes, or loaded
 * from a plugin folder is still the service's: a request-rate limiter imported anywhere in the code its
 * routes reach counts. Which routes need one is a judgement archlint cannot make from the code.
 */
function noteLimitersInCode(services: Service[], endpoints: readonly Endpoint[], reach: Reach): void {
  const roots = new Map<string, Set<string>>();
  for (const service of services)
    if (service.source === 'typescript') roots.set(service.id, new Set([service.origin.file]));
  for (const endpoint of endpoints) {
    const files = roots.get(endpoint.serviceId);
    if (!files) continue;
    files.add(endpoint.origin.file);
    if (endpoint.handler) files.add(endpoint.handler.origin.file);
  }
  for (const service of services) {
    const files = roots.get(service.id);
    if (!files) continue;
    const limiters = [...reach.packagesFrom(files)].filter((p) => INBOUND_RATE_LIMIT_PACKAGES.has(p));
    if (limiters.length > 0)
      service.rateLimitModules = unique([...(service.rateLimitModules ?? []), ...limiters]).sort();
  }
}

/** Packages that render server-side views for an app (registered as middleware or plugins). */
const VIEW_PACKAGES = new Set([
  '@fastify/view',
  'point-of-view',
  'koa-views',
  '@ladjs/koa-views',
  'koa-ejs',
  'express-handlebars',
  'express-ejs-layouts',
  'hbs',
  'express-react-views',
  'nunjucks',
]);
/** `app.set('view engine', 'pug')`, `app.engine('hbs', …)`: Express configured to render views. */
const VIEW_ENGINE_SETTING = /\.set\(\s*['"]view engine['"]|\.engine\(\s*['"][\w.]+['"]\s*,/;

/** The view engine an app configures (its files, or packages registered on it), as a Service.viewEngine. */
function viewEngineOf(nodes: RouterNode[], packages: Set<string>): { viewEngine?: string } {
  const pkg = [...packages].sort().find((p) => VIEW_PACKAGES.has(p));
  if (pkg) return { viewEngine: pkg };
  const files = new Set(nodes.map((n) => n.file));
  for (const file of files) {
    const match = /\.set\(\s*['"]view engine['"]\s*,\s*['"]([\w.-]+)['"]/.exec(file.sourceFile.compilerNode.text);
    if (match) return { viewEngine: match[1]! };
    if (VIEW_ENGINE_SETTING.test(file.sourceFile.compilerNode.text)) return { viewEngine: 'view engine' };
  }
  return {};
}

/**
 * Apps handed to a Next.js route handler: those the route files export through `handle(app)` / `app.fetch`,
 * and apps passed to Hono's Vercel/Next.js adapter elsewhere (`return { handler: handle(app) }` in a helper)
 * inside a Next.js app's folder — the adapter only runs inside one.
 */
function handedToNext(nodes: readonly RouterNode[], next: NextResult): Map<RouterNode, string> {
  const handed = new Map<RouterNode, string>();
  // `new Hono().basePath('/api/x')` is handed on: the app it derives from is the one walked as a root.
  for (const [node, serviceId] of next.handed)
    for (let n: RouterNode | undefined = node; n; n = n.derivedFrom) handed.set(n, serviceId);
  const roots = next.services
    .map((s) => ({ id: s.id, dir: posix.dirname(s.id.slice(0, s.id.lastIndexOf('#'))) }))
    .sort((a, b) => b.dir.length - a.dir.length);
  for (const node of nodes) {
    if (!node.handedToNext || handed.has(node)) continue;
    const root = roots.find((r) => r.dir === '.' || node.file.path.startsWith(`${r.dir}/`));
    if (root)
      for (let n: RouterNode | undefined = node; n; n = n.derivedFrom) if (!handed.has(n)) handed.set(n, root.id);
  }
  return handed;
}

/**
 * Vercel cron jobs (`crons[].path` in the vercel.json of the app's folder or above it): the scheduler
 * calls those paths, so their endpoints are scheduled-job triggers (Endpoint.handler.scheduled).
 */
function markCronPaths(endpoints: Endpoint[], services: readonly Service[], fileSet: FileSet, text: TextFiles): void {
  const configs = fileSet.files
    .filter((f) => posix.basename(f.path) === 'vercel.json')
    .map((f) => ({ dir: posix.dirname(f.path), paths: cronPaths(text.get(f.path)?.content) }));
  if (configs.every((c) => c.paths.length === 0)) return;
  const byService = new Map<string, string[]>();
  for (const service of services) {
    const file = service.origin.file;
    const config = configs
      .filter((c) => c.dir === '.' || file.startsWith(`${c.dir}/`))
      .sort((a, b) => b.dir.length - a.dir.length)[0];
    if (config && config.paths.length > 0) byService.set(service.id, config.paths);
  }
  for (const endpoint of endpoints) {
    const paths = byService.get(endpoint.serviceId);
    if (!paths?.some((p) => cronMatches(p, endpoint.path))) continue;
    endpoint.handler = {
      ...(endpoint.handler ?? { origin: endpoint.origin, queryParams: [], pagingArgs: [] }),
      scheduled: true,
    };
  }
}

function cronPaths(content: string | undefined): string[] {
  if (!content) return [];
  try {
    const crons = (JSON.parse(content) as { crons?: unknown }).crons;
    if (!Array.isArray(crons)) return [];
    return crons.flatMap((c) =>
      c && typeof c === 'object' && typeof (c as { path?: unknown }).path === 'string'
        ? [joinPaths((c as { path: string }).path.split('?')[0]!)]
        : [],
    );
  } catch {
    return [];
  }
}

/** Whether a cron path is a request to an endpoint path, whose `{param}` segments match any one segment. */
function cronMatches(cronPath: string, path: string): boolean {
  const want = cronPath.split('/');
  const have = path.split('/');
  return want.length === have.length && have.every((segment, i) => segment === want[i] || /^\{.*\}$/.test(segment));
}

/**
 * Built by a function (`runServer()`, `buildTestApp()`), not at module level: a harness builds a fresh app per
 * test run. An app made at the top of an entry file (`export default app` run by a platform) may have only tests
 * for importers and still be what is deployed.
 */
function createdInFunction(creation: ts.Node): boolean {
  for (let node: ts.Node | undefined = creation.parent; node; node = node.parent)
    if (tsApi.isFunctionLike(node)) return true;
  return false;
}

/** A file that test files import and nothing else does: test support, whatever its name. */
function usedOnlyByTests(modules: Modules, path: string): boolean {
  const importers = [
    ...modules.importersOf(path).map((i) => i.file.path),
    ...modules.reexportersOf(path).map((f) => f.path),
  ];
  return importers.length > 0 && importers.every(isTestPath);
}

/**
 * One application instance = one service. Express/Koa/Fastify/Nest app factories are services
 * unless mounted into another app; an app that is also a router (`new Hono()`) counts only when
 * it is served (`export default app`, `serve({ fetch: app.fetch })`, `app.listen`) or mounts others.
 */
function isService(node: RouterNode): boolean {
  if (node.role !== 'app' || node.mounted || node.derivedFrom) return false;
  if (node.closed && !node.served) return false;
  // An app built by a script (`scripts/export-docs.ts` building the app to print its description) is not deployed.
  if (!node.served && /(^|\/)(scripts|tools)\//.test(node.file.path)) return false;
  if (!adapterOf(node.framework).appIsRouter) return true;
  const family = [...reachable(node)].filter((n) => n === node || n.derivedFrom);
  return family.some((n) => n.served || n.mounts.some((m) => !m.child.derivedFrom));
}

/**
 * The same app built twice (a server entry point and a worker entry point both calling `build()`)
 * is one service: instances of one factory that add nothing of their own are kept once (the first
 * by id), and their routes are listed once. An instance that adds routes or mounts stays a service.
 */
function oneServicePerBuild(nodes: RouterNode[]): { services: RouterNode[]; repeats: Set<RouterNode> } {
  const firstByFactory = new Map<RouterNode, RouterNode>();
  const repeats = new Set<RouterNode>();
  for (const node of [...nodes].sort((a, b) => compare(a.id, b.id))) {
    const template = node.instanceOf;
    if (!template || node.routes.length > 0 || node.mounts.length !== 1) continue;
    if (firstByFactory.has(template)) repeats.add(node);
    else firstByFactory.set(template, node);
  }
  return { services: nodes.filter((n) => !repeats.has(n)), repeats };
}

function reachable(root: RouterNode): Set<RouterNode> {
  const seen = new Set<RouterNode>();
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const mount of node.mounts) stack.push(mount.child);
  }
  return seen;
}

/** The auth middleware in front of a route, and whether middleware it cannot follow is in front of it too. */
interface Chain {
  guards: string[];
  unknown: boolean;
  /** A middleware in front checks a cron secret: the routes behind it are scheduled jobs. */
  scheduled?: boolean;
}

type Visit = (route: RouterNode['routes'][number], prefix: StringValue, chain: Chain) => void;

/**
 * Every route under a root with its accumulated prefix and the auth middleware in front of it (a node
 * reached twice is walked twice; cycles stop).
 */
function walk(node: RouterNode, prefix: StringValue, inherited: Chain, visit: Visit, path: RouterNode[] = []): void {
  if (path.includes(node) || path.length > 32) return;
  const own = node.ownPrefix ? joinStrings(prefix, node.ownPrefix) : prefix;
  for (const route of node.routes) {
    const at = { file: route.origin.file, offset: route.origin.range?.start ?? 0 };
    const before = middlewareBefore(node.middleware, route.path, at);
    visit(route, own, {
      guards: unique([...inherited.guards, ...labels(before, 'auth'), ...(route.guards ?? [])]),
      unknown: inherited.unknown || labels(before, 'unknown').length > 0 || route.unknownMiddleware === true,
      scheduled: inherited.scheduled === true || before.some((m) => m.scheduled) || route.scheduledMiddleware === true,
    });
  }
  for (const mount of node.mounts) {
    const before = middlewareBefore(node.middleware, mount.prefix, { file: mount.origin.file, offset: mount.order });
    const chain = {
      guards: unique([...inherited.guards, ...labels(before, 'auth')]),
      unknown: inherited.unknown || labels(before, 'unknown').length > 0,
      scheduled: inherited.scheduled === true || before.some((m) => m.scheduled),
    };
    walk(mount.child, joinStrings(own, mount.prefix), chain, visit, [...path, node]);
  }
}

/** Middleware of a node that runs before a route or mount at `at` whose node-relative path is `path`. */
function middlewareBefore(
  middleware: NodeMiddleware[],
  path: StringValue,
  at: { file: string; offset: number },
): NodeMiddleware[] {
  return middleware.filter(
    (m) => (m.order === undefined || m.file !== at.file || m.order < at.offset) && covers(m.scope, path),
  );
}

function labels(middleware: NodeMiddleware[], kind: NodeMiddleware['kind']): string[] {
  return middleware.filter((m) => m.kind === kind).map((m) => m.label);
}

/** Whether a middleware scope (`/admin`, Hono `/api/*`, `*`) covers a path; unknown scopes are assumed to. */
function covers(scope: StringValue, path: StringValue): boolean {
  if (!scope.exact || !path.exact) return true;
  const base = joinPaths(scope.value.replace(/(\/?\*|\(\.\*\))$/, ''));
  if (base === '/') return true;
  const full = joinPaths(path.value);
  return full === base || full.startsWith(`${base}/`);
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function joinStrings(a: StringValue, b: StringValue): StringValue {
  return { value: joinPaths(a.value, b.value), exact: a.exact && b.exact };
}

function toEndpoint(
  draft: EndpointDraft,
  analyzer: HandlerAnalyzer,
  reads: DataReads,
  roles: HandlerRoles,
  answers: HandlerAnswers,
  modules: Modules,
): Endpoint {
  const method: HttpMethod = draft.method === 'all' ? 'get' : draft.method;
  const facts = draft.handler
    ? analyzer.analyze(draft.handler, draft.file, draft.framework, draft.querySchemas ?? [])
    : undefined;
  const verifiesSignature =
    draft.signatureMiddleware === true || (draft.handler ? roles.verifiesSignature(draft.handler) : false);
  const delegatesTo = draft.delegatesTo ?? (draft.handler ? roles.delegatesTo(draft.handler) : undefined);
  const answer = draft.handler ? answers.of(draft.handler) : {};
  const scheduled = draft.scheduledMiddleware === true || answer.scheduled === true;
  // What a read endpoint's answer is made of (only reads are lists).
  const read = draft.handler && facts && method === 'get' ? reads.of(draft.handler) : undefined;
  const answered = {
    ...(answer.rendersView ? { rendersView: answer.rendersView } : {}),
    ...(answer.redirects ? { redirects: true } : {}),
    ...(answer.sendsJson ? { sendsJson: true } : {}),
    ...(answer.servesStoredFile ? { servesStoredFile: answer.servesStoredFile } : {}),
    ...(scheduled ? { scheduled: true } : {}),
  };
  // A package's request handler registered as is (`toNodeHandler(auth)`) has no project function to read.
  const handler: Endpoint['handler'] =
    facts && draft.handler
      ? {
          origin: origin(modules.fileFor(draft.handler), draft.handler),
          queryParams: facts.queryParams,
          pagingArgs: facts.pagingArgs,
          verifiesSignature,
          ...(delegatesTo ? { delegatesTo } : {}),
          ...(draft.pagingMiddleware ? { pagedBy: draft.pagingMiddleware } : {}),
          ...(read ? { reads: read } : {}),
          ...answered,
        }
      : delegatesTo || verifiesSignature || scheduled
        ? {
            origin: draft.origin,
            queryParams: [],
            pagingArgs: [],
            verifiesSignature,
            ...(delegatesTo ? { delegatesTo } : {}),
            ...(scheduled ? { scheduled } : {}),
          }
        : undefined;
  const serviceId = draft.serviceId || `${draft.file.path}#${draft.framework}`;
  const path = draft.path.value;
  return {
    id: `${serviceId} ${draft.method.toUpperCase()} ${path}`,
    serviceId,
    source: 'typescript',
    method,
    ...(draft.method === 'all' ? { allMethods: true } : {}),
    ...(draft.hiddenFromDocs ? { hiddenFromDocs: true } : {}),
    path,
    declaredPath: draft.declaredPath,
    origin: draft.origin,
    pathOrigin: draft.pathOrigin ?? draft.origin,
    tags: [],
    parameters: (facts?.queryParams ?? []).map((name) => ({
      name,
      in: 'query' as const,
      required: false,
      origin: draft.origin,
    })),
    // Code endpoints carry their success responses; error responses are the model's errorSites.
    responses: facts?.responses ?? [],
    // Refined by assignRoles once every endpoint of the service is known.
    role: 'resource',
    roleReason: 'resource API',
    ...(draft.versioning ? { versioning: draft.versioning } : {}),
    ...(draft.auth ? { auth: draft.auth } : {}),
    ...(draft.hiddenFromDocs ? { hiddenFromDocs: true } : {}),
    ...(draft.deprecated ? { deprecated: true } : {}),
    ...(draft.procedure ? { procedure: draft.procedure } : {}),
    ...(draft.published ? { published: true } : {}),
    confidence: draft.confidence,
    ...(handler ? { handler } : {}),
  };
}

function dedupeEndpoints(endpoints: Endpoint[]): Endpoint[] {
  const seen = new Set<string>();
  const out: Endpoint[] = [];
  for (const endpoint of endpoints) {
    const key = `${endpoint.id} ${endpoint.origin.file}:${endpoint.origin.range?.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(endpoint);
  }
  return out.sort(
    (a, b) =>
      compare(a.origin.file, b.origin.file) ||
      (a.origin.range?.start ?? 0) - (b.origin.range?.start ?? 0) ||
      compare(a.path, b.path) ||
      compare(a.id, b.id),
  );
}

/**
 * Metrics exporters that serve /metrics on a port of their own, with no route in the app (the
 * OpenTelemetry Prometheus exporter, `new PrometheusExporter({ port: 9464 })`), and agents that push
 * metrics (New Relic, DataDog, OTLP metric exporters, StatsD). Imported anywhere in a workspace package,
 * or among its runtime dependencies, it serves the metrics of every app of that package.
 */
class SelfServedMetrics {
  private readonly packageDirs: string[];
  private readonly byDir = new Map<string, string>();

  constructor(files: readonly CodeFile[], manifests: Array<{ path: string; content: string }>) {
    this.packageDirs = manifests.map((m) => posix.dirname(m.path)).sort((a, b) => b.length - a.length);
    // Agents are often loaded with no import in the code (`node -r newrelic`, `NODE_OPTIONS=--require dd-trace/init`):
    // a package that depends on one (not as a dev dependency) ships its metrics by push.
    for (const manifest of manifests) {
      const agent = runtimeDependencies(manifest.content).find((name) => SELF_SERVED_METRICS.has(name));
      if (agent) this.byDir.set(posix.dirname(manifest.path), agent);
    }
    for (const file of files) {
      // A file whose text names none of them is not parsed.
      if (![...SELF_SERVED_METRICS].some((name) => file.text.content.includes(name))) continue;
      for (const statement of file.sourceFile.compilerNode.statements) {
        const spec = moduleSpecifierOf(statement);
        if (spec && SELF_SERVED_METRICS.has(spec)) this.byDir.set(this.packageOf(file.path), spec);
      }
    }
  }

  for(path: string): string | undefined {
    return this.byDir.size === 0 ? undefined : this.byDir.get(this.packageOf(path));
  }

  private packageOf(path: string): string {
    return this.packageDirs.find((dir) => dir === '.' || path.startsWith(`${dir}/`)) ?? '.';
  }
}

/** The `dependencies` of a package.json (what the package runs with, not what it is built or tested with). */
function runtimeDependencies(content: string): string[] {
  try {
    const dependencies = (JSON.parse(content) as { dependencies?: unknown }).dependencies;
    return dependencies && typeof dependencies === 'object' ? Object.keys(dependencies).sort() : [];
  } catch {
    return [];
  }
}

function moduleSpecifierOf(statement: ts.Statement): string | undefined {
  if (tsApi.isImportDeclaration(statement) && tsApi.isStringLiteral(statement.moduleSpecifier))
    return statement.moduleSpecifier.text;
  if (tsApi.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations) {
      const spec = declaration.initializer ? requireSpecifier(declaration.initializer) : undefined;
      if (spec) return spec;
    }
  }
  return undefined;
}

function nestVersioningKind(text: string): Service['versioning'] {
  const kind = /HEADER/.test(text)
    ? 'header'
    : /MEDIA_TYPE/.test(text)
      ? 'media-type'
      : /CUSTOM/.test(text)
        ? 'custom'
        : 'uri';
  const version = /defaultVersion\s*:\s*['"]([^'"]+)['"]/.exec(text)?.[1];
  return { kind, ...(version ? { defaultVersion: version } : {}) };
}

function packageJsons(fileSet: FileSet, text: TextFiles): Array<{ path: string; content: string }> {
  return fileSet.files
    .filter((f) => posix.basename(f.path) === 'package.json')
    .flatMap((f) => {
      const file = text.get(f.path);
      return file ? [{ path: f.path, content: file.content }] : [];
    });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
