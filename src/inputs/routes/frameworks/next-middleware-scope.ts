/**
 * The conditions of a Next.js middleware read for one request with no credential: tests of the pathname and the
 * method evaluated (literals, constants, lists, regular expressions, Clerk's `createRouteMatcher`, small helpers
 * handed the path), reads of a credential taken as absent, anything else unknown.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../../code/ts-morph.js';
import type { MiddlewareClassifier } from '../middleware.js';
import { lastName } from '../middleware-calls.js';
import { unwrap } from '../values.js';
import { compileMatcher } from './next-matcher.js';

const typescript = loadTypeScript();

/** Reads of the credential a request carries: cookies, next-auth v5's `req.auth`, an Authorization header. */
const CREDENTIAL_READ =
  /\.cookies\b|\bcookies\(\)|\.auth\b|authorization|session|token|user_?id|\buser\b|authenticated|signed_?in|logged_?in/i;
/** How deep helpers and delegations are followed. */
export const MAX_DEPTH = 4;

/** The names of one middleware function, evaluated for one path: the pathname, constants, tests of the path. */
export class Scope {
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

export function isFunction(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression {
  return typescript.isArrowFunction(node) || typescript.isFunctionExpression(node);
}

export function unwrapAwait(expression: ts.Expression): ts.Expression {
  let node = unwrap(expression);
  while (typescript.isAwaitExpression(node)) node = unwrap(node.expression);
  return node;
}

/** The expression of a function whose body is one `return` (constants before it allowed). */
export function singleReturn(fn: ts.FunctionLikeDeclaration): ts.Expression | undefined {
  if (!fn.body) return undefined;
  if (!typescript.isBlock(fn.body)) return fn.body;
  const statements = fn.body.statements;
  const last = statements[statements.length - 1];
  if (!last || !typescript.isReturnStatement(last) || !last.expression) return undefined;
  return statements.slice(0, -1).every((s) => typescript.isVariableStatement(s)) ? last.expression : undefined;
}
