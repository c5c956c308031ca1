/**
 * What the `routes` input reads from TypeScript/JavaScript services beyond the shared HTTP model:
 * error responses as the code sends them (api/structured-errors has nothing like an OpenAPI
 * response schema to read in code, so the input describes each error site and the rule judges).
 */
import type { Located, Origin } from './finding.js';
import type { HttpModel } from './http.js';

export interface RoutesModel extends HttpModel {
  /** Every place that sends an error status or throws an HTTP exception, in file order. */
  errorSites: ErrorSite[];
  /** Outbound HTTP requests made by the services' code (fetch, axios, got, ky, undici), in file order. Optional: older callers. */
  outboundCalls?: OutboundCall[];
  /** The services of the repository's Docker Compose files: the host names other services call them by. */
  composeServices?: ComposeService[];
}

/**
 * One outbound HTTP request in code, with what names its target as far as the code shows it: the URL
 * or the client's base URL when it is a constant (a `process.env.X ?? 'http://users:3000'` default
 * counts), the environment variable it is read from, the name of the client made with that base URL.
 */
export interface OutboundCall extends Located {
  /** The client: `fetch`, `axios`, `got`, `ky`, `undici`, `node-fetch`. */
  client: string;
  /** The URL or base URL as far as it evaluates, unknown parts written `<source text>`; undefined: nothing known. */
  url?: string;
  /** The environment variable the URL or base URL comes from (`USERS_SERVICE_URL`). */
  env?: string;
  /** The variable or property holding the client made with a base URL (`usersClient`, `this.billingApi`). */
  clientName?: string;
  /** The request itself, or, for a client with a base URL whose requests the input could not follow, its creation. */
  origin: Origin;
}

/** One service of a Docker Compose file (`services:` key). */
export interface ComposeService extends Located {
  /** Its key: the host name the other containers reach it by. */
  name: string;
  /** The folder it is built from (`build:` / `build.context`), relative to the lint root, `/`-separated. */
  buildContext?: string;
  /** Its `environment:` (a map or a `KEY=value` list), values as written. */
  environment: Record<string, string>;
  /** Its key in the compose file. */
  origin: Origin;
}

/**
 * What an error response carries, as far as the code shows it.
 * - none: a status with no body (`res.sendStatus(500)`, `ctx.throw(500)`, `res.status(500).end()`)
 * - text: a string body (`res.status(400).send('bad')`, `c.text('…', 500)`)
 * - object: an object literal, or the object a project helper returns (`apiError(…)`)
 * - raw-error: a caught error object passed through as the body (`res.status(500).json(err)`)
 * - unknown: anything the input cannot see through (a variable, a call into a package…)
 */
export interface ErrorBody {
  kind: 'none' | 'text' | 'object' | 'raw-error' | 'unknown';
  /** For text (and exception messages): the literal text, when it is a literal (`${x}` kept as written). */
  text?: string;
  /** For object: its property names as written (spreads are left out). */
  properties?: string[];
  /**
   * For object: the property names of a nested `error` object (`{error: {code, message}}`), or of the first
   * error object of an `errors` list (`{errors: [{message, path}]}`, GraphQL's and JSON:API's shape).
   */
  nestedErrorProperties?: string[];
  /** For object: properties whose value is a string literal or template, and the text (`error: 'fail'`). */
  stringProperties?: Record<string, string>;
  /** Internals passed through: `err.message`, `err.stack`, `error` (the expression as written). */
  leaked?: string;
  /** The project function or class that built the body (`apiError`), when it did. */
  builtBy?: string;
}

export interface ErrorSite extends Located {
  /** How the error is sent, shortly: `res.status().send`, `res.sendStatus`, `ctx.throw`, `new HttpException`. */
  via: string;
  /** The HTTP status when it is a literal number (or a framework exception's fixed status). */
  status?: number;
  body: ErrorBody;
  /**
   * For exceptions: the class, whether it is a framework's HTTP exception or a project class, and
   * whether that project class carries a machine code (a `code` field or constructor parameter).
   */
  exception?: { className: string; framework: boolean; carriesCode: boolean };
  /**
   * Sent by the function every error of an app goes through — an Express error middleware, a Fastify
   * `setErrorHandler` or Hono `onError` callback, a NestJS `@Catch()` filter: its body is the app's error envelope.
   */
  centralHandler?: boolean;
  /**
   * An exception thrown inside a `try` whose `catch` does not throw it on (in its own function, or around
   * the awaited call it is a callback of): it aborts work and is handled there; no client receives it.
   */
  caughtLocally?: boolean;
  /**
   * In a central error handler, after an `if (error instanceof ProjectError)` that answers the project's own
   * errors of a class carrying a code: this site answers every other, unexpected error.
   */
  afterCodedErrors?: boolean;
  /**
   * Sent by a function that checks a webhook sender's signature (`stripe.webhooks.constructEvent`, svix
   * `new Webhook(secret).verify`, an HMAC compared in constant time): the answer goes to the sender, which reads
   * its status, not to a client of the API — wherever the function sits (a middleware factory, a service method).
   */
  answersWebhookSender?: boolean;
  /**
   * Sent by a function that compares the request with a shared secret of the deployment (`x-api-key !==
   * process.env.API_KEY`, see Endpoint.handler.sharedSecret): the answer goes to whoever holds that secret — the
   * project's own services and operators — not to a client of a published API.
   */
  answersSecretHolder?: boolean;
  /**
   * The request is served by a Model Context Protocol transport (the function owning the response hands it to one,
   * src/inputs/routes/mcp-answers.ts), as written: the caller is an MCP client, which speaks the protocol's JSON-RPC
   * and acts on the status of a refused request, as on a protocol endpoint.
   */
  answersMcpClient?: string;
  /**
   * The response this site answers on is not a JSON API answer, and how, as written: the site declares a content type
   * that is not JSON (`res.type('text/javascript')`), or the function owning the response object sends a file, a
   * stream or bytes under another content type on it, and no JSON (src/inputs/routes/plain-answers.ts). Its reader is
   * a browser, a media tag, a downloader or a crawler, which acts on the status.
   */
  nonJsonAnswer?: string;
  /**
   * The code services whose code holds this site: the services whose files import, directly or not, the file it is
   * written in (src/inputs/routes/site-services.ts). Their requests are the only ones it can answer. Undefined when
   * that is not known (a service's code is larger than archlint follows); empty when every service's code was followed
   * and none reaches the file: the requests it answers are of an app archlint does not know.
   */
  heldBy?: string[];
  /**
   * The calls of the named function this site is written in (src/inputs/routes/site-callers.ts): a helper that sends an
   * error answers the routes whose handlers call it. Undefined when that is not known (the function is passed on or
   * stored rather than called, is called from too many places, or the site is not in a named function).
   */
  calledFrom?: Origin[];
  /**
   * The site runs only in development or tests (`if (process.env.NODE_ENV !== 'production')`, a function only such
   * code calls): the condition, as written (src/inputs/routes/dev-only.ts). A deployed service never sends it.
   */
  devOnly?: string;
  /** The call or `new` expression (for `ctx.body = …`, the assignment). */
  origin: Origin;
  /** Where it was read from: findings reported at a site are labelled with it. */
  source: 'typescript';
}
