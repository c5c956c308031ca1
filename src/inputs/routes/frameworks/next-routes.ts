/**
 * Next.js: file-system routes. `app/**\/route.ts` exporting GET/POST/…, `pages/api/**` default
 * exports (methods from `req.method` checks where visible, or the keys of a method-keyed object passed
 * to a wrapper: `withMiddlewares({ GET, POST })`), route groups `(x)`, parallel `@x` and private `_x`
 * folders, dynamic `[id]` / `[...slug]` / `[[...slug]]` segments, `basePath` from next.config.
 * Authentication: an auth `middleware.ts` (with its `matcher`), auth wrappers around the handler
 * (`withAuth(handler)`), or a session check in the handler itself (`getServerSession()`, `auth()`).
 * What a route export is (handler, wrappers, destructured exports): next-handlers.ts.
 */
import { posix } from 'node:path';
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../../code/ts-morph.js';
import type { Service } from '../../../model/http.js';
import type { CodeFile } from '../../code/index.js';
import type { EndpointDraft, RouterNode } from '../graph.js';
import { RATE_LIMIT_PACKAGES, type MiddlewareClassifier } from '../middleware.js';
import type { Modules } from '../modules.js';
import { joinPaths } from '../paths.js';
import { isEqualityComparison } from '../values.js';
import { origin } from '../origins.js';
import { packageName, propertyName, type StringValue } from '../values.js';
import {
  aliased,
  asFunction,
  builderChainMethods,
  declarationOf,
  destructuredExport,
  destructuredPackage,
  resolved,
  wrappersOf,
} from './next-handlers.js';
import { readNextMiddleware, type NextMiddleware } from './next-middleware.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

const APP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const CONFIG = /(^|\/)next\.config\.(js|mjs|cjs|ts|mts)$/;
const MIDDLEWARE = /^(?:src\/)?(middleware|proxy)\.[cm]?[jt]s$/;

export interface NextResult {
  services: Service[];
  drafts: EndpointDraft[];
  /**
   * Apps of another framework a route handler hands its requests to (`export const GET = handle(app)`),
   * with the Next.js service they answer in: their own routes are that service's endpoints.
   */
  handed: Map<RouterNode, string>;
}

/** The apps a route handler export hands its requests to (the router graph's answer); empty for an ordinary handler. */
export type HandedApps = (expression: ts.Expression) => RouterNode[];

export function extractNext(
  modules: Modules,
  classifier: MiddlewareClassifier,
  files: readonly CodeFile[],
  packageJsons: Array<{ path: string; content: string }>,
  cwd: string,
  handedApps: HandedApps = () => [],
): NextResult {
  const handed = new Map<RouterNode, string>();
  const roots = new Map<string, CodeFile | undefined>();
  for (const file of files) if (CONFIG.test(file.path)) roots.set(posix.dirname(file.path), file);
  for (const pkg of packageJsons) {
    const dir = posix.dirname(pkg.path);
    if (!roots.has(dir) && /"next"\s*:/.test(pkg.content)) roots.set(dir, undefined);
  }
  const services: Service[] = [];
  const drafts: EndpointDraft[] = [];
  // Deepest root first, so a file belongs to its nearest Next.js app.
  const ordered = [...roots.keys()].sort((a, b) => b.length - a.length);
  const taken = new Set<CodeFile>();
  for (const root of ordered) {
    const config = roots.get(root);
    const basePath = config ? basePathOf(config) : '';
    const own: NextRoute[] = [];
    const limiters = new Set<string>();
    let middleware: NextMiddleware | undefined;
    const serviceId = `${config?.path ?? (root === '.' ? 'package.json' : `${root}/package.json`)}#nextjs`;
    for (const file of files) {
      if (taken.has(file)) continue;
      const rel =
        root === '.' ? file.path : file.path.startsWith(`${root}/`) ? file.path.slice(root.length + 1) : undefined;
      if (rel === undefined) continue;
      for (const pkg of importedPackages(file, RATE_LIMIT_PACKAGES))
        if (RATE_LIMIT_PACKAGES.has(pkg)) limiters.add(pkg);
      if (MIDDLEWARE.test(rel)) middleware = readNextMiddleware(modules, classifier, file);
      const app = /^(?:src\/)?app\/(?:(.*)\/)?route\.[cm]?[jt]sx?$/.exec(rel);
      const pages = /^(?:src\/)?pages\/(api(?:\/.*)?)\.[cm]?[jt]sx?$/.exec(rel);
      if (app) {
        const segments = routeSegments(app[1] ?? '');
        if (segments === undefined) continue;
        taken.add(file);
        own.push(
          ...appRoute(
            modules,
            file,
            joinPaths(basePath, ...segments),
            joinPaths(...segments),
            serviceId,
            handedApps,
            handed,
          ),
        );
      } else if (pages) {
        const segments = routeSegments(pages[1]!.replace(/(^|\/)index$/, ''));
        if (segments === undefined) continue;
        taken.add(file);
        own.push(...pagesRoute(modules, file, joinPaths(basePath, ...segments), joinPaths(...segments), serviceId));
      }
    }
    if (own.length === 0 && !config) continue;
    for (const route of own) {
      const auth = routeAuth(classifier, route, middleware);
      drafts.push(auth ? { ...route.draft, auth } : route.draft);
    }
    const at = config ?? own[0]?.draft.file;
    if (!at) continue;
    services.push({
      id: serviceId,
      name: posix.basename(root === '.' ? cwd.replace(/\\/g, '/') : root),
      source: 'typescript',
      origin: { file: at.path },
      framework: 'nextjs',
      deployable: true,
      kind: 'web-app',
      healthModules: [],
      metricsModules: [],
      rateLimitModules: [...limiters].sort(),
    });
  }
  return { services, drafts, handed };
}

/** Folder names → URL segments; undefined when a private `_folder` takes the file out of routing. */
function routeSegments(dir: string): string[] | undefined {
  const out: string[] = [];
  for (const segment of dir.split('/')) {
    if (segment === '' || /^\(.*\)$/.test(segment) || segment.startsWith('@')) continue;
    if (segment.startsWith('_')) return undefined;
    const dynamic = /^\[{1,2}(?:\.\.\.)?([^\]]+)\]{1,2}$/.exec(segment);
    out.push(dynamic ? `{${dynamic[1]}}` : segment);
  }
  return out;
}

/** A route with the wrapper calls around its handler (`withAuth(handler)`), which may authenticate. */
export interface NextRoute {
  draft: EndpointDraft;
  wrappers: ts.Expression[];
}

function appRoute(
  modules: Modules,
  file: CodeFile,
  path: string,
  declaredPath: string,
  serviceId: string,
  handedApps: HandedApps,
  handed: Map<RouterNode, string>,
): NextRoute[] {
  const out: NextRoute[] = [];
  for (const name of APP_METHODS) {
    const binding = modules.exportOf(file, name);
    if (!binding) {
      // `export const { GET, POST } = handlers` (NextAuth / Auth.js): the library's own handlers.
      const element = destructuredExport(file, name);
      if (!element) continue;
      const delegatesTo = destructuredPackage(modules, file, element.source, 0);
      out.push({
        wrappers: [],
        draft: {
          serviceId,
          framework: 'nextjs',
          method: name.toLowerCase() as EndpointDraft['method'],
          path: exact(path),
          declaredPath,
          origin: origin(file, element.at),
          file,
          ...(delegatesTo ? { delegatesTo } : {}),
          confidence: 'high',
        },
      });
      continue;
    }
    if (binding.kind === 'external') {
      // `export { GET, POST } from '@/auth'` resolved to a package: that package answers the request.
      out.push({
        wrappers: [],
        draft: {
          serviceId,
          framework: 'nextjs',
          method: name.toLowerCase() as EndpointDraft['method'],
          path: exact(path),
          declaredPath,
          origin: { file: file.path },
          file,
          delegatesTo: packageName(binding.module),
          confidence: 'high',
        },
      });
      continue;
    }
    // `export const GET = handle(app)`: a Hono app answers; its own routes (full paths) are the endpoints.
    const apps = binding.kind === 'value' ? handedApps(binding.node) : [];
    if (apps.length > 0) {
      for (const app of apps) if (!handed.has(app)) handed.set(app, serviceId);
      continue;
    }
    const handler =
      binding.kind === 'function'
        ? binding.node
        : binding.kind === 'value'
          ? asFunction(modules, binding.node)
          : undefined;
    const at = binding.kind === 'function' || binding.kind === 'value' ? binding.node : file.tree;
    // `export const PUT = PATCH`: the same handler under a second method, with the same wrappers (auth) around it.
    const wrappers = binding.kind === 'value' ? wrappersOf(aliased(modules, binding.node)) : [];
    out.push({
      wrappers,
      draft: {
        serviceId,
        framework: 'nextjs',
        method: name.toLowerCase() as EndpointDraft['method'],
        path: exact(path),
        declaredPath,
        origin: origin(
          binding.kind === 'function' || binding.kind === 'value' ? binding.file : file,
          declarationOf(at),
        ),
        file,
        ...(handler ? { handler } : {}),
        confidence: 'high',
      },
    });
  }
  return out;
}

function pagesRoute(
  modules: Modules,
  file: CodeFile,
  path: string,
  declaredPath: string,
  serviceId: string,
): NextRoute[] {
  const binding = modules.exportOf(file, 'default');
  const wrappers = binding?.kind === 'value' ? wrappersOf(binding.node) : [];
  const base = {
    serviceId,
    framework: 'nextjs' as const,
    path: exact(path),
    declaredPath,
    file,
    confidence: 'high' as const,
  };
  // `export default withMiddlewares({ GET: list, POST: create })`: one route per method key.
  const byMethod = binding?.kind === 'value' ? methodHandlers(modules, binding.node) : [];
  if (byMethod.length > 0) {
    return byMethod.map(({ method, at, handler }) => ({
      wrappers,
      draft: { ...base, method, origin: origin(modules.fileFor(at), at), ...(handler ? { handler } : {}) },
    }));
  }
  const handler =
    binding?.kind === 'function'
      ? binding.node
      : binding?.kind === 'value'
        ? asFunction(modules, binding.node)
        : undefined;
  if (!handler || isHelper(handler)) return [];
  const methods = handler.body ? checkedMethods(handler.body) : [];
  const route = { ...base, origin: origin(modules.fileFor(handler), declarationOf(handler)), handler };
  if (methods.length === 0) return [{ wrappers, draft: { ...route, method: 'all' } }];
  return methods.map((method) => ({ wrappers, draft: { ...route, method: method as EndpointDraft['method'] } }));
}

/**
 * A helper module that sits under `pages/api` (`export default findProvider`, `(id: string) => …`): its first
 * parameter is declared a string, number or boolean, which a request never is. The project calls it from its
 * handlers; it serves nothing of its own.
 */
function isHelper(fn: ts.FunctionLikeDeclaration): boolean {
  const type = fn.parameters[0]?.type;
  return (
    type !== undefined &&
    (type.kind === typescript.SyntaxKind.StringKeyword ||
      type.kind === typescript.SyntaxKind.NumberKeyword ||
      type.kind === typescript.SyntaxKind.BooleanKeyword)
  );
}

/** The object of method handlers a default export wraps (`wrapper({ GET: h })`, through nested calls and consts). */
function methodHandlers(
  modules: Modules,
  expression: ts.Expression,
  depth = 0,
): Array<{ method: EndpointDraft['method']; at: ts.Node; handler?: ts.FunctionLikeDeclaration }> {
  if (depth > 5) return [];
  const node = resolved(modules, expression);
  const chain = typescript.isCallExpression(node) ? builderChainMethods(modules, node, APP_METHODS) : [];
  if (chain.length > 0)
    return chain.map((entry) => ({ ...entry, method: entry.method.toLowerCase() as EndpointDraft['method'] }));
  if (typescript.isCallExpression(node)) {
    for (const arg of node.arguments) {
      const found = methodHandlers(modules, arg, depth + 1);
      if (found.length > 0) return found;
    }
    return [];
  }
  if (!typescript.isObjectLiteralExpression(node)) return [];
  const out: Array<{ method: EndpointDraft['method']; at: ts.Node; handler?: ts.FunctionLikeDeclaration }> = [];
  for (const property of node.properties) {
    const name = property.name ? propertyName(property.name)?.toUpperCase() : undefined;
    if (!name || !APP_METHODS.includes(name as (typeof APP_METHODS)[number])) continue;
    const value = typescript.isPropertyAssignment(property)
      ? property.initializer
      : typescript.isShorthandPropertyAssignment(property)
        ? property.name
        : undefined;
    const handler = typescript.isMethodDeclaration(property)
      ? property
      : value
        ? asFunction(modules, value)
        : undefined;
    out.push({ method: name.toLowerCase() as EndpointDraft['method'], at: property, ...(handler ? { handler } : {}) });
  }
  return out;
}

/**
 * Authentication in front of a Next.js route: an auth middleware.ts whose matcher covers it, an auth
 * wrapper, or a check in the handler. Undefined when middleware.ts authenticates with a matcher we cannot read.
 */
export function routeAuth(
  classifier: MiddlewareClassifier,
  route: NextRoute,
  middleware: NextMiddleware | undefined,
): EndpointDraft['auth'] {
  const guards: string[] = [];
  let unknown = false;
  if (middleware) {
    // What middleware.ts does on this route's path: checks a credential, checks none, or archlint cannot tell.
    const guard = middleware.guardOf(
      route.draft.declaredPath,
      route.draft.method === 'all' ? undefined : route.draft.method,
    );
    if (guard === undefined) unknown = true;
    else if (guard) guards.push(guard);
  }
  for (const wrapper of route.wrappers) {
    for (const info of classifier.classify(wrapper)) {
      if (info.kind === 'auth') guards.push(info.label);
      // A wrapper it cannot follow (a value built elsewhere) may be the one that authenticates.
      else if (info.kind === 'unknown') unknown = true;
    }
  }
  const check = route.draft.handler && guards.length === 0 ? classifier.handlerAuth(route.draft.handler) : {};
  if (check.guard) guards.push(check.guard);
  // A handler archlint cannot find (`export const POST = createQueueHandler({ … })`: what a factory builds,
  // maybe a package's own request handler, which checks its callers in code archlint does not read): not known.
  if (!route.draft.handler && route.wrappers.length > 0) unknown = true;
  if (guards.length === 0 && (unknown || check.unknown) && !check.optOut) return undefined;
  return { guards, ...(check.optOut ? { optOut: check.optOut } : {}) };
}

/** The packages a file imports; with `among`, only those, and a file whose text names none of them is not parsed. */
export function importedPackages(file: CodeFile, among?: ReadonlySet<string>): string[] {
  if (among && ![...among].some((name) => file.text.content.includes(name))) return [];
  const out: string[] = [];
  for (const statement of file.tree.statements) {
    if (
      typescript.isImportDeclaration(statement) &&
      typescript.isStringLiteral(statement.moduleSpecifier) &&
      !statement.moduleSpecifier.text.startsWith('.')
    ) {
      out.push(packageName(statement.moduleSpecifier.text));
    }
  }
  return out;
}

/** `req.method === 'POST'`, `switch (req.method) { case 'GET': … }`: the methods the handler tells apart. */
export function checkedMethods(body: ts.Node): string[] {
  const found = new Set<string>();
  const isMethodRead = (node: ts.Node) => typescript.isPropertyAccessExpression(node) && node.name.text === 'method';
  const visit = (node: ts.Node): void => {
    if (isEqualityComparison(node)) {
      const literal = isMethodRead(node.left) ? node.right : isMethodRead(node.right) ? node.left : undefined;
      if (literal && typescript.isStringLiteralLike(literal)) found.add(literal.text.toLowerCase());
    } else if (typescript.isSwitchStatement(node) && isMethodRead(node.expression)) {
      for (const clause of node.caseBlock.clauses)
        if (typescript.isCaseClause(clause) && typescript.isStringLiteralLike(clause.expression))
          found.add(clause.expression.text.toLowerCase());
    }
    typescript.forEachChild(node, visit);
  };
  visit(body);
  return [...found].filter((m) => APP_METHODS.includes(m.toUpperCase() as (typeof APP_METHODS)[number])).sort();
}

function basePathOf(config: CodeFile): string {
  let value = '';
  const visit = (node: ts.Node): void => {
    if (value) return;
    if (
      typescript.isPropertyAssignment(node) &&
      typescript.isIdentifier(node.name) &&
      node.name.text === 'basePath' &&
      typescript.isStringLiteralLike(node.initializer)
    ) {
      value = node.initializer.text;
      return;
    }
    typescript.forEachChild(node, visit);
  };
  visit(config.tree);
  return value;
}

function exact(value: string): StringValue {
  return { value, exact: true };
}
