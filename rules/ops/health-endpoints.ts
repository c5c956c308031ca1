import {
  addTo,
  answersHealthStatus,
  namedProbe,
  defineRule,
  infrastructureKind,
  type InfrastructureKind,
  type Service,
} from '../../src/rule-api.js';

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
    requires: ['http', 'files'],
    tags: ['operations', 'observability', 'reliability'],
    why:
      'Orchestrators and load balancers decide whether to restart a service or send it traffic by probing it: without ' +
      'a liveness probe a hung process keeps its slot, without a readiness probe a starting or overloaded instance ' +
      'gets requests it cannot serve, and without metrics nobody sees the slowdown before the outage.',
    fix:
      'Expose a cheap liveness endpoint (`/healthz`: the process is up), a readiness endpoint (`/readyz`: dependencies ' +
      'reachable, ready for traffic) and `/metrics` in Prometheus format — by hand or with a health/metrics module ' +
      'for your framework. A description is judged only when the config lists it under `openapi.services` as the ' +
      "complete contract of a service deployed from this repository; a vendor's public description is not probed. " +
      "A route that the repository's deployment configuration probes (a Dockerfile `HEALTHCHECK`, a Compose " +
      '`healthcheck`, a Kubernetes `httpGet` probe, a Railway/Render/Fly health-check path) is a health endpoint whatever ' +
      'its path: the orchestrator already restarts the service on its answer. So is a GET route that reads nothing and ' +
      "answers a constant health status (`'OK'`, `{ status: 'ok' }`, `{ healthy: true }`): it is a liveness probe by what " +
      'it does, whatever its path is called (`GET /`, `/checkhealth`; a 200 named `HttpStatus.OK` is still a constant), and so is a GET ' +
      "whose handler is named as a probe (`app.get('/', handleHealthCheck)`, a `readiness()` method): its author says what it is for. " +
      'A service with a health endpoint is asked only for metrics (that endpoint may well check dependencies and serve ' +
      'as readiness), and only as a note: it can already be restarted and taken out of rotation, and a scrape endpoint ' +
      'is one way among several to measure it (push agents, APM, platform metrics). Next.js web apps are checked by their platform through their pages and are not judged, nor is an ' +
      'app with no API of its own (a health sidecar, a docs server, the file server of a single-page app), example apps ' +
      '(`examples/`, `playground/`), the snapshot copies of a tutorial (numbered sibling folders that each hold the same app, ' +
      "mostly unchanged from one to the next: a book's `book/1-end/`, `book/2-end/`, a course's `01-setup/`, `02-auth/`; each " +
      'freezes the app at a chapter for readers, none is deployed; versions like `v1/`, `v2/` and numbered folders of different ' +
      'apps are still services), a first-run installer beside the server it sets up (`setup.js`, `install/web.js`), a mock server whose package manifest says it is one (`"description": "Mock AI Gateway server for E2E testing"`, a package named `…-mock`: it stands in for a third party while tests run, beside the product server), a sample script beside the product server (`sample.js`, `demo.ts`: run by hand to show how a library is called), a test harness or a Cloudflare Worker (a package with a wrangler config: the platform ' +
      'runs it per request, with no process to probe or scrape). A package that depends on a metrics agent that pushes (New Relic, ' +
      "DataDog, OpenTelemetry metrics), directly or through a workspace package of its own (a shared telemetry library), has metrics, and so does one whose code uses a package named for metrics (`@acme/service-metrics` given the app: an organisation's shared exporter registers the scrape route from outside the repository). A probe registered through a project helper that puts its path under a configured root (`app.get(rootPath('/health'), …)`) is that probe. Apps of one package that lack only metrics share that cause: it is " +
      'named once, on the app with the most routes. An app all of whose routes are called by the ' +
      "project's own services, jobs and operators (behind the deployment's shared secret, or scheduled triggers) is not " +
      'asked for metrics: it is measured through the service that calls it.',
    examples: {
      bad: [
        {
          description: 'A service with business routes only',
          files: {
            'src/server.ts': [
              "import express from 'express';",
              '',
              'const app = express();',
              "app.get('/v1/orders/:id', (req, res) => res.json({ id: req.params.id }));",
              'app.listen(3000);',
              '',
            ].join('\n'),
          },
        },
      ],
      good: [
        {
          description: 'Liveness, readiness and metrics are served',
          files: {
            'src/server.ts': [
              "import express from 'express';",
              '',
              'const app = express();',
              "app.get('/healthz', (_req, res) => res.json({ status: 'up' }));",
              "app.get('/readyz', async (_req, res) => res.json({ status: 'ready' }));",
              "app.get('/metrics', async (_req, res) => res.type('text/plain').send(''));",
              "app.get('/v1/orders/:id', (req, res) => res.json({ id: req.params.id }));",
              'app.listen(3000);',
              '',
            ].join('\n'),
          },
        },
        {
          description:
            "A vendor's public description: nobody probes it (list a description under `openapi.services` in the config when it is the complete contract of a service deployed from this repository)",
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Payments public API, version: "1" }',
              'paths:',
              '  /v1/charges:',
              "    get: { responses: { '200': { description: ok } } }",
              '',
            ].join('\n'),
          },
        },
      ],
    },
    messages: {
      missing: '{{service}} exposes no {{probes}} endpoint: expected {{expected}}',
    },
  },
  check(ctx) {
    const paths = new Set(ctx.files.files.map((file) => file.path));
    const kinds = new Map<string, Set<InfrastructureKind>>();
    // Services that answer more than probes, docs, static files and pages. An app whose routes archlint could not
    // follow (only a CORS preflight seen) is still judged: it is a service, and none of its probes is visible.
    const withApi = new Set(
      ctx.http.endpoints.filter((e) => !['infrastructure', 'asset', 'page'].includes(e.role)).map((e) => e.serviceId),
    );
    for (const endpoint of ctx.http.endpoints) {
      // A route that answers a constant health status (`GET /` → `{ healthy: true }`) is a liveness probe by what it
      // does, whatever its path is called.
      // A handler named as a probe (`app.get('/', handleHealthCheck)`) is that probe: its author says what it is for.
      const kind =
        infrastructureKind(endpoint.path) ??
        (answersHealthStatus(endpoint) ? 'liveness' : undefined) ??
        namedProbe(endpoint);
      if (!kind) continue;
      kinds.set(endpoint.serviceId, (kinds.get(endpoint.serviceId) ?? new Set()).add(kind));
    }
    // Sidecars and workers only the project itself calls: every route that is no probe, doc or asset is called with the
    // deployment's shared secret or by a scheduler. (An app whose other routes archlint cannot place — routers it does
    // not see mounted — shows no such evidence and stays judged.)
    const calledByProject = new Map<string, boolean>();
    for (const endpoint of ctx.http.endpoints) {
      if (['infrastructure', 'asset', 'page'].includes(endpoint.role)) continue;
      const own = endpoint.role === 'internal' && (endpoint.handler?.sharedSecret || endpoint.handler?.scheduled);
      calledByProject.set(endpoint.serviceId, (calledByProject.get(endpoint.serviceId) ?? true) && Boolean(own));
    }
    const metricsOnly = new Map<string, Service[]>();
    const report = (service: Service, missing: readonly Probe[], alike: Service[]) =>
      ctx.report({
        at: service,
        // A service that answers a probe can be restarted and taken out of rotation; what it lacks is a scrape
        // endpoint, one way among several (push agents, APM, the platform's own metrics) to measure it: a note.
        ...(missing.length === 1 && missing[0] === 'metrics' ? { severity: 'note' as const } : {}),
        messageId: 'missing',
        data: {
          service: service.name,
          probes: listOf(missing),
          expected: missing.map((probe) => EXPECTED[probe]).join('; '),
        },
        related: alike.map((other) => ({
          at: other.origin,
          message: `${other.name}, another app of the same package, exposes no metrics endpoint either`,
        })),
      });
    for (const service of ctx.http.services) {
      // Probes are for what this repository deploys: an app in code, or a description declared in config as a
      // service's complete contract — not a vendor's public description or one that covers a few resources.
      // An app with no API of its own (a health sidecar, a docs server, a single-page app's file server, a worker's
      // probe port) is watched through the service it belongs to, and a description of shared components serves
      // nothing to probe. A web app (Next.js) is checked by its platform through its pages.
      if (!service.deployable || service.kind === 'web-app' || !withApi.has(service.id)) continue;
      // A Cloudflare Worker (its package deploys with wrangler) runs per request on the platform: there is no
      // process to restart or take out of rotation, and no port to scrape.
      if (service.source === 'typescript' && deploysWithWrangler(service.origin.file, paths)) continue;
      const present = kinds.get(service.id) ?? new Set<InfrastructureKind>();
      const has: Record<Probe, boolean> = {
        // A route the deployment's own health check calls is the probe, whatever its path is called.
        liveness: present.has('liveness') || service.healthModules.length > 0 || Boolean(service.probedByDeployment),
        readiness: present.has('readiness'),
        metrics: present.has('metrics') || service.metricsModules.length > 0,
      };
      // A health endpoint often checks the database too and serves as the readiness probe; archlint cannot
      // see which, so a missing readiness endpoint is named only when there is no health endpoint at all.
      // One cause, one finding: what a service lacks is named together, on the service.
      const missing = has.liveness
        ? has.metrics
          ? []
          : (['metrics'] as const)
        : (['liveness', 'readiness', 'metrics'] as const).filter((probe) => !has[probe]);
      if (missing.length === 0) continue;
      // Metrics are asked of a service clients use. A sidecar or worker that only the project's own services call (every
      // route behind the deployment's shared secret, or a scheduled trigger) is measured through its callers; its
      // liveness is still asked for, since a hung sidecar stalls them.
      if (missing.length === 1 && missing[0] === 'metrics' && calledByProject.get(service.id) === true) continue;
      // Metrics come from a package the app's package depends on (prom-client, an exporter): two apps of one package
      // with probes and no metrics share one cause, reported once, on the app with the most routes.
      if (service.source === 'typescript' && missing.length === 1 && missing[0] === 'metrics') {
        const pkg = packageOf(service.origin.file, paths);
        addTo(metricsOnly, pkg ? `package ${pkg}` : service.id, service);
        continue;
      }
      report(service, missing, []);
    }
    const routeCount = new Map<string, number>();
    for (const endpoint of ctx.http.endpoints)
      routeCount.set(endpoint.serviceId, (routeCount.get(endpoint.serviceId) ?? 0) + 1);
    for (const group of metricsOnly.values()) {
      const [first, ...others] = [...group].sort(
        (a, b) => (routeCount.get(b.id) ?? 0) - (routeCount.get(a.id) ?? 0) || (a.id < b.id ? -1 : 1),
      );
      report(first!, ['metrics'], others);
    }
  },
});

const WRANGLER_CONFIGS = ['wrangler.toml', 'wrangler.json', 'wrangler.jsonc'];

/**
 * The folder of the nearest package manifest above a file: a package.json, or an Nx project.json (one project of a
 * monorepo whose dependencies live at the root). Undefined at the repository root: the root manifest of a monorepo is
 * shared by every app it deploys, each its own service.
 */
function packageOf(file: string, paths: ReadonlySet<string>): string | undefined {
  const segments = file.split('/').slice(0, -1);
  for (let depth = segments.length; depth > 0; depth--) {
    const dir = segments.slice(0, depth).join('/');
    if (paths.has(`${dir}/package.json`) || paths.has(`${dir}/project.json`)) return dir;
  }
  return undefined;
}

/** The app's package (the nearest folder above it with a package.json) has a wrangler config: a Cloudflare Worker. */
function deploysWithWrangler(file: string, paths: ReadonlySet<string>): boolean {
  const segments = file.split('/').slice(0, -1);
  for (let depth = segments.length; depth >= 0; depth--) {
    const dir = segments.slice(0, depth).join('/');
    const at = (name: string) => (dir === '' ? name : `${dir}/${name}`);
    if (WRANGLER_CONFIGS.some((name) => paths.has(at(name)))) return true;
    if (paths.has(at('package.json'))) return false;
  }
  return false;
}

function listOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
