/**
 * What a code service registers beside its routes: health and metrics packages, metrics served or pushed without a
 * route, rate limiters its routes reach, a view engine, Nest's versioning (Service fields the routes input fills).
 */
import { posix } from 'node:path';
import type { ts } from 'ts-morph';
import type { Endpoint, Service } from '../../model/http.js';
import type { CodeFile } from '../code/index.js';
import { loadTypeScript } from '../code/ts-morph.js';
import type { RouterNode } from './graph.js';
import { INBOUND_RATE_LIMIT_PACKAGES } from './middleware.js';
import { requireSpecifier } from './modules.js';
import type { Reach } from './reach.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const tsApi = loadTypeScript();

/** Packages that give a service a liveness/readiness endpoint without a visible route. */
export const HEALTH_PACKAGES = new Set([
  '@nestjs/terminus',
  'fastify-healthcheck',
  '@hono/health',
  'express-actuator',
  'lightship',
  '@godaddy/terminus',
  'terminus',
  'express-healthcheck',
  'fastify-custom-healthcheck',
  // Answers 503 on every route when its health check or the event loop fails (and can expose /status).
  '@fastify/under-pressure',
  'under-pressure',
]);

/**
 * Metrics with no route in the app: exporters that serve /metrics on their own port, and agents and
 * SDKs that push metrics (DataDog's dd-trace, OpenTelemetry's metrics SDK and OTLP metric exporters,
 * StatsD clients, New Relic). A package that imports one has metrics.
 */
const SELF_SERVED_METRICS = new Set([
  '@opentelemetry/exporter-prometheus',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/exporter-metrics-otlp-http',
  '@opentelemetry/exporter-metrics-otlp-grpc',
  '@opentelemetry/exporter-metrics-otlp-proto',
  'dd-trace',
  'hot-shots',
  'node-statsd',
  'statsd-client',
  'newrelic',
]);

/** Packages that expose Prometheus metrics. */
export const METRICS_PACKAGES = new Set([
  '@opentelemetry/exporter-prometheus',
  'express-prom-bundle',
  'fastify-metrics',
  '@willsoto/nestjs-prometheus',
  'express-prometheus-middleware',
  '@hono/prometheus',
  'koa-prometheus-adv',
  'prometheus-api-metrics',
]);

/**
 * Prometheus clients a project builds its own metrics middleware on (`prom-client` behind a `prometheusMiddleware({
 * metricsPath })` of its own, which serves the scrape route itself): imported anywhere in the code an app's routes
 * reach, the app has metrics, even when archlint cannot see the route the middleware answers.
 */
const METRICS_CLIENTS = new Set(['prom-client']);
/**
 * A package named for metrics (`@snapshot-labs/snapshot-metrics`, `@acme/metrics`, `prometheus-exporter`): an
 * organisation's shared metrics library, which registers the scrape route on the app it is given (`init(app)`) from
 * outside the repository. Its name says what it is for; archlint cannot read its code.
 */
const METRICS_PACKAGE_NAME = /(^|[-/])metrics$|(^|[-/@])prometheus([-/]|$)/i;
const isMetricsPackage = (name: string) => METRICS_CLIENTS.has(name) || METRICS_PACKAGE_NAME.test(name);

/**
 * Auth servers that limit the request rate of the endpoints they serve on their own (better-auth: a built-in
 * limiter, on by default in production, stricter on sign-in): an app serving one limits its abuse-prone routes.
 */
const SELF_LIMITING_AUTH = new Set(['better-auth']);

/** Per code service, the files that declare it, its routes and their handlers: where a walk of what it reaches starts. */
export function serviceRootFiles(
  services: readonly Service[],
  endpoints: readonly Endpoint[],
): Map<string, Set<string>> {
  const roots = new Map<string, Set<string>>();
  for (const service of services)
    if (service.source === 'typescript') roots.set(service.id, new Set([service.origin.file]));
  for (const endpoint of endpoints) {
    const files = roots.get(endpoint.serviceId);
    if (!files) continue;
    files.add(endpoint.origin.file);
    if (endpoint.handler) files.add(endpoint.handler.origin.file);
  }
  return roots;
}

/**
 * A limiter registered in a sub-router, wrapped in a project helper around the abuse-prone routes, or loaded
 * from a plugin folder is still the service's: a request-rate limiter imported anywhere in the code its
 * routes reach counts. Which routes need one is a judgement archlint cannot make from the code. So does a
 * Prometheus client (METRICS_CLIENTS) or a package named for metrics (METRICS_PACKAGE_NAME).
 */
export function noteLimitersInCode(services: Service[], endpoints: readonly Endpoint[], reach: Reach): void {
  const roots = serviceRootFiles(services, endpoints);
  for (const service of services) {
    const files = roots.get(service.id);
    if (!files) continue;
    const reached = reach.packagesFrom(files);
    const limiters = [...reached].filter((p) => INBOUND_RATE_LIMIT_PACKAGES.has(p) || SELF_LIMITING_AUTH.has(p));
    if (limiters.length > 0)
      service.rateLimitModules = unique([...(service.rateLimitModules ?? []), ...limiters]).sort();
    const metrics = [...reached].filter(isMetricsPackage);
    if (metrics.length > 0) service.metricsModules = unique([...service.metricsModules, ...metrics]).sort();
  }
}

/** Packages that render server-side views for an app (registered as middleware or plugins). */
const VIEW_PACKAGES = new Set([
  '@fastify/view',
  'point-of-view',
  'koa-views',
  '@ladjs/koa-views',
  'koa-ejs',
  'express-handlebars',
  'express-ejs-layouts',
  'hbs',
  'express-react-views',
  'nunjucks',
]);

/** `app.set('view engine', 'pug')`, `app.engine('hbs', …)`: Express configured to render views. */
const VIEW_ENGINE_SETTING = /\.set\(\s*['"]view engine['"]|\.engine\(\s*['"][\w.]+['"]\s*,/;

/** The view engine an app configures (its files, or packages registered on it), as a Service.viewEngine. */
export function viewEngineOf(nodes: RouterNode[], packages: Set<string>): { viewEngine?: string } {
  const pkg = [...packages].sort().find((p) => VIEW_PACKAGES.has(p));
  if (pkg) return { viewEngine: pkg };
  const files = new Set(nodes.map((n) => n.file));
  for (const file of files) {
    const match = /\.set\(\s*['"]view engine['"]\s*,\s*['"]([\w.-]+)['"]/.exec(file.tree.text);
    if (match) return { viewEngine: match[1]! };
    if (VIEW_ENGINE_SETTING.test(file.tree.text)) return { viewEngine: 'view engine' };
  }
  return {};
}

/**
 * Metrics exporters that serve /metrics on a port of their own, with no route in the app (the
 * OpenTelemetry Prometheus exporter, `new PrometheusExporter({ port: 9464 })`), and agents that push
 * metrics (New Relic, DataDog, OTLP metric exporters, StatsD). Imported anywhere in a workspace package,
 * or among its runtime dependencies, it serves the metrics of every app of that package.
 */
export class SelfServedMetrics {
  private readonly packageDirs: string[];
  private readonly byDir = new Map<string, string>();

  constructor(files: readonly CodeFile[], manifests: Array<{ path: string; content: string }>) {
    this.packageDirs = manifests.map((m) => posix.dirname(m.path)).sort((a, b) => b.length - a.length);
    // Agents are often loaded with no import in the code (`node -r newrelic`, `NODE_OPTIONS=--require dd-trace/init`):
    // a package that depends on one (not as a dev dependency) ships its metrics by push.
    for (const manifest of manifests) {
      const agent = runtimeDependencies(manifest.content).find((name) => SELF_SERVED_METRICS.has(name));
      if (agent) this.byDir.set(posix.dirname(manifest.path), agent);
    }
    for (const file of files) {
      // A file whose text names none of them is not parsed.
      if (![...SELF_SERVED_METRICS].some((name) => file.text.content.includes(name))) continue;
      for (const statement of file.tree.statements) {
        const spec = moduleSpecifierOf(statement);
        if (spec && SELF_SERVED_METRICS.has(spec)) this.byDir.set(this.packageOf(file.path), spec);
      }
    }
    // A monorepo's shared telemetry package (`@acme/telemetry`, depending on dd-trace) is loaded by each app that
    // depends on it: those apps push their metrics through it. Followed through the workspace's own packages only.
    const local = new Map<string, string>();
    for (const manifest of manifests) {
      const name = packageNameOf(manifest.content);
      if (name) local.set(name, posix.dirname(manifest.path));
    }
    for (let round = 0; round < 2; round++) {
      for (const manifest of manifests) {
        const dir = posix.dirname(manifest.path);
        if (this.byDir.has(dir)) continue;
        for (const name of runtimeDependencies(manifest.content)) {
          const agent = local.has(name) ? this.byDir.get(local.get(name)!) : undefined;
          if (agent) {
            this.byDir.set(dir, `${agent} (through ${name})`);
            break;
          }
        }
      }
    }
  }

  for(path: string): string | undefined {
    return this.byDir.size === 0 ? undefined : this.byDir.get(this.packageOf(path));
  }

  private packageOf(path: string): string {
    return this.packageDirs.find((dir) => dir === '.' || path.startsWith(`${dir}/`)) ?? '.';
  }
}

/** The `dependencies` of a package.json (what the package runs with, not what it is built or tested with). */
function runtimeDependencies(content: string): string[] {
  try {
    const dependencies = (JSON.parse(content) as { dependencies?: unknown }).dependencies;
    return dependencies && typeof dependencies === 'object' ? Object.keys(dependencies).sort() : [];
  } catch {
    return [];
  }
}

/** The `name` of a package.json. */
function packageNameOf(content: string): string | undefined {
  try {
    const name = (JSON.parse(content) as { name?: unknown }).name;
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}

function moduleSpecifierOf(statement: ts.Statement): string | undefined {
  if (tsApi.isImportDeclaration(statement) && tsApi.isStringLiteral(statement.moduleSpecifier))
    return statement.moduleSpecifier.text;
  if (tsApi.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations) {
      const spec = declaration.initializer ? requireSpecifier(declaration.initializer) : undefined;
      if (spec) return spec;
    }
  }
  return undefined;
}

/**
 * The scheme `app.enableVersioning(options)` sets for the whole service. Called without options it is URI
 * versioning with no default version: only the controllers that name a version get one, and their paths say
 * so, so the service declares nothing beyond its paths (its options are then a literal archlint made, with no
 * text in any file).
 */
export function nestVersioningKind(options: ts.ObjectLiteralExpression | undefined): Service['versioning'] | undefined {
  if (!options || options.pos < 0) return undefined;
  const text = options.getText();
  const kind = /HEADER/.test(text)
    ? 'header'
    : /MEDIA_TYPE/.test(text)
      ? 'media-type'
      : /CUSTOM/.test(text)
        ? 'custom'
        : 'uri';
  const version = /defaultVersion\s*:\s*['"]([^'"]+)['"]/.exec(text)?.[1];
  return { kind, ...(version ? { defaultVersion: version } : {}) };
}

export function unique(items: string[]): string[] {
  return [...new Set(items)];
}
