/**
 * A Next.js `middleware.ts` (Next 16: `proxy.ts`) as an auth source: which routes it runs for (its exported
 * `config.matcher`, every path when there is none) and, on each of those paths, whether its body checks a
 * credential before the request goes on. The body is read per path: conditions on the pathname
 * (`if (pathname.startsWith('/api/public')) return NextResponse.next()`, `createRouteMatcher([...])(req)`) are
 * evaluated for the route's path; any other condition (a host, a cookie) may go either way. A path where every way
 * through the body passes a credential check (a 401/403 answer, a redirect to sign in, Clerk's `auth.protect()`,
 * or a condition on the session with such an answer in a branch) is guarded; a path where no way does is not;
 * anything else, or a matcher or body archlint cannot read, is unknown — the rule then stays quiet.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../../code/ts-morph.js';
import type { CodeFile } from '../../code/index.js';
import type { MiddlewareClassifier } from '../middleware.js';
import { AUTH_PACKAGES, CALLBACK_DECIDES_PACKAGES } from '../middleware-packages.js';
import { answeredStatus, lastName, redirectsToSignIn } from '../middleware-calls.js';
import type { Modules } from '../modules.js';
import { findProperty, packageName, unwrap } from '../values.js';
import { compileMatcher, samplePath } from './next-matcher.js';

const typescript = loadTypeScript();

export interface NextMiddleware {
  /**
   * For a route path as the middleware sees it (no basePath): the label of the check it runs there, null when it
   * does not check credentials on that path (or does not run for it), undefined when archlint cannot tell.
   */
  guardOf(path: string, method?: string): string | null | undefined;
}

/** Calls that refuse an anonymous caller by their name: Clerk's `auth.protect()`, `redirectToSignIn()`. */
const DENYING_CALL = /^(protect|redirectToSignIn|redirectToLogin|unauthorized|unauthorised)$/i;
/** Reads of the credential a request carries: cookies, next-auth v5's `req.auth`, an Authorization header. */
const CREDENTIAL_READ =
  /\.cookies\b|\bcookies\(\)|\.auth\b|authorization|session|token|user_?id|\buser\b|authenticated|signed_?in|logged_?in/i;
const MAX_DEPTH = 4;

/** The middleware.ts of a Next.js app as an auth source, or undefined when it checks no credential anywhere. */
export function readNextMiddleware(
  modules: Modules,
  classifier: MiddlewareClassifier,
  file: CodeFile,
): NextMiddleware | undefined {
  const binding =
    modules.exportOf(file, 'default') ?? modules.exportOf(file, 'middleware') ?? modules.exportOf(file, 'proxy');
  if (!binding) return undefined;
  const matches = matcherOf(modules, file);
  const label = `${file.path} middleware`;
  let body: ((path: string) => string | null | undefined) | undefined;
  if (binding.kind === 'external') {
    // `export { default } from 'next-auth/middleware'`: the package guards every path it runs for.
    const pkg = packageName(binding.module);
    if (!AUTH_PACKAGES.has(pkg) || CALLBACK_DECIDES_PACKAGES.has(pkg)) return undefined;
    body = () => binding.module;
  } else if (binding.kind === 'function' || (binding.kind === 'value' && isFunction(unwrap(binding.node)))) {
    // `export default async function middleware(req)`, `export const proxy = async (req) => {…}`
    const fn = (binding.kind === 'function' ? binding.node : unwrap(binding.node)) as ts.FunctionLikeDeclaration;
    if (classifier.functionKind(fn) !== 'auth') return undefined;
    const reader = new BodyReader(classifier, label);
    // Evidence of a credential read but no refusal archlint recognises: it cannot tell where it guards.
    if (!reader.deniesAnywhere(fn)) body = () => undefined;
    else body = (path) => reader.guardOf(fn, path);
  } else if (binding.kind === 'value') {
    body = chainBody(classifier, binding.node, label) ?? wrapperBody(classifier, binding.node, label);
    if (!body) return undefined;
  } else return undefined;
  const guardOf = body;
  return {
    guardOf(path, method) {
      const sample = samplePath(path);
      const runs = matches === undefined ? undefined : matches(sample);
      if (runs === undefined) return undefined;
      // The body reads the request: its method (`*` for a route of every method) and its path.
      return runs ? guardOf(`${method?.toUpperCase() ?? '*'} ${sample}`) : null;
    },
  };
}

/**
 * `export default withAuth(fn, options)`, `clerkMiddleware(async (auth, req) => …)`, `auth((req) => …)`: an auth
 * package's wrapper. Most guard every path they run for whatever the callback does; Clerk's guards only where
 * its callback asks (`auth.protect()`), so there the callback is read per path.
 */
function wrapperBody(
  classifier: MiddlewareClassifier,
  node: ts.Expression,
  label: string,
): ((path: string) => string | null | undefined) | undefined {
  const info = classifier.classify(node).find((i) => i.kind === 'auth');
  const value = unwrap(node);
  const pkg = classifier.packageOf(value);
  if (pkg && CALLBACK_DECIDES_PACKAGES.has(pkg) && typescript.isCallExpression(value)) {
    const callback = value.arguments
      .map((a) => unwrap(a))
      .find(
        (a): a is ts.ArrowFunction | ts.FunctionExpression =>
          typescript.isArrowFunction(a) || typescript.isFunctionExpression(a),
      );
    // `clerkMiddleware()` alone makes the session available and protects no route.
    if (!callback) return () => null;
    const reader = new BodyReader(classifier, `${label} (${pkg})`);
    return (path) => reader.guardOf(callback, path);
  }
  if (!info) return undefined;
  const inner = typescript.isCallExpression(value) ? decidingCallback(value) : undefined;
  if (inner) {
    const reader = new BodyReader(classifier, `${label} (${pkg ?? info.label})`);
    return (path) => reader.guardOf(inner, path);
  }
  return () => info.label;
}

/**
 * next-auth's `withAuth(fn, { callbacks: { authorized: () => true } })`: the wrapper lets every request through
 * to `fn`, which decides. With any other `authorized` (or none: a token is required) the wrapper guards.
 */
function decidingCallback(call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
  const [first, options] = call.arguments.map((a) => unwrap(a));
  if (!first || !isFunction(first) || !options || !typescript.isObjectLiteralExpression(options)) return undefined;
  const callbacks = findProperty(options, 'callbacks');
  const object = callbacks ? unwrap(callbacks) : undefined;
  if (!object || !typescript.isObjectLiteralExpression(object)) return undefined;
  const authorized = object.properties.find((p) => p.name?.getText() === 'authorized');
  const fn =
    authorized && typescript.isMethodDeclaration(authorized)
      ? authorized
      : authorized && typescript.isPropertyAssignment(authorized) && isFunction(unwrap(authorized.initializer))
        ? (unwrap(authorized.initializer) as ts.ArrowFunction)
        : undefined;
  const returned = fn ? singleReturn(fn) : undefined;
  return returned?.kind === typescript.SyntaxKind.TrueKeyword ? first : undefined;
}

/**
 * `export const middleware = chain([checkCsrf, checkAuth])`: a project function handed a list of middleware
 * factories (`(next) => async (req, event) => { …; return next(req, event) }`), run in order. An anonymous request
 * goes through each until one answers it or lets it through without calling `next`.
 */
function chainBody(
  classifier: MiddlewareClassifier,
  node: ts.Expression,
  label: string,
): ((path: string) => string | null | undefined) | undefined {
  const value = unwrap(node);
  if (!typescript.isCallExpression(value) || value.arguments.length !== 1) return undefined;
  if (classifier.packageOf(value.expression) || classifier.functionsAt(value.expression).length === 0) return undefined;
  const list = classifier.valueAt(value.arguments[0]!);
  if (!typescript.isArrayLiteralExpression(list) || list.elements.length === 0) return undefined;
  const factories = list.elements.map((element) => classifier.functionsAt(unwrap(element))[0]);
  if (factories.some((f) => !f || f.parameters.length === 0)) return undefined;
  const reader = new BodyReader(classifier, label);
  const steps = factories.map((factory) => chainStep(classifier, factory!));
  if (!steps.some((step) => step === 'guard' || (typeof step === 'object' && reader.deniesAnywhere(step.fn))))
    return undefined;
  return (path) => {
    const run = (index: number): Set<'pass' | 'refused' | 'unknown'> => {
      const step = steps[index];
      if (!step) return new Set(['pass']);
      if (step === 'guard') return new Set(['refused']);
      if (step === 'unknown') return new Set(['unknown']);
      return reader.exitsOf(step.fn, path, 0, { name: step.next, run: () => run(index + 1) });
    };
    return verdict(run(0), label);
  };
}

/** One factory of a chain: the middleware it returns and the name it calls the rest of the chain by. */
function chainStep(
  classifier: MiddlewareClassifier,
  factory: ts.FunctionLikeDeclaration,
): { fn: ts.FunctionLikeDeclaration; next: string } | 'guard' | 'unknown' {
  const parameter = factory.parameters[0]!;
  if (!typescript.isIdentifier(parameter.name)) return 'unknown';
  const returned = singleReturn(factory);
  const made = returned ? unwrap(returned) : undefined;
  if (!made) return 'unknown';
  if (isFunction(made)) return { fn: made, next: parameter.name.text };
  if (typescript.isCallExpression(made)) {
    const pkg = classifier.packageOf(made.expression);
    if (!pkg || !AUTH_PACKAGES.has(pkg)) return 'unknown';
    const inner = decidingCallback(made);
    return inner ? { fn: inner, next: parameter.name.text } : CALLBACK_DECIDES_PACKAGES.has(pkg) ? 'unknown' : 'guard';
  }
  return 'unknown';
}

/** The exported `config.matcher` as a test of a path; undefined when it cannot be read. Every path without one. */
function matcherOf(modules: Modules, file: CodeFile): ((path: string) => boolean) | undefined {
  const config = modules.exportOf(file, 'config');
  if (!config) return () => true;
  const object = config.kind === 'value' ? unwrap(config.node) : undefined;
  if (!object || !typescript.isObjectLiteralExpression(object)) return undefined;
  const matcher = findProperty(object, 'matcher');
  if (!matcher) return () => true;
  const node = unwrap(matcher);
  const items = typescript.isArrayLiteralExpression(node) ? [...node.elements] : [node];
  const patterns: RegExp[] = [];
  for (const raw of items) {
    let item = unwrap(raw);
    if (typescript.isObjectLiteralExpression(item)) {
      // `{ source, missing: [prefetch headers] }`: a condition on headers (`has`) decides per request.
      if (findProperty(item, 'has')) return undefined;
      const source = findProperty(item, 'source');
      if (!source) return undefined;
      item = unwrap(source);
    }
    const compiled = typescript.isStringLiteralLike(item) ? compileMatcher(item.text) : undefined;
    if (!compiled) return undefined;
    patterns.push(compiled);
  }
  return (path) => patterns.some((pattern) => pattern.test(path));
}

/**
 * How an anonymous request (no cookie, no token, no Authorization header) on one path leaves a middleware: let
 * through to the route (`NextResponse.next()`, a rewrite, the end of the body), refused (any answer of its own:
 * a 401, a redirect, Clerk's `auth.protect()`), or unknown (a call archlint cannot follow).
 */
type Exit = 'pass' | 'refused' | 'unknown';
/** What comes after a middleware in a chain (`return next(request, event)` runs it). */
type Rest = { name: string; run: () => Set<Exit> };

/** A middleware function read for one path at a time, as an anonymous request goes through it. */
class BodyReader {
  private readonly denials = new Map<ts.Node, boolean>();
  private readonly exits = new Map<ts.Node, Map<string, Set<Exit>>>();

  constructor(
    private readonly classifier: MiddlewareClassifier,
    private readonly label: string,
  ) {}

  /** Some way through the body (or a function it hands the request to) refuses a caller. */
  deniesAnywhere(fn: ts.FunctionLikeDeclaration, depth = 0): boolean {
    if (!fn.body || depth > MAX_DEPTH) return false;
    if (this.denies(fn.body)) return true;
    let found = false;
    const visit = (node: ts.Node): void => {
      if (found || (node !== fn.body && typescript.isFunctionLike(node))) return;
      if (typescript.isCallExpression(node))
        for (const target of this.classifier.functionsAt(node.expression))
          if (target !== fn && this.deniesAnywhere(target, depth + 1)) found = true;
      typescript.forEachChild(node, visit);
    };
    visit(fn.body);
    return found;
  }

  /** The middleware's check on this path: its label when it refuses anonymous requests, null when it lets them through. */
  guardOf(fn: ts.FunctionLikeDeclaration, path: string, rest?: Rest): string | null | undefined {
    return verdict(this.exitsOf(fn, path, 0, rest), this.label);
  }

  exitsOf(fn: ts.FunctionLikeDeclaration, path: string, depth: number, rest?: Rest): Set<Exit> {
    if (!fn.body || depth > MAX_DEPTH) return new Set(['unknown']);
    const memo = rest ? undefined : this.exits.get(fn)?.get(path);
    if (memo) return memo;
    const scope = new Scope(fn, path, this.classifier, new Set(), (call) => this.helperAnswers(call, path, depth));
    const body = fn.body;
    const statements = typescript.isBlock(body)
      ? [...body.statements]
      : [typescript.factory.createReturnStatement(body as ts.Expression)];
    const flow = this.list(statements, scope, depth, rest);
    if (flow.falls) flow.exits.add('pass');
    if (!rest) {
      const byPath = this.exits.get(fn) ?? new Map<string, Set<Exit>>();
      byPath.set(path, flow.exits);
      this.exits.set(fn, byPath);
    }
    return flow.exits;
  }

  /**
   * `const authResponse = await handleAuth(request)`: whether the helper answers an anonymous request itself
   * (true), returns nothing so the middleware goes on (false), or either (undefined).
   */
  private helperAnswers(call: ts.CallExpression, path: string, depth: number): boolean | undefined {
    const targets = this.classifier.functionsAt(call.expression);
    if (targets.length !== 1 || depth >= MAX_DEPTH) return undefined;
    const exits = this.exitsOf(targets[0]!, path, depth + 1);
    if (exits.size !== 1 || exits.has('unknown')) return undefined;
    return exits.has('refused');
  }

  private list(
    statements: ts.Statement[],
    scope: Scope,
    depth: number,
    rest?: Rest,
  ): { exits: Set<Exit>; falls: boolean } {
    const exits = new Set<Exit>();
    for (const statement of statements) {
      const flow = this.statement(statement, scope, depth, rest);
      for (const exit of flow.exits) exits.add(exit);
      if (!flow.falls || exits.has('unknown')) return { exits, falls: false };
    }
    return { exits, falls: true };
  }

  private statement(
    statement: ts.Statement,
    scope: Scope,
    depth: number,
    rest?: Rest,
  ): { exits: Set<Exit>; falls: boolean } {
    const none = { exits: new Set<Exit>(), falls: true };
    if (typescript.isBlock(statement)) return this.list([...statement.statements], scope, depth, rest);
    if (typescript.isReturnStatement(statement))
      return { exits: this.returned(statement.expression, scope, depth, rest), falls: false };
    if (typescript.isThrowStatement(statement)) return { exits: new Set(['refused']), falls: false };
    if (typescript.isIfStatement(statement)) {
      const test = scope.truth(statement.expression);
      if (test === true) return this.statement(statement.thenStatement, scope, depth, rest);
      if (test === false)
        return statement.elseStatement ? this.statement(statement.elseStatement, scope, depth, rest) : none;
      // A condition on something else than the path and the credential (a host, the method): either way.
      const then = this.statement(statement.thenStatement, scope, depth, rest);
      const otherwise = statement.elseStatement ? this.statement(statement.elseStatement, scope, depth, rest) : none;
      return { exits: new Set([...then.exits, ...otherwise.exits]), falls: then.falls || otherwise.falls };
    }
    // The normal way through a `try`; its `catch` runs on failures, not for an anonymous caller.
    if (typescript.isTryStatement(statement)) return this.statement(statement.tryBlock, scope, depth, rest);
    if (typescript.isExpressionStatement(statement) || typescript.isVariableStatement(statement))
      // `await auth.protect()`: refuses an anonymous caller right there.
      return this.denies(statement) && !containsFunction(statement)
        ? { exits: new Set(['refused']), falls: false }
        : none;
    if (typescript.isFunctionDeclaration(statement) || typescript.isEmptyStatement(statement)) return none;
    // A loop or a switch: followed only when nothing in it answers or refuses.
    return containsReturn(statement) || this.denies(statement) ? { exits: new Set(['unknown']), falls: false } : none;
  }

  /** Where a `return` sends an anonymous request. */
  private returned(expression: ts.Expression | undefined, scope: Scope, depth: number, rest?: Rest): Set<Exit> {
    if (!expression) return new Set(['pass']);
    const value = unwrapAwait(expression);
    if (
      value.kind === typescript.SyntaxKind.NullKeyword ||
      (typescript.isIdentifier(value) && value.text === 'undefined')
    )
      return new Set(['pass']);
    if (typescript.isIdentifier(value)) {
      const initial = scope.constant(value);
      if (initial === undefined || scope.reassigned(value) || depth > MAX_DEPTH) return new Set(['unknown']);
      return this.returned(initial, scope, depth + 1, rest);
    }
    if (typescript.isCallExpression(value) || typescript.isNewExpression(value)) {
      const callee = value.expression;
      // `return next(request, event)` in a chain: the rest of the chain decides.
      if (rest && typescript.isIdentifier(callee) && callee.text === rest.name) return rest.run();
      const text = callee.getText();
      if (/^(NextResponse|Response)\b/.test(text))
        return new Set([/\.(next|rewrite)$/.test(text) && typescript.isCallExpression(value) ? 'pass' : 'refused']);
      if (this.denies(value)) return new Set(['refused']);
      const pkg = this.classifier.packageOf(callee);
      if (pkg) return new Set([AUTH_PACKAGES.has(pkg) && !CALLBACK_DECIDES_PACKAGES.has(pkg) ? 'refused' : 'pass']);
      if (!typescript.isCallExpression(value)) return new Set(['unknown']);
      const targets = this.classifier.functionsAt(callee);
      if (targets.length === 0 || depth >= MAX_DEPTH) return new Set(['unknown']);
      // `return AppMiddleware(req)`: where that function sends the request.
      return new Set(targets.flatMap((target) => [...this.exitsOf(target, scope.request, depth + 1)]));
    }
    if (typescript.isConditionalExpression(value)) {
      const test = scope.truth(value.condition);
      if (test !== undefined) return this.returned(test ? value.whenTrue : value.whenFalse, scope, depth + 1, rest);
      return new Set([
        ...this.returned(value.whenTrue, scope, depth + 1, rest),
        ...this.returned(value.whenFalse, scope, depth + 1, rest),
      ]);
    }
    return new Set(['unknown']);
  }

  /** The node refuses a caller: a 401/403 answer, a redirect to sign in, `auth.protect()`, a denial error. */
  denies(node: ts.Node): boolean {
    const memo = this.denials.get(node);
    if (memo !== undefined) return memo;
    let found = false;
    const visit = (current: ts.Node): void => {
      if (found || (current !== node && typescript.isFunctionLike(current))) return;
      if (typescript.isCallExpression(current) || typescript.isNewExpression(current)) {
        if (
          answeredStatus(current).some((s) => s === '401' || s === '403') ||
          redirectsToSignIn(current) ||
          DENYING_CALL.test(lastName(current.expression))
        )
          found = true;
      }
      typescript.forEachChild(current, visit);
    };
    visit(node);
    this.denials.set(node, found);
    return found;
  }
}

/** Every anonymous request refused: guarded; every one let through: not; a mix or an unknown: cannot tell. */
function verdict(exits: Set<Exit>, label: string): string | null | undefined {
  if (exits.has('unknown') || exits.size === 0) return undefined;
  if (exits.size > 1) return undefined;
  return exits.has('refused') ? label : null;
}

/** The names of one middleware function, evaluated for one path: the pathname, constants, tests of the path. */
class Scope {
  private readonly constants = new Map<string, ts.Expression | null>();
  private readonly assigned = new Set<string>();
  private readonly pathNames = new Set<string>();
  readonly path: string;
  /** Upper case; `*` when the route answers every method. */
  readonly method: string;
  /** Names destructured from a value (`const { session } = await getSession(req)`): the value. */
  private readonly sources = new Map<string, ts.Expression>();

  constructor(
    private readonly fn: ts.FunctionLikeDeclaration,
    /** `GET /api/items/p1`: the method and the path of the request read. */
    readonly request: string,
    private readonly classifier: MiddlewareClassifier,
    pathParameters: ReadonlySet<number> = new Set(),
    /** Whether a project helper handed the request answers it itself (`const denied = await handleAuth(req)`). */
    private readonly helper: (call: ts.CallExpression) => boolean | undefined = () => undefined,
  ) {
    const space = request.indexOf(' ');
    this.method = request.slice(0, space);
    this.path = request.slice(space + 1);
    fn.parameters.forEach((p, i) => {
      if (pathParameters.has(i) && typescript.isIdentifier(p.name)) this.pathNames.add(p.name.text);
    });
    const visit = (node: ts.Node): void => {
      if (node !== fn && typescript.isFunctionLike(node) && !typescript.isArrowFunction(node)) return;
      if (typescript.isVariableDeclaration(node)) {
        if (typescript.isIdentifier(node.name)) {
          const name = node.name.text;
          const before = this.constants.get(name);
          // Declared twice (in a `try` and its `catch`): one value only when both are written the same.
          const same = before && node.initializer && before.getText() === node.initializer.getText();
          this.constants.set(
            name,
            same ? before : this.constants.has(name) || !node.initializer ? null : node.initializer,
          );
        } else if (typescript.isObjectBindingPattern(node.name)) {
          // `const { pathname } = req.nextUrl`
          for (const element of node.name.elements)
            if (typescript.isIdentifier(element.name)) {
              const key = element.propertyName?.getText() ?? element.name.text;
              if (key === 'pathname') this.pathNames.add(element.name.text);
              else this.constants.set(element.name.text, null);
              // `const { isAuthenticated } = await updateSession(req)`: what the value was read from.
              if (node.initializer) this.sources.set(element.name.text, node.initializer);
            }
        }
      } else if (
        typescript.isBinaryExpression(node) &&
        node.operatorToken.kind === typescript.SyntaxKind.EqualsToken &&
        typescript.isIdentifier(node.left)
      )
        this.assigned.add(node.left.text);
      typescript.forEachChild(node, visit);
    };
    if (fn.body) visit(fn.body);
  }

  constant(id: ts.Identifier): ts.Expression | undefined {
    const local = this.constants.get(id.text);
    if (local === null) return undefined;
    if (local) return local;
    const value = this.classifier.valueAt(id);
    return value === id ? undefined : value;
  }

  reassigned(id: ts.Identifier): boolean {
    return this.assigned.has(id.text);
  }

  /** `req.method`, `request.method.toUpperCase()`: the request's method. */
  isMethod(expression: ts.Expression): boolean {
    let node = unwrap(expression);
    if (
      typescript.isCallExpression(node) &&
      typescript.isPropertyAccessExpression(node.expression) &&
      /^to(Upper|Lower)Case$/.test(node.expression.name.text)
    )
      node = node.expression.expression;
    return typescript.isPropertyAccessExpression(node) && node.name.text === 'method';
  }

  /** The expression is the request's pathname: `req.nextUrl.pathname`, `url.pathname`, a local holding it. */
  isPath(expression: ts.Expression, depth = 0): boolean {
    const node = unwrap(expression);
    if (typescript.isPropertyAccessExpression(node)) return node.name.text === 'pathname';
    if (!typescript.isIdentifier(node) || depth > 3) return false;
    if (this.pathNames.has(node.text)) return true;
    const local = this.constants.get(node.text);
    return local ? this.isPath(local, depth + 1) : false;
  }

  /**
   * A condition read for this path and an anonymous request: true, false, or undefined when it depends on more
   * (a host, the method, the environment). What reads the request's credential is absent: `token`, `!!session`,
   * `authHeader.startsWith('Bearer ')` are false.
   */
  truth(expression: ts.Expression, depth = 0): boolean | undefined {
    const node = unwrapAwait(expression);
    if (depth > 6) return undefined;
    const known = this.pathTruth(node, depth);
    if (known !== undefined) return known;
    if (typescript.isPrefixUnaryExpression(node) || typescript.isBinaryExpression(node)) {
      const op = typescript.isBinaryExpression(node) ? node.operatorToken.kind : undefined;
      const equality =
        op === typescript.SyntaxKind.EqualsEqualsEqualsToken ||
        op === typescript.SyntaxKind.EqualsEqualsToken ||
        op === typescript.SyntaxKind.ExclamationEqualsEqualsToken ||
        op === typescript.SyntaxKind.ExclamationEqualsToken;
      // `token?.email === demoEmail`: an absent credential equals nothing the code compares it with.
      if (
        equality &&
        typescript.isBinaryExpression(node) &&
        (this.readsCredential(node.left) || this.readsCredential(node.right))
      )
        return (
          op === typescript.SyntaxKind.ExclamationEqualsEqualsToken ||
          op === typescript.SyntaxKind.ExclamationEqualsToken
        );
      return undefined;
    }
    if (typescript.isIdentifier(node)) {
      const local = this.constants.get(node.text);
      const call = local ? unwrapAwait(local) : undefined;
      if (call && typescript.isCallExpression(call) && this.classifier.functionsAt(call.expression).length > 0) {
        const answers = this.helper(call);
        if (answers !== undefined) return answers;
      }
    }
    if (typescript.isCallExpression(node) && this.classifier.functionsAt(node.expression).length > 0) {
      const answers = this.helper(node);
      if (answers !== undefined) return answers;
    }
    return this.readsCredential(node) ? false : undefined;
  }

  private pathTruth(expression: ts.Expression, depth = 0): boolean | undefined {
    const node = unwrapAwait(expression);
    if (depth > 6) return undefined;
    if (typescript.isPrefixUnaryExpression(node) && node.operator === typescript.SyntaxKind.ExclamationToken) {
      const inner = this.truth(node.operand, depth + 1);
      return inner === undefined ? undefined : !inner;
    }
    if (typescript.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (op === typescript.SyntaxKind.AmpersandAmpersandToken || op === typescript.SyntaxKind.BarBarToken) {
        const left = this.truth(node.left, depth + 1);
        const right = this.truth(node.right, depth + 1);
        if (op === typescript.SyntaxKind.AmpersandAmpersandToken)
          return left === false || right === false ? false : left && right ? true : undefined;
        return left === true || right === true ? true : left === false && right === false ? false : undefined;
      }
      const equal =
        op === typescript.SyntaxKind.EqualsEqualsEqualsToken || op === typescript.SyntaxKind.EqualsEqualsToken;
      const unequal =
        op === typescript.SyntaxKind.ExclamationEqualsEqualsToken ||
        op === typescript.SyntaxKind.ExclamationEqualsToken;
      if ((equal || unequal) && this.method !== '*' && (this.isMethod(node.left) || this.isMethod(node.right))) {
        const literal = this.text(this.isMethod(node.left) ? node.right : node.left);
        return literal === undefined ? undefined : (literal.toUpperCase() === this.method) === equal;
      }
      if (equal || unequal) {
        const literal = this.isPath(node.left)
          ? this.text(node.right)
          : this.isPath(node.right)
            ? this.text(node.left)
            : undefined;
        if (literal === undefined) return undefined;
        return (literal === this.path) === equal;
      }
      return undefined;
    }
    if (typescript.isIdentifier(node)) {
      const local = this.constants.get(node.text);
      return local ? this.truth(local, depth + 1) : undefined;
    }
    if (typescript.isCallExpression(node)) return this.callTruth(node, depth);
    return undefined;
  }

  private callTruth(call: ts.CallExpression, depth: number): boolean | undefined {
    const callee = unwrap(call.expression);
    const arg = call.arguments[0];
    if (typescript.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const target = callee.expression;
      if (this.isPath(target) && arg) {
        const text = this.text(arg);
        if (method === 'startsWith' && text !== undefined) return this.path.startsWith(text);
        if (method === 'endsWith' && text !== undefined) return this.path.endsWith(text);
        if (method === 'includes' && text !== undefined) return this.path.includes(text);
        if (method === 'match' || method === 'test') {
          const re = this.regex(arg);
          return re ? re.test(this.path) : undefined;
        }
        return undefined;
      }
      if (method === 'test' && arg && this.isPath(arg)) {
        const re = this.regex(target);
        return re ? re.test(this.path) : undefined;
      }
      // `PUBLIC.some((p) => pathname.startsWith(p))`, `PUBLIC.includes(pathname)`
      const list = this.strings(target);
      if (list && (method === 'includes' || method === 'has') && arg && this.isPath(arg))
        return list.includes(this.path);
      // `STATE_CHANGING.has(request.method.toUpperCase())`
      if (list && (method === 'includes' || method === 'has') && arg && this.isMethod(arg) && this.method !== '*')
        return list.map((m) => m.toUpperCase()).includes(this.method);
      if (list && (method === 'some' || method === 'find') && arg) {
        const fn = unwrap(arg);
        if (!typescript.isArrowFunction(fn) && !typescript.isFunctionExpression(fn)) return undefined;
        const results = list.map((item) => this.withItem(fn, item, depth));
        if (results.some((r) => r === true)) return true;
        return results.every((r) => r === false) ? false : undefined;
      }
      return undefined;
    }
    // `isPublicRoute(req)` of Clerk's `createRouteMatcher([...])`, or a helper of the project handed the path.
    const made = typescript.isIdentifier(callee) ? this.classifier.valueAt(callee) : callee;
    if (typescript.isCallExpression(made) && lastName(made.expression) === 'createRouteMatcher') {
      const patterns = made.arguments[0] ? this.strings(made.arguments[0]) : undefined;
      if (!patterns) return undefined;
      const compiled = patterns.map((p) => compileMatcher(p));
      if (compiled.some((c) => c === undefined)) return undefined;
      return compiled.some((c) => c!.test(this.path));
    }
    const pathArgs = new Set(call.arguments.flatMap((a, i) => (this.isPath(a) ? [i] : [])));
    if (pathArgs.size === 0 || depth > 3) return undefined;
    const targets = this.classifier.functionsAt(callee);
    if (targets.length !== 1) return undefined;
    const helper = targets[0]!;
    const returned = singleReturn(helper);
    if (!returned) return undefined;
    return new Scope(helper, this.request, this.classifier, pathArgs, this.helper).truth(returned, depth + 1);
  }

  /** `(p) => pathname.startsWith(p)` for one item of a list. */
  private withItem(fn: ts.ArrowFunction | ts.FunctionExpression, item: string, depth: number): boolean | undefined {
    const parameter = fn.parameters[0];
    if (!parameter || !typescript.isIdentifier(parameter.name)) return undefined;
    const body = typescript.isBlock(fn.body) ? singleReturn(fn) : fn.body;
    if (!body) return undefined;
    const name = parameter.name.text;
    const scope = new Scope(this.fn, this.request, this.classifier, new Set(), this.helper);
    for (const [key, value] of this.constants) scope.constants.set(key, value);
    for (const key of this.pathNames) scope.pathNames.add(key);
    scope.constants.set(name, typescript.factory.createStringLiteral(item));
    return scope.truth(body, depth + 1);
  }

  /** A string the expression holds: a literal, or a constant of one. */
  private text(expression: ts.Expression): string | undefined {
    const node = unwrap(expression);
    if (typescript.isStringLiteralLike(node)) return node.text;
    if (typescript.isIdentifier(node)) {
      const value = this.constant(node);
      return value && typescript.isStringLiteralLike(unwrap(value))
        ? (unwrap(value) as ts.StringLiteral).text
        : undefined;
    }
    return undefined;
  }

  private strings(expression: ts.Expression): string[] | undefined {
    let node = unwrap(expression);
    if (typescript.isIdentifier(node)) node = unwrap(this.constant(node) ?? node);
    if (typescript.isNewExpression(node) && node.arguments?.[0]) return this.strings(node.arguments[0]);
    if (!typescript.isArrayLiteralExpression(node)) return undefined;
    const out: string[] = [];
    for (const element of node.elements) {
      const text = this.text(element);
      if (text === undefined) return undefined;
      out.push(text);
    }
    return out;
  }

  private regex(expression: ts.Expression): RegExp | undefined {
    let node = unwrap(expression);
    if (typescript.isIdentifier(node)) node = unwrap(this.constant(node) ?? node);
    if (!typescript.isRegularExpressionLiteral(node)) return undefined;
    const match = /^\/(.*)\/([a-z]*)$/s.exec(node.text);
    try {
      return match ? new RegExp(match[1]!, match[2]!.replace('g', '')) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The condition reads the caller's credential, directly or through a local it was read into. */
  readsCredential(expression: ts.Expression): boolean {
    const seen = new Set<string>();
    const visit = (node: ts.Node): boolean => {
      if (this.classifier.nodeKind(node).kind === 'auth' || CREDENTIAL_READ.test(node.getText())) return true;
      if (typescript.isIdentifier(node) && !seen.has(node.text)) {
        seen.add(node.text);
        const local = this.constants.get(node.text) ?? this.sources.get(node.text);
        if (local && visit(local)) return true;
      }
      return typescript.forEachChild(node, (child) => (visit(child) ? true : undefined)) === true;
    };
    return visit(expression);
  }
}

function isFunction(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression {
  return typescript.isArrowFunction(node) || typescript.isFunctionExpression(node);
}

function unwrapAwait(expression: ts.Expression): ts.Expression {
  let node = unwrap(expression);
  while (typescript.isAwaitExpression(node)) node = unwrap(node.expression);
  return node;
}

/** The expression of a function whose body is one `return` (constants before it allowed). */
function singleReturn(fn: ts.FunctionLikeDeclaration): ts.Expression | undefined {
  if (!fn.body) return undefined;
  if (!typescript.isBlock(fn.body)) return fn.body;
  const statements = fn.body.statements;
  const last = statements[statements.length - 1];
  if (!last || !typescript.isReturnStatement(last) || !last.expression) return undefined;
  return statements.slice(0, -1).every((s) => typescript.isVariableStatement(s)) ? last.expression : undefined;
}

function containsReturn(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || typescript.isFunctionLike(current)) return;
    if (typescript.isReturnStatement(current)) found = true;
    typescript.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

function containsFunction(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (current !== node && typescript.isFunctionLike(current)) found = true;
    else typescript.forEachChild(current, visit);
  };
  visit(node);
  return found;
}
