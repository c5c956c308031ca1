/**
 * Whether an error is answered on a response that is not a JSON API answer (ErrorSite.nonJsonAnswer): the error
 * itself declares a content type that is not JSON (`res.type('text/javascript').status(404).send('Not Found')`), or
 * the function that owns the response object sends something other than JSON on it — a file (`res.sendFile`,
 * `res.download`), a stream (`stream.pipe(res)`, `pipeline(…, res)`, `res.write`), bytes under a content type that is
 * not JSON (`res.set('Content-Type', mimeType); res.send(buffer)`, `ctx.set('Content-Type', 'application/xml')`) or an
 * HTML page held in a variable (`res.send(indexHtml)`) — and no JSON anywhere. Such a response is read by a browser, an
 * `<img>` or `<video>` tag, a downloader or a crawler: its errors are a status with a text, not an API's error body.
 * Syntactic, read from the owning function's whole body (callbacks included); the owner is the innermost function
 * that takes the response object as a parameter. A function that answers JSON somewhere is an API answer, whatever
 * else it sends.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import { unwrap } from './values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** Calls that set a response header or its content type (Express, Fastify, Koa, Hono). */
const HEADER_CALLS = new Set(['setHeader', 'set', 'header', 'append']);
const TYPE_CALLS = new Set(['type', 'contentType']);
/** Calls that send a file or a stream's chunks on the response itself. */
const BYTE_CALLS = new Set(['sendFile', 'download', 'attachment', 'write']);
/** Helpers that stream on a response they are handed (`pipeline(file, res)`, Hono's `streamSSE(c, …)`). */
const STREAMING_CALLS = /^(pipe|pipeline|stream|streamSSE|streamText)$/;

/** How the response an error site answers with is not JSON, as written; undefined when it is or may be. */
export function nonJsonAnswerOf(at: ts.Node, resolve: Resolve = () => undefined): string | undefined {
  const target = typescript.isBinaryExpression(at) ? at.left : at;
  // `new Response('Not found', { status: 404 })` (fetch API: Next.js, Hono, Remix) has no response object: the
  // function around it answers with what it returns.
  if (typescript.isNewExpression(target)) {
    const owner = enclosingFunction(target);
    return owner?.body ? verdict(answerOf(owner.body, undefined, resolve)) : undefined;
  }
  const responder = rootOf(target);
  if (!responder) return undefined;
  const declared = declaredType(target);
  if (declared) return declared;
  const owner = owningFunction(at, responder);
  if (!owner?.body) return undefined;
  return verdict(answerOf(owner.body, responder, resolve));
}

/** The project function a callee names (`serveStatic` in `serveStatic(req, res)`), when the caller can tell. */
export type Resolve = (callee: ts.Expression) => ts.FunctionLikeDeclaration | undefined;

/** What a function sends on a response: JSON somewhere, and the first other kind of answer seen. */
interface Answer {
  json: boolean;
  other?: string;
}

const verdict = (answer: Answer) => (answer.json ? undefined : answer.other);

/** How deep hand-overs are followed (`guard(req, res)` → `serveStatic(req, res)`). */
const HAND_OVER_DEPTH = 2;

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let p = node.parent; p && !typescript.isSourceFile(p); p = p.parent)
    if (typescript.isFunctionLike(p) && 'body' in p) return p as ts.FunctionLikeDeclaration;
  return undefined;
}

/** The identifier a call chain starts from: `res` in `res.status(404).send('x')`. */
function rootOf(node: ts.Node): string | undefined {
  let current: ts.Node = node;
  for (;;) {
    current = unwrap(current as ts.Expression);
    if (typescript.isCallExpression(current)) current = current.expression;
    else if (typescript.isPropertyAccessExpression(current)) current = current.expression;
    else if (typescript.isIdentifier(current)) return current.text;
    else return undefined;
  }
}

/** A content type written on the error's own chain (`res.type('text/javascript').status(404)…`), when not JSON. */
function declaredType(node: ts.Node): string | undefined {
  let current: ts.Node = node;
  while (typescript.isCallExpression(current) || typescript.isPropertyAccessExpression(current)) {
    if (typescript.isCallExpression(current)) {
      const type = contentTypeSet(current);
      if (type?.literal && !isJson(type.value)) return `Content-Type ${type.value}`;
    }
    current = unwrap(current.expression);
  }
  return undefined;
}

/** The content type a call sets (`setHeader('Content-Type', v)`, `set({'Content-Type': v})`, `type(v)`). */
function contentTypeSet(call: ts.CallExpression): { value: string; literal: boolean } | undefined {
  const callee = unwrap(call.expression);
  if (!typescript.isPropertyAccessExpression(callee)) return undefined;
  const name = callee.name.text;
  const [first, second] = call.arguments.map((arg) => unwrap(arg));
  const typeValue = (expression: ts.Expression) =>
    typescript.isStringLiteralLike(expression)
      ? { value: expression.text, literal: true }
      : { value: expression.getText(), literal: false };
  if (TYPE_CALLS.has(name) && first && !second) return typeValue(first);
  // `res.writeHead(200, { 'Content-Type': 'text/event-stream' })`: the headers follow the status.
  const headers = name === 'writeHead' ? second : HEADER_CALLS.has(name) && !second ? first : undefined;
  if (HEADER_CALLS.has(name) && first && second && typescript.isStringLiteralLike(first))
    return /^content-type$/i.test(first.text) ? typeValue(second) : undefined;
  if (headers && typescript.isObjectLiteralExpression(headers)) {
    for (const property of headers.properties) {
      if (!typescript.isPropertyAssignment(property)) continue;
      const key = typescript.isStringLiteralLike(property.name) || typescript.isIdentifier(property.name);
      if (key && /^content-type$/i.test((property.name as ts.StringLiteral).text))
        return typeValue(unwrap(property.initializer));
    }
  }
  return undefined;
}

const isJson = (type: string) => /json/i.test(type);

/** The innermost function that takes the response object as a parameter (`(req, res) => …`, `{ res }`). */
function owningFunction(node: ts.Node, responder: string): ts.FunctionLikeDeclaration | undefined {
  for (let p = node.parent; p && !typescript.isSourceFile(p); p = p.parent) {
    if (!typescript.isFunctionLike(p) || !('body' in p)) continue;
    const fn = p as ts.FunctionLikeDeclaration;
    if (fn.parameters.some((parameter) => binds(parameter.name, responder))) return fn;
  }
  return undefined;
}

function binds(name: ts.BindingName, responder: string): boolean {
  if (typescript.isIdentifier(name)) return name.text === responder;
  return name.elements.some((element) => !typescript.isOmittedExpression(element) && binds(element.name, responder));
}

/**
 * What the owner sends on the response besides errors, following the project functions it hands the response to
 * (`return serveStatic(prefix, req, res)` after a guard): they answer for it.
 */
function answerOf(body: ts.Node, responder: string | undefined, resolve: Resolve, depth = 0): Answer {
  let json = false;
  let other: string | undefined;
  // A proxy that copies another response's headers as they come (`res.set(upstream.headers)`) pipes whatever the
  // upstream answers — JSON, for an API proxy: its stream says nothing of the content.
  let piped: string | undefined;
  let forwardsHeaders = false;
  const onResponder = (expression: ts.Expression) => responder !== undefined && rootOf(expression) === responder;
  const visit = (node: ts.Node): void => {
    if (json) return;
    if (typescript.isCallExpression(node)) {
      const callee = unwrap(node.expression);
      const name = typescript.isPropertyAccessExpression(callee)
        ? callee.name.text
        : typescript.isIdentifier(callee)
          ? callee.text
          : '';
      const first = node.arguments[0] ? unwrap(node.arguments[0]) : undefined;
      const handsResponder = node.arguments.some(
        (arg) => typescript.isIdentifier(unwrap(arg)) && (unwrap(arg) as ts.Identifier).text === responder,
      );
      if (
        typescript.isPropertyAccessExpression(callee) &&
        name === 'json' &&
        FETCH_RESPONSE.test(lastName(callee.expression))
      )
        json = true;
      else if (typescript.isPropertyAccessExpression(callee) && onResponder(callee.expression)) {
        if (name === 'json' || name === 'jsonp') json = node.arguments.length > 0 || json;
        else if ((name === 'send' || name === 'end') && first && sendsJsonValue(first)) json = true;
        else if (BYTE_CALLS.has(name)) other ??= `${responder}.${name}`;
        else if ((name === 'send' || name === 'end') && first && /html$/i.test(lastName(first)))
          other ??= `an HTML page (${first.getText()})`;
        else if (FORWARDING_CALLS.has(name) && forwardedHeaders(name, node.arguments)) forwardsHeaders = true;
        else {
          const type = contentTypeSet(node);
          if (type && !isJson(type.value)) other ??= `Content-Type ${type.value}`;
          else if (type) json = true;
        }
      } else if (STREAMING_CALLS.test(name) && handsResponder) {
        piped ??= 'a stream piped to the response';
      } else if (handsResponder && depth < HAND_OVER_DEPTH) {
        const fn = resolve(node.expression);
        const index = node.arguments.findIndex(
          (arg) => typescript.isIdentifier(unwrap(arg)) && (unwrap(arg) as ts.Identifier).text === responder,
        );
        const parameter = fn?.parameters[index]?.name;
        if (fn?.body && parameter && typescript.isIdentifier(parameter)) {
          const inner = answerOf(fn.body, parameter.text, resolve, depth + 1);
          json ||= inner.json;
          if (inner.other) other ??= `${inner.other}, in ${lastName(node.expression)}()`;
        }
      }
    } else if (typescript.isNewExpression(node) && FETCH_RESPONSE.test(lastName(node.expression))) {
      // `new Response(JSON.stringify(data))` answers JSON; `new Response(file, { headers: { 'Content-Type': type } })` not.
      const [first, init] = (node.arguments ?? []).map((arg) => unwrap(arg));
      if (first && sendsJsonValue(first)) json = true;
      else if (init) {
        const type = headerOfInit(init);
        if (type !== undefined && isJson(type)) json = true;
        else if (type !== undefined) other ??= `Content-Type ${type}`;
      }
    } else if (
      typescript.isBinaryExpression(node) &&
      node.operatorToken.kind === typescript.SyntaxKind.EqualsToken &&
      typescript.isPropertyAccessExpression(node.left) &&
      onResponder(node.left.expression)
    ) {
      // Koa: `ctx.body = { … }` answers JSON; `ctx.type = 'xml'` declares another type.
      const value = unwrap(node.right);
      if (node.left.name.text === 'body' && sendsJsonValue(value)) json = true;
      // `ctx.body = fs.createReadStream(path)`: a file's bytes.
      else if (node.left.name.text === 'body' && /createReadStream|Readable\.from/.test(value.getText()))
        other ??= 'a stream as the body';
      else if (node.left.name.text === 'type' && typescript.isStringLiteralLike(value) && !isJson(value.text))
        other ??= `Content-Type ${value.text}`;
    }
    typescript.forEachChild(node, visit);
  };
  visit(body);
  other ??= forwardsHeaders ? undefined : piped;
  return { json, ...(other ? { other } : {}) };
}

/** Calls that set several response headers at once (`res.set(headers)`, `res.writeHead(status, headers)`). */
const FORWARDING_CALLS = new Set(['set', 'setHeaders', 'header', 'headers', 'writeHead']);

/** Headers taken as a whole from elsewhere (`res.set(proxyRes.headers)`, `writeHead(status, passthroughHeaders)`), not written out. */
function forwardedHeaders(name: string, args: ts.NodeArray<ts.Expression>): boolean {
  const headers = name === 'writeHead' ? args[1] : args.length === 1 ? args[0] : undefined;
  if (!headers) return false;
  const node = unwrap(headers);
  return typescript.isIdentifier(node) || typescript.isPropertyAccessExpression(node);
}

/** The fetch API's response classes (`Response`, `NextResponse`). */
const FETCH_RESPONSE = /^(Next)?Response$/;

/** The content type in a fetch response's init (`{ status: 200, headers: { 'Content-Type': 'image/png' } }`), as written. */
function headerOfInit(init: ts.Expression): string | undefined {
  if (!typescript.isObjectLiteralExpression(init)) return undefined;
  for (const property of init.properties) {
    if (!typescript.isPropertyAssignment(property) || propertyKey(property) !== 'headers') continue;
    const headers = unwrap(property.initializer);
    if (!typescript.isObjectLiteralExpression(headers)) return undefined;
    for (const header of headers.properties) {
      if (!typescript.isPropertyAssignment(header) || !/^content-type$/i.test(propertyKey(header))) continue;
      const value = unwrap(header.initializer);
      return typescript.isStringLiteralLike(value) ? value.text : value.getText();
    }
  }
  return undefined;
}

function propertyKey(property: ts.PropertyAssignment): string {
  return typescript.isStringLiteralLike(property.name) || typescript.isIdentifier(property.name)
    ? property.name.text
    : '';
}

/** An object, an array or `JSON.stringify(…)`: what Express, Fastify and Koa send as JSON. */
function sendsJsonValue(expression: ts.Expression): boolean {
  return (
    typescript.isObjectLiteralExpression(expression) ||
    typescript.isArrayLiteralExpression(expression) ||
    (typescript.isCallExpression(expression) && /^JSON\.stringify$/.test(expression.expression.getText()))
  );
}

function lastName(expression: ts.Expression): string {
  const node = unwrap(expression);
  if (typescript.isIdentifier(node)) return node.text;
  if (typescript.isPropertyAccessExpression(node)) return node.name.text;
  return '';
}
