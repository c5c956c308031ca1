import { defineRule, hasVersionSegment, infrastructureKind, type Endpoint, addTo } from '../../src/rule-api.js';

/** Health, metrics and docs are infrastructure, webhooks are called by others, VERSION_NEUTRAL opts out. */
function needsVersion(endpoint: Endpoint): boolean {
  // A code route whose full path is not known (a prefix computed at run time, a router mounted where
  // archlint cannot see) may well carry a version: not reported rather than guessed.
  return endpoint.confidence !== 'low' && !endpoint.webhook && !endpoint.versioning?.neutral && infrastructureKind(endpoint.path) === undefined;
}

function isVersioned(endpoint: Endpoint): boolean {
  return hasVersionSegment(endpoint.path) || (endpoint.versioning !== undefined && !endpoint.versioning.neutral);
}

const originKey = (endpoint: Endpoint) => JSON.stringify(endpoint.pathOrigin);

export default defineRule({
  meta: {
    id: 'api/versioned-routes',
    title: 'Public routes carry an API version',
    severity: 'warning',
    requires: ['http'],
    tags: ['api', 'compatibility'],
    why:
      'Without a version in the URL (or an explicit version header or media type), the first breaking change to a ' +
      'response has nowhere to go: every client gets it at once. With `/v1`, a `/v2` can live next to it while ' +
      'clients migrate.',
    fix:
      'Put the version in the base path every route shares (`servers: [{url: https://api.example.com/v1}]`, ' +
      '`basePath: /v1`, a global prefix or router mount in code), or declare header/media-type versioning explicitly ' +
      '(an `Accept-Version`/`API-Version` header parameter, NestJS `enableVersioning`). Health, metrics and docs ' +
      'endpoints need no version.',
    examples: {
      bad: [
        {
          description: 'No version in the server URL or in any path',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'servers:',
              '  - url: https://api.example.com',
              'paths:',
              '  /orders:',
              '    get:',
              "      responses: { '200': { description: ok } }",
              '',
            ].join('\n'),
          },
        },
      ],
      good: [
        {
          description: 'The version is in the server URL; /health needs none',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'servers:',
              '  - url: https://api.example.com/v1',
              'paths:',
              '  /orders:',
              '    get:',
              "      responses: { '200': { description: ok } }",
              '  /health:',
              '    get:',
              "      responses: { '200': { description: ok } }",
              '',
            ].join('\n'),
          },
        },
      ],
    },
    messages: {
      unversionedService:
        '{{service}} has no API version anywhere: not in its base URL and not in any of its {{count}} routes (e.g. {{example}}); add /v1 to the base path or declare header versioning',
      unversionedRoute: '{{route}} has no API version (no /v1-style segment, version header or versioned media type), unlike other routes of {{service}}',
      unversionedRouteNoneVersioned:
        '{{route}} has no API version, and no route of {{service}} has one: put /v1 in the prefix it is mounted under (or the global prefix), or declare header versioning',
    },
  },
  check(ctx) {
    const services = new Map(ctx.http.services.map((service) => [service.id, service]));
    const byService = new Map<string, Endpoint[]>();
    for (const endpoint of ctx.http.endpoints) {
      if (!needsVersion(endpoint)) continue;
      addTo(byService, endpoint.serviceId, endpoint);
    }
    for (const [serviceId, endpoints] of byService) {
      const service = services.get(serviceId);
      if (service?.versioning) continue;
      const unversioned = endpoints.filter((endpoint) => !isVersioned(endpoint));
      if (unversioned.length === 0) continue;
      const serviceName = service?.name ?? serviceId;
      const first = unversioned[0]!;
      if (unversioned.length === endpoints.length && service?.baseOrigin) {
        const paths = new Set(unversioned.map((e) => e.path));
        ctx.report({
          at: service.baseOrigin,
          messageId: 'unversionedService',
          data: { service: serviceName, count: paths.size, example: `${first.method.toUpperCase()} ${first.path}` },
        });
        continue;
      }
      // One finding per route declaration, naming every method declared there.
      const byPath = new Map<string, Endpoint[]>();
      for (const endpoint of unversioned) addTo(byPath, originKey(endpoint), endpoint);
      const messageId = unversioned.length === endpoints.length ? 'unversionedRouteNoneVersioned' : 'unversionedRoute';
      for (const group of byPath.values()) {
        const methods = group.map((e) => (e.allMethods ? 'ALL' : e.method.toUpperCase())).join(', ');
        ctx.report({ at: { ...group[0]!, origin: group[0]!.pathOrigin }, messageId, data: { route: `${methods} ${group[0]!.path}`, service: serviceName } });
      }
    }
  },
});
