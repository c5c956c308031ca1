/**
 * Name resolution without a type checker: which declaration an identifier refers to, in its own
 * file (lexical scopes) or in another one (ES imports, CommonJS require/module.exports, re-exports,
 * tsconfig path aliases). Enough to follow a router from where it is created to where it is mounted.
 * The local step (which module export an import declaration names) and the cross-file one (which
 * file a specifier reaches, what it exports under a name) are the code-analysis layer's
 * (src/model/qualified-names.ts, src/model/module-exports.ts), which rules share; this class adds
 * the lexical scopes and what a name stands for to the route graph.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { CodeFile, CodeModel } from '../code/index.js';
import { ImportIndex, type Importer } from './importers.js';
import { type Declaration, destructuredFrom, isScope, restParameterOf } from './module-syntax.js';
import { importBindingOf } from '../../model/qualified-names.js';
import {
  type ExportTarget,
  ModuleExports,
  type PathAliases,
  type WorkspacePackage,
} from '../../model/module-exports.js';

export { requireSpecifier } from './module-syntax.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

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
  /**
   * Something exported by a package: `express` default (`path` ['default']), `Router` of `express`
   * (['Router']), the module object ([]); as ImportBinding.path.
   */
  | { kind: 'external'; module: string; path: readonly string[] };

export class Modules {
  /** The code-analysis layer's cross-file lookup: specifiers to files, exports through re-exports. */
  readonly exports: ModuleExports;
  /** The CodeFile of each syntax tree met, found by its file name (no file is parsed to build it). */
  private readonly fileOf = new WeakMap<ts.SourceFile, CodeFile>();
  private readonly byFileName = new Map<string, CodeFile[]>();
  private readonly looked = new Map<ts.Identifier, Binding | undefined>();
  /** Who imports whom: a text scan first, so that only the files that may import a target are parsed. */
  readonly imports = new ImportIndex(this);

  constructor(
    readonly code: CodeModel,
    aliases: PathAliases[],
    /** The monorepo's own packages by name: a bare import of one reaches its source. */
    workspaces: Map<string, WorkspacePackage> = new Map(),
  ) {
    this.exports = new ModuleExports(code, aliases, workspaces);
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
      file = candidates.length === 1 ? candidates[0]! : candidates.find((f) => f.tree === tree)!;
      this.fileOf.set(tree, file);
    }
    return file;
  }

  /** The project file an import specifier reaches, or undefined for a package / missing file. */
  resolveModule(fromPath: string, specifier: string): string | undefined {
    return this.exports.resolveModule(fromPath, specifier);
  }

  /** What an identifier refers to at its position (memoised: the graph asks again for the same names). */
  lookup(id: ts.Identifier): Binding | undefined {
    if (this.looked.has(id)) return this.looked.get(id);
    const binding = this.computeLookup(id);
    this.looked.set(id, binding);
    return binding;
  }

  private computeLookup(id: ts.Identifier): Binding | undefined {
    const name = id.text;
    for (let node: ts.Node | undefined = id.parent; node; node = node.parent) {
      if (!isScope(node)) continue;
      const declaration = this.declarationsIn(node).get(name);
      if (declaration) return this.bindingOf(declaration);
    }
    return undefined;
  }

  /** What a module exports under `name` ('default' for the default export). */
  exportOf(file: CodeFile, name: string): Binding | undefined {
    return this.ofTarget(this.exports.exportOf(file, name));
  }

  /** Every project file that imports `target`, with the local names bound to each exported name. */
  importersOf(target: string): Importer[] {
    return this.imports.importersOf(target);
  }

  /** importersOf among some files only (the others are not parsed). */
  importersAmong(target: string, among: (file: CodeFile) => boolean): Importer[] {
    return this.imports.importersAmong(target, among);
  }

  /**
   * Files that re-export from `target` (`export * from './jwt'`, `export { x } from './jwt'`): an
   * importer of such a barrel file may be calling a function declared in `target`.
   */
  reexportersOf(target: string): CodeFile[] {
    return this.imports.reexportersOf(target);
  }

  declarationsIn(scope: ts.Node): Map<string, Declaration> {
    return this.exports.declarationsIn(scope);
  }

  private ofTarget(target: ExportTarget | undefined): Binding | undefined {
    if (!target) return undefined;
    if (target.kind === 'declaration') return this.bindingOf(target.node, target.file);
    if (target.kind === 'expression') return { kind: 'value', file: target.file, node: target.node };
    return target;
  }

  private bindingOf(declaration: Declaration, file = this.fileFor(declaration), depth = 0): Binding | undefined {
    if (typescript.isVariableDeclaration(declaration)) {
      const init = declaration.initializer;
      const loop = declaration.parent.parent;
      if (!init && typescript.isForOfStatement(loop) && typescript.isIdentifier(declaration.name))
        return { kind: 'element', file, of: loop.expression };
      if (!init) return undefined;
    } else if (typescript.isBindingElement(declaration)) {
      // `function routes(...[router, tenant]: Args)`: the element is the argument at its position.
      const rest = restParameterOf(declaration);
      if (rest) return { kind: 'param', file, node: rest.parameter, fn: rest.parameter.parent, index: rest.index };
    }
    // An import, a `require`, or an element destructured from one: the code-analysis layer follows it.
    const imported = importBindingOf(typescript, declaration);
    if (imported) return this.ofTarget(this.exports.resolveImport(file, imported));
    if (typescript.isBindingElement(declaration)) {
      // `{ app }: Context`, `const { app } = context`: a property of what the pattern destructures.
      const from = destructuredFrom(declaration);
      const of = from && depth < 10 ? this.bindingOf(from.root, file, depth + 1) : undefined;
      return of && from ? { kind: 'property', file, of, path: from.path } : undefined;
    }
    if (typescript.isVariableDeclaration(declaration)) return { kind: 'value', file, node: declaration.initializer! };
    if (typescript.isParameter(declaration)) {
      const fn = declaration.parent;
      return { kind: 'param', file, node: declaration, fn, index: fn.parameters.indexOf(declaration) };
    }
    if (typescript.isFunctionDeclaration(declaration)) return { kind: 'function', file, node: declaration };
    if (typescript.isClassDeclaration(declaration)) return { kind: 'class', file, node: declaration };
    if (typescript.isEnumDeclaration(declaration)) return { kind: 'enum', file, node: declaration };
    return undefined;
  }
}

/** The file name the code model gives a file's syntax tree (see buildCodeModel). */
function treeFileName(path: string): string {
  return `/${path.replace(/^(\.\.\/)+/, '__up__/')}`;
}
