/**
 * Hono (and @hono/zod-openapi): `new Hono()` is both app and router; `app.route(prefix, sub)` mounts,
 * `app.use(path?, mw)` only adds middleware, `app.basePath(p)` derives the same app under a prefix,
 * `app.on(method, path, h)` and `app.openapi(createRoute({ method, path }), h)` register routes, and
 * `app.doc(path, config)` serves the generated description, `app.mount(path, fetch)` hands a path to another app. Served by `serve({ fetch: app.fetch })`,
 * `export default app`, or handed to a Next.js route handler by `handle(app)` (hono/vercel, hono/nextjs).
 */
import { loadTypeScript } from '../../code/ts-morph.js';
import { origin } from '../origins.js';
import {
  declaredNoSecurity,
  hiddenIn,
  literalStatus,
  querySchemasIn,
  readMethods,
  readPaths,
  validatorSchemas,
  withOptOut,
} from '../route-args.js';
import { findProperty } from '../values.js';
import type { FrameworkAdapter, VerbHook } from './adapter.js';

/** The TypeScript namespace at run time. */
const typescript = loadTypeScript();

/** `app.route('/users', users)`: the sub-app mounted at the prefix. */
const route: VerbHook = (graph, call, receiver, file) => {
  if (call.arguments.length < 2) return;
  const prefix = graph.evaluator.stringOrText(call.arguments[0]!);
  for (const child of graph.targets(call.arguments[1]!))
    if (child !== receiver) graph.mount(receiver, child, prefix, origin(file, call));
};

/** `app.on('PURGE', '/cache', h)`, `app.on(['GET', 'POST'], ['/a', '/b'], mw, h)`. */
const on: VerbHook = (graph, call, receiver, file) => {
  if (call.arguments.length < 3) return;
  const [methodNode, pathNode] = call.arguments;
  const handler = call.arguments[call.arguments.length - 1];
  for (const { method, uncertain } of readMethods(graph.evaluator, methodNode!)) {
    for (const path of readPaths(graph.evaluator, pathNode!)) {
      const querySchemas = validatorSchemas(call.arguments.slice(2, -1));
      const guards = withOptOut(
        graph.routeGuards(receiver, call.arguments.slice(2, -1)),
        declaredNoSecurity(graph.evaluator, call.arguments.slice(2, -1)),
      );
      const roles = graph.routeRoles(call.arguments.slice(2, -1), handler);
      graph.addRoute(receiver, {
        method,
        path,
        origin: origin(file, call),
        file,
        querySchemas,
        ...graph.handlerOf(handler),
        ...(uncertain ? { uncertain } : {}),
        ...guards,
        ...roles,
      });
    }
  }
};

/** `app.openapi(createRoute({ method, path }), handler)` (@hono/zod-openapi). */
const openapi: VerbHook = (graph, call, receiver, file) => {
  const routeArg = call.arguments[0];
  if (!routeArg) return;
  const definition = graph.evaluator.valueOf(routeArg);
  const config =
    typescript.isCallExpression(definition) && definition.arguments[0]
      ? graph.evaluator.objectLiteralOf(definition.arguments[0])
      : graph.evaluator.objectLiteralOf(definition);
  if (!config) return;
  const methodNode = findProperty(config, 'method');
  const pathNode = findProperty(config, 'path');
  if (!methodNode || !pathNode) return;
  // createRoute({ middleware: [bearerAuth(…)] }) runs before the handler, like route middleware.
  const middlewareNode = findProperty(config, 'middleware');
  const guards = withOptOut(
    graph.routeGuards(receiver, middlewareNode ? [middlewareNode] : []),
    declaredNoSecurity(graph.evaluator, [config]),
  );
  const roles = graph.routeRoles(middlewareNode ? [middlewareNode] : [], call.arguments[1]);
  for (const { method, uncertain } of readMethods(graph.evaluator, methodNode)) {
    graph.addRoute(receiver, {
      ...guards,
      ...roles,
      method,
      path: graph.evaluator.stringOrText(pathNode),
      origin: origin(file, call),
      file,
      querySchemas: querySchemasIn(config),
      ...graph.handlerOf(call.arguments[1]),
      ...(uncertain ? { uncertain } : {}),
      ...hiddenIn(config),
    });
  }
};

/**
 * `app.mount('/legacy', otherApp.fetch)`: a fetch handler of another framework answers every method below the
 * path (Hono strips the path from the URL unless told otherwise); one catch-all route for it.
 */
const mount: VerbHook = (graph, call, receiver, file) => {
  const [pathNode, handler] = call.arguments;
  if (!pathNode || !handler) return;
  const path = graph.evaluator.stringOrText(pathNode);
  graph.addRoute(receiver, {
    method: 'all',
    path: { value: `${path.value.replace(/\/+$/, '')}/*`, exact: path.exact },
    origin: origin(file, call),
    file,
    ...graph.handlerOf(handler),
  });
};

/** @hono/zod-openapi serves the generated description: `app.doc('/openapi.json', config)`. */
const doc: VerbHook = (graph, call, receiver, file) => {
  if (call.arguments[0])
    graph.addRoute(receiver, {
      method: 'get',
      path: graph.evaluator.stringOrText(call.arguments[0]),
      origin: origin(file, call),
      file,
    });
};

export const hono: FrameworkAdapter = {
  framework: 'hono',
  packageFamilies: ['@hono/', 'hono-'],
  packages: ['hono', '@hono/zod-openapi'],
  // `jwt` from hono/jwt authenticates; `cors` from hono/cors does not.
  authModules: { package: 'hono', modules: /jwt|jwk|bearer|basic/i },
  importedFrom: ['hono', '@hono/zod-openapi'],
  parameterType: { pattern: /Hono/ },
  factories: [{ packages: ['hono', '@hono/zod-openapi'], paths: ['Hono', 'OpenAPIHono'], via: 'new', role: 'app' }],
  factoryCallees: ['Hono', 'OpenAPIHono'],
  useMounts: false,
  methodRoutes: true,
  allMethodsRoute: true,
  verbs: { route, on, openapi, doc, doc31: doc, mount },
  chainable: ['on', 'route', 'openapi', 'doc', 'doc31', 'mount'],
  returns: {
    basePath: (graph, call, receiver) => [
      graph.derived(call, receiver, graph.evaluator.stringOrText(call.arguments[0] ?? call.expression)),
    ],
    route: (_graph, call, receiver) => (call.arguments.length === 1 ? [] : [receiver]),
  },
  httpExceptions: {
    fromModule: (module) => module.startsWith('hono'),
    statuses: { HTTPException: undefined },
    // new HTTPException(401, { message: 'Unauthorized' }), or with a whole response: { res }
    read: (_className, args, evaluator) => {
      const options = args[1] ? evaluator.objectLiteralOf(args[1]) : undefined;
      const message = options ? findProperty(options, 'message') : undefined;
      const res = options ? findProperty(options, 'res') : undefined;
      return { status: literalStatus(args[0]), ...(message ? { message } : {}), ...(res ? { unknownBody: true } : {}) };
    },
  },
  servedBy: { calls: ['serve', 'handle', 'showRoutes', 'createAdaptorServer'], reads: ['fetch', 'fire'] },
  nextHandlerModules: ['hono/vercel', 'hono/nextjs'],
  returnsBody: false,
  appIsRouter: true,
};
