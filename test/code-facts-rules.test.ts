/**
 * The code side of api/authenticated-operations and api/rate-limit-responses, on HTTP models built
 * by hand: the facts the TypeScript input provides (`Endpoint.auth`, `Service.rateLimitModules`) are
 * used when present, and their absence (undefined = not known) never produces a finding.
 */
import { describe, expect, it } from 'vitest';
import authenticatedOperations from '../rules/api/authenticated-operations.js';
import rateLimitResponses from '../rules/api/rate-limit-responses.js';
import { roleOf } from '../src/model/endpoint-roles.js';
import type { Endpoint, HttpModel, Rule, RuleContext, Service } from '../src/rule-api.js';

const at = (line: number) => ({ file: 'src/app.ts', position: { line, column: 1 } });

function service(extra: Partial<Service> = {}): Service {
  return {
    id: 'src/app.ts#app',
    name: 'app',
    source: 'typescript',
    framework: 'express',
    origin: at(3),
    deployable: true,
    healthModules: [],
    metricsModules: [],
    ...extra,
  };
}

function route(path: string, line: number, extra: Partial<Endpoint> = {}): Endpoint {
  return {
    id: `src/app.ts#app GET ${path}`,
    serviceId: 'src/app.ts#app',
    source: 'typescript',
    method: 'get',
    path,
    declaredPath: path,
    origin: at(line),
    pathOrigin: at(line),
    tags: [],
    parameters: [],
    responses: [],
    ...roleOf({ path, method: 'get' }),
    confidence: 'high',
    ...extra,
  };
}

/** Runs one rule's check over a hand-made HTTP model; returns "line message" per finding. */
function run(rule: Rule, http: HttpModel): string[] {
  const found: string[] = [];
  const ctx = {
    ruleId: rule.meta.id,
    options: {},
    http,
    // The code's error sites (a 429 sent by a limiter helper of the app's own): none in these hand-made models.
    routes: { services: [], endpoints: [], errorSites: [] },
    report(descriptor: { at: unknown; messageId: string; data?: Record<string, string | number> }) {
      const origin =
        'origin' in (descriptor.at as object)
          ? (descriptor.at as { origin: ReturnType<typeof at> }).origin
          : (descriptor.at as ReturnType<typeof at>);
      const template = (rule.meta.messages as Record<string, string>)[descriptor.messageId]!;
      found.push(
        `${origin.position.line} ${template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(descriptor.data?.[k] ?? ''))}`,
      );
    },
  } as unknown as RuleContext;
  void rule.check(ctx);
  return found;
}

describe('api/authenticated-operations in code', () => {
  it('reports a route without a guard in an app that guards other routes; skips opt-outs and probes', () => {
    const findings = run(authenticatedOperations, {
      services: [service()],
      endpoints: [
        route('/v1/orders', 10, { auth: { guards: ['requireAuth'] } }),
        route('/v1/orders/{id}', 11, { auth: { guards: ['requireAuth', "passport.authenticate('jwt')"] } }),
        route('/v1/reports/totals', 12, { auth: { guards: [] } }),
        route('/v1/prices', 13, { auth: { guards: [], optOut: '@Public()' } }),
        route('/health', 14, { auth: { guards: [] } }),
        route('/v1/unknown-chain', 15),
      ],
    });
    expect(findings).toEqual([
      "12 GET /v1/reports/totals runs no authentication middleware or guard, unlike 2 other routes declared next to it in app (passport.authenticate('jwt'), requireAuth); protect it, or mark it public explicitly",
    ]);
  });

  it('judges a route by the guarded routes next to it: a feature folder with no guard at all, or a /public namespace, is public by design', () => {
    const inFile = (file: string, path: string, line: number, extra: Partial<Endpoint>) => ({
      ...route(path, line, extra),
      origin: { file, position: { line, column: 1 } },
    });
    const findings = run(authenticatedOperations, {
      services: [service()],
      endpoints: [
        inFile('src/orders/orders.controller.ts', '/v1/orders', 10, { auth: { guards: ['JwtGuard'] } }),
        inFile('src/orders/orders.controller.ts', '/v1/orders', 14, { method: 'post', auth: { guards: ['JwtGuard'] } }),
        inFile('src/orders/export/export.controller.ts', '/v1/orders/export', 11, { auth: { guards: [] } }),
        inFile('src/published-docs/docs.controller.ts', '/v1/published-docs/{slug}', 12, { auth: { guards: [] } }),
        inFile('src/orders/orders.controller.ts', '/v1/public/orders/{token}', 13, { auth: { guards: [] } }),
      ],
    });
    expect(findings).toEqual([
      '11 GET /v1/orders/export runs no authentication middleware or guard, unlike 2 other routes declared next to it in app (JwtGuard); protect it, or mark it public explicitly',
    ]);
  });

  it('needs at least two guarded routes beside an open one: a single guarded route is no pattern the others break', () => {
    const findings = run(authenticatedOperations, {
      services: [service()],
      endpoints: [
        route('/v1/maintenance/reindex', 10, { method: 'post', auth: { guards: ['requireAdmin'] } }),
        route('/v1/incidents', 11, { auth: { guards: [] } }),
      ],
    });
    expect(findings).toEqual([]);
  });

  it('leaves public-by-design routes next to guarded ones alone: sign-in under /auth, sign-up, capability links', () => {
    const guarded = route('/v1/orders', 10, { auth: { guards: ['JwtGuard'] } });
    const guardedWrite = route('/v1/orders', 15, { method: 'post', auth: { guards: ['JwtGuard'] } });
    const open = (path: string, line: number, method: Endpoint['method'] = 'get') =>
      route(path, line, { method, auth: { guards: [] } });
    const findings = run(authenticatedOperations, {
      services: [service()],
      endpoints: [
        guarded,
        guardedWrite,
        open('/v1/auth/providers', 11),
        open('/v1/users', 12, 'post'),
        open('/v1/share/{slug}', 13),
        open('/v1/invoices', 14),
      ],
    });
    expect(findings).toEqual([
      '14 GET /v1/invoices runs no authentication middleware or guard, unlike 2 other routes declared next to it in app (JwtGuard); protect it, or mark it public explicitly',
    ]);
  });

  it('reports nothing in an app that authenticates nowhere it can see, or when the chain is unknown', () => {
    expect(
      run(authenticatedOperations, {
        services: [service()],
        endpoints: [route('/v1/a', 10, { auth: { guards: [] } }), route('/v1/b', 11)],
      }),
    ).toEqual([]);
    expect(
      run(authenticatedOperations, { services: [service()], endpoints: [route('/v1/a', 10), route('/v1/b', 11)] }),
    ).toEqual([]);
  });
});

describe('api/rate-limit-responses in code', () => {
  // Five resource paths: an app with fewer is a worker or sidecar the rule leaves alone (see the next test).
  const endpoints = [
    route('/v1/orders', 10),
    route('/v1/orders/{id}', 12),
    route('/v1/invoices', 13),
    route('/v1/invoices/{id}', 14),
    route('/v1/customers', 15),
    route('/health', 11),
  ];

  it('leaves an app with fewer than five resource paths alone (a worker, a sidecar, a tool)', () => {
    expect(
      run(rateLimitResponses, {
        services: [service({ rateLimitModules: [] })],
        endpoints: [route('/v1/orders', 10), route('/health', 11)],
      }),
    ).toEqual([]);
  });

  it('reports an app whose packages were read and hold no rate limiter', () => {
    expect(run(rateLimitResponses, { services: [service({ rateLimitModules: [] })], endpoints })).toEqual([
      '3 app (express) registers no rate-limit middleware (express-rate-limit, @fastify/rate-limit, @nestjs/throttler, hono-rate-limiter…) and sends no 429: one client can exhaust it',
    ]);
  });

  it('accepts a rate-limit package or a 429 the code sends; says nothing while the packages are unknown', () => {
    expect(
      run(rateLimitResponses, { services: [service({ rateLimitModules: ['express-rate-limit'] })], endpoints }),
    ).toEqual([]);
    const sends429 = [
      route('/v1/orders', 10, {
        responses: [
          {
            status: '429',
            mediaTypes: ['application/json'],
            headers: [],
            body: { kind: 'object', collection: false, properties: ['error'] },
            origin: at(20),
          },
        ],
      }),
    ];
    expect(run(rateLimitResponses, { services: [service({ rateLimitModules: [] })], endpoints: sends429 })).toEqual([]);
    expect(run(rateLimitResponses, { services: [service()], endpoints })).toEqual([]);
  });

  it('does not judge an app that serves only probes', () => {
    expect(
      run(rateLimitResponses, {
        services: [service({ rateLimitModules: [] })],
        endpoints: [route('/healthz', 10), route('/metrics', 11)],
      }),
    ).toEqual([]);
  });
});
