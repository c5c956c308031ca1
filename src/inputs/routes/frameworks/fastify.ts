/**
 * Fastify: `fastify()` apps; routes by method shorthand (`get(path, options?, handler)`, the handler
 * possibly inside the options) or `route({ method, url, handler })`; plugins registered with a prefix
 * (see ./fastify-plugins.ts); hooks (`addHook('onRequest', …)`) and route options (`preHandler`…)
 * that run before the handler; `use` (middie) only adds middleware.
 */
import type { ts } from 'ts-morph';
import { origin } from '../origins.js';
import { publicFlag } from '../public-flags.js';
import {
  EMPTY,
  hiddenIn,
  querySchemasIn,
  readMethods,
  readPaths,
  validatorSchemas,
  withOptOut,
} from '../route-args.js';
import { findProperty, packageName, type Evaluator } from '../values.js';
import type { FrameworkAdapter, GraphContext, MethodRouteParts, VerbHook } from './adapter.js';
import { pluginsOf } from './fastify-plugins.js';

/** Hooks and route options that run before the handler (where `fastify.authenticate` goes), in the order read. */
const PRE_HANDLER = ['onRequest', 'preParsing', 'preValidation', 'preHandler'];

/** Route options `onRequest` / `preHandler` / …: the route's own middleware. */
function optionHooks(options: ts.ObjectLiteralExpression | undefined): ts.Expression[] {
  if (!options) return [];
  return PRE_HANDLER.flatMap((name) => {
    const value = findProperty(options, name);
    return value ? [value] : [];
  });
}

/**
 * Route `config: { allowInvalidJwt: true }` (`allowAnonymous`, `public`, `skipAuth: true`, `auth: false`):
 * the route tells the project's auth hook to let anonymous requests through. That is a decision (a
 * public route), so the route is marked public rather than left unguarded.
 */
function publicRouteConfig(evaluator: Evaluator, options: ts.ObjectLiteralExpression | undefined): string | undefined {
  const configNode = options ? findProperty(options, 'config') : undefined;
  const config = configNode ? evaluator.objectLiteralOf(configNode) : undefined;
  const flag = config ? publicFlag(config) : undefined;
  return flag ? `config.${flag.replace(/: (true|false)$/, '')}` : undefined;
}

/** `get(path, handler)`, `get(path, options, handler)`, `get(path, { ...options, handler })`. */
function methodRouteParts(graph: GraphContext, args: readonly ts.Expression[]): MethodRouteParts {
  const { evaluator } = graph;
  const options = args.length >= 3 ? evaluator.objectLiteralOf(args[1]!) : undefined;
  let handler: ts.Expression | undefined = args[args.length - 1];
  const last = handler ? evaluator.objectLiteralOf(handler) : undefined;
  if (last) handler = findProperty(last, 'handler');
  const settings = options ?? last;
  return {
    handler,
    middleware: optionHooks(settings),
    querySchemas: [...querySchemasIn(settings), ...validatorSchemas(args.slice(1, -1))],
    optOut: publicRouteConfig(evaluator, settings),
    hidden: hiddenIn(settings),
  };
}

/** `fastify.route({ method, url, handler, preHandler, schema })`. */
const route: VerbHook = (graph, call, receiver, file) => {
  if (call.arguments.length !== 1) return;
  const options = graph.evaluator.objectLiteralOf(call.arguments[0]!);
  if (!options) return;
  const methodNode = findProperty(options, 'method');
  const urlNode = findProperty(options, 'url') ?? findProperty(options, 'path');
  if (!methodNode || !urlNode) return;
  const methods = readMethods(graph.evaluator, methodNode);
  const handler = findProperty(options, 'handler');
  const guards = withOptOut(
    graph.routeGuards(receiver, optionHooks(options)),
    publicRouteConfig(graph.evaluator, options),
  );
  const roles = graph.routeRoles(optionHooks(options), handler);
  for (const { method, uncertain } of methods) {
    for (const path of readPaths(graph.evaluator, urlNode)) {
      graph.addRoute(receiver, {
        method,
        path,
        origin: origin(file, call),
        file,
        querySchemas: querySchemasIn(options),
        ...graph.handlerOf(handler),
        ...(uncertain ? { uncertain } : {}),
        ...guards,
        ...roles,
        ...hiddenIn(options),
      });
    }
  }
};

/** `register(plugin, { prefix })`: the plugin's context, and the packages registered (autoload folders included). */
const register: VerbHook = (graph, call, receiver) => {
  const plugin = call.arguments[0];
  if (!plugin) return;
  const plugins = pluginsOf(graph);
  const ref = graph.evaluator.externalRef(plugin);
  if (ref) {
    receiver.packages.add(packageName(ref.module));
    if (!plugins.isAutoload(plugin)) return;
    for (const pkg of plugins.autoloadedPackages(call)) receiver.packages.add(pkg);
  }
  // Contexts are created as their parameters are resolved; resolving the plugin's first
  // parameter here makes sure a plugin with no routes of its own still gets its context.
  for (const [fn, uses] of plugins.all()) {
    for (const use of uses) {
      if (use.call !== call) continue;
      if (!use.sharesContext) plugins.context(use, fn as ts.FunctionLikeDeclaration, receiver);
    }
  }
};

/** `fastify.addHook('onRequest', fastify.authenticate)`: every route of the context (and of the plugins it registers). */
const addHook: VerbHook = (graph, call, receiver, file) => {
  const [name, hook] = call.arguments;
  if (!name || !hook || !PRE_HANDLER.includes(graph.evaluator.string(name)?.value ?? '')) return;
  graph.addMiddleware(receiver, hook, [EMPTY], file, false);
};

export const fastify: FrameworkAdapter = {
  framework: 'fastify',
  packageFamilies: ['@fastify/', 'fastify-'],
  packages: ['fastify'],
  helperPackages: ['fastify-plugin', '@fastify/autoload'],
  importedFrom: ['fastify'],
  parameterType: { pattern: /Fastify/ },
  factories: [{ packages: ['fastify'], paths: ['', 'fastify', 'default'], role: 'app' }],
  factoryCallees: ['fastify', 'Fastify'],
  useMounts: false,
  methodRoutes: true,
  // `fastify.all(path, [options], handler)`: one route for every method.
  allMethodsRoute: true,
  methodRouteParts,
  verbs: { route, register, addHook },
  chainable: ['route', 'register', 'addHook', 'decorate', 'setErrorHandler'],
  returns: {
    // `fastify.route(options)` registers; its value is not followed.
    route: (_graph, call, receiver) => (call.arguments.length === 1 ? [] : [receiver]),
  },
  parameterNodes: (graph, fn, index) => {
    // Registered as a plugin: the first parameter is the plugin's own context (or the parent's, through fastify-plugin).
    if (index !== 0) return [];
    const plugins = pluginsOf(graph);
    return plugins
      .usesOf(fn)
      .flatMap((use) =>
        graph
          .targets(use.receiver)
          .map((receiver) => (use.sharesContext ? receiver : plugins.context(use, fn, receiver))),
      );
  },
  contextSharingWrappers: ['fastify-plugin'],
  // `dir: join(__dirname, 'plugins')`, `dir: path.join(import.meta.dirname, 'routes')`.
  folderLoaders: [
    {
      package: '@fastify/autoload',
      dir: /\bdir\s*:\s*(?:path\.)?(?:join|resolve)\(\s*(?:__dirname|import\.meta\.dirname)\s*,\s*((?:['"][^'"\n]+['"]\s*,?\s*)+)\)/g,
    },
  ],
  errorHelpers: ['@fastify/sensible'],
  returnsBody: true,
};
