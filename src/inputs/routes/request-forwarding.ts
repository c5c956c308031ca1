/**
 * Where a route handler sends its request when it does not answer it itself, read by the middleware classifier
 * (middleware.ts) to know when the route's authentication is decided out of its sight:
 * - it forwards the caller's request to another server (a reverse proxy, a backend-for-frontend passing the cookies or
 *   the `Authorization` header on): the server it forwards to checks the credential;
 * - it passes the request on with `next()`: whatever the app registers after it answers, behind its own middleware.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import { lastName, requestNamesIn } from './middleware-calls.js';
import { textOf, unwrap } from './values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** A call that sends an HTTP request: `fetch`, `axios.request`, `got`, `undici.request`, `proxy.web(req, res)`. */
const SENDS_NAME = /^(fetch|\$fetch|ofetch|request|proxy(_?request|_?to)?|forward(_?request)?|web)$/i;
const CLIENT_ROOT = /^(axios|got|ky|undici|superagent|needle)$/;

/** What of the caller's request carries its credentials: its headers and cookies, or the raw request itself. */
const CARRIES_CREDENTIALS = /^(headers|cookies|raw)$/;

/**
 * The handler hands the caller's headers, cookies or raw request to an outbound HTTP call (`fetch(upstream, {
 * headers: new Headers(c.req.raw.headers) })`, `fetch(request)`, `proxy.web(req, res)`): the server it forwards to
 * sees the credential and decides. Read in the handler's own body (callbacks inside it too), through `const`
 * variables that hold the headers.
 */
export function forwardsRequest(fn: ts.FunctionLikeDeclaration): boolean {
  const requests = requestNamesIn(fn);
  if (!fn.body || requests.size === 0) return false;
  const holders = new Set<string>();
  const carries = (node: ts.Node): boolean => {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (typescript.isIdentifier(n) && holders.has(n.text)) found = true;
      else if (
        typescript.isPropertyAccessExpression(n) &&
        CARRIES_CREDENTIALS.test(n.name.text) &&
        requests.has(rootOf(n)) &&
        !narrowed(n)
      )
        found = true;
      else typescript.forEachChild(n, visit);
    };
    visit(node);
    return found;
  };
  // `const headers = new Headers(c.req.raw.headers)`, then `const init = { headers }`: two passes follow one hop each.
  for (let pass = 0; pass < 2; pass++) {
    const visit = (node: ts.Node): void => {
      if (
        typescript.isVariableDeclaration(node) &&
        typescript.isIdentifier(node.name) &&
        node.initializer &&
        carries(node.initializer)
      )
        holders.add(node.name.text);
      typescript.forEachChild(node, visit);
    };
    visit(fn.body);
  }
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (typescript.isCallExpression(node) && sends(node.expression)) {
      found = node.arguments.some((a) => {
        const value = unwrap(a);
        return (typescript.isIdentifier(value) && requests.has(value.text)) || carries(value);
      });
    }
    typescript.forEachChild(node, visit);
  };
  visit(fn.body);
  return found;
}

/** One header taken out of the headers that is not a credential (`req.headers['content-type']`, `headers.get('accept')`). */
const CREDENTIAL_PART = /auth|cookie|token|key|session|credential/i;
function narrowed(headers: ts.PropertyAccessExpression): boolean {
  const parent = headers.parent;
  let name: string | undefined;
  if (typescript.isPropertyAccessExpression(parent) && parent.expression === headers) name = parent.name.text;
  else if (typescript.isElementAccessExpression(parent) && typescript.isStringLiteralLike(parent.argumentExpression))
    name = parent.argumentExpression.text;
  if (name === 'get' && typescript.isCallExpression(parent.parent)) {
    const arg = parent.parent.arguments[0];
    name = arg && typescript.isStringLiteralLike(arg) ? arg.text : undefined;
  }
  return name !== undefined && !CREDENTIAL_PART.test(name);
}

function sends(callee: ts.Expression): boolean {
  if (SENDS_NAME.test(lastName(callee))) return true;
  return CLIENT_ROOT.test(textOf(callee).split(/[.([]/)[0] ?? '');
}

/** `c` of `c.req.raw.headers`, `req` of `req.headers.cookie`. */
function rootOf(node: ts.Expression): string {
  let current = unwrap(node);
  while (typescript.isPropertyAccessExpression(current) || typescript.isElementAccessExpression(current))
    current = unwrap(current.expression);
  return typescript.isIdentifier(current) ? current.text : '';
}

/**
 * The handler calls its `next` parameter with nothing (`next()`, `return next()`): on that path it does not answer,
 * the request goes on to what is registered after it (a route of the same path further down, behind middleware
 * added in between). An Express error handed on (`next(err)`) is not that.
 */
export function passesRequestOn(fn: ts.FunctionLikeDeclaration): boolean {
  const names = new Set(
    fn.parameters
      .slice(1)
      .map((p) => (typescript.isIdentifier(p.name) ? p.name.text : ''))
      .filter((name) => /^next$/i.test(name)),
  );
  if (!fn.body || names.size === 0) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      typescript.isCallExpression(node) &&
      typescript.isIdentifier(node.expression) &&
      names.has(node.expression.text) &&
      node.arguments.length === 0
    ) {
      found = true;
      return;
    }
    typescript.forEachChild(node, visit);
  };
  visit(fn.body);
  return found;
}
