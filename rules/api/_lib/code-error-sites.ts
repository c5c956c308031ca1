/**
 * api/structured-errors on code: what is wrong with an error site (routes input), per rules.md —
 * a bare string or no body, an error object with no code, a raw error passed through, an opaque
 * text, an HTTP exception with a generic message. Bodies a project helper builds are judged by
 * what the helper returns; a project exception class that carries a code is structured.
 */
import type { ErrorSite } from '../../../src/rule-api.js';

/** Machine-readable codes (`code`, `error_code`, RFC 9457 `type`), compared without case, `_` or `-`. */
const CODE_LIKE = new Set([
  'code',
  'errorcode',
  'errcode',
  'errno',
  'messagecode',
  'type',
  'errortype',
  'reason',
  'status_code_name',
  'errorcodes',
]);
/** Texts that tell the client nothing: `Error`, `Something went wrong`, `Error 1062`, `ER_DUP_ENTRY`. */
const OPAQUE =
  /^(error|errors|fail|failed|failure|oops.*|something went wrong|internal( server)? error|server error|unknown error|an error (has )?occurred|error occurred|bad request|bad input|invalid( input| request)?|not found|error \d+|\d+|er_[a-z0-9_]+|[A-Z][A-Z0-9]*(_[A-Z0-9]+)+)$/i;

const normalise = (name: string) => name.toLowerCase().replace(/[_-]/g, '');

/** Human-message properties, compared like CODE_LIKE (`message`, `error_description`, `detail`). */
const MESSAGE_LIKE = new Set([
  'message',
  'msg',
  'detail',
  'details',
  'title',
  'errordescription',
  'errormessage',
  'errmsg',
  'description',
]);

/** An `error`/`status` value written as a code (`invalid_request`, `NOT_FOUND`, `auth/expired-token`), not a sentence. */
function carriesCodeValue(strings: Record<string, string>): boolean {
  return Object.entries(strings).some(
    ([key, value]) =>
      /^(error|status|kind)$/i.test(key) &&
      /^[a-z][a-z0-9]*(?:[_/.-][a-z0-9]+)+$|^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value),
  );
}

/**
 * HTTP reason phrases (`Unauthorized`, `Too Many Requests`): as the `error` of `{error, message}` — the shape
 * Fastify, Hapi, NestJS and @fastify/rate-limit answer with — they are a stable category a client can match.
 */
const REASON_PHRASE =
  /^(bad ?request|unauthori[sz]ed|payment ?required|forbidden|not ?found|method ?not ?allowed|not ?acceptable|request ?timeout|conflict|gone|precondition ?failed|payload ?too ?large|unsupported ?media ?type|unprocessable ?(entity|content)|too ?many ?requests|internal ?server ?error|not ?implemented|bad ?gateway|service ?unavailable|gateway ?timeout)$/i;

/** `{error: 'Unauthorized', message: '…'}`: the error's value is a reason phrase, next to a human message. */
function carriesReasonPhrase(strings: Record<string, string>): boolean {
  return Object.entries(strings).some(
    ([key, value]) => /^error$/i.test(key) && REASON_PHRASE.test(value.trim().replace(/[_-]/g, ' ')),
  );
}

/** Properties that carry per-field validation errors (`details: z.formatError(e)`, `errors: [...]`, `issues`). */
const VALIDATION_DETAILS = new Set([
  'details',
  'errors',
  'issues',
  'fielderrors',
  'fields',
  'validation',
  'validationerrors',
]);

/**
 * A message written as an identifier (`workflow_not_found`, `bad_token`, `INVALID_CURSOR`): a stable code a
 * client matches on, like OAuth's `invalid_grant`. A database driver's code (`ER_DUP_ENTRY`) is a leak, not one.
 */
const CODE_TEXT = /^(?!er_)[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/i;

/**
 * A value written in capitals as one word (`{error: 'INVALID'}`, `{error: 'UNAUTHORIZED'}`): a constant a client
 * compares, the way `NOT_FOUND` is; a word that names no error (`ERROR`, `FAILED`) tells nothing and is no code.
 */
const CAPITAL_CODE = /^(?!(?:ERR|ERROR|ERRORS|FAIL|FAILED|FAILURE|UNKNOWN|OOPS)$)[A-Z]{3,}[A-Z0-9]*$/;

/**
 * A text that opens with the project's own error number (`DBGM-00345 Uploaded file was truncated…`, `E1042: …`):
 * clients match the number and people search for it, as they would a `code` property.
 */
const NUMBERED_TEXT = /^[A-Z][A-Z0-9]{0,9}[-_]?\d{3,}(?=[\s:.]|$)/;

/** A text written as HTML (a link, a line break, a paragraph or heading): a page answer, not an API error. */
const HTML_MARKUP = /<(?:a\s[^>]*href|br\s*\/?>|p>|h[1-6]>|html|body|!doctype)/i;

/** Whether a text carries its code: an identifier (see CODE_TEXT) or an opening error number (NUMBERED_TEXT). */
function textCarriesCode(text: string): boolean {
  const trimmed = text.trim();
  return CODE_TEXT.test(trimmed) || NUMBERED_TEXT.test(trimmed);
}

/**
 * Statuses a client acts on by themselves: 429 Too Many Requests (with its Retry-After / RateLimit headers: wait
 * and retry), 405 Method Not Allowed (with its Allow header: the route exists, not for this method) and 410 Gone
 * (the endpoint was removed for good), and 415 Unsupported Media Type (the request's body is in a format the endpoint
 * does not read: its sender speaks another format — protobuf, a form — and learns what is wrong from the status).
 */
const STATUS_SAYS_IT_ALL = new Set([405, 410, 415, 429]);

export function isOpaqueText(text: string): boolean {
  return OPAQUE.test(text.trim().replace(/[.!]+$/, ''));
}

export interface SiteProblem {
  /** The kind of problem with the shape that has it, so sites with one cause group together (`text`, `object:error,detail`). */
  cause: string;
  /** A phrase that completes "<site> sends <status> …". */
  detail: string;
  /**
   * The only thing missing is a machine code: a 4xx whose status says what happened (no body, or a
   * specific message in a JSON object). Wrong only against a convention that has codes (see codedConvention).
   */
  codeless?: boolean;
}

const isClientError = (status: number | undefined) => status !== undefined && status >= 400 && status < 500;

/** What is wrong with an error site; undefined when structured or unknowable. */
export function errorSiteProblem(site: ErrorSite): SiteProblem | undefined {
  const { body } = site;
  const thrown = site.exception !== undefined || site.via.endsWith('.throw');
  // A rate limiter's answer is read by its status and headers; its body is a courtesy for people. So are a
  // 405 (with its Allow header) and a 410 (the endpoint is gone for good): the status is the whole answer.
  if (site.status !== undefined && STATUS_SAYS_IT_ALL.has(site.status) && !body.leaked && body.kind !== 'raw-error')
    return undefined;
  if (body.leaked)
    return {
      cause: 'leak',
      detail: `with \`${body.leaked}\` in the body: the raw error leaks internals and gives clients nothing stable to match`,
    };
  if (body.kind === 'raw-error') return { cause: 'raw-error', detail: 'with the raw error object as the body' };
  if (thrown) {
    if (site.exception && !site.exception.framework && site.exception.carriesCode) return undefined;
    // `new UnauthorizedException('bad_token')`: the framework sends {statusCode, message, error}; the message is the code.
    if (body.kind === 'text' && body.text !== undefined && textCarriesCode(body.text)) return undefined;
    if (body.kind === 'text' && body.text !== undefined && isOpaqueText(body.text))
      return { cause: 'generic-message', detail: `with the generic message "${body.text}"` };
    // Nest's built-in exceptions answer {statusCode, message, error} on their own; a bare Koa
    // ctx.throw(500), createError(500) or Hono HTTPException(500) answers a plain status text.
    if (
      body.kind === 'none' &&
      !(site.exception?.framework && site.via.startsWith('new ') && site.exception.className !== 'HTTPException')
    ) {
      return {
        cause: 'no-message',
        detail: 'with no message: the client gets only the status text',
        ...(isClientError(site.status) ? { codeless: true } : {}),
      };
    }
    return undefined;
  }
  switch (body.kind) {
    case 'none':
      return { cause: 'none', detail: 'with no body', ...(isClientError(site.status) ? { codeless: true } : {}) };
    case 'text':
      // `res.status(403).send('DBGM-00245 MCP server is disabled')`: the text opens with the project's error number.
      if (body.text !== undefined && NUMBERED_TEXT.test(body.text.trim())) return undefined;
      // `res.status(401).send('Logged out<br><a href="/">Back</a>')`: markup is a page for a person in a browser tab.
      if (body.text !== undefined && HTML_MARKUP.test(body.text)) return undefined;
      return {
        cause: 'text',
        detail:
          body.text !== undefined && isOpaqueText(body.text)
            ? `as the bare, opaque string "${body.text}"`
            : 'as a bare string',
      };
    case 'object': {
      const names = [...(body.properties ?? []), ...(body.nestedErrorProperties ?? [])].map(normalise);
      if (names.some((n) => CODE_LIKE.has(n))) return undefined;
      if (isFrameworkEnvelope(site) || isFrameworkExceptionShape(site)) return undefined;
      // SCIM's error (RFC 7644 §3.12): `{schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status, detail}`, as the protocol fixes it.
      if (['schemas', 'status', 'detail'].every((n) => (body.properties ?? []).includes(n))) return undefined;
      // `{errors: [{message, path}]}`: the error list GraphQL (and JSON:API) clients read, each error with its message.
      if (
        (body.properties ?? []).includes('errors') &&
        (body.nestedErrorProperties ?? []).some((n) => MESSAGE_LIKE.has(normalise(n)))
      )
        return undefined;
      // RFC 6749's `{error: 'invalid_request', error_description: '…'}`: the `error` value is the machine code.
      if (carriesCodeValue(body.stringProperties ?? {}) && names.some((n) => MESSAGE_LIKE.has(n))) return undefined;
      // `{message: 'TABLE_SIZE_LIMIT_EXCEEDED'}`: told by an identifier, the error carries its code in the text, as a
      // framework exception's message does (`new ForbiddenException('workflow_not_found')`).
      if (toldByIdentifier(body.stringProperties ?? {})) return undefined;
      const strings = body.stringProperties ?? {};
      const messages = (body.properties ?? []).filter((name) => MESSAGE_LIKE.has(normalise(name)));
      // `{error: 'Unauthorized', message}` (Fastify/Hapi/Nest's own shape), `{error: 'Forbidden', description}`.
      if (carriesReasonPhrase(strings) && messages.some((name) => !/^error$/i.test(name))) return undefined;
      // `{message: 'Invalid request body', details: z.formatError(e)}`: the details say what to fix, field by field.
      if (
        messages.some((name) => strings[name] !== undefined) &&
        (body.properties ?? []).some((name) => VALIDATION_DETAILS.has(normalise(name)) && strings[name] === undefined)
      )
        return undefined;
      const listed = Object.entries(strings);
      // A specific message (`{error: 'Backup not found'}`) says what happened; only a code is missing.
      const texts = messagesOrError(body.properties ?? [], strings);
      // A 4xx whose message is computed (`{error: reason}`, `{error: parsed.error.flatten()}`) and not a leak: what it
      // says is not known, and a client error usually says what the client did wrong. Only a code is known missing.
      const computed =
        texts.length === 0 &&
        isClientError(site.status) &&
        (body.properties ?? []).some((name) => MESSAGE_LIKE.has(normalise(name)) || /^error$/i.test(name));
      const specific = computed || texts.some((text) => !isOpaqueText(text));
      const shown =
        listed.length > 0
          ? `{${listed.map(([k, v]) => `${k}: '${v}'`).join(', ')}}`
          : `{${(body.properties ?? []).join(', ')}}`;
      return {
        cause: `object:${[...(body.properties ?? [])].sort().join(',')}:${body.builtBy ?? ''}`,
        detail: `as ${shown}${body.builtBy ? ` (built by ${body.builtBy}())` : ''}, with no machine-readable error code`,
        ...(specific ? { codeless: true } : {}),
      };
    }
    default:
      return undefined;
  }
}

/** Properties that repeat the response's status (`statusCode: 404`, `status: 'error'`). */
const STATUS_LIKE = new Set(['status', 'statuscode']);

/**
 * The app's error handler answering every error as `{statusCode, message}` with the message the error was
 * thrown with (`{statusCode, message: exception.message, timestamp, path}` in a Nest `@Catch()` filter): the
 * shape NestJS, Fastify and Hapi answer with on their own, whose specific messages are judged where the errors
 * are thrown. A fixed text there (`{status: 500, message: 'Error'}`) is still the handler's own answer.
 */
function isFrameworkEnvelope(site: ErrorSite): boolean {
  if (!site.centralHandler || site.body.kind !== 'object') return false;
  const properties = site.body.properties ?? [];
  const strings = site.body.stringProperties ?? {};
  return (
    properties.some((name) => STATUS_LIKE.has(normalise(name))) &&
    properties.some((name) => MESSAGE_LIKE.has(normalise(name)) && strings[name] === undefined)
  );
}

/** The properties of the body NestJS and Fastify send for their own HTTP exceptions (`{statusCode, message, error}`). */
const FRAMEWORK_EXCEPTION_SHAPE = new Set(['statuscode', 'message', 'error']);

/**
 * `{statusCode: 410, message: 'Unsupported protocol for this kind of event'}`, `{statusCode: 500, error: 'Internal
 * Server Error'}`: the very body NestJS or Fastify sends for its own exception (`throw new GoneException('…')`), written
 * out. It is judged like that exception: a specific message, or the status's reason phrase the framework itself puts
 * there, is accepted; a generic text is not. (A raw error passed through is a leak, judged before.)
 */
function isFrameworkExceptionShape(site: ErrorSite): boolean {
  const properties = (site.body.properties ?? []).map(normalise);
  if (!properties.includes('statuscode') || !properties.every((name) => FRAMEWORK_EXCEPTION_SHAPE.has(name)))
    return false;
  const strings = Object.fromEntries(
    Object.entries(site.body.stringProperties ?? {}).map(([name, text]) => [normalise(name), text.trim()]),
  );
  const { message, error } = strings;
  if (properties.includes('message'))
    return message === undefined || !isOpaqueText(message) || REASON_PHRASE.test(message.replace(/[_-]/g, ' '));
  return properties.includes('error') && error !== undefined && REASON_PHRASE.test(error.replace(/[_-]/g, ' '));
}

/** The literal texts of an error object's message-like properties and of its `error`. */
function messagesOrError(properties: readonly string[], strings: Record<string, string>): string[] {
  return properties
    .filter((name) => MESSAGE_LIKE.has(normalise(name)) || /^error$/i.test(name))
    .flatMap((name) => (strings[name] !== undefined ? [strings[name]] : []));
}

/**
 * Whether an error site sends a machine-readable code: a code-like property (`{error: {code, message}}`),
 * an `error` written as an identifier next to a message (OAuth's `invalid_request`), a project exception
 * class that carries a code, or an exception whose message is an identifier (`workflow_not_found`).
 */
export function sendsCode(site: ErrorSite): boolean {
  if (site.exception && !site.exception.framework && site.exception.carriesCode) return true;
  const { body } = site;
  if (site.exception !== undefined || site.via.endsWith('.throw'))
    return body.kind === 'text' && body.text !== undefined && textCarriesCode(body.text);
  if (body.kind === 'text') return body.text !== undefined && NUMBERED_TEXT.test(body.text.trim());
  if (body.kind !== 'object') return false;
  const names = [...(body.properties ?? []), ...(body.nestedErrorProperties ?? [])].map(normalise);
  return (
    names.some((n) => CODE_LIKE.has(n)) ||
    carriesCodeValue(body.stringProperties ?? {}) ||
    toldByIdentifier(body.stringProperties ?? {})
  );
}

/**
 * A message or `error` written as an identifier (`TABLE_SIZE_LIMIT_EXCEEDED`, `quota_exceeded`) or opening with an
 * error number (`DBGM-00345 …`), not a bare sentence; an `error` written in capitals (`INVALID`) names its code too.
 */
function toldByIdentifier(strings: Record<string, string>): boolean {
  return Object.entries(strings).some(
    ([key, value]) =>
      ((MESSAGE_LIKE.has(normalise(key)) || /^error$/i.test(key)) && textCarriesCode(value)) ||
      (/^error$/i.test(key) && CAPITAL_CODE.test(value.trim())),
  );
}

/** Properties that repeat the response's status or describe the request, not the error: `statusCode`, `success`, `path`, a debug `stack`. */
const ENVELOPE_EXTRAS = new Set(['status', 'statuscode', 'success', 'ok', 'timestamp', 'path', 'stack']);

const envelopeKey = (properties: readonly string[]) =>
  [...new Set(properties.map(normalise).filter((name) => !ENVELOPE_EXTRAS.has(name)))].sort().join(',');

/**
 * The error envelopes of the project: the object shapes its central error handlers send (see
 * ErrorSite.centralHandler), compared without the status-like extras.
 */
export function errorEnvelopes(sites: readonly ErrorSite[]): Set<string> {
  return new Set(
    sites
      .filter((site) => site.centralHandler && site.body.kind === 'object' && (site.body.properties ?? []).length > 0)
      .map((site) => envelopeKey(site.body.properties!)),
  );
}

/**
 * A site that sends the app's own error envelope with a specific message (`{success: false, message: 'Execution
 * not found'}` where the error handler sends `{statusCode, success, message}`) is consistent with the API: if that
 * envelope lacks a code, the cause is the envelope, judged once where the central handler sends it.
 */
export function sendsEnvelope(site: ErrorSite, envelopes: Set<string>): boolean {
  if (site.centralHandler || site.body.kind !== 'object' || site.body.leaked) return false;
  const properties = site.body.properties ?? [];
  if (properties.length === 0 || !envelopes.has(envelopeKey(properties))) return false;
  const strings = site.body.stringProperties ?? {};
  return !Object.entries(strings).some(([name, text]) => MESSAGE_LIKE.has(normalise(name)) && isOpaqueText(text));
}
