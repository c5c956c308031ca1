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
  guardOf(path: string): string | null | undefined;
}

/** The end of one way through a middleware body: the check passed on it, null for none, 'unknown'. */
type End = string | null | 'unknown';
interface Flow {
  ends: End[];
  /** States of the ways that go on to the next statement: the check passed so far, or null. */
  falls: Array<string | null>;
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
    body = wrapperBody(classifier, binding.node, label);
    if (!body) return undefined;
  } else return undefined;
  const guardOf = body;
  return {
    guardOf(path) {
      const sample = samplePath(path);
      const runs = matches === undefined ? undefined : matches(sample);
      if (runs === undefined) return undefined;
      return runs ? guardOf(sample) : null;
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
  return () => info.label;
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

/** A middleware function read for one path at a time. */
class BodyReader {
  private readonly denials = new Map<ts.Node, boolean>();
  /** Verdicts per function and path: the check's label, false for none, null for unknown. */
  private readonly verdicts = new Map<ts.Node, Map<string, string | false | null>>();

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

  guardOf(fn: ts.FunctionLikeDeclaration, path: string, depth = 0): string | null | undefined {
    if (!fn.body || depth > MAX_DEPTH) return undefined;
    const memo = this.verdicts.get(fn)?.get(path);
    if (memo !== undefined) return memo === false ? null : (memo ?? undefined);
    const verdict = this.read(fn, path, depth);
    const byPath = this.verdicts.get(fn) ?? new Map<string, string | false | null>();
    byPath.set(path, verdict === undefined ? null : verdict === null ? false : verdict);
    this.verdicts.set(fn, byPath);
    return verdict;
  }

  private read(fn: ts.FunctionLikeDeclaration, path: string, depth: number): string | null | undefined {
    const scope = new Scope(fn, path, this.classifier);
    const body = fn.body!;
    const statements = typescript.isBlock(body)
      ? [...body.statements]
      : [typescript.factory.createReturnStatement(body as ts.Expression)];
    const flow = this.list(statements, [null], scope, depth);
    const ends = [...flow.ends, ...flow.falls];
    if (ends.some((end) => end === 'unknown')) return undefined;
    if (ends.every((end) => end !== null)) return (ends[0] as string | undefined) ?? null;
    if (ends.every((end) => end === null)) return null;
    return undefined;
  }

  private list(statements: ts.Statement[], states: Array<string | null>, scope: Scope, depth: number): Flow {
    const ends: End[] = [];
    let falls = states;
    for (const statement of statements) {
      const next: Array<string | null> = [];
      for (const state of falls) {
        const flow = this.statement(statement, state, scope, depth);
        ends.push(...flow.ends);
        next.push(...flow.falls);
      }
      falls = distinct(next);
      if (falls.length === 0 || ends.includes('unknown')) break;
    }
    return { ends, falls };
  }

  private statement(statement: ts.Statement, state: string | null, scope: Scope, depth: number): Flow {
    if (typescript.isBlock(statement)) return this.list([...statement.statements], [state], scope, depth);
    if (typescript.isReturnStatement(statement))
      return { ends: [this.returned(statement.expression, state, scope, depth)], falls: [] };
    if (typescript.isThrowStatement(statement)) return { ends: [state ?? this.label], falls: [] };
    if (typescript.isIfStatement(statement)) {
      const test = scope.truth(statement.expression);
      if (test === true) return this.statement(statement.thenStatement, state, scope, depth);
      if (test === false)
        return statement.elseStatement
          ? this.statement(statement.elseStatement, state, scope, depth)
          : { ends: [], falls: [state] };
      // A test of the caller's credential with a refusal in a branch: every way on has been checked.
      const checked =
        state ??
        (scope.readsCredential(statement.expression) &&
        (this.denies(statement.thenStatement) || (statement.elseStatement && this.denies(statement.elseStatement)))
          ? this.label
          : null);
      const then = this.statement(statement.thenStatement, checked, scope, depth);
      const otherwise = statement.elseStatement
        ? this.statement(statement.elseStatement, checked, scope, depth)
        : { ends: [], falls: [checked] };
      return { ends: [...then.ends, ...otherwise.ends], falls: [...then.falls, ...otherwise.falls] };
    }
    if (typescript.isTryStatement(statement)) {
      const tried = this.statement(statement.tryBlock, state, scope, depth);
      const caught = statement.catchClause
        ? this.statement(statement.catchClause.block, state, scope, depth)
        : { ends: [], falls: [] };
      return { ends: [...tried.ends, ...caught.ends], falls: [...tried.falls, ...caught.falls] };
    }
    if (typescript.isExpressionStatement(statement) || typescript.isVariableStatement(statement)) {
      if (state || this.denies(statement)) return { ends: [], falls: [state ?? this.label] };
      // `const authResponse = await handleAuth(request)`: a helper that checks on every way through it checks here.
      const handed = this.handedVerdict(statement, scope, depth);
      return handed === 'unknown' ? { ends: ['unknown'], falls: [] } : { ends: [], falls: [handed] };
    }
    if (typescript.isFunctionDeclaration(statement) || typescript.isEmptyStatement(statement))
      return { ends: [], falls: [state] };
    // A loop or a switch: followed only when nothing in it answers or refuses.
    return containsReturn(statement) || this.denies(statement)
      ? { ends: ['unknown'], falls: [] }
      : { ends: [], falls: [state] };
  }

  /**
   * The project functions a statement calls (not inside a callback), read for this path: the check one of them
   * passes on every way through it; 'unknown' when one refuses callers somewhere but cannot be read for this path.
   */
  private handedVerdict(statement: ts.Statement, scope: Scope, depth: number): string | null | 'unknown' {
    if (depth >= MAX_DEPTH) return null;
    let verdict: string | null | 'unknown' = null;
    const visit = (node: ts.Node): void => {
      if (verdict !== null || typescript.isFunctionLike(node)) return;
      if (typescript.isCallExpression(node) && node.arguments.length > 0) {
        for (const target of this.classifier.functionsAt(node.expression)) {
          const found = this.guardOf(target, scope.path, depth + 1);
          if (found) verdict = found;
          else if (found === undefined && this.deniesAnywhere(target, depth + 1)) verdict = 'unknown';
          if (verdict !== null) return;
        }
      }
      typescript.forEachChild(node, visit);
    };
    visit(statement);
    return verdict;
  }

  /** What a `return` ends with: a refusal, the answer of a function the request is handed to, or a plain answer. */
  private returned(expression: ts.Expression | undefined, state: string | null, scope: Scope, depth: number): End {
    if (state) return state;
    if (!expression) return null;
    const value = unwrapAwait(expression);
    if (this.denies(value)) return this.label;
    if (typescript.isIdentifier(value)) {
      const initial = scope.constant(value);
      if (initial === undefined) return 'unknown';
      if (scope.reassigned(value)) return 'unknown';
      return this.returned(initial, state, scope, depth + 1);
    }
    if (typescript.isCallExpression(value) || typescript.isNewExpression(value)) {
      const callee = value.expression;
      if (/^(NextResponse|Response)\b/.test(callee.getText())) return null;
      const pkg = this.classifier.packageOf(callee);
      if (pkg) return AUTH_PACKAGES.has(pkg) && !CALLBACK_DECIDES_PACKAGES.has(pkg) ? pkg : null;
      if (!typescript.isCallExpression(value)) return 'unknown';
      const targets = this.classifier.functionsAt(callee);
      if (targets.length === 0 || depth >= MAX_DEPTH) return 'unknown';
      const verdicts = targets.map((target) => this.guardOf(target, scope.path, depth + 1));
      if (verdicts.some((v) => v === undefined)) return 'unknown';
      if (verdicts.every((v) => v !== null)) return verdicts[0]!;
      return verdicts.every((v) => v === null) ? null : 'unknown';
    }
    // A literal, an object: an answer that checks nothing.
    return null;
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

/** The names of one middleware function, evaluated for one path: the pathname, constants, tests of the path. */
class Scope {
  private readonly constants = new Map<string, ts.Expression | null>();
  private readonly assigned = new Set<string>();
  private readonly pathNames = new Set<string>();
  /** Names destructured from a value (`const { session } = await getSession(req)`): the value. */
  private readonly sources = new Map<string, ts.Expression>();

  constructor(
    private readonly fn: ts.FunctionLikeDeclaration,
    readonly path: string,
    private readonly classifier: MiddlewareClassifier,
    pathParameters: ReadonlySet<number> = new Set(),
  ) {
    fn.parameters.forEach((p, i) => {
      if (pathParameters.has(i) && typescript.isIdentifier(p.name)) this.pathNames.add(p.name.text);
    });
    const visit = (node: ts.Node): void => {
      if (node !== fn && typescript.isFunctionLike(node) && !typescript.isArrowFunction(node)) return;
      if (typescript.isVariableDeclaration(node)) {
        if (typescript.isIdentifier(node.name)) {
          const name = node.name.text;
          this.constants.set(name, this.constants.has(name) || !node.initializer ? null : node.initializer);
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

  /** The expression is the request's pathname: `req.nextUrl.pathname`, `url.pathname`, a local holding it. */
  isPath(expression: ts.Expression, depth = 0): boolean {
    const node = unwrap(expression);
    if (typescript.isPropertyAccessExpression(node)) return node.name.text === 'pathname';
    if (!typescript.isIdentifier(node) || depth > 3) return false;
    if (this.pathNames.has(node.text)) return true;
    const local = this.constants.get(node.text);
    return local ? this.isPath(local, depth + 1) : false;
  }

  /** A condition read for this path: true, false, or undefined when it depends on more than the path. */
  truth(expression: ts.Expression, depth = 0): boolean | undefined {
    const node = unwrap(expression);
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
    return new Scope(helper, this.path, this.classifier, pathArgs).truth(returned, depth + 1);
  }

  /** `(p) => pathname.startsWith(p)` for one item of a list. */
  private withItem(fn: ts.ArrowFunction | ts.FunctionExpression, item: string, depth: number): boolean | undefined {
    const parameter = fn.parameters[0];
    if (!parameter || !typescript.isIdentifier(parameter.name)) return undefined;
    const body = typescript.isBlock(fn.body) ? singleReturn(fn) : fn.body;
    if (!body) return undefined;
    const name = parameter.name.text;
    const scope = new Scope(this.fn, this.path, this.classifier);
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

function distinct(states: Array<string | null>): Array<string | null> {
  const checked = states.find((s) => s !== null);
  const open = states.includes(null);
  return [...(checked !== undefined ? [checked] : []), ...(open ? [null] : [])];
}
