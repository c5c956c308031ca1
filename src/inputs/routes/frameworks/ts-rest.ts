/**
 * ts-rest: REST routes declared in a contract (./ts-rest-contracts.ts) and implemented by handlers keyed like it.
 * Where the contract is served says where its routes are:
 *
 * - `createExpressEndpoints(contract, impl, app, { globalMiddleware })` (`@ts-rest/express`) and Fastify's
 *   `s.registerRouter(contract, impl, app)` / `app.register(s.plugin(impl), { prefix })` register each route
 *   on that app or router, at its contract path: they join the router graph there (mount prefixes and
 *   middleware apply);
 * - the fetch and Next.js handlers (`fetchRequestHandler({ contract, router, options: { basePath } })`,
 *   `createFetchHandler`, `createLambdaHandler`, `createNextRouter`, `createNextHandler`) match the request's
 *   whole URL path against `basePath` + the contract path: the routes are at those paths, in the service whose
 *   route (a catch-all, a Hono `mount`, a Next.js route file) hands its request to the handler, and replace
 *   that route. A handler no route of a service reaches is kept in a service of its own, at low confidence.
 *
 * Contract routes are REST resources (the contract is the API's description). A handler's return value is
 * `{ status, body }`, not the body: responses are not read from it (the rules that need bodies stay quiet).
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../../code/ts-morph.js';
import type { CodeFile } from '../../code/index.js';
import type { Service } from '../../../model/http.js';
import type { EndpointDraft, RouteDecl, RouterNode } from '../graph.js';
import { origin, variableName } from '../origins.js';
import { joinPaths } from '../paths.js';
import { findProperty, unwrap, type StringValue } from '../values.js';
import type { FrameworkAdapter, GraphContext } from './adapter.js';
import { appDir, PAGES_HANDLER, reachesHandler } from './trpc.js';
import { calleeName } from './trpc-procedures.js';
import { type ContractRoute, type Implementation, TsRestContracts } from './ts-rest-contracts.js';

const typescript = loadTypeScript();

export const tsRest: FrameworkAdapter = {
  framework: 'ts-rest',
  packages: [
    '@ts-rest/core',
    '@ts-rest/express',
    '@ts-rest/fastify',
    '@ts-rest/serverless',
    '@ts-rest/next',
    '@ts-rest/nest',
    '@ts-rest/open-api',
  ],
  importedFrom: [],
  factories: [],
  factoryCallees: [],
  useMounts: false,
  methodRoutes: false,
  allMethodsRoute: false,
  // `return { status: 200, body }`: the return value is not the body.
  returnsBody: false,
  routesOutsideGraph: true,
};

const MENTIONS =
  /createExpressEndpoints|registerRouter|\.plugin\s*\(|fetchRequestHandler|createFetchHandler|createLambdaHandler|createNextRouter|createNextHandler/;
/** Handlers that match the request's whole URL path: `(contract, router, options)` or `({ contract, router, options })`. */
const ABSOLUTE = /^(fetchRequestHandler|createFetchHandler|createLambdaHandler|createNextRouter|createNextHandler)$/;

/** What placing asks of the middleware classifier (../middleware.ts, which imports the adapters: no import back). */
export interface AuthJudge {
  classify(expression: ts.Expression): ReadonlyArray<{ kind: string; label: string; optional?: boolean }>;
  handlerAuth(fn: ts.FunctionLikeDeclaration): { guard?: string; optOut?: string; unknown?: true };
}

/** A contract served by a handler that matches whole URL paths. */
interface AbsoluteServer {
  call: ts.CallExpression;
  file: CodeFile;
  routes: ContractRoute[];
  implementations: Map<string, Implementation>;
  basePath: StringValue;
}

export interface TsRestResult {
  /** Puts the contracts served by fetch / Next.js handlers in place of the routes that hand them their requests. */
  place(
    drafts: readonly EndpointDraft[],
    classifier: AuthJudge,
    nextApps: readonly Pick<Service, 'id'>[],
  ): EndpointDraft[];
}

/** Reads contracts and their servers; routes registered on an app of the graph are added to it (before the walk). */
export function extractTsRest(graph: GraphContext, files: readonly CodeFile[]): TsRestResult {
  const contracts = new TsRestContracts(graph.modules, graph.evaluator, (e) => graph.callables.functionsOf(e));
  const absolute: AbsoluteServer[] = [];
  for (const file of files) {
    // The text, not the tree's: a file that names no ts-rest helper need not be parsed.
    if (!MENTIONS.test(file.text.content)) continue;
    const visit = (node: ts.Node): void => {
      if (typescript.isCallExpression(node)) served(graph, contracts, node, file, absolute);
      typescript.forEachChild(node, visit);
    };
    visit(file.tree);
  }
  return { place: (drafts, classifier, nextApps) => place(graph, absolute, drafts, classifier, nextApps) };
}

function served(
  graph: GraphContext,
  contracts: TsRestContracts,
  call: ts.CallExpression,
  file: CodeFile,
  absolute: AbsoluteServer[],
): void {
  const name = calleeName(call);
  if (!name) return;
  const args = call.arguments;
  if (name === 'createExpressEndpoints' || name === 'registerRouter') {
    // (contract, implementation, app, options)
    const [contract, implementation, app, options] = args;
    if (!contract || !implementation || !app) return;
    const routes = contracts.routes(contract);
    if (routes.length === 0) return;
    const global = options ? globalMiddleware(graph, options) : [];
    const receivers = graph.targets(app);
    for (const node of receivers)
      register(graph, node, routes, contracts.implementations(implementation), { value: '', exact: true }, global);
    return;
  }
  if (name === 'plugin' && args.length === 1) {
    // Fastify: `app.register(s.plugin(router), { prefix })`.
    const registration = call.parent;
    if (
      !typescript.isCallExpression(registration) ||
      registration.arguments[0] !== call ||
      !typescript.isPropertyAccessExpression(registration.expression) ||
      registration.expression.name.text !== 'register'
    )
      return;
    const contract = contracts.contractOfImplementation(args[0]!);
    const routes = contract ? contracts.routes(contract) : [];
    if (routes.length === 0) return;
    const options = registration.arguments[1] ? graph.evaluator.objectLiteralOf(registration.arguments[1]) : undefined;
    const prefixNode = options ? findProperty(options, 'prefix') : undefined;
    const prefix = prefixNode ? graph.evaluator.stringOrText(prefixNode) : { value: '', exact: true };
    for (const node of graph.targets(registration.expression.expression))
      register(graph, node, routes, contracts.implementations(args[0]!), prefix);
    return;
  }
  if (!ABSOLUTE.test(name)) return;
  const object = args[0] && args.length === 1 ? graph.evaluator.objectLiteralOf(args[0]) : undefined;
  const contract = object ? findProperty(object, 'contract') : args[0];
  const implementation = object ? findProperty(object, 'router') : args[1];
  const optionsNode = object ? findProperty(object, 'options') : args[2];
  if (!contract || !implementation) return;
  const routes = contracts.routes(contract);
  if (routes.length === 0) return;
  const options = optionsNode ? graph.evaluator.objectLiteralOf(optionsNode) : undefined;
  const basePathNode = options ? findProperty(options, 'basePath') : undefined;
  absolute.push({
    call,
    file,
    routes,
    implementations: contracts.implementations(implementation),
    basePath: basePathNode ? graph.evaluator.stringOrText(basePathNode) : { value: '', exact: true },
  });
}

/** Adds a contract's routes to a node of the graph, at their contract paths below `prefix`. */
function register(
  graph: GraphContext,
  node: RouterNode,
  routes: readonly ContractRoute[],
  implementations: Map<string, Implementation>,
  prefix: StringValue,
  global: readonly ts.Expression[] = [],
): void {
  for (const route of routes) {
    const implementation = implementations.get(route.name);
    const middle = [...global, ...(implementation?.middleware ?? []), ...(implementation?.wrappers ?? [])];
    const decl: RouteDecl = {
      method: route.method,
      path: { value: joinPaths(prefix.value, route.path), exact: prefix.exact && route.exact },
      origin: origin(route.file, route.at),
      file: route.file,
      ...(implementation?.handler ? { handler: implementation.handler } : {}),
      ...(route.method === 'get' && route.query ? { querySchemas: [route.query] } : {}),
      ...(route.deprecated ? { deprecated: true } : {}),
      ...graph.routeGuards(node, middle),
      ...graph.routeRoles(middle, undefined),
      framework: 'ts-rest',
    };
    // An implementation archlint could not find: whatever it checks is not known.
    if (!implementation) decl.unknownMiddleware = true;
    graph.addRoute(node, decl);
  }
}

/** `createExpressEndpoints(…, { globalMiddleware: [auth] })`: middleware in front of every route. */
function globalMiddleware(graph: GraphContext, options: ts.Expression): ts.Expression[] {
  const object = graph.evaluator.objectLiteralOf(options);
  const list = object ? findProperty(object, 'globalMiddleware') : undefined;
  if (!list) return [];
  const value = unwrap(graph.evaluator.valueOf(list));
  return typescript.isArrayLiteralExpression(value) ? [...value.elements] : [list];
}

function place(
  graph: GraphContext,
  servers: readonly AbsoluteServer[],
  drafts: readonly EndpointDraft[],
  classifier: AuthJudge,
  nextApps: readonly Pick<Service, 'id'>[],
): EndpointDraft[] {
  if (servers.length === 0) return [...drafts];
  const replaced = new Set<EndpointDraft>();
  const made: EndpointDraft[] = [];
  for (const server of servers) {
    const reaches = reachesHandler(graph, server.call);
    // The routes that hand it their request: one whose handler calls it, or a Next.js route file that exports it.
    const owners = drafts.filter(
      (d) =>
        d.framework !== 'ts-rest' &&
        (d.handler ? reaches(d.handler) : d.file.path === server.file.path && !d.procedure),
    );
    for (const owner of owners) replaced.add(owner);
    const around = owners.length > 0 ? owners : [undefined];
    // `export default createNextRouter(contract, router)` in `pages/api/[...ts-rest].ts` is no route of its own.
    const pages = PAGES_HANDLER.test(server.file.path)
      ? nextApps
          .filter((s) => server.file.path.startsWith(appDir(s.id)))
          .sort((a, b) => appDir(b.id).length - appDir(a.id).length)[0]
      : undefined;
    const done = new Set<string>();
    for (const owner of around) {
      const serviceId =
        owner?.serviceId ?? pages?.id ?? `${server.file.path}#${variableName(server.call) ?? 'ts-rest'}`;
      if (done.has(serviceId)) continue;
      done.add(serviceId);
      const confident = owner ? owner.confidence === 'high' : pages !== undefined;
      for (const route of server.routes) made.push(draftOf(server, route, serviceId, confident, owner, classifier));
    }
  }
  return [...drafts.filter((d) => !replaced.has(d)), ...made];
}

function draftOf(
  server: AbsoluteServer,
  route: ContractRoute,
  serviceId: string,
  confident: boolean,
  owner: EndpointDraft | undefined,
  classifier: AuthJudge,
): EndpointDraft {
  const implementation = server.implementations.get(route.name);
  const path = { value: joinPaths(server.basePath.value, route.path), exact: server.basePath.exact && route.exact };
  return {
    serviceId,
    framework: 'ts-rest',
    method: route.method,
    path,
    declaredPath: joinPaths(route.path),
    origin: origin(route.file, route.at),
    file: route.file,
    ...(implementation?.handler ? { handler: implementation.handler } : {}),
    ...(route.method === 'get' && route.query ? { querySchemas: [route.query] } : {}),
    ...(route.deprecated ? { deprecated: true } : {}),
    ...authOf(implementation, owner, classifier),
    confidence: confident && path.exact ? 'high' : 'low',
  };
}

/**
 * Auth of a route served by an absolute handler: what is in front of the route that hands it the request,
 * the route's middleware and wrappers, else a check in its handler; unknown when any part cannot be followed.
 */
function authOf(
  implementation: Implementation | undefined,
  owner: EndpointDraft | undefined,
  classifier: AuthJudge,
): Pick<EndpointDraft, 'auth'> {
  if (!owner?.auth || !implementation) return {};
  const guards = [...owner.auth.guards];
  let unknown = false;
  for (const m of [...implementation.middleware, ...implementation.wrappers]) {
    for (const info of classifier.classify(m)) {
      if (info.kind === 'auth' && !info.optional) guards.push(info.label);
      else if (info.kind === 'unknown') unknown = true;
    }
  }
  const check = guards.length === 0 && implementation.handler ? classifier.handlerAuth(implementation.handler) : {};
  if (check.guard) guards.push(check.guard);
  if (guards.length === 0 && (unknown || check.unknown || !implementation.handler) && !check.optOut) return {};
  const optOut = owner.auth.optOut ?? check.optOut;
  return { auth: { guards: [...new Set(guards)], ...(optOut ? { optOut } : {}) } };
}
