/**
 * Which apps are served: handed to a server (`serve({ fetch: app.fetch })`, `handle(app)` of an adapter
 * module for Next.js) or exported by default from an entry file. Split from graph-builder.ts.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { CodeFile } from '../code/index.js';
import type { GraphContext } from './frameworks/adapter.js';
import { NEXT_HANDLER_MODULES } from './frameworks/index.js';
import type { RouterNode } from './graph.js';
import { findProperty, unwrap } from './values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** A function imported from an adapter module that turns an app into a Next.js route handler (`handle` from hono/vercel). */
export function isNextAdapter(graph: GraphContext, callee: ts.Expression): boolean {
  const node = unwrap(callee);
  if (!typescript.isIdentifier(node)) return false;
  const binding = graph.modules.lookup(node);
  return binding?.kind === 'external' && NEXT_HANDLER_MODULES.has(binding.module);
}

/** Node's servers, called on their module (`http.createServer(app)`, `https.createServer(options, app)`). */
export const NODE_SERVERS = ['createServer', 'createSecureServer'];

/** `serve({ fetch: app.fetch })`, `handle(app)`: the apps an argument serves. */
export function servedThrough(graph: GraphContext, arg: ts.Expression): RouterNode[] {
  const node = unwrap(arg);
  if (typescript.isObjectLiteralExpression(node)) {
    const fetch = findProperty(node, 'fetch');
    return fetch && typescript.isPropertyAccessExpression(unwrap(fetch))
      ? graph.targets((unwrap(fetch) as ts.PropertyAccessExpression).expression)
      : [];
  }
  return graph.targets(node);
}

export function defaultExportServed(graph: GraphContext, file: CodeFile): void {
  const binding = graph.modules.exportOf(file, 'default');
  if (binding?.kind !== 'value') return;
  const value = unwrap(binding.node);
  if (typescript.isObjectLiteralExpression(value)) {
    for (const node of servedThrough(graph, value)) node.served = true;
    return;
  }
  // `export default app` of an entry file; a sub-router exported by default is mounted elsewhere.
  for (const node of graph.targets(value)) if (node.role === 'app') node.served = true;
}
