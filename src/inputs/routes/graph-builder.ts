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
import { loadTsMorph } from '../code/ts-morph.js';
import type { Origin } from '../../model/finding.js';
import type { HttpMethod } from '../../model/http.js';
import { infrastructureKind, type InfrastructureKind } from '../../model/http-paths.js';
import type { CodeFile } from '../code/index.js';
import { Callables, classMemberValue } from './callables.js';
import { CallSites } from './call-sites.js';
import type { GraphContext, MethodRouteParts } from './frameworks/adapter.js';
import {
  ADAPTER_CHAINABLE,
  ADAPTER_VERBS,
  adapterOf,
  ADAPTERS,
  CONTEXT_SHARING_WRAPPERS,
  FACTORIES_BY_PACKAGE,
  FACTORY_CALLEES,
  FRAMEWORK_OF_PACKAGE,
  MOUNT_WRAPPERS,
  NEXT_HANDLER_MODULES,
  PARAMETER_TYPES,
  SERVING_CALLS,
  SERVING_READS,
} from './frameworks/index.js';
import { returnedExpressions } from './functions.js';
import { graphScope } from './graph-scope.js';
import type { Framework, RouteDecl, RouterNode } from './graph.js';
import type { Binding, Modules } from './modules.js';
import { lineOf, origin, variableName } from './origins.js';
import {
  EMPTY,
  HTTP_METHODS,
  querySchemasIn,
  readPaths,
  spreadArray,
  validatorSchemas,
  withOptOut,
} from './route-args.js';
import { RouteMiddleware } from './route-middleware.js';
import { type Evaluator, findProperty, packageName, unwrap, type StringValue } from './values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTsMorph().ts;

/** Paths a function mounted with `use` answers as a probe (see probeMount). */
const PROBE_KINDS = new Set<InfrastructureKind>(['liveness', 'readiness', 'metrics']);
/** Calls the scan collects and reads, by property name, in this order: routes, `use`, the adapters' verbs, serving. */
const VERBS = [...new Set([...HTTP_METHODS, 'use', ...ADAPTER_VERBS, 'register', 'listen'])];
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
  private readonly sites = new CallSites({ verbs: new Set(VERBS), factories: FACTORY_NAMES, reads: SERVING_READS });
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
    const scope = graphScope(this.modules, this.modules.code.files);
    const files = sources.filter((file) => scope.has(file));
    for (const file of files) this.sites.collect(file);
    for (const call of this.sites.factories) this.targets(call);
    for (const name of VERBS) for (const call of this.sites.ofVerb(name)) this.registration(call, name);
    for (const read of this.sites.reads) for (const node of this.targets(read.expression)) node.served = true;
    for (const name of SERVE_CALLS) {
      for (const call of this.sites.named(name)) {
        const toNext = this.isNextAdapter(call.expression);
        for (const arg of call.arguments) {
          for (const node of this.servedThrough(arg)) {
            node.served = true;
            if (toNext) node.handedToNext = true;
          }
        }
      }
    }
    for (const file of files) this.defaultExportServed(file);
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
      return [];
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
      return init ? this.targets(init) : [];
    }
    if (typescript.isIdentifier(object)) {
      const binding = this.modules.lookup(object);
      if (binding?.kind === 'module') {
        const exported = this.modules.exportOf(binding.file, name);
        return exported?.kind === 'value' ? this.targets(exported.node) : [];
      }
    }
    const literal = this.evaluator.objectLiteralOf(object);
    const value = literal ? findProperty(literal, name) : undefined;
    return value ? this.targets(value) : [];
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
    for (const call of this.sites.callsOf(fn, this.modules, (e) => this.functionsOf(e))) {
      const arg = call.arguments[binding.index];
      if (arg) out.push(...this.targets(arg));
    }
    if (out.length > 0) return out;
    const framework = this.frameworkHint(binding.file, binding.node);
    return framework && at ? [this.nodeFor(binding.node, framework, 'unresolved')] : [];
  }

  // ---------------------------------------------------------------------------------------------
  // Registrations

  private registration(call: ts.CallExpression, name: string): void {
    const callee = call.expression as ts.PropertyAccessExpression;
    const receivers = this.targets(callee.expression);
    if (receivers.length === 0) return;
    const file = this.modules.fileFor(call);
    for (const receiver of receivers) {
      const verb = adapterOf(receiver.framework).verbs?.[name];
      if (verb) verb(this, call, receiver, file);
      else if (name === 'use') this.use(call, receiver, file);
      else if (name === 'register')
        this.notePackages(receiver, call.arguments.slice(0, 1)); // a plugin, by its package
      else if (name === 'listen') receiver.served = true;
      else if (HTTP_METHODS.has(name))
        this.methodRoute(call, receiver, file, name === 'del' ? 'delete' : (name as HttpMethod | 'all'));
    }
  }

  private methodRoute(call: ts.CallExpression, receiver: RouterNode, file: CodeFile, method: HttpMethod | 'all'): void {
    const adapter = adapterOf(receiver.framework);
    if (!adapter.methodRoutes) return;
    const args = call.arguments;
    if (receiver.role === 'handle') {
      const at = origin(file, call);
      const guards = this.routeGuards(receiver, args.slice(0, -1));
      const roles = this.routeRoles(args.slice(0, -1), args[args.length - 1]);
      this.addRoute(receiver, {
        method,
        path: EMPTY,
        origin: at,
        pathOrigin: receiver.origin,
        file,
        ...this.handlerOf(args[args.length - 1]),
        ...guards,
        ...roles,
      });
      return;
    }
    if (args.length < 2) return; // app.get('setting') reads a setting
    if (method === 'all' && !adapter.allMethodsRoute) return;
    const parts = (adapter.methodRouteParts ?? plainRouteParts)(this, args);
    const guards = withOptOut(this.routeGuards(receiver, parts.middleware), parts.optOut);
    const roles = this.routeRoles(parts.middleware, parts.handler);
    for (const path of readPaths(this.evaluator, args[0]!)) {
      this.addRoute(receiver, {
        method,
        path,
        origin: origin(file, call),
        file,
        ...this.handlerOf(parts.handler),
        querySchemas: parts.querySchemas,
        ...guards,
        ...roles,
        ...parts.hidden,
      });
    }
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
      return {};
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

  private use(call: ts.CallExpression, receiver: RouterNode, file: CodeFile): void {
    if (!adapterOf(receiver.framework).useMounts) {
      // Hono `use('/api/*', jwt(…))`, Fastify (middie) `use('/x', mw)`: middleware only, never a mount.
      const args = [...call.arguments];
      const scope =
        args.length >= 2 && this.evaluator.string(args[0]!) ? this.evaluator.stringOrText(args.shift()!) : EMPTY;
      this.notePackages(receiver, args);
      for (const arg of args) this.addMiddleware(receiver, arg, [scope], file);
      return;
    }
    const args = [...call.arguments];
    let prefixes: StringValue[] = [EMPTY];
    const first = args[0];
    if (first && args.length >= 2 && this.isMountPath(first)) {
      prefixes = readPaths(this.evaluator, first);
      args.shift();
    }
    const last = args.at(-1);
    for (const arg of args.flatMap((a) => spreadArray(a))) {
      const wrapped = this.mountWrapper(arg);
      const children = this.targets(wrapped?.child ?? arg);
      // `app.use('/health', (req, res) => res.sendStatus(200))`: a function mounted at a probe's path answers
      // it for every method, as a route would (Express runs the last function given to `use` as the handler).
      if (children.length === 0 && arg === last) this.probeMount(call, receiver, file, prefixes, arg);
      for (const child of children) {
        if (child === receiver) continue;
        for (const prefix of prefixes) {
          const full = wrapped
            ? { value: `${prefix.value}/${wrapped.prefix.value}`, exact: prefix.exact && wrapped.prefix.exact }
            : prefix;
          this.mount(receiver, child, full, origin(file, call), arg.getStart());
        }
      }
      if (children.length === 0) {
        this.notePackages(receiver, [arg]);
        this.addMiddleware(receiver, arg, prefixes, file);
      }
    }
  }

  private probeMount(
    call: ts.CallExpression,
    receiver: RouterNode,
    file: CodeFile,
    prefixes: StringValue[],
    arg: ts.Expression,
  ): void {
    const probes = prefixes.filter(
      (prefix) => prefix.exact && PROBE_KINDS.has(infrastructureKind(prefix.value) ?? 'docs'),
    );
    if (probes.length === 0 || this.functionsOf(arg).length === 0) return;
    for (const path of probes)
      this.addRoute(receiver, { method: 'all', path, origin: origin(file, call), file, ...this.handlerOf(arg) });
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
  ): Pick<RouteDecl, 'signatureMiddleware' | 'delegatesTo' | 'pagingMiddleware' | 'scheduledMiddleware'> {
    return this.routeMiddleware.roles(middle, handler);
  }

  /**
   * Whether `use`'s first argument is a path: a string (or array) we can read, or an unreadable
   * value that is clearly not middleware (`process.env.PREFIX`, `config.api.prefix`, a `prefix` parameter).
   */
  private isMountPath(first: ts.Expression): boolean {
    const node = unwrap(first);
    if (this.evaluator.string(node) || typescript.isArrayLiteralExpression(node)) return true;
    if (this.targets(node).length > 0 || this.functionsOf(node).length > 0) return false;
    if (typescript.isPropertyAccessExpression(node) || typescript.isElementAccessExpression(node))
      return !/Router|router|routes|middleware/.test(node.getText());
    if (typescript.isIdentifier(node)) return /prefix|path|base|url|mount/i.test(node.text);
    return false;
  }

  /** A package call that mounts a child with an optional prefix: koa-mount's `mount('/v1', app)`. */
  private mountWrapper(expression: ts.Expression): { prefix: StringValue; child: ts.Expression } | undefined {
    const node = unwrap(expression);
    if (!typescript.isCallExpression(node)) return undefined;
    const ref = this.evaluator.externalRef(node.expression);
    if (!ref || !MOUNT_WRAPPERS.has(ref.module)) return undefined;
    const [a, b] = node.arguments;
    if (a && b) return { prefix: this.evaluator.stringOrText(a), child: b };
    if (a) return { prefix: EMPTY, child: a };
    return undefined;
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

  private nodeFor(creation: ts.Node, framework: Framework, role: RouterNode['role']): RouterNode {
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
    for (const statement of file.sourceFile.compilerNode.statements) {
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
      this.isNextAdapter(node.expression)
    ) {
      return node.arguments.flatMap((arg) => this.servedThrough(arg)).filter((n) => n.role === 'app');
    }
    return [];
  }

  /** A function imported from an adapter module that turns an app into a Next.js route handler (`handle` from hono/vercel). */
  private isNextAdapter(callee: ts.Expression): boolean {
    const node = unwrap(callee);
    if (!typescript.isIdentifier(node)) return false;
    const binding = this.modules.lookup(node);
    return binding?.kind === 'external' && NEXT_HANDLER_MODULES.has(binding.module);
  }

  /** `serve({ fetch: app.fetch })`, `handle(app)`: the apps an argument serves. */
  private servedThrough(arg: ts.Expression): RouterNode[] {
    const node = unwrap(arg);
    if (typescript.isObjectLiteralExpression(node)) {
      const fetch = findProperty(node, 'fetch');
      return fetch && typescript.isPropertyAccessExpression(unwrap(fetch))
        ? this.targets((unwrap(fetch) as ts.PropertyAccessExpression).expression)
        : [];
    }
    return this.targets(node);
  }

  private defaultExportServed(file: CodeFile): void {
    const binding = this.modules.exportOf(file, 'default');
    if (binding?.kind !== 'value') return;
    const value = unwrap(binding.node);
    if (typescript.isObjectLiteralExpression(value)) {
      for (const node of this.servedThrough(value)) node.served = true;
      return;
    }
    // `export default app` of an entry file; a sub-router exported by default is mounted elsewhere.
    for (const node of this.targets(value)) if (node.role === 'app') node.served = true;
  }
}

// -----------------------------------------------------------------------------------------------

/** `(path, ...middleware, handler)`, the handler possibly an object literal holding query schemas. */
function plainRouteParts(graph: GraphContext, args: readonly ts.Expression[]): MethodRouteParts {
  const handler = args[args.length - 1];
  const last = handler ? graph.evaluator.objectLiteralOf(handler) : undefined;
  return {
    handler,
    middleware: args.slice(1, -1),
    querySchemas: [...querySchemasIn(last), ...validatorSchemas(args.slice(1, -1))],
    hidden: {},
  };
}

function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.getSourceFile() === container.getSourceFile() && node.pos >= container.pos && node.end <= container.end;
}
