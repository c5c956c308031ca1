/**
 * Next.js: file-system routes. `app/**\/route.ts` exporting GET/POST/…, `pages/api/**` default
 * exports (methods from `req.method` checks where visible), route groups `(x)`, parallel `@x` and
 * private `_x` folders, dynamic `[id]` / `[...slug]` / `[[...slug]]` segments, `basePath` from next.config.
 */
import { posix } from 'node:path';
import { ts } from 'ts-morph';
import type { Service } from '../../model/http.js';
import type { CodeFile } from '../code/index.js';
import type { EndpointDraft } from './graph.js';
import type { Modules } from './modules.js';
import { joinPaths } from './paths.js';
import { origin } from './routers.js';
import { unwrap, type StringValue } from './values.js';

const APP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const CONFIG = /(^|\/)next\.config\.(js|mjs|cjs|ts|mts)$/;

export interface NextResult {
  services: Service[];
  drafts: EndpointDraft[];
}

export function extractNext(modules: Modules, files: readonly CodeFile[], packageJsons: Array<{ path: string; content: string }>): NextResult {
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
    const own: EndpointDraft[] = [];
    const serviceId = `${config?.path ?? (root === '.' ? 'package.json' : `${root}/package.json`)}#nextjs`;
    for (const file of files) {
      if (taken.has(file)) continue;
      const rel = root === '.' ? file.path : file.path.startsWith(`${root}/`) ? file.path.slice(root.length + 1) : undefined;
      if (rel === undefined) continue;
      const app = /^(?:src\/)?app\/(?:(.*)\/)?route\.[cm]?[jt]sx?$/.exec(rel);
      const pages = /^(?:src\/)?pages\/(api(?:\/.*)?)\.[cm]?[jt]sx?$/.exec(rel);
      if (app) {
        const segments = routeSegments(app[1] ?? '');
        if (segments === undefined) continue;
        taken.add(file);
        own.push(...appRoute(modules, file, joinPaths(basePath, ...segments), joinPaths(...segments), serviceId));
      } else if (pages) {
        const segments = routeSegments(pages[1]!.replace(/(^|\/)index$/, ''));
        if (segments === undefined) continue;
        taken.add(file);
        own.push(...pagesRoute(modules, file, joinPaths(basePath, ...segments), joinPaths(...segments), serviceId));
      }
    }
    if (own.length === 0 && !config) continue;
    drafts.push(...own);
    const at = config ?? own[0]?.file;
    if (!at) continue;
    services.push({
      id: serviceId,
      name: posix.basename(root === '.' ? process.cwd() : root),
      source: 'typescript',
      origin: { file: at.path },
      framework: 'nextjs',
      healthModules: [],
      metricsModules: [],
    });
  }
  return { services, drafts };
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

function appRoute(modules: Modules, file: CodeFile, path: string, declaredPath: string, serviceId: string): EndpointDraft[] {
  const out: EndpointDraft[] = [];
  for (const name of APP_METHODS) {
    const binding = modules.exportOf(file, name);
    if (!binding) continue;
    const handler = binding.kind === 'function' ? binding.node : binding.kind === 'value' ? asFunction(binding.node) : undefined;
    const at = binding.kind === 'function' || binding.kind === 'value' ? binding.node : file.sourceFile.compilerNode;
    out.push({
      serviceId,
      framework: 'nextjs',
      method: name.toLowerCase() as EndpointDraft['method'],
      path: exact(path),
      declaredPath,
      origin: origin(binding.kind === 'function' || binding.kind === 'value' ? binding.file : file, declarationOf(at)),
      file,
      ...(handler ? { handler } : {}),
      confidence: 'high',
    });
  }
  return out;
}

function pagesRoute(modules: Modules, file: CodeFile, path: string, declaredPath: string, serviceId: string): EndpointDraft[] {
  const binding = modules.exportOf(file, 'default');
  const handler = binding?.kind === 'function' ? binding.node : binding?.kind === 'value' ? asFunction(binding.node) : undefined;
  if (!handler) return [];
  const methods = handler.body ? checkedMethods(handler.body) : [];
  const base = { serviceId, framework: 'nextjs' as const, path: exact(path), declaredPath, origin: origin(file, declarationOf(handler)), file, handler, confidence: 'high' as const };
  if (methods.length === 0) return [{ ...base, method: 'all' }];
  return methods.map((method) => ({ ...base, method: method as EndpointDraft['method'] }));
}

/** `req.method === 'POST'`, `switch (req.method) { case 'GET': … }`: the methods the handler tells apart. */
function checkedMethods(body: ts.Node): string[] {
  const found = new Set<string>();
  const isMethodRead = (node: ts.Node) => ts.isPropertyAccessExpression(node) && node.name.text === 'method';
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(node.operatorToken.kind)) {
      const literal = isMethodRead(node.left) ? node.right : isMethodRead(node.right) ? node.left : undefined;
      if (literal && ts.isStringLiteralLike(literal)) found.add(literal.text.toLowerCase());
    } else if (ts.isSwitchStatement(node) && isMethodRead(node.expression)) {
      for (const clause of node.caseBlock.clauses) if (ts.isCaseClause(clause) && ts.isStringLiteralLike(clause.expression)) found.add(clause.expression.text.toLowerCase());
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return [...found].filter((m) => APP_METHODS.includes(m.toUpperCase() as (typeof APP_METHODS)[number])).sort();
}

function basePathOf(config: CodeFile): string {
  let value = '';
  const visit = (node: ts.Node): void => {
    if (value) return;
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'basePath' && ts.isStringLiteralLike(node.initializer)) {
      value = node.initializer.text;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(config.sourceFile.compilerNode);
  return value;
}

function asFunction(expression: ts.Expression): ts.FunctionLikeDeclaration | undefined {
  let node = unwrap(expression);
  // withAuth(async (req) => …): the handler inside a wrapper.
  while (ts.isCallExpression(node)) {
    const inner = node.arguments.find((a) => ts.isArrowFunction(unwrap(a)) || ts.isFunctionExpression(unwrap(a)));
    if (!inner) return undefined;
    node = unwrap(inner);
  }
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node) ? node : undefined;
}

/** Point at the declaration (`export async function GET`), not at the whole body. */
function declarationOf(node: ts.Node): ts.Node {
  if (ts.isFunctionDeclaration(node) && node.name) return node.name;
  let current = node;
  while (current.parent && !ts.isVariableDeclaration(current) && !ts.isSourceFile(current.parent)) current = current.parent;
  return ts.isVariableDeclaration(current) ? current.name : node;
}

function exact(value: string): StringValue {
  return { value, exact: true };
}
