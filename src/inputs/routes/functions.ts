/** Small questions about functions that both the route graph and the handler facts ask. */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';

const typescript = loadTypeScript();

/** Expressions a function returns (arrow expression bodies included). */
export function returnedExpressions(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  const body = fn.body;
  if (!body) return [];
  if (!typescript.isBlock(body)) return [body];
  const out: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (typescript.isReturnStatement(node)) {
      if (node.expression) out.push(node.expression);
      return;
    }
    if (typescript.isFunctionLike(node) || typescript.isClassLike(node)) return;
    typescript.forEachChild(node, visit);
  };
  visit(body);
  return out;
}
