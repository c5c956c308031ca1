/**
 * Which project function a call runs, without a type checker: `helper(req)`, `utils.helper(req)`
 * (a namespace import or an object of functions), `service.list(…)` where `service` is an object
 * literal or a module's default export of one. Class instances and `this.x.y()` are not followed:
 * a name alone does not say which class is behind them.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { Binding, Modules } from './modules.js';
import { findProperty, unwrap } from './values.js';

const typescript = loadTypeScript();

export function calledFunction(call: ts.CallExpression, modules: Modules): ts.FunctionLikeDeclaration | undefined {
  const callee = unwrap(call.expression);
  if (typescript.isIdentifier(callee)) return functionOf(modules.lookup(callee), modules, 0);
  if (typescript.isPropertyAccessExpression(callee) && typescript.isIdentifier(callee.expression)) {
    return memberFunction(modules.lookup(callee.expression), callee.name.text, modules, 0);
  }
  return undefined;
}

function functionOf(
  binding: Binding | undefined,
  modules: Modules,
  depth: number,
): ts.FunctionLikeDeclaration | undefined {
  if (!binding || depth > 4) return undefined;
  if (binding.kind === 'function') return binding.node;
  if (binding.kind !== 'value') return undefined;
  const node = unwrap(binding.node);
  if (typescript.isArrowFunction(node) || typescript.isFunctionExpression(node)) return node;
  if (typescript.isIdentifier(node)) return functionOf(modules.lookup(node), modules, depth + 1);
  return undefined;
}

/** `object.name` where `object` is a module or an object literal (`export default { list, get }`). */
function memberFunction(
  binding: Binding | undefined,
  name: string,
  modules: Modules,
  depth: number,
): ts.FunctionLikeDeclaration | undefined {
  if (!binding || depth > 4) return undefined;
  if (binding.kind === 'module') return functionOf(modules.exportOf(binding.file, name), modules, depth + 1);
  if (binding.kind !== 'value') return undefined;
  const node = unwrap(binding.node);
  if (typescript.isIdentifier(node)) return memberFunction(modules.lookup(node), name, modules, depth + 1);
  if (!typescript.isObjectLiteralExpression(node)) return undefined;
  for (const property of node.properties) {
    if (typescript.isMethodDeclaration(property) && property.name.getText() === name) return property;
    if (typescript.isShorthandPropertyAssignment(property) && property.name.text === name)
      return functionOf(modules.lookup(property.name), modules, depth + 1);
  }
  const value = findProperty(node, name);
  if (!value) return undefined;
  const inner = unwrap(value);
  if (typescript.isArrowFunction(inner) || typescript.isFunctionExpression(inner)) return inner;
  return typescript.isIdentifier(inner) ? functionOf(modules.lookup(inner), modules, depth + 1) : undefined;
}
