/**
 * Capability checks: a handler that lets the caller act on an object because the caller holds that object's own
 * secret, sent in the URL or the body (an event's edit key, a share token, a magic link's code), compared with the
 * secret stored on the object (`if (event.editToken !== req.body.editToken)`) or used to find it
 * (`Event.findOne({ id, editToken: req.params.editToken })`, `eq(events.editToken, token)`).
 *
 * That is authorisation by capability, not authentication: there is no caller identity to check, and an app built
 * that way (no accounts at all, each object guarded by its unguessable key) has no "authentication guard" a route
 * could have forgotten. Credentials sent in headers or cookies (a session, a bearer token, an API key) are not
 * capabilities; nor is a comparison with the service's own configuration (`process.env.ADMIN_KEY`: a shared secret
 * that identifies a trusted caller).
 *
 * Syntactic, read from the handler's body and the project functions it hands caller-sent values to (two levels).
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import { requestNamesIn } from './middleware-calls.js';
import { isEqualityComparison, textOf, unwrap } from './values.js';

const typescript = loadTypeScript();

/** A property that holds an object's own secret: `editToken`, `shareKey`, `passwordHash`, `accessCode`, `secret`. */
const SECRET_FIELD =
  /(token|secret|password|passcode|passphrase|pass_?hash|key_?hash|signature|(edit|access|admin|share|manage|delete|owner|private|magic|invite|invitation|view|guest)_?(key|code))$/i;
/** Where a caller-sent value travels with no credential semantics: the path, the query string, the body. */
const SENT_IN = /^(params|query|body|searchParams|payload|data)$/;
/** Framework accessors for a path or query value (`c.req.param('key')`, `url.searchParams.get('token')`). */
const SENT_ACCESSOR = /^(param|query|queries|get|getAll)$/;
/** NestJS parameter decorators that bind a path, query or body value. */
const SENT_DECORATOR = /^(Param|Query|Body)$/;
/** The service's own configuration: a comparison with it checks a shared secret, an identity, not a capability. */
const CONFIG_ROOT = /^(process|env|ENV|Env|config|cfg|conf|configuration|settings|options|opts|secrets?|constants?)$/;
/** Calls that compare two values, or find rows by a condition (Drizzle `eq`). */
const COMPARING_CALL = /^(eq|equals?|isEqual|timingSafeEqual|safeCompare|safeEqual|secureCompare|constantTimeEqual)$/;

const lastName = (node: ts.Expression): string =>
  typescript.isPropertyAccessExpression(node)
    ? node.name.text
    : typescript.isIdentifier(node)
      ? node.text
      : typescript.isElementAccessExpression(node) && typescript.isStringLiteralLike(node.argumentExpression)
        ? node.argumentExpression.text
        : '';

/** The names along a property chain, root first (`req.params.editToken` → req, params, editToken). */
function chainOf(node: ts.Expression): { root?: string; names: string[] } {
  const names: string[] = [];
  let current = unwrap(node);
  for (;;) {
    if (typescript.isPropertyAccessExpression(current)) {
      names.unshift(current.name.text);
      current = unwrap(current.expression);
    } else if (typescript.isElementAccessExpression(current)) {
      names.unshift(typescript.isStringLiteralLike(current.argumentExpression) ? current.argumentExpression.text : '');
      current = unwrap(current.expression);
    } else if (typescript.isCallExpression(current) && typescript.isPropertyAccessExpression(current.expression)) {
      names.unshift(`${current.expression.name.text}()`);
      current = unwrap(current.expression.expression);
    } else break;
  }
  if (current.kind === typescript.SyntaxKind.ThisKeyword) return { root: 'this', names };
  return typescript.isIdentifier(current) ? { root: current.text, names } : { names };
}

class Reader {
  /** Names bound to a value the caller sent in the path, query or body. */
  private readonly sent = new Set<string>();
  private readonly requests: Set<string>;

  constructor(
    private readonly fn: ts.FunctionLikeDeclaration,
    sentParameters: number[],
    handler: boolean,
  ) {
    // In a helper the request is not known by name: only the parameters handed caller-sent values count.
    this.requests = handler ? requestNamesIn(fn) : new Set();
    fn.parameters.forEach((parameter, index) => {
      const decorated = typescript
        .getDecorators?.(parameter)
        ?.some(
          (d) => typescript.isCallExpression(d.expression) && SENT_DECORATOR.test(textOf(d.expression.expression)),
        );
      if (!decorated && !sentParameters.includes(index)) {
        // `({ params }: { params: { token: string } })` of a Next.js or React Router handler: the path's values.
        if (typescript.isObjectBindingPattern(parameter.name))
          for (const element of parameter.name.elements) {
            const key = element.propertyName?.getText() ?? element.name.getText();
            if (SENT_IN.test(key)) this.bind(element.name);
          }
        return;
      }
      this.bind(parameter.name);
    });
    this.collectBindings();
  }

  private bind(name: ts.BindingName): void {
    if (typescript.isIdentifier(name)) this.sent.add(name.text);
    else for (const element of name.elements) if (!typescript.isOmittedExpression(element)) this.bind(element.name);
  }

  /** `const token = req.params.token`, `const { editToken } = req.body`, `const key = c.req.query('key')`. */
  private collectBindings(): void {
    const visit = (node: ts.Node): void => {
      if (typescript.isVariableDeclaration(node) && node.initializer) {
        let init = unwrap(node.initializer);
        if (typescript.isAwaitExpression(init)) init = unwrap(init.expression);
        if (this.isSent(init)) this.bind(node.name);
      }
      typescript.forEachChild(node, visit);
    };
    if (this.fn.body) visit(this.fn.body);
  }

  /** A value the caller sent in the path, query string or body. */
  isSent(expression: ts.Expression): boolean {
    const node = unwrap(expression);
    if (typescript.isIdentifier(node)) return this.sent.has(node.text);
    // `req.query.e || req.body.editToken`: taken from wherever the caller put it.
    if (
      typescript.isBinaryExpression(node) &&
      [typescript.SyntaxKind.BarBarToken, typescript.SyntaxKind.QuestionQuestionToken].includes(node.operatorToken.kind)
    )
      return this.isSent(node.left) || this.isSent(node.right);
    if (typescript.isCallExpression(node)) {
      // `c.req.param('editKey')`, `url.searchParams.get('token')`, `ctx.query('key')`.
      if (!typescript.isPropertyAccessExpression(node.expression) || !SENT_ACCESSOR.test(node.expression.name.text))
        return false;
      const { root, names } = chainOf(node.expression.expression);
      return (
        (root !== undefined && this.requests.has(root) && !names.some((n) => /^(headers|cookies?)$/i.test(n))) ||
        names.includes('searchParams') ||
        root === 'searchParams'
      );
    }
    if (!typescript.isPropertyAccessExpression(node) && !typescript.isElementAccessExpression(node)) return false;
    const { root, names } = chainOf(node);
    if (root === undefined) return false;
    if (this.sent.has(root)) return true;
    // `req.params.editToken`, `ctx.request.body.key`, `params.token` of a route handler's argument.
    if (this.requests.has(root)) return names.some((n) => SENT_IN.test(n));
    return false;
  }

  /** A secret stored on an object the handler loaded: `event.editToken`, `share.accessKey` (not the configuration). */
  isStoredSecret(expression: ts.Expression): boolean {
    const node = unwrap(expression);
    if (!typescript.isPropertyAccessExpression(node) && !typescript.isElementAccessExpression(node)) return false;
    if (!SECRET_FIELD.test(lastName(node))) return false;
    const { root, names } = chainOf(node);
    if (root === undefined || this.requests.has(root) || this.sent.has(root) || CONFIG_ROOT.test(root)) return false;
    return !names.some((n) => CONFIG_ROOT.test(n.replace(/\(\)$/, '')) || /^(headers|cookies?)$/i.test(n));
  }

  /** The first capability check in the body, as written; the arguments of calls that pass on caller-sent values. */
  find(): { check?: string; handed: Array<{ call: ts.CallExpression; sent: number[] }> } {
    let check: string | undefined;
    const handed: Array<{ call: ts.CallExpression; sent: number[] }> = [];
    const pair = (a: ts.Expression, b: ts.Expression) =>
      (this.isSent(a) && this.isStoredSecret(b)) || (this.isSent(b) && this.isStoredSecret(a));
    const visit = (node: ts.Node): void => {
      if (check) return;
      if (isEqualityComparison(node) && pair(node.left, node.right)) check = textOf(node);
      else if (typescript.isCallExpression(node)) {
        const [a, b] = node.arguments;
        if (a && b && COMPARING_CALL.test(lastName(node.expression)) && pair(a, b)) check = textOf(node);
        const sent = node.arguments.flatMap((arg, index) => (this.isSent(arg) ? [index] : []));
        if (!check && sent.length > 0) handed.push({ call: node, sent });
      } else if (
        // `{ id, editToken: req.params.editToken }`, `where: { shareToken: token }`: a lookup by the object's secret.
        (typescript.isPropertyAssignment(node) || typescript.isShorthandPropertyAssignment(node)) &&
        SECRET_FIELD.test(node.name.getText()) &&
        (typescript.isShorthandPropertyAssignment(node) ? this.sent.has(node.name.text) : this.isSent(node.initializer))
      )
        check = textOf(node);
      if (!check) typescript.forEachChild(node, visit);
    };
    if (this.fn.body) visit(this.fn.body);
    return { ...(check ? { check } : {}), handed };
  }
}

/**
 * The capability check a handler makes (or a project function it hands the caller-sent secret to, two levels down),
 * as written (`event.editToken !== req.body.editToken`); undefined when there is none.
 */
export function capabilityCheck(
  fn: ts.FunctionLikeDeclaration,
  functionsOf: (expression: ts.Expression) => ts.FunctionLikeDeclaration[],
): string | undefined {
  const seen = new Set<ts.FunctionLikeDeclaration>();
  const read = (current: ts.FunctionLikeDeclaration, sent: number[], depth: number): string | undefined => {
    if (seen.has(current)) return undefined;
    seen.add(current);
    const { check, handed } = new Reader(current, sent, depth === 0).find();
    if (check || depth >= 2) return check;
    for (const { call, sent: positions } of handed)
      for (const helper of functionsOf(call.expression)) {
        const found = read(helper, positions, depth + 1);
        if (found) return found;
      }
    return undefined;
  };
  return read(fn, [], 0);
}
