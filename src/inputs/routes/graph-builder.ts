/**
 * The router graph of Express, Fastify, Hono and Koa apps (and the Nest apps, whose configuration
 * calls reach them): every application and router instance, the routes registered on it and where
 * it is mounted, following values across functions and files (a router created in one file and
 * mounted in another, a plugin registered with a prefix, an app passed to `registerRoutes(app)`).
 *
 * This module knows no framework: what a call means in one (a factory, a registration verb, a
 * mount) comes from its adapter in ./frameworks/.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { Origin } from '../../model/finding.js';
import type { CodeFile } from '../code/index.js';
import { Callables, classMemberValue } from './callables.js';
import { CallSites } from './call-sites.js';
import type { GraphContext } from './frameworks/adapter.js';
import {
  ADAPTER_CHAINABLE,
  ADAPTER_VERBS,
  adapterOf,
  ADAPTERS,
  CONTEXT_SHARING_WRAPPERS,
  FACTORIES_BY_PACKAGE,
  FACTORY_CALLEES,
  FRAMEWORK_OF_PACKAGE,
  PARAMETER_TYPES,
  SERVING_CALLS,
  SERVING_READS,
} from './frameworks/index.js';
import { returnedExpressions } from './functions.js';
import { classInstance, destructuredTargets, instanceMemberTargets, propertyTargets } from './graph-members.js';
import { scopeParts } from './graph-scope.js';
import { registration } from './registrations.js';
import { defaultExportServed, isNextAdapter, NODE_SERVERS, servedThrough } from './serving.js';
import type { Framework, RouteDecl, RouterNode } from './graph.js';
import type { Binding, Modules } from './modules.js';
import { lineOf, origin, variableName } from './origins.js';
import { EMPTY, HTTP_METHODS, loopValues } from './route-args.js';
import { RouteMiddleware } from './route-middleware.js';
import { type Evaluator, packageName, unwrap, type StringValue } from './values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** Calls the scan collects and reads, by property name, in this order: routes, `use`, the adapters' verbs, serving. */
const VERBS = [...new Set([...HTTP_METHODS, 'use', ...ADAPTER_VERBS, 'register', 'listen', ...NODE_SERVERS])];
/** Method names whose call returns the receiver itself (chaining). */
const CHAINABLE = new Set([...HTTP_METHODS, 'use', ...ADAPTER_CHAINABLE]);
/** Callees resolved up front: the adapters' factories, and a project's own app factory by its usual name. */
const FACTORY_NAMES = new Set([...FACTORY_CALLEES, 'createApp']);
/** Functions that serve an app given to them: the adapters' (`serve(app)`), and Node's own server. */
const SERVE_CALLS = [...new Set([...SERVING_CALLS, 'createServer'])];
export class GraphBuilder implements GraphContext {
  readonly nodes: RouterNode[] = [];
  readonly callables: Callables;
  /** What middleware and handlers say about a route (auth, webhook signatures, paging, cron secrets). */
  readonly routeMiddleware: RouteMiddleware;
  private readonly byCreation = new Map<string, RouterNode>();
  private readonly targetsMemo = new Map<ts.Node, RouterNode[]>();
  private readonly sites = new CallSites(
    { verbs: new Set(VERBS), factories: FACTORY_NAMES, reads: SERVING_READS },
    SERVE_CALLS,
  );
  private readonly usedIds = new Set<string>();
  private readonly frameworkOfFile = new Map<CodeFile, Framework | undefined>();

  constructor(
    readonly modules: Modules,
    readonly evaluator: Evaluator,
  ) {
    this.callables = new Callables(modules, evaluator, CONTEXT_SHARING_WRAPPERS);
    this.routeMiddleware = new RouteMiddleware(modules, evaluator, (e) => this.functionsOf(e));
  }

  run(sources: readonly CodeFile[]): void {
    // Only the files a router can reach are walked (and so parsed): see graph-scope.ts.
    const { scope, handed } = scopeParts(this.modules, sources);
    // A file only handed a router that adds nothing the loops below read is collected when a lookup asks for it.
    const files = this.sites.collectScope(
      sources.filter((file) => scope.has(file)),
      handed,
    );
    for (const call of this.sites.factories) this.targets(call);
    for (const name of VERBS) {
      for (const call of this.sites.ofVerb(name)) registration(this, call, name);
      // `for (const method of ['get', 'post']) router[method](path, handler)`: each method the member can name.
      if (name === 'all') for (const call of this.sites.elementCalls) this.computedRegistration(call);
    }
    for (const read of this.sites.reads) for (const node of this.targets(read.expression)) node.served = true;
    for (const name of SERVE_CALLS) {
      for (const call of this.sites.named(name)) {
        const toNext = isNextAdapter(this, call.expression);
        for (const arg of call.arguments) {
          for (const node of servedThrough(this, arg)) {
            node.served = true;
            if (toNext) node.handedToNext = true;
          }
        }
      }
    }
    for (const file of files) defaultExportServed(this, file);
  }

  callsOf(verb: string): readonly ts.CallExpression[] {
    return this.sites.ofVerb(verb);
  }

  functionsOf(expression: ts.Expression): ts.FunctionLikeDeclaration[] {
    return this.callables.functionsOf(expression);
  }

  // ---------------------------------------------------------------------------------------------
  // What an expression is, as routers

  /** The router nodes an expression can be (several when a function is called with different apps). */
  targets(expression: ts.Expression): RouterNode[] {
    const memo = this.targetsMemo.get(expression);
    if (memo) return memo;
    this.targetsMemo.set(expression, []); // cycle guard
    const result = [...new Set(this.computeTargets(expression))];
    this.targetsMemo.set(expression, result);
    return result;
  }

  private computeTargets(expression: ts.Expression): RouterNode[] {
    const node = unwrap(expression);
    if (typescript.isCallExpression(node) || typescript.isNewExpression(node)) {
      const factory = this.factoryOf(node);
      if (factory) return [this.nodeFor(node, factory.framework, factory.role)];
      if (typescript.isCallExpression(node)) return this.callTargets(node);
      // `new Api()` of a project class that extends a framework's app class.
      const cls = this.callables.classOf(node);
      return cls ? classInstance(this, cls) : [];
    }
    if (node.kind === typescript.SyntaxKind.ThisKeyword || node.kind === typescript.SyntaxKind.SuperKeyword) {
      let cls: ts.Node | undefined = node.parent;
      while (cls && !typescript.isClassLike(cls)) cls = cls.parent;
      return cls ? classInstance(this, cls as ts.ClassLikeDeclaration) : [];
    }
    if (typescript.isIdentifier(node)) {
      const binding = this.modules.lookup(node);
      if (binding) return this.bindingTargets(binding, node);
      // No declaration with a value: what the name is assigned in this file.
      return this.sites.assignedIn(this.modules.fileFor(node), node.text).flatMap((value) => this.targets(value));
    }
    if (typescript.isPropertyAccessExpression(node)) return this.memberTargets(node);
    if (typescript.isConditionalExpression(node))
      return [...this.targets(node.whenTrue), ...this.targets(node.whenFalse)];
    // An array of routers (`return [apiRouter, adminRouter]`), iterated where they are mounted.
    if (typescript.isArrayLiteralExpression(node))
      return node.elements.flatMap((e) => this.targets(typescript.isSpreadElement(e) ? e.expression : e));
    return [];
  }

  private callTargets(call: ts.CallExpression): RouterNode[] {
    const callee = call.expression;
    if (typescript.isPropertyAccessExpression(callee)) {
      const name = callee.name.text;
      const receivers = this.targets(callee.expression);
      if (receivers.length > 0) {
        return receivers.flatMap((receiver) => {
          const returns = adapterOf(receiver.framework).returns?.[name];
          if (returns) return returns(this, call, receiver);
          return CHAINABLE.has(name) ? [receiver] : [];
        });
      }
      // A factory reached as a member of a package export (`NestFactory.create(…)`).
      const owner = this.evaluator.externalRef(callee.expression);
      const factory =
        owner && owner.path.length > 0
          ? this.factoryAt(owner.module, [...owner.path, name].join('.'), false)
          : undefined;
      if (factory) return [this.nodeFor(call, factory.framework, factory.role)];
    }
    // A project function that returns a router: targets of what it returns. A router the function
    // creates itself is a new instance per call site (createRouter() called by every feature).
    const fns = this.functionsOf(callee);
    return fns.flatMap((fn) =>
      returnedExpressions(fn).flatMap((e) =>
        this.targets(e).map((node) => (isInside(node.creation, fn) ? this.instanceAt(call, node) : node)),
      ),
    );
  }

  /** The instance a factory call creates: its own node, with the factory's template mounted at '' (its routes apply to every instance). */
  private instanceAt(call: ts.CallExpression, template: RouterNode): RouterNode {
    const file = this.modules.fileFor(call);
    const key = `${file.path}@${call.pos}:${template.id}`;
    const existing = this.byCreation.get(key);
    if (existing) return existing;
    const node = this.makeNode(key, file, call, variableName(call) ?? template.name, template.framework, template.role);
    node.instanceOf = template;
    this.mount(node, template, EMPTY, origin(file, call));
    return node;
  }

  private bindingTargets(binding: Binding | undefined, at: ts.Identifier): RouterNode[] {
    if (!binding) return [];
    switch (binding.kind) {
      case 'value':
        return this.targets(binding.node);
      case 'param':
        return this.parameterTargets(binding, at);
      case 'element':
        // `for (const router of createRouters(tenant)) app.use(router.routes())`: each router returned.
        return this.targets(binding.of);
      case 'property':
        // `function registerUsersRoutes({ app, db }: Context)`, `const { app } = context`.
        return destructuredTargets(this, binding);
      default:
        return [];
    }
  }

  /** `this.router`, `new UserRoutes().router`, `routes.router`, `mod.default`. */
  private memberTargets(access: ts.PropertyAccessExpression): RouterNode[] {
    const name = access.name.text;
    const object = unwrap(access.expression);
    const cls = this.callables.classOf(object);
    if (cls) {
      const init = classMemberValue(cls, name);
      return init ? this.targets(init) : instanceMemberTargets(this, cls, name);
    }
    if (typescript.isIdentifier(object)) {
      const binding = this.modules.lookup(object);
      if (binding?.kind === 'module') {
        const exported = this.modules.exportOf(binding.file, name);
        return exported?.kind === 'value' ? this.targets(exported.node) : [];
      }
    }
    // An object's property: a literal's, or one passed in as an argument (`context.app`).
    const literal = this.evaluator.objectLiteralOf(object);
    return propertyTargets(this, literal ?? object, [name]);
  }

  private parameterTargets(binding: Extract<Binding, { kind: 'param' }>, at: ts.Identifier): RouterNode[] {
    const fn = binding.fn as ts.FunctionLikeDeclaration;
    const out: RouterNode[] = [];
    // How a framework calls the function (a Fastify plugin gets its own context).
    for (const adapter of ADAPTERS)
      if (adapter.parameterNodes) out.push(...adapter.parameterNodes(this, fn, binding.index));
    // A promise's callback: NestFactory.create(AppModule).then((app) => …)
    const parent = fn.parent;
    if (
      binding.index === 0 &&
      typescript.isCallExpression(parent) &&
      parent.arguments[0] === fn &&
      typescript.isPropertyAccessExpression(parent.expression) &&
      parent.expression.name.text === 'then'
    ) {
      out.push(...this.targets(parent.expression.expression));
    }
    // Called directly: routes(app), registerRoutes(router, deps).
    for (const arg of this.argumentsOf(fn, binding.index)) out.push(...this.targets(arg));
    if (out.length > 0) return out;
    const framework = this.frameworkHint(binding.file, binding.node);
    return framework && at ? [this.nodeFor(binding.node, framework, 'unresolved')] : [];
  }

  argumentsOf(fn: ts.FunctionLikeDeclaration, index: number): ts.Expression[] {
    return this.sites.argumentsAt(fn, index, this.modules, this.callables);
  }

  // ---------------------------------------------------------------------------------------------
  // Registrations

  /** A route registered through a computed member (`router[method](…)`): once per HTTP method the member names. */
  private computedRegistration(call: ts.CallExpression): void {
    const member = (call.expression as ts.ElementAccessExpression).argumentExpression;
    const values = loopValues(this.evaluator, member) ?? [member];
    const names = values.map((v) => this.evaluator.string(v)).map((v) => (v?.exact ? v.value.toLowerCase() : ''));
    if (names.length === 0 || !names.every((n) => HTTP_METHODS.has(n))) return;
    for (const name of new Set(names)) registration(this, call, name);
  }

  handlerOf(expression: ts.Expression | undefined): { handler?: ts.FunctionLikeDeclaration } {
    if (!expression) return {};
    const node = unwrap(expression);
    // asyncHandler(fn), catchAsync(fn), controller.list.bind(controller)
    if (typescript.isCallExpression(node)) {
      if (typescript.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'bind')
        return this.handlerOf(node.expression.expression);
      for (const arg of node.arguments) {
        const inner = this.handlerOf(arg);
        if (inner.handler) return inner;
      }
      // A project factory that builds the handler (`buildOpenAIHandler({ baseUrl })`): the function it returns.
      const made = this.functionsOf(node)[0];
      return made ? { handler: made } : {};
    }
    // `export const listSyncs = asyncWrapper(async (req, res) => …)` registered by name: the function the
    // wrapper is given is the handler, as when the wrapper is called at the route.
    if (typescript.isIdentifier(node)) {
      const binding = this.modules.lookup(node);
      const value = binding?.kind === 'value' ? unwrap(binding.node) : undefined;
      if (
        value &&
        typescript.isCallExpression(value) &&
        value.arguments.some((a) => typescript.isArrowFunction(unwrap(a)) || typescript.isFunctionExpression(unwrap(a)))
      ) {
        const inner = this.handlerOf(value);
        if (inner.handler) return inner;
      }
    }
    const fn = this.functionsOf(node)[0];
    return fn ? { handler: fn } : {};
  }

  addRoute(node: RouterNode, route: RouteDecl): void {
    node.routes.push(route);
  }

  addMiddleware(receiver: RouterNode, arg: ts.Expression, scopes: StringValue[], file: CodeFile, ordered = true): void {
    this.routeMiddleware.add(receiver, arg, scopes, file, ordered);
  }

  routeGuards(
    receiver: RouterNode,
    middle: readonly ts.Expression[],
  ): Pick<RouteDecl, 'guards' | 'optOut' | 'unknownMiddleware'> {
    return this.routeMiddleware.guards(receiver, middle);
  }

  routeRoles(
    middle: readonly ts.Expression[],
    handler: ts.Expression | undefined,
  ): Pick<
    RouteDecl,
    'signatureMiddleware' | 'delegatesTo' | 'pagingMiddleware' | 'scheduledMiddleware' | 'secretMiddleware'
  > {
    return this.routeMiddleware.roles(middle, handler);
  }

  mount(parent: RouterNode, child: RouterNode, prefix: StringValue, at: Origin, order = at.range?.start ?? 0): void {
    if (parent.mounts.some((m) => m.child === child && m.prefix.value === prefix.value)) return;
    parent.mounts.push({ child, prefix, origin: at, order });
    child.mounted = true;
  }

  notePackages(receiver: RouterNode, args: readonly ts.Expression[]): void {
    for (const arg of args) {
      // `promBundle()` in place, or `const metrics = promBundle()` / an import of such a value from another file.
      for (const node of new Set([unwrap(arg), this.evaluator.valueOf(arg)])) {
        const ref = this.evaluator.externalRef(
          typescript.isCallExpression(node) || typescript.isNewExpression(node) ? node.expression : node,
        );
        if (ref) receiver.packages.add(packageName(ref.module));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Nodes

  private factoryOf(
    node: ts.CallExpression | ts.NewExpression,
  ): { framework: Framework; role: RouterNode['role'] } | undefined {
    const ref = this.evaluator.externalRef(node.expression);
    return ref
      ? this.factoryAt(packageName(ref.module), ref.path.join('.'), typescript.isNewExpression(node))
      : undefined;
  }

  /** The factory a package export is, invoked with or without `new`. */
  private factoryAt(pkg: string, path: string, isNew: boolean) {
    return FACTORIES_BY_PACKAGE.get(pkg)?.find(
      (f) => f.paths.includes(path) && (f.via === undefined || (f.via === 'new') === isNew),
    );
  }

  /** A factory a project class can extend (`class Api extends Koa`): one invoked with `new`. */
  classFactory(pkg: string, path: string) {
    return this.factoryAt(pkg, path, true);
  }

  nodeFor(creation: ts.Node, framework: Framework, role: RouterNode['role']): RouterNode {
    const file = this.modules.fileFor(creation);
    const key = `${file.path}@${creation.pos}`;
    const existing = this.byCreation.get(key);
    if (existing) return existing;
    const node = this.makeNode(
      key,
      file,
      creation,
      variableName(creation) ?? `${framework}@${lineOf(file, creation)}`,
      framework,
      role,
    );
    adapterOf(framework).created?.(this, node, creation);
    return node;
  }

  derived(call: ts.CallExpression, parent: RouterNode, prefix: StringValue): RouterNode {
    const file = this.modules.fileFor(call);
    const key = `${file.path}@${call.pos}:${parent.id}`;
    const existing = this.byCreation.get(key);
    if (existing) return existing;
    const node = this.makeNode(key, file, call, variableName(call) ?? parent.name, parent.framework, parent.role);
    node.derivedFrom = parent;
    this.mount(parent, node, prefix, origin(file, call));
    return node;
  }

  routeHandle(call: ts.CallExpression, parent: RouterNode): RouterNode {
    const file = this.modules.fileFor(call);
    const key = `${file.path}@${call.pos}:${parent.id}`;
    const existing = this.byCreation.get(key);
    if (existing) return existing;
    const node = this.makeNode(key, file, call, `${parent.name}.route`, parent.framework, 'handle');
    this.mount(parent, node, this.evaluator.stringOrText(call.arguments[0]!), origin(file, call));
    return node;
  }

  existingNode(key: string): RouterNode | undefined {
    return this.byCreation.get(key);
  }

  makeNode(
    key: string,
    file: CodeFile,
    at: ts.Node,
    name: string,
    framework: Framework,
    role: RouterNode['role'],
  ): RouterNode {
    let id = `${file.path}#${name}`;
    for (let n = 2; this.usedIds.has(id); n++) id = `${file.path}#${name}~${n}`;
    this.usedIds.add(id);
    const node: RouterNode = {
      id,
      name,
      framework,
      role,
      file,
      origin: origin(file, at),
      creation: at,
      routes: [],
      mounts: [],
      mounted: false,
      packages: new Set(),
      middleware: [],
      rateLimiters: new Set(),
      served: false,
    };
    this.byCreation.set(key, node);
    this.nodes.push(node);
    return node;
  }

  /** A parameter used as a router whose callers are not visible: which framework, if its type or the file says so. */
  private frameworkHint(file: CodeFile, parameter: ts.ParameterDeclaration): Framework | undefined {
    const type = parameter.type?.getText() ?? '';
    for (const { framework, pattern, generic } of PARAMETER_TYPES) {
      if (pattern.test(type)) return generic ? (this.fileFramework(file) ?? framework) : framework;
    }
    return this.fileFramework(file);
  }

  private fileFramework(file: CodeFile): Framework | undefined {
    if (this.frameworkOfFile.has(file)) return this.frameworkOfFile.get(file);
    let found: Framework | undefined;
    for (const statement of file.tree.statements) {
      if (typescript.isImportDeclaration(statement) && typescript.isStringLiteral(statement.moduleSpecifier)) {
        found ??= FRAMEWORK_OF_PACKAGE.get(packageName(statement.moduleSpecifier.text));
      }
    }
    this.frameworkOfFile.set(file, found);
    return found;
  }

  /**
   * The apps a Next.js route handler export hands its requests to: `handle(app)` (hono/vercel,
   * hono/nextjs), `app.fetch`, `(req) => app.fetch(req)`. Empty for an ordinary handler.
   */
  appsHandedTo(expression: ts.Expression): RouterNode[] {
    let node = unwrap(expression);
    if ((typescript.isArrowFunction(node) || typescript.isFunctionExpression(node)) && !typescript.isBlock(node.body))
      node = unwrap(node.body as ts.Expression);
    if (typescript.isCallExpression(node) && typescript.isPropertyAccessExpression(unwrap(node.expression)))
      node = unwrap(node.expression);
    if (typescript.isPropertyAccessExpression(node) && node.name.text === 'fetch')
      return this.targets(node.expression).filter((n) => n.role === 'app');
    if (
      typescript.isCallExpression(node) &&
      typescript.isIdentifier(unwrap(node.expression)) &&
      isNextAdapter(this, node.expression)
    ) {
      return node.arguments.flatMap((arg) => servedThrough(this, arg)).filter((n) => n.role === 'app');
    }
    return [];
  }
}

// -----------------------------------------------------------------------------------------------

function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.getSourceFile() === container.getSourceFile() && node.pos >= container.pos && node.end <= container.end;
}
