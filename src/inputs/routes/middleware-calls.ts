/**
 * What a request handler's syntax says about auth, read by the middleware classifier (middleware.ts): the calls
 * that hand its request on, the status a call answers with, a redirect to sign-in, a 429 of its own, and the
 * names and labels of middleware expressions.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import { textOf, unwrap } from './values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/**
 * The calls in a function's own body (not in the functions it defines, not in `catch` clauses that map errors)
 * that hand its request on (`helper(req, res)`, `check({ req, res })`), with the project functions each can call.
 */
export function requestCalls(
  fn: ts.FunctionLikeDeclaration,
  functionsOf: (expression: ts.Expression) => ts.FunctionLikeDeclaration[],
): Array<{ call: ts.CallExpression; helpers: ts.FunctionLikeDeclaration[]; passesFirst: boolean }> {
  const requestNames = requestNamesIn(fn);
  const first = new Set(fn.parameters[0] ? requestNamesOf(fn.parameters[0].name) : []);
  // `const { request } = args` of the first parameter: the request taken out in the body is the first one too.
  for (const name of requestNames)
    if (!fn.parameters.some((p) => requestNamesOf(p.name).includes(name))) first.add(name);
  const out: Array<{ call: ts.CallExpression; helpers: ts.FunctionLikeDeclaration[]; passesFirst: boolean }> = [];
  const visit = (node: ts.Node): void => {
    if (typescript.isCatchClause(node)) return;
    if (typescript.isCallExpression(node) && node.arguments.some((a) => passesRequest(unwrap(a), requestNames))) {
      const passesFirst = node.arguments.some((a) => passesRequest(unwrap(a), first));
      out.push({ call: node, helpers: functionsOf(node.expression).filter((helper) => helper !== fn), passesFirst });
    }
    if (!typescript.isFunctionLike(node) || node === fn) typescript.forEachChild(node, visit);
  };
  if (fn.body && requestNames.size > 0) visit(fn.body);
  return out;
}

/**
 * The names a function binds its request to: in its parameters, or taken out of its first parameter at the top of
 * its body (`const { request } = props`, `const req = ctx.request`), as React Router actions often do.
 */
export function requestNamesIn(fn: ts.FunctionLikeDeclaration): Set<string> {
  const names = new Set(fn.parameters.flatMap((p) => requestNamesOf(p.name)));
  const first = fn.parameters[0]?.name;
  if (!first || !typescript.isIdentifier(first) || !fn.body || !typescript.isBlock(fn.body)) return names;
  for (const statement of fn.body.statements) {
    if (!typescript.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer && unwrap(declaration.initializer);
      if (!init) continue;
      if (
        typescript.isIdentifier(init) &&
        init.text === first.text &&
        typescript.isObjectBindingPattern(declaration.name)
      ) {
        for (const name of requestNamesOf(declaration.name)) names.add(name);
      } else if (
        typescript.isPropertyAccessExpression(init) &&
        typescript.isIdentifier(init.expression) &&
        init.expression.text === first.text &&
        REQUEST_PROPERTY.test(init.name.text) &&
        typescript.isIdentifier(declaration.name)
      )
        names.add(declaration.name.text);
    }
  }
  return names;
}

/**
 * The names a parameter binds the request to: the parameter itself, or the request taken out of the argument object
 * a framework passes (`loader({ request }: LoaderFunctionArgs)` of React Router / Remix, `({ req: request })`).
 */
function requestNamesOf(name: ts.BindingName): string[] {
  if (typescript.isIdentifier(name)) return [name.text];
  if (!typescript.isObjectBindingPattern(name)) return [];
  return name.elements.flatMap((element) => {
    const key = element.propertyName?.getText() ?? (typescript.isIdentifier(element.name) ? element.name.text : '');
    return REQUEST_PROPERTY.test(key) && typescript.isIdentifier(element.name) ? [element.name.text] : [];
  });
}

/** Properties of a handler's argument object that hold the request (not `params`, `context`: no credential there). */
const REQUEST_PROPERTY = /^(request|req)$/;

/**
 * The statuses an error's code names: `new TRPCError({ code: 'UNAUTHORIZED' })`, a project's
 * `new ApiError({ code: 'forbidden', message })`. Such error classes map their code to the HTTP status they answer
 * with (tRPC's `UNAUTHORIZED` is 401, `FORBIDDEN` 403); the two that refuse a caller are read as those statuses.
 */
const CODE_STATUS: Record<string, string> = {
  unauthorized: '401',
  unauthorised: '401',
  unauthenticated: '401',
  forbidden: '403',
};

/**
 * The HTTP status a call answers with: a number argument (`res.status(401)`), a `status` option (`new Response(body,
 * { status: 401 })`) or an error code that names one (`new TRPCError({ code: 'FORBIDDEN' })`, see CODE_STATUS).
 */
export function answeredStatus(node: ts.CallExpression | ts.NewExpression): string[] {
  const out: string[] = [];
  for (const arg of node.arguments ?? []) {
    const value = unwrap(arg);
    if (typescript.isNumericLiteral(value)) out.push(value.text);
    else if (typescript.isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        if (!typescript.isPropertyAssignment(property)) continue;
        const key = property.name.getText();
        const status = unwrap(property.initializer);
        if (/^(status|statusCode)$/.test(key) && typescript.isNumericLiteral(status)) out.push(status.text);
        if (key === 'code' && typescript.isStringLiteralLike(status)) {
          const named = CODE_STATUS[status.text.toLowerCase()];
          if (named) out.push(named);
        }
      }
    }
  }
  return out;
}

/** `redirect('/login')`, `res.redirect(302, '/auth/sign-in?next=…')`: sends an anonymous caller to sign in first. */
export function redirectsToSignIn(node: ts.CallExpression | ts.NewExpression): boolean {
  if (!/^redirect$/i.test(lastName(node.expression))) return false;
  return (node.arguments ?? []).some((a) => /\/(log-?in|sign-?in|auth)(\/|\?|$)/i.test(urlText(a, node, 0)));
}

/**
 * The text of a URL argument, as far as it is written: a literal, a template's literal parts (`${origin}/login`),
 * `new URL(…)` or `url.toString()` of one, or a `const` holding one in the same function (`c.redirect(loginUrl)`).
 */
function urlText(expression: ts.Expression, at: ts.Node, depth: number): string {
  const value = unwrap(expression);
  if (depth > 3) return '';
  if (typescript.isStringLiteralLike(value)) return value.text;
  if (typescript.isTemplateExpression(value))
    return value.head.text + value.templateSpans.map((span) => `\${}${span.literal.text}`).join('');
  if (typescript.isNewExpression(value) && value.arguments?.[0]) return urlText(value.arguments[0], at, depth + 1);
  if (typescript.isCallExpression(value) && typescript.isPropertyAccessExpression(value.expression))
    return value.expression.name.text === 'toString' ? urlText(value.expression.expression, at, depth + 1) : '';
  if (!typescript.isIdentifier(value)) return '';
  let scope: ts.Node | undefined = at.parent;
  while (scope && !typescript.isFunctionLike(scope)) scope = scope.parent;
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      typescript.isVariableDeclaration(node) &&
      typescript.isIdentifier(node.name) &&
      node.name.text === value.text &&
      node.initializer
    )
      found = node.initializer;
    typescript.forEachChild(node, visit);
  };
  if (scope) visit(scope);
  return found ? urlText(found, at, depth + 1) : '';
}

/**
 * A handler that answers 429 itself (`if (!checkRateLimit(ip)) return reply.status(429)`): it limits the
 * anonymous callers it expects, so it is public on purpose, like a route with a rate limiter and no auth.
 */
export function answersTooManyRequests(fn: ts.FunctionLikeDeclaration): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      (typescript.isCallExpression(node) || typescript.isNewExpression(node)) &&
      answeredStatus(node).includes('429')
    ) {
      found = `429 from the handler (${textOf(node.expression)}())`;
      return;
    }
    if (!typescript.isFunctionLike(node) || node === fn) typescript.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/** `request`, or `{ req, res }` / `{ request: req }`: an argument that hands the handler's request on. */
export function passesRequest(arg: ts.Expression, requestNames: ReadonlySet<string>): boolean {
  if (typescript.isIdentifier(arg)) return requestNames.has(arg.text);
  if (!typescript.isObjectLiteralExpression(arg)) return false;
  return arg.properties.some(
    (p) =>
      (typescript.isShorthandPropertyAssignment(p) && requestNames.has(p.name.text)) ||
      (typescript.isPropertyAssignment(p) &&
        typescript.isIdentifier(unwrap(p.initializer)) &&
        requestNames.has((unwrap(p.initializer) as ts.Identifier).text)),
  );
}

/** Express error middleware `(err, req, res, next)`: four parameters. */
export function isErrorHandler(fn: ts.FunctionLikeDeclaration): boolean {
  return fn.parameters.length === 4;
}

export function lastName(callee: ts.Expression): string {
  const node = unwrap(callee);
  if (typescript.isPropertyAccessExpression(node)) return node.name.text;
  return typescript.isIdentifier(node) ? node.text : '';
}

export function labelOf(node: ts.Expression): string {
  if (typescript.isArrowFunction(node) || typescript.isFunctionExpression(node)) return 'inline middleware';
  return textOf(node);
}

/** Headers that carry the caller's credential: `Authorization`, `X-Api-Key`, `X-Auth-Token`, `X-Access-Key`. */
const CREDENTIAL_HEADER = /^(authorization|(x-)?api[-_]?key|x-[a-z-]*(token|key))$/i;

/**
 * Reads the caller's credential header, in its own body or a function it defines: `req.headers.authorization`,
 * `req.headers['x-api-key']`, `req.header('Authorization')`, `c.req.header('x-api-key')`,
 * `request.headers.get('authorization')`.
 */
export function readsCredentialHeader(fn: ts.FunctionLikeDeclaration): boolean {
  let found = false;
  const headers = (node: ts.Expression) => /headers$/i.test(lastName(node));
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      typescript.isPropertyAccessExpression(node) &&
      headers(node.expression) &&
      CREDENTIAL_HEADER.test(node.name.text)
    )
      found = true;
    else if (
      typescript.isElementAccessExpression(node) &&
      headers(node.expression) &&
      typescript.isStringLiteralLike(node.argumentExpression) &&
      CREDENTIAL_HEADER.test(node.argumentExpression.text)
    )
      found = true;
    else if (
      typescript.isCallExpression(node) &&
      typescript.isPropertyAccessExpression(node.expression) &&
      (/^header$/i.test(node.expression.name.text) ||
        (node.expression.name.text === 'get' && headers(node.expression.expression))) &&
      node.arguments[0] &&
      typescript.isStringLiteralLike(node.arguments[0]) &&
      CREDENTIAL_HEADER.test(node.arguments[0].text)
    )
      found = true;
    typescript.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}
