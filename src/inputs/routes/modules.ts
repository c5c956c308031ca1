/**
 * Name resolution without a type checker: which declaration an identifier refers to, in its own
 * file (lexical scopes) or in another one (ES imports, CommonJS require/module.exports, re-exports,
 * tsconfig path aliases). Enough to follow a router from where it is created to where it is mounted.
 */
import { posix } from 'node:path';
import type { ts } from 'ts-morph';
import { loadTsMorph } from '../code/ts-morph.js';
import type { CodeFile, CodeModel } from '../code/index.js';
import { ImportIndex, type Importer } from './importers.js';
import {
  bindingElementName,
  destructuredFrom,
  type Declaration,
  hasExport,
  isDeclaration,
  isModuleExports,
  isScope,
  moduleText,
  requireIsNamespace,
  requireSpecifier,
  restParameterOf,
  rootDeclaration,
} from './module-syntax.js';
import { aliasCandidates, type PathAliases } from './tsconfig.js';

export { requireSpecifier } from './module-syntax.js';
import { workspaceCandidates, type WorkspacePackage } from './workspaces.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTsMorph().ts;

/** What a name stands for. */
export type Binding =
  /** A value: a variable's initializer, `export default <expr>`, `module.exports = <expr>`. */
  | { kind: 'value'; file: CodeFile; node: ts.Expression }
  | { kind: 'function'; file: CodeFile; node: ts.FunctionLikeDeclaration }
  | { kind: 'class'; file: CodeFile; node: ts.ClassLikeDeclaration }
  | { kind: 'enum'; file: CodeFile; node: ts.EnumDeclaration }
  | { kind: 'param'; file: CodeFile; node: ts.ParameterDeclaration; fn: ts.SignatureDeclaration; index: number }
  /** One element of an iterated value: `for (const router of createRouters())` → the iterated expression. */
  | { kind: 'element'; file: CodeFile; of: ts.Expression }
  /** A property read by destructuring (`{ app }: Context`, `const { app } = context`): the path, from what `of` binds. */
  | { kind: 'property'; file: CodeFile; of: Binding; path: string[] }
  /** A whole project module (namespace import, `require('./x')`). */
  | { kind: 'module'; file: CodeFile }
  /** Something exported by a package: `express` default, `Router` of `express`… `name` '*' = the module object. */
  | { kind: 'external'; module: string; name: string };

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

type ExportEntry = { local: Declaration | ts.Expression } | { from: string; name: string };

export class Modules {
  private readonly scopes = new Map<ts.Node, Map<string, Declaration>>();
  private readonly exportsCache = new Map<string, { named: Map<string, ExportEntry>; stars: string[] }>();
  /** Resolutions by importing file, then specifier (two levels: no key string built per lookup). */
  private readonly resolved = new Map<string, Map<string, string | undefined>>();
  /** Probes by base path: many files reach one module through different relative specifiers. */
  private readonly probed = new Map<string, string | undefined>();
  /** The CodeFile of each syntax tree met, found by its file name (no file is parsed to build it). */
  private readonly fileOf = new WeakMap<ts.SourceFile, CodeFile>();
  private readonly byFileName = new Map<string, CodeFile[]>();
  /** Who imports whom: a text scan first, so that only the files that may import a target are parsed. */
  readonly imports = new ImportIndex(this);

  constructor(
    readonly code: CodeModel,
    private readonly aliases: PathAliases[],
    /** The monorepo's own packages by name: a bare import of one reaches its source. */
    private readonly workspaces: Map<string, WorkspacePackage> = new Map(),
  ) {
    for (const file of code.files) {
      const name = treeFileName(file.path);
      const list = this.byFileName.get(name);
      if (list) list.push(file);
      else this.byFileName.set(name, [file]);
    }
  }

  /** The CodeFile holding a node. */
  fileFor(node: ts.Node): CodeFile {
    const tree = node.getSourceFile();
    let file = this.fileOf.get(tree);
    if (!file) {
      const candidates = this.byFileName.get(tree.fileName) ?? [];
      // Two paths can share a tree name (`../a` and `../../a`): the one whose tree this is.
      file = candidates.length === 1 ? candidates[0]! : candidates.find((f) => f.sourceFile.compilerNode === tree)!;
      this.fileOf.set(tree, file);
    }
    return file;
  }

  /** The project file an import specifier reaches, or undefined for a package / missing file. */
  resolveModule(fromPath: string, specifier: string): string | undefined {
    if (specifier === '') return undefined;
    let fromFile = this.resolved.get(fromPath);
    if (!fromFile) this.resolved.set(fromPath, (fromFile = new Map()));
    if (fromFile.has(specifier)) return fromFile.get(specifier);
    let bases: string[];
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') {
      bases = [posix.join(posix.dirname(fromPath), specifier)];
    } else {
      bases = aliasCandidates(this.aliases, fromPath, specifier);
      if (this.workspaces.size > 0) bases = [...bases, ...workspaceCandidates(this.workspaces, specifier)];
    }
    let found: string | undefined;
    for (const base of bases) {
      found = this.probe(base);
      if (found) break;
    }
    fromFile.set(specifier, found);
    return found;
  }

  private probe(base: string): string | undefined {
    if (this.probed.has(base)) return this.probed.get(base);
    const found = this.probeFiles(base);
    this.probed.set(base, found);
    return found;
  }

  private probeFiles(base: string): string | undefined {
    if (this.code.get(base) && /\.[cm]?[jt]sx?$/.test(base)) return base;
    // ESM TypeScript writes `./x.js` for `./x.ts`.
    const stem = base.replace(/\.(c|m)?jsx?$/, '');
    for (const candidate of [...EXTENSIONS.map((e) => stem + e), ...EXTENSIONS.map((e) => `${base}/index${e}`)]) {
      if (this.code.get(candidate)) return candidate;
    }
    return undefined;
  }

  /** What an identifier refers to at its position. */
  lookup(id: ts.Identifier): Binding | undefined {
    const name = id.text;
    for (let node: ts.Node | undefined = id.parent; node; node = node.parent) {
      if (!isScope(node)) continue;
      const declaration = this.declarationsIn(node).get(name);
      if (declaration) return this.bindingOf(declaration, name);
    }
    return undefined;
  }

  /** What a module exports under `name` ('default' for the default export). */
  exportOf(file: CodeFile, name: string, depth = 0): Binding | undefined {
    if (depth > 10) return undefined;
    const table = this.exportsOf(file);
    const entry = table.named.get(name);
    if (entry) {
      if ('from' in entry) return this.importBinding(file, entry.from, entry.name, depth + 1);
      if (isDeclaration(entry.local)) return this.bindingOf(entry.local, name, depth + 1);
      return { kind: 'value', file, node: entry.local };
    }
    for (const spec of table.stars) {
      const target = this.resolveModule(file.path, spec);
      const found = target ? this.exportOf(this.code.get(target)!, name, depth + 1) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** Every project file that imports `target`, with the local names bound to each exported name. */
  importersOf(target: string): Importer[] {
    return this.imports.importersOf(target);
  }

  /**
   * Files that re-export from `target` (`export * from './jwt'`, `export { x } from './jwt'`): an
   * importer of such a barrel file may be calling a function declared in `target`.
   */
  reexportersOf(target: string): CodeFile[] {
    return this.imports.reexportersOf(target);
  }

  private importBinding(file: CodeFile, specifier: string, name: string, depth = 0): Binding | undefined {
    const target = this.resolveModule(file.path, specifier);
    if (!target) return { kind: 'external', module: specifier, name };
    const targetFile = this.code.get(target)!;
    if (name === '*') return { kind: 'module', file: targetFile };
    return this.exportOf(targetFile, name, depth);
  }

  private bindingOf(declaration: Declaration, name: string, depth = 0): Binding | undefined {
    const file = this.fileFor(declaration);
    if (typescript.isVariableDeclaration(declaration)) {
      const init = declaration.initializer;
      const loop = declaration.parent.parent;
      if (!init && typescript.isForOfStatement(loop) && typescript.isIdentifier(declaration.name))
        return { kind: 'element', file, of: loop.expression };
      if (!init) return undefined;
      const spec = requireSpecifier(init);
      if (spec !== undefined) {
        if (requireIsNamespace(init)) return this.importBinding(file, spec, '*', depth);
        // CommonJS with no `module.exports = …`: `require` returns the object `exports.a = …` filled in.
        return this.importBinding(file, spec, 'default', depth) ?? this.importBinding(file, spec, '*', depth);
      }
      return { kind: 'value', file, node: init };
    }
    if (typescript.isBindingElement(declaration)) {
      // `function routes(...[router, tenant]: Args)`: the element is the argument at its position.
      const rest = restParameterOf(declaration);
      if (rest) return { kind: 'param', file, node: rest.parameter, fn: rest.parameter.parent, index: rest.index };
      const root = rootDeclaration(declaration);
      const spec = root?.initializer ? requireSpecifier(root.initializer) : undefined;
      const property = bindingElementName(declaration) ?? name;
      if (spec !== undefined) return this.importBinding(file, spec, property, depth);
      const from = destructuredFrom(declaration);
      const of = from && depth < 10 ? this.bindingOf(from.root, name, depth + 1) : undefined;
      return of && from ? { kind: 'property', file, of, path: from.path } : undefined;
    }
    if (typescript.isParameter(declaration)) {
      const fn = declaration.parent;
      return { kind: 'param', file, node: declaration, fn, index: fn.parameters.indexOf(declaration) };
    }
    if (typescript.isFunctionDeclaration(declaration)) return { kind: 'function', file, node: declaration };
    if (typescript.isClassDeclaration(declaration)) return { kind: 'class', file, node: declaration };
    if (typescript.isEnumDeclaration(declaration)) return { kind: 'enum', file, node: declaration };
    if (typescript.isImportClause(declaration))
      return this.importBinding(file, moduleText(declaration.parent), 'default', depth);
    if (typescript.isImportSpecifier(declaration)) {
      return this.importBinding(
        file,
        moduleText(declaration.parent.parent.parent),
        (declaration.propertyName ?? declaration.name).text,
        depth,
      );
    }
    if (typescript.isNamespaceImport(declaration))
      return this.importBinding(file, moduleText(declaration.parent.parent), '*', depth);
    if (
      typescript.isImportEqualsDeclaration(declaration) &&
      typescript.isExternalModuleReference(declaration.moduleReference)
    ) {
      const spec = declaration.moduleReference.expression;
      if (typescript.isStringLiteral(spec)) return this.importBinding(file, spec.text, 'default', depth);
    }
    return undefined;
  }

  declarationsIn(scope: ts.Node): Map<string, Declaration> {
    let table = this.scopes.get(scope);
    if (table) return table;
    table = new Map();
    const add = (name: ts.BindingName | undefined, declaration: Declaration) => {
      if (!name) return;
      if (typescript.isIdentifier(name)) {
        if (!table!.has(name.text)) table!.set(name.text, declaration);
        return;
      }
      for (const element of name.elements) {
        if (typescript.isBindingElement(element))
          add(element.name, typescript.isIdentifier(element.name) ? element : declaration);
      }
    };
    const statements = (list: readonly ts.Statement[]) => {
      for (const statement of list) {
        if (typescript.isVariableStatement(statement)) {
          for (const d of statement.declarationList.declarations) {
            if (typescript.isIdentifier(d.name)) add(d.name, d);
            else add(d.name, d);
          }
        } else if (
          typescript.isFunctionDeclaration(statement) ||
          typescript.isClassDeclaration(statement) ||
          typescript.isEnumDeclaration(statement)
        ) {
          if (statement.name) add(statement.name, statement);
        } else if (typescript.isImportDeclaration(statement) && statement.importClause) {
          const clause = statement.importClause;
          if (clause.name) add(clause.name, clause);
          const bindings = clause.namedBindings;
          if (bindings && typescript.isNamespaceImport(bindings)) add(bindings.name, bindings);
          else if (bindings) for (const element of bindings.elements) add(element.name, element);
        } else if (typescript.isImportEqualsDeclaration(statement)) {
          add(statement.name, statement);
        }
      }
    };
    if (
      typescript.isSourceFile(scope) ||
      typescript.isBlock(scope) ||
      typescript.isModuleBlock(scope) ||
      typescript.isCaseClause(scope) ||
      typescript.isDefaultClause(scope)
    ) {
      statements(scope.statements);
    } else if (typescript.isFunctionLike(scope)) {
      for (const parameter of scope.parameters) add(parameter.name, parameter);
      if (
        (typescript.isFunctionExpression(scope) || typescript.isClassExpression(scope as ts.Node)) &&
        (scope as ts.FunctionExpression).name
      ) {
        add((scope as ts.FunctionExpression).name, scope as unknown as ts.FunctionDeclaration);
      }
    } else if (typescript.isCatchClause(scope) && scope.variableDeclaration) {
      add(scope.variableDeclaration.name, scope.variableDeclaration);
    } else if (
      (typescript.isForStatement(scope) || typescript.isForOfStatement(scope) || typescript.isForInStatement(scope)) &&
      scope.initializer
    ) {
      if (typescript.isVariableDeclarationList(scope.initializer))
        for (const d of scope.initializer.declarations) add(d.name, d);
    }
    this.scopes.set(scope, table);
    return table;
  }

  private exportsOf(file: CodeFile): { named: Map<string, ExportEntry>; stars: string[] } {
    let table = this.exportsCache.get(file.path);
    if (table) return table;
    table = { named: new Map(), stars: [] };
    const named = table.named;
    const source = file.sourceFile.compilerNode;
    const locals = this.declarationsIn(source);
    for (const statement of source.statements) {
      if (typescript.isVariableStatement(statement) && hasExport(statement)) {
        for (const d of statement.declarationList.declarations)
          if (typescript.isIdentifier(d.name)) named.set(d.name.text, { local: d });
      } else if (
        (typescript.isFunctionDeclaration(statement) ||
          typescript.isClassDeclaration(statement) ||
          typescript.isEnumDeclaration(statement)) &&
        hasExport(statement)
      ) {
        const isDefault = statement.modifiers?.some((m) => m.kind === typescript.SyntaxKind.DefaultKeyword);
        if (isDefault) named.set('default', { local: statement });
        if (statement.name && !isDefault) named.set(statement.name.text, { local: statement });
      } else if (typescript.isExportAssignment(statement)) {
        named.set('default', { local: this.localOrExpression(statement.expression, locals) });
      } else if (typescript.isExportDeclaration(statement)) {
        const from =
          statement.moduleSpecifier && typescript.isStringLiteral(statement.moduleSpecifier)
            ? statement.moduleSpecifier.text
            : undefined;
        const clause = statement.exportClause;
        if (!clause) {
          if (from) table.stars.push(from);
        } else if (typescript.isNamedExports(clause)) {
          for (const element of clause.elements) {
            const original = (element.propertyName ?? element.name).text;
            if (from) named.set(element.name.text, { from, name: original });
            else {
              const local = locals.get(original);
              if (local) named.set(element.name.text, { local });
            }
          }
        } else if (from) {
          named.set(clause.name.text, { from, name: '*' });
        }
      } else if (typescript.isExpressionStatement(statement) && typescript.isBinaryExpression(statement.expression)) {
        this.commonJsExport(statement.expression, table, locals);
      }
    }
    this.exportsCache.set(file.path, table);
    return table;
  }

  /**
   * `module.exports = x`, `module.exports = { a, b }`, `exports.a = x`, `module.exports.a = x`, and the
   * re-export `module.exports = require('./routes')` (an index file that hands on another module whole).
   */
  private commonJsExport(
    assignment: ts.BinaryExpression,
    table: { named: Map<string, ExportEntry>; stars: string[] },
    locals: Map<string, Declaration>,
  ): void {
    if (assignment.operatorToken.kind !== typescript.SyntaxKind.EqualsToken) return;
    const { named } = table;
    const target = assignment.left;
    const value = assignment.right;
    const reexported = isModuleExports(target) ? requireSpecifier(value) : undefined;
    if (reexported !== undefined) {
      named.set('default', { from: reexported, name: 'default' });
      table.stars.push(reexported);
    } else if (isModuleExports(target)) {
      named.set('default', { local: this.localOrExpression(value, locals) });
      if (typescript.isObjectLiteralExpression(value)) {
        for (const property of value.properties) {
          if (typescript.isShorthandPropertyAssignment(property)) {
            const local = locals.get(property.name.text);
            if (local) named.set(property.name.text, { local });
          } else if (typescript.isPropertyAssignment(property) && typescript.isIdentifier(property.name)) {
            named.set(property.name.text, { local: this.localOrExpression(property.initializer, locals) });
          }
        }
      }
    } else if (
      typescript.isPropertyAccessExpression(target) &&
      (isModuleExports(target.expression) ||
        (typescript.isIdentifier(target.expression) && target.expression.text === 'exports'))
    ) {
      named.set(target.name.text, { local: this.localOrExpression(value, locals) });
    }
  }

  private localOrExpression(expression: ts.Expression, locals: Map<string, Declaration>): Declaration | ts.Expression {
    if (typescript.isIdentifier(expression)) return locals.get(expression.text) ?? expression;
    return expression;
  }
}

/** The file name the code model gives a file's syntax tree (see buildCodeModel). */
function treeFileName(path: string): string {
  return `/${path.replace(/^(\.\.\/)+/, '__up__/')}`;
}
