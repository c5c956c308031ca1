/**
 * What a path says about itself, shared by the API rules so that "is this a health endpoint" and
 * "is this a version" have one answer whatever the source of the endpoint.
 */

export type InfrastructureKind = 'liveness' | 'readiness' | 'metrics' | 'docs';

const KIND_BY_SEGMENT = new Map<string, InfrastructureKind>([
  ...[
    'health',
    'healthz',
    'livez',
    'live',
    'liveness',
    'ping',
    '_health',
    'heartbeat',
    'healthcheck',
    'health-check',
    'health_check',
    'checkhealth',
    'alive',
    'isalive',
    // Mozilla's Dockerflow: the load balancer's heartbeat answers without asking the backing services…
    '__lbheartbeat__',
  ].map((s) => [s, 'liveness'] as const),
  // …and `__heartbeat__` asks them (readiness).
  ...['ready', 'readyz', 'readiness', '__heartbeat__'].map((s) => [s, 'readiness'] as const),
  ...['metrics'].map((s) => [s, 'metrics'] as const),
  // `doc` is Hono's app.doc() default; `reference` and `api-reference` are where Scalar serves API docs.
  ...[
    'docs',
    'doc',
    'api-docs',
    'swagger',
    'swagger-ui',
    'swagger-ui.html',
    'redoc',
    'reference',
    'api-reference',
    'scalar',
    'openapi',
    'swagger.json',
    'swagger.yaml',
    'openapi.json',
    'openapi.yaml',
    'openapi.yml',
  ].map((s) => [s, 'docs'] as const),
]);

/**
 * The probe or documentation an endpoint serves, judged by its last segment, with any prefix
 * (`/health`, `/api/v1/healthz`, `/health/ready`). A path with a parameter is about a resource,
 * not the service: `/tenants/{id}/health` is a tenant's health, not a liveness probe. `/status`
 * is not a probe either: on real services it is a status page, a job's or an integration's state.
 */
export function infrastructureKind(path: string): InfrastructureKind | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s.includes('{') || s.startsWith(':'))) return undefined;
  const last = segments.at(-1)?.toLowerCase();
  return last === undefined ? undefined : KIND_BY_SEGMENT.get(last);
}

/** `/health/status`, `/healthz/db`: a probe's own sub-path (with no parameter in the path). */
export function underProbe(path: string): boolean {
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s.includes('{') || s.startsWith(':'))) return false;
  return segments.some((s) => {
    const kind = KIND_BY_SEGMENT.get(s.toLowerCase());
    return kind === 'liveness' || kind === 'readiness';
  });
}

/**
 * Under an `/auth/` segment: the steps of signing in (`/auth/providers`, `/auth/verify-token`,
 * `/auth/webauthn/…`). They are public until they issue a credential, and they name actions.
 */
export function inSignInFlow(path: string): boolean {
  return /\/auth(\/|$)/i.test(path);
}

/** `v1`, `v2`, `v1beta`, `v2alpha1`, `v1.1`, `2024-01-01` — but not `ipv4` or `dev1ce`. */
export function isVersionSegment(segment: string): boolean {
  return /^v\d+(?:[._]\d+)*(?:(?:alpha|beta|rc|preview)\d*)?$/i.test(segment) || /^\d{4}-\d{2}-\d{2}$/.test(segment);
}

/**
 * Whether any segment of a path is a version, or a dotted part of one: gRPC/Connect services carry
 * the version in their package (`/rpc/acme.monitor.v1.MonitorService/GetMonitor`).
 */
export function hasVersionSegment(path: string): boolean {
  return path
    .split('/')
    .some(
      (segment) => isVersionSegment(segment) || (segment.includes('.') && segment.split('.').some(isVersionSegment)),
    );
}

/**
 * A gRPC/Connect method path, `/<package>.<Service>/<Method>` (`/acme.monitor.v1.MonitorService/ListMonitors`):
 * its name follows protobuf convention, and its request is one message (a Connect GET sends it JSON-encoded
 * in a `message` query parameter), so paging fields are not query parameters a rule can see.
 */
export function isRpcMethodPath(path: string): boolean {
  return /\/[a-z][\w]*(\.[\w]+)+\.[A-Z]\w*\/[A-Z]\w*$/.test(path);
}
