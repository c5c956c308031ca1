/**
 * The calls, creations, member reads and assignments of the project, collected in one walk per
 * file, and the call sites of a project function under every name it is known by (its own, an
 * importer's, a namespace import's member).
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { CodeFile } from '../code/index.js';
import type { Callables } from './callables.js';
import type { Modules } from './modules.js';
import { functionHolder } from './origins.js';
import { fileCalls, namesKey } from './file-calls.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

export interface CallSiteNames {
  /** `x.<name>(…)` calls kept by name (the registration verbs). */
  verbs: ReadonlySet<string>;
  /** Callee names of calls and `new` expressions that may create an app or router. */
  factories: ReadonlySet<string>;
  /** Member names whose reading may hand an app to a server (`app.fetch`). */
  reads: ReadonlySet<string>;
}

/**
 * Text that may give a module a default export, as defaultExportServed reads it (module-exports.ts): `export default`,
 * `export =`, `export { x as default }`, `export { default } from`, `export * from` (followed for every name),
 * `module.exports =`.
 */
const DEFAULT_EXPORT = /\bexport\s+default\b|\bexport\s*=|\bdefault\s*[,}]|\bas\s+default\b|\bexport\s*\*|\bexports\b/;

export class CallSites {
  private readonly byVerb = new Map<string, ts.CallExpression[]>();
  private readonly identifierCalls = new Map<string, ts.CallExpression[]>();
  /**
   * `name(…)` calls by file, then name: callsOf asks for the calls of one name in one file, and filtering
   * the whole project's calls of a common name by file was most of its time (issue 22).
   */
  private readonly identifierCallsIn = new Map<CodeFile, ReadonlyMap<string, ts.CallExpression[]>>();
  /** `x.name(…)` calls by file and property name, for calls through a namespace import (`plugins.registerAuth(app)`). */
  private readonly memberCallsIn = new Map<CodeFile, ReadonlyMap<string, ts.CallExpression[]>>();
  /** `new Name(…)` expressions by file, then name: the constructions of a project class (constructionsOf). */
  private readonly newsIn = new Map<CodeFile, ReadonlyMap<string, ts.NewExpression[]>>();
  /** callsOf's answers: asked again for every parameter of the same function. */
  private readonly callsMemo = new Map<ts.FunctionLikeDeclaration, ts.CallExpression[]>();
  /** Possible factory calls and `new` expressions, in source order. */
  readonly factories: Array<ts.CallExpression | ts.NewExpression> = [];
  readonly reads: ts.PropertyAccessExpression[] = [];
  /** `router[method](…)`: calls through a computed member, whose names the graph reads with its evaluator. */
  readonly elementCalls: ts.CallExpression[] = [];
  /** `app = express()` with no declaration (an implicit global) or `let app; … app = express()`: values by file and name. */
  private readonly assignments = new Map<string, ts.Expression[]>();

  /**
   * Files whose calls are collected only when a lookup needs them (callsOf, assignedIn): their text names no
   * verb, factory, served member or computed call (mayAddToLists), so a walk would add nothing to the lists the
   * graph reads whole, and most are never asked about (issue 22: openpanel's domain modules, reached through
   * router imports, parsed for nothing).
   */
  private readonly deferred = new Set<CodeFile>();
  /** Text that may hold a call or read collect() adds to the project-wide lists (a superset: no syntax parsed). */
  private readonly listSyntax: RegExp;
  /** Which names the per-file walks look for, as a key of the walks kept per tree (file-calls.ts). */
  private readonly namesKey: string;

  constructor(
    private readonly names: CallSiteNames,
    /** Names of plain calls read project-wide (`named`). */
    namedCalls: readonly string[] = [],
  ) {
    this.namesKey = namesKey(names);
    const members = [...new Set([...names.verbs, ...names.factories, ...names.reads])].map(escapeRegExp);
    const callees = [...new Set([...names.factories, ...namedCalls])].map(escapeRegExp);
    // `x.get`, `x?.get`, `x\n  .get` (not `Promise.all`: the global is no router); `express(`, `express<T>(`,
    // `new Hono`; `router[method](`, `handlers[i]?.(`.
    const calls = `(?:${callees.join('|')})`;
    this.listSyntax = new RegExp(
      [
        `(?<!\\bPromise\\s*)\\.\\s*(?:${members.join('|')})\\b`,
        `(?<![\\w$])${calls}\\s*(?:[(<]|\\?\\.)`,
        `\\bnew\\s+${calls}(?![\\w$])`,
        `\\]\\s*(?:\\?\\.)?\\s*[(<]`,
      ].join('|'),
    );
  }

  /** Whether collecting the file could add to the project-wide lists (if not, `defer` it). */
  mayAddToLists(file: CodeFile): boolean {
    return this.listSyntax.test(file.text.content);
  }

  /** A file whose calls are collected when a lookup first needs them (see `deferred`). */
  defer(file: CodeFile): void {
    this.deferred.add(file);
  }

  /**
   * Collects the files of the graph's scope, deferring those only handed a router (graph-scope.ts) whose text names
   * no verb, factory or served member and gives the module no default export (defaultExportServed reads those):
   * they add nothing the graph reads whole. Returns the files collected now.
   */
  collectScope(files: readonly CodeFile[], handed: ReadonlySet<CodeFile>): CodeFile[] {
    const walked: CodeFile[] = [];
    for (const file of files) {
      if (handed.has(file) && !this.mayAddToLists(file) && !DEFAULT_EXPORT.test(file.text.content)) this.defer(file);
      else walked.push(file);
    }
    for (const file of walked) this.collect(file);
    return walked;
  }

  /** A deferred file's calls, collected now (its per-file lists only: it adds nothing to the others). */
  private ensure(file: CodeFile): void {
    if (!this.deferred.delete(file)) return;
    this.collect(file, true);
  }

  /**
   * One walk per file (kept per tree, file-calls.ts): the calls, factories and property reads the analysis may need.
   * `local`: only the lists kept by file (a deferred file, see `deferred`).
   */
  collect(file: CodeFile, local = false): void {
    const calls = fileCalls(file.tree, this.names, this.namesKey);
    this.identifierCallsIn.set(file, calls.identifierCalls);
    this.memberCallsIn.set(file, calls.memberCalls);
    this.newsIn.set(file, calls.news);
    for (const [name, values] of calls.assignments) appendAll(this.assignments, `${file.path}#${name}`, values);
    if (local) return;
    // The project-wide lists, in file order and, within a file, in source order (as one walk over the files adds them).
    for (const [verb, found] of calls.verbCalls) appendAll(this.byVerb, verb, found);
    for (const [name, found] of calls.identifierCalls) appendAll(this.identifierCalls, name, found);
    this.factories.push(...calls.factories);
    this.elementCalls.push(...calls.elementCalls);
    this.reads.push(...calls.reads);
  }

  /** `x.<verb>(…)` calls, in source order. */
  ofVerb(verb: string): readonly ts.CallExpression[] {
    return this.byVerb.get(verb) ?? [];
  }

  /** `name(…)` calls, in source order. */
  named(name: string): readonly ts.CallExpression[] {
    return this.identifierCalls.get(name) ?? [];
  }

  /** `name(…)` calls in one file, in source order (none for a file outside the graph's scope). */
  private namedIn(file: CodeFile, name: string): readonly ts.CallExpression[] {
    // A deferred file is parsed only if its text may call the name (`name(`, `name<T>(`, `name?.(`).
    if (this.deferred.has(file) && !mayCall(file, name)) return [];
    this.ensure(file);
    return this.identifierCallsIn.get(file)?.get(name) ?? [];
  }

  /** What a name with no declaration is assigned in a file. */
  assignedIn(file: CodeFile, name: string): readonly ts.Expression[] {
    this.ensure(file);
    return this.assignments.get(`${file.path}#${name}`) ?? [];
  }

  /** Calls of a project function by any name it is known under (its own, an importer's). */
  callsOf(
    fn: ts.FunctionLikeDeclaration,
    modules: Modules,
    functionsOf: (e: ts.Expression) => ts.FunctionLikeDeclaration[],
  ): ts.CallExpression[] {
    let memo = this.callsMemo.get(fn);
    if (!memo) this.callsMemo.set(fn, (memo = this.computeCallsOf(fn, modules, functionsOf)));
    return memo;
  }

  /**
   * The arguments given at `index` by every visible call of a project function; a constructor's by every `new` of its
   * class (`new Routes(app)` hands the app to `class Routes { constructor(app) { app.use('/v1', r) } }`).
   */
  argumentsAt(
    fn: ts.FunctionLikeDeclaration,
    index: number,
    modules: Modules,
    callables: Pick<Callables, 'functionsOf' | 'classOf'>,
  ): ts.Expression[] {
    const calls: Array<ts.CallExpression | ts.NewExpression> = typescript.isConstructorDeclaration(fn)
      ? this.constructionsOf(fn.parent, modules, (e) => callables.classOf(e))
      : this.callsOf(fn, modules, (e) => callables.functionsOf(e));
    return calls.flatMap((call) => (call.arguments?.[index] ? [call.arguments[index]] : []));
  }

  private computeCallsOf(
    fn: ts.FunctionLikeDeclaration,
    modules: Modules,
    functionsOf: (e: ts.Expression) => ts.FunctionLikeDeclaration[],
  ): ts.CallExpression[] {
    const names = new Set<string>();
    const holder = functionHolder(fn);
    if (holder.name) names.add(holder.name);
    const calls: ts.CallExpression[] = [];
    const consider = (call: ts.CallExpression) => {
      if (functionsOf(call.expression).some((candidate) => candidate === fn)) calls.push(call);
    };
    this.visitCallers(modules.fileFor(fn), names, modules, {
      named: (file, name) => this.namedIn(file, name).forEach(consider),
      // `import * as plugins from './plugins'` → `plugins.registerJwtAuth(app)`.
      namespace: (file, namespace) => this.namespaceCalls(file, namespace, names).forEach(consider),
    });
    return [...new Set(calls)];
  }

  /**
   * The `new` expressions that construct a project class, under any name it is known by (its own, an importer's,
   * a namespace import's member): `new Routes(app)` in the server file of `class Routes { constructor(app) … }`.
   */
  constructionsOf(
    cls: ts.ClassLikeDeclaration,
    modules: Modules,
    classOf: (e: ts.Expression) => ts.ClassLikeDeclaration | undefined,
  ): ts.NewExpression[] {
    const names = new Set<string>();
    if (cls.name) names.add(cls.name.text);
    else if (cls.parent && typescript.isVariableDeclaration(cls.parent) && typescript.isIdentifier(cls.parent.name))
      names.add(cls.parent.name.text);
    const news: ts.NewExpression[] = [];
    const consider = (creation: ts.NewExpression) => {
      if (classOf(creation) === cls) news.push(creation);
    };
    this.visitCallers(modules.fileFor(cls), names, modules, {
      named: (file, name) => this.newsNamedIn(file, name).forEach(consider),
      namespace: (file, namespace) => {
        for (const name of names)
          for (const creation of this.newsNamedIn(file, name)) {
            const callee = creation.expression;
            if (
              typescript.isPropertyAccessExpression(callee) &&
              typescript.isIdentifier(callee.expression) &&
              callee.expression.text === namespace
            )
              consider(creation);
          }
      },
    });
    return [...new Set(news)];
  }

  private newsNamedIn(file: CodeFile, name: string): readonly ts.NewExpression[] {
    if (this.deferred.has(file) && !mayCall(file, name)) return [];
    this.ensure(file);
    return this.newsIn.get(file)?.get(name) ?? [];
  }

  /**
   * Where a declaration of `file` known by `names` can be used: the file itself by those names, then every importer
   * (of the file, and of barrel files that re-export it, two levels: `plugins/index.ts`) by its local name.
   */
  private visitCallers(
    file: CodeFile,
    names: ReadonlySet<string>,
    modules: Modules,
    visit: { named(file: CodeFile, name: string): void; namespace(file: CodeFile, namespace: string): void },
  ): void {
    for (const name of names) visit.named(file, name);
    const sources = [file.path];
    for (const barrel of modules.reexportersOf(file.path)) {
      sources.push(barrel.path);
      for (const outer of modules.reexportersOf(barrel.path)) sources.push(outer.path);
    }
    // Only the importers whose calls were collected can hold one (namedIn and namespaceCalls find none elsewhere).
    // A deferred one is read (parsed, its bindings listed) only if its text may call the function: by one of its
    // names (a named import, a namespace's member), or by a name of the importer's choosing (an alias, a default
    // import, a require).
    const mayHold = (importer: CodeFile) =>
      names.size === 0 ||
      [...names].some((name) => mayCall(importer, name)) ||
      RENAMING_IMPORT.test(importer.text.content);
    const collected = (importer: CodeFile) =>
      this.identifierCallsIn.has(importer) || (this.deferred.has(importer) && mayHold(importer));
    for (const source of new Set(sources)) {
      for (const importer of modules.importersAmong(source, collected)) {
        if (importer.imported === '*') visit.namespace(importer.file, importer.local);
        else visit.named(importer.file, importer.local);
      }
    }
  }

  /** `ns.name(…)` calls in a file where `ns` is a namespace import. */
  private namespaceCalls(file: CodeFile, namespace: string, names: Set<string>): ts.CallExpression[] {
    const out: ts.CallExpression[] = [];
    if (this.deferred.has(file) && ![...names].some((name) => mayCall(file, name))) return out;
    this.ensure(file);
    for (const name of names) {
      for (const call of this.memberCallsIn.get(file)?.get(name) ?? []) {
        const receiver = (call.expression as ts.PropertyAccessExpression).expression;
        if (typescript.isIdentifier(receiver) && receiver.text === namespace) out.push(call);
      }
    }
    return out;
  }
}

/**
 * An import that binds a name of the importer's choosing: `import { a as b }`, `import * as ns`, a default import
 * (`import x from`, `import x, { … } from`), `require(…)`, `import(…)`.
 */
const RENAMING_IMPORT = /\bas\s+[\w$]|\bimport\s+[\w$]+\s*(?:,|=|from\b)|\brequire\s*\(|\bimport\s*\(/;

/** Whether a file's text may hold a call of the name: the name, then (after type arguments) an opening bracket. */
function mayCall(file: CodeFile, name: string): boolean {
  return new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])\\s*(?:\\?\\.\\s*)?[(<]`).test(file.text.content);
}

function escapeRegExp(name: string): string {
  return name.replace(/[$.*+?^()[\]{}|\\]/g, '\\$&');
}

/** Appends `values` to the list under `key`, never sharing a per-file list (the project-wide lists grow). */
function appendAll<K, V>(map: Map<K, V[]>, key: K, values: readonly V[]): void {
  const list = map.get(key);
  if (list) list.push(...values);
  else map.set(key, [...values]);
}
