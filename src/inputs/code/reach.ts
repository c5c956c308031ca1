/**
 * How a code file is reached (CodeFile.reach): by imports from a server's entry points, only from a
 * browser's, or from none. A module runs where the modules that import it run: a `client/src/api.ts`
 * that only the single-page app's `main.tsx` imports is browser code though its package also holds
 * an Express server; NodeBB's `public/src/*.js`, loaded by the browser bundle, is imported by no server
 * module; an upgrade script the upgrade runner loads by file name is imported by nothing.
 *
 * Entry points, from each file's own path and text (a superset: a file wrongly taken for an entry only
 * keeps its findings):
 * - server: a file that starts or serves a server (`.listen(`, `createServer(`, `NestFactory.create`,
 *   `Bun.serve(`, `serve({ fetch })`, a Worker's `export default { fetch }`), a queue worker or a schedule
 *   (`new Worker(`, `.process(`, `cron.schedule(`, `new CronJob(`, a trigger.dev or Inngest task), a
 *   serverless handler (`export const handler`, Firebase `onRequest`), a `'use server'` module, a file a
 *   framework routes by its path (Next.js `app/…/route|page|layout`, `pages/api/…`, a pages-router page
 *   with server data, `middleware.ts`, Remix and React Router `app/routes/…`, SvelteKit `+server.ts` and
 *   `*.server.ts`, Nuxt `server/…`, Vercel and Netlify functions), and a file a package's start scripts run;
 * - browser: a file that mounts a user interface (`createRoot(`, `ReactDOM.render(`, `hydrateRoot(`,
 *   `createApp(…).mount(`, `new Vue(`, `bootstrapApplication(`), and a `'use client'` module — which also
 *   stops a server walk: what it imports runs in the browser;
 * - a package of the repository that no file imports is a library published for others: its `main` and
 *   `exports` are entries whose callers archlint cannot see, so its files count as `server` (as before).
 *
 * `unknown` when no entry point is found in the whole tree (a partial lint, an unusual layout): nothing
 * is known then, and rules judge as before.
 */
import { posix } from 'node:path';
import type { CodeFile, CodeModel, CodeReach } from '../../model/code.js';
import type { FileSet, TextFiles } from '../../model/files.js';
import { ModuleExports } from '../../model/module-exports.js';
import { valueSpecifiersIn } from './specifiers.js';
import { readPathAliases } from '../routes/tsconfig.js';
import { readWorkspacePackages } from '../routes/workspaces.js';
import { firstStatement, isUseClient } from './directives.js';

export type { CodeReach } from '../../model/code.js';

/** Starts, serves or schedules: the process's own entry, a worker, a serverless handler. */
const SERVER_TEXT = new RegExp(
  [
    String.raw`\.listen\(`,
    String.raw`\bcreateServer\(`,
    String.raw`\bNestFactory\.create`,
    String.raw`\b(?:Bun|Deno)\.serve\(`,
    String.raw`\bserve\(\s*\{`,
    String.raw`\bnew\s+Worker\s*\(`,
    String.raw`\.process\(`,
    String.raw`\bcron\.schedule\(`,
    String.raw`\bnew\s+CronJob\(`,
    String.raw`\bscheduleJob\(`,
    String.raw`\bschedules\.task\(`,
    String.raw`\b(?:task|schemaTask)\(\s*\{\s*id\s*:`,
    String.raw`\bcreateFunction\(`,
    String.raw`\bexport\s+(?:const|let|async\s+function|function)\s+handler\b`,
    String.raw`\b(?:module\.)?exports\.handler\s*=`,
    String.raw`\bon(?:Request|Call|Schedule)\(`,
    String.raw`^\s*['"]use server['"]`,
  ].join('|'),
  'm',
);
/**
 * A Worker, Deno or Bun module whose default export answers requests or runs on a schedule, or a Hono app
 * exported by default (what a Worker or Bun serves).
 */
const DEFAULT_HANDLERS =
  /\bexport\s+default\s*\{[\s\S]{0,2000}?\b(?:async\s+)?(?:fetch|scheduled|queue)\s*[(:]|\bnew\s+Hono\b[\s\S]*\bexport\s+default\s+\w+\s*;?\s*$/;

/** Files a framework routes by their path: they run on the server when a request or a build comes. */
const SERVER_PATH = new RegExp(
  [
    String.raw`(?:^|/)app/(?:.+/)?(?:route|page|layout|template|default|not-found|error|loading|sitemap|robots|opengraph-image|twitter-image|icon)\.[cm]?[jt]sx?$`,
    String.raw`(?:^|/)pages/api/`,
    String.raw`(?:^|/)(?:src/)?(?:middleware|instrumentation(?:\.node)?)\.[cm]?[jt]s$`,
    String.raw`(?:^|/)app/(?:routes/|root\.[jt]sx?$|entry\.server\.[jt]sx?$)`,
    String.raw`(?:^|/)\+(?:server|page\.server|layout\.server)\.[jt]s$`,
    String.raw`(?:^|/)hooks\.server\.[jt]s$`,
    String.raw`(?:^|/)server/(?:api|routes|middleware|plugins|tasks)/`,
    String.raw`(?:^|/)netlify/(?:edge-)?functions/`,
  ].join('|'),
);
/** A pages-router page that loads its data on the server. */
const PAGE_SERVER_DATA = /\b(?:getServerSideProps|getStaticProps|getInitialProps)\b/;

/** Mounts a user interface into a page. */
const BROWSER_TEXT =
  /\b(?:createRoot|hydrateRoot|bootstrapApplication|platformBrowserDynamic)\(|\bReactDOM\.(?:render|hydrate)\(|\bcreateApp\([\s\S]{0,400}?\)\s*(?:\.\w+\([^)]*\)\s*)*\.mount\(|\bnew\s+Vue\(/;

/** A file a package script runs: `node dist/server.js`, `tsx watch src/index.ts`, `ts-node ./src/main.ts`. */
const SCRIPT_FILE = /(?:^|\s)(?:\.\/)?((?:[\w@.-]+\/)*[\w@.-]+\.[cm]?[jt]sx?)(?=\s|$|;|&|\|)/g;
/** `main = "src/index.ts"` of a Cloudflare Worker (wrangler.toml, wrangler.json[c]). */
const WRANGLER_MAIN = /^\s*"?main"?\s*[=:]\s*"([^"]+)"/m;

/**
 * Loads modules it does not name: `require(file)`, `import(\`./locales/${lang}\`)`, a folder walk or a glob
 * (`requireDirectory(__dirname)`, `readdirSync`, TypeORM's `subscribers: ['server/subscriber/**\/*.ts']`).
 */
const DYNAMIC_LOAD =
  /\b(?:require|import)\(\s*(?!['"][^'"`]*['"]\s*\))|\brequireDirectory\(|\brequire-all\b|\breaddir(?:Sync)?\(|\bglob(?:Sync)?\(|\b(?:entities|subscribers|migrations)\s*:\s*\[/;
/** A path written in a string: `'./upgrades'`, `'server/subscriber/**\/*.ts'`, a template's head `` `./locales/ ``. */
const PATH_LITERAL = /['"`](\.{0,2}\/?[\w@.-]+(?:\/[\w@.*-]+)*\/?)(?:['"]|\$\{)/g;

/**
 * A file named to be run or read beside this one: `new URL('./deploy-script.js', import.meta.url)` (a script
 * copied into a sandbox, a worker's module), `require.resolve('./worker')`. What it names runs where this runs.
 */
const FILE_REFERENCE =
  /\bnew\s+URL\(\s*['"](\.{1,2}\/[^'"\n]+)['"]\s*,\s*import\.meta\.url|\brequire\.resolve\(\s*['"](\.{1,2}\/[^'"\n]+)['"]/g;

type Kind = 'server' | 'browser';

export function judgeReach(code: CodeModel, fileSet: FileSet, text: TextFiles): Map<string, CodeReach> {
  const configs = fileSet.files
    .filter((f) => /^tsconfig[\w.-]*\.json$|^jsconfig\.json$/.test(posix.basename(f.path)))
    .map((f) => f.path);
  const manifests = fileSet.files
    .filter((f) => posix.basename(f.path) === 'package.json' && !/(^|\/)node_modules\//.test(f.path))
    .flatMap((f) => {
      const file = text.get(f.path);
      return file ? [{ path: f.path, content: file.content }] : [];
    });
  const workspaces = readWorkspacePackages(manifests, new Set());
  const resolver = new ModuleExports(code, readPathAliases(configs, text), workspaces);
  const packageDirs = new Set(manifests.map((m) => posix.dirname(m.path)));
  const packageOf = (path: string): string => {
    for (let dir = posix.dirname(path); ; dir = posix.dirname(dir)) {
      if (packageDirs.has(dir) || dir === '.' || dir === '/' || dir === '') return dir;
    }
  };
  const below = new Map<string, string[]>();
  // The files below a folder are one run of the paths sorted by code unit: found by a binary search, not a
  // pass over every file per folder (the corpus of issue 22 names thousands of folders: 0.9 s).
  const sorted = code.files.map((file, index) => ({ path: file.path, index })).sort((a, b) => compare(a.path, b.path));
  const filesBelow = (dir: string): string[] => {
    let found = below.get(dir);
    if (!found) {
      const prefix = `${dir}/`;
      let low = 0;
      let high = sorted.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (compare(sorted[middle]!.path, prefix) < 0) low = middle + 1;
        else high = middle;
      }
      const indexes: number[] = [];
      for (let i = low; i < sorted.length && sorted[i]!.path.startsWith(prefix); i++) indexes.push(sorted[i]!.index);
      // In the code model's order, as the files were listed before.
      found = indexes.sort((a, b) => a - b).map((index) => code.files[index]!.path);
      below.set(dir, found);
    }
    return found;
  };

  const imports = new Map<string, string[]>();
  /** Packages whose modules a reached file loads by a name archlint cannot read: what is unreached there is unknown. */
  const unknowable = new Set<string>();
  const importsOf = (file: CodeFile): string[] => {
    let found = imports.get(file.path);
    if (found) return found;
    found = [];
    const content = file.text.content;
    // A type-only import brings no code: a browser app importing its server's router type does not run the server.
    for (const specifier of valueSpecifiersIn(content)) {
      const target = resolver.resolveModule(file.path, specifier);
      if (target) found.push(target);
    }
    for (const match of content.matchAll(FILE_REFERENCE)) {
      const target = resolver.resolveModule(file.path, match[1] ?? match[2]!);
      if (target) found.push(target);
    }
    if (DYNAMIC_LOAD.test(content)) found.push(...dynamicallyLoaded(file, found));
    imports.set(file.path, found);
    return found;
  };
  /** The files a dynamic loader may load: those below the folders its strings name, or its own folder's. */
  const dynamicallyLoaded = (file: CodeFile, named: readonly string[]): string[] => {
    const out: string[] = [];
    const here = posix.dirname(file.path);
    const content = file.text.content;
    for (const match of content.matchAll(PATH_LITERAL)) {
      const written = match[1]!.replace(/\/?[^/]*\*.*$/, '');
      if (!written.includes('/') && !written.startsWith('.')) continue;
      for (const base of [here, packageOf(file.path)]) {
        const dir = posix.normalize(posix.join(base, written)).replace(/\/$/, '');
        if (dir.startsWith('..') || dir === '.') continue;
        const below = filesBelow(dir);
        if (below.length > 0 && below.length < 2000) out.push(...below);
      }
    }
    if (/\b__dirname\b|import\.meta\.(?:url|dirname)/.test(content)) out.push(...filesBelow(here));
    if (out.length === 0) {
      // Nothing written says where: the file's package, and the packages it imports, may hold what it loads.
      unknowable.add(packageOf(file.path));
      for (const target of named) unknowable.add(packageOf(target));
    }
    return out;
  };

  const entries: Record<Kind, string[]> = { server: [], browser: [] };
  for (const file of code.files) {
    const kind = entryKind(file);
    if (kind) entries[kind].push(file.path);
  }
  entries.server.push(...scriptFiles(manifests, resolver), ...workerMains(fileSet, text, resolver));
  if (entries.server.length === 0 && entries.browser.length === 0) return new Map();

  const reached: Record<Kind, Set<string>> = { server: new Set(), browser: new Set() };
  for (const kind of ['server', 'browser'] as const) walk(kind, entries[kind]);
  // A package of the repository no reached file imports is a library others use: its entries count as served.
  const importedPackages = new Set<string>();
  for (const [from, targets] of imports)
    for (const target of targets) if (packageOf(target) !== packageOf(from)) importedPackages.add(packageOf(target));
  const libraryEntries: string[] = [];
  for (const pkg of workspaces.values()) {
    if (importedPackages.has(pkg.dir)) continue;
    for (const subpath of pkg.entries.keys()) {
      if (subpath.includes('*')) continue;
      const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, '')}`;
      const entry = resolver.resolveModule(posix.join(pkg.dir, 'package.json'), specifier);
      if (entry) libraryEntries.push(entry);
    }
  }
  walk('server', libraryEntries);

  // A package with no entry point of its own is started in a way archlint does not read (a Dockerfile's CMD, a
  // process manager's config): what nothing there reaches is unknown, not unreached.
  const started = new Set([...entries.server, ...entries.browser, ...libraryEntries].map(packageOf));
  const out = new Map<string, CodeReach>();
  for (const file of code.files) {
    const pkg = packageOf(file.path);
    out.set(
      file.path,
      reached.server.has(file.path)
        ? 'server'
        : reached.browser.has(file.path)
          ? 'browser'
          : started.has(pkg) && !unknowable.has(pkg)
            ? 'unreached'
            : 'unknown',
    );
  }
  return out;

  function walk(kind: Kind, from: readonly string[]): void {
    const seen = reached[kind];
    const queue = [...from];
    while (queue.length > 0) {
      const path = queue.pop()!;
      if (seen.has(path)) continue;
      const file = code.get(path);
      if (!file) continue;
      // What a 'use client' module imports is bundled for the browser: a server walk stops at it.
      if (kind === 'server' && isUseClient(file.text.content)) continue;
      seen.add(path);
      for (const target of importsOf(file)) if (!seen.has(target)) queue.push(target);
    }
  }
}

function entryKind(file: CodeFile): Kind | undefined {
  const content = file.text.content;
  if (isUseClient(content)) return 'browser';
  if (SERVER_TEXT.test(content) || SERVER_PATH.test(file.path)) return 'server';
  if (/(?:^|\/)pages\//.test(file.path) && PAGE_SERVER_DATA.test(content)) return 'server';
  if (DEFAULT_HANDLERS.test(content)) return 'server';
  if (BROWSER_TEXT.test(content)) return 'browser';
  return undefined;
}

/**
 * The files a package's scripts run (`node dist/main.js` is read as its source too): a start script, a worker,
 * a build step every install runs (`postbuild`). Scripts run by hand are scripts too; what they run was judged
 * before this fact, and still is.
 */
function scriptFiles(manifests: ReadonlyArray<{ path: string; content: string }>, resolver: ModuleExports): string[] {
  const out: string[] = [];
  for (const { path, content } of manifests) {
    let pkg: { scripts?: unknown };
    try {
      pkg = JSON.parse(content) as typeof pkg;
    } catch {
      continue;
    }
    if (!pkg.scripts || typeof pkg.scripts !== 'object') continue;
    for (const command of Object.values(pkg.scripts as Record<string, unknown>)) {
      if (typeof command !== 'string') continue;
      for (const match of command.matchAll(SCRIPT_FILE)) {
        const file = match[1]!;
        const candidates = [
          file,
          file.replace(/^(?:dist|build|out|lib)\//, 'src/'),
          file.replace(/^(?:dist|build|out)\//, ''),
        ];
        const found = candidates.map((c) => resolver.resolveModule(path, `./${c}`)).find((f) => f !== undefined);
        if (found) out.push(found);
      }
    }
  }
  return out;
}

/** The modules Cloudflare Workers start from (`main` in wrangler.toml or wrangler.json). */
function workerMains(fileSet: FileSet, text: TextFiles, resolver: ModuleExports): string[] {
  return fileSet.files
    .filter((f) => /^wrangler\.(?:toml|jsonc?)$/.test(posix.basename(f.path)))
    .flatMap((f) => {
      const main = WRANGLER_MAIN.exec(text.get(f.path)?.content ?? '')?.[1];
      const found = main && resolver.resolveModule(f.path, `./${main.replace(/^\.\//, '')}`);
      return found ? [found] : [];
    });
}

/** Code-unit order (not locale order): the order in which every path starting with a prefix is one run. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
