/**
 * The `http` input: every service and endpoint archlint knows, whatever it was read from. API
 * rules require this (not `openapi`), so they run unchanged on descriptions and on code.
 */
import { delegatedOperationRoles, describedNotFirstParty, publishedSurfaceRoles } from '../../model/endpoint-roles.js';
import { servingApps, unservedDescriptions } from '../../model/spec-code-matching.js';
import type { HttpModel } from '../../model/http.js';
import type { InputEnv } from '../env.js';

export async function buildHttpModel(env: InputEnv): Promise<HttpModel> {
  const spec = await env.input('openapi');
  let services = [...spec.http.services];
  // Services and endpoints declared in TS/JS code (Express, Fastify, NestJS, Hono, Koa, Next.js): same model, same rules.
  const code = await env.input('routes');
  services.push(...code.services);
  // What only descriptions and code together show refines roles, on copies (each input's model stays what it
  // alone says): a described operation under a catch-all the code hands whole to a package is that package's
  // protocol; which routes a service's description publishes.
  const endpoints = delegatedOperationRoles(spec.http.endpoints, code.endpoints, services);
  endpoints.push(
    ...describedNotFirstParty(
      spec.http.endpoints,
      publishedSurfaceRoles(spec.http.endpoints, code.endpoints, services),
      services,
    ),
  );
  // A description in the package of code that serves none of its operations describes an API the package does not
  // serve (copied, on the description's service).
  const files = new Map(services.map((service) => [service.id, service.origin.file]));
  const packageOf = packageFinder(env.fileSet.files.map((file) => file.path));
  const unserved = unservedDescriptions(spec.http.endpoints, code.endpoints, (id) => files.get(id), packageOf);
  // …and one whose operations the package's code serves documents that code (Service.servedBy).
  const serving = servingApps(spec.http.endpoints, code.endpoints, (id) => files.get(id), packageOf);
  if (unserved.size > 0 || serving.size > 0)
    services = services.map((service) => {
      const servedBy = serving.get(service.id);
      return unserved.has(service.id) || servedBy
        ? { ...service, ...(unserved.has(service.id) ? { unserved: true } : {}), ...(servedBy ? { servedBy } : {}) }
        : service;
    });
  return { services, endpoints };
}

/**
 * Package manifests: JavaScript (`package.json`, Nx `project.json`) and other languages' (a Go module, a Python or
 * Rust project…), so a description beside a service written in another language belongs to that service's folder.
 */
const MANIFEST =
  /(^|\/)(package\.json|project\.json|go\.mod|pyproject\.toml|requirements\.txt|Cargo\.toml|pom\.xml|build\.gradle(\.kts)?|composer\.json|Gemfile|[^/]+\.csproj)$/;

/** The nearest folder above a file holding a package manifest (see MANIFEST); '' at the top. */
function packageFinder(paths: readonly string[]): (file: string) => string | undefined {
  const manifests = new Set(
    paths.filter((path) => MANIFEST.test(path)).map((path) => path.slice(0, path.lastIndexOf('/') + 1)),
  );
  return (file) => {
    const segments = file.split('/').slice(0, -1);
    for (let depth = segments.length; depth >= 0; depth--) {
      const dir = segments.slice(0, depth).join('/');
      if (manifests.has(dir === '' ? '' : `${dir}/`)) return dir;
    }
    return undefined;
  };
}
