/**
 * The body of a Next.js middleware read statement by statement for one request (method and path) that carries no
 * credential: where it leaves — let through to the route, answered by the middleware itself, or unknown. Conditions
 * are read by next-middleware-scope.ts.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../../code/ts-morph.js';
import type { MiddlewareClassifier } from '../middleware.js';
import { AUTH_PACKAGES, CALLBACK_DECIDES_PACKAGES } from '../middleware-packages.js';
import { answeredStatus, lastName, redirectsToSignIn } from '../middleware-calls.js';
import { MAX_DEPTH, Scope, unwrapAwait } from './next-middleware-scope.js';

const typescript = loadTypeScript();

/** Calls that refuse an anonymous caller by their name: Clerk's `auth.protect()`, `redirectToSignIn()`. */
const DENYING_CALL = /^(protect|redirectToSignIn|redirectToLogin|unauthorized|unauthorised)$/i;

/**
 * How an anonymous request (no cookie, no token, no Authorization header) on one path leaves a middleware: let
 * through to the route (`NextResponse.next()`, a rewrite, the end of the body), refused (any answer of its own:
 * a 401, a redirect, Clerk's `auth.protect()`), or unknown (a call archlint cannot follow).
 */
export type Exit = 'pass' | 'refused' | 'unknown';
/** What comes after a middleware in a chain (`return next(request, event)` runs it). */
export type Rest = { name: string; run: () => Set<Exit> };

/** A middleware function read for one path at a time, as an anonymous request goes through it. */
export class BodyReader {
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
export function verdict(exits: Set<Exit>, label: string): string | null | undefined {
  if (exits.has('unknown') || exits.size === 0) return undefined;
  if (exits.size > 1) return undefined;
  return exits.has('refused') ? label : null;
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
