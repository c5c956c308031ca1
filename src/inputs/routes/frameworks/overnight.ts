/**
 * @overnightjs/core: Express underneath. A project class `extends Server` is an Express app (`this.app`
 * is the app, `this.app.use(…)` adds middleware or mounts as in Express); `this.addControllers([new A(),
 * …], routerLib?, ...middleware)` mounts each controller's router at its `@Controller('path')`.
 * A controller's methods register routes with `@Get('x')`/`@Post()`… (several on one method are several
 * routes; `@Get()` is the controller's own path, `@Get('x')` is `/x`), with `@Middleware(mw | [mw])` in
 * front of the handler; `@ClassMiddleware(…)` runs before every route of the controller, and
 * `@ChildControllers([new X()])` mounts children under the controller's path.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../../code/ts-morph.js';
import type { CodeFile } from '../../code/index.js';
import type { HttpMethod } from '../../../model/http.js';
import type { RouterNode } from '../graph.js';
import { origin } from '../origins.js';
import { EMPTY, spreadArray } from '../route-args.js';
import { type StringValue, unwrap } from '../values.js';
import type { FrameworkAdapter, GraphContext, VerbHook } from './adapter.js';
import { express } from './express.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

const PACKAGE = '@overnightjs/core';
/** The method decorators with a method archlint models (WebDAV verbs such as `@Copy` are left out). */
const METHOD_DECORATORS: Record<string, HttpMethod | 'all'> = {
  Get: 'get',
  Post: 'post',
  Put: 'put',
  Patch: 'patch',
  Delete: 'delete',
  Head: 'head',
  Options: 'options',
  All: 'all',
};

/** The package's decorators on a class or member: name and call. */
function decorators(graph: GraphContext, node: ts.Node): Array<{ name: string; call: ts.CallExpression }> {
  const out: Array<{ name: string; call: ts.CallExpression }> = [];
  if (!typescript.canHaveDecorators(node)) return out;
  for (const decorator of typescript.getDecorators(node) ?? []) {
    const call = decorator.expression;
    if (!typescript.isCallExpression(call)) continue;
    const ref = graph.evaluator.externalRef(call.expression);
    if (ref?.module === PACKAGE && ref.path.length === 1) out.push({ name: ref.path[0]!, call });
  }
  return out;
}

/** `'/' + path`, as the decorators store it (`@Controller('v1')` → `/v1`); `@Get()` with no path is ''. */
function decoratorPath(graph: GraphContext, arg: ts.Expression | undefined): StringValue {
  if (!arg) return EMPTY;
  const value = graph.evaluator.stringOrText(arg);
  return { value: `/${value.value}`, exact: value.exact };
}

/** The controller classes an argument lists: `[new A(), new B()]`, `new A()`, a variable holding either. */
function controllerClasses(
  graph: GraphContext,
  arg: ts.Expression,
): Array<{ at: ts.Expression; cls: ts.ClassLikeDeclaration }> {
  const list = graph.evaluator.valueOf(arg);
  return spreadArray(list).flatMap((element) => {
    const cls = graph.callables.classOf(unwrap(element));
    return cls ? [{ at: element, cls }] : [];
  });
}

/** The router of one controller class (its routes, class middleware and children), made once per class. */
function controllerNode(graph: GraphContext, cls: ts.ClassLikeDeclaration, depth = 0): RouterNode | undefined {
  const classDecorators = decorators(graph, cls);
  const controller = classDecorators.find((d) => d.name === 'Controller');
  // Overnight skips a class without a base path.
  if (!controller || depth > 8) return undefined;
  const file = graph.modules.fileFor(cls);
  const key = `${file.path}@${cls.pos}:overnight-controller`;
  const existing = graph.existingNode(key);
  if (existing) return existing;
  const node = graph.makeNode(key, file, cls, cls.name?.text ?? 'controller', 'overnightjs', 'router');
  for (const { name, call } of classDecorators) {
    const arg = call.arguments[0];
    if (!arg) continue;
    if (name === 'ClassMiddleware') {
      graph.notePackages(node, spreadArray(arg));
      for (const mw of spreadArray(arg)) graph.addMiddleware(node, mw, [EMPTY], file, false);
    } else if (name === 'ChildControllers' || name === 'Children') {
      for (const child of controllerClasses(graph, arg)) mountController(graph, node, child, file, depth + 1);
    }
  }
  for (const member of cls.members) routesOf(graph, node, member, file);
  return node;
}

function mountController(
  graph: GraphContext,
  parent: RouterNode,
  child: { at: ts.Expression; cls: ts.ClassLikeDeclaration },
  file: CodeFile,
  depth: number,
): RouterNode | undefined {
  const node = controllerNode(graph, child.cls, depth);
  const base = decorators(graph, child.cls).find((d) => d.name === 'Controller');
  if (!node || !base) return undefined;
  graph.mount(parent, node, decoratorPath(graph, base.call.arguments[0]), origin(file, child.at), child.at.getStart());
  return node;
}

/** The routes a controller method declares: one per method decorator. */
function routesOf(graph: GraphContext, node: RouterNode, member: ts.ClassElement, file: CodeFile): void {
  const found = decorators(graph, member);
  const routes = found.filter((d) => METHOD_DECORATORS[d.name]);
  if (routes.length === 0) return;
  let handler: ts.FunctionLikeDeclaration | undefined;
  if (typescript.isMethodDeclaration(member)) handler = member;
  else if (typescript.isPropertyDeclaration(member) && member.initializer)
    handler = graph.callables.functionsOf(member.initializer)[0];
  const middleware = found.filter((d) => d.name === 'Middleware').flatMap((d) => spreadArray(d.call.arguments[0]!));
  const guards = graph.routeGuards(node, middleware);
  const roles = graph.routeRoles(middleware, undefined);
  for (const { name, call } of routes) {
    const path = decoratorPath(graph, call.arguments[0]);
    graph.addRoute(node, {
      method: METHOD_DECORATORS[name]!,
      path,
      origin: origin(file, call.parent),
      file,
      ...(handler ? { handler } : {}),
      ...(path.exact ? {} : { uncertain: true }),
      ...guards,
      ...roles,
    });
  }
}

/** `this.addControllers(controllers, routerLib?, ...middleware)`: each controller's router at its base path. */
const addControllers: VerbHook = (graph, call, receiver, file) => {
  const [list, , ...global] = call.arguments;
  if (!list) return;
  for (const controller of controllerClasses(graph, list)) {
    const node = mountController(graph, receiver, controller, file, 0);
    const base = decorators(graph, controller.cls).find((d) => d.name === 'Controller');
    if (!node || !base || global.length === 0) continue;
    // `app.use(basePath, ...middleware, router)`: the middleware runs for that controller's paths.
    const scope = decoratorPath(graph, base.call.arguments[0]);
    graph.notePackages(receiver, global);
    for (const mw of global) graph.addMiddleware(receiver, mw, [scope], file, false);
  }
};

export const overnight: FrameworkAdapter = {
  framework: 'overnightjs',
  packages: [PACKAGE],
  importedFrom: [PACKAGE],
  useMounts: express.useMounts,
  methodRoutes: express.methodRoutes,
  allMethodsRoute: express.allMethodsRoute,
  chainable: express.chainable!,
  returns: express.returns!,
  returnsBody: express.returnsBody,
  factories: [{ packages: [PACKAGE], paths: ['Server'], via: 'new', role: 'app' }],
  // Usually extended (`class extends Server`, read through graph-members.ts); `new Server()` is resolved by name.
  factoryCallees: ['Server'],
  instanceMembers: ['app'],
  verbs: { addControllers },
};
