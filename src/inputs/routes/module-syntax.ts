/**
 * Syntax helpers of name resolution: which nodes open a scope or declare a name, and how an import,
 * a `require`, a CommonJS export or a destructured binding is written.
 */
import type { ts } from 'ts-morph';
import { loadTsMorph } from '../code/ts-morph.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTsMorph().ts;

export type Declaration =
  | ts.VariableDeclaration
  | ts.BindingElement
  | ts.ParameterDeclaration
  | ts.FunctionDeclaration
  | ts.ClassDeclaration
  | ts.EnumDeclaration
  | ts.ImportClause
  | ts.ImportSpecifier
  | ts.NamespaceImport
  | ts.ImportEqualsDeclaration;

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

export function isDeclaration(node: ts.Node): node is Declaration {
  return (
    typescript.isVariableDeclaration(node) ||
    typescript.isBindingElement(node) ||
    typescript.isParameter(node) ||
    typescript.isFunctionDeclaration(node) ||
    typescript.isClassDeclaration(node) ||
    typescript.isEnumDeclaration(node) ||
    typescript.isImportClause(node) ||
    typescript.isImportSpecifier(node) ||
    typescript.isNamespaceImport(node) ||
    typescript.isImportEqualsDeclaration(node)
  );
}

export function hasExport(node: ts.HasModifiers): boolean {
  return node.modifiers?.some((m) => m.kind === typescript.SyntaxKind.ExportKeyword) ?? false;
}

/** The import's module specifier; '' when error recovery left none (`import { App './app';`). */
export function moduleText(declaration: ts.ImportDeclaration | ts.JSDocImportTag): string {
  const specifier = declaration.moduleSpecifier;
  return typescript.isStringLiteral(specifier) ? specifier.text : '';
}

export function isModuleExports(node: ts.Node): boolean {
  return (
    typescript.isPropertyAccessExpression(node) &&
    typescript.isIdentifier(node.expression) &&
    node.expression.text === 'module' &&
    node.name.text === 'exports'
  );
}

/** `require('x')`, `require('x').default`, `await import('x')`: the specifier. */
export function requireSpecifier(expression: ts.Expression): string | undefined {
  let node = expression;
  while (typescript.isAwaitExpression(node) || typescript.isParenthesizedExpression(node)) node = node.expression;
  if (typescript.isPropertyAccessExpression(node) && node.name.text === 'default') node = node.expression;
  while (typescript.isAwaitExpression(node) || typescript.isParenthesizedExpression(node)) node = node.expression;
  if (!typescript.isCallExpression(node) || node.arguments.length !== 1) return undefined;
  const arg = node.arguments[0]!;
  const isRequire = typescript.isIdentifier(node.expression) && node.expression.text === 'require';
  const isImport = node.expression.kind === typescript.SyntaxKind.ImportKeyword;
  if ((isRequire || isImport) && typescript.isStringLiteralLike(arg)) return arg.text;
  return undefined;
}

/** `await import('x')` without `.default` is the module namespace. */
export function requireIsNamespace(expression: ts.Expression): boolean {
  let node = expression;
  while (typescript.isAwaitExpression(node) || typescript.isParenthesizedExpression(node)) node = node.expression;
  return typescript.isCallExpression(node) && node.expression.kind === typescript.SyntaxKind.ImportKeyword;
}

export function rootDeclaration(element: ts.BindingElement): ts.VariableDeclaration | undefined {
  let node: ts.Node = element;
  while (
    typescript.isBindingElement(node) ||
    typescript.isObjectBindingPattern(node) ||
    typescript.isArrayBindingPattern(node)
  )
    node = node.parent;
  return typescript.isVariableDeclaration(node) ? node : undefined;
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
