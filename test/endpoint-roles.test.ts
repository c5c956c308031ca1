/** Endpoint roles: what each endpoint is for, from its own facts and from the service around it. */
import { describe, expect, it } from 'vitest';
import { assignRoles, roleOf } from '../src/model/endpoint-roles.js';
import type { Endpoint, HttpMethod } from '../src/model/http.js';

const role = (path: string, method: HttpMethod = 'get', extra: Partial<Endpoint> = {}) => roleOf({ path, method, ...extra }).role;

function endpoint(path: string, method: HttpMethod = 'get', serviceId = 's'): Endpoint {
  const origin = { file: 'openapi.yaml' };
  return { id: `${serviceId} ${method} ${path}`, serviceId, source: 'openapi', method, path, declaredPath: path, origin, pathOrigin: origin, tags: [], parameters: [], responses: [], role: 'resource', roleReason: '', confidence: 'high' };
}

describe('roleOf', () => {
  it('keeps the resource API a resource', () => {
    for (const path of ['/v1/orders', '/orders/{id}', '/tenants/{tenantId}/jwks', '/documents/{id}/version', '/repos/{owner}/{repo}/hooks', '/users/{id}/status']) {
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
    expect(role('/api/auth/{all}', 'get', { handler: { origin: { file: 'a.ts' }, queryParams: [], pagingArgs: [], delegatesTo: 'better-auth' } })).toBe('protocol');
    expect(role('/{upload_url}', 'put')).toBe('protocol');
    expect(role('/mcp', 'post')).toBe('protocol');
    expect(role('/rpc/*', 'get', { allMethods: true })).toBe('protocol');
    expect(role('/rpc/*', 'get')).toBe('resource');
  });

  it('finds webhook receivers, by a declared marker, a verified signature or a /webhooks namespace', () => {
    expect(role('/events', 'post', { webhook: true })).toBe('webhook');
    expect(role('/stripe', 'post', { handler: { origin: { file: 'a.ts' }, queryParams: [], pagingArgs: [], verifiesSignature: true } })).toBe('webhook');
    expect(role('/api/v1/webhooks/github', 'post')).toBe('webhook');
    expect(role('/repos/{owner}/hooks', 'post')).toBe('resource');
  });

  it('finds infrastructure and assets', () => {
    for (const path of ['/health', '/api/v1/readyz', '/metrics', '/docs', '/version', '/debug/pprof/heap', '/status', '/api/status']) expect(role(path), path).toBe('infrastructure');
    expect(role('/feedback/docs', 'post')).toBe('resource');
    expect(role('/health/status')).toBe('infrastructure');
    expect(role('/tenants/{id}/health/status')).toBe('resource');
    for (const path of ['/favicon.ico', '/robots.txt', '/sitemap.xml', '/api/og/post', '/static/app.css']) expect(role(path), path).toBe('asset');
    expect(role('/openapi.json')).toBe('infrastructure');
    expect(role('/openapi-v1.json')).toBe('infrastructure');
  });
});

describe('assignRoles', () => {
  it('a POST under /webhooks that also answers GET is a collection of subscriptions, not a receiver', () => {
    const endpoints = [endpoint('/webhooks', 'get'), endpoint('/webhooks', 'post'), endpoint('/webhooks/stripe', 'post')];
    assignRoles(endpoints);
    expect(endpoints.map((e) => e.role)).toEqual(['resource', 'resource', 'webhook']);
  });

  it('a family of AWS-style actions mirrors another API; one such name, or a gRPC service, does not', () => {
    const family = ['GetIndex', 'ListIndexes', 'PutVectors'].map((action) => endpoint(`/vector/${action}`, 'post'));
    const lone = endpoint('/users/GetUser', 'post');
    const rpc = ['GetMonitor', 'ListMonitors', 'DeleteMonitor'].map((m) => endpoint(`/rpc/acme.v1.MonitorService/${m}`, 'post'));
    assignRoles([...family, lone, ...rpc]);
    expect(family.map((e) => e.role)).toEqual(['protocol', 'protocol', 'protocol']);
    expect(lone.role).toBe('resource');
    expect(rpc.map((e) => e.role)).toEqual(['resource', 'resource', 'resource']);
  });

  it('a GET above versioned paths is API discovery', () => {
    const endpoints = [endpoint('/apis'), endpoint('/apis/apps'), endpoint('/apis/apps/v1/deployments'), endpoint('/other')];
    assignRoles(endpoints);
    expect(endpoints.map((e) => e.role)).toEqual(['infrastructure', 'infrastructure', 'resource', 'resource']);
  });
});
