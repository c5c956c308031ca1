/** Endpoint roles: what each endpoint is for, from its own facts and from the service around it. */
import { describe, expect, it } from 'vitest';
import {
  assignRoles,
  describedNotFirstParty,
  markFirstPartyRoutes,
  publishedSurfaceRoles,
  roleOf,
  servicesWithApi,
} from '../src/model/endpoint-roles.js';
import type { Endpoint, HttpMethod } from '../src/model/http.js';

const role = (path: string, method: HttpMethod = 'get', extra: Partial<Endpoint> = {}) =>
  roleOf({ path, method, ...extra }).role;

function endpoint(path: string, method: HttpMethod = 'get', serviceId = 's'): Endpoint {
  const origin = { file: 'openapi.yaml' };
  return {
    id: `${serviceId} ${method} ${path}`,
    serviceId,
    source: 'openapi',
    method,
    path,
    declaredPath: path,
    origin,
    pathOrigin: origin,
    tags: [],
    parameters: [],
    responses: [],
    role: 'resource',
    roleReason: '',
    confidence: 'high',
  };
}

describe('roleOf', () => {
  it('makes RPC procedures first-party (internal), and keeps procedures published as REST resources in a web app', () => {
    expect(
      roleOf({ path: '/api/trpc/user.list', method: 'get', procedure: { name: 'user.list', kind: 'tRPC query' } }),
    ).toEqual({
      role: 'internal',
      roleReason: "tRPC query (first-party RPC of the app's own client)",
    });
    const published = { ...endpoint('/api/users', 'get', 'web'), published: true };
    const plain = endpoint('/api/teams', 'get', 'web');
    assignRoles([published, plain], new Set(['web']));
    expect([published.role, plain.role]).toEqual(['resource', 'internal']);
  });

  it('keeps the resource API a resource', () => {
    for (const path of [
      '/v1/orders',
      '/orders/{id}',
      '/tenants/{tenantId}/jwks',
      '/documents/{id}/version',
      '/repos/{owner}/{repo}/hooks',
      '/users/{id}/status',
    ]) {
      expect(role(path), path).toBe('resource');
    }
    expect(role('/v1/webhooks', 'get')).toBe('resource');
  });

  it('finds protocol endpoints: OAuth/OIDC/SAML, /.well-known, TUS, CORS preflight, handlers a library owns', () => {
    expect(role('/oauth/authorize')).toBe('protocol');
    expect(role('/connect/authorize')).toBe('protocol');
    expect(role('/api/auth/email-password/authorize', 'post')).toBe('resource');
    expect(role('/api/auth/callback/{provider}')).toBe('protocol');
    expect(role('/auth/token', 'post')).toBe('protocol');
    expect(role('/.well-known/openid-configuration')).toBe('protocol');
    expect(role('/jwks.json')).toBe('protocol');
    expect(role('/saml/acs', 'post')).toBe('protocol');
    expect(role('/upload/resumable/*', 'patch')).toBe('protocol');
    expect(role('/v1/orders', 'options')).toBe('protocol');
    expect(role('/v1/orders', 'get', { allMethods: true })).toBe('resource');
    expect(
      role('/api/auth/{all}', 'get', {
        handler: { origin: { file: 'a.ts' }, queryParams: [], pagingArgs: [], delegatesTo: 'better-auth' },
      }),
    ).toBe('protocol');
    expect(role('/{upload_url}', 'put')).toBe('protocol');
    expect(role('/mcp', 'post')).toBe('protocol');
    expect(role('/api/v1/zapier/subscribe', 'post', { allMethods: true })).toBe('protocol');
    expect(role('/ifttt/v1/triggers/new_document', 'post')).toBe('protocol');
    expect(role('/rpc/*', 'get', { allMethods: true })).toBe('protocol');
    expect(role('/rpc/*', 'get')).toBe('resource');
  });

  it('makes a push URL that answers every method at a token (a heartbeat receiver curl-ed by cron jobs) a webhook', () => {
    expect(role('/api/push/:pushToken', 'get', { allMethods: true })).toBe('webhook');
    expect(role('/hooks/{token}', 'get', { allMethods: true })).toBe('webhook');
    // One method at a token is a link or a resource read; every method at an id is a resource.
    expect(role('/api/push/:pushToken', 'get')).toBe('resource');
    expect(role('/v1/monitors/:monitorId', 'get', { allMethods: true })).toBe('resource');
    expect(role('/:token', 'get', { allMethods: true })).toBe('resource');
  });

  it('finds webhook receivers, by a declared marker, a verified signature or a /webhooks namespace', () => {
    expect(role('/events', 'post', { webhook: true })).toBe('webhook');
    expect(
      role('/stripe', 'post', {
        handler: { origin: { file: 'a.ts' }, queryParams: [], pagingArgs: [], verifiesSignature: true },
      }),
    ).toBe('webhook');
    expect(role('/api/v1/webhooks/github', 'post')).toBe('webhook');
    expect(role('/repos/{owner}/hooks', 'post')).toBe('resource');
  });

  it('finds webhook receivers by a signature header, a subscription handshake or a sender-named /webhook path', () => {
    const header = (name: string) => ({ name, in: 'header' as const, required: true, origin: { file: 'a.yaml' } });
    const query = (name: string) => ({ name, in: 'query' as const, required: true, origin: { file: 'a.yaml' } });
    expect(role('/billing/events', 'post', { parameters: [header('stripe-signature')] })).toBe('webhook');
    expect(role('/billing/events', 'get', { parameters: [header('stripe-signature')] })).toBe('resource');
    expect(
      role('/v1/whatsapp/preview/webhook', 'get', { parameters: [query('hub.challenge'), query('hub.verify_token')] }),
    ).toBe('webhook');
    expect(role('/stripe/webhook', 'post')).toBe('webhook');
    expect(role('/v1/integrations/whatsapp/webhook', 'post')).toBe('webhook');
    expect(role('/v1/projects/{id}/webhook', 'post')).toBe('resource');
    // One segment naming the sender's receiver, followed at most by the URL's credential.
    expect(role('/api/mixpanel_webhook/{accessToken}', 'post')).toBe('webhook');
    expect(role('/api/stripe-webhook', 'post')).toBe('webhook');
    expect(role('/githubWebhook', 'post')).toBe('webhook');
    expect(role('/v1/projects/{id}/slack-webhook', 'post')).toBe('resource');
    expect(role('/api/slack-webhooks/{id}/deliveries', 'post')).toBe('resource');
    expect(role('/api/stripe-webhook', 'get')).toBe('resource');
    const receiver = [
      { ...endpoint('/v1/whatsapp/webhook', 'get'), parameters: [query('hub.challenge')] },
      endpoint('/v1/whatsapp/webhook', 'post'),
    ];
    assignRoles(receiver);
    expect(receiver.map((e) => e.role)).toEqual(['webhook', 'webhook']);
  });

  it('test mocks at the top of an unversioned path are not API', () => {
    expect(role('/mock/fail', 'post')).toBe('infrastructure');
    expect(role('/api/mock/mirror-body', 'post')).toBe('infrastructure');
    expect(role('/v1/mocks', 'get')).toBe('resource');
  });

  it('finds infrastructure and assets', () => {
    for (const path of [
      '/health',
      '/api/v1/readyz',
      '/metrics',
      '/docs',
      '/version',
      '/debug/pprof/heap',
      '/status',
      '/api/status',
    ])
      expect(role(path), path).toBe('infrastructure');
    expect(role('/feedback/docs', 'post')).toBe('resource');
    expect(role('/health/status')).toBe('infrastructure');
    expect(role('/info')).toBe('infrastructure');
    expect(role('/api/v1/info')).toBe('infrastructure');
    expect(role('/products/{id}/info')).toBe('resource');
    expect(role('/tenants/{id}/health/status')).toBe('resource');
    for (const path of ['/favicon.ico', '/robots.txt', '/sitemap.xml', '/api/og/post', '/static/app.css'])
      expect(role(path), path).toBe('asset');
    for (const path of ['/v1/misc/favicon', '/api/v1/getFavicon']) expect(role(path), path).toBe('asset');
    expect(role('/openapi.json')).toBe('infrastructure');
    expect(role('/openapi-v1.json')).toBe('infrastructure');
  });

  it('a service root, /info and a /debug namespace are for operators, not resources', () => {
    expect(role('/')).toBe('infrastructure');
    expect(role('/', 'post')).toBe('resource');
    expect(role('/info')).toBe('infrastructure');
    expect(role('/api/v1/info')).toBe('infrastructure');
    expect(role('/users/{id}/info')).toBe('resource');
    expect(role('/debug/insights/{projectId}')).toBe('infrastructure');
    expect(role('/api/debug/cron/{type}', 'post')).toBe('infrastructure');
    expect(role('/orders/{id}/debug')).toBe('resource');
  });

  it('a route hidden from the published documentation is internal; a hidden probe is still a probe', () => {
    expect(role('/tools/ip-lookup', 'get', { hiddenFromDocs: true })).toBe('internal');
    expect(role('/healthz', 'get', { hiddenFromDocs: true })).toBe('infrastructure');
  });
});

const facts = (extra: Partial<NonNullable<Endpoint['handler']>>): Partial<Endpoint> => ({
  handler: { origin: { file: 'a.ts' }, queryParams: [], pagingArgs: [], ...extra },
});

describe('roleOf: what the handler answers', () => {
  it('a GET answering a constant health status is a liveness probe whatever its path; not with a parameter or another method', () => {
    expect(roleOf({ path: '/api/system_db', method: 'get', ...facts({ constantAnswer: 'health' }) })).toEqual({
      role: 'infrastructure',
      roleReason: 'liveness probe (answers a constant health status)',
    });
    expect(role('/', 'get', facts({ constantAnswer: 'health' }))).toBe('infrastructure');
    expect(role('/api/system_db', 'post', facts({ constantAnswer: 'health' }))).toBe('resource');
    expect(role('/tenants/{id}', 'get', facts({ constantAnswer: 'health' }))).toBe('resource');
    expect(role('/api/system_db', 'get', facts({ constantAnswer: 'status' }))).toBe('resource');
  });

  it('a handler that renders a view is a page, unless it also answers JSON', () => {
    expect(roleOf({ path: '/account', method: 'get', ...facts({ rendersView: 'res.render' }) })).toEqual({
      role: 'page',
      roleReason: 'server-rendered HTML page (res.render)',
    });
    expect(role('/account/delete', 'post', facts({ rendersView: 'reply.view' }))).toBe('page');
    expect(role('/orders', 'get', facts({ rendersView: 'res.render', sendsJson: true }))).toBe('resource');
    // A redirect alone says nothing outside a site that renders views (see assignRoles).
    expect(role('/account/delete', 'post', facts({ redirects: true }))).toBe('resource');
  });

  it('a GET that sends a stored file or object is an asset; an upload to the same path is not', () => {
    expect(roleOf({ path: '/files/{path}', method: 'get', ...facts({ servesStoredFile: 'res.sendFile' }) })).toEqual({
      role: 'asset',
      roleReason: 'stored file served by URL (res.sendFile)',
    });
    expect(
      role(
        '/api/storage/{key}',
        'get',
        facts({ servesStoredFile: 'a stored object returned as the body', sendsJson: true }),
      ),
    ).toBe('asset');
    expect(role('/api/storage/{key}', 'put', facts({ servesStoredFile: 'res.sendFile' }))).toBe('resource');
  });

  it('the /internal namespace (after /api and a version) is internal; a resource named internal-something is not', () => {
    for (const path of ['/internal/fleet/{id}/rollout', '/api/internal/billing/unpause', '/api/v1/internal/jobs'])
      expect(role(path, 'post'), path).toBe('internal');
    expect(role('/internal-notes')).toBe('resource');
    expect(role('/orders/{id}/internal')).toBe('resource');
  });

  it('a GET of a .json file name is a document served by name, not a resource; jwks.json stays a protocol endpoint', () => {
    expect(roleOf({ path: '/providers.json', method: 'get' })).toEqual({
      role: 'asset',
      roleReason: 'document served by file name',
    });
    expect(role('/jwks.json')).toBe('protocol');
    expect(role('/imports.json', 'post')).toBe('resource');
  });

  it('a scheduled job trigger is internal: by its handler fact or a cron segment', () => {
    expect(
      roleOf({ path: '/api/house-keeping/remove-deleted-polls', method: 'get', ...facts({ scheduled: true }) }),
    ).toEqual({ role: 'internal', roleReason: 'scheduled job trigger' });
    expect(role('/api/cron/domains/verify', 'post')).toBe('internal');
    expect(role('/v1/crons/{id}')).toBe('resource');
  });
  it("a route called with the deployment's shared secret is internal, named by the secret", () => {
    expect(roleOf({ path: '/deploy', method: 'post', ...facts({ sharedSecret: 'API_KEY' }) })).toEqual({
      role: 'internal',
      roleReason: "called with the deployment's shared secret (API_KEY): the project's own services and operators",
    });
  });
});

describe('assignRoles', () => {
  it("in a site that renders views, a route answered by a redirect is a page; JSON routes outside /api are the pages' own", () => {
    const post = { ...endpoint('/account/delete', 'post'), ...facts({ redirects: true }) };
    const json = { ...endpoint('/api/orders', 'post'), ...facts({ redirects: true, sendsJson: true }) };
    const chat = { ...endpoint('/chat/messages', 'post'), ...facts({ sendsJson: true }) };
    const elsewhere = { ...endpoint('/account/delete', 'post', 'api'), ...facts({ redirects: true }) };
    assignRoles([post, json, chat, elsewhere], new Set(), new Set(['s']));
    expect([post, json, chat, elsewhere].map((e) => e.role)).toEqual(['page', 'resource', 'internal', 'resource']);
    expect(post.roleReason).toBe('HTML form post of a server-rendered site (answered by a redirect)');
  });

  it("JSON routes below the prefix of a single-page UI (GET /admin/* answers its HTML) are that UI's backend", () => {
    const ui = { ...endpoint('/admin/*'), ...facts({ rendersView: 'c.html' }) };
    const queues = endpoint('/admin/api/queues');
    const pause = endpoint('/admin/api/queues/{name}/pause', 'post');
    const elsewhere = endpoint('/v1/orders');
    const otherService = endpoint('/admin/api/queues', 'get', 'other');
    assignRoles([ui, queues, pause, elsewhere, otherService]);
    expect([ui, queues, pause, elsewhere, otherService].map((e) => e.role)).toEqual([
      'page',
      'internal',
      'internal',
      'resource',
      'resource',
    ]);
  });

  it('a POST under /webhooks that also answers GET is a collection of subscriptions, not a receiver', () => {
    const endpoints = [
      endpoint('/webhooks', 'get'),
      endpoint('/webhooks', 'post'),
      endpoint('/webhooks/stripe', 'post'),
    ];
    assignRoles(endpoints);
    expect(endpoints.map((e) => e.role)).toEqual(['resource', 'resource', 'webhook']);
  });

  it('a family of AWS-style actions mirrors another API; one such name, or a gRPC service, does not', () => {
    const family = ['GetIndex', 'ListIndexes', 'PutVectors'].map((action) => endpoint(`/vector/${action}`, 'post'));
    const lone = endpoint('/users/GetUser', 'post');
    const rpc = ['GetMonitor', 'ListMonitors', 'DeleteMonitor'].map((m) =>
      endpoint(`/rpc/acme.v1.MonitorService/${m}`, 'post'),
    );
    assignRoles([...family, lone, ...rpc]);
    expect(family.map((e) => e.role)).toEqual(['protocol', 'protocol', 'protocol']);
    expect(lone.role).toBe('resource');
    expect(rpc.map((e) => e.role)).toEqual(['resource', 'resource', 'resource']);
  });

  it('a GET above versioned paths is API discovery', () => {
    const endpoints = [
      endpoint('/apis'),
      endpoint('/apis/apps'),
      endpoint('/apis/apps/v1/deployments'),
      endpoint('/other'),
    ];
    assignRoles(endpoints);
    expect(endpoints.map((e) => e.role)).toEqual(['infrastructure', 'infrastructure', 'resource', 'resource']);
  });
});

describe('servicesWithApi', () => {
  it('names the services with at least one resource endpoint', () => {
    const probe = { ...endpoint('/healthz', 'get', 'sidecar'), role: 'infrastructure' as const };
    const spa = { ...endpoint('/*', 'get', 'spa'), role: 'asset' as const };
    expect([...servicesWithApi([probe, spa, endpoint('/v1/orders', 'get', 'api')])]).toEqual(['api']);
  });
});

describe('publishedSurfaceRoles', () => {
  const route = (path: string, method: HttpMethod = 'get') => ({
    ...endpoint(path, method, 'src/app.ts#app'),
    source: 'typescript' as const,
    origin: { file: 'src/app.ts' },
    pathOrigin: { file: 'src/app.ts' },
  });
  const op = (path: string, method: HttpMethod = 'get') => endpoint(path, method, 'openapi.json');
  const services = [
    { id: 'src/app.ts#app', origin: { file: 'src/app.ts' } },
    { id: 'openapi.json', origin: { file: 'openapi.json' } },
  ];

  it('makes the unversioned routes outside a described versioned API first-party', () => {
    const routes = [route('/api/v2/alerts'), route('/api/v2/alerts/{id}'), route('/alerts'), route('/me', 'patch')];
    const out = publishedSurfaceRoles([op('/api/v2/alerts'), op('/api/v2/alerts/{id}')], routes, services);
    expect(out.map((e) => e.role)).toEqual(['resource', 'resource', 'internal', 'internal']);
    expect(out[2]!.roleReason).toContain('/api/v2');
    expect(routes[2]!.role).toBe('resource');
  });

  it('keeps every role when the description documents unversioned paths, or when there is none', () => {
    const routes = [route('/api/v1/flows'), route('/connections'), route('/records')];
    expect(publishedSurfaceRoles([op('/connections'), op('/records')], routes, services).map((e) => e.role)).toEqual([
      'resource',
      'resource',
      'resource',
    ]);
    expect(publishedSurfaceRoles([], routes, services).map((e) => e.role)).toEqual([
      'resource',
      'resource',
      'resource',
    ]);
  });
});

describe('Prometheus HTTP API', () => {
  it('is a protocol', () => {
    expect(role('/v1/prometheus/query_range')).toBe('protocol');
    expect(role('/api/v1/query_exemplars', 'post')).toBe('protocol');
    expect(role('/prometheus/api/v1/label/{name}/values')).toBe('protocol');
    expect(role('/api/v1/query')).toBe('resource');
  });
});

describe('markFirstPartyRoutes', () => {
  const routes = () => [
    endpoint('/api/apps', 'get', 'app'),
    endpoint('/api/apps/{id}', 'delete', 'app'),
    endpoint('/api/apps/{id}/logs', 'get', 'app'),
    endpoint('/v1/apps', 'get', 'app'),
  ];
  const calls = [['apps'], ['apps', '*']];

  it('marks the unversioned resource routes of a service the UI calls and that reads no third-party credential', () => {
    const list = routes();
    markFirstPartyRoutes(list, new Map([['app', {}]]), calls);
    expect(list.map((e) => e.firstParty !== undefined)).toEqual([true, true, true, false]);
    expect(list[0]!.firstParty).toMatch(/calls 2 of its routes/);
  });

  it('leaves a service that reads an API key or bearer token, has a command-line client, or that the UI calls once, unmarked', () => {
    const keyed = routes();
    const apiKey = "req.headers['x-api-key'] (src/auth.ts)";
    markFirstPartyRoutes(keyed, new Map([['app', { credential: apiKey, programKey: apiKey }]]), calls);
    expect(keyed.some((e) => e.firstParty)).toBe(false);
    const once = routes();
    markFirstPartyRoutes(once, new Map([['app', {}]]), [['apps', '*', 'logs']]);
    expect(once.some((e) => e.firstParty)).toBe(false);
    // A command-line client of the repository calls it too: people install and run it apart from the server.
    const withCli = routes();
    markFirstPartyRoutes(withCli, new Map([['app', {}]]), calls, [['api', 'apps']]);
    expect(withCli.some((e) => e.firstParty)).toBe(false);
    // One segment names a route only right below `/api`: `/logs` alone says nothing of `/api/apps/{id}/logs`.
    const top = [endpoint('/process', 'post', 'app'), endpoint('/accepts', 'get', 'app')];
    markFirstPartyRoutes(top, new Map([['app', {}]]), [['process'], ['accepts']]);
    expect(top.some((e) => e.firstParty)).toBe(false);
    const short = routes();
    markFirstPartyRoutes(short, new Map([['app', {}]]), [['logs'], ['apps', '*', 'logs']]);
    expect(short.some((e) => e.firstParty)).toBe(false);
  });

  it('reads a bearer token as the UI sign-in unless the service hands out keys, tokens or secrets, or serves its description', () => {
    const bearer = new Map([['app', { credential: 'req.headers.authorization (src/auth.ts)' }]]);
    const signedIn = routes();
    markFirstPartyRoutes(signedIn, bearer, calls);
    expect(signedIn.map((e) => e.firstParty !== undefined)).toEqual([true, true, true, false]);
    expect(signedIn[0]!.firstParty).toMatch(
      /the token it reads, req\.headers\.authorization \(src\/auth\.ts\), is one its own UI holds/,
    );
    for (const issuing of [
      '/api/api-keys',
      '/api/user/api-key/rotate',
      '/api/settings/tokens',
      '/api/trpc/tokens.create',
      '/api/applications/{id}/secrets',
      '/oauth/token',
      '/api/swagger.json',
      '/api-docs',
    ]) {
      const list = [...routes(), endpoint(issuing, 'post', 'app')];
      markFirstPartyRoutes(list, bearer, calls);
      expect(
        list.some((e) => e.firstParty),
        issuing,
      ).toBe(false);
    }
    // A key route of a router whose app is not known may be mounted in this app.
    const elsewhere = [...routes(), endpoint('/api-keys', 'post', 'src/keys.ts#router')];
    markFirstPartyRoutes(elsewhere, bearer, calls);
    expect(elsewhere.some((e) => e.firstParty)).toBe(false);
    // Names that only look alike are not credentials handed out: `/keyboards`, `/token-prices`, an OAuth client callback.
    const alike = [
      ...routes(),
      endpoint('/api/keyboards', 'get', 'app'),
      endpoint('/api/token-prices', 'get', 'app'),
      endpoint('/oauth/callback', 'get', 'app'),
    ];
    markFirstPartyRoutes(alike, bearer, calls);
    expect(alike[0]!.firstParty).toBeDefined();
  });
});

describe('describedNotFirstParty', () => {
  const code = (path: string): Endpoint => ({
    ...endpoint(path, 'get', 'src/app.ts#app'),
    source: 'typescript',
    origin: { file: 'src/app.ts' },
    pathOrigin: { file: 'src/app.ts' },
    firstParty: 'called by the UI',
  });
  const services = [
    { id: 'src/app.ts#app', origin: { file: 'src/app.ts' } },
    { id: 'openapi.yaml', origin: { file: 'openapi.yaml' } },
  ];

  it('drops the mark from the routes of a service a description in the repository documents', () => {
    const routes = [code('/api/shelves'), code('/api/shelves/{id}')];
    const described = [
      endpoint('/api/shelves', 'get', 'openapi.yaml'),
      endpoint('/api/shelves/{id}', 'get', 'openapi.yaml'),
    ];
    expect(describedNotFirstParty(described, routes, services).map((e) => e.firstParty)).toEqual([
      undefined,
      undefined,
    ]);
    expect(describedNotFirstParty([], routes, services).map((e) => e.firstParty !== undefined)).toEqual([true, true]);
  });
});

describe('development-only registrations', () => {
  it('makes a route registered only in development or tests infrastructure, whatever its path, and says why', () => {
    const verdict = roleOf({
      path: '/api/v/{command}',
      method: 'post',
      devOnly: "process.env.NODE_ENV === 'development'",
    });
    expect(verdict).toEqual({
      role: 'infrastructure',
      roleReason: "registered only in development or tests (process.env.NODE_ENV === 'development')",
    });
    expect(role('/api/v/{command}', 'post')).toBe('resource');
  });
});
