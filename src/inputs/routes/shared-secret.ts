/**
 * A check of the deployment's shared secret: a value of the request compared with one secret read from the
 * environment (`c.req.header('X-API-Key') !== process.env.API_KEY`, `authorization !== \`Bearer ${env.WORKER_KEY}\``,
 * `timingSafeEqual(Buffer.from(token), Buffer.from(env.ADMIN_API_KEY))`). One value for every caller means no
 * per-user identity: whoever holds it configured the deployment — the project's own services, jobs and its
 * operators. The routes behind such a check are the project's internal surface (Endpoint.handler.sharedSecret),
 * and what the check answers on a mismatch goes to that holder (ErrorSite.answersSecretHolder).
 *
 * Syntactic and narrow on purpose: the secret must be read from the environment where it is compared (a secret
 * first copied into a variable, or read from a config object, is not followed), and keys that sign or encrypt
 * (`JWT_SECRET`, `SESSION_SECRET`) are not credentials a caller sends.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import { isEqualityComparison } from './values.js';

const typescript = loadTypeScript();

/** An environment name that holds a credential callers send: `API_KEY`, `INTERNAL_API_KEY`, `WORKER_ACCESS_KEY`, `MEDIA_SERVER_SECRET`. */
const SECRET_NAME = /^[A-Z0-9_]*(SECRET|TOKEN|KEY|PASSWORD)S?$/;
/** Keys that sign, encrypt or salt (a JWT, a session cookie): a request is verified with them, not compared to them. */
const SIGNING_NAME = /JWT|SESSION|COOKIE|SIGN|ENCRYPT|CIPHER|SALT|HASH|HMAC|PUBLIC|PUBLISHABLE/;
/** Calls that compare what they are given in constant time (`timingSafeEqual`, `safeCompare`, `secureCompare`). */
const COMPARING_CALL = /(equal|compare)$/i;
/** Calls a secret passes through on its way to the comparison (`Buffer.from(secret)`, `String(secret)`, `.trim()`). */
const TRANSPARENT_CALL = /^(from|String|toString|trim|encode|Buffer|hash|createHash|update|digest)$/;

/** The environment secret a node compares with the request, when it is one (`process.env.API_KEY` in `x !== process.env.API_KEY`). */
export function comparedSecret(node: ts.Node): string | undefined {
  const name = envName(node);
  if (!name || !SECRET_NAME.test(name) || SIGNING_NAME.test(name)) return undefined;
  return isCompared(node) || comparedThroughConstant(node) ? name : undefined;
}

/**
 * `const secret = process.env.MEDIA_SERVER_SECRET; … return header === secret;`: the secret named once in a constant
 * of the function that compares it (only there: a constant is not followed across functions or files).
 */
function comparedThroughConstant(read: ts.Node): boolean {
  const declaration = read.parent;
  if (
    !declaration ||
    !typescript.isVariableDeclaration(declaration) ||
    declaration.initializer !== read ||
    !typescript.isIdentifier(declaration.name) ||
    !typescript.isVariableDeclarationList(declaration.parent) ||
    (declaration.parent.flags & typescript.NodeFlags.Const) === 0
  )
    return false;
  const name = declaration.name.text;
  let scope: ts.Node | undefined = declaration.parent;
  while (scope && !typescript.isFunctionLike(scope) && !typescript.isSourceFile(scope)) scope = scope.parent;
  if (!scope || typescript.isSourceFile(scope)) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (typescript.isIdentifier(node) && node.text === name && node !== declaration.name && isCompared(node))
      found = true;
    else typescript.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

/** The first environment secret a function's body compares with the request (nested callbacks included). */
export function secretCheckedIn(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (checked.has(fn)) return checked.get(fn);
  let found: string | undefined;
  checked.set(fn, undefined);
  if (!fn.body) return undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    found = comparedSecret(node);
    if (!found) typescript.forEachChild(node, visit);
  };
  visit(fn.body);
  checked.set(fn, found);
  return found;
}

/** Per function, once: every error site in it asks. */
const checked = new WeakMap<ts.Node, string | undefined>();

/** `process.env.X`, `env.X`, `c.env.X`, `process.env['X']`: the variable's name. */
function envName(node: ts.Node): string | undefined {
  if (typescript.isPropertyAccessExpression(node) && /(^|\.)env$/.test(node.expression.getText()))
    return node.name.text;
  if (
    typescript.isElementAccessExpression(node) &&
    /(^|\.)env$/.test(node.expression.getText()) &&
    typescript.isStringLiteralLike(node.argumentExpression)
  )
    return node.argumentExpression.text;
  return undefined;
}

/**
 * Compared with something that is not a literal (`secret === undefined` asks whether it is set), directly, inside a
 * template (`\`Bearer ${env.KEY}\``), or handed to a constant-time comparison through a `Buffer.from` — as the check
 * that turns a caller away: a mismatch that denies (`key !== env.KEY`, `!timingSafeEqual(…)`) or a comparison that is
 * the whole answer of a check function (`return header === secret`). A match that lets one kind of caller in
 * (`if (key === env.SUPER_ADMIN_TOKEN) …`, then per-user keys) is an extra credential beside the users' own.
 */
function isCompared(read: ts.Node): boolean {
  let child: ts.Node = read;
  for (
    let node = read.parent;
    node && !typescript.isStatement(node) && !typescript.isFunctionLike(node);
    child = node, node = node.parent
  ) {
    if (isEqualityComparison(node)) {
      const other = node.left === child ? node.right : node.left;
      if (isLiteral(other)) return false;
      const mismatch =
        node.operatorToken.kind === typescript.SyntaxKind.ExclamationEqualsEqualsToken ||
        node.operatorToken.kind === typescript.SyntaxKind.ExclamationEqualsToken;
      return mismatch ? !negated(node) : deniesOrAnswers(node);
    }
    if (typescript.isCallExpression(node)) {
      const name = calleeName(node.expression);
      if (COMPARING_CALL.test(name)) return deniesOrAnswers(node);
      if (!TRANSPARENT_CALL.test(name)) return false;
    }
  }
  return false;
}

/** A match negated (`!timingSafeEqual(…)`, `!(a === b)`: the caller is turned away), or returned as the answer. */
function deniesOrAnswers(match: ts.Node): boolean {
  let node: ts.Node = match;
  while (typescript.isParenthesizedExpression(node.parent)) node = node.parent;
  if (negated(match)) return true;
  return typescript.isReturnStatement(node.parent) || typescript.isArrowFunction(node.parent);
}

function negated(expression: ts.Node): boolean {
  let node: ts.Node = expression;
  while (typescript.isParenthesizedExpression(node.parent)) node = node.parent;
  return (
    typescript.isPrefixUnaryExpression(node.parent) && node.parent.operator === typescript.SyntaxKind.ExclamationToken
  );
}

function isLiteral(node: ts.Expression): boolean {
  return (
    typescript.isLiteralExpression(node) ||
    node.kind === typescript.SyntaxKind.NullKeyword ||
    node.kind === typescript.SyntaxKind.TrueKeyword ||
    node.kind === typescript.SyntaxKind.FalseKeyword ||
    (typescript.isIdentifier(node) && node.text === 'undefined') ||
    typescript.isVoidExpression(node) ||
    typescript.isNoSubstitutionTemplateLiteral(node)
  );
}

function calleeName(expression: ts.Expression): string {
  if (typescript.isPropertyAccessExpression(expression)) return expression.name.text;
  if (typescript.isIdentifier(expression)) return expression.text;
  return '';
}
