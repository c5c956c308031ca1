/**
 * What the router graph does with a registration call it collected: a route (`router.get(path, …handlers)`),
 * a mount or middleware (`app.use(prefix, child)`), a plugin (`register`), a server (`listen`), or a verb
 * of the receiver's framework (its adapter's). Split from graph-builder.ts; the receivers come from it.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { HttpMethod } from '../../model/http.js';
import { infrastructureKind, type InfrastructureKind } from '../../model/http-paths.js';
import type { CodeFile } from '../code/index.js';
import type { GraphContext, MethodRouteParts } from './frameworks/adapter.js';
import { adapterOf, MOUNT_WRAPPERS } from './frameworks/index.js';
import type { RouterNode } from './graph.js';
import { origin } from './origins.js';
import { NODE_SERVERS, servedThrough } from './serving.js';
import {
  EMPTY,
  HTTP_METHODS,
  declaredNoSecurity,
  querySchemasIn,
  readPaths,
  spreadArray,
  validatorSchemas,
  withOptOut,
} from './route-args.js';
import { type StringValue, unwrap } from './values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** Paths a function mounted with `use` answers as a probe (see probeMount). */
const PROBE_KINDS = new Set<InfrastructureKind>(['liveness', 'readiness', 'metrics']);

export function registration(graph: GraphContext, call: ts.CallExpression, name: string): void {
  // `router.get(…)`, or `router[method](…)` read once per method it names.
  const callee = call.expression as ts.PropertyAccessExpression | ts.ElementAccessExpression;
  // `http.createServer(app)`: the app handed to Node's server is served (its `listen` is on the server).
  if (NODE_SERVERS.includes(name))
    for (const arg of call.arguments) for (const node of servedThrough(graph, arg)) node.served = true;
  const receivers = graph.targets(callee.expression);
  if (receivers.length === 0) return;
  const file = graph.modules.fileFor(call);
  for (const receiver of receivers) {
    const verb = adapterOf(receiver.framework).verbs?.[name];
    if (verb) verb(graph, call, receiver, file);
    else if (name === 'use') use(graph, call, receiver, file);
    else if (name === 'register')
      graph.notePackages(receiver, call.arguments.slice(0, 1)); // a plugin, by its package
    else if (name === 'listen') receiver.served = true;
    else if (HTTP_METHODS.has(name))
      methodRoute(graph, call, receiver, file, name === 'del' ? 'delete' : (name as HttpMethod | 'all'));
  }
}

function methodRoute(
  graph: GraphContext,
  call: ts.CallExpression,
  receiver: RouterNode,
  file: CodeFile,
  method: HttpMethod | 'all',
): void {
  const adapter = adapterOf(receiver.framework);
  if (!adapter.methodRoutes) return;
  const args = call.arguments;
  if (receiver.role === 'handle') {
    const at = origin(file, call);
    const guards = graph.routeGuards(receiver, args.slice(0, -1));
    const roles = graph.routeRoles(args.slice(0, -1), args[args.length - 1]);
    graph.addRoute(receiver, {
      method,
      path: EMPTY,
      origin: at,
      pathOrigin: receiver.origin,
      file,
      ...graph.handlerOf(args[args.length - 1]),
      ...guards,
      ...roles,
    });
    return;
  }
  if (args.length < 2) return; // app.get('setting') reads a setting
  if (method === 'all' && !adapter.allMethodsRoute) return;
  const parts = (adapter.methodRouteParts ?? plainRouteParts)(graph, args);
  const guards = withOptOut(graph.routeGuards(receiver, parts.middleware), parts.optOut);
  const roles = graph.routeRoles(parts.middleware, parts.handler);
  for (const path of readPaths(graph.evaluator, args[0]!)) {
    graph.addRoute(receiver, {
      method,
      path,
      origin: origin(file, call),
      file,
      ...graph.handlerOf(parts.handler),
      querySchemas: parts.querySchemas,
      ...guards,
      ...roles,
      ...parts.hidden,
    });
  }
}

function use(graph: GraphContext, call: ts.CallExpression, receiver: RouterNode, file: CodeFile): void {
  if (!adapterOf(receiver.framework).useMounts) {
    // Hono `use('/api/*', jwt(…))`, Fastify (middie) `use('/x', mw)`: middleware only, never a mount.
    const args = [...call.arguments];
    const scope =
      args.length >= 2 && graph.evaluator.string(args[0]!) ? graph.evaluator.stringOrText(args.shift()!) : EMPTY;
    graph.notePackages(receiver, args);
    for (const arg of args) graph.addMiddleware(receiver, arg, [scope], file);
    return;
  }
  const args = [...call.arguments];
  let prefixes: StringValue[] = [EMPTY];
  const first = args[0];
  if (first && args.length >= 2 && isMountPath(graph, first)) {
    prefixes = readPaths(graph.evaluator, first);
    args.shift();
  }
  const last = args.at(-1);
  for (const arg of args.flatMap((a) => spreadArray(a))) {
    const wrapped = mountWrapper(graph, arg);
    const children = graph.targets(wrapped?.child ?? arg);
    // `app.use('/health', (req, res) => res.sendStatus(200))`: a function mounted at a probe's path answers
    // it for every method, as a route would (Express runs the last function given to `use` as the handler).
    if (children.length === 0 && arg === last) probeMount(graph, call, receiver, file, prefixes, arg);
    for (const child of children) {
      if (child === receiver) continue;
      for (const prefix of prefixes) {
        const full = wrapped
          ? { value: `${prefix.value}/${wrapped.prefix.value}`, exact: prefix.exact && wrapped.prefix.exact }
          : prefix;
        graph.mount(receiver, child, full, origin(file, call), arg.getStart());
      }
    }
    if (children.length === 0) {
      graph.notePackages(receiver, [arg]);
      graph.addMiddleware(receiver, arg, prefixes, file);
    }
  }
}

function probeMount(
  graph: GraphContext,
  call: ts.CallExpression,
  receiver: RouterNode,
  file: CodeFile,
  prefixes: StringValue[],
  arg: ts.Expression,
): void {
  const probes = prefixes.filter(
    (prefix) => prefix.exact && PROBE_KINDS.has(infrastructureKind(prefix.value) ?? 'docs'),
  );
  if (probes.length === 0 || graph.callables.functionsOf(arg).length === 0) return;
  for (const path of probes)
    graph.addRoute(receiver, { method: 'all', path, origin: origin(file, call), file, ...graph.handlerOf(arg) });
}

/**
 * Whether `use`'s first argument is a path: a string (or array) we can read, or an unreadable
 * value that is clearly not middleware (`process.env.PREFIX`, `config.api.prefix`, a `prefix` parameter).
 */
function isMountPath(graph: GraphContext, first: ts.Expression): boolean {
  const node = unwrap(first);
  if (graph.evaluator.string(node) || typescript.isArrayLiteralExpression(node)) return true;
  if (graph.targets(node).length > 0 || graph.callables.functionsOf(node).length > 0) return false;
  if (typescript.isPropertyAccessExpression(node) || typescript.isElementAccessExpression(node))
    return !/Router|router|routes|middleware/.test(node.getText());
  if (typescript.isIdentifier(node)) return /prefix|path|base|url|mount/i.test(node.text);
  return false;
}

/** A package call that mounts a child with an optional prefix: koa-mount's `mount('/v1', app)`. */
function mountWrapper(
  graph: GraphContext,
  expression: ts.Expression,
): { prefix: StringValue; child: ts.Expression } | undefined {
  const node = unwrap(expression);
  if (!typescript.isCallExpression(node)) return undefined;
  const ref = graph.evaluator.externalRef(node.expression);
  if (!ref || !MOUNT_WRAPPERS.has(ref.module)) return undefined;
  const [a, b] = node.arguments;
  if (a && b) return { prefix: graph.evaluator.stringOrText(a), child: b };
  if (a) return { prefix: EMPTY, child: a };
  return undefined;
}

/** `(path, ...middleware, handler)`, the handler possibly an object literal holding query schemas. */
function plainRouteParts(graph: GraphContext, args: readonly ts.Expression[]): MethodRouteParts {
  const handler = args[args.length - 1];
  const last = handler ? graph.evaluator.objectLiteralOf(handler) : undefined;
  return {
    handler,
    middleware: args.slice(1, -1),
    querySchemas: [...querySchemasIn(last), ...validatorSchemas(args.slice(1, -1))],
    ...optional('optOut', declaredNoSecurity(graph.evaluator, args.slice(1, -1))),
    hidden: {},
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
