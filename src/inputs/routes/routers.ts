/**
 * Express, Fastify, Hono and Koa: find every application and router instance, the routes
 * registered on it and where it is mounted, following values across functions and files
 * (a router created in one file and mounted in another, a Fastify plugin registered with a
 * prefix, an app passed to `registerRoutes(app)`). Nest applications are found here too
 * (NestFactory.create), so `setGlobalPrefix` / `enableVersioning` calls reach them.
 */
import { posix } from 'node:path';
import type { ts } from 'ts-morph';
import { loadTsMorph } from '../code/ts-morph.js';
import type { Origin } from '../../model/finding.js';
import type { HttpMethod } from '../../model/http.js';
import type { CodeFile } from '../code/index.js';
import type { Framework, RouteDecl, RouterNode } from './graph.js';
import { HandlerRoles } from './handler-roles.js';
import { HandlerAnswers } from './handler-answers.js';
import { MiddlewareClassifier, publicFlag, type MiddlewareInfo } from './middleware.js';
import type { Binding, Modules } from './modules.js';
import { requireSpecifier } from './modules.js';
import { Evaluator, findProperty, packageName, unwrap, type StringValue } from './values.js';
import { returnedExpressions } from './functions.js';

export { returnedExpressions } from './functions.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTsMorph().ts;

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all', 'del']);
/** Method names whose call returns the receiver itself (chaining). */
const CHAINABLE = new Set([...HTTP_METHODS, 'use', 'on', 'route', 'openapi', 'doc', 'doc31', 'prefix', 'param', 'register', 'addHook', 'decorate', 'setErrorHandler']);
/** Calls the scan collects, by property name. */
const INTERESTING = new Set([...HTTP_METHODS, 'use', 'route', 'register', 'on', 'openapi', 'doc', 'doc31', 'prefix', 'listen', 'close', 'setGlobalPrefix', 'enableVersioning', 'useGlobalGuards', 'addHook']);
/** Fastify hooks and route options that run before the handler (where `fastify.authenticate` goes). */
const FASTIFY_PRE_HANDLER = new Set(['onRequest', 'preParsing', 'preValidation', 'preHandler']);
const FACTORY_NAMES = new Set(['express', 'Router', 'fastify', 'Fastify', 'Hono', 'OpenAPIHono', 'Koa', 'create', 'createApp']);
const SERVE_CALLS = new Set(['serve', 'handle', 'createServer', 'showRoutes', 'createAdaptorServer']);
const EMPTY: StringValue = { value: '', exact: true };
/** A middleware named for paging: `koaPagination`, `paginate`, `withPagination`, `paginationMiddleware`. */
const PAGING_MIDDLEWARE = /^[\w.]*paginat\w*$/i;

const FRAMEWORK_PACKAGES: Record<string, Framework> = {
  express: 'express',
  fastify: 'fastify',
  hono: 'hono',
  '@hono/zod-openapi': 'hono',
  koa: 'koa',
  '@koa/router': 'koa',
  'koa-router': 'koa',
};

interface PluginRef {
  fn: ts.FunctionLikeDeclaration;
  /** Wrapped in fastify-plugin: registered into the parent context, prefix ignored. */
  skipOverride: boolean;
}

interface PluginUse {
  call: ts.CallExpression;
  /** Receiver expression of `.register`. */
  receiver: ts.Expression;
  prefix: StringValue;
  skipOverride: boolean;
}

export interface NestAppConfig {
  node: RouterNode;
  globalPrefix?: { value: StringValue; exclude: ts.Expression | undefined; origin: Origin };
  versioning?: ts.ObjectLiteralExpression;
  rootModule?: ts.Expression;
  /** `app.useGlobalGuards(…)` arguments. */
  globalGuards: ts.Expression[];
}

export class RouterExtractor {
  readonly nodes: RouterNode[] = [];
  readonly nestApps = new Map<RouterNode, NestAppConfig>();
  private readonly byCreation = new Map<string, RouterNode>();
  private readonly targetsMemo = new Map<ts.Node, RouterNode[]>();
  private readonly callsByName = new Map<string, ts.CallExpression[]>();
  private readonly identifierCalls = new Map<string, ts.CallExpression[]>();
  /** `x.name(…)` calls by property name, for calls through a namespace import (`plugins.registerAuth(app)`). */
  private readonly memberCalls = new Map<string, ts.CallExpression[]>();
  private readonly factories: Array<ts.CallExpression | ts.NewExpression> = [];
  private readonly propertyReads: ts.PropertyAccessExpression[] = [];
  /** `app = express()` with no declaration (an implicit global) or `let app; … app = express()`: values by file and name. */
  private readonly assignments = new Map<string, ts.Expression[]>();
  private pluginIndex?: Map<ts.Node, PluginUse[]>;
  private readonly usedIds = new Set<string>();
  private readonly frameworkOfFile = new Map<CodeFile, Framework | undefined>();
  readonly middleware: MiddlewareClassifier;
  readonly roles: HandlerRoles;
  readonly answers: HandlerAnswers;

  constructor(
    private readonly modules: Modules,
    private readonly evaluator: Evaluator,
  ) {
    this.middleware = new MiddlewareClassifier(modules, evaluator, (e) => this.functionsOf(e));
    this.roles = new HandlerRoles(modules, evaluator, (e) => this.functionsOf(e));
    this.answers = new HandlerAnswers((e) => this.functionsOf(e));
  }

  /** Webhook-signature middleware in a route's own list, and a handler that is a package's request handler. */
  private routeRoles(middle: readonly ts.Expression[], handler: ts.Expression | undefined): Pick<RouteDecl, 'signatureMiddleware' | 'delegatesTo' | 'pagingMiddleware' | 'scheduledMiddleware'> {
    const own = middle.flatMap((m) => spreadArray(m));
    const signature = own.some((m) => this.roles.middlewareVerifies(m));
    const delegatesTo = handler ? this.roles.delegatesToExpression(handler) : undefined;
    // `router.get('/roles', koaPagination(), …)`: a middleware named for paging reads the page parameters and
    // sets the paging headers for the handler.
    const paging = own.map((m) => (typescript.isCallExpression(m) ? m.expression : m)).find((m) => PAGING_MIDDLEWARE.test(m.getText()));
    const scheduled = own.some((m) => this.answers.middlewareScheduled(m));
    return {
      ...(signature ? { signatureMiddleware: true } : {}),
      ...(delegatesTo ? { delegatesTo } : {}),
      ...(paging ? { pagingMiddleware: paging.getText() } : {}),
      ...(scheduled ? { scheduledMiddleware: true } : {}),
    };
  }

  run(files: readonly CodeFile[]): void {
    for (const file of files) this.collect(file);
    for (const call of this.factories) this.targets(call);
    for (const name of INTERESTING) for (const call of this.callsByName.get(name) ?? []) this.registration(call, name);
    for (const read of this.propertyReads) for (const node of this.targets(read.expression)) node.served = true;
    for (const name of SERVE_CALLS) {
      for (const call of this.identifierCalls.get(name) ?? []) {
        const toNext = name === 'handle' && this.isNextAdapter(call.expression);
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

  /** One walk per file: the calls, factories and property reads the analysis may need. */
  private collect(file: CodeFile): void {
    const visit = (node: ts.Node): void => {
      if (typescript.isCallExpression(node)) {
        const callee = node.expression;
        if (typescript.isPropertyAccessExpression(callee)) {
          const name = callee.name.text;
          if (INTERESTING.has(name)) push(this.callsByName, name, node);
          push(this.memberCalls, name, node);
          if (FACTORY_NAMES.has(name)) this.factories.push(node);
        } else if (typescript.isIdentifier(callee)) {
          push(this.identifierCalls, callee.text, node);
          if (FACTORY_NAMES.has(callee.text)) this.factories.push(node);
        }
      } else if (typescript.isNewExpression(node)) {
        const callee = node.expression;
        const name = typescript.isIdentifier(callee) ? callee.text : typescript.isPropertyAccessExpression(callee) ? callee.name.text : '';
        if (FACTORY_NAMES.has(name) || name === 'Router') this.factories.push(node);
      } else if (typescript.isPropertyAccessExpression(node) && (node.name.text === 'fetch' || node.name.text === 'fire')) {
        this.propertyReads.push(node);
      } else if (typescript.isBinaryExpression(node) && node.operatorToken.kind === typescript.SyntaxKind.EqualsToken && typescript.isIdentifier(node.left)) {
        push(this.assignments, `${file.path}#${node.left.text}`, node.right);
      }
      typescript.forEachChild(node, visit);
    };
    visit(file.sourceFile.compilerNode);
  }

  // ---------------------------------------------------------------------------------------------
  // What an expression is, as routers

  /** The router nodes an expression can be (several when a function is called with different apps). */
  targets(expression: ts.Expression): RouterNode[] {
    const memo = this.targetsMemo.get(expression);
    if (memo) return memo;
    this.targetsMemo.set(expression, []); // cycle guard
    const result = dedupe(this.computeTargets(expression));
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
      return (this.assignments.get(`${this.modules.fileFor(node).path}#${node.text}`) ?? []).flatMap((value) => this.targets(value));
    }
    if (typescript.isPropertyAccessExpression(node)) return this.memberTargets(node);
    if (typescript.isConditionalExpression(node)) return [...this.targets(node.whenTrue), ...this.targets(node.whenFalse)];
    // An array of routers (`return [apiRouter, adminRouter]`), iterated where they are mounted.
    if (typescript.isArrayLiteralExpression(node)) return node.elements.flatMap((e) => this.targets(typescript.isSpreadElement(e) ? e.expression : e));
    return [];
  }

  private callTargets(call: ts.CallExpression): RouterNode[] {
    const callee = call.expression;
    if (typescript.isPropertyAccessExpression(callee)) {
      const name = callee.name.text;
      const receivers = this.targets(callee.expression);
      if (receivers.length > 0) {
        if (name === 'basePath') return receivers.map((r) => this.derived(call, r, this.evaluator.stringOrText(call.arguments[0] ?? callee)));
        if (name === 'route' && call.arguments.length === 1) {
          return receivers.filter((r) => r.framework === 'express').map((r) => this.routeHandle(call, r));
        }
        if (name === 'routes' || name === 'middleware' || name === 'allowedMethods') return name === 'allowedMethods' ? [] : receivers;
        if (CHAINABLE.has(name)) return receivers;
        return [];
      }
      if (name === 'create' && this.isNestFactory(callee.expression)) return [this.nodeFor(call, 'nestjs', 'app')];
    }
    // A project function that returns a router: targets of what it returns. A router the function
    // creates itself is a new instance per call site (createRouter() called by every feature).
    const fns = this.functionsOf(callee);
    return fns.flatMap((fn) =>
      returnedExpressions(fn).flatMap((e) => this.targets(e).map((node) => (isInside(node.creation, fn) ? this.instanceAt(call, node) : node))),
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
    const cls = this.classOf(object);
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

  /** The class an expression is an instance of: `this` inside a class, `new C()`, a variable holding one. */
  private classOf(expression: ts.Expression, depth = 0): ts.ClassLikeDeclaration | undefined {
    if (depth > 5) return undefined;
    const node = unwrap(expression);
    if (node.kind === typescript.SyntaxKind.ThisKeyword) {
      for (let p: ts.Node | undefined = node.parent; p; p = p.parent) if (typescript.isClassLike(p)) return p;
      return undefined;
    }
    if (typescript.isNewExpression(node)) {
      const binding = typescript.isIdentifier(node.expression) ? this.modules.lookup(node.expression) : undefined;
      return binding?.kind === 'class' ? binding.node : undefined;
    }
    if (typescript.isIdentifier(node)) {
      const binding = this.modules.lookup(node);
      if (binding?.kind === 'value') return this.classOf(binding.node, depth + 1);
      // A class itself: its static members (`UserController.list`).
      if (binding?.kind === 'class') return binding.node;
    }
    return undefined;
  }

  private parameterTargets(binding: Extract<Binding, { kind: 'param' }>, at: ts.Identifier): RouterNode[] {
    const fn = binding.fn as ts.FunctionLikeDeclaration;
    const out: RouterNode[] = [];
    // Registered as a Fastify plugin: the parameter is the plugin's own context.
    if (binding.index === 0) {
      for (const use of this.pluginUses(fn)) {
        for (const receiver of this.targets(use.receiver)) out.push(use.skipOverride ? receiver : this.pluginContext(use, fn, receiver));
      }
    }
    // A promise's callback: NestFactory.create(AppModule).then((app) => …)
    const parent = fn.parent;
    if (binding.index === 0 && typescript.isCallExpression(parent) && parent.arguments[0] === fn && typescript.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === 'then') {
      out.push(...this.targets(parent.expression.expression));
    }
    // Called directly: routes(app), registerRoutes(router, deps).
    for (const call of this.directCalls(fn)) {
      const arg = call.arguments[binding.index];
      if (arg) out.push(...this.targets(arg));
    }
    if (out.length > 0) return out;
    const framework = this.frameworkHint(binding.file, binding.node);
    return framework && at ? [this.nodeFor(binding.node, framework, 'unresolved')] : [];
  }

  /** Calls of a project function by any name it is known under (its own, an importer's). */
  private directCalls(fn: ts.FunctionLikeDeclaration): ts.CallExpression[] {
    const file = this.modules.fileFor(fn);
    const names = new Set<string>();
    const holder = functionHolder(fn);
    if (holder.name) names.add(holder.name);
    const calls: ts.CallExpression[] = [];
    const consider = (call: ts.CallExpression) => {
      if (this.functionsOf(call.expression).some((candidate) => candidate === fn)) calls.push(call);
    };
    for (const name of names) for (const call of this.identifierCalls.get(name) ?? []) if (this.modules.fileFor(call) === file) consider(call);
    // Importers of the file, and of barrel files that re-export it (two levels: `plugins/index.ts`).
    const sources = [file.path];
    for (const barrel of this.modules.reexportersOf(file.path)) {
      sources.push(barrel.path);
      for (const outer of this.modules.reexportersOf(barrel.path)) sources.push(outer.path);
    }
    for (const source of new Set(sources)) {
      for (const importer of this.modules.importersOf(source)) {
        if (importer.imported === '*') {
          // `import * as plugins from './plugins'` → `plugins.registerJwtAuth(app)`.
          for (const call of this.namespaceCalls(importer.file, importer.local, names)) consider(call);
          continue;
        }
        for (const call of this.identifierCalls.get(importer.local) ?? []) if (this.modules.fileFor(call) === importer.file) consider(call);
      }
    }
    return [...new Set(calls)];
  }

  /** `ns.name(…)` calls in a file where `ns` is a namespace import. */
  private namespaceCalls(file: CodeFile, namespace: string, names: Set<string>): ts.CallExpression[] {
    const out: ts.CallExpression[] = [];
    for (const name of names) {
      for (const call of this.memberCalls.get(name) ?? []) {
        const receiver = (call.expression as ts.PropertyAccessExpression).expression;
        if (typescript.isIdentifier(receiver) && receiver.text === namespace && this.modules.fileFor(call) === file) out.push(call);
      }
    }
    return out;
  }

  /** Project functions an expression can call: declarations, arrow functions, imports, fp()/wrappers. */
  functionsOf(expression: ts.Expression, depth = 0): ts.FunctionLikeDeclaration[] {
    return this.pluginRefs(expression, depth).map((ref) => ref.fn);
  }

  private pluginRefs(expression: ts.Expression, depth = 0): PluginRef[] {
    if (depth > 8) return [];
    const node = unwrap(expression);
    if (typescript.isArrowFunction(node) || typescript.isFunctionExpression(node)) return [{ fn: node, skipOverride: false }];
    if (typescript.isIdentifier(node)) return this.bindingPluginRefs(this.modules.lookup(node), depth);
    if (typescript.isCallExpression(node)) {
      const spec = requireSpecifier(node);
      if (spec !== undefined) return this.moduleDefaultRefs(node, spec, depth);
      const ref = this.evaluator.externalRef(node.expression);
      if (ref?.module === 'fastify-plugin' && node.arguments[0]) {
        return this.pluginRefs(node.arguments[0], depth + 1).map((r) => ({ ...r, skipOverride: true }));
      }
      if (ref) return [];
      // A project factory that builds the plugin: `register(metrics({ enabledEndpoint }))` registers what it returns.
      return this.pluginRefs(node.expression, depth + 1).flatMap((factory) =>
        returnedExpressions(factory.fn).flatMap((e) => this.pluginRefs(e, depth + 1)),
      );
    }
    if (typescript.isPropertyAccessExpression(node)) {
      if (node.name.text === 'default') {
        const spec = requireSpecifier(node);
        if (spec !== undefined) return this.moduleDefaultRefs(node, spec, depth);
      }
      const object = unwrap(node.expression);
      if (typescript.isIdentifier(object)) {
        const binding = this.modules.lookup(object);
        if (binding?.kind === 'module') return this.bindingPluginRefs(this.modules.exportOf(binding.file, node.name.text), depth);
        // `const renders = require('./renders')` with `module.exports = { confirmUserDelete }`, or a local
        // `const handlers = { list, show }`: the member is the object's property.
        const value = binding?.kind === 'value' ? unwrap(binding.node) : undefined;
        if (value && typescript.isObjectLiteralExpression(value)) {
          const member = findProperty(value, node.name.text);
          if (member) return this.pluginRefs(member, depth + 1);
        }
      }
      const cls = this.classOf(object);
      const member = cls ? classMethod(cls, node.name.text) : undefined;
      if (member) return [{ fn: member, skipOverride: false }];
    }
    return [];
  }

  private moduleDefaultRefs(at: ts.Node, spec: string, depth: number): PluginRef[] {
    const target = this.modules.resolveModule(this.modules.fileFor(at).path, spec);
    const file = target ? this.modules.code.get(target) : undefined;
    return file ? this.bindingPluginRefs(this.modules.exportOf(file, 'default'), depth) : [];
  }

  private bindingPluginRefs(binding: Binding | undefined, depth: number): PluginRef[] {
    if (!binding) return [];
    if (binding.kind === 'function') return [{ fn: binding.node, skipOverride: false }];
    if (binding.kind === 'value') return this.pluginRefs(binding.node, depth + 1);
    return [];
  }

  // ---------------------------------------------------------------------------------------------
  // Fastify plugins

  /** Every `register(fn, opts)` (and @fastify/autoload folder) that registers this function. */
  private pluginUses(fn: ts.FunctionLikeDeclaration): PluginUse[] {
    if (!this.pluginIndex) this.pluginIndex = this.buildPluginIndex();
    return this.pluginIndex.get(fn) ?? [];
  }

  private buildPluginIndex(): Map<ts.Node, PluginUse[]> {
    const index = new Map<ts.Node, PluginUse[]>();
    for (const call of this.callsByName.get('register') ?? []) {
      const callee = call.expression as ts.PropertyAccessExpression;
      const plugin = call.arguments[0];
      if (!plugin) continue;
      const options = call.arguments[1] ? this.evaluator.objectLiteralOf(call.arguments[1]) : undefined;
      const prefixNode = options ? findProperty(options, 'prefix') : undefined;
      const prefix = prefixNode ? this.evaluator.stringOrText(prefixNode) : EMPTY;
      const ref = this.evaluator.externalRef(plugin);
      if (ref && packageName(ref.module) === '@fastify/autoload' && options) {
        for (const use of this.autoloadUses(call, callee.expression, options)) push(index, use.fn, use.use);
        continue;
      }
      for (const r of this.pluginRefs(plugin)) {
        push(index, r.fn, { call, receiver: callee.expression, prefix, skipOverride: r.skipOverride });
      }
    }
    return index;
  }

  /** @fastify/autoload: every file under `dir` is a plugin, prefixed by its folder path (and options.prefix). */
  private autoloadUses(call: ts.CallExpression, receiver: ts.Expression, options: ts.ObjectLiteralExpression): Array<{ fn: ts.Node; use: PluginUse }> {
    const dirNode = findProperty(options, 'dir');
    const dir = dirNode ? this.folderOf(call, dirNode) : undefined;
    if (dir === undefined) return [];
    const nested = findProperty(options, 'options');
    const nestedOptions = nested ? this.evaluator.objectLiteralOf(nested) : undefined;
    const prefixNode = nestedOptions ? findProperty(nestedOptions, 'prefix') : undefined;
    const base = prefixNode ? this.evaluator.stringOrText(prefixNode) : EMPTY;
    const out: Array<{ fn: ts.Node; use: PluginUse }> = [];
    const dirNamePrefix = findProperty(options, 'dirNameRoutePrefix');
    const folderPrefixes = !dirNamePrefix || unwrap(dirNamePrefix).kind !== typescript.SyntaxKind.FalseKeyword;
    for (const file of this.modules.code.files) {
      if (!file.path.startsWith(`${dir}/`) || /\.d\.ts$|\.(test|spec)\.[cm]?[jt]sx?$/.test(file.path)) continue;
      const folder = folderPrefixes ? posix.dirname(file.path.slice(dir.length + 1)) : '.';
      const prefix = { value: `${base.value}/${folder === '.' ? '' : folder}`, exact: base.exact };
      for (const r of this.bindingPluginRefs(this.modules.exportOf(file, 'default'), 0)) {
        out.push({ fn: r.fn, use: { call, receiver, prefix: r.skipOverride ? base : prefix, skipOverride: r.skipOverride } });
      }
    }
    return out;
  }

  /**
   * Package plugins an @fastify/autoload folder registers: a file whose default export is the package's plugin
   * (`export default fastifyRateLimit`, `export default fp(fastifyUnderPressure, {…})`) registers that package.
   */
  private autoloadedPackages(call: ts.CallExpression): string[] {
    const options = call.arguments[1] ? this.evaluator.objectLiteralOf(call.arguments[1]) : undefined;
    const dirNode = options ? findProperty(options, 'dir') : undefined;
    const dir = dirNode ? this.folderOf(call, dirNode) : undefined;
    if (dir === undefined) return [];
    const out: string[] = [];
    for (const file of this.modules.code.files) {
      if (!file.path.startsWith(`${dir}/`)) continue;
      const binding = this.modules.exportOf(file, 'default');
      if (binding?.kind !== 'value') continue;
      let plugin = unwrap(binding.node as ts.Expression);
      // fastify-plugin's wrapper: fp(plugin, meta).
      if (typescript.isCallExpression(plugin) && plugin.arguments[0] && this.evaluator.externalRef(plugin.expression)?.module === 'fastify-plugin') plugin = unwrap(plugin.arguments[0]);
      const ref = this.evaluator.externalRef(plugin);
      if (ref) out.push(packageName(ref.module));
    }
    return out;
  }

  /** `join(__dirname, 'routes')`, `path.join(import.meta.dirname, 'routes')`: the folder, as a report path. */
  private folderOf(at: ts.Node, expression: ts.Expression): string | undefined {
    const node = unwrap(expression);
    const parts: string[] = [];
    if (typescript.isCallExpression(node)) {
      for (const arg of node.arguments) {
        const value = this.evaluator.string(arg);
        if (value?.exact) parts.push(value.value);
      }
    } else {
      const value = this.evaluator.string(node);
      if (value?.exact) parts.push(value.value.replace(/^\.\//, ''));
    }
    if (parts.length === 0) return undefined;
    return posix.join(posix.dirname(this.modules.fileFor(at).path), ...parts);
  }

  private pluginContext(use: PluginUse, fn: ts.FunctionLikeDeclaration, receiver: RouterNode): RouterNode {
    const key = `ctx:${use.call.pos}:${this.modules.fileFor(use.call).path}:${fn.pos}:${this.modules.fileFor(fn).path}:${receiver.id}`;
    const existing = this.byCreation.get(key);
    if (existing) return existing;
    const file = this.modules.fileFor(fn);
    const holder = functionHolder(fn);
    const node = this.makeNode(key, file, fn, holder.name ?? posix.basename(file.path).replace(/\.[^.]+$/, ''), 'fastify', 'context');
    this.mount(receiver, node, use.prefix, origin(this.modules.fileFor(use.call), use.call));
    return node;
  }

  // ---------------------------------------------------------------------------------------------
  // Registrations

  private registration(call: ts.CallExpression, name: string): void {
    const callee = call.expression as ts.PropertyAccessExpression;
    const receivers = this.targets(callee.expression);
    if (receivers.length === 0) return;
    const file = this.modules.fileFor(call);
    for (const receiver of receivers) {
      switch (name) {
        case 'use':
          this.use(call, receiver, file);
          break;
        case 'route':
          if (receiver.framework === 'hono' && call.arguments.length >= 2) this.honoRoute(call, receiver, file);
          else if (receiver.framework === 'fastify' && call.arguments.length === 1) this.fastifyRoute(call, receiver, file);
          break;
        case 'register':
          this.register(call, receiver);
          break;
        case 'on':
          if (receiver.framework === 'hono' && call.arguments.length >= 3) this.honoOn(call, receiver, file);
          break;
        case 'openapi':
          if (receiver.framework === 'hono') this.honoOpenapi(call, receiver, file);
          break;
        case 'doc':
        case 'doc31':
          // @hono/zod-openapi serves the generated description: app.doc('/openapi.json', config)
          if (receiver.framework === 'hono' && call.arguments[0]) {
            this.addRoute(receiver, { method: 'get', path: this.evaluator.stringOrText(call.arguments[0]), origin: origin(file, call), file });
          }
          break;
        case 'prefix':
          if (receiver.framework === 'koa' && receiver.role === 'router' && call.arguments[0]) receiver.ownPrefix = this.evaluator.stringOrText(call.arguments[0]);
          break;
        case 'listen':
          receiver.served = true;
          break;
        case 'close':
          // `const configApp = await NestFactory.create(AppModule); …; await configApp.close()`: an instance made
          // to read configuration, never served. An app that is also served (listen) stays a service.
          if (receiver.framework === 'nestjs') receiver.closed = true;
          break;
        case 'setGlobalPrefix':
        case 'enableVersioning':
        case 'useGlobalGuards':
          this.nestConfig(call, receiver, name);
          break;
        case 'addHook':
          this.fastifyHook(call, receiver, file);
          break;
        default:
          this.methodRoute(call, receiver, file, name === 'del' ? 'delete' : (name as HttpMethod | 'all'));
      }
    }
  }

  private methodRoute(call: ts.CallExpression, receiver: RouterNode, file: CodeFile, method: HttpMethod | 'all'): void {
    if (receiver.framework === 'nestjs') return;
    const args = call.arguments;
    if (receiver.role === 'handle') {
      const at = origin(file, call);
      const guards = this.routeGuards(receiver, args.slice(0, -1));
      const roles = this.routeRoles(args.slice(0, -1), args[args.length - 1]);
      this.addRoute(receiver, { method, path: EMPTY, origin: at, pathOrigin: receiver.origin, file, ...this.handlerOf(args[args.length - 1]), ...guards, ...roles });
      return;
    }
    if (args.length < 2) return; // app.get('setting') reads a setting
    if (method === 'all' && receiver.framework === 'fastify') return;
    const options = receiver.framework === 'fastify' && args.length >= 3 ? this.evaluator.objectLiteralOf(args[1]!) : undefined;
    let handlerArg: ts.Expression | undefined = args[args.length - 1];
    const last = handlerArg ? this.evaluator.objectLiteralOf(handlerArg) : undefined;
    if (receiver.framework === 'fastify' && last) handlerArg = findProperty(last, 'handler');
    const querySchemas = [...querySchemasIn(options ?? last), ...validatorSchemas(args.slice(1, -1))];
    const middle = receiver.framework === 'fastify' ? this.fastifyOptionHooks(options ?? last) : args.slice(1, -1);
    const guards = withOptOut(this.routeGuards(receiver, middle), receiver.framework === 'fastify' ? this.publicRouteConfig(options ?? last) : undefined);
    const roles = this.routeRoles(middle, handlerArg);
    for (const path of this.paths(args[0]!)) {
      this.addRoute(receiver, { method, path, origin: origin(file, call), file, ...this.handlerOf(handlerArg), querySchemas, ...guards, ...roles, ...hiddenIn(receiver.framework === 'fastify' ? (options ?? last) : undefined) });
    }
  }

  /** A path argument: a string, an array of strings (Express/Hono), or a RegExp (kept as written, low confidence). */
  private paths(expression: ts.Expression): StringValue[] {
    const node = unwrap(expression);
    if (typescript.isArrayLiteralExpression(node)) return node.elements.map((e) => this.evaluator.stringOrText(e));
    return [this.evaluator.stringOrText(node)];
  }

  private handlerOf(expression: ts.Expression | undefined): { handler?: ts.FunctionLikeDeclaration } {
    if (!expression) return {};
    const node = unwrap(expression);
    // asyncHandler(fn), catchAsync(fn), controller.list.bind(controller)
    if (typescript.isCallExpression(node)) {
      if (typescript.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'bind') return this.handlerOf(node.expression.expression);
      for (const arg of node.arguments) {
        const inner = this.handlerOf(arg);
        if (inner.handler) return inner;
      }
      return {};
    }
    const fn = this.functionsOf(node)[0];
    return fn ? { handler: fn } : {};
  }

  private addRoute(node: RouterNode, route: RouteDecl): void {
    node.routes.push(route);
  }

  private use(call: ts.CallExpression, receiver: RouterNode, file: CodeFile): void {
    if (receiver.framework === 'hono' || receiver.framework === 'fastify') {
      // Hono `use('/api/*', jwt(…))`, Fastify (middie) `use('/x', mw)`: middleware only, never a mount.
      const args = [...call.arguments];
      const scope = args.length >= 2 && this.evaluator.string(args[0]!) ? this.evaluator.stringOrText(args.shift()!) : EMPTY;
      this.notePackages(receiver, args);
      for (const arg of args) this.addMiddleware(receiver, arg, [scope], file);
      return;
    }
    const args = [...call.arguments];
    let prefixes: StringValue[] = [EMPTY];
    const first = args[0];
    if (first && args.length >= 2 && this.isMountPath(first)) {
      prefixes = this.paths(first);
      args.shift();
    }
    for (const arg of args.flatMap((a) => spreadArray(a))) {
      const mountArgs = this.koaMount(arg);
      const children = this.targets(mountArgs?.child ?? arg);
      for (const child of children) {
        if (child === receiver) continue;
        for (const prefix of prefixes) {
          const full = mountArgs ? { value: `${prefix.value}/${mountArgs.prefix.value}`, exact: prefix.exact && mountArgs.prefix.exact } : prefix;
          this.mount(receiver, child, full, origin(file, call), arg.getStart());
        }
      }
      if (children.length === 0) {
        this.notePackages(receiver, [arg]);
        this.addMiddleware(receiver, arg, prefixes, file);
      }
    }
  }

  /** Records middleware on a node: ordered by where it is registered, except Fastify hooks (`ordered` false). */
  private addMiddleware(receiver: RouterNode, arg: ts.Expression, scopes: StringValue[], file: CodeFile, ordered = true): void {
    const scheduled = this.answers.middlewareScheduled(arg);
    for (const info of this.middleware.classify(arg)) {
      this.noteLimiter(receiver, info);
      // Optional auth lets anonymous requests through: it protects nothing.
      const kind = info.optional ? 'other' : info.kind;
      for (const scope of scopes) {
        receiver.middleware.push({ label: info.label, kind, scope, file: file.path, ...(ordered ? { order: arg.getStart() } : {}), ...(scheduled ? { scheduled } : {}) });
      }
    }
  }

  private noteLimiter(receiver: RouterNode, info: MiddlewareInfo): void {
    if (info.kind === 'rate-limit') receiver.rateLimiters.add(info.package ?? info.label);
  }

  /** The auth middleware in a route's own list (rate limiters there count for the node); optional auth marks the route public. */
  private routeGuards(receiver: RouterNode, middle: readonly ts.Expression[]): { guards?: string[]; optOut?: string; unknownMiddleware?: boolean } {
    const guards: string[] = [];
    let optOut: string | undefined;
    let unknown = false;
    let limiter: string | undefined;
    for (const arg of middle) {
      for (const info of this.middleware.classify(arg)) {
        this.noteLimiter(receiver, info);
        if (info.kind === 'rate-limit') limiter ??= info.label;
        if (info.kind === 'auth' && info.optional) optOut ??= info.label;
        else if (info.kind === 'auth') guards.push(info.label);
        else if (info.kind === 'unknown') unknown = true;
      }
    }
    // A rate limiter of its own and no auth: whoever wrote the route guarded it against anonymous abuse, so it
    // is public on purpose (anonymous telemetry, a public catalog), like an explicit opt-out.
    if (guards.length === 0 && !optOut && limiter) optOut = limiter;
    return { ...(guards.length > 0 ? { guards } : {}), ...(optOut ? { optOut } : {}), ...(unknown ? { unknownMiddleware: true } : {}) };
  }

  /**
   * Fastify route `config: { allowInvalidJwt: true }` (`allowAnonymous`, `public`, `skipAuth: true`,
   * `auth: false`): the route tells the project's auth hook to let anonymous requests through. That is
   * a decision (a public route), so the route is marked public rather than left unguarded.
   */
  private publicRouteConfig(options: ts.ObjectLiteralExpression | undefined): string | undefined {
    const configNode = options ? findProperty(options, 'config') : undefined;
    const config = configNode ? this.evaluator.objectLiteralOf(configNode) : undefined;
    const flag = config ? publicFlag(config) : undefined;
    return flag ? `config.${flag.replace(/: (true|false)$/, '')}` : undefined;
  }

  /** Fastify route options `onRequest` / `preHandler` / …: the route's own middleware. */
  private fastifyOptionHooks(options: ts.ObjectLiteralExpression | undefined): ts.Expression[] {
    if (!options) return [];
    return [...FASTIFY_PRE_HANDLER].flatMap((name) => {
      const value = findProperty(options, name);
      return value ? [value] : [];
    });
  }

  /** `fastify.addHook('onRequest', fastify.authenticate)`: every route of the context (and of the plugins it registers). */
  private fastifyHook(call: ts.CallExpression, receiver: RouterNode, file: CodeFile): void {
    const [name, hook] = call.arguments;
    if (receiver.framework !== 'fastify' || !name || !hook || !FASTIFY_PRE_HANDLER.has(this.evaluator.string(name)?.value ?? '')) return;
    this.addMiddleware(receiver, hook, [EMPTY], file, false);
  }

  /**
   * Whether `use`'s first argument is a path: a string (or array) we can read, or an unreadable
   * value that is clearly not middleware (`process.env.PREFIX`, `config.api.prefix`, a `prefix` parameter).
   */
  private isMountPath(first: ts.Expression): boolean {
    const node = unwrap(first);
    if (this.evaluator.string(node) || typescript.isArrayLiteralExpression(node)) return true;
    if (this.targets(node).length > 0 || this.functionsOf(node).length > 0) return false;
    if (typescript.isPropertyAccessExpression(node) || typescript.isElementAccessExpression(node)) return !/Router|router|routes|middleware/.test(node.getText());
    if (typescript.isIdentifier(node)) return /prefix|path|base|url|mount/i.test(node.text);
    return false;
  }

  /** koa-mount: `mount('/v1', app)` → the prefix and the mounted value. */
  private koaMount(expression: ts.Expression): { prefix: StringValue; child: ts.Expression } | undefined {
    const node = unwrap(expression);
    if (!typescript.isCallExpression(node)) return undefined;
    const ref = this.evaluator.externalRef(node.expression);
    if (!ref || ref.module !== 'koa-mount') return undefined;
    const [a, b] = node.arguments;
    if (a && b) return { prefix: this.evaluator.stringOrText(a), child: b };
    if (a) return { prefix: EMPTY, child: a };
    return undefined;
  }

  private register(call: ts.CallExpression, receiver: RouterNode): void {
    if (receiver.framework !== 'fastify') {
      this.notePackages(receiver, call.arguments.slice(0, 1));
      return;
    }
    const plugin = call.arguments[0];
    if (!plugin) return;
    const ref = this.evaluator.externalRef(plugin);
    if (ref) {
      receiver.packages.add(packageName(ref.module));
      if (packageName(ref.module) !== '@fastify/autoload') return;
      for (const pkg of this.autoloadedPackages(call)) receiver.packages.add(pkg);
    }
    // Contexts are created as their parameters are resolved; resolving the plugin's first
    // parameter here makes sure a plugin with no routes of its own still gets its context.
    if (!this.pluginIndex) this.pluginIndex = this.buildPluginIndex();
    for (const [fn, uses] of this.pluginIndex) {
      for (const use of uses) {
        if (use.call !== call) continue;
        const f = fn as ts.FunctionLikeDeclaration;
        if (!use.skipOverride) this.pluginContext(use, f, receiver);
      }
    }
  }

  private fastifyRoute(call: ts.CallExpression, receiver: RouterNode, file: CodeFile): void {
    const options = this.evaluator.objectLiteralOf(call.arguments[0]!);
    if (!options) return;
    const methodNode = findProperty(options, 'method');
    const urlNode = findProperty(options, 'url') ?? findProperty(options, 'path');
    if (!methodNode || !urlNode) return;
    const methods = this.methods(methodNode);
    const handler = findProperty(options, 'handler');
    const guards = withOptOut(this.routeGuards(receiver, this.fastifyOptionHooks(options)), this.publicRouteConfig(options));
    const roles = this.routeRoles(this.fastifyOptionHooks(options), handler);
    for (const { method, uncertain } of methods) {
      for (const path of this.paths(urlNode)) {
        this.addRoute(receiver, { method, path, origin: origin(file, call), file, querySchemas: querySchemasIn(options), ...this.handlerOf(handler), ...(uncertain ? { uncertain } : {}), ...guards, ...roles, ...hiddenIn(options) });
      }
    }
  }

  private honoOn(call: ts.CallExpression, receiver: RouterNode, file: CodeFile): void {
    const [methodNode, pathNode] = call.arguments;
    const handler = call.arguments[call.arguments.length - 1];
    for (const { method, uncertain } of this.methods(methodNode!)) {
      for (const path of this.paths(pathNode!)) {
        const querySchemas = validatorSchemas(call.arguments.slice(2, -1));
        const guards = this.routeGuards(receiver, call.arguments.slice(2, -1));
        const roles = this.routeRoles(call.arguments.slice(2, -1), handler);
        this.addRoute(receiver, { method, path, origin: origin(file, call), file, querySchemas, ...this.handlerOf(handler), ...(uncertain ? { uncertain } : {}), ...guards, ...roles });
      }
    }
  }

  private honoRoute(call: ts.CallExpression, receiver: RouterNode, file: CodeFile): void {
    const prefix = this.evaluator.stringOrText(call.arguments[0]!);
    for (const child of this.targets(call.arguments[1]!)) if (child !== receiver) this.mount(receiver, child, prefix, origin(file, call));
  }

  /** `app.openapi(createRoute({ method, path }), handler)` (@hono/zod-openapi). */
  private honoOpenapi(call: ts.CallExpression, receiver: RouterNode, file: CodeFile): void {
    const routeArg = call.arguments[0];
    if (!routeArg) return;
    const definition = this.evaluator.valueOf(routeArg);
    const config = typescript.isCallExpression(definition) && definition.arguments[0] ? this.evaluator.objectLiteralOf(definition.arguments[0]) : this.evaluator.objectLiteralOf(definition);
    if (!config) return;
    const methodNode = findProperty(config, 'method');
    const pathNode = findProperty(config, 'path');
    if (!methodNode || !pathNode) return;
    // createRoute({ middleware: [bearerAuth(…)] }) runs before the handler, like route middleware.
    const middlewareNode = findProperty(config, 'middleware');
    const guards = this.routeGuards(receiver, middlewareNode ? [middlewareNode] : []);
    const roles = this.routeRoles(middlewareNode ? [middlewareNode] : [], call.arguments[1]);
    for (const { method, uncertain } of this.methods(methodNode)) {
      this.addRoute(receiver, {
        ...guards,
        ...roles,
        method,
        path: this.evaluator.stringOrText(pathNode),
        origin: origin(file, call),
        file,
        querySchemas: querySchemasIn(config),
        ...this.handlerOf(call.arguments[1]),
        ...(uncertain ? { uncertain } : {}),
        ...hiddenIn(config),
      });
    }
  }

  private methods(expression: ts.Expression): Array<{ method: HttpMethod | 'all'; uncertain?: boolean }> {
    const node = unwrap(expression);
    const items = typescript.isArrayLiteralExpression(node) ? [...node.elements] : [node];
    return items.map((item) => {
      const value = this.evaluator.string(item);
      const method = value?.exact ? value.value.toLowerCase() : undefined;
      if (method && (HTTP_METHODS.has(method) || method === 'trace')) return { method: method === 'del' ? 'delete' : (method as HttpMethod | 'all') };
      return { method: 'all' as const, uncertain: true };
    });
  }

  private mount(parent: RouterNode, child: RouterNode, prefix: StringValue, at: Origin, order = at.range?.start ?? 0): void {
    if (parent.mounts.some((m) => m.child === child && m.prefix.value === prefix.value)) return;
    parent.mounts.push({ child, prefix, origin: at, order });
    child.mounted = true;
  }

  /** Packages passed as middleware / plugins (`promBundle(...)`, `require('fastify-metrics')`). */
  private notePackages(receiver: RouterNode, args: readonly ts.Expression[]): void {
    for (const arg of args) {
      // `promBundle()` in place, or `const metrics = promBundle()` / an import of such a value from another file.
      for (const node of new Set([unwrap(arg), this.evaluator.valueOf(arg)])) {
        const ref = this.evaluator.externalRef(typescript.isCallExpression(node) || typescript.isNewExpression(node) ? node.expression : node);
        if (ref) receiver.packages.add(packageName(ref.module));
      }
    }
  }

  private nestConfig(call: ts.CallExpression, receiver: RouterNode, name: string): void {
    if (receiver.framework !== 'nestjs') return;
    const config = this.nestApp(receiver);
    const [first, second] = call.arguments;
    if (name === 'setGlobalPrefix' && first) {
      const options = second ? this.evaluator.objectLiteralOf(second) : undefined;
      config.globalPrefix = { value: this.evaluator.stringOrText(first), exclude: options ? findProperty(options, 'exclude') : undefined, origin: origin(this.modules.fileFor(call), call) };
    } else if (name === 'enableVersioning') {
      config.versioning = (first && this.evaluator.objectLiteralOf(first)) || typescript.factory.createObjectLiteralExpression([]);
    } else if (name === 'useGlobalGuards') {
      config.globalGuards.push(...call.arguments);
    }
  }

  nestApp(node: RouterNode): NestAppConfig {
    let config = this.nestApps.get(node);
    if (!config) this.nestApps.set(node, (config = { node, globalGuards: [] }));
    return config;
  }

  // ---------------------------------------------------------------------------------------------
  // Nodes

  private factoryOf(node: ts.CallExpression | ts.NewExpression): { framework: Framework; role: RouterNode['role'] } | undefined {
    const ref = this.evaluator.externalRef(node.expression);
    if (!ref) return undefined;
    const pkg = packageName(ref.module);
    const path = ref.path.join('.');
    const isNew = typescript.isNewExpression(node);
    switch (pkg) {
      case 'express':
        if (path === '') return isNew ? undefined : { framework: 'express', role: 'app' };
        if (path === 'Router') return { framework: 'express', role: 'router' };
        return undefined;
      case 'fastify':
        return path === '' || path === 'fastify' || path === 'default' ? { framework: 'fastify', role: 'app' } : undefined;
      case 'hono':
      case '@hono/zod-openapi':
        return isNew && (path === 'Hono' || path === 'OpenAPIHono') ? { framework: 'hono', role: 'app' } : undefined;
      case 'koa':
        return path === '' || path === 'Koa' ? { framework: 'koa', role: 'app' } : undefined;
      case '@koa/router':
      case 'koa-router':
        return path === '' || path === 'Router' ? { framework: 'koa', role: 'router' } : undefined;
      case '@nestjs/core':
        return path === 'NestFactory.create' ? { framework: 'nestjs', role: 'app' } : undefined;
      default:
        return undefined;
    }
  }

  private isNestFactory(expression: ts.Expression): boolean {
    const ref = this.evaluator.externalRef(expression);
    return ref?.module === '@nestjs/core' && ref.path.join('.') === 'NestFactory';
  }

  private nodeFor(creation: ts.Node, framework: Framework, role: RouterNode['role']): RouterNode {
    const file = this.modules.fileFor(creation);
    const key = `${file.path}@${creation.pos}`;
    const existing = this.byCreation.get(key);
    if (existing) return existing;
    const node = this.makeNode(key, file, creation, variableName(creation) ?? `${framework}@${lineOf(file, creation)}`, framework, role);
    if (framework === 'nestjs' && typescript.isCallExpression(creation)) this.nestApp(node).rootModule = creation.arguments[0];
    if (framework === 'koa' && role === 'router' && (typescript.isNewExpression(creation) || typescript.isCallExpression(creation))) {
      const options = creation.arguments?.[0] ? this.evaluator.objectLiteralOf(creation.arguments[0]) : undefined;
      const prefix = options ? findProperty(options, 'prefix') : undefined;
      if (prefix) node.ownPrefix = this.evaluator.stringOrText(prefix);
    }
    return node;
  }

  private derived(call: ts.CallExpression, parent: RouterNode, prefix: StringValue): RouterNode {
    const file = this.modules.fileFor(call);
    const key = `${file.path}@${call.pos}:${parent.id}`;
    const existing = this.byCreation.get(key);
    if (existing) return existing;
    const node = this.makeNode(key, file, call, variableName(call) ?? parent.name, parent.framework, parent.role);
    node.derivedFrom = parent;
    this.mount(parent, node, prefix, origin(file, call));
    return node;
  }

  private routeHandle(call: ts.CallExpression, parent: RouterNode): RouterNode {
    const file = this.modules.fileFor(call);
    const key = `${file.path}@${call.pos}:${parent.id}`;
    const existing = this.byCreation.get(key);
    if (existing) return existing;
    const node = this.makeNode(key, file, call, `${parent.name}.route`, parent.framework, 'handle');
    this.mount(parent, node, this.evaluator.stringOrText(call.arguments[0]!), origin(file, call));
    return node;
  }

  private makeNode(key: string, file: CodeFile, at: ts.Node, name: string, framework: Framework, role: RouterNode['role']): RouterNode {
    let id = `${file.path}#${name}`;
    for (let n = 2; this.usedIds.has(id); n++) id = `${file.path}#${name}~${n}`;
    this.usedIds.add(id);
    const node: RouterNode = { id, name, framework, role, file, origin: origin(file, at), creation: at, routes: [], mounts: [], mounted: false, packages: new Set(), middleware: [], rateLimiters: new Set(), served: false };
    this.byCreation.set(key, node);
    this.nodes.push(node);
    return node;
  }

  /** A parameter used as a router whose callers are not visible: which framework, if the file says so. */
  private frameworkHint(file: CodeFile, parameter: ts.ParameterDeclaration): Framework | undefined {
    const type = parameter.type?.getText() ?? '';
    if (/Fastify/.test(type)) return 'fastify';
    if (/Hono/.test(type)) return 'hono';
    if (/Koa|KoaRouter/.test(type)) return 'koa';
    if (/\b(Router|Express|Application)\b/.test(type)) return this.fileFramework(file) ?? 'express';
    return this.fileFramework(file);
  }

  private fileFramework(file: CodeFile): Framework | undefined {
    if (this.frameworkOfFile.has(file)) return this.frameworkOfFile.get(file);
    let found: Framework | undefined;
    for (const statement of file.sourceFile.compilerNode.statements) {
      if (typescript.isImportDeclaration(statement) && typescript.isStringLiteral(statement.moduleSpecifier)) {
        found ??= FRAMEWORK_PACKAGES[packageName(statement.moduleSpecifier.text)];
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
    if ((typescript.isArrowFunction(node) || typescript.isFunctionExpression(node)) && !typescript.isBlock(node.body)) node = unwrap(node.body as ts.Expression);
    if (typescript.isCallExpression(node) && typescript.isPropertyAccessExpression(unwrap(node.expression))) node = unwrap(node.expression);
    if (typescript.isPropertyAccessExpression(node) && node.name.text === 'fetch') return this.targets(node.expression).filter((n) => n.role === 'app');
    if (typescript.isCallExpression(node) && typescript.isIdentifier(unwrap(node.expression)) && this.isNextAdapter(node.expression)) {
      return node.arguments.flatMap((arg) => this.servedThrough(arg)).filter((n) => n.role === 'app');
    }
    return [];
  }

  /** `handle` imported from Hono's Vercel / Next.js adapters: it turns an app into a Next.js route handler. */
  private isNextAdapter(callee: ts.Expression): boolean {
    const node = unwrap(callee);
    if (!typescript.isIdentifier(node)) return false;
    const binding = this.modules.lookup(node);
    return binding?.kind === 'external' && /^hono\/(vercel|nextjs)$/.test(binding.module);
  }

  /** `serve({ fetch: app.fetch })`, `handle(app)`: the apps an argument serves. */
  private servedThrough(arg: ts.Expression): RouterNode[] {
    const node = unwrap(arg);
    if (typescript.isObjectLiteralExpression(node)) {
      const fetch = findProperty(node, 'fetch');
      return fetch && typescript.isPropertyAccessExpression(unwrap(fetch)) ? this.targets((unwrap(fetch) as ts.PropertyAccessExpression).expression) : [];
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

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function dedupe<T>(items: T[]): T[] {
  return [...new Set(items)];
}

export function origin(file: CodeFile, node: ts.Node): Origin {
  // In a chain (`new Hono().get(…).post(…)`) each registration starts at its own method name.
  const start = typescript.isCallExpression(node) && typescript.isPropertyAccessExpression(node.expression) && isCallLike(unwrap(node.expression.expression)) ? node.expression.name.getStart() : node.getStart();
  return { file: file.path, range: { start, end: node.getEnd() } };
}

function lineOf(file: CodeFile, node: ts.Node): number {
  return file.text.positionAt(node.getStart()).line;
}

/** The variable or property a creation expression is assigned to, through chains (`new Hono().basePath()`). */
function variableName(node: ts.Node): string | undefined {
  let current: ts.Node = node;
  while (
    current.parent &&
    (typescript.isParenthesizedExpression(current.parent) || typescript.isAwaitExpression(current.parent) || typescript.isAsExpression(current.parent) ||
      (typescript.isPropertyAccessExpression(current.parent) && current.parent.expression === current) ||
      (typescript.isCallExpression(current.parent) && current.parent.expression === current))
  ) {
    current = current.parent;
  }
  const parent = current.parent;
  if (parent && (typescript.isVariableDeclaration(parent) || typescript.isPropertyDeclaration(parent) || typescript.isPropertyAssignment(parent)) && typescript.isIdentifier(parent.name)) {
    return parent.name.text;
  }
  if (parent && typescript.isBinaryExpression(parent) && typescript.isPropertyAccessExpression(parent.left)) return parent.left.name.text;
  if (parent && typescript.isBinaryExpression(parent) && typescript.isIdentifier(parent.left)) return parent.left.text;
  if (typescript.isParameter(node) && typescript.isIdentifier(node.name)) return node.name.text;
  return undefined;
}

/** The name a function is known by: its own, or the variable it (or a wrapper call around it) is assigned to. */
function functionHolder(fn: ts.FunctionLikeDeclaration): { name?: string } {
  if ((typescript.isFunctionDeclaration(fn) || typescript.isFunctionExpression(fn)) && fn.name) return { name: fn.name.text };
  let current: ts.Node = fn;
  while (current.parent && (typescript.isCallExpression(current.parent) || typescript.isParenthesizedExpression(current.parent) || typescript.isAsExpression(current.parent))) {
    current = current.parent;
  }
  const parent = current.parent;
  if (parent && typescript.isVariableDeclaration(parent) && typescript.isIdentifier(parent.name)) return { name: parent.name.text };
  if (typescript.isMethodDeclaration(fn) && typescript.isIdentifier(fn.name)) return { name: fn.name.text };
  return {};
}

/** A class field's initializer, or what the constructor assigns to `this.<name>`. */
function classMemberValue(cls: ts.ClassLikeDeclaration, name: string): ts.Expression | undefined {
  for (const member of cls.members) {
    if (typescript.isPropertyDeclaration(member) && member.name.getText() === name && member.initializer) return member.initializer;
  }
  for (const member of cls.members) {
    if (!typescript.isConstructorDeclaration(member) || !member.body) continue;
    for (const statement of member.body.statements) {
      if (!typescript.isExpressionStatement(statement) || !typescript.isBinaryExpression(statement.expression)) continue;
      const { left, right, operatorToken } = statement.expression;
      if (operatorToken.kind === typescript.SyntaxKind.EqualsToken && typescript.isPropertyAccessExpression(left) && left.expression.kind === typescript.SyntaxKind.ThisKeyword && left.name.text === name) {
        return right;
      }
    }
  }
  return undefined;
}

function classMethod(cls: ts.ClassLikeDeclaration, name: string): ts.FunctionLikeDeclaration | undefined {
  for (const member of cls.members) {
    if (typescript.isMethodDeclaration(member) && member.name.getText() === name) return member;
    if (typescript.isPropertyDeclaration(member) && member.name.getText() === name && member.initializer) {
      const init = unwrap(member.initializer);
      if (typescript.isArrowFunction(init) || typescript.isFunctionExpression(init)) return init;
    }
  }
  return undefined;
}

function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.getSourceFile() === container.getSourceFile() && node.pos >= container.pos && node.end <= container.end;
}

/** A route's own guards, plus a public marker read from its options when it has none of its own. */
function withOptOut<T extends { optOut?: string }>(guards: T, optOut: string | undefined): T {
  return optOut && !guards.optOut ? { ...guards, optOut } : guards;
}

function spreadArray(expression: ts.Expression): ts.Expression[] {
  const node = unwrap(expression);
  return typescript.isArrayLiteralExpression(node) ? [...node.elements] : [expression];
}

/**
 * `schema: { hide: true }` (Fastify swagger), `hide: true` (Hono createRoute): the route is left out of the
 * generated docs on purpose.
 */
function hiddenIn(options: ts.ObjectLiteralExpression | undefined): { hiddenFromDocs?: true } {
  if (!options) return {};
  const isTrue = (value: ts.Expression | undefined) => value !== undefined && unwrap(value).kind === typescript.SyntaxKind.TrueKeyword;
  const schema = findProperty(options, 'schema');
  const nested = schema ? unwrap(schema) : undefined;
  const hidden = isTrue(findProperty(options, 'hide')) || (nested !== undefined && typescript.isObjectLiteralExpression(nested) && isTrue(findProperty(nested, 'hide')));
  return hidden ? { hiddenFromDocs: true } : {};
}

/** `schema: { querystring }` (Fastify), `request: { query }` (Hono createRoute), `querystring` / `query` directly. */
function querySchemasIn(options: ts.ObjectLiteralExpression | undefined): ts.Expression[] {
  if (!options) return [];
  const out: ts.Expression[] = [];
  for (const key of ['querystring', 'query']) {
    const direct = findProperty(options, key);
    if (direct) out.push(direct);
  }
  for (const key of ['schema', 'request']) {
    const nested = findProperty(options, key);
    const object = nested ? unwrap(nested) : undefined;
    if (object && typescript.isObjectLiteralExpression(object)) out.push(...querySchemasIn(object));
  }
  return out;
}

/** Validator middleware between path and handler: `zValidator('query', schema)`, `validator('query', …)`. */
function validatorSchemas(middle: readonly ts.Expression[]): ts.Expression[] {
  const out: ts.Expression[] = [];
  for (const arg of middle) {
    const node = unwrap(arg);
    if (!typescript.isCallExpression(node)) continue;
    const [target, schema] = node.arguments;
    if (target && schema && typescript.isStringLiteralLike(target) && target.text === 'query') out.push(schema);
  }
  return out;
}

function isCallLike(node: ts.Node): boolean {
  return typescript.isCallExpression(node) || typescript.isNewExpression(node);
}
