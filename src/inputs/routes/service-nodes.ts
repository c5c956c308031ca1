/**
 * Which router-graph nodes are services: deployable root apps, not test harnesses, scripts, mounted apps, repeated
 * builds of one app, or apps handed to a Next.js route handler.
 */
import { posix } from 'node:path';
import type { ts } from 'ts-morph';
import { isTestPath } from '../../model/test-paths.js';
import { loadTypeScript } from '../code/ts-morph.js';
import { adapterOf } from './frameworks/index.js';
import type { NextResult } from './frameworks/next-routes.js';
import type { RouterNode } from './graph.js';
import type { Modules } from './modules.js';
import type { CodeFile } from '../code/index.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const tsApi = loadTypeScript();

/**
 * Apps handed to a Next.js route handler: those the route files export through `handle(app)` / `app.fetch`,
 * and apps passed to Hono's Vercel/Next.js adapter elsewhere (`return { handler: handle(app) }` in a helper)
 * inside a Next.js app's folder — the adapter only runs inside one.
 */
export function handedToNext(nodes: readonly RouterNode[], next: NextResult): Map<RouterNode, string> {
  const handed = new Map<RouterNode, string>();
  // `new Hono().basePath('/api/x')` is handed on: the app it derives from is the one walked as a root.
  for (const [node, serviceId] of next.handed)
    for (let n: RouterNode | undefined = node; n; n = n.derivedFrom) handed.set(n, serviceId);
  const roots = next.services
    .map((s) => ({ id: s.id, dir: posix.dirname(s.id.slice(0, s.id.lastIndexOf('#'))) }))
    .sort((a, b) => b.dir.length - a.dir.length);
  for (const node of nodes) {
    if (!node.handedToNext || handed.has(node)) continue;
    const root = roots.find((r) => r.dir === '.' || node.file.path.startsWith(`${r.dir}/`));
    if (root)
      for (let n: RouterNode | undefined = node; n; n = n.derivedFrom) if (!handed.has(n)) handed.set(n, root.id);
  }
  return handed;
}

/**
 * Built by a function (`runServer()`, `buildTestApp()`), not at module level: a harness builds a fresh app per
 * test run. An app made at the top of an entry file (`export default app` run by a platform) may have only tests
 * for importers and still be what is deployed.
 */
export function createdInFunction(creation: ts.Node): boolean {
  for (let node: ts.Node | undefined = creation.parent; node; node = node.parent)
    if (tsApi.isFunctionLike(node)) return true;
  return false;
}

/** A file that test files import and nothing else does: test support, whatever its name. */
export function usedOnlyByTests(modules: Modules, path: string): boolean {
  const reexporters = modules.reexportersOf(path).map((f) => f.path);
  if (!reexporters.every(isTestPath)) return false;
  // The importers by their text, those that are not tests first: a test file is parsed only when no other file
  // imports the module, and only until one binds a name from it (issue 22: test files of 30–130 KB each parsed
  // to learn what one non-test importer already said).
  const candidates = modules.imports.mayImport(path);
  const binds = (file: CodeFile) => modules.imports.bindingsIn(file, path).length > 0;
  if (candidates.some((file) => !isTestPath(file.path) && binds(file))) return false;
  return reexporters.length > 0 || candidates.some((file) => isTestPath(file.path) && binds(file));
}

/**
 * One application instance = one service. Express/Koa/Fastify/Nest app factories are services
 * unless mounted into another app; an app that is also a router (`new Hono()`) counts only when
 * it is served (`export default app`, `serve({ fetch: app.fetch })`, `app.listen`) or mounts others.
 */
export function isService(node: RouterNode): boolean {
  if (node.role !== 'app' || node.mounted || node.derivedFrom) return false;
  if (node.closed && !node.served) return false;
  // An app built by a script (`scripts/export-docs.ts` building the app to print its description) is not deployed.
  if (!node.served && /(^|\/)(scripts|tools)\//.test(node.file.path)) return false;
  if (!adapterOf(node.framework).appIsRouter) return true;
  const family = [...reachable(node)].filter((n) => n === node || n.derivedFrom);
  return family.some((n) => n.served || n.mounts.some((m) => !m.child.derivedFrom));
}

/**
 * Seen being served: the app itself, or the same application under another base path (`new Hono().basePath('/api')`
 * handed to `serve`) — `listen`, a server or adapter given it, the default export of an entry.
 */
export function seenServed(node: RouterNode): boolean {
  return [...reachable(node)].some((n) => (n === node || n.derivedFrom) && n.served);
}

/**
 * The same app built twice (a server entry point and a worker entry point both calling `build()`)
 * is one service: instances of one factory that add nothing of their own are kept once (the first
 * by id), and their routes are listed once. An instance that adds routes or mounts stays a service.
 */
export function oneServicePerBuild(nodes: RouterNode[]): { services: RouterNode[]; repeats: Set<RouterNode> } {
  const firstByFactory = new Map<RouterNode, RouterNode>();
  const repeats = new Set<RouterNode>();
  for (const node of [...nodes].sort((a, b) => compare(a.id, b.id))) {
    const template = node.instanceOf;
    if (!template || node.routes.length > 0 || node.mounts.length !== 1) continue;
    if (firstByFactory.has(template)) repeats.add(node);
    else firstByFactory.set(template, node);
  }
  return { services: nodes.filter((n) => !repeats.has(n)), repeats };
}

export function reachable(root: RouterNode): Set<RouterNode> {
  const seen = new Set<RouterNode>();
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const mount of node.mounts) stack.push(mount.child);
  }
  return seen;
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
