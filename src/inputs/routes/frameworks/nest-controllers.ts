/**
 * NestJS: controllers (`@Controller(path | { path, version })`) and their method decorators
 * (`@Get` … `@All`, `@Version`), reached from each `NestFactory.create(AppModule)` through the
 * module graph (`@Module({ imports, controllers })`, `forRoot()`, `forwardRef`), with
 * `RouterModule.register` paths, `setGlobalPrefix(p, { exclude })` and
 * `enableVersioning({ type, defaultVersion, prefix })` applied; guards from `@UseGuards` on the
 * controller and the method, `APP_GUARD` providers, `useGlobalGuards` and auth middleware a module
 * applies in `configure(consumer)`, with `@Public()`-style opt-outs. The module graph: nest-modules.ts.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../../code/ts-morph.js';
import type { HttpMethod } from '../../../model/http.js';
import type { CodeFile } from '../../code/index.js';
import type { EndpointDraft, RouterNode } from '../graph.js';
import { returnedExpressions } from '../functions.js';
import { joinPaths } from '../paths.js';
import { origin } from '../origins.js';
import type { NestAppConfig } from './nestjs.js';
import {
  type ConsumerRule,
  type Controller,
  decoratorCall,
  NestModuleGraph,
  NEUTRAL,
  type RouteMatcher,
  type Version,
} from './nest-modules.js';
import { TsRestContracts } from './ts-rest-contracts.js';
import type { MiddlewareClassifier } from '../middleware.js';
import type { Modules } from '../modules.js';
import { type Evaluator, findProperty, textOf, unwrap, type StringValue } from '../values.js';
import { testsOptionalIdentity } from '../optional-identity.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

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

export interface NestResult {
  drafts: EndpointDraft[];
  /** Packages of the modules each app imports and of the guards it uses (health, metrics, throttler); only apps whose root module was found. */
  packages: Map<RouterNode, Set<string>>;
}

/** The guards and consumer middleware in effect for an app's controllers, or undefined when they cannot all be seen. */
type GlobalGuards = { guards: string[]; rules: ConsumerRule[] } | undefined;

/** What a class's or method's decorators say about auth: guards (as written), a public marker, a throttler. */
/** A guard named for optional auth (`OptionalAuthGuard`, `OptionalJwtGuard`). */
const OPTIONAL_GUARD = /optional/i;

interface AuthReading {
  guards: string[];
  optOut?: string;
  limiter?: string;
  /** An auth guard that lets anonymous callers through (`@UseGuards(OptionalAuthGuard)`): no protection on its own. */
  optional?: string;
}

export class NestExtractor extends NestModuleGraph {
  private readonly contracts: TsRestContracts;

  constructor(
    modules: Modules,
    evaluator: Evaluator,
    middleware: MiddlewareClassifier,
    /** Project functions an expression can call: a project decorator factory is followed into what it returns. */
    private readonly functionsOf: (expression: ts.Expression) => ts.FunctionLikeDeclaration[],
  ) {
    super(modules, evaluator, middleware);
    // Only routes are read from contracts here (the handler is the controller method).
    this.contracts = new TsRestContracts(modules, evaluator, () => []);
  }

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

  /** `@TsRestHandler(route)` / `@TsRest(route)` of @ts-rest/nest. */
  private isTsRestDecorator(expression: ts.Expression): boolean {
    const ref = this.evaluator.externalRef(expression);
    return ref?.module === '@ts-rest/nest' && /^TsRest(Handler)?$/.test(ref.path.join('.'));
  }

  /** The consumer rules' guards that run for a route (`local`: its path without the global prefix). */
  private consumerGuards(rules: ConsumerRule[], cls: ts.ClassDeclaration, local: string, method: string): string[] {
    const matches = (m: RouteMatcher) =>
      'cls' in m ? m.cls === cls : (!m.method || m.method === method) && pathMatches(m.path, local);
    return rules
      .filter((rule) => rule.routes.some(matches) && !rule.exclude.some(matches))
      .flatMap((rule) => rule.guards);
  }

  /** `@UseGuards(…)` guards (auth ones, as written) and a public marker among a class's or method's decorators. */
  private authDecorators(
    node: ts.ClassDeclaration | ts.MethodDeclaration,
    packages: Set<string> | undefined,
  ): AuthReading {
    const reading: AuthReading = { guards: [] };
    for (const decorator of typescript.getDecorators(node) ?? [])
      this.readAuthDecorator(decorator.expression, `@${textOf(decorator.expression)}`, reading, packages, 0);
    return {
      guards: reading.guards,
      ...(reading.optOut ? { optOut: reading.optOut } : {}),
      ...(reading.limiter ? { limiter: reading.limiter } : {}),
      ...(reading.optional ? { optional: reading.optional } : {}),
    };
  }

  /**
   * One decorator (or one argument of `applyDecorators`): `UseGuards(…)`, a public marker, or a project decorator
   * factory that composes them (`export function Auth() { return applyDecorators(SetMetadata(…), UseGuards(JwtGuard)) }`
   * of swetrix, ghostfolio's `@RequiresScope`, novu's `@UserAuthentication`), followed into what it returns. `label`
   * is the decorator as written on the route; `args` the arguments it was called with, by the factory's parameter.
   */
  private readAuthDecorator(
    expression: ts.Expression,
    label: string,
    reading: AuthReading,
    packages: Set<string> | undefined,
    depth: number,
    args?: Map<string, ts.Expression>,
  ): void {
    if (depth > 4) return;
    const node = unwrap(expression);
    // `allowApiKey ? UseGuards(MultiAuthGuard) : UseGuards(JwtGuard)`: guarded when every branch is.
    if (typescript.isConditionalExpression(node)) {
      const branches = [node.whenTrue, node.whenFalse].map((branch) => {
        const own: AuthReading = { guards: [] };
        this.readAuthDecorator(branch, label, own, packages, depth + 1, args);
        return own;
      });
      if (branches.every((b) => b.guards.length > 0))
        reading.guards.push(...new Set(branches.flatMap((b) => b.guards)));
      return;
    }
    const call = typescript.isCallExpression(node) ? node : undefined;
    const callee = call ? call.expression : node;
    const name = this.nestName(callee);
    if (call && name === 'UseGuards') {
      for (const guard of call.arguments) {
        this.notePackage(packages, guard);
        const kind = this.middleware.guardKind(guard);
        // `OptionalAuthGuard` reads a token when there is one and lets anonymous callers through, as optional
        // middleware does: alone, the route is public on purpose; beside a required guard, that guard decides.
        if (kind === 'auth' && OPTIONAL_GUARD.test(textOf(guard))) reading.optional ??= `@UseGuards(${textOf(guard)})`;
        else if (kind === 'auth') reading.guards.push(textOf(guard));
        else if (kind === 'rate-limit') reading.limiter ??= `@UseGuards(${textOf(guard)})`;
      }
    } else if (call && name === 'Throttle') {
      // `@Throttle({ default: { limit: 10, ttl: 60 } })` (@nestjs/throttler): a limit set for this route or class
      // alone, as a rate limiter of its own is in Express: the anonymous callers it expects are limited on purpose.
      reading.limiter ??= label;
    } else if (typescript.isIdentifier(callee) && PUBLIC_MARKER.test(callee.text)) {
      reading.optOut ??= label;
    } else if (call && name === 'SetMetadata') {
      const key = call.arguments[0]?.getText() ?? '';
      // `SetMetadata(IS_OPTIONAL_AUTH_KEY, isOptionalAuth)` in `@Auth(true, true)`: auth is optional, the route public.
      const optional = /optional/i.test(key) && this.isTrue(call.arguments[1], args);
      if (/public|skip_?auth|anonymous/i.test(key) || optional) reading.optOut ??= label;
    } else if (call && name === 'applyDecorators') {
      for (const arg of call.arguments) this.readAuthDecorator(arg, label, reading, packages, depth + 1, args);
    } else if (call && name === undefined) {
      for (const fn of this.functionsOf(callee)) {
        const given = new Map<string, ts.Expression>();
        fn.parameters.forEach((p, i) => {
          if (typescript.isIdentifier(p.name) && call.arguments[i]) given.set(p.name.text, call.arguments[i]!);
        });
        for (const returned of returnedExpressions(fn))
          this.readAuthDecorator(returned, label, reading, packages, depth + 1, given);
      }
    }
  }

  /** `true`, or a factory parameter the decorator was given `true` for. */
  private isTrue(value: ts.Expression | undefined, args: Map<string, ts.Expression> | undefined): boolean {
    const node = value ? unwrap(value) : undefined;
    if (!node) return false;
    if (node.kind === typescript.SyntaxKind.TrueKeyword) return true;
    const given = typescript.isIdentifier(node) ? args?.get(node.text) : undefined;
    return given !== undefined && unwrap(given).kind === typescript.SyntaxKind.TrueKeyword;
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
        } else if (call.arguments[0] && this.isTsRestDecorator(call.expression)) {
          // `@TsRestHandler(contract.posts.get)` (@ts-rest/nest): the contract route's method and path.
          const route = this.contracts.route(call.arguments[0]);
          if (route) {
            method = route.method;
            at = decorator;
            methodPaths = [{ value: route.path, exact: route.exact }];
          }
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
          // No guard, and the handler asks whether the caller is signed in and answers either way: optional sign-in.
          const asks = guards?.length === 0 ? testsOptionalIdentity(member) : undefined;
          const open =
            optOut ??
            (guards?.length === 0
              ? (methodAuth.optional ?? classAuth.optional ?? (asks ? `optional sign-in (${asks})` : undefined))
              : undefined);
          const auth = guards ? { guards, ...(open ? { optOut: open } : {}) } : undefined;
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
            // A version or prefix that could not be read stays in the path, marked unknown, at low confidence.
            const known = !segment.includes('<');
            out.push({
              ...base,
              ...(known ? {} : { confidence: 'low' as const }),
              path: { value: joinPaths(prefix?.value ?? '', segment, local), exact: exact && known },
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
        : this.prefixText(prefixNode)
      : 'v';
    const defaults = findProperty(options, 'defaultVersion');
    return { kind, prefix, ...(defaults ? { defaultVersions: this.versions(defaults) } : {}) };
  }

  private prefixText(node: ts.Expression): string {
    const read = this.evaluator.string(node);
    return read?.exact ? read.value : `<${textOf(node)}>`;
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

/** A forRoutes / exclude path (`users/*`, `profiles/:username/follow`, `(.*)`) against a route path. */
function pathMatches(pattern: string, path: string): boolean {
  const wildcard = /(\*|\(\.\*\))$/.test(pattern);
  const base = joinPaths(pattern.replace(/\/?(\*|\(\.\*\))$/, ''));
  if (wildcard) return base === '/' || path === base || path.startsWith(`${base}/`);
  return path === base;
}
