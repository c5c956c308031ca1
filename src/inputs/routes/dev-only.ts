/**
 * Code that runs only in development or tests: a registration inside `if (process.env.NODE_ENV !== 'production')`,
 * in the `else` of a production check, after `if (isProduction) return`, behind `isDev && …`, or inside a function
 * every call of which is so (`if (process.env.GRIST_TEST_ROUTER) server.testAddRouter()`). A route registered there
 * is not part of the deployed service: a debugging tool, a mock, a test hook. Conditions dev-conditions.ts cannot
 * read leave the code as running everywhere.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { CodeFile } from '../code/index.js';
import { environmentMeaning, type EnvironmentMeaning } from './dev-conditions.js';
import type { FileSet, TextFiles } from '../../model/files.js';
import type { RouterNode } from './graph.js';
import type { ErrorSite } from '../../model/code-http.js';
import type { Modules } from './modules.js';
import type { WordFiles } from './word-files.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** How many functions up a registration is followed to the calls that run it. */
const MAX_CALLERS_DEPTH = 3;
/** Text a file must hold to run anything under a development-only condition (no file without it is parsed). */
const MARKER = /NODE_ENV|_ENV\b|[Ee]nv\b|is_?(?:Dev|DEV|Test|TEST|E2E|Mock|Prod|PROD)|DEBUG|TEST|MOCK|E2E|\bDEV/;
/** Longest condition text quoted in a reason. */
const QUOTE = 80;

/** The marked files of each list (the registrations' check and the error sites' read the same list). */
const markedOfList = new WeakMap<WordFiles, ReadonlySet<CodeFile>>();

function markedFilesOf(words: WordFiles): ReadonlySet<CodeFile> {
  let marked = markedOfList.get(words);
  if (!marked)
    markedOfList.set(words, (marked = new Set(words.files.filter((file) => MARKER.test(file.text.content)))));
  return marked;
}

export class DevOnlyCode {
  private readonly memo = new Map<ts.Node, string | undefined>();
  private readonly markedFiles: ReadonlySet<CodeFile>;

  constructor(
    private readonly modules: Modules,
    /** The files searched for a function's callers, with the index of their words. */
    private readonly words: WordFiles,
    /** The deployment sets NODE_ENV to production (see environmentMeaning). */
    private readonly productionDeclared = true,
  ) {
    this.markedFiles = markedFilesOf(words);
  }

  /** Why the node at `offset` of a file runs only in development or tests (the condition, as written); undefined: not known to. */
  at(file: CodeFile, offset: number): string | undefined {
    if (this.markedFiles.size === 0) return undefined;
    const node = nodeAt(file.tree, offset);
    return node ? this.reasonFor(node, 0) : undefined;
  }

  private reasonFor(start: ts.Node, depth: number): string | undefined {
    let child: ts.Node = start;
    for (let node = start.parent; node; child = node, node = node.parent) {
      const own = this.condition(node, child);
      if (own) return own;
      if (typescript.isSourceFile(node)) return undefined;
      if (isFunctionLike(node)) {
        // A callback runs where the call that takes it runs (`app.register(async (f) => …)`); a named function
        // where its callers call it.
        if (typescript.isCallExpression(node.parent) && node.parent.arguments.includes(node as ts.Expression)) continue;
        return depth < MAX_CALLERS_DEPTH ? this.callersReason(node, depth) : undefined;
      }
    }
    return undefined;
  }

  /** The development-only condition `child` stands under in `node`, if any. */
  private condition(node: ts.Node, child: ts.Node): string | undefined {
    const boundValue = (id: ts.Identifier) => this.boundValue(id);
    const under = (
      expression: ts.Expression,
      wanted: EnvironmentMeaning,
      form = wanted === 'dev' ? '%' : 'else of %',
    ) =>
      environmentMeaning(expression, boundValue, this.productionDeclared) === wanted
        ? form.replace('%', quote(expression))
        : undefined;
    if (typescript.isIfStatement(node)) {
      if (child === node.thenStatement) return under(node.expression, 'dev');
      if (child === node.elseStatement) return under(node.expression, 'prod');
    }
    if (typescript.isConditionalExpression(node)) {
      if (child === node.whenTrue) return under(node.condition, 'dev');
      if (child === node.whenFalse) return under(node.condition, 'prod');
    }
    if (typescript.isBinaryExpression(node) && child === node.right) {
      if (node.operatorToken.kind === typescript.SyntaxKind.AmpersandAmpersandToken) return under(node.left, 'dev');
      if (node.operatorToken.kind === typescript.SyntaxKind.BarBarToken) return under(node.left, 'prod', '% || …');
    }
    if (typescript.isBlock(node) || typescript.isSourceFile(node)) {
      // `if (process.env.NODE_ENV === 'production') return;` before it: what follows runs only elsewhere.
      for (const statement of node.statements) {
        if (statement === child) break;
        if (!typescript.isIfStatement(statement) || statement.elseStatement || !exits(statement.thenStatement))
          continue;
        const reason = under(statement.expression, 'prod', 'after if (%) return');
        if (reason) return reason;
      }
    }
    return undefined;
  }

  /** A named function's registrations run only in development when every use of its name is a call that does. */
  private callersReason(fn: ts.Node, depth: number): string | undefined {
    if (this.memo.has(fn)) return this.memo.get(fn);
    this.memo.set(fn, undefined);
    const name = functionName(fn);
    const reason = name ? this.everyCallDevOnly(fn, name, depth) : undefined;
    this.memo.set(fn, reason);
    return reason;
  }

  private everyCallDevOnly(fn: ts.Node, name: string, depth: number): string | undefined {
    const word = new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`);
    // Only the files whose words may hold the name are read (every file that has it is among them).
    const candidates = this.words.candidates(name);
    // A call under a development-only condition is in a marked file, or the function is not so called.
    if (!candidates.some((file) => this.markedFiles.has(file) && word.test(file.text.content))) return undefined;
    const calls = callsByName(fn, name, candidates);
    if (!calls || calls.length === 0) return undefined;
    let first: string | undefined;
    for (const { call } of calls) {
      const reason = this.reasonFor(call, depth + 1);
      if (!reason) return undefined;
      first ??= reason;
    }
    return `${name}() is called only there: ${first}`;
  }

  private boundValue(id: ts.Identifier): ts.Expression | undefined {
    const binding = this.modules.lookup(id);
    return binding?.kind === 'value' ? binding.node : undefined;
  }
}

function quote(expression: ts.Expression): string {
  const text = expression.getText().replace(/\s+/g, ' ');
  return text.length > QUOTE ? `${text.slice(0, QUOTE - 1)}…` : text;
}

/** A block or statement that only leaves: `return;`, `return next()`, `throw …`, `{ return; }`. */
function exits(statement: ts.Statement): boolean {
  if (typescript.isReturnStatement(statement) || typescript.isThrowStatement(statement)) return true;
  return typescript.isBlock(statement) && statement.statements.length > 0 && exits(statement.statements.at(-1)!);
}

export function isFunctionLike(node: ts.Node): boolean {
  return (
    typescript.isFunctionDeclaration(node) ||
    typescript.isFunctionExpression(node) ||
    typescript.isArrowFunction(node) ||
    typescript.isMethodDeclaration(node) ||
    typescript.isConstructorDeclaration(node) ||
    typescript.isGetAccessorDeclaration(node) ||
    typescript.isSetAccessorDeclaration(node)
  );
}

/** `function f`, `f() {}` in a class, `const f = () => …`: the name it is called by. */
export function functionName(fn: ts.Node): string | undefined {
  if ((typescript.isFunctionDeclaration(fn) || typescript.isMethodDeclaration(fn)) && fn.name)
    return typescript.isIdentifier(fn.name) ? fn.name.text : undefined;
  const parent = fn.parent;
  if (parent && typescript.isVariableDeclaration(parent) && typescript.isIdentifier(parent.name))
    return parent.name.text;
  if (parent && typescript.isPropertyAssignment(parent) && typescript.isIdentifier(parent.name))
    return parent.name.text;
  return undefined;
}

/** The declaration's own name, an import or export of it: not a use. */
export function isDeclarationName(id: ts.Identifier, fn: ts.Node): boolean {
  const parent = id.parent;
  if (parent === fn || parent === fn.parent) return true;
  return (
    typescript.isImportSpecifier(parent) ||
    typescript.isImportClause(parent) ||
    typescript.isExportSpecifier(parent) ||
    typescript.isNamespaceImport(parent) ||
    (typescript.isBindingElement(parent) && parent.name === id)
  );
}

/** The call an identifier is the callee of (`f(…)`, `x.f(…)`), or undefined for any other use. */
export function callOf(id: ts.Identifier): ts.CallExpression | undefined {
  const callee = typescript.isPropertyAccessExpression(id.parent) && id.parent.name === id ? id.parent : id;
  const call = callee.parent;
  return call && typescript.isCallExpression(call) && call.expression === callee ? call : undefined;
}

/**
 * Every call of the named function `fn` by its name in `files` (only those whose text holds the name as a word are
 * walked), in file order; undefined when one use of the name is not a call (the function is passed on, stored, exported
 * under a table: who calls it is not known) or there are more than `limit`.
 */
export function callsByName(
  fn: ts.Node,
  name: string,
  files: readonly CodeFile[],
  limit = Number.POSITIVE_INFINITY,
): Array<{ file: CodeFile; call: ts.CallExpression }> | undefined {
  const word = new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`);
  const calls: Array<{ file: CodeFile; call: ts.CallExpression }> = [];
  for (const file of files) {
    if (!word.test(file.text.content)) continue;
    for (const use of identifiersNamed(file.tree, name)) {
      if (isDeclarationName(use, fn)) continue;
      const call = callOf(use);
      if (!call || calls.length >= limit) return undefined;
      calls.push({ file, call });
    }
  }
  return calls;
}

/**
 * The identifiers of each tree by name, as found: the registrations' and the error sites' development-only checks and
 * the error sites' callers each ask for the same names in the same files (on the corpus of issue 22, 2,886 walks for
 * 1,787 distinct file and name pairs). Keyed by the tree, so a released tree takes its entries with it.
 */
const namedInTree = new WeakMap<ts.SourceFile, Map<string, readonly ts.Identifier[]>>();

export function identifiersNamed(tree: ts.SourceFile, name: string): readonly ts.Identifier[] {
  let byName = namedInTree.get(tree);
  if (!byName) namedInTree.set(tree, (byName = new Map()));
  const known = byName.get(name);
  if (known) return known;
  const out: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (typescript.isIdentifier(node) && node.text === name) out.push(node);
    typescript.forEachChild(node, visit);
  };
  visit(tree);
  byName.set(name, out);
  return out;
}

/** The innermost node that starts at `offset` (a registration call's origin). */
export function nodeAt(tree: ts.SourceFile, offset: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart(tree) <= offset && offset < node.end) {
      found = node;
      typescript.forEachChild(node, visit);
    }
  };
  typescript.forEachChild(tree, visit);
  return found;
}

/** Marks the routes and mounts of a router graph registered only in development or tests (RouteDecl/Mount.devOnly). */
export function markDevOnlyRegistrations(
  nodes: readonly RouterNode[],
  modules: Modules,
  words: WordFiles,
  fileSet: FileSet,
  text: TextFiles,
): void {
  const code = new DevOnlyCode(modules, words, declaresProduction(fileSet, text));
  const byPath = new Map(words.files.map((file) => [file.path, file]));
  for (const node of nodes) {
    for (const route of node.routes) {
      const reason = code.at(route.file, route.origin.range?.start ?? -1);
      if (reason) route.devOnly = reason;
    }
    for (const mount of node.mounts) {
      const file = byPath.get(mount.origin.file);
      const reason = file ? code.at(file, mount.origin.range?.start ?? -1) : undefined;
      if (reason) mount.devOnly = reason;
    }
  }
}

/**
 * Marks the error sites that run only in development or tests (ErrorSite.devOnly): a deployed service never sends
 * them (`if (process.env.NODE_ENV !== 'production') res.status(500).send(err.stack)`, a mock server started by `isDev`).
 */
export function markDevOnlyErrorSites(
  sites: readonly ErrorSite[],
  modules: Modules,
  words: WordFiles,
  fileSet: FileSet,
  text: TextFiles,
): void {
  if (sites.length === 0) return;
  const code = new DevOnlyCode(modules, words, declaresProduction(fileSet, text));
  const byPath = new Map(words.files.map((file) => [file.path, file]));
  for (const site of sites) {
    const file = byPath.get(site.origin.file);
    const reason = file && site.origin.range ? code.at(file, site.origin.range.start) : undefined;
    if (reason) site.devOnly = reason;
  }
}

/** Files that say how the service is run: container builds, compose and platform files, manifests, env templates. */
const DEPLOYMENT_FILE =
  /(^|\/)(Dockerfile[\w.-]*|[\w.-]+\.dockerfile|[\w.-]*\.ya?ml|[\w.-]*\.toml|package\.json|\.env[\w.-]*)$/i;
/** `NODE_ENV=production`, `NODE_ENV: production`, `ENV NODE_ENV production`, `"NODE_ENV": "production"`. */
const PRODUCTION_SETTING = /\bNODE_ENV["']?\s*(?:[=:]\s*|\s+)["']?production\b/;
/** Larger files are data, not deployment configuration. */
const MAX_SIZE = 512 * 1024;

/** Whether the repository's deployment sets NODE_ENV to production (see environmentMeaning). */
export function declaresProduction(fileSet: FileSet, text: TextFiles): boolean {
  return fileSet.files.some(
    (found) =>
      found.size <= MAX_SIZE &&
      DEPLOYMENT_FILE.test(found.path) &&
      PRODUCTION_SETTING.test(text.get(found.path)?.content ?? ''),
  );
}
