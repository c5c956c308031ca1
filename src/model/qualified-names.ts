/**
 * The code-analysis layer rules and inputs share: which module a file's top-level names come from
 * (`importBindings`), what package export an expression names (`qualifiedName`, in the spirit of
 * Ruff's `semantic().resolve_qualified_name`), and the expression under the wrappers that do not
 * change a value (`unwrapExpression`). Pure functions over one syntax tree: no type checker, no
 * other files (the routes input resolves across files on top of these).
 */
import type { ts as TypeScript } from 'ts-morph';

/** What a local name of a file is bound to by an import or a `require`. */
export interface ImportBinding {
  /** The module specifier as written: `axios`, `node:https`, `./db`. */
  module: string;
  /**
   * The export it names, inside the module: `[]` the module object itself (`import * as m`),
   * `['default']` its default export (`import m from`, and CommonJS `require('m')`, `import m =
   * require('m')`, `require('m').default`, which interop gives as the default), `['request']` a named
   * export (`import { request }`, `require('m').request`, `const { request } = require('m')`).
   */
  path: readonly string[];
}

/**
 * Local name → binding, for the file's top-level ES imports (default, named, aliased, namespace;
 * type-only ones bind no value and are left out), `import x = require('m')`, and CommonJS
 * `const x = require('m')`, `require('m').default` / `.x`, `const { a: b } = require('m')`.
 * A `require` written otherwise (wrapped, computed, inside a function) binds nothing here.
 */
export function importBindings(
  ts: typeof TypeScript,
  sourceFile: TypeScript.SourceFile,
): ReadonlyMap<string, ImportBinding> {
  const bindings = new Map<string, ImportBinding>();
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.importClause;
      if (!clause || clause.isTypeOnly) continue;
      const module = statement.moduleSpecifier.text;
      if (clause.name) bindings.set(clause.name.text, { module, path: ['default'] });
      const named = clause.namedBindings;
      if (named && ts.isNamespaceImport(named)) bindings.set(named.name.text, { module, path: [] });
      if (named && ts.isNamedImports(named)) {
        for (const element of named.elements) {
          if (element.isTypeOnly) continue;
          bindings.set(element.name.text, { module, path: [(element.propertyName ?? element.name).text] });
        }
      }
    } else if (ts.isImportEqualsDeclaration(statement) && !statement.isTypeOnly) {
      const reference = statement.moduleReference;
      if (ts.isExternalModuleReference(reference) && ts.isStringLiteral(reference.expression))
        bindings.set(statement.name.text, { module: reference.expression.text, path: ['default'] });
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const required = requiredExport(ts, declaration.initializer);
        if (!required) continue;
        if (ts.isIdentifier(declaration.name)) bindings.set(declaration.name.text, required);
        else if (ts.isObjectBindingPattern(declaration.name)) {
          // Destructuring reads properties of the value: of `require('m')` (the default) they are its exports.
          const base = required.path.length === 1 && required.path[0] === 'default' ? [] : required.path;
          for (const element of declaration.name.elements) {
            if (!ts.isIdentifier(element.name) || element.dotDotDotToken) continue;
            const property = element.propertyName ?? element.name;
            if (!ts.isIdentifier(property) && !ts.isStringLiteral(property)) continue;
            bindings.set(element.name.text, { module: required.module, path: [...base, property.text] });
          }
        }
      }
    }
  }
  return bindings;
}

/** `require('m')` → m's default; `require('m').default`, `require('m').x` → that export. */
function requiredExport(ts: typeof TypeScript, init: TypeScript.Expression | undefined): ImportBinding | undefined {
  if (!init) return undefined;
  let property: string | undefined;
  let node = init;
  if (ts.isPropertyAccessExpression(node)) {
    property = node.name.text;
    node = node.expression;
  }
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
    const arg = node.arguments[0];
    if (arg && ts.isStringLiteral(arg)) return { module: arg.text, path: [property ?? 'default'] };
  }
  return undefined;
}

/**
 * The dotted name of the package export an expression stands for: `axios.create(…)`'s callee with
 * `import axios from 'axios'` → `axios.create`; `new PrismaClient()` with `import { PrismaClient }
 * from '@prisma/client'` → `@prisma/client.PrismaClient`; `https.request` with `import * as https
 * from 'node:https'` → `node:https.request` (the specifier as written); `require('m').x` → `m.x`.
 * A default export is named by its module (`import got from 'got'`, `got.default` → `got`), as the
 * routes input names package exports. Undefined when the expression's root name is not bound by an
 * import (a local, a parameter, a global) or it is not a chain of names.
 * Only the file's top-level bindings are known: a local that shadows an import in an inner scope
 * is not seen (see `isShadowed`, which a caller can ask when it matters).
 */
export function qualifiedName(
  ts: typeof TypeScript,
  expression: TypeScript.Expression,
  bindings: ReadonlyMap<string, ImportBinding>,
): string | undefined {
  const members: string[] = [];
  let node = unwrapExpression(ts, expression);
  for (;;) {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
      members.unshift(node.name.text);
      node = unwrapExpression(ts, node.expression);
    } else if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
      members.unshift(node.argumentExpression.text);
      node = unwrapExpression(ts, node.expression);
    } else break;
  }
  let binding: ImportBinding | undefined;
  if (ts.isIdentifier(node)) binding = bindings.get(node.text);
  else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
    const arg = node.arguments[0];
    if (node.arguments.length === 1 && arg && ts.isStringLiteralLike(arg)) binding = { module: arg.text, path: [] };
  }
  if (!binding) return undefined;
  // A default export is its module (interop): `got`, `require('got').default` → `got`.
  const path = [...binding.path, ...members].filter((name) => name !== 'default');
  return [binding.module, ...path].join('.');
}

/**
 * Whether `name` at `node` is declared by something nearer than the file's top level (a parameter,
 * a variable, function or class in an enclosing function or block), so that an import of that name
 * is not what it refers to there.
 */
export function isShadowed(ts: typeof TypeScript, node: TypeScript.Node, name: string): boolean {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isFunctionLike(current)) {
      if (current.parameters.some((p) => declaresName(ts, p.name, name))) return true;
      if (
        !ts.isFunctionDeclaration(current) &&
        current.name &&
        ts.isIdentifier(current.name) &&
        current.name.text === name
      )
        return true;
    }
    if (ts.isBlock(current) || ts.isModuleBlock(current) || ts.isCaseClause(current) || ts.isDefaultClause(current)) {
      for (const statement of current.statements) if (statementDeclares(ts, statement, name)) return true;
    }
    if (
      ts.isCatchClause(current) &&
      current.variableDeclaration &&
      declaresName(ts, current.variableDeclaration.name, name)
    )
      return true;
    if (
      (ts.isForStatement(current) || ts.isForOfStatement(current) || ts.isForInStatement(current)) &&
      current.initializer &&
      ts.isVariableDeclarationList(current.initializer) &&
      current.initializer.declarations.some((d) => declaresName(ts, d.name, name))
    )
      return true;
  }
  return false;
}

function statementDeclares(ts: typeof TypeScript, statement: TypeScript.Statement, name: string): boolean {
  if (ts.isVariableStatement(statement))
    return statement.declarationList.declarations.some((d) => declaresName(ts, d.name, name));
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement))
    return statement.name?.text === name;
  return false;
}

function declaresName(ts: typeof TypeScript, binding: TypeScript.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((element) => !ts.isOmittedExpression(element) && declaresName(ts, element.name, name));
}

/**
 * The expression under what does not change its value: parentheses, `as`, `satisfies`, `!` and
 * `<T>` type assertions — and `await` too when `options.await` is set (the awaited value, for a
 * caller that follows what a promise resolves to).
 */
export function unwrapExpression(
  ts: typeof TypeScript,
  expression: TypeScript.Expression,
  options?: { await?: boolean },
): TypeScript.Expression;
/** Any other node is given back as it is. */
export function unwrapExpression(
  ts: typeof TypeScript,
  node: TypeScript.Node,
  options?: { await?: boolean },
): TypeScript.Node;
export function unwrapExpression(
  ts: typeof TypeScript,
  expression: TypeScript.Node,
  options: { await?: boolean } = {},
): TypeScript.Node {
  let node = expression;
  while (isValueWrapper(ts, node, options)) node = node.expression;
  return node;
}

/**
 * Whether `node` is one of the wrappers `unwrapExpression` strips (for a caller that climbs from an
 * expression to its parents through them).
 */
export function isValueWrapper(
  ts: typeof TypeScript,
  node: TypeScript.Node,
  options: { await?: boolean } = {},
): node is
  | TypeScript.ParenthesizedExpression
  | TypeScript.AsExpression
  | TypeScript.SatisfiesExpression
  | TypeScript.NonNullExpression
  | TypeScript.TypeAssertion
  | TypeScript.AwaitExpression {
  return (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isTypeAssertionExpression(node) ||
    (options.await === true && ts.isAwaitExpression(node))
  );
}
