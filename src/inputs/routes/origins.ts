/**
 * Where things are and what they are called: the origin of a registration or creation, and the
 * name a router or function is known by (its variable, property or parameter).
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { Origin } from '../../model/finding.js';
import type { CodeFile } from '../code/index.js';
import { unwrap } from './values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

export function origin(file: CodeFile, node: ts.Node): Origin {
  // In a chain (`new Hono().get(…).post(…)`) each registration starts at its own method name.
  const start =
    typescript.isCallExpression(node) &&
    typescript.isPropertyAccessExpression(node.expression) &&
    isCallLike(unwrap(node.expression.expression))
      ? node.expression.name.getStart()
      : node.getStart();
  return { file: file.path, range: { start, end: node.getEnd() } };
}

export function lineOf(file: CodeFile, node: ts.Node): number {
  return file.text.positionAt(node.getStart()).line;
}

/** The variable or property a creation expression is assigned to, through chains (`new Hono().basePath()`). */
export function variableName(node: ts.Node): string | undefined {
  let current: ts.Node = node;
  while (
    current.parent &&
    (typescript.isParenthesizedExpression(current.parent) ||
      typescript.isAwaitExpression(current.parent) ||
      typescript.isAsExpression(current.parent) ||
      (typescript.isPropertyAccessExpression(current.parent) && current.parent.expression === current) ||
      (typescript.isCallExpression(current.parent) && current.parent.expression === current) ||
      // `const server = new (class extends Server { … })()`
      (typescript.isNewExpression(current.parent) && current.parent.expression === current))
  ) {
    current = current.parent;
  }
  const parent = current.parent;
  if (
    parent &&
    (typescript.isVariableDeclaration(parent) ||
      typescript.isPropertyDeclaration(parent) ||
      typescript.isPropertyAssignment(parent)) &&
    typescript.isIdentifier(parent.name)
  ) {
    return parent.name.text;
  }
  if (parent && typescript.isBinaryExpression(parent) && typescript.isPropertyAccessExpression(parent.left))
    return parent.left.name.text;
  if (parent && typescript.isBinaryExpression(parent) && typescript.isIdentifier(parent.left)) return parent.left.text;
  if (typescript.isParameter(node) && typescript.isIdentifier(node.name)) return node.name.text;
  if (typescript.isClassDeclaration(node) && node.name) return node.name.text;
  return undefined;
}

/** The name a function is known by: its own, or the variable it (or a wrapper call around it) is assigned to. */
export function functionHolder(fn: ts.FunctionLikeDeclaration): { name?: string } {
  if ((typescript.isFunctionDeclaration(fn) || typescript.isFunctionExpression(fn)) && fn.name)
    return { name: fn.name.text };
  let current: ts.Node = fn;
  while (
    current.parent &&
    (typescript.isCallExpression(current.parent) ||
      typescript.isParenthesizedExpression(current.parent) ||
      typescript.isAsExpression(current.parent))
  ) {
    current = current.parent;
  }
  const parent = current.parent;
  if (parent && typescript.isVariableDeclaration(parent) && typescript.isIdentifier(parent.name))
    return { name: parent.name.text };
  if (typescript.isMethodDeclaration(fn) && typescript.isIdentifier(fn.name)) return { name: fn.name.text };
  return {};
}

function isCallLike(node: ts.Node): boolean {
  return typescript.isCallExpression(node) || typescript.isNewExpression(node);
}
