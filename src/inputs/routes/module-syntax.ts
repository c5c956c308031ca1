/**
 * Syntax helpers of name resolution the code-analysis layer (src/model/qualified-names.ts,
 * src/model/module-exports.ts) leaves to the routes input: which nodes open a scope, a `require` handed
 * on whole, the elements of a rest parameter.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import { requiredBinding } from '../../model/qualified-names.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

export type { Declaration } from '../../model/module-exports.js';

export function isScope(node: ts.Node): boolean {
  return (
    typescript.isSourceFile(node) ||
    typescript.isBlock(node) ||
    typescript.isModuleBlock(node) ||
    typescript.isFunctionLike(node) ||
    typescript.isCatchClause(node) ||
    typescript.isCaseClause(node) ||
    typescript.isDefaultClause(node) ||
    typescript.isForStatement(node) ||
    typescript.isForOfStatement(node) ||
    typescript.isForInStatement(node)
  );
}

/** `require('x')`, `require('x').default`, `await import('x')`: the specifier (the module handed on whole). */
export function requireSpecifier(expression: ts.Expression): string | undefined {
  const binding = requiredBinding(typescript, expression);
  return binding && (binding.path.length === 0 || binding.path[0] === 'default') ? binding.module : undefined;
}

/** An element of an array pattern on a rest parameter (`...[router, tenant]`), and the argument index it stands for. */
export function restParameterOf(
  element: ts.BindingElement,
): { parameter: ts.ParameterDeclaration; index: number } | undefined {
  const pattern = element.parent;
  if (!typescript.isArrayBindingPattern(pattern)) return undefined;
  const parameter = pattern.parent;
  if (!typescript.isParameter(parameter) || !parameter.dotDotDotToken) return undefined;
  const position = parameter.parent.parameters.indexOf(parameter);
  return { parameter, index: position + pattern.elements.indexOf(element) };
}

/**
 * An element of an object pattern: the declaration it destructures (a parameter, a variable) and the
 * property path read from it (`{ app }: Context` → ['app'], `{ deps: { app } }` → ['deps', 'app']).
 */
export function destructuredFrom(
  element: ts.BindingElement,
): { root: ts.ParameterDeclaration | ts.VariableDeclaration; path: string[] } | undefined {
  const path: string[] = [];
  let node: ts.Node = element;
  while (typescript.isBindingElement(node)) {
    if (node.dotDotDotToken || !typescript.isObjectBindingPattern(node.parent)) return undefined;
    const name = bindingElementName(node);
    if (name === undefined) return undefined;
    path.unshift(name);
    node = node.parent.parent;
  }
  return typescript.isParameter(node) || typescript.isVariableDeclaration(node) ? { root: node, path } : undefined;
}

export function bindingElementName(element: ts.BindingElement): string | undefined {
  const property = element.propertyName ?? element.name;
  return typescript.isIdentifier(property) || typescript.isStringLiteral(property) ? property.text : undefined;
}
