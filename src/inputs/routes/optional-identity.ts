/**
 * A handler written for anonymous and signed-in callers alike: it asks whether the caller is signed in and answers
 * either way (`isLoggedIn: Boolean(req.user)`, `if (req.isAuthenticated()) …`, `req.session.user ? dashboard : landing`).
 * That is optional authentication written in the handler, as `auth.optional` is in a middleware: the route is public
 * on purpose, and what it shows depends on who asks.
 *
 * Only a test of the identity counts, not a use of it: `findMany({ where: { userId: req.user?.id } })` on an
 * unguarded route assumes a caller the route never required (and may read every row when there is none).
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import { requestNamesIn } from './middleware-calls.js';
import { textOf, unwrap } from './values.js';

const typescript = loadTypeScript();

/** Where a framework or a session middleware puts the signed-in caller (`req.user`, `req.session.userId`). */
const IDENTITY = /^(user|currentUser|account|userId|auth)$/;
const SIGNED_IN_CALL = /^is_?(authenticated|logged_?in|signed_?in)$/i;

/** `req.user`, `req.session.user`, `req.isAuthenticated()`: the caller's identity, read from the request. */
function isIdentity(node: ts.Expression, requests: Set<string>): boolean {
  let current = unwrap(node);
  if (typescript.isCallExpression(current)) {
    if (!typescript.isPropertyAccessExpression(current.expression)) return false;
    if (!SIGNED_IN_CALL.test(current.expression.name.text)) return false;
    current = unwrap(current.expression.expression);
    return typescript.isIdentifier(current) && requests.has(current.text);
  }
  if (!typescript.isPropertyAccessExpression(current) || !IDENTITY.test(current.name.text)) return false;
  let owner = unwrap(current.expression);
  if (typescript.isPropertyAccessExpression(owner) && owner.name.text === 'session') owner = unwrap(owner.expression);
  return typescript.isIdentifier(owner) && requests.has(owner.text);
}

/** The test the handler makes of the caller's identity, as written; undefined when it makes none. */
export function testsOptionalIdentity(fn: ts.FunctionLikeDeclaration): string | undefined {
  const requests = requestNamesIn(fn);
  if (!fn.body || requests.size === 0) return undefined;
  let found: string | undefined;
  const tested = (node: ts.Expression | undefined) => node !== undefined && isIdentity(node, requests);
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ((typescript.isIfStatement(node) || typescript.isConditionalExpression(node)) &&
        tested(typescript.isIfStatement(node) ? node.expression : node.condition)) ||
      (typescript.isPrefixUnaryExpression(node) &&
        node.operator === typescript.SyntaxKind.ExclamationToken &&
        tested(node.operand)) ||
      (typescript.isCallExpression(node) &&
        typescript.isIdentifier(node.expression) &&
        node.expression.text === 'Boolean' &&
        tested(node.arguments[0])) ||
      (typescript.isBinaryExpression(node) &&
        [
          typescript.SyntaxKind.AmpersandAmpersandToken,
          typescript.SyntaxKind.BarBarToken,
          typescript.SyntaxKind.QuestionQuestionToken,
        ].includes(node.operatorToken.kind) &&
        tested(node.left))
    )
      // The test as written: the condition of an `if` or a `?:`, else the expression that tests.
      found = textOf(
        typescript.isIfStatement(node)
          ? node.expression
          : typescript.isConditionalExpression(node)
            ? node.condition
            : node,
      );
    else typescript.forEachChild(node, visit);
  };
  visit(fn.body);
  return found;
}
