/**
 * NestJS: controllers (`@Controller(path | { path, version })`) and their method decorators
 * (`@Get` … `@All`, `@Version`), reached from each `NestFactory.create(AppModule)` through the
 * module graph (`@Module({ imports, controllers })`, `forRoot()`, `forwardRef`), with
 * `RouterModule.register` paths, `setGlobalPrefix(p, { exclude })` and
 * `enableVersioning({ type, defaultVersion, prefix })` applied; guards from `@UseGuards` on the
 * controller and the method, `APP_GUARD` providers, `useGlobalGuards` and auth middleware a module
 * applies in `configure(consumer)`, with `@Public()`-style opt-outs.
 */
import type { ts } from 'ts-morph';
import { loadTsMorph } from '../../code/ts-morph.js';
import type { HttpMethod } from '../../../model/http.js';
import type { CodeFile } from '../../code/index.js';
import type { EndpointDraft, RouterNode } from '../graph.js';
import type { MiddlewareClassifier } from '../middleware.js';
import type { Modules } from '../modules.js';
import { joinPaths } from '../paths.js';
import { origin } from '../origins.js';
import type { NestAppConfig } from './nestjs.js';
import { type Evaluator, findProperty, packageName, textOf, unwrap, type StringValue } from '../values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTsMorph().ts;

/** Decorators that mark a route public on purpose (the project's own, by the names the community uses). */
const PUBLIC_MARKER =
  /^(Is)?Public(Route|Endpoint|Api|Access)?$|^(Skip|No|Without|Bypass|Disable)(Auth|Jwt|Guard|Authentication)\w*$|^Allow(Anonymous|Unauthenticated|Any)$|^Anonymous$|^Unauthenticated$/;

const METHOD_DECORATORS: Record<string, HttpMethod | 'all'> = {
  Get: 'get',
  Post: 'post',
  Put: 'put',
  Patch: 'patch',
  Delete: 'delete',
  Options: 'options',
  Head: 'head',
  All: 'all',
};

/** A version as Nest sees it: a string, or VERSION_NEUTRAL. */
type Version = string | typeof NEUTRAL;
const NEUTRAL = Symbol('VERSION_NEUTRAL');

interface Controller {
  cls: ts.ClassDeclaration;
  file: CodeFile;
  paths: StringValue[];
  versions?: Version[];
}

/** `consumer.apply(AuthMiddleware).exclude(…).forRoutes(…)` in a module's `configure`: auth middleware and where it runs. */
interface ConsumerRule {
  guards: string[];
  routes: RouteMatcher[];
  exclude: RouteMatcher[];
}

/** A controller class, or a path (`'users/*'`, `{ path, method }`) as Nest matches it, without the global prefix. */
type RouteMatcher = { cls: ts.ClassDeclaration } | { path: string; method?: string };

interface ModuleInfo {
  imports: ts.Expression[];
  controllers: ts.ClassDeclaration[];
  consumerRules: ConsumerRule[];
  /** `{ provide: APP_GUARD, useClass: JwtAuthGuard }` providers: the guard each names. */
  appGuards: ts.Expression[];
}

export interface NestResult {
  drafts: EndpointDraft[];
  /** Packages of the modules each app imports and of the guards it uses (health, metrics, throttler); only apps whose root module was found. */
  packages: Map<RouterNode, Set<string>>;
}

/** The guards and consumer middleware in effect for an app's controllers, or undefined when they cannot all be seen. */
type GlobalGuards = { guards: string[]; rules: ConsumerRule[] } | undefined;

export class NestExtractor {
  private readonly modulesByClass = new Map<ts.ClassDeclaration, ModuleInfo>();
  private readonly controllers = new Map<ts.ClassDeclaration, Controller>();
  /** RouterModule.register paths per module class. */
  private readonly routerPaths = new Map<ts.ClassDeclaration, string>();

  constructor(
    private readonly modules: Modules,
    private readonly evaluator: Evaluator,
    private readonly middleware: MiddlewareClassifier,
  ) {}

  extract(files: readonly CodeFile[], apps: NestAppConfig[]): NestResult {
    // Only a file with a decorator call on a class can declare a controller or a module: the others stay unparsed.
    for (const file of files)
      if (DECORATED_CLASS.test(file.text.content) && /\bclass\b/.test(file.text.content)) this.collect(file);
    for (const info of this.modulesByClass.values()) for (const entry of info.imports) this.routerModule(entry);
    const drafts: EndpointDraft[] = [];
    const packages = new Map<RouterNode, Set<string>>();
    const claimed = new Set<ts.ClassDeclaration>();
    for (const app of apps) {
      const root = app.rootModule ? this.classOf(app.rootModule) : undefined;
      const reach = root
        ? this.reachable(root)
        : { controllers: [], packages: new Set<string>(), appGuards: [], consumerRules: [] };
      if (root) packages.set(app.node, reach.packages);
      const guards = [...app.globalGuards, ...reach.appGuards];
      for (const guard of guards) this.notePackage(reach.packages, guard);
      for (const cls of reach.controllers) {
        claimed.add(cls);
        const global = root ? { guards: this.authGuards(guards), rules: reach.consumerRules } : undefined;
        drafts.push(...this.endpoints(this.controllers.get(cls)!, app, 'high', global, reach.packages));
      }
    }
    // Controllers no app reaches: with a single app they are most likely its (a dynamic module we
    // could not follow), so they get its prefixes, at low confidence; otherwise no app at all.
    const single = apps.length === 1 ? apps[0] : undefined;
    const everyModule = [...this.modulesByClass.values()];
    // An app whose root module archlint could not find (`NestFactory.create(moduleRef)`, a module built by a project
    // decorator factory) may register an APP_GUARD there: its global guards are not known.
    const rootSeen = single?.rootModule !== undefined && this.classOf(single.rootModule) !== undefined;
    for (const [cls, controller] of this.controllers) {
      if (claimed.has(cls)) continue;
      const guards =
        single && rootSeen
          ? {
              guards: this.authGuards([...single.globalGuards, ...everyModule.flatMap((m) => m.appGuards)]),
              rules: everyModule.flatMap((m) => m.consumerRules),
            }
          : undefined;
      drafts.push(...this.endpoints(controller, single, 'low', guards, single ? packages.get(single.node) : undefined));
    }
    return { drafts, packages };
  }

  private authGuards(guards: ts.Expression[]): string[] {
    return guards.filter((g) => this.middleware.guardKind(g) === 'auth').map((g) => textOf(g));
  }

  private notePackage(packages: Set<string> | undefined, guard: ts.Expression): void {
    const pkg = this.middleware.packageOf(guard);
    if (pkg) packages?.add(pkg);
  }

  private collect(file: CodeFile): void {
    for (const statement of file.sourceFile.compilerNode.statements) {
      if (!typescript.isClassDeclaration(statement)) continue;
      for (const decorator of typescript.getDecorators(statement) ?? []) {
        const call = decoratorCall(decorator);
        if (!call) continue;
        const name = this.nestName(call.expression);
        if (name === 'Controller') this.controllers.set(statement, this.controller(statement, file, call));
        else if (name === 'Module')
          this.modulesByClass.set(statement, {
            ...this.moduleInfo(call),
            consumerRules: this.consumerRules(statement),
          });
      }
    }
  }

  /** The @nestjs/common (or @nestjs/core) export a decorator or value names. */
  private nestName(expression: ts.Expression): string | undefined {
    const ref = this.evaluator.externalRef(expression);
    if (!ref?.module.startsWith('@nestjs/')) return undefined;
    return ref.path.join('.');
  }

  private controller(cls: ts.ClassDeclaration, file: CodeFile, call: ts.CallExpression): Controller {
    const arg = call.arguments[0];
    if (!arg) return { cls, file, paths: [{ value: '', exact: true }] };
    const options = this.evaluator.objectLiteralOf(arg);
    if (options) {
      const path = findProperty(options, 'path');
      const version = findProperty(options, 'version');
      return {
        cls,
        file,
        paths: path ? this.pathList(path) : [{ value: '', exact: true }],
        ...(version ? { versions: this.versions(version) } : {}),
      };
    }
    return { cls, file, paths: this.pathList(arg) };
  }

  private pathList(expression: ts.Expression): StringValue[] {
    const node = unwrap(expression);
    if (typescript.isArrayLiteralExpression(node)) return node.elements.map((e) => this.evaluator.stringOrText(e));
    return [this.evaluator.stringOrText(node)];
  }

  private versions(expression: ts.Expression): Version[] {
    const node = unwrap(expression);
    const items = typescript.isArrayLiteralExpression(node) ? [...node.elements] : [node];
    return items.map((item) =>
      this.nestName(item) === 'VERSION_NEUTRAL' ? NEUTRAL : (this.evaluator.string(item)?.value ?? item.getText()),
    );
  }

  private consumerRules(cls: ts.ClassDeclaration): ConsumerRule[] {
    const configure = cls.members.find(
      (m): m is ts.MethodDeclaration => typescript.isMethodDeclaration(m) && m.name.getText() === 'configure',
    );
    const rules: ConsumerRule[] = [];
    const visit = (node: ts.Node): void => {
      if (
        typescript.isCallExpression(node) &&
        typescript.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'forRoutes'
      ) {
        const rule: ConsumerRule = { guards: [], routes: node.arguments.flatMap((a) => this.matchers(a)), exclude: [] };
        // Down the chain: .exclude(…) and .apply(…).
        for (
          let link: ts.Expression = node.expression.expression;
          typescript.isCallExpression(link) && typescript.isPropertyAccessExpression(link.expression);
          link = link.expression.expression
        ) {
          if (link.expression.name.text === 'exclude')
            rule.exclude.push(...link.arguments.flatMap((a) => this.matchers(a)));
          if (link.expression.name.text === 'apply') {
            for (const arg of link.arguments)
              for (const info of this.middleware.classify(arg))
                if (info.kind === 'auth' && !info.optional) rule.guards.push(info.label);
          }
        }
        if (rule.guards.length > 0) rules.push(rule);
      }
      typescript.forEachChild(node, visit);
    };
    if (configure?.body) visit(configure.body);
    return rules;
  }

  private matchers(expression: ts.Expression): RouteMatcher[] {
    const cls = this.classOf(expression);
    if (cls) return [{ cls }];
    const text = this.evaluator.string(expression);
    if (text) return [{ path: text.value }];
    const object = this.evaluator.objectLiteralOf(expression);
    const path = object ? findProperty(object, 'path') : undefined;
    const value = path ? this.evaluator.string(path) : undefined;
    if (!value) return [{ path: '*' }]; // unreadable: assume it covers (fewer findings, never a false one)
    const method = object ? findProperty(object, 'method')?.getText().split('.').pop()?.toLowerCase() : undefined;
    return [{ path: value.value, ...(method && method !== 'all' ? { method } : {}) }];
  }

  /** The consumer rules' guards that run for a route (`local`: its path without the global prefix). */
  private consumerGuards(rules: ConsumerRule[], cls: ts.ClassDeclaration, local: string, method: string): string[] {
    const matches = (m: RouteMatcher) =>
      'cls' in m ? m.cls === cls : (!m.method || m.method === method) && pathMatches(m.path, local);
    return rules
      .filter((rule) => rule.routes.some(matches) && !rule.exclude.some(matches))
      .flatMap((rule) => rule.guards);
  }

  private moduleInfo(call: ts.CallExpression): Omit<ModuleInfo, 'consumerRules'> {
    const options = call.arguments[0] ? this.evaluator.objectLiteralOf(call.arguments[0]) : undefined;
    const list = (name: string) => {
      const value = options ? findProperty(options, name) : undefined;
      return value ? this.elements(value) : [];
    };
    return {
      imports: list('imports'),
      controllers: list('controllers').flatMap((e) => {
        const cls = this.classOf(e);
        return cls ? [cls] : [];
      }),
      appGuards: list('providers').flatMap((e) => {
        const provider = this.evaluator.objectLiteralOf(e);
        const provide = provider ? findProperty(provider, 'provide') : undefined;
        if (!provider || !provide || this.nestName(provide) !== 'APP_GUARD') return [];
        const guard =
          findProperty(provider, 'useClass') ??
          findProperty(provider, 'useExisting') ??
          findProperty(provider, 'useFactory');
        return guard ? [guard] : [];
      }),
    };
  }

  /** Array elements, through `const` arrays and spreads. */
  private elements(expression: ts.Expression, depth = 0): ts.Expression[] {
    if (depth > 5) return [];
    let node = unwrap(expression);
    if (typescript.isIdentifier(node)) {
      const binding = this.modules.lookup(node);
      if (binding?.kind !== 'value') return [];
      node = unwrap(binding.node);
    }
    if (!typescript.isArrayLiteralExpression(node)) return [];
    return node.elements.flatMap((e) => (typescript.isSpreadElement(e) ? this.elements(e.expression, depth + 1) : [e]));
  }

  /** A module entry as a project class: `X`, `X.forRoot(...)`, `forwardRef(() => X)`. */
  private classOf(expression: ts.Expression): ts.ClassDeclaration | undefined {
    const node = unwrap(expression);
    if (typescript.isIdentifier(node)) {
      const binding = this.modules.lookup(node);
      return binding?.kind === 'class' && typescript.isClassDeclaration(binding.node) ? binding.node : undefined;
    }
    if (typescript.isCallExpression(node)) {
      if (typescript.isPropertyAccessExpression(node.expression)) return this.classOf(node.expression.expression);
      const fn = node.arguments[0] ? unwrap(node.arguments[0]) : undefined;
      if (fn && typescript.isArrowFunction(fn) && !typescript.isBlock(fn.body)) return this.classOf(fn.body);
    }
    return undefined;
  }

  /** `RouterModule.register([{ path, module, children }])` among a module's imports. */
  private routerModule(entry: ts.Expression): void {
    const node = unwrap(entry);
    if (
      !typescript.isCallExpression(node) ||
      !typescript.isPropertyAccessExpression(node.expression) ||
      node.expression.name.text !== 'register'
    )
      return;
    if (this.nestName(node.expression.expression) !== 'RouterModule' || !node.arguments[0]) return;
    const walk = (list: ts.Expression, base: string) => {
      for (const item of this.elements(list)) {
        const route = this.evaluator.objectLiteralOf(item);
        if (!route) continue;
        const pathNode = findProperty(route, 'path');
        const path = joinPaths(base, pathNode ? this.evaluator.stringOrText(pathNode).value : '');
        const moduleNode = findProperty(route, 'module');
        const cls = moduleNode ? this.classOf(moduleNode) : undefined;
        if (cls) this.routerPaths.set(cls, path);
        const children = findProperty(route, 'children');
        if (children) walk(children, path);
      }
    };
    walk(node.arguments[0], '');
  }

  private reachable(root: ts.ClassDeclaration): {
    controllers: ts.ClassDeclaration[];
    packages: Set<string>;
    appGuards: ts.Expression[];
    consumerRules: ConsumerRule[];
  } {
    const seen = new Set<ts.ClassDeclaration>();
    const controllers: ts.ClassDeclaration[] = [];
    const packages = new Set<string>();
    const appGuards: ts.Expression[] = [];
    const consumerRules: ConsumerRule[] = [];
    const queue = [root];
    while (queue.length > 0) {
      const cls = queue.shift()!;
      if (seen.has(cls)) continue;
      seen.add(cls);
      const info = this.modulesByClass.get(cls);
      if (!info) continue;
      appGuards.push(...info.appGuards);
      consumerRules.push(...info.consumerRules);
      for (const controller of info.controllers)
        if (this.controllers.has(controller) && !controllers.includes(controller)) controllers.push(controller);
      for (const entry of info.imports) {
        const target = this.classOf(entry);
        if (target) queue.push(target);
        const node = unwrap(entry);
        const ref = this.evaluator.externalRef(
          typescript.isCallExpression(node)
            ? typescript.isPropertyAccessExpression(node.expression)
              ? node.expression.expression
              : node.expression
            : node,
        );
        if (ref) packages.add(packageName(ref.module));
      }
    }
    // A controller's module decides its RouterModule path: remember which module declared it.
    for (const cls of seen)
      for (const controller of this.modulesByClass.get(cls)?.controllers ?? []) this.ownerModule.set(controller, cls);
    return { controllers, packages, appGuards, consumerRules };
  }

  private readonly ownerModule = new Map<ts.ClassDeclaration, ts.ClassDeclaration>();

  /** `@UseGuards(…)` guards (auth ones, as written) and a public marker among a class's or method's decorators. */
  private authDecorators(
    node: ts.ClassDeclaration | ts.MethodDeclaration,
    packages: Set<string> | undefined,
  ): { guards: string[]; optOut?: string; limiter?: string } {
    const guards: string[] = [];
    let optOut: string | undefined;
    let limiter: string | undefined;
    for (const decorator of typescript.getDecorators(node) ?? []) {
      const call = decoratorCall(decorator);
      const callee = call ? call.expression : decorator.expression;
      if (call && this.nestName(callee) === 'UseGuards') {
        for (const guard of call.arguments) {
          this.notePackage(packages, guard);
          const kind = this.middleware.guardKind(guard);
          if (kind === 'auth') guards.push(textOf(guard));
          else if (kind === 'rate-limit') limiter ??= `@UseGuards(${textOf(guard)})`;
        }
      } else if (
        (typescript.isIdentifier(callee) && PUBLIC_MARKER.test(callee.text)) ||
        (call &&
          this.nestName(callee) === 'SetMetadata' &&
          /public|skip_?auth|anonymous/i.test(call.arguments[0]?.getText() ?? ''))
      ) {
        optOut = `@${textOf(decorator.expression)}`;
      }
    }
    return { guards, ...(optOut ? { optOut } : {}), ...(limiter ? { limiter } : {}) };
  }

  /**
   * A throttler among a handler's own guards, or its controller's when no handler there authenticates, and no
   * auth guard: whoever wrote it limited the anonymous callers they expect, so it is public on purpose, like a
   * route with its own rate limiter. A controller that throttles every handler and guards some of them says
   * nothing about the one left unguarded.
   */
  private limiterOptOut(
    controller: ts.ClassDeclaration,
    classAuth: { limiter?: string },
    methodAuth: { guards: string[]; limiter?: string },
  ): string | undefined {
    if (methodAuth.guards.length > 0) return undefined;
    if (methodAuth.limiter) return methodAuth.limiter;
    if (!classAuth.limiter) return undefined;
    const guardedHandler = controller.members.some(
      (m) => typescript.isMethodDeclaration(m) && this.authDecorators(m, undefined).guards.length > 0,
    );
    return guardedHandler ? undefined : classAuth.limiter;
  }

  private endpoints(
    controller: Controller,
    app: NestAppConfig | undefined,
    confidence: 'high' | 'low',
    globalGuards: GlobalGuards,
    packages: Set<string> | undefined,
  ): EndpointDraft[] {
    const out: EndpointDraft[] = [];
    const classAuth = this.authDecorators(controller.cls, packages);
    const owner = this.ownerModule.get(controller.cls);
    const routerPath = owner ? (this.routerPaths.get(owner) ?? '') : '';
    const versioning = app?.versioning ? this.versioningOf(app.versioning) : undefined;
    for (const member of controller.cls.members) {
      if (!typescript.isMethodDeclaration(member)) continue;
      let method: HttpMethod | 'all' | undefined;
      let methodPaths: StringValue[] = [{ value: '', exact: true }];
      let methodVersions: Version[] | undefined;
      let at: ts.Node = member;
      for (const decorator of typescript.getDecorators(member) ?? []) {
        const call = decoratorCall(decorator);
        if (!call) continue;
        const name = this.nestName(call.expression);
        if (name && METHOD_DECORATORS[name]) {
          method = METHOD_DECORATORS[name];
          at = decorator;
          if (call.arguments[0]) methodPaths = this.pathList(call.arguments[0]);
        } else if (name === 'Version' && call.arguments[0]) {
          methodVersions = this.versions(call.arguments[0]);
        }
      }
      if (!method) continue;
      // `@ApiExcludeEndpoint()` / `@ApiExcludeController()` (@nestjs/swagger): left out of the generated docs on purpose.
      const hidden = hasDecorator(member, 'ApiExcludeEndpoint') || hasDecorator(controller.cls, 'ApiExcludeController');
      // `@ApiOperation({ deprecated: true })` (@nestjs/swagger): the generated docs mark the operation deprecated.
      const deprecated = deprecatedOperation(member);
      const methodAuth = this.authDecorators(member, packages);
      const optOut =
        methodAuth.optOut ??
        classAuth.optOut ??
        (classAuth.guards.length === 0 ? this.limiterOptOut(controller.cls, classAuth, methodAuth) : undefined);
      const guardsFor = (local: string) =>
        globalGuards
          ? [
              ...new Set([
                ...globalGuards.guards,
                ...classAuth.guards,
                ...methodAuth.guards,
                ...this.consumerGuards(globalGuards.rules, controller.cls, local, method),
              ]),
            ]
          : undefined;
      const versions: Version[] | undefined = methodVersions ?? controller.versions ?? versioning?.defaultVersions;
      for (const controllerPath of controller.paths) {
        for (const methodPath of methodPaths) {
          const local = joinPaths(routerPath, controllerPath.value, methodPath.value);
          const prefix =
            app?.globalPrefix && !this.excluded(app.globalPrefix.exclude, local, method)
              ? app.globalPrefix.value
              : undefined;
          const exact = controllerPath.exact && methodPath.exact && (prefix?.exact ?? true);
          const declaredPath = joinPaths(controllerPath.value, methodPath.value);
          const guards = guardsFor(local);
          const auth = guards ? { guards, ...(optOut ? { optOut } : {}) } : undefined;
          const base: Omit<EndpointDraft, 'path' | 'versioning'> = {
            serviceId: app?.node.id ?? '',
            framework: 'nestjs',
            method,
            declaredPath,
            origin: origin(controller.file, at),
            file: controller.file,
            handler: member,
            ...(auth ? { auth } : {}),
            ...(hidden ? { hiddenFromDocs: true } : {}),
            ...(deprecated ? { deprecated: true } : {}),
            confidence: exact ? confidence : 'low',
          };
          for (const version of versioning ? (versions ?? [undefined]) : [undefined]) {
            const neutral = version === NEUTRAL;
            const segment =
              versioning?.kind === 'uri' && typeof version === 'string' ? `${versioning.prefix}${version}` : '';
            out.push({
              ...base,
              path: { value: joinPaths(prefix?.value ?? '', segment, local), exact },
              ...(versioning && version !== undefined
                ? {
                    versioning: {
                      kind: versioning.kind,
                      ...(typeof version === 'string' ? { defaultVersion: version } : {}),
                      ...(neutral ? { neutral } : {}),
                    },
                  }
                : {}),
            });
          }
        }
      }
    }
    return out;
  }

  private versioningOf(options: ts.ObjectLiteralExpression): {
    kind: 'uri' | 'header' | 'media-type' | 'custom';
    prefix: string;
    defaultVersions?: Version[];
  } {
    const type = findProperty(options, 'type')?.getText() ?? '';
    const kind = /HEADER/.test(type)
      ? 'header'
      : /MEDIA_TYPE/.test(type)
        ? 'media-type'
        : /CUSTOM/.test(type)
          ? 'custom'
          : 'uri';
    const prefixNode = findProperty(options, 'prefix');
    const prefix = prefixNode
      ? unwrap(prefixNode).kind === typescript.SyntaxKind.FalseKeyword
        ? ''
        : (this.evaluator.string(prefixNode)?.value ?? 'v')
      : 'v';
    const defaults = findProperty(options, 'defaultVersion');
    return { kind, prefix, ...(defaults ? { defaultVersions: this.versions(defaults) } : {}) };
  }

  /** setGlobalPrefix exclude: strings or `{ path, method }`; `*` / `(.*)` match any rest. */
  private excluded(exclude: ts.Expression | undefined, path: string, method: HttpMethod | 'all'): boolean {
    if (!exclude) return false;
    for (const item of this.elements(exclude)) {
      let pattern: string | undefined;
      let methodText: string | undefined;
      const object = this.evaluator.objectLiteralOf(item);
      if (object) {
        const p = findProperty(object, 'path');
        pattern = p ? this.evaluator.string(p)?.value : undefined;
        methodText = findProperty(object, 'method')?.getText().split('.').pop()?.toLowerCase();
      } else {
        pattern = this.evaluator.string(item)?.value;
      }
      if (pattern === undefined) continue;
      if (methodText && methodText !== 'all' && methodText !== method) continue;
      const wildcard = /(\*|\(\.\*\))$/.test(pattern);
      const normalised = joinPaths(pattern.replace(/(\*|\(\.\*\))$/, ''));
      if (
        wildcard
          ? path === normalised || path.startsWith(`${normalised === '/' ? '' : normalised}/`)
          : path === normalised
      )
        return true;
    }
    return false;
  }
}

/** A decorator named so (`@ApiExcludeEndpoint()`, or without a call), whatever package it comes from. */
function hasDecorator(node: ts.ClassDeclaration | ts.MethodDeclaration, name: string): boolean {
  return (typescript.getDecorators(node) ?? []).some((decorator) => {
    const callee = decoratorCall(decorator)?.expression ?? decorator.expression;
    return typescript.isIdentifier(callee) && callee.text === name;
  });
}

/** `@ApiOperation({ …, deprecated: true })` on the handler. */
function deprecatedOperation(node: ts.MethodDeclaration): boolean {
  return (typescript.getDecorators(node) ?? []).some((decorator) => {
    const call = decoratorCall(decorator);
    if (!call || !typescript.isIdentifier(call.expression) || call.expression.text !== 'ApiOperation') return false;
    const options = call.arguments[0];
    if (!options || !typescript.isObjectLiteralExpression(options)) return false;
    return options.properties.some(
      (p) =>
        typescript.isPropertyAssignment(p) &&
        typescript.isIdentifier(p.name) &&
        p.name.text === 'deprecated' &&
        p.initializer.kind === typescript.SyntaxKind.TrueKeyword,
    );
  });
}

/** A decorator call (`@Controller('users')`, `@common.Module({…})`) somewhere in a text: a cheap filter. */
const DECORATED_CLASS = /@[\w$\s.<>]*\(/;

function decoratorCall(decorator: ts.Decorator): ts.CallExpression | undefined {
  return typescript.isCallExpression(decorator.expression) ? decorator.expression : undefined;
}

/** A forRoutes / exclude path (`users/*`, `profiles/:username/follow`, `(.*)`) against a route path. */
function pathMatches(pattern: string, path: string): boolean {
  const wildcard = /(\*|\(\.\*\))$/.test(pattern);
  const base = joinPaths(pattern.replace(/\/?(\*|\(\.\*\))$/, ''));
  if (wildcard) return base === '/' || path === base || path.startsWith(`${base}/`);
  return path === base;
}
