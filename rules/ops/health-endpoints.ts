import { defineRule, infrastructureKind, type InfrastructureKind } from '../../src/rule-api.js';

type Probe = Extract<InfrastructureKind, 'liveness' | 'readiness' | 'metrics'>;

const EXPECTED: Record<Probe, string> = {
  liveness: '/health, /healthz, /livez or /ping (or a health module such as @nestjs/terminus)',
  readiness: '/ready, /readyz or /readiness',
  metrics: '/metrics (or Prometheus middleware such as express-prom-bundle)',
};

export default defineRule({
  meta: {
    id: 'ops/health-endpoints',
    title: 'Every service exposes liveness, readiness and metrics endpoints',
    severity: 'warning',
    requires: ['http'],
    tags: ['operations', 'observability', 'reliability'],
    why:
      'Orchestrators and load balancers decide whether to restart a service or send it traffic by probing it: without ' +
      'a liveness probe a hung process keeps its slot, without a readiness probe a starting or overloaded instance ' +
      'gets requests it cannot serve, and without metrics nobody sees the slowdown before the outage.',
    fix:
      'Expose a cheap liveness endpoint (`/healthz`: the process is up), a readiness endpoint (`/readyz`: dependencies ' +
      'reachable, ready for traffic) and `/metrics` in Prometheus format — by hand or with a health/metrics module ' +
      'for your framework — and declare them in the API description.',
    examples: {
      bad: [
        {
          description: 'An API with business endpoints only',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'paths:',
              '  /v1/orders/{id}:',
              '    get:',
              '      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]',
              "      responses: { '200': { description: ok } }",
              '',
            ].join('\n'),
          },
        },
      ],
      good: [
        {
          description: 'Liveness, readiness and metrics are declared',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'paths:',
              '  /healthz:',
              "    get: { responses: { '200': { description: up } } }",
              '  /readyz:',
              "    get: { responses: { '200': { description: ready } } }",
              '  /metrics:',
              "    get: { responses: { '200': { description: Prometheus metrics } } }",
              '',
            ].join('\n'),
          },
        },
      ],
    },
    messages: {
      missing: '{{service}} exposes no {{probe}} endpoint: expected {{expected}}',
    },
  },
  check(ctx) {
    const kinds = new Map<string, Set<InfrastructureKind>>();
    const withEndpoints = new Set(ctx.http.endpoints.map((endpoint) => endpoint.serviceId));
    for (const endpoint of ctx.http.endpoints) {
      const kind = infrastructureKind(endpoint.path);
      if (!kind) continue;
      kinds.set(endpoint.serviceId, (kinds.get(endpoint.serviceId) ?? new Set()).add(kind));
    }
    for (const service of ctx.http.services) {
      // A description of shared components only, or an app with no routes, serves nothing to probe.
      if (!withEndpoints.has(service.id)) continue;
      const present = kinds.get(service.id) ?? new Set<InfrastructureKind>();
      const has: Record<Probe, boolean> = {
        liveness: present.has('liveness') || service.healthModules.length > 0,
        readiness: present.has('readiness'),
        metrics: present.has('metrics') || service.metricsModules.length > 0,
      };
      for (const probe of ['liveness', 'readiness', 'metrics'] as const) {
        if (has[probe]) continue;
        ctx.report({ at: service, messageId: 'missing', data: { service: service.name, probe, expected: EXPECTED[probe] } });
      }
    }
  },
});
