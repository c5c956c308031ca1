/**
 * NestJS's module graph as the controller extractor (nest-controllers.ts) walks it: `@Module({
 * imports, controllers, providers })` classes with their `APP_GUARD` providers and the auth
 * middleware `configure(consumer)` applies, `@Controller(path | { path, version })` classes,
 * `RouterModule.register` paths, and what a root module reaches (`forRoot()`, `forwardRef`, spreads
 * of `const` arrays).
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../../code/ts-morph.js';
import type { CodeFile } from '../../code/index.js';
import type { MiddlewareClassifier } from '../middleware.js';
import type { Modules } from '../modules.js';
import { joinPaths } from '../paths.js';
import { type Evaluator, findProperty, packageName, textOf, unwrap, type StringValue } from '../values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** A version as Nest sees it: a string, or VERSION_NEUTRAL. */
export type Version = string | typeof NEUTRAL;
export const NEUTRAL = Symbol('VERSION_NEUTRAL');

export interface Controller {
  cls: ts.ClassDeclaration;
  file: CodeFile;
  paths: StringValue[];
  versions?: Version[];
}

/** `consumer.apply(AuthMiddleware).exclude(…).forRoutes(…)` in a module's `configure`: auth middleware and where it runs. */
export interface ConsumerRule {
  guards: string[];
  routes: RouteMatcher[];
  exclude: RouteMatcher[];
}

/** A controller class, or a path (`'users/*'`, `{ path, method }`) as Nest matches it, without the global prefix. */
export type RouteMatcher = { cls: ts.ClassDeclaration } | { path: string; method?: string };

export interface ModuleInfo {
  imports: ts.Expression[];
  controllers: ts.ClassDeclaration[];
  consumerRules: ConsumerRule[];
  /** `{ provide: APP_GUARD, useClass: JwtAuthGuard }` providers: the guard each names. */
  appGuards: ts.Expression[];
}

export class NestModuleGraph {
  protected readonly modulesByClass = new Map<ts.ClassDeclaration, ModuleInfo>();
  protected readonly controllers = new Map<ts.ClassDeclaration, Controller>();
  /** RouterModule.register paths per module class. */
  protected readonly routerPaths = new Map<ts.ClassDeclaration, string>();

  constructor(
    protected readonly modules: Modules,
    protected readonly evaluator: Evaluator,
    protected readonly middleware: MiddlewareClassifier,
  ) {}

  protected collect(file: CodeFile): void {
    for (const statement of file.tree.statements) {
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
  protected nestName(expression: ts.Expression): string | undefined {
    const ref = this.evaluator.externalRef(expression);
    if (!ref?.module.startsWith('@nestjs/')) return undefined;
    return ref.path.join('.');
  }

  protected controller(cls: ts.ClassDeclaration, file: CodeFile, call: ts.CallExpression): Controller {
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

  protected pathList(expression: ts.Expression): StringValue[] {
    const node = unwrap(expression);
    if (typescript.isArrayLiteralExpression(node)) return node.elements.map((e) => this.evaluator.stringOrText(e));
    return [this.evaluator.stringOrText(node)];
  }

  protected versions(expression: ts.Expression): Version[] {
    const node = unwrap(expression);
    const items = typescript.isArrayLiteralExpression(node) ? [...node.elements] : [node];
    return items.map((item) => (this.nestName(item) === 'VERSION_NEUTRAL' ? NEUTRAL : this.versionText(item)));
  }

  /**
   * A version as it appears in a path: read through constants and config objects written in the code; one that
   * cannot be read (`configService.get('API_VERSION')`) is kept as written, marked unknown (`<configService.get('API_VERSION')>`), never dropped.
   */
  protected versionText(item: ts.Expression): string {
    const read = this.evaluator.string(item);
    return read?.exact ? read.value : `<${textOf(item)}>`;
  }

  protected consumerRules(cls: ts.ClassDeclaration): ConsumerRule[] {
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

  protected matchers(expression: ts.Expression): RouteMatcher[] {
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

  protected moduleInfo(call: ts.CallExpression): Omit<ModuleInfo, 'consumerRules'> {
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
  protected elements(expression: ts.Expression, depth = 0): ts.Expression[] {
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
  protected classOf(expression: ts.Expression): ts.ClassDeclaration | undefined {
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
  protected routerModule(entry: ts.Expression): void {
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

  protected reachable(root: ts.ClassDeclaration): {
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

  protected readonly ownerModule = new Map<ts.ClassDeclaration, ts.ClassDeclaration>();
}

export function decoratorCall(decorator: ts.Decorator): ts.CallExpression | undefined {
  return typescript.isCallExpression(decorator.expression) ? decorator.expression : undefined;
}
