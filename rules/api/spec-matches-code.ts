import { defineRule, isVersionSegment, type Endpoint, type Service } from '../../src/rule-api.js';
import {
  documents,
  isUnder,
  pairSides,
  pathKey,
  serves,
  sidesOf,
  supersededBy,
  type Side,
} from './_lib/spec-code-matching.js';

const method = (endpoint: Endpoint) => (endpoint.allMethods ? 'ALL' : endpoint.method.toUpperCase());

/** The server URL path or basePath a description puts in front of an operation's path key ('' when none). */
function serverPath(operation: Endpoint): string {
  const declared =
    operation.declaredPath.length > 1 ? operation.declaredPath.replace(/\/+$/, '') : operation.declaredPath;
  return declared !== operation.path && operation.path.endsWith(declared)
    ? operation.path.slice(0, -declared.length)
    : '';
}

/** `GET /api/v1/totals (path /v1/totals under the server path /api)`: shows how the full path was built. */
function describedRoute(operation: Endpoint): string {
  const prefix = serverPath(operation);
  return `${method(operation)} ${operation.path}${prefix ? ` (path ${operation.path.slice(prefix.length)} under the server path ${prefix})` : ''}`;
}

/** How to describe a route in a description: its path key is the route's full path without the server path. */
function describeFix(route: Endpoint, descriptionId: string, sample: Endpoint | undefined): string {
  const prefix = sample ? serverPath(sample) : '';
  const key = prefix && route.path.startsWith(`${prefix}/`) ? route.path.slice(prefix.length) : route.path;
  const where = prefix && key !== route.path ? ` (the server path ${prefix} is added in front)` : '';
  return `Describe ${method(route)} ${key} under \`paths\` in ${descriptionId}${where}, or remove the route if it is not meant to be served`;
}

/** `POST /api/orders/{orderId}/refunds (declared as /orders/{orderId}/refunds)`: shows that mount prefixes were applied. */
function servedRoute(route: Endpoint): string {
  return `${method(route)} ${route.path}${route.declaredPath !== route.path ? ` (declared as ${route.declaredPath})` : ''}`;
}

function describeCodeService(id: string, services: Map<string, Service>): string {
  const service = services.get(id);
  return service?.framework ? `the ${service.framework} app ${id}` : `the code in ${id}`;
}

function describeDescription(id: string, services: Map<string, Service>): string {
  const title = services.get(id)?.name;
  return title && title !== id ? `${id} ("${title}")` : id;
}

/**
 * The guards in front of the routes a description documents: how its clients authenticate (an API key,
 * a bearer token). Empty when those routes are public or their chain is not known.
 */
function contractGuards(documented: Endpoint[]): Set<string> {
  return new Set(documented.flatMap((route) => route.auth?.guards ?? []));
}

/**
 * A route only reachable through guards none of the documented routes use (a session-cookie guard in an
 * app whose described API takes API keys) serves another audience — the project's own dashboard — and is
 * not part of the contract the description publishes. Public routes and unknown chains are still compared.
 */
function behindOtherGuards(route: Endpoint, contract: Set<string>): boolean {
  const guards = route.auth?.guards ?? [];
  return contract.size > 0 && guards.length > 0 && !guards.some((guard) => contract.has(guard));
}

/**
 * When most of one side has no counterpart (and that is many endpoints), the likelier story is that
 * archlint cannot see how the code serves them (a wrapper it does not know, routes built at run time)
 * or that it compares the wrong pair: one finding for the whole description or app, not a flood. Ten or more
 * undescribed routes are one finding whatever their share: one cause (the description lags the code).
 */
const FLOOD_MIN = 10;
/** How many of the endpoints behind a count finding it lists as related locations. */
const RELATED_LIMIT = 10;
function isFlood(missing: number, total: number): boolean {
  return missing >= FLOOD_MIN && missing > total / 2;
}

/** `ALL /proxy/*` serves a described `/proxy/{anyPath}`: the wildcard is the operation's last, parameter segment. */
function servesRest(route: Endpoint, operation: Endpoint): boolean {
  const methodOk =
    route.allMethods === true ||
    route.method === operation.method ||
    (operation.method === 'head' && route.method === 'get');
  if (!methodOk) return false;
  const prefix = pathKey(route.path).slice(0, -1);
  // `/auth/*` handed whole to a package's request handler (`auth.handler(c.req.raw)`): the package answers every
  // path below it, however deep (`/auth/organization/list`), so the described operations there are served.
  if (route.handler?.delegatesTo) return pathKey(operation.path).startsWith(prefix);
  return pathKey(operation.path) === `${prefix}{}`;
}

/** `GET /a, POST /b, GET /c and 12 more`. */
function examples(endpoints: Endpoint[]): string {
  const shown = endpoints.slice(0, 3).map((e) => `${method(e)} ${e.path}`);
  return endpoints.length > 3 ? `${shown.join(', ')} and ${endpoints.length - 3} more` : shown.join(', ');
}

/** The first few names, and how many more: a route compared with many descriptions stays one readable line. */
function listed(names: string[]): string {
  return names.length <= 2 ? names.join(' or ') : `${names.slice(0, 2).join(', ')} or ${names.length - 2} more`;
}

/** `/`, `/api`, `/api/v2`: the root of the service or of its API prefix, naming no resource. */
const isApiRoot = (path: string) =>
  path.split('/').every((s) => s === '' || s.toLowerCase() === 'api' || isVersionSegment(s));

export default defineRule({
  meta: {
    id: 'api/spec-matches-code',
    title: 'The OpenAPI description and the code serve the same operations',
    severity: 'warning',
    requires: ['http'],
    tags: ['api', 'contract', 'documentation'],
    why:
      'The description is the contract clients, SDK generators, gateways and contract tests trust. A route the code ' +
      'serves but the description leaves out is invisible to them (and escapes the review, auth and rate limits ' +
      'applied from the contract); an operation the description promises but no code serves fails at run time, ' +
      'in the client. Drift starts with one forgotten endpoint and grows quietly. ' +
      'How archlint compares: the method and the full path, as a client calls it — the server URL path or ' +
      '`basePath` applied to the description, every global and mount prefix to the code — with parameter names ' +
      'ignored (`{id}` ≡ `:orderId`), no trailing slash, case kept. An `.all()` route answers every method; a GET ' +
      'route answers HEAD; a described OPTIONS needs only a route on its path (CORS middleware answers it). ' +
      'Health, readiness, metrics and docs endpoints are infrastructure, not API, and are left out, as are code ' +
      'catch-alls (`*`) — though a route ending in a wildcard (`/proxy/*`) serves a described operation that names the rest of the path as one parameter (`/proxy/{path}`), and one handed whole to a package’s request handler (`/auth/*` → `auth.handler(c.req.raw)`) serves every described operation below it, which is that package’s protocol. Nothing is reported unless the repository has both a description and code routes. A ' +
      'description and a code service are compared when they share endpoints (at least a quarter of the smaller ' +
      'one; less is a coincidence), each with its nearest such partner in the folder tree: a description sharing ' +
      'nothing with the code is about another service and yields no finding. A code route is compared only under ' +
      "the common parent path of its description's operations (a public API under /api/public says nothing about " +
      'the /api/auth routes of the same app). A code route whose path archlint cannot fully compute (a prefix from ' +
      'configuration, a router mounted where it cannot see) is never reported as missing from the description; it ' +
      'still counts as serving an operation whose path ends with the part archlint can see. When most of one side ' +
      '(ten endpoints or more) has no counterpart, one finding names the count instead of one per endpoint.',
    fix:
      'Add the missing operation to the description (under `paths`, without the server path it already carries), ' +
      'or implement the operation the description promises — or, if it is gone for good, delete it from the ' +
      'description. Generating one side from the other (tsoa, @nestjs/swagger, fastify-swagger, or routing from the ' +
      'description with express-openapi-validator) keeps them in step. Suppress with a comment on the route or ' +
      '`x-archlint-ignore: [api/spec-matches-code]` on the operation when the difference is intended. Not reported: ' +
      'an undocumented route that is the older version of a resource the description documents under a newer one ' +
      '(`/api/prompts` beside a described `/api/v2/prompts`, kept for old clients), protocol endpoints someone else ' +
      'specified (SCIM, OAuth), webhook receivers, and routes the code hides from its generated docs on purpose ' +
      '(`schema: { hide: true }`, `@ApiExcludeEndpoint()`).',
    examples: {
      bad: [
        {
          description: 'The code serves POST /api/orders/:id/refunds, which the description leaves out',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'servers:',
              '  - url: https://api.example.com/api',
              'paths:',
              '  /orders/{orderId}:',
              '    get:',
              '      parameters: [{ name: orderId, in: path, required: true, schema: { type: string } }]',
              "      responses: { '200': { description: ok } }",
              '',
            ].join('\n'),
            'src/app.ts': [
              "import express from 'express';",
              '',
              'const orders = express.Router();',
              "orders.get('/orders/:id', (req, res) => res.json({ id: req.params.id }));",
              "orders.post('/orders/:id/refunds', (req, res) => res.status(201).json({ id: req.params.id }));",
              '',
              'const app = express();',
              "app.use('/api', orders);",
              'app.listen(3000);',
              '',
            ].join('\n'),
          },
        },
      ],
      good: [
        {
          description: 'Server path /api ≡ mount /api, {orderId} ≡ :id; /health is infrastructure',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'servers:',
              '  - url: https://api.example.com/api',
              'paths:',
              '  /orders/{orderId}:',
              '    get:',
              '      parameters: [{ name: orderId, in: path, required: true, schema: { type: string } }]',
              "      responses: { '200': { description: ok } }",
              '',
            ].join('\n'),
            'src/app.ts': [
              "import express from 'express';",
              '',
              'const orders = express.Router();',
              "orders.get('/orders/:id', (req, res) => res.json({ id: req.params.id }));",
              '',
              'const app = express();',
              "app.get('/health', (_req, res) => res.json({ status: 'ok' }));",
              "app.use('/api', orders);",
              'app.listen(3000);',
              '',
            ].join('\n'),
          },
        },
      ],
    },
    messages: {
      notInSpec: '{{route}} is served by {{service}} but has no operation in {{description}}',
      notInCode: '{{route}} is described in {{description}} but no route of {{service}} serves it',
      mostlyUnserved:
        '{{missing}} of the {{total}} operations described in {{description}} have no route in {{service}} ({{examples}}): if they are served, archlint cannot see how (check `archlint routes`); otherwise implement or remove them',
      mostlyUndescribed:
        '{{missing}} of the {{total}} routes {{service}} serves under the paths of {{description}} have no operation there ({{examples}}): describe them, or remove what is not meant to be served',
    },
  },
  check(ctx) {
    const services = new Map(ctx.http.services.map((service) => [service.id, service]));
    const fileOf = (id: string) => services.get(id)?.origin.file;
    const specs = sidesOf(ctx.http.endpoints, 'openapi', fileOf);
    const code = sidesOf(ctx.http.endpoints, 'typescript', fileOf);
    if (specs.length === 0 || code.length === 0) return;
    const { codeFor, specsFor } = pairSides(specs, code);
    const endpointsOf = (sides: Side[], ids: string[]) =>
      sides.filter((side) => ids.includes(side.serviceId)).flatMap((side) => side.endpoints);

    // An operation is served if a route of any code service paired with its description serves it, and
    // a route documented if any description paired with its service has it: an API split over two
    // descriptions, or a description served by two apps, is not drift.
    // A route ending in a wildcard (`/proxy/*`, Express 5 `/proxy{/*splat}`) is left out of the comparison as
    // a catch-all, but it does serve a described operation that names the rest of the path as one parameter.
    const wildcards = ctx.http.endpoints.filter(
      (e) => e.source === 'typescript' && e.confidence === 'high' && /^\/[^*]+\/\*$/.test(e.path),
    );
    for (const spec of specs) {
      const partners = codeFor.get(spec.serviceId);
      if (!partners) continue;
      const routes = endpointsOf(code, partners);
      const rests = wildcards.filter((route) => partners.includes(route.serviceId));
      const unserved = spec.endpoints.filter(
        (operation) =>
          !routes.some((route) => serves(route, operation)) && !rests.some((route) => servesRest(route, operation)),
      );
      const description = describeDescription(spec.serviceId, services);
      const service = listed(partners.map((id) => describeCodeService(id, services)));
      const app = services.get(partners[0]!);
      const related = app
        ? [{ at: app, message: `${describeCodeService(app.id, services)}, compared with ${spec.serviceId}` }]
        : [];
      const where = services.get(spec.serviceId);
      if (where && isFlood(unserved.length, spec.endpoints.length)) {
        ctx.report({
          at: where,
          messageId: 'mostlyUnserved',
          data: {
            missing: unserved.length,
            total: spec.endpoints.length,
            description,
            service,
            examples: examples(unserved),
          },
          related: [
            ...related,
            ...unserved.slice(0, RELATED_LIMIT).map((operation) => ({
              at: operation,
              message: `${describedRoute(operation)} has no route`,
            })),
          ],
        });
        continue;
      }
      for (const operation of unserved) {
        ctx.report({
          at: operation,
          messageId: 'notInCode',
          data: { route: describedRoute(operation), description, service },
          fix: {
            description: `Implement ${method(operation)} ${operation.path} in ${service}, or remove the operation from ${spec.serviceId} if it is no longer served`,
          },
          related,
        });
      }
    }

    for (const app of code) {
      const partners = specsFor.get(app.serviceId);
      if (!partners) continue;
      const paired = specs.filter((side) => partners.includes(side.serviceId));
      const operations = paired.flatMap((side) => side.endpoints);
      const seen = new Set<string>();
      const compared: Array<{ route: Endpoint; covering: Side[] }> = [];
      for (const route of app.endpoints) {
        // A route whose path is not known whole may well be described; an OPTIONS handler is CORS plumbing.
        if (route.confidence === 'low' || (route.method === 'options' && !route.allMethods)) continue;
        // A protocol someone else specified (SCIM, OAuth, TUS) and a webhook receiver (its sender's contract)
        // are not the resource API a description documents.
        // Internal routes (first-party RPC of the web app) and pages are not the contract a description publishes either.
        if (route.role !== 'resource') continue;
        // `GET /api/v2`: the root of the API (a hello, version or key-check answer), no resource a description documents.
        if (isApiRoot(route.path)) continue;
        // Left out of the docs generated from the code on purpose (`schema: { hide: true }`, `@ApiExcludeEndpoint()`).
        if (route.hiddenFromDocs) continue;
        const covering = paired.filter((side) => isUnder(route.path, side.base));
        const once = `${JSON.stringify(route.origin)} ${method(route)} ${pathKey(route.path)}`;
        if (covering.length === 0 || seen.has(once)) continue;
        seen.add(once);
        compared.push({ route, covering });
      }
      // The older version of a resource the description documents under a newer one is kept for old clients.
      const isDocumented = ({ route }: { route: Endpoint }) =>
        operations.some((operation) => documents(operation, route));
      const audience = contractGuards(compared.filter(isDocumented).map(({ route }) => route));
      // …unless the description still documents that very path in the route's own version (GET documented, PUT not):
      // that version is current for the resource, and the method it leaves out is drift.
      const pathDocumented = (route: Endpoint) =>
        operations.some((operation) => pathKey(operation.path) === pathKey(route.path));
      const undescribed = compared.filter(
        (entry) =>
          !isDocumented(entry) &&
          (supersededBy(entry.route, operations) === undefined || pathDocumented(entry.route)) &&
          !behindOtherGuards(entry.route, audience),
      );
      const service = describeCodeService(app.serviceId, services);
      const where = services.get(app.serviceId);
      // Many undescribed routes are one cause (the description lags the code): one finding with the count.
      if (where && undescribed.length >= FLOOD_MIN) {
        const names = [...new Set(undescribed.flatMap(({ covering }) => covering.map((side) => side.serviceId)))];
        ctx.report({
          at: where,
          messageId: 'mostlyUndescribed',
          data: {
            missing: undescribed.length,
            total: compared.length,
            service,
            description: listed(names.map((id) => describeDescription(id, services))),
            examples: examples(undescribed.map(({ route }) => route)),
          },
          // The routes themselves, so each can be described (or suppressed) where it is declared.
          related: undescribed.slice(0, RELATED_LIMIT).map(({ route }) => ({
            at: route,
            message: `${servedRoute(route)} has no operation`,
          })),
        });
        continue;
      }
      for (const { route, covering } of undescribed) {
        const spec = services.get(covering[0]!.serviceId);
        ctx.report({
          at: route,
          messageId: 'notInSpec',
          data: {
            route: servedRoute(route),
            service,
            description: listed(covering.map((side) => describeDescription(side.serviceId, services))),
          },
          fix: { description: describeFix(route, covering[0]!.serviceId, covering[0]!.endpoints[0]) },
          related: spec ? [{ at: spec, message: `the description compared with ${app.serviceId}` }] : [],
        });
      }
    }
  },
});
