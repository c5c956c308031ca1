/** api/spec-matches-code: how routes and operations are matched and which sides are compared. */
import { describe, expect, it } from 'vitest';
import {
  documents,
  isCompared,
  isUnder,
  pairSides,
  pathKey,
  serves,
  sidesOf,
  supersededBy,
} from '../rules/api/_lib/spec-code-matching.js';
import { roleOf } from '../src/model/endpoint-roles.js';
import { unservedDescriptions } from '../src/model/spec-code-matching.js';
import type { Endpoint, HttpMethod } from '../src/rule-api.js';

function endpoint(
  source: Endpoint['source'],
  serviceId: string,
  method: HttpMethod | 'all',
  path: string,
  extra: Partial<Endpoint> = {},
): Endpoint {
  const origin = { file: serviceId.split('#')[0]! };
  return {
    id: `${serviceId} ${method} ${path}`,
    serviceId,
    source,
    method: method === 'all' ? 'get' : method,
    ...(method === 'all' ? { allMethods: true } : {}),
    path,
    declaredPath: path,
    origin,
    pathOrigin: origin,
    tags: [],
    parameters: [],
    responses: [],
    ...roleOf({ path, method: method === 'all' ? 'get' : method }),
    confidence: 'high',
    ...extra,
  };
}
const op = (method: HttpMethod, path: string, spec = 'openapi.yaml') => endpoint('openapi', spec, method, path);
const route = (method: HttpMethod | 'all', path: string, extra: Partial<Endpoint> = {}, app = 'src/app.ts#app') =>
  endpoint('typescript', app, method, path, extra);

describe('pathKey', () => {
  it('ignores parameter names and a trailing slash, keeps case', () => {
    expect(pathKey('/orders/{orderId}/items/{itemId}/')).toBe('/orders/{}/items/{}');
    expect(pathKey('/orders/:id')).toBe('/orders/{}');
    expect(pathKey('/files/{name}.{ext}')).toBe('/files/{}.{}');
    expect(pathKey('/Orders')).not.toBe(pathKey('/orders'));
    expect(pathKey('/')).toBe('/');
  });
});

describe('serves and documents', () => {
  it('matches the method, with .all(), GET for HEAD and any route for OPTIONS', () => {
    expect(serves(route('get', '/a/{id}'), op('get', '/a/{x}'))).toBe(true);
    expect(serves(route('get', '/a'), op('post', '/a'))).toBe(false);
    expect(serves(route('all', '/a'), op('delete', '/a'))).toBe(true);
    expect(serves(route('get', '/a'), op('head', '/a'))).toBe(true);
    expect(serves(route('post', '/a'), op('options', '/a'))).toBe(true);
    expect(documents(op('get', '/a'), route('head', '/a'))).toBe(true);
    expect(documents(op('head', '/a'), route('get', '/a'))).toBe(false);
    expect(documents(op('put', '/a'), route('all', '/a'))).toBe(true);
  });

  it('matches a low-confidence route by the part of its path that is known', () => {
    const low = route('get', '/<process.env.PREFIX>/items/{id}', { confidence: 'low' });
    expect(serves(low, op('get', '/api/v2/items/{itemId}'))).toBe(true);
    expect(serves(low, op('get', '/api/items'))).toBe(false);
    const unmounted = route('get', '/items', { confidence: 'low' });
    expect(serves(unmounted, op('get', '/api/items'))).toBe(true);
  });

  it('leaves out infrastructure, catch-alls and routes with no known segment', () => {
    expect(isCompared(op('get', '/api/healthz'))).toBe(false);
    expect(isCompared(route('get', '/docs'))).toBe(false);
    expect(isCompared(route('all', '/*'))).toBe(false);
    expect(isCompared(route('get', '/<config.path>', { confidence: 'low' }))).toBe(false);
    expect(isCompared(route('get', '/orders/{id}/status'))).toBe(true);
  });
});

describe('isUnder', () => {
  it('compares whole segments', () => {
    expect(isUnder('/api/public/traces', '/api/public')).toBe(true);
    expect(isUnder('/api/publicity', '/api/public')).toBe(false);
    expect(isUnder('/anything', '/')).toBe(true);
  });
});

describe('pairSides', () => {
  const fileOf = (id: string) => id.split('#')[0];
  it('pairs by shared endpoints, and ignores what shares nothing or only a coincidence', () => {
    const endpoints = [
      op('get', '/v1/orders', 'api/orders.yaml'),
      op('get', '/v1/orders/{id}', 'api/orders.yaml'),
      op('get', '/v3/shipments', 'vendor/partner.yaml'),
      ...['a', 'b', 'c', 'd', 'e'].map((n) => op('get', `/v1/${n}`, 'vendor/geo.yaml')),
      op('get', '/v1/stores', 'vendor/geo.yaml'),
      route('get', '/v1/orders'),
      route('get', '/v1/orders/:id'),
      route('get', '/v1/stores'),
      route('post', '/v1/stores'),
      route('get', '/v1/stores/:id'),
    ];
    const { codeFor, specsFor } = pairSides(
      sidesOf(endpoints, 'openapi', fileOf),
      sidesOf(endpoints, 'typescript', fileOf),
    );
    expect([...codeFor.keys()]).toEqual(['api/orders.yaml']);
    expect(specsFor.get('src/app.ts#app')).toEqual(['api/orders.yaml']);
  });

  it('compares a service with the nearest of the descriptions it shares endpoints with', () => {
    const endpoints = [
      op('get', '/v1/pets', 'a/api.yaml'),
      op('get', '/v1/pets', 'b/api.yaml'),
      op('delete', '/v1/pets/{id}', 'b/api.yaml'),
      route('get', '/v1/pets', {}, 'a/app.js#app'),
      route('delete', '/v1/pets/:id', {}, 'a/app.js#app'),
      route('get', '/v1/pets', {}, 'b/app.js#app'),
      route('delete', '/v1/pets/:id', {}, 'b/app.js#app'),
    ];
    const { codeFor, specsFor } = pairSides(
      sidesOf(endpoints, 'openapi', fileOf),
      sidesOf(endpoints, 'typescript', fileOf),
    );
    expect(specsFor.get('a/app.js#app')).toEqual(['a/api.yaml']);
    expect(codeFor.get('b/api.yaml')).toEqual(['b/app.js#app']);
  });
});

describe('unservedDescriptions', () => {
  const fileOf = (id: string) => id.split('#')[0];
  // Packages: `server/` and `web/` have a package.json, `go-api/` a go.mod.
  const packageOf = (file: string) => /^(server|web|go-api)\//.exec(file)?.[1] ?? '';
  it("a description in a package whose routes serve none of its operations; not one its package's code serves, nor one with no code beside it", () => {
    const endpoints = [
      op('get', '/api/v1/documentlist', 'server/public/openapi.json'),
      op('get', '/api/v1/template/{id}', 'server/public/openapi.json'),
      // Resources the package's routes name, served by routes archlint did not match: not said to be unserved.
      op('get', '/api/v1/member/{id}/organization', 'server/members.yaml'),
      route('get', '/v1/members/:id/project-affiliations', {}, 'server/index.js#app'),
      op('get', '/signers', 'server/openapi.yaml'),
      op('get', '/v1/pets', 'go-api/openapi.yaml'),
      op('get', '/v1/pets', 'web/pets.yaml'),
      // Served under a prefix its servers block leaves out, and below a catch-all handed to an RPC adapter.
      op('get', '/monitors/{id}', 'server/monitors.yaml'),
      op('post', '/rpc/acme.v1.Jobs/List', 'server/rpc.yaml'),
      route('get', '/v1/monitors/:id', {}, 'server/index.js#app'),
      route('all', '/rpc/*', {}, 'server/index.js#app'),
      // The package serves its description's part of the URL space, by routes archlint does not see.
      op('get', '/etapi/notes', 'server/etapi.yaml'),
      op('get', '/etapi/notes/{id}', 'server/etapi.yaml'),
      route('get', '/etapi/etapi.yaml', {}, 'server/index.js#app'),
      route('get', '/signers', {}, 'server/index.js#app'),
      route('post', '/convert', {}, 'server/index.js#app'),
      route('get', '/api/session', {}, 'web/app.ts#app'),
    ];
    const described = endpoints.filter((e) => e.source === 'openapi');
    const routes = endpoints.filter((e) => e.source === 'typescript');
    expect([...unservedDescriptions(described, routes, fileOf, packageOf)].sort()).toEqual([
      'server/public/openapi.json',
      'web/pets.yaml',
    ]);
    // With no routes of its own package to compare with, a description is not judged unserved.
    const webOnly = routes.filter((route) => route.serviceId.startsWith('web/'));
    expect([...unservedDescriptions(described, webOnly, fileOf, packageOf)]).toEqual(['web/pets.yaml']);
  });
});

describe('supersededBy', () => {
  const described = [
    op('get', '/api/public/v2/prompts'),
    op('get', '/api/public/v2/scores/{scoreId}'),
    op('get', '/api/v3/reports'),
    op('post', '/api/public/ingestion'),
  ];
  it('finds the newer version of the same resource at the same place in the path', () => {
    expect(supersededBy(route('get', '/api/public/prompts'), described)?.path).toBe('/api/public/v2/prompts');
    expect(supersededBy(route('post', '/api/public/prompts'), described)?.path).toBe('/api/public/v2/prompts');
    expect(supersededBy(route('get', '/api/public/scores/:id'), described)?.path).toBe(
      '/api/public/v2/scores/{scoreId}',
    );
    expect(supersededBy(route('get', '/api/v1/reports/daily'), described)?.path).toBe('/api/v3/reports');
  });
  it('is undefined for another resource, another place, or a route as new as the description', () => {
    expect(supersededBy(route('patch', '/api/public/generations'), described)).toBeUndefined();
    expect(supersededBy(route('get', '/prompts'), described)).toBeUndefined();
    expect(supersededBy(route('get', '/api/v3/reports/daily'), described)).toBeUndefined();
    expect(
      supersededBy(route('get', '/api/public/ingestion'), [op('get', '/api/public/v1/ingestion')]),
    ).toBeUndefined();
  });
});
