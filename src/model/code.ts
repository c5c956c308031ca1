/**
 * The `code` model: every TS/JS file of the run with its syntax tree (built by src/inputs/code,
 * read by the routes input and by code rules).
 */
import type { Node, Project, SourceFile, ts as TypeScript } from 'ts-morph';
import type { TextFile } from './files.js';
import type { Origin } from './finding.js';

export interface CodeFile {
  path: string;
  text: TextFile;
  /**
   * The syntax tree (TypeScript's own nodes, parents set), parsed on first access (once per run). A
   * syntax error is reported as `core/parse-error` then, and the recovered tree is still given; a file
   * too deep to parse safely is reported and given an empty tree.
   */
  readonly tree: TypeScript.SourceFile;
  /**
   * The same tree wrapped by ts-morph, made on first access, for a rule that wants ts-morph's API.
   * The raw `tree` costs far less (issue 22: wrappers for every file were most of the code model's
   * memory): prefer it.
   */
  readonly sourceFile: SourceFile;
  /**
   * Where the file's code runs (src/inputs/code/runtime.ts): `browser` on the user's device (a page
   * of a front-end package, a browser extension, a service worker, a 'use client' module), `build`
   * once while a static site is generated, `server` otherwise — also whenever the signals are unsure.
   * Rules that judge a backend's behaviour (timeouts, queries per element) judge `server` code only.
   */
  readonly runtime: CodeRuntime;
  /**
   * The seconds the deploy platform's config lets one run of the function this module is bundled into last
   * (src/inputs/code/platform-limits.ts: Vercel's `functions[glob].maxDuration`); undefined when no config says.
   */
  readonly platformLimit?: number;
  /**
   * The ORM and database-driver packages the file's nearest package.json depends on (`typeorm`, `sequelize`,
   * `@prisma/client`), empty when it names none: the same call shape (`User.create(…)`) runs a query in one
   * ORM and builds an object in memory in another.
   */
  readonly packageDataLayers?: readonly string[];
  /**
   * The file's nearest package.json runs with an in-process database (SQLite: `sqlite3`, `better-sqlite3`) and names
   * no client of a database reached over a network (`pg`, `mysql2`, `mongodb`, Prisma, whose provider its schema
   * names): each query is a library call, with no round trip to pay.
   */
  readonly packageEmbeddedDatabase?: boolean;
  /**
   * How the file is reached by imports (src/inputs/code/reach.ts): `server` from a server's entry points
   * (a start file, a route or handler module, a worker or schedule, a library's exports), `browser` only
   * from a page's (a module mounting a UI, a 'use client' module, the entries of a front-end package published as a
   * library — a widget), `unreached` from none (a module loaded
   * by file name — an upgrade script, a browser bundle's AMD module — a script run by hand, dead code, and every module
   * of a tutorial's snapshot copy of an app, model/snapshot-copies.ts: `book/3-end/`),
   * `cli` only from a command-line program's (a package's `bin`, a package script that is no server's
   * start: `"pprof": "tsx src/scripts/pprof-client.ts"`): a person runs it and waits on it, no service does;
   * `unknown` when no entry point was found at all. Rules that judge what a running service does
   * (timeouts, queries per element) judge `server` and `unknown` files only.
   */
  readonly reach: CodeReach;
  /**
   * The file's nearest package.json is a workspace package of scripts or tools (its folder is `scripts/`, `tools/`,
   * `tooling/`: `packages/tools/package.json`): a package of commands maintainers and developers run by hand or in CI,
   * which no deployment serves. Files of the root package's `scripts/` folder are not (a postinstall step every user
   * runs may live there).
   */
  readonly toolsPackage?: boolean;
  /**
   * The file is a bundle (src/model/bundles.ts: a vendored library or a build's output — minified, or a bundler's
   * wrapper at its head): not a module of the project but a copy of modules, the project's own or someone else's.
   * Rules that judge the project's code (queries per element, outbound deadlines) judge the sources, not the copy.
   */
  readonly bundle?: boolean;
  /**
   * The names this module imports that hold a loopback URL another module of the project exports
   * (src/inputs/code/loopback-imports.ts: `export const cloudServerUrl = 'http://localhost:8080/app'`, or a setting
   * whose default is one): a request to them is the app calling itself or a sidecar beside it. Judged over the
   * whole tree, like `reach`.
   */
  isLoopbackImport?(name: string): boolean;
  /**
   * A static member of a class in this file whose name no code of the tree writes again (`static getDomain = async
   * (…) => …` that nothing calls): src/inputs/code/unnamed-statics.ts. Judged over the whole tree, like `reach`.
   */
  isUnnamedStatic?(name: string): boolean;
  /**
   * The names this module imports that hold a path of the page's own origin another module of the project exports
   * (`export const USER_ME = '/user/me'`; `Url.USER_ME` through a namespace import): a URL with no host, which only
   * a browser resolves. Judged over the whole tree with isLoopbackImport (src/inputs/code/loopback-imports.ts).
   */
  isOriginPathImport?(name: string): boolean;
  /**
   * The names this module imports that hold a relative path another module of the project exports
   * (`export const TEAMS = 'org/teams'`, read as `Url.TEAMS` too): no host of its own, it resolves below the base URL
   * its request is given (src/inputs/code/loopback-imports.ts).
   */
  isRelativePathImport?(name: string): boolean;
  /**
   * A setting (`process.env.NAME`, `import.meta.env.NAME`) whose value in every dotenv file of the project that names
   * it is a path of the page's own origin (`NEXT_PUBLIC_NEXT_API=/nest/v1`): a base URL only a browser resolves
   * (src/inputs/code/client-settings.ts).
   */
  isOriginPathSetting?(name: string): boolean;
  /**
   * The server code of the file's package sets a default deadline on the axios module (`axios.defaults.timeout =
   * 300_000` at start-up): requests through the package's global axios have it (src/inputs/code/client-settings.ts).
   */
  axiosDefaultTimeout?(): boolean;
  /**
   * Code of the file's package sets the axios module's base URL to a path of the page's origin
   * (`axios.defaults.baseURL = '/api/v1'`): its requests through the global axios are a web client's
   * (src/inputs/code/client-settings.ts).
   */
  axiosOriginBase?(): boolean;
}

export type CodeRuntime = 'server' | 'browser' | 'build';
export type CodeReach = 'server' | 'browser' | 'cli' | 'unreached' | 'unknown';

export interface CodeModel {
  /** Every TS/JS text file, in path order (not parsed until a rule reads `tree`). */
  files: CodeFile[];
  get(path: string): CodeFile | undefined;
  /** An empty in-memory ts-morph project (no type checker), for a rule that builds its own files. Loads ts-morph. */
  readonly project: Project;
  /**
   * Reports the syntax errors (`core/parse-error`) of those of `files` not parsed yet, without keeping
   * their trees: the routes input reads every source file (a parse error may hide routes) but needs
   * the trees of few of them.
   */
  checkUnparsed(files: readonly CodeFile[]): void;
  /**
   * Checks the syntax of the files checkUnparsed left to a rule that will parse them (InputEnv.treesWanted)
   * and that no rule parsed after all: called once the rules have run.
   */
  checkPending(): void;
  /** Every file's `reach`, judged over the whole tree (what a batch checked apart is given). */
  reachMap(): ReadonlyMap<string, CodeReach>;
  /**
   * Repository classes that reach no database, and the interfaces only such classes implement
   * (src/inputs/code/repositories.ts): a `ChainsRepository` whose methods call another service's HTTP API; and
   * `Class.method` for a repository method declared synchronous that makes no data-layer call, and for any static
   * method the tree declares synchronous with a value to return (src/inputs/code/synchronous-statics.ts).
   * Judged over the whole tree on first use; a batch checked apart is given the whole tree's judgement.
   */
  remoteRepositories(): ReadonlySet<string>;
  /** Every file's loopback imports (CodeFile.isLoopbackImport) as `${path}\u0000${name}` keys, judged over the whole tree. */
  loopbackImports?(): ReadonlySet<string>;
  /**
   * Lets the trees parsed so far go when nothing else points into them (an input that walked many files
   * and keeps nodes of few; the engine once a rule that reads trees is done), except those a rule still to
   * run will read (InputEnv.treesWanted). A tree still referenced is the one `tree` gives again; one
   * collected is parsed again on demand, without reporting its errors twice. Gives the number of
   * characters of code whose trees it let go.
   */
  releaseTrees(): number;
  /** The TypeScript namespace the trees come from (SyntaxKind, forEachChild…). Loads the parser. */
  readonly ts: typeof TypeScript;
}

/** The origin of a node: its range without leading trivia (comments, whitespace). */
export function nodeOrigin(file: CodeFile, node: Node): Origin {
  return { file: file.path, range: { start: node.getStart(), end: node.getEnd() } };
}

/**
 * Like nodeOrigin, for a compiler node of the file's tree (a walk over TypeScript's own nodes: ts-morph
 * wrappers cost more than the walk).
 */
export function compilerNodeOrigin(file: CodeFile, node: TypeScript.Node): Origin {
  return { file: file.path, range: { start: node.getStart(file.tree), end: node.getEnd() } };
}
