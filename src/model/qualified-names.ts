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
   * The export it names, inside the module: `[]` the module object itself (`import * as m`,
   * `await import('m')`), `['default']` its default export (`import m from`, and CommonJS
   * `require('m')`, `import m = require('m')`, `require('m').default`, which interop gives as the
   * default), `['request']` a named export (`import { request }`, `require('m').request`,
   * `const { request } = require('m')`), `['a', 'b']` a property of one (`const { a: { b } } = …`).
   */
  path: readonly string[];
  /**
   * Set for a CommonJS `require('m')` (or its `.default`): when m is a module of the project with no
   * default export, what `require` returns is the module object (`exports.a = …` filled in).
   */
  interop?: true;
}

/**
 * Local name → binding, for the file's top-level ES imports (default, named, aliased, namespace;
 * type-only ones bind no value and are left out), `import x = require('m')`, and CommonJS
 * `const x = require('m')`, `require('m').default` / `.x`, `const { a: b } = require('m')`,
 * `await import('m')`. A `require` written otherwise (wrapped, computed, inside a function) binds
 * nothing here. Each binding is `importBindingOf` its declaration.
 */
export function importBindings(
  ts: typeof TypeScript,
  sourceFile: TypeScript.SourceFile,
): ReadonlyMap<string, ImportBinding> {
  const bindings = new Map<string, ImportBinding>();
  const add = (name: TypeScript.BindingName, declaration: TypeScript.Node) => {
    if (ts.isIdentifier(name)) {
      const binding = importBindingOf(ts, declaration);
      if (binding) bindings.set(name.text, binding);
    } else if (ts.isObjectBindingPattern(name)) {
      for (const element of name.elements) add(element.name, element);
    }
  };
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (!clause || clause.isTypeOnly) continue;
      if (clause.name) add(clause.name, clause);
      const named = clause.namedBindings;
      if (named && ts.isNamespaceImport(named)) add(named.name, named);
      if (named && ts.isNamedImports(named))
        for (const element of named.elements) if (!element.isTypeOnly) add(element.name, element);
    } else if (ts.isImportEqualsDeclaration(statement) && !statement.isTypeOnly) {
      add(statement.name, statement);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) add(declaration.name, declaration);
    }
  }
  return bindings;
}

/**
 * The binding one declaration makes when it names a module's export, wherever it stands (the local
 * step of name resolution, shared by `importBindings` and the routes input's scope-aware lookup): an
 * import clause, specifier or namespace import, `import x = require('m')`, a variable given
 * `require('m')` / `require('m').x` / `await import('m')`, or an element destructured from one.
 */
export function importBindingOf(ts: typeof TypeScript, declaration: TypeScript.Node): ImportBinding | undefined {
  if (ts.isImportClause(declaration)) {
    const module = specifierText(ts, declaration.parent.moduleSpecifier);
    return module === undefined ? undefined : { module, path: ['default'] };
  }
  if (ts.isImportSpecifier(declaration)) {
    const module = specifierText(ts, declaration.parent.parent.parent.moduleSpecifier);
    return module === undefined ? undefined : { module, path: [(declaration.propertyName ?? declaration.name).text] };
  }
  if (ts.isNamespaceImport(declaration)) {
    const module = specifierText(ts, declaration.parent.parent.moduleSpecifier);
    return module === undefined ? undefined : { module, path: [] };
  }
  if (ts.isImportEqualsDeclaration(declaration)) {
    const reference = declaration.moduleReference;
    if (ts.isExternalModuleReference(reference) && ts.isStringLiteral(reference.expression))
      return { module: reference.expression.text, path: ['default'] };
    return undefined;
  }
  if (ts.isVariableDeclaration(declaration)) return requiredBinding(ts, declaration.initializer);
  if (ts.isBindingElement(declaration)) {
    // Destructuring reads properties of the value: of `require('m')` (the default) they are its exports.
    const properties: string[] = [];
    let node: TypeScript.Node = declaration;
    while (ts.isBindingElement(node)) {
      if (node.dotDotDotToken || !ts.isObjectBindingPattern(node.parent)) return undefined;
      const property = node.propertyName ?? node.name;
      if (!ts.isIdentifier(property) && !ts.isStringLiteral(property)) return undefined;
      properties.unshift(property.text);
      node = node.parent.parent;
    }
    if (!ts.isVariableDeclaration(node)) return undefined;
    const required = requiredBinding(ts, node.initializer);
    if (!required) return undefined;
    const base = required.path.length === 1 && required.path[0] === 'default' ? [] : required.path;
    return { module: required.module, path: [...base, ...properties] };
  }
  return undefined;
}

function specifierText(ts: typeof TypeScript, specifier: TypeScript.Expression): string | undefined {
  return ts.isStringLiteral(specifier) ? specifier.text : undefined;
}

/**
 * What a `require` or a dynamic `import` expression binds: `require('m')`, `require('m').default` →
 * m's default (interop); `require('m').x` → that export; `await import('m')` → the module object,
 * `(await import('m')).default` its default. Parentheses and `await` around either are skipped.
 */
export function requiredBinding(
  ts: typeof TypeScript,
  init: TypeScript.Expression | undefined,
): ImportBinding | undefined {
  if (!init) return undefined;
  let property: string | undefined;
  let node = unwrapExpression(ts, init, { await: true });
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
    property = node.name.text;
    node = unwrapExpression(ts, node.expression, { await: true });
  }
  if (!ts.isCallExpression(node) || node.arguments.length !== 1) return undefined;
  const arg = node.arguments[0]!;
  if (!ts.isStringLiteralLike(arg)) return undefined;
  if (ts.isIdentifier(node.expression) && node.expression.text === 'require') {
    if (property === undefined || property === 'default') return { module: arg.text, path: ['default'], interop: true };
    return { module: arg.text, path: [property] };
  }
  if (node.expression.kind === ts.SyntaxKind.ImportKeyword) {
    if (property === undefined) return { module: arg.text, path: [] };
    if (property === 'default') return { module: arg.text, path: ['default'], interop: true };
    return { module: arg.text, path: [property] };
  }
  return undefined;
}

/** The package export an expression names, as its module and the names below it (`default` left out). */
export interface QualifiedRef {
  module: string;
  path: readonly string[];
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
  const ref = qualifiedRef(ts, expression, (root) => bindings.get(root.text));
  return ref ? qualifiedNameOf(ref) : undefined;
}

/**
 * The dotted name of what a binding or a reference names, as `qualifiedName` writes it: `axios`
 * (a default or namespace import of axios), `undici.request`, `@prisma/client.PrismaClient`.
 */
export function qualifiedNameOf(ref: QualifiedRef | ImportBinding): string {
  return [ref.module, ...ref.path.filter((name) => name !== 'default')].join('.');
}

/**
 * `qualifiedName` as a module and a path, with the root name resolved by the caller: from a file's
 * `importBindings` (what rules do), or scope-aware and across files (the routes input, whose
 * `resolveRoot` follows `const` values and re-exports to the package). The chain of property and
 * string-keyed element accesses above the root is walked here, the wrappers of `unwrapExpression`
 * skipped at each step (`await` too when `options.await` is set); `require('m')` as the root is m.
 */
export function qualifiedRef(
  ts: typeof TypeScript,
  expression: TypeScript.Expression,
  resolveRoot: (root: TypeScript.Identifier) => QualifiedRef | undefined,
  options?: { await?: boolean },
): QualifiedRef | undefined {
  const members: string[] = [];
  let node = unwrapExpression(ts, expression, options);
  for (;;) {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
      members.unshift(node.name.text);
      node = unwrapExpression(ts, node.expression, options);
    } else if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
      members.unshift(node.argumentExpression.text);
      node = unwrapExpression(ts, node.expression, options);
    } else break;
  }
  let root: QualifiedRef | undefined;
  if (ts.isIdentifier(node)) root = resolveRoot(node);
  else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
    const arg = node.arguments[0];
    if (node.arguments.length === 1 && arg && ts.isStringLiteralLike(arg)) root = { module: arg.text, path: [] };
  }
  if (!root) return undefined;
  // A default export is its module (interop): `got`, `require('got').default` → `got`.
  const path = [...root.path, ...members].filter((name) => name !== 'default');
  return { module: root.module, path };
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
 * The name a call is made by: `save` in `save(x)` and in `repo.save(x)`; undefined for a computed or called callee
 * (`handlers[i](x)`, `make()(x)`).
 */
export function calleeName(ts: typeof TypeScript, call: TypeScript.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
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
