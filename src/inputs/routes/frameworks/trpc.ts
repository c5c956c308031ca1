/**
 * tRPC: routers of procedures (read by ./trpc-procedures.ts) served by a request handler at an endpoint.
 * Nothing in the router graph is a tRPC app: the handler is found where it is mounted, and each
 * procedure becomes an endpoint at `<endpoint>/<name>` (a query is a GET, a mutation a POST):
 *
 * - a Next.js route file (`pages/api/trpc/[trpc].ts` with `createNextApiHandler`, `app/api/trpc/[trpc]/route.ts`
 *   handing its request to `fetchRequestHandler`): the file's path without its catch-all segment, in that app;
 * - middleware of an app of another framework (`app.use('/trpc', createExpressMiddleware({ router }))`,
 *   Hono `app.use('/trpc/*', trpcServer({ router }))`), a route whose handler hands its request to
 *   `fetchRequestHandler` (`app.all('/trpc/*', (c) => fetchRequestHandler(…))`), Fastify
 *   `register(fastifyTRPCPlugin, { prefix, trpcOptions: { router } })`: at that path in that app;
 * - anywhere else, the handler's `endpoint`; and when no handler is seen, or its endpoint cannot be read,
 *   the procedures are kept under `/<tRPC endpoint>`, at low confidence.
 *
 * Procedures are first-party RPC (Endpoint.procedure). Those published as REST by trpc-to-openapi /
 * trpc-openapi (`meta({ openapi: { method, path } })`, served by `createOpenApiFetchHandler` and its siblings
 * at a base path) are also endpoints of their own, with that method and path, judged as resources.
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
import { calleeName, TrpcProcedures, type Procedure } from './trpc-procedures.js';

const typescript = loadTypeScript();

export const trpc: FrameworkAdapter = {
  framework: 'trpc',
  packages: ['@trpc/server', 'trpc-to-openapi', 'trpc-openapi', '@hono/trpc-server'],
  importedFrom: [],
  factories: [],
  factoryCallees: [],
  useMounts: false,
  methodRoutes: false,
  allMethodsRoute: false,
  // A procedure's return value is its response.
  returnsBody: true,
  routesOutsideGraph: true,
};

/** Request handlers that serve a router's procedures, by the name they are called with. */
const RPC_HANDLERS =
  /^(fetchRequestHandler|createNextApiHandler|createExpressMiddleware|trpcServer|createHTTPHandler|createHTTPServer|nodeHTTPRequestHandler|createTRPCHandle|awsLambdaRequestHandler|createAWSLambdaHandler)$/;
/** trpc-to-openapi / trpc-openapi handlers that serve the procedures' `meta.openapi` as REST. */
const OPENAPI_HANDLERS = /^createOpenApi\w*(Handler|Middleware|Plugin)$/;
/** Fastify plugins registered with `{ prefix, trpcOptions: { router } }`. */
const FASTIFY_PLUGIN = /^fastifyTRPC(OpenApi)?Plugin$/;
const MENTIONS_HANDLER =
  /fetchRequestHandler|createNextApiHandler|createExpressMiddleware|trpcServer|createHTTPHandler|createHTTPServer|nodeHTTPRequestHandler|createTRPCHandle|awsLambdaRequestHandler|createAWSLambdaHandler|createOpenApi\w*(Handler|Middleware|Plugin)/;
/**
 * A call of a name isRouterCall accepts (`router(`, `t.router(`, `createTRPCRouter<…>(`, `mergeRouters(`): not
 * `useRouter()` nor `express.Router()`, whose front-end and Express files were parsed for no tRPC router (issue 22).
 */
const MENTIONS_ROUTER = /\b(?:router|create\w*Router|mergeRouters)\s*[(<]/;
const METHOD: Record<Procedure['kind'], 'get' | 'post'> = { query: 'get', mutation: 'post', subscription: 'get' };
const KIND_WORD: Record<Procedure['kind'], string> = {
  query: 'tRPC query',
  mutation: 'tRPC mutation',
  subscription: 'tRPC subscription',
};
const UNKNOWN_RPC: StringValue = { value: '/<tRPC endpoint>', exact: false };
const UNKNOWN_OPENAPI: StringValue = { value: '/<OpenAPI base path>', exact: false };

interface Handler {
  call: ts.CallExpression;
  router: ts.Expression;
  openapi: boolean;
  /** The handler's own `endpoint` / `prefix` / `basePath` option. */
  endpoint?: ts.Expression;
}

export interface TrpcResult {
  drafts: EndpointDraft[];
  /** Next.js catch-all routes (`/api/trpc/{trpc}`) that turned out to be a tRPC handler: replaced by its procedures. */
  replaced: Set<EndpointDraft>;
}

/**
 * Reads the routers and where they are served. Procedures served inside an app of the router graph are
 * added to that app's nodes as routes (so its prefixes and middleware apply), before the graph is walked.
 */
export function extractTrpc(
  graph: GraphContext,
  nodes: readonly RouterNode[],
  files: readonly CodeFile[],
  next: { drafts: readonly EndpointDraft[]; services: readonly Pick<Service, 'id' | 'origin'>[] },
): TrpcResult {
  const nextDrafts = next.drafts;
  const reader = new TrpcProcedures(graph.modules, graph.evaluator, (e) => graph.callables.functionsOf(e));
  const drafts: EndpointDraft[] = [];
  const replaced = new Set<EndpointDraft>();
  const served = { rpc: new Set<ts.Node>(), openapi: new Set<ts.Node>() };
  const routersFound: ts.CallExpression[] = [];
  const handlers: Handler[] = [];
  const rpcMade: Array<{ call: ts.Node; made: EndpointDraft | RouteDecl }> = [];
  for (const file of files) {
    // The text, not the tree: a file that mentions neither is never parsed.
    const text = file.text.content;
    const handlerFile = MENTIONS_HANDLER.test(text);
    const routerFile = MENTIONS_ROUTER.test(text);
    if (!handlerFile && !routerFile) continue;
    const visit = (node: ts.Node): void => {
      if (typescript.isCallExpression(node)) {
        const name = calleeName(node);
        if (name && handlerFile && (RPC_HANDLERS.test(name) || OPENAPI_HANDLERS.test(name))) {
          const options = node.arguments[0] ? graph.evaluator.objectLiteralOf(node.arguments[0]) : undefined;
          const router = options ? findProperty(options, 'router') : undefined;
          // A router archlint cannot follow (imported through a package's `exports`) is matched by name below.
          if (options && router && (reader.isRouterValue(router) || fromTrpcPackage(graph, node.expression))) {
            const endpoint =
              findProperty(options, 'endpoint') ?? findProperty(options, 'basePath') ?? findProperty(options, 'prefix');
            handlers.push({
              call: node,
              router,
              openapi: OPENAPI_HANDLERS.test(name),
              ...(endpoint ? { endpoint } : {}),
            });
          }
        } else if (name && routerFile && reader.isRouterCall(node)) routersFound.push(node);
      }
      typescript.forEachChild(node, visit);
    };
    visit(file.tree);
  }

  const emit = (handler: Pick<Handler, 'router' | 'openapi'>, mount: Mount) => {
    for (const procedure of reader.procedures(handler.router)) {
      if (handler.openapi && !procedure.openapi) continue;
      (handler.openapi ? served.openapi : served.rpc).add(procedure.call);
      const made = mount(procedure, handler.openapi);
      if (!handler.openapi) rpcMade.push({ call: procedure.call, made });
    }
  };

  // Which routers are held by others (the rest are roots).
  for (const call of routersFound) reader.procedures(call);
  for (const handler of handlers) {
    if (!reader.isRouterValue(handler.router)) {
      const name = unwrap(handler.router);
      const named = typescript.isIdentifier(name)
        ? routersFound.filter((r) => !reader.children.has(r) && variableName(r) === name.text)
        : [];
      if (named.length !== 1) continue;
      handler.router = named[0]!;
    }
    const at = graph.modules.fileFor(handler.call);
    // 1. A Next.js route file that hands its request to the handler.
    const reaches = reachesHandler(graph, handler.call);
    const routes = nextDrafts.filter((d) => d.file.path === at.path || (d.handler !== undefined && reaches(d.handler)));
    if (routes.length > 0) {
      const done = new Set<string>();
      // The handler's own `endpoint` is the path it strips from the URL (`endpoint: '/'` in `app/api/[...trpc]/route.ts`).
      const own = handler.endpoint ? graph.evaluator.string(handler.endpoint) : undefined;
      for (const route of routes) {
        replaced.add(route);
        const prefix = own?.exact
          ? { value: joinPaths(own.value), exact: true }
          : { value: withoutCatchAll(route.path.value), exact: route.path.exact };
        const key = `${route.serviceId} ${prefix.value}`;
        if (done.has(key)) continue;
        done.add(key);
        emit(handler, (p, openapi) =>
          kept(
            drafts,
            draftOf(p, openapi, prefix, route.serviceId, route.confidence === 'high' && prefix.exact, route.auth),
          ),
        );
      }
      continue;
    }
    // `export default createNextApiHandler({ router })` in `pages/api/trpc/[trpc].ts`: no handler function of the project.
    const pagesPath = PAGES_HANDLER.exec(at.path);
    if (pagesPath) {
      const app = next.services
        .filter((s) => at.path.startsWith(appDir(s.id)))
        .sort((a, b) => appDir(b.id).length - appDir(a.id).length)[0];
      const prefix = { value: joinPaths(pagesPath[2]!), exact: true };
      emit(handler, (p, openapi) => kept(drafts, draftOf(p, openapi, prefix, app?.id ?? `${at.path}#trpc`, true)));
      continue;
    }
    // 2. A route of an app whose handler hands its request to the handler (`app.all('/trpc/*', (c) => fetchRequestHandler(…))`).
    const owners = nodes.flatMap((node) =>
      node.routes.filter((r) => r.handler && reaches(r.handler)).map((route) => ({ node, route })),
    );
    if (owners.length > 0) {
      for (const { node, route } of owners) {
        node.routes.splice(node.routes.indexOf(route), 1);
        const prefix = { value: withoutCatchAll(route.path.value), exact: route.path.exact };
        emit(handler, (p, openapi) => added(graph, node, routeOf(p, openapi, prefix)));
      }
      continue;
    }
    // 3. Middleware of an app: `app.use('/trpc', createExpressMiddleware(…))`, `app.use('/trpc/*', trpcServer(…))`.
    const uses = usesOf(graph, handler.call, reaches);
    if (uses.length > 0) {
      for (const { receivers, prefix } of uses)
        for (const node of receivers) emit(handler, (p, openapi) => added(graph, node, routeOf(p, openapi, prefix)));
      continue;
    }
    // 4. Its own endpoint, in no app archlint sees; else an endpoint it cannot read.
    const endpoint = handler.endpoint ? graph.evaluator.string(handler.endpoint) : undefined;
    const prefix = endpoint ?? (handler.openapi ? UNKNOWN_OPENAPI : UNKNOWN_RPC);
    const serviceId = `${at.path}#${variableName(handler.call) ?? 'trpc'}`;
    emit(handler, (p, openapi) => kept(drafts, draftOf(p, openapi, prefix, serviceId, prefix.exact)));
  }

  // Fastify: `register(fastifyTRPCPlugin, { prefix: '/trpc', trpcOptions: { router } })`.
  for (const call of graph.callsOf('register')) {
    const [plugin, optionsArg] = call.arguments;
    if (
      !plugin ||
      !optionsArg ||
      !typescript.isIdentifier(unwrap(plugin)) ||
      !FASTIFY_PLUGIN.test((unwrap(plugin) as ts.Identifier).text)
    )
      continue;
    const options = graph.evaluator.objectLiteralOf(optionsArg);
    const trpcOptions = options ? findProperty(options, 'trpcOptions') : undefined;
    const inner = trpcOptions ? graph.evaluator.objectLiteralOf(trpcOptions) : options;
    const router = inner ? findProperty(inner, 'router') : undefined;
    if (!options || !router || !reader.isRouterValue(router)) continue;
    const prefixNode = findProperty(options, 'prefix') ?? findProperty(options, 'basePath');
    const prefix = prefixNode ? graph.evaluator.stringOrText(prefixNode) : { value: '', exact: true };
    const openapi = /OpenApi/.test((unwrap(plugin) as ts.Identifier).text);
    for (const node of graph.targets((call.expression as ts.PropertyAccessExpression).expression))
      emit({ router, openapi }, (p, o) => added(graph, node, routeOf(p, o, prefix)));
  }

  // Routers served by no handler archlint sees (or only through a package it cannot read): kept, with no guessed endpoint.
  for (const call of routersFound) {
    if (reader.children.has(call)) continue;
    const serviceId = `${graph.modules.fileFor(call).path}#${variableName(call) ?? 'router'}`;
    const procedures = reader.procedures(call);
    for (const p of procedures) {
      if (!served.rpc.has(p.call) && !served.openapi.has(p.call))
        rpcMade.push({ call: p.call, made: kept(drafts, draftOf(p, false, UNKNOWN_RPC, serviceId, false)) });
      if (p.openapi && !served.openapi.has(p.call)) {
        kept(drafts, draftOf(p, true, UNKNOWN_OPENAPI, serviceId, false));
        served.openapi.add(p.call);
      }
    }
  }
  // One cause, one finding: a procedure published as REST is judged there; its RPC twin (same code, same
  // authentication) is listed without an authentication verdict.
  for (const { call, made } of rpcMade) {
    if (!served.openapi.has(call)) continue;
    if ('serviceId' in made) delete made.auth;
    else {
      delete made.guards;
      delete made.optOut;
      made.unknownMiddleware = true;
    }
  }
  return { drafts, replaced };
}

/** Mounts a procedure; returns the route or draft made. */
type Mount = (procedure: Procedure, openapi: boolean) => EndpointDraft | RouteDecl;

function kept(drafts: EndpointDraft[], draft: EndpointDraft): EndpointDraft {
  drafts.push(draft);
  return draft;
}

function added(graph: GraphContext, node: RouterNode, route: RouteDecl): RouteDecl {
  graph.addRoute(node, route);
  return route;
}

/** What a procedure is as an HTTP route: a POST/GET at `<endpoint>/<name>`, or its OpenAPI method and path. */
function httpOf(
  p: Procedure,
  openapi: boolean,
  prefix: StringValue,
): { method: RouteDecl['method']; path: StringValue; declared: string } {
  if (openapi && p.openapi)
    return {
      method: p.openapi.method as RouteDecl['method'],
      path: { value: joinPaths(prefix.value, p.openapi.path), exact: prefix.exact },
      declared: joinPaths(p.openapi.path),
    };
  return {
    method: METHOD[p.kind],
    path: { value: joinPaths(prefix.value, p.name), exact: prefix.exact },
    declared: p.name,
  };
}

function authOf(p: Procedure, openapi: boolean): Procedure['auth'] {
  if (openapi && p.openapi?.protect && !p.auth?.guards.length) return { guards: ['meta.openapi.protect'] };
  return p.auth;
}

function routeOf(p: Procedure, openapi: boolean, prefix: StringValue): RouteDecl {
  const { method, path } = httpOf(p, openapi, prefix);
  const auth = authOf(p, openapi);
  return {
    method,
    path,
    origin: origin(p.file, p.at),
    file: p.file,
    ...(p.handler ? { handler: p.handler } : {}),
    ...(method === 'get' && p.inputs.length > 0 ? { querySchemas: p.inputs } : {}),
    ...(auth ? { guards: auth.guards, ...(auth.optOut ? { optOut: auth.optOut } : {}) } : { unknownMiddleware: true }),
    ...(openapi ? { published: true } : { procedure: { name: p.name, kind: KIND_WORD[p.kind] } }),
    framework: 'trpc',
  };
}

function draftOf(
  p: Procedure,
  openapi: boolean,
  prefix: StringValue,
  serviceId: string,
  confident: boolean,
  around?: EndpointDraft['auth'],
): EndpointDraft {
  const { method, path, declared } = httpOf(p, openapi, prefix);
  let auth = authOf(p, openapi);
  // Middleware in front of the whole handler (a Next.js `middleware.ts`) authenticates every procedure behind it.
  if (around && around.guards.length > 0) auth = { guards: [...new Set([...around.guards, ...(auth?.guards ?? [])])] };
  return {
    serviceId,
    framework: 'trpc',
    method,
    path,
    declaredPath: declared,
    origin: origin(p.file, p.at),
    file: p.file,
    ...(p.handler ? { handler: p.handler } : {}),
    ...(method === 'get' && p.inputs.length > 0 ? { querySchemas: p.inputs } : {}),
    ...(auth ? { auth } : {}),
    ...(openapi ? { published: true } : { procedure: { name: p.name, kind: KIND_WORD[p.kind] } }),
    confidence: confident && path.exact ? 'high' : 'low',
  };
}

/** A pages API catch-all file: its folder below `pages/` is the endpoint (`pages/api/trpc/[trpc].ts` → /api/trpc). */
export const PAGES_HANDLER = /(?:^|\/)((?:src\/)?pages\/)(api(?:\/[^/[\]]+)*)\/\[[^/]+\]\.[cm]?[jt]sx?$/;

/** The folder of a Next.js app, from its service id (`web/next.config.js#nextjs`, `package.json#nextjs`): '' at the root. */
export function appDir(serviceId: string): string {
  const file = serviceId.slice(0, serviceId.lastIndexOf('#'));
  const cut = file.lastIndexOf('/');
  return cut < 0 ? '' : file.slice(0, cut + 1);
}

/** `/api/trpc/{trpc}` → `/api/trpc`; `/trpc/*` → `/trpc`. */
function withoutCatchAll(path: string): string {
  const segments = path.split('/');
  while (segments.length > 1 && /^(\{.*\}|\*|\(\.\*\))$/.test(segments.at(-1)!)) segments.pop();
  return segments.join('/') || '/';
}

/**
 * Whether code hands its request to the handler: it holds the handler call, or calls the project function
 * that does (`app.use('/api/v2/*', (c) => openApiHandler(c))` with `createOpenApiFetchHandler` in `openApiHandler`).
 */
export function reachesHandler(graph: GraphContext, call: ts.CallExpression): (node: ts.Node) => boolean {
  let enclosing: ts.Node | undefined = call.parent;
  while (enclosing && !typescript.isFunctionLike(enclosing)) enclosing = enclosing.parent;
  const wrapper = enclosing as ts.FunctionLikeDeclaration | undefined;
  const name = wrapper
    ? wrapper.name && typescript.isIdentifier(wrapper.name)
      ? wrapper.name.text
      : variableName(wrapper)
    : undefined;
  return (node) => {
    if (contains(node, call)) return true;
    if (!wrapper || !name || !node.getText().includes(name)) return false;
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (
        typescript.isCallExpression(n) &&
        calleeName(n) === name &&
        graph.callables.functionsOf(n.expression).includes(wrapper)
      )
        found = true;
      else typescript.forEachChild(n, visit);
    };
    visit(node);
    return found;
  };
}

/** A callee imported from one of tRPC's packages (or trpc-to-openapi's). */
function fromTrpcPackage(graph: GraphContext, callee: ts.Expression): boolean {
  const ref = graph.evaluator.externalRef(callee);
  return ref !== undefined && /^(@trpc\/server|trpc-to-openapi|trpc-openapi|@hono\/trpc-server)/.test(ref.module);
}

function contains(outer: ts.Node, inner: ts.Node): boolean {
  return (
    outer.getSourceFile() === inner.getSourceFile() &&
    outer.getStart() <= inner.getStart() &&
    inner.getEnd() <= outer.getEnd()
  );
}

/** `app.use(path, handler)` calls that register the handler (written there, or held in a variable), with their receivers. */
function usesOf(
  graph: GraphContext,
  call: ts.CallExpression,
  reaches: (node: ts.Node) => boolean,
): Array<{ receivers: RouterNode[]; prefix: StringValue }> {
  const found: Array<{ receivers: RouterNode[]; prefix: StringValue }> = [];
  for (const use of graph.callsOf('use')) {
    const args = use.arguments;
    if (args.length < 2) continue;
    if (!args.slice(1).some((a) => reaches(a) || unwrap(graph.evaluator.valueOf(a)) === call)) continue;
    const path = graph.evaluator.string(args[0]!);
    if (!path) continue;
    const prefix = { value: withoutCatchAll(joinPaths(path.value)), exact: path.exact };
    found.push({ receivers: graph.targets((use.expression as ts.PropertyAccessExpression).expression), prefix });
  }
  return found;
}
