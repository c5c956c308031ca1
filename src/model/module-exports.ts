/**
 * The cross-file step of the code-analysis layer (src/model/qualified-names.ts is the local one):
 * which project file an import specifier reaches (relative paths, tsconfig `paths`/`baseUrl`, the
 * monorepo's own packages by name and `exports`), what a module exports under a name, following
 * re-exports (`export { x } from`, `export *`, an imported name exported again, `module.exports =
 * require(…)`) until a declaration of the project or a package's export. The routes input resolves
 * identifiers through it; a rule that sees the whole tree can ask it too, and gets the same answer.
 * No type checker: syntax trees only.
 */
import { posix } from 'node:path';
import type { ts as TypeScript } from 'ts-morph';
import type { CodeFile, CodeModel } from './code.js';
import { importBindingOf, requiredBinding, type ImportBinding } from './qualified-names.js';

/** tsconfig `baseUrl` / `paths` of one config (read by src/inputs/routes/tsconfig.ts). */
export interface PathAliases {
  /** Folder (report path) that owns this config: it applies to files below it. */
  dir: string;
  /** Folder that non-relative imports resolve against (`baseUrl`), if set. */
  baseUrl?: string;
  /** `paths` patterns with their targets already made relative to the right folder. */
  paths: Array<{ prefix: string; suffix: string; wildcard: boolean; targets: string[] }>;
}

/** A package of the repository's own monorepo (read by src/inputs/routes/workspaces.ts). */
export interface WorkspacePackage {
  name: string;
  /** Folder (report path) holding its package.json; '.' for the root. */
  dir: string;
  /** Entry files for a subpath ('.' = the package itself), most likely source first; `*` patterns kept. */
  entries: Map<string, string[]>;
}

/** A declaration that binds a name in a scope. */
export type Declaration =
  | TypeScript.VariableDeclaration
  | TypeScript.BindingElement
  | TypeScript.ParameterDeclaration
  | TypeScript.FunctionDeclaration
  | TypeScript.ClassDeclaration
  | TypeScript.EnumDeclaration
  | TypeScript.ImportClause
  | TypeScript.ImportSpecifier
  | TypeScript.NamespaceImport
  | TypeScript.ImportEqualsDeclaration;

/** What a module's export (or an import of it) comes to, re-exports followed. */
export type ExportTarget =
  /** A declaration of the project that is not itself an import. */
  | { kind: 'declaration'; file: CodeFile; node: Declaration }
  /** An exported expression: `export default <expr>`, `module.exports = <expr>`, `exports.a = <expr>`. */
  | { kind: 'expression'; file: CodeFile; node: TypeScript.Expression }
  /** A whole project module (namespace import, `require('./x')` of a module with no default). */
  | { kind: 'module'; file: CodeFile }
  /** An export of a package (the specifier as written; `path` as in ImportBinding, `[]` the module object). */
  | { kind: 'external'; module: string; path: readonly string[] };

type ExportEntry =
  | { declaration: Declaration }
  | { expression: TypeScript.Expression }
  | { from: string; path: readonly string[]; interop?: true };

interface ExportTable {
  named: Map<string, ExportEntry>;
  stars: string[];
}

/**
 * What a scope declares and what a module exports depend on its syntax tree alone: kept per tree node (WeakMaps, an
 * entry lives as long as its tree), so a long-running process (`archlint lsp`, `--watch`), whose unchanged files keep
 * their trees (code/carried-trees.ts), reads them once, not at every check.
 */
const scopeTables = new WeakMap<TypeScript.Node, Map<string, Declaration>>();
const exportTables = new WeakMap<TypeScript.SourceFile, ExportTable>();

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export class ModuleExports {
  /** Resolutions by importing file, then specifier (two levels: no key string built per lookup). */
  private readonly resolved = new Map<string, Map<string, string | undefined>>();
  /**
   * The same maps by folder: a resolution depends on the importing file's folder only (relative joins, the tsconfig
   * files above it), and the files of one folder import the same packages (issue 22: each bare specifier of each
   * file went through the aliases and workspaces again).
   */
  private readonly resolvedInFolder = new Map<string, Map<string, string | undefined>>();
  /** Probes by base path: many files reach one module through different relative specifiers. */
  private readonly probed = new Map<string, string | undefined>();
  private tsNamespace?: typeof TypeScript;

  constructor(
    readonly code: CodeModel,
    private readonly aliases: readonly PathAliases[] = [],
    /** The monorepo's own packages by name: a bare import of one reaches its source. */
    private readonly workspaces: ReadonlyMap<string, WorkspacePackage> = new Map(),
  ) {}

  /** The TypeScript namespace, taken from the code model on first use (it loads the parser). */
  private get ts(): typeof TypeScript {
    if (!this.tsNamespace) this.tsNamespace = this.code.ts;
    return this.tsNamespace;
  }

  /** The project file an import specifier reaches, or undefined for a package / missing file. */
  resolveModule(fromPath: string, specifier: string): string | undefined {
    if (specifier === '') return undefined;
    let fromFile = this.resolved.get(fromPath);
    if (!fromFile) {
      const folder = posix.dirname(fromPath);
      fromFile = this.resolvedInFolder.get(folder);
      if (!fromFile) this.resolvedInFolder.set(folder, (fromFile = new Map()));
      this.resolved.set(fromPath, fromFile);
    }
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

  /**
   * Where an import binding of `file` leads: the project declaration or expression it names, a whole
   * project module, or a package's export (a specifier that reaches no project file).
   */
  resolveImport(file: CodeFile, binding: ImportBinding, depth = 0): ExportTarget | undefined {
    const target = this.resolveModule(file.path, binding.module);
    if (!target) return { kind: 'external', module: binding.module, path: binding.path };
    const targetFile = this.code.get(target)!;
    let found: ExportTarget | undefined = { kind: 'module', file: targetFile };
    for (const [i, name] of binding.path.entries()) {
      if (found.kind === 'external') return { ...found, path: [...found.path, ...binding.path.slice(i)] };
      if (found.kind !== 'module') return undefined;
      const module: CodeFile = found.file;
      found = this.exportOf(module, name, depth);
      // CommonJS: `require` of a module with no default export gives the object its `exports.a = …` filled in.
      if (!found && i === 0 && name === 'default' && binding.interop) found = { kind: 'module', file: module };
      if (!found) return undefined;
    }
    return found;
  }

  /** What a module exports under `name` ('default' for the default export), re-exports followed. */
  exportOf(file: CodeFile, name: string, depth = 0): ExportTarget | undefined {
    if (depth > 10) return undefined;
    const table = this.exportsOf(file);
    const entry = table.named.get(name);
    if (entry) {
      if ('from' in entry) return this.resolveImport(file, { module: entry.from, path: entry.path }, depth + 1);
      if ('expression' in entry) return { kind: 'expression', file, node: entry.expression };
      const imported = importBindingOf(this.ts, entry.declaration);
      if (imported) return this.resolveImport(file, imported, depth + 1);
      return { kind: 'declaration', file, node: entry.declaration };
    }
    for (const spec of table.stars) {
      const target = this.resolveModule(file.path, spec);
      const found = target ? this.exportOf(this.code.get(target)!, name, depth + 1) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** The names a scope declares (its own statements, parameters, loop or catch variables), first one wins. */
  declarationsIn(scope: TypeScript.Node): Map<string, Declaration> {
    let table = scopeTables.get(scope);
    if (table) return table;
    const ts = this.ts;
    table = new Map();
    const add = (name: TypeScript.BindingName | undefined, declaration: Declaration) => {
      if (!name) return;
      if (ts.isIdentifier(name)) {
        if (!table!.has(name.text)) table!.set(name.text, declaration);
        return;
      }
      for (const element of name.elements) {
        if (ts.isBindingElement(element)) add(element.name, ts.isIdentifier(element.name) ? element : declaration);
      }
    };
    const statements = (list: readonly TypeScript.Statement[]) => {
      for (const statement of list) {
        if (ts.isVariableStatement(statement)) {
          for (const d of statement.declarationList.declarations) add(d.name, d);
        } else if (
          ts.isFunctionDeclaration(statement) ||
          ts.isClassDeclaration(statement) ||
          ts.isEnumDeclaration(statement)
        ) {
          if (statement.name) add(statement.name, statement);
        } else if (ts.isImportDeclaration(statement) && statement.importClause) {
          const clause = statement.importClause;
          if (clause.name) add(clause.name, clause);
          const bindings = clause.namedBindings;
          if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name, bindings);
          else if (bindings) for (const element of bindings.elements) add(element.name, element);
        } else if (ts.isImportEqualsDeclaration(statement)) {
          add(statement.name, statement);
        }
      }
    };
    if (
      ts.isSourceFile(scope) ||
      ts.isBlock(scope) ||
      ts.isModuleBlock(scope) ||
      ts.isCaseClause(scope) ||
      ts.isDefaultClause(scope)
    ) {
      statements(scope.statements);
    } else if (ts.isFunctionLike(scope)) {
      for (const parameter of scope.parameters) add(parameter.name, parameter);
      if (
        (ts.isFunctionExpression(scope) || ts.isClassExpression(scope as TypeScript.Node)) &&
        (scope as TypeScript.FunctionExpression).name
      ) {
        add((scope as TypeScript.FunctionExpression).name, scope as unknown as TypeScript.FunctionDeclaration);
      }
    } else if (ts.isCatchClause(scope) && scope.variableDeclaration) {
      add(scope.variableDeclaration.name, scope.variableDeclaration);
    } else if (
      (ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) &&
      scope.initializer
    ) {
      if (ts.isVariableDeclarationList(scope.initializer))
        for (const d of scope.initializer.declarations) add(d.name, d);
    }
    scopeTables.set(scope, table);
    return table;
  }

  private exportsOf(file: CodeFile): ExportTable {
    const source = file.tree;
    let table = exportTables.get(source);
    if (table) return table;
    const ts = this.ts;
    table = { named: new Map(), stars: [] };
    const named = table.named;
    const locals = this.declarationsIn(source);
    for (const statement of source.statements) {
      if (ts.isVariableStatement(statement) && hasExport(ts, statement)) {
        for (const d of statement.declarationList.declarations)
          if (ts.isIdentifier(d.name)) named.set(d.name.text, { declaration: d });
      } else if (
        (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) &&
        hasExport(ts, statement)
      ) {
        const isDefault = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
        if (isDefault) named.set('default', { declaration: statement });
        if (statement.name && !isDefault) named.set(statement.name.text, { declaration: statement });
      } else if (ts.isExportAssignment(statement)) {
        named.set('default', localOrExpression(ts, statement.expression, locals));
      } else if (ts.isExportDeclaration(statement)) {
        const from =
          statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
            ? statement.moduleSpecifier.text
            : undefined;
        const clause = statement.exportClause;
        if (!clause) {
          if (from) table.stars.push(from);
        } else if (ts.isNamedExports(clause)) {
          for (const element of clause.elements) {
            const original = (element.propertyName ?? element.name).text;
            if (from) named.set(element.name.text, { from, path: [original] });
            else {
              const local = locals.get(original);
              if (local) named.set(element.name.text, { declaration: local });
            }
          }
        } else if (from) {
          named.set(clause.name.text, { from, path: [] });
        }
      } else if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression)) {
        this.commonJsExport(statement.expression, table, locals);
      }
    }
    exportTables.set(source, table);
    return table;
  }

  /**
   * `module.exports = x`, `module.exports = { a, b }`, `exports.a = x`, `module.exports.a = x`, and the
   * re-export `module.exports = require('./routes')` (an index file that hands on another module whole).
   */
  private commonJsExport(
    assignment: TypeScript.BinaryExpression,
    table: ExportTable,
    locals: Map<string, Declaration>,
  ) {
    const ts = this.ts;
    if (assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
    const { named } = table;
    const target = assignment.left;
    const value = assignment.right;
    const required = isModuleExports(ts, target) ? requiredBinding(ts, value) : undefined;
    // `require('./x')` / `.default` / `import('./x')`: the module handed on whole (not one export of it).
    if (required && (required.path.length === 0 || required.path[0] === 'default')) {
      named.set('default', { from: required.module, path: ['default'] });
      table.stars.push(required.module);
    } else if (isModuleExports(ts, target)) {
      named.set('default', localOrExpression(ts, value, locals));
      if (ts.isObjectLiteralExpression(value)) {
        for (const property of value.properties) {
          if (ts.isShorthandPropertyAssignment(property)) {
            const local = locals.get(property.name.text);
            if (local) named.set(property.name.text, { declaration: local });
          } else if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name)) {
            named.set(property.name.text, localOrExpression(ts, property.initializer, locals));
          }
        }
      }
    } else if (
      ts.isPropertyAccessExpression(target) &&
      (isModuleExports(ts, target.expression) ||
        (ts.isIdentifier(target.expression) && target.expression.text === 'exports'))
    ) {
      named.set(target.name.text, localOrExpression(ts, value, locals));
    }
  }
}

function localOrExpression(
  ts: typeof TypeScript,
  expression: TypeScript.Expression,
  locals: Map<string, Declaration>,
): ExportEntry {
  const local = ts.isIdentifier(expression) ? locals.get(expression.text) : undefined;
  return local ? { declaration: local } : { expression };
}

function hasExport(ts: typeof TypeScript, node: TypeScript.HasModifiers): boolean {
  return node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

function isModuleExports(ts: typeof TypeScript, node: TypeScript.Node): boolean {
  return (
    ts.isPropertyAccessExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'module' &&
    node.name.text === 'exports'
  );
}

/** Candidate base paths (without extension) for a non-relative specifier, nearest config first. */
export function aliasCandidates(aliases: readonly PathAliases[], fromFile: string, specifier: string): string[] {
  const out: string[] = [];
  for (const config of aliasesOver(aliases, fromFile)) {
    for (const entry of config.paths) {
      if (entry.wildcard) {
        if (!specifier.startsWith(entry.prefix) || !specifier.endsWith(entry.suffix)) continue;
        if (specifier.length < entry.prefix.length + entry.suffix.length) continue;
        const matched = specifier.slice(entry.prefix.length, specifier.length - entry.suffix.length);
        for (const target of entry.targets) out.push(target.replace('*', matched));
      } else if (specifier === entry.prefix) {
        out.push(...entry.targets);
      }
    }
    if (config.baseUrl) out.push(posix.join(config.baseUrl, specifier));
    if (out.length > 0) return out;
  }
  return out;
}

const applying = new WeakMap<readonly PathAliases[], Map<string, PathAliases[]>>();

/**
 * The configs that apply to a file (those of the folders above it), in their order; found once per folder:
 * a tree of many tsconfig files asked for every bare specifier of every file was a pass over all of them.
 */
function aliasesOver(aliases: readonly PathAliases[], fromFile: string): PathAliases[] {
  let byFolder = applying.get(aliases);
  if (!byFolder) applying.set(aliases, (byFolder = new Map()));
  const folder = posix.dirname(fromFile);
  let found = byFolder.get(folder);
  if (!found) {
    found = aliases.filter((config) => config.dir === '.' || fromFile.startsWith(`${config.dir}/`));
    byFolder.set(folder, found);
  }
  return found;
}

/**
 * Candidate base paths (report paths, extension optional) for a bare specifier naming a workspace
 * package: its `exports` / main entries, then the conventional `src/` layout (built `dist/` entries
 * are not in the tree, their sources are).
 */
export function workspaceCandidates(packages: ReadonlyMap<string, WorkspacePackage>, specifier: string): string[] {
  const match = /^(@[^/]+\/[^/]+|[^@/][^/]*)(?:\/(.*))?$/.exec(specifier);
  if (!match) return [];
  const pkg = packages.get(match[1]!);
  if (!pkg) return [];
  const rest = match[2] ?? '';
  const subpath = rest === '' ? '.' : `./${rest}`;
  const out: string[] = [];
  const push = (target: string) => {
    const full = posix.join(pkg.dir, target);
    out.push(full);
    // `dist/x.js` built from `src/x.ts`.
    const fromDist = full.replace(/(^|\/)(dist|build|lib|out)\//, '$1src/').replace(/\.d\.ts$|\.[cm]?js$/, '');
    if (fromDist !== full) out.push(fromDist);
    // …or from `lib/x.ts`, the other usual source folder.
    const fromLib = full.replace(/(^|\/)(dist|build|out)\//, '$1lib/').replace(/\.d\.ts$|\.[cm]?js$/, '');
    if (fromLib !== full) out.push(fromLib);
  };
  for (const [key, targets] of pkg.entries) {
    if (key === subpath) targets.forEach(push);
    else if (key.includes('*')) {
      const [prefix, suffix] = key.split('*') as [string, string];
      if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= prefix.length + suffix.length) {
        const matched = subpath.slice(prefix.length, subpath.length - suffix.length);
        for (const target of targets) push(target.replace('*', matched));
      }
    }
  }
  if (rest === '') out.push(posix.join(pkg.dir, 'src/index'), posix.join(pkg.dir, 'index'));
  else out.push(posix.join(pkg.dir, rest), posix.join(pkg.dir, 'src', rest));
  return out;
}
