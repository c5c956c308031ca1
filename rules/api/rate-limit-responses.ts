import { defineRule, servicesWithApi, type Endpoint, type Service, addTo } from '../../src/rule-api.js';

/** `RateLimit`, `RateLimit-Policy`, `RateLimit-Remaining`, `X-RateLimit-Limit`, `X-Rate-Limit-Reset`… (IETF draft and the common X- forms). */
const RATE_LIMIT_HEADER = /^(x-)?rate-?limit(\b|-|_|$)/i;

/** The service shows that it limits clients: a rate-limit package, a 429 response or a RateLimit header anywhere in it. */
function limitsRate(service: Service, endpoints: Endpoint[]): boolean {
  if (service.rateLimitModules && service.rateLimitModules.length > 0) return true;
  return endpoints.some((endpoint) =>
    endpoint.responses.some(
      (response) => response.status === '429' || response.headers.some((h) => RATE_LIMIT_HEADER.test(h)),
    ),
  );
}

/**
 * An app in code (not a web app) with fewer resource paths than this is a worker, a sidecar or a tool the project's
 * own services call (a build runner's callbacks, a screenshot worker, a setup wizard), reached inside the deployment:
 * archlint cannot tell that clients reach it, so it asks it for no rate limit. A catch-all (`/*`) hides how many
 * paths it serves: such an app is judged.
 */
const CLIENT_API_PATHS = 5;
function internalTool(service: Service, api: Endpoint[]): boolean {
  if (service.source !== 'typescript' || service.kind === 'web-app') return false;
  if (api.some((endpoint) => endpoint.path.split('/').includes('*'))) return false;
  return new Set(api.map((endpoint) => endpoint.path)).size < CLIENT_API_PATHS;
}

export default defineRule({
  meta: {
    id: 'api/rate-limit-responses',
    title: 'An API limits request rates and tells clients so',
    severity: 'note',
    requires: ['http'],
    tags: ['api', 'security', 'reliability'],
    why:
      'Without a rate limit, one misbehaving client — a retry loop, a scraper, a credential-stuffing script — can ' +
      'use up the capacity every other client shares, and brute-forcing a login costs nothing. Declaring `429 Too ' +
      'Many Requests` with `Retry-After` / `RateLimit` headers tells well-behaved clients how fast they may go and ' +
      'when to come back, instead of leaving them to discover it in production.',
    fix:
      'Limit requests (at the gateway, or in the app: `express-rate-limit`, `@fastify/rate-limit`, ' +
      '`@nestjs/throttler`, `hono-rate-limiter`, `koa-ratelimit`) and describe it: a `429` response (a shared ' +
      '`components/responses/TooManyRequests`) with `Retry-After` and `RateLimit`/`RateLimit-Policy` (or ' +
      '`X-RateLimit-*`) headers, on the operations it applies to. An app in code with fewer than five resource paths ' +
      "(a worker, a sidecar, a tool the project's own services call) is not judged.",
    examples: {
      bad: [
        {
          description: 'No operation declares a 429 response or a RateLimit header',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'paths:',
              '  /v1/orders:',
              '    get:',
              "      responses: { '200': { description: ok } }",
              '',
            ].join('\n'),
          },
        },
      ],
      good: [
        {
          description: 'A shared 429 response with Retry-After and RateLimit headers',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'paths:',
              '  /v1/orders:',
              '    get:',
              '      responses:',
              "        '200': { description: ok }",
              "        '429': { $ref: '#/components/responses/TooManyRequests' }",
              'components:',
              '  responses:',
              '    TooManyRequests:',
              '      description: Slow down',
              '      headers:',
              '        Retry-After: { schema: { type: integer } }',
              '        RateLimit-Policy: { schema: { type: string } }',
              '',
            ].join('\n'),
          },
        },
      ],
    },
    messages: {
      description:
        '{{service}} declares no rate limiting: no 429 response and no RateLimit header in its {{count}}; describe the limit clients must respect',
      app: '{{service}} ({{framework}}) registers no rate-limit middleware (express-rate-limit, @fastify/rate-limit, @nestjs/throttler, hono-rate-limiter…) and sends no 429: one client can exhaust it',
    },
  },
  check(ctx) {
    const byService = new Map<string, Endpoint[]>();
    for (const endpoint of ctx.http.endpoints) addTo(byService, endpoint.serviceId, endpoint);
    const withApi = servicesWithApi(ctx.http.endpoints);
    for (const service of ctx.http.services) {
      const endpoints = byService.get(service.id) ?? [];
      // A components-only description, an app with no routes or only probes, docs and assets serves no API to limit.
      if (!withApi.has(service.id) || limitsRate(service, endpoints)) continue;
      const api = endpoints.filter((endpoint) => endpoint.role === 'resource');
      if (service.source === 'openapi') {
        ctx.report({
          at: service,
          messageId: 'description',
          data: { service: service.name, count: `${api.length} operation${api.length === 1 ? '' : 's'}` },
        });
      } else if (service.rateLimitModules !== undefined && !internalTool(service, api)) {
        // Code: only once the input has looked for rate-limit packages (undefined = not known).
        ctx.report({
          at: service,
          messageId: 'app',
          data: { service: service.name, framework: service.framework ?? 'app' },
        });
      }
    }
  },
});
