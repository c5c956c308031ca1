/**
 * React Router (framework mode) and Remix: routes are modules under `app/routes/`, named by the
 * file-system conventions — Remix v2 / `@react-router/fs-routes` flat routes (`api.v1.users.$id.ts`,
 * `users.$id/route.tsx`), remix-flat-routes' `+` folders (`api+/health.ts` ≡ `api.health.ts`) — or
 * listed in `app/routes.ts` (`route('api/health', 'routes/health.ts')`, `prefix()`, `layout()`,
 * `index()`). A route module with a `loader` answers GET, one with an `action` the other methods.
 *
 * Only resource routes are HTTP endpoints here: a module without a default export (no page). A page's
 * own loader and action serve that page's document and forms, which is the site, not an API.
 * Authentication: a wrapper around the export (`createActionApiRoute({...}, handler)`) or a session
 * check in the function itself, as for Next.js route handlers; unknown wrappers leave it unknown.
 */
import { posix } from 'node:path';
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../../code/ts-morph.js';
import type { Service } from '../../../model/http.js';
import type { CodeFile } from '../../code/index.js';
import type { EndpointDraft } from '../graph.js';
import { RATE_LIMIT_PACKAGES, type MiddlewareClassifier } from '../middleware.js';
import type { Modules } from '../modules.js';
import { joinPaths } from '../paths.js';
import { origin } from '../origins.js';
import { asFunction, declarationOf, destructuredExport, wrappersOf } from './next-handlers.js';
import { checkedMethods, importedPackages, routeAuth, type NextRoute } from './next-routes.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** A server-side React Router or Remix app: its build tooling or server runtime, or the flat-routes plugin. */
const SERVER_PACKAGES =
  /"(?:@react-router\/(?:dev|node|serve|fs-routes|express|cloudflare)|@remix-run\/(?:dev|node|serve|server-runtime|express|cloudflare|deno)|remix-flat-routes)"\s*:/;
const MODULE = /\.[cm]?[jt]sx?$/;

export interface ReactRouterResult {
  services: Service[];
  drafts: EndpointDraft[];
}

export function extractReactRouter(
  modules: Modules,
  classifier: MiddlewareClassifier,
  files: readonly CodeFile[],
  packageJsons: Array<{ path: string; content: string }>,
  cwd: string,
): ReactRouterResult {
  const services: Service[] = [];
  const drafts: EndpointDraft[] = [];
  const byPath = new Map(files.map((file) => [file.path, file]));
  for (const pkg of packageJsons) {
    if (!SERVER_PACKAGES.test(pkg.content)) continue;
    const root = posix.dirname(pkg.path);
    const appDir = root === '.' ? 'app' : `${root}/app`;
    const inApp = files.filter((file) => file.path.startsWith(`${appDir}/`));
    if (inApp.length === 0) continue;
    const config = inApp.find((file) => /^routes\.[cm]?[jt]s$/.test(file.path.slice(appDir.length + 1)));
    const routeFiles = config
      ? configuredRoutes(config, appDir, byPath)
      : conventionRoutes(inApp, `${appDir}/routes`, /"remix-flat-routes"\s*:/.test(pkg.content));
    const serviceId = `${pkg.path}#react-router`;
    const limiters = new Set<string>();
    let count = 0;
    for (const { file, path } of routeFiles) {
      for (const imported of importedPackages(file, RATE_LIMIT_PACKAGES))
        if (RATE_LIMIT_PACKAGES.has(imported)) limiters.add(imported);
      for (const route of resourceRoutes(modules, file, path, serviceId)) {
        const auth = routeAuth(classifier, route, undefined);
        drafts.push(auth ? { ...route.draft, auth } : route.draft);
        count++;
      }
    }
    if (count === 0) continue;
    services.push({
      id: serviceId,
      name: posix.basename(root === '.' ? cwd.replace(/\\/g, '/') : root),
      source: 'typescript',
      origin: { file: pkg.path },
      framework: 'react-router',
      deployable: true,
      kind: 'web-app',
      healthModules: [],
      metricsModules: [],
      rateLimitModules: [...limiters].sort(),
    });
  }
  return { services, drafts };
}

interface RouteFile {
  file: CodeFile;
  /** The URL path, `{param}` for dynamic segments; `exact` false when an optional segment was left out. */
  path: { value: string; exact: boolean };
}

/**
 * Flat routes: every module directly in `routes/` and every `<name>/route.tsx` is a route named by its
 * dotted name; with remix-flat-routes, folders ending in `+` add their name to the files' names
 * (`api+/v1+/users.ts` ≡ `api.v1.users.ts`), and files or folders starting with `+` are colocated code.
 */
export function conventionRoutes(files: readonly CodeFile[], routesDir: string, plusFolders: boolean): RouteFile[] {
  const out: RouteFile[] = [];
  for (const file of files) {
    if (!file.path.startsWith(`${routesDir}/`) || !MODULE.test(file.path)) continue;
    const name = flatName(file.path.slice(routesDir.length + 1), plusFolders);
    if (name === undefined) continue;
    out.push({ file, path: pathOfFlatName(name) });
  }
  return out;
}

/** The dotted route name of a file below `routes/`, or undefined for a file that is not a route module. */
function flatName(rel: string, plusFolders: boolean): string | undefined {
  const parts = rel.split('/');
  const base = parts.pop()!.replace(MODULE, '');
  if (base.startsWith('+') || parts.some((part) => part.startsWith('+'))) return undefined;
  const names: string[] = [];
  let i = 0;
  for (; i < parts.length && plusFolders && parts[i]!.endsWith('+'); i++) names.push(parts[i]!.slice(0, -1));
  const rest = parts.slice(i);
  if (rest.length === 0) {
    // `routes/x.ts`, or a file in `+` folders; `route` / `index` in a `+` folder name the folder itself.
    if (names.length > 0 && (base === 'route' || base === 'index')) return names.join('.');
    return [...names, base].join('.');
  }
  // `routes/<name>/route.tsx`: the folder is the route; its other files are colocated modules.
  if (rest.length === 1 && (base === 'route' || (plusFolders && base === 'index')))
    return [...names, rest[0]!].join('.');
  return undefined;
}

/** `api.v1.users.$id` → `/api/v1/users/{id}`; `_auth.login` → `/login`; `[sitemap.xml]` → `/sitemap.xml`. */
export function pathOfFlatName(name: string): { value: string; exact: boolean } {
  const segments: string[] = [];
  let exact = true;
  for (const raw of splitFlatName(name)) {
    const escaped = /^\[(.*)\]$/.exec(raw.text);
    if (raw.escaped && escaped) {
      segments.push(escaped[1]!);
      continue;
    }
    let segment = raw.text;
    if (segment === '_index' || segment === 'index' || segment === '') continue;
    // A pathless layout (`_auth`) adds no segment; a trailing `_` (`users_`) only opts out of nesting.
    if (segment.startsWith('_')) continue;
    if (segment.endsWith('_')) segment = segment.slice(0, -1);
    if (/^\(.*\)$/.test(segment)) {
      exact = false;
      continue;
    }
    if (segment === '$') segments.push('{*}');
    else if (segment.startsWith('$')) segments.push(`{${segment.slice(1)}}`);
    else segments.push(segment.replace(/\[(.*?)\]/g, '$1'));
  }
  return { value: joinPaths(...segments), exact };
}

/** Dots separate segments except inside `[...]` escapes. */
function splitFlatName(name: string): Array<{ text: string; escaped: boolean }> {
  const out: Array<{ text: string; escaped: boolean }> = [];
  let current = '';
  let depth = 0;
  let escaped = false;
  for (const ch of name) {
    if (ch === '[') {
      depth++;
      escaped = true;
    } else if (ch === ']') depth = Math.max(0, depth - 1);
    if (ch === '.' && depth === 0) {
      out.push({ text: current, escaped });
      current = '';
      escaped = false;
    } else current += ch;
  }
  out.push({ text: current, escaped });
  return out;
}

/**
 * `app/routes.ts`: `route(path, file, children?)`, `index(file)`, `layout(file, children)`,
 * `prefix(path, children)`, read from the literal config; `flatRoutes()` (also through remix-flat-routes'
 * adapter) adds the file-system routes. A path or file that is not a literal is left out.
 */
function configuredRoutes(config: CodeFile, appDir: string, byPath: ReadonlyMap<string, CodeFile>): RouteFile[] {
  const out: RouteFile[] = [];
  const text = config.tree.text;
  if (/\bflatRoutes\s*\(/.test(text)) {
    const inApp = [...byPath.values()].filter((file) => file.path.startsWith(`${appDir}/`));
    out.push(...conventionRoutes(inApp, `${appDir}/routes`, /remix-flat-routes/.test(text)));
  }
  const fileAt = (literal: string) =>
    byPath.get(posix.join(appDir, literal)) ?? withExtension(byPath, posix.join(appDir, literal));
  const visit = (node: ts.Node, prefix: string): void => {
    if (typescript.isCallExpression(node) && typescript.isIdentifier(node.expression)) {
      const [first, second, third] = node.arguments;
      const literal = (arg: ts.Expression | undefined) =>
        arg && typescript.isStringLiteralLike(arg) ? arg.text : undefined;
      switch (node.expression.text) {
        case 'route': {
          const path = literal(first);
          const target = literal(second);
          if (path === undefined) return;
          const full = joinPaths(prefix, routePath(path));
          const file = target !== undefined ? fileAt(target) : undefined;
          if (file) out.push({ file, path: { value: full, exact: !/\?/.test(path) } });
          if (third) visit(third, full);
          return;
        }
        case 'index': {
          const file = literal(first) !== undefined ? fileAt(literal(first)!) : undefined;
          if (file) out.push({ file, path: { value: joinPaths(prefix), exact: true } });
          return;
        }
        case 'layout':
          if (second) visit(second, prefix);
          return;
        case 'prefix': {
          const path = literal(first);
          if (path !== undefined && second) visit(second, joinPaths(prefix, routePath(path)));
          return;
        }
      }
    }
    typescript.forEachChild(node, (child) => visit(child, prefix));
  };
  visit(config.tree, '');
  return out;
}

/** A route config path (`users/:id`, `files/*`, `:lang?/about`) in archlint's `{param}` form. */
function routePath(path: string): string {
  return path
    .split('/')
    .filter((segment) => !segment.endsWith('?'))
    .map((segment) => (segment === '*' ? '{*}' : segment.startsWith(':') ? `{${segment.slice(1)}}` : segment))
    .join('/');
}

function withExtension(byPath: ReadonlyMap<string, CodeFile>, path: string): CodeFile | undefined {
  for (const ext of ['.ts', '.tsx', '.js', '.jsx']) {
    const file = byPath.get(`${path}${ext}`);
    if (file) return file;
  }
  return undefined;
}

/** The endpoints of one route module: its loader (GET) and action (the methods it tells apart, POST by default), if it renders no page. */
function resourceRoutes(
  modules: Modules,
  file: CodeFile,
  path: { value: string; exact: boolean },
  serviceId: string,
): NextRoute[] {
  if (modules.exportOf(file, 'default')) return [];
  const out: NextRoute[] = [];
  for (const name of ['loader', 'action'] as const) {
    const binding = modules.exportOf(file, name);
    const element = binding ? undefined : destructuredExport(file, name);
    if (!binding && !element) continue;
    const source = binding?.kind === 'value' ? binding.node : element?.source;
    const handler = binding?.kind === 'function' ? binding.node : source ? asFunction(modules, source) : undefined;
    const wrappers = source ? wrappersOf(source) : [];
    const at =
      binding?.kind === 'function' || binding?.kind === 'value'
        ? declarationOf(binding.node)
        : (element?.at ?? file.tree);
    const where = binding?.kind === 'function' || binding?.kind === 'value' ? binding.file : file;
    const methods =
      name === 'loader'
        ? ['get']
        : handler?.body
          ? checkedMethods(handler.body).filter((m) => m !== 'get' && m !== 'head')
          : [];
    for (const method of name === 'action' && methods.length === 0 ? ['post'] : methods) {
      out.push({
        wrappers,
        draft: {
          serviceId,
          framework: 'react-router',
          method: method as EndpointDraft['method'],
          path,
          declaredPath: path.value,
          origin: origin(where, at),
          file,
          ...(handler ? { handler } : {}),
          confidence: path.exact ? 'high' : 'low',
        },
      });
    }
  }
  return out;
}
