/**
 * What kind of answer a handler sends, when it says what the endpoint is for (Endpoint.handler
 * rendersView / redirects / sendsJson / servesStoredFile / scheduled):
 * - a view rendered to HTML (`res.render`, `reply.view`, `ctx.render`, `c.html`, `res.sendFile('x.html')`,
 *   returned JSX or an HTML string): a page of a server-rendered site;
 * - a redirect (`res.redirect`, `c.redirect`, `NextResponse.redirect`): browser navigation, in a site;
 * - JSON (`res.json`, `c.json`, `Response.json`): an API answer, whatever else the handler does;
 * - a stored file or object's bytes (`res.sendFile(path)`, `createReadStream(…).pipe(res)`, an S3
 *   `GetObjectCommand` body returned in a `new Response`): an asset URL;
 * - a check of a cron secret from the environment (`process.env.CRON_SECRET`): a scheduled job's trigger;
 * - an answer the handler declares the same for everyone: `Cache-Control: public` (any shared cache may keep it and
 *   hand it to anyone), or a body typed as an image, a script or a stylesheet (`Content-Type: image/svg+xml`);
 * - a constant answer: the handler touches nothing but its own parameters (the request, the response, `next`) and
 *   error constructors (`throw new Error('…')`, `res.sendStatus(200)`, `res.status(404).send({ error: … })`).
 * Syntactic, read from the handler's whole body (callbacks included) and, for stored objects and cron
 * secrets, one level into the project functions it calls — for everything, into a project function it
 * hands the response to (`legacyHandler(req, res)`) when it sends nothing itself.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import { comparedSecret } from './shared-secret.js';
import { isEqualityComparison, unwrap } from './values.js';
import { probeNamed } from './probe-names.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** Names a handler gives the response (or the context holding it): `res.render` yes, `template.render` no. */
const RESPONDER = /^(res|response|reply|ctx|context|c|h)$/;
const VIEW_CALLS = new Set(['render', 'view', 'html']);
const REDIRECT_CALLS = new Set(['redirect']);
const JSON_CALLS = new Set(['json', 'jsonp']);
const FILE_CALLS = new Set(['sendFile', 'download']);
/** Reads of a stored object's bytes: AWS SDK v3 / v2, node streams, storage SDK bodies. */
const STORED_OBJECT_READ = /^(GetObjectCommand|getObject|createReadStream|transformToWebStream|transformToByteArray)$/;
/** An environment secret that authenticates a scheduler: `CRON_SECRET`, `VERCEL_CRON_SECRET`, `CRON_API_KEY`. */
export const CRON_SECRET = /\b[A-Z0-9_]*CRON[A-Z0-9_]*_(SECRET|TOKEN|KEY)\b/;
/** A `Cache-Control` value that lets shared caches keep the answer (`public, max-age=300`). */
const PUBLIC_CACHE = /(^|,)\s*public\s*(,|$)/i;
/** Content types of static assets: images, scripts, stylesheets, fonts. */
const ASSET_TYPE = /^\s*(image\/|font\/|(application|text)\/(javascript|ecmascript)|text\/css)/i;
const HTML_TEXT = /^\s*<(!doctype|html|body|head|div|p|h[1-6]|main|section)\b/i;

export interface HandlerAnswer {
  rendersView?: string;
  redirects?: boolean;
  sendsJson?: boolean;
  servesStoredFile?: string;
  scheduled?: boolean;
  /** The request is compared with a shared secret of the deployment (src/inputs/routes/shared-secret.ts): its name. */
  sharedSecret?: string;
  publicAnswer?: string;
  constant?: 'failure' | 'status' | 'health';
  /** The handler's own name declares a probe (probe-names.ts): `handleHealthCheck`, `readiness`. */
  probeName?: 'liveness' | 'readiness';
}

export class HandlerAnswers {
  private readonly memo = new Map<ts.Node, HandlerAnswer>();

  constructor(
    /** Project functions an expression can call (the router extractor's resolution). */
    private readonly functionsOf: (expression: ts.Expression) => ts.FunctionLikeDeclaration[],
    /** The string a value is, through constants (`'Cache-Control': CACHE_CONTROL`); only literals without it. */
    private readonly stringOf: (expression: ts.Expression) => string | undefined = () => undefined,
  ) {}

  of(fn: ts.FunctionLikeDeclaration, depth = 0): HandlerAnswer {
    const memo = this.memo.get(fn);
    if (memo) return memo;
    const answer: HandlerAnswer = {};
    this.memo.set(fn, answer);
    if (!fn.body) return answer;
    let readsStoredObject = false;
    let sendsBytes = false;
    const callees: ts.Expression[] = [];
    // `legacyHandler(dirname, req, res, next)`: the response handed to a project function, which answers.
    const handOvers: ts.Expression[] = [];
    const visit = (node: ts.Node): void => {
      if (typescript.isCallExpression(node) || typescript.isNewExpression(node)) {
        const callee = unwrap(node.expression);
        const name = typescript.isPropertyAccessExpression(callee)
          ? callee.name.text
          : typescript.isIdentifier(callee)
            ? callee.text
            : '';
        const receiver = typescript.isPropertyAccessExpression(callee) ? lastName(callee.expression) : '';
        const first = node.arguments?.[0] ? unwrap(node.arguments[0]) : undefined;
        if (STORED_OBJECT_READ.test(name)) readsStoredObject = true;
        // NestJS `new StreamableFile(buffer)`: a file's bytes as the body.
        if (typescript.isNewExpression(node) && name === 'StreamableFile')
          answer.servesStoredFile ??= 'new StreamableFile';
        if (typescript.isCallExpression(node)) {
          callees.push(node.expression);
          if (node.arguments.some((arg) => typescript.isIdentifier(arg) && RESPONDER.test(arg.text)))
            handOvers.push(node.expression);
          const responder = RESPONDER.test(receiver);
          const framework = /^(NextResponse|Response)$/.test(receiver);
          if (responder && VIEW_CALLS.has(name)) answer.rendersView ??= `${receiver}.${name}`;
          else if (responder && FILE_CALLS.has(name)) {
            if (first && typescript.isStringLiteralLike(first) && /\.html?$/i.test(first.text))
              answer.rendersView ??= `${receiver}.${name}('*.html')`;
            else answer.servesStoredFile ??= `${receiver}.${name}`;
          } else if ((responder || framework) && REDIRECT_CALLS.has(name)) answer.redirects = true;
          // `await response.json()` with no argument reads a fetched body; sending one passes it.
          else if ((responder || framework) && JSON_CALLS.has(name) && node.arguments.length > 0)
            answer.sendsJson = true;
          // `res.send({ message })`: Express (and Fastify `reply.send`) serialise an object or array as JSON.
          else if (
            responder &&
            name === 'send' &&
            first &&
            (typescript.isObjectLiteralExpression(first) || typescript.isArrayLiteralExpression(first))
          )
            answer.sendsJson = true;
          else if (responder && name === 'send' && first && isHtml(first)) answer.rendersView ??= 'HTML string';
          else if (
            name === 'pipe' &&
            first &&
            RESPONDER.test(lastName(first)) &&
            /createReadStream|Body/.test(callee.getText())
          )
            answer.servesStoredFile ??= 'a stream piped to the response';
        } else if (
          /^(NextResponse|Response)$/.test(name) &&
          first &&
          !typescript.isStringLiteralLike(first) &&
          !isJsonText(first)
        ) {
          if (isHtml(first)) answer.rendersView ??= 'HTML string';
          else sendsBytes = true;
        }
        if (typescript.isCallExpression(node) && node.arguments.length >= 2) {
          const [header, value] = node.arguments.map((arg) => unwrap(arg));
          answer.publicAnswer ??= publicAnswerOf(textOf(header!), value!, this.stringOf);
        }
      } else if (typescript.isPropertyAssignment(node)) {
        const key =
          typescript.isStringLiteralLike(node.name) || typescript.isIdentifier(node.name) ? node.name.text : '';
        answer.publicAnswer ??= publicAnswerOf(key, unwrap(node.initializer), this.stringOf);
      } else if (typescript.isReturnStatement(node) && node.expression && isJsx(unwrap(node.expression))) {
        answer.rendersView ??= 'JSX';
      } else if (isEnvRead(node) && CRON_SECRET.test(node.getText()) && isChecked(node)) {
        answer.scheduled = true;
      }
      if (!answer.sharedSecret && isEnvRead(node)) {
        const secret = comparedSecret(node);
        if (secret) answer.sharedSecret = secret;
      }
      typescript.forEachChild(node, visit);
    };
    visit(fn.body);
    if (depth === 0) answer.constant = constantAnswerOf(fn);
    if (depth === 0) answer.probeName = probeNamed(fn);
    if (fn.type && /\bStreamableFile\b/.test(fn.type.getText()))
      answer.servesStoredFile ??= 'a StreamableFile returned';
    if (!typescript.isBlock(fn.body) && isJsx(unwrap(fn.body as ts.Expression))) answer.rendersView ??= 'JSX';
    // One level into the project's own helpers: `const { buffer } = await getAvatar(key)` reads the object there.
    if (depth === 0 && ((sendsBytes && !readsStoredObject) || !answer.scheduled || !answer.sharedSecret)) {
      for (const callee of callees) {
        for (const inner of this.functionsOf(callee)) {
          if (inner === fn || !inner.body) continue;
          if (
            sendsBytes &&
            !readsStoredObject &&
            /\b(GetObjectCommand|getObject|createReadStream)\b/.test(inner.body.getText())
          )
            readsStoredObject = true;
          if (!answer.scheduled && this.of(inner, depth + 1).scheduled) answer.scheduled = true;
          answer.sharedSecret ??= this.of(inner, depth + 1).sharedSecret;
        }
      }
    }
    if (sendsBytes && readsStoredObject) answer.servesStoredFile ??= 'a stored object returned as the body';
    // A handler that answers nothing itself and hands the response to a project function answers what it does.
    if (depth === 0 && !answer.rendersView && !answer.redirects && !answer.sendsJson && !answer.servesStoredFile) {
      for (const inner of handOvers.flatMap((callee) => this.functionsOf(callee))) {
        if (inner === fn) continue;
        const { rendersView, redirects, sendsJson, servesStoredFile } = this.of(inner, depth + 1);
        Object.assign(
          answer,
          rendersView ? { rendersView } : {},
          redirects ? { redirects } : {},
          sendsJson ? { sendsJson } : {},
          servesStoredFile ? { servesStoredFile } : {},
        );
      }
    }
    return answer;
  }

  /** The shared secret of the deployment a middleware compares the request with (inline, or a project function): its name. */
  middlewareSecret(expression: ts.Expression): string | undefined {
    const node = unwrap(expression);
    if (typescript.isArrowFunction(node) || typescript.isFunctionExpression(node)) return this.of(node).sharedSecret;
    const target = typescript.isCallExpression(node) ? node.expression : node;
    for (const fn of this.functionsOf(target)) {
      const name = this.of(fn).sharedSecret;
      if (name) return name;
    }
    return undefined;
  }

  /** Whether a middleware checks a cron secret (`bearerAuth({ token: process.env.CRON_SECRET })`, an inline check, a project function). */
  middlewareScheduled(expression: ts.Expression): boolean {
    const node = unwrap(expression);
    if (typescript.isArrowFunction(node) || typescript.isFunctionExpression(node))
      return this.of(node).scheduled === true;
    // `bearerAuth({ token: process.env.CRON_SECRET })`: an auth middleware configured with the scheduler's secret.
    if (
      typescript.isCallExpression(node) &&
      CHECKING_CALL.test(lastName(node.expression)) &&
      node.arguments.some((arg) => CRON_SECRET.test(arg.getText()))
    )
      return true;
    const target = typescript.isCallExpression(node) ? node.expression : node;
    return this.functionsOf(target).some((fn) => this.of(fn).scheduled === true);
  }
}

/** Calls that check what they are given (`bearerAuth`, `verifySecret`, `timingSafeEqual`), not send it on. */
const CHECKING_CALL = /auth|verify|validate|compare|equal|check/i;

/**
 * Whether a read of the secret checks a request: compared (`auth !== \`Bearer ${env.CRON_SECRET}\``) or handed
 * to a checking call (`bearerAuth({ token })`). A secret put in the headers of an outgoing call is sent, not checked.
 */
function isChecked(read: ts.Node): boolean {
  for (
    let node = read.parent;
    node && !typescript.isStatement(node) && !typescript.isFunctionLike(node);
    node = node.parent
  ) {
    if (isEqualityComparison(node)) return true;
    if (typescript.isCallExpression(node)) return CHECKING_CALL.test(lastName(node.expression));
  }
  return false;
}

/** `process.env.CRON_SECRET`, `env.CRON_SECRET`, `c.env.CRON_SECRET`, `process.env['CRON_SECRET']`. */
function isEnvRead(node: ts.Node): boolean {
  if (typescript.isPropertyAccessExpression(node)) return /(^|\.)env$/.test(node.expression.getText());
  if (typescript.isElementAccessExpression(node)) return /(^|\.)env$/.test(node.expression.getText());
  return false;
}

function isJsx(node: ts.Node): boolean {
  return typescript.isJsxElement(node) || typescript.isJsxFragment(node) || typescript.isJsxSelfClosingElement(node);
}

/**
 * A value named as an HTML document (`res.send(indexHTML)`, `res.send(this.indexHtml)`, `res.send(html)`): the page a
 * single-page app's fallback route or a server-rendered handler answers, read or built elsewhere.
 */
const HTML_NAME = /(?:^|[a-z0-9_])(?:html|Html|HTML)$/;

function isHtml(node: ts.Expression): boolean {
  if (typescript.isStringLiteralLike(node)) return HTML_TEXT.test(node.text);
  if (typescript.isIdentifier(node)) return HTML_NAME.test(node.text);
  if (typescript.isPropertyAccessExpression(node)) return HTML_NAME.test(node.name.text);
  if (typescript.isTemplateExpression(node)) return HTML_TEXT.test(node.head.text);
  return isJsx(node);
}

/**
 * Whether a handler answers the same whatever it is given and reads nothing (`failure`: it only fails — throws, hands
 * an error to `next`, answers a 4xx/5xx; `status`: it answers a bare status, no body): every name it uses is one of its own
 * parameters (the request, the response, `next`, path parameters), a constructor it calls with `new` (an error), or
 * the framework's `Response`; no `this`, no `await`. A route that only throws, answers a status or echoes the URL in a
 * 404 serves no data and changes nothing.
 */
function constantAnswerOf(fn: ts.FunctionLikeDeclaration): 'failure' | 'status' | 'health' | undefined {
  if (!fn.body) return undefined;
  const allowed = new Set(['Response', 'NextResponse', 'undefined']);
  for (const parameter of fn.parameters) if (typescript.isIdentifier(parameter.name)) allowed.add(parameter.name.text);
  const constructed = (node: ts.Node): void => {
    if (typescript.isNewExpression(node)) {
      let callee: ts.Expression = node.expression;
      while (typescript.isPropertyAccessExpression(callee)) callee = callee.expression;
      if (typescript.isIdentifier(callee)) allowed.add(callee.text);
    }
    typescript.forEachChild(node, constructed);
  };
  constructed(fn.body);
  const own = new Set(
    fn.parameters.flatMap((parameter) => (typescript.isIdentifier(parameter.name) ? [parameter.name.text] : [])),
  );
  let constant = true;
  let sendsBody = !typescript.isBlock(fn.body) && !typescript.isCallExpression(unwrap(fn.body as ts.Expression));
  let failure = false;
  /** The bodies the handler sends (judged below: a liveness answer sends only literals saying it is up). */
  const bodies: ts.Expression[] = sendsBody ? [unwrap(fn.body as ts.Expression)] : [];
  const sent = (body: ts.Expression): void => {
    bodies.push(unwrap(body));
  };
  const visit = (node: ts.Node): void => {
    if (!constant) return;
    if (typescript.isAwaitExpression(node) || node.kind === typescript.SyntaxKind.ThisKeyword) {
      constant = false;
      return;
    }
    if (typescript.isIdentifier(node) && !isNameOnly(node) && !allowed.has(node.text) && !namesSuccessStatus(node)) {
      constant = false;
      return;
    }
    if (typescript.isCallExpression(node) && typescript.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      const first = node.arguments[0] ? unwrap(node.arguments[0]) : undefined;
      if (BODY_CALLS.has(name) && first) {
        sendsBody = true;
        sent(first);
      }
      if (/^(status|code)$/.test(name) && first && typescript.isNumericLiteral(first) && Number(first.text) >= 400)
        failure = true;
    }
    // `next(err)`: the error handler answers; `throw`: the framework answers with an error.
    if (typescript.isThrowStatement(node)) failure = true;
    if (typescript.isCallExpression(node) && typescript.isIdentifier(node.expression) && node.arguments.length > 0)
      if (own.has(node.expression.text)) failure = true;
    // A value returned (Nest, Hono, Next.js) is the body, unless it is the response call itself (`return res.end()`).
    if (typescript.isReturnStatement(node) && node.expression) {
      let root: ts.Expression = unwrap(node.expression);
      while (typescript.isCallExpression(root) || typescript.isPropertyAccessExpression(root)) root = root.expression;
      if (!typescript.isIdentifier(root) || !own.has(root.text)) {
        sendsBody = true;
        sent(node.expression);
      }
    }
    // Statements after a `throw` never run (`throw new Error('test'); res.status(200).json(…)`).
    if (typescript.isBlock(node)) {
      for (const statement of node.statements) {
        visit(statement);
        if (typescript.isThrowStatement(statement)) break;
      }
      return;
    }
    typescript.forEachChild(node, visit);
  };
  visit(fn.body);
  // A body sent with a success status is an answer of its own (`res.json({ total: 0 })`): only failures, bare
  // statuses and throws are constant in this sense.
  if (!constant) return undefined;
  if (failure) return 'failure';
  if (sendsBody) return bodies.length > 0 && bodies.every(saysHealthy) ? 'health' : undefined;
  return 'status';
}

/** A word a liveness answer says: `'OK'`, `'Healthy'`, `'pong'`, `{ status: 'up' }`. */
const HEALTH_WORD = /^(ok|okay|healthy|up|alive|pong|running|live|i'?m alive)[.!]?$/i;
/** A property that holds the service's health: `{ healthy: true }`, `{ alive: true }`, `{ ok: true }`. */
const HEALTH_FLAG = /^(ok|healthy|alive|up|live)$/i;

/**
 * A literal body that says the process is up, and only that: a health word, or an object of literal values, one of
 * them a health word or a health flag set to `true` (`{ status: 'ok' }`, `{ healthy: true }`, `{ message: 'Healthy' }`).
 */
function saysHealthy(body: ts.Expression): boolean {
  const node = unwrap(body);
  if (typescript.isStringLiteralLike(node)) return HEALTH_WORD.test(node.text.trim());
  if (!typescript.isObjectLiteralExpression(node) || node.properties.length === 0) return false;
  let healthy = false;
  for (const property of node.properties) {
    if (!typescript.isPropertyAssignment(property)) return false;
    const value = unwrap(property.initializer);
    const name =
      typescript.isIdentifier(property.name) || typescript.isStringLiteralLike(property.name) ? property.name.text : '';
    if (typescript.isStringLiteralLike(value)) healthy ||= HEALTH_WORD.test(value.text.trim());
    else if (value.kind === typescript.SyntaxKind.TrueKeyword) healthy ||= HEALTH_FLAG.test(name);
    else if (!typescript.isNumericLiteral(value) && value.kind !== typescript.SyntaxKind.FalseKeyword) return false;
  }
  return healthy;
}

/** Calls that send a body (`res.json(x)`, `res.send(x)`, `c.json(x)`, `new Response(x)` is not one of them). */
const BODY_CALLS = new Set([
  'json',
  'jsonp',
  'send',
  'write',
  'end',
  'html',
  'text',
  'body',
  'render',
  'view',
  'sendFile',
  'download',
]);

/**
 * `HttpCode.OK`, `HttpStatus.OK`, `StatusCodes.OK`: the success status named through a constant of status codes rather
 * than written `200` — the same constant answer. Only `OK`: a code named as a failure (`NOT_FOUND`) would have to be
 * told from a success, and a handler that sends one is judged as before.
 */
function namesSuccessStatus(node: ts.Identifier): boolean {
  const parent = node.parent;
  return typescript.isPropertyAccessExpression(parent) && parent.expression === node && parent.name.text === 'OK';
}

/** An identifier that names a member or a key (`res.status`, `{ error: … }`), not a value read from scope. */
function isNameOnly(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (typescript.isPropertyAccessExpression(parent) && parent.name === node) ||
    (typescript.isPropertyAssignment(parent) && parent.name === node)
  );
}

/** `'Cache-Control', 'public, …'` or `'Content-Type', 'image/png'` (a header set, or a headers object's entry). */
function publicAnswerOf(
  header: string | undefined,
  value: ts.Expression,
  stringOf: (expression: ts.Expression) => string | undefined,
): string | undefined {
  const text = textOf(value) ?? stringOf(value);
  if (header === undefined || text === undefined) return undefined;
  if (/^cache-control$/i.test(header) && PUBLIC_CACHE.test(text)) return 'Cache-Control: public';
  if (/^content-type$/i.test(header) && ASSET_TYPE.test(text)) return `Content-Type: ${text.trim().split(/[;\s]/)[0]}`;
  return undefined;
}

/** A string's text, or a template's text up to its first substitution (`image/${ext}` → `image/`). */
function textOf(node: ts.Expression): string | undefined {
  if (typescript.isStringLiteralLike(node)) return node.text;
  if (typescript.isTemplateExpression(node)) return node.head.text;
  return undefined;
}

/** `JSON.stringify(x)` passed as a body: JSON, written by hand. */
function isJsonText(node: ts.Expression): boolean {
  return typescript.isCallExpression(node) && node.expression.getText() === 'JSON.stringify';
}

/** Calls that return the response itself, so `res.status(400).send(…)` is still sent by `res`. */
const CHAINED = new Set(['status', 'code', 'type', 'set', 'header', 'setHeader']);

function lastName(expression: ts.Expression): string {
  const node = unwrap(expression);
  if (
    typescript.isCallExpression(node) &&
    typescript.isPropertyAccessExpression(node.expression) &&
    CHAINED.has(node.expression.name.text)
  ) {
    return lastName(node.expression.expression);
  }
  if (typescript.isPropertyAccessExpression(node)) return node.name.text;
  return typescript.isIdentifier(node) ? node.text : '';
}
