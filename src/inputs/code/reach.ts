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
 *   `createApp(…).mount(`, `new Vue(`, `bootstrapApplication(`), a Next.js pages-router page with no server data
 *   function (`pages/_app.tsx`, `pages/index.tsx`: its effects and handlers run in the browser), a `'use client'` module — which also
 *   stops a server walk: what it imports runs in the browser — and every module of a front-end package
 *   (CodeFile.runtime `browser`: React or Vue and no server), however its page is mounted, and the entries of a
 *   webpack configuration that builds for browsers only (`target: 'web'`: Send's choo app `app/main.js`);
 * - never a test (a test starts its own server and imports what it tests; a walk does not pass through one
 *   either), nor a tutorial's snapshot copy of an app (model/snapshot-copies.ts: its modules are all `unreached`),
 *   nor a bundle (model/bundles.ts: a vendored, minified library loads its own modules); Next.js's
 *   app-router file names (`app/…/template.ts`, `error.ts`) count only in a package that depends on Next.js;
 * - a package of the repository that no file imports is a library published for others: its `main` and
 *   `exports` are entries whose callers archlint cannot see, so its files count as `server` (as before) — unless
 *   the package is a front end itself (runtime.ts: a widget's package with Vue or React and no server): its entries
 *   are a browser's then, and so are the repository's modules only they import (the widget's API client);
 * - command line (`cli`): a package's `bin` commands, and the files its scripts run that start no server
 *   (`"pprof": "tsx src/scripts/pprof-client.ts"`, `"migrate": …` — not `start`, `dev`, `serve`, `worker` …).
 *   A package that ships a command and starts no server anywhere is a command-line tool: every script and
 *   entry of it is. A person runs these and waits on them (and can interrupt them); no service does.
 *
 * `unknown` when no entry point is found in the whole tree (a partial lint, an unusual layout): nothing
 * is known then, and rules judge as before.
 */
import { posix } from 'node:path';
import type { CodeFile, CodeModel, CodeReach } from '../../model/code.js';
import type { FileSet, TextFiles } from '../../model/files.js';
import { ModuleExports } from '../../model/module-exports.js';
import { readPathAliases } from '../routes/tsconfig.js';
import { readWorkspacePackages } from '../routes/workspaces.js';
import { packageManifests, tsconfigPaths } from './tree-configs.js';
import { isTestPath } from '../../model/test-paths.js';
import { snapshotCopies } from '../../model/snapshot-copies.js';
import { webBundleEntries, WEBPACK_CONFIG } from './web-bundles.js';
import { type CarriedReach, ReachFacts, type ReachTexts } from './reach-facts.js';
import {
  commandFiles,
  commandPackages,
  dependsOn,
  scriptFiles,
  wranglerFiles,
  workerMains,
} from './reach-manifests.js';

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

/** Keeps its process running: a poller, an endless loop. */
const RUNS_FOR_EVER = /\bsetInterval\(|\bwhile\s*\(\s*true\s*\)|\bfor\s*\(\s*;\s*;\s*\)/;

/**
 * The file names Next.js's app router routes by (`app/…/route.ts`, `page.tsx`, `template.ts`, `error.ts`): common
 * names, so a file is taken for one only in a package that depends on Next.js — Trilium's front end keeps a
 * `src/public/app/…/template.ts` of HTML, which no server runs.
 */
const NEXT_APP_PATH =
  /(?:^|\/)app\/(?:.+\/)?(?:route|page|layout|template|default|not-found|error|loading|sitemap|robots|opengraph-image|twitter-image|icon)\.[cm]?[jt]sx?$/;
/** Files a framework routes by their path: they run on the server when a request or a build comes. */
const SERVER_PATH = new RegExp(
  [
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
/**
 * A pages-router page component (`pages/index.tsx`, `pages/_app.tsx`; not `pages/api/`, nor `_document`, which
 * renders only on the server): with no server data function, Next.js pre-renders its markup once and the rest of it —
 * effects, handlers, the contexts `_app` mounts — runs in the visitor's browser.
 */
const PAGES_ROUTER_PAGE = /(?:^|\/)pages\/(?!api\/)(?:[^/]+\/)*(?!_document\.)[^/]+\.[jt]sx$/;

/** Mounts a user interface into a page. */
const BROWSER_TEXT =
  /\b(?:createRoot|hydrateRoot|bootstrapApplication|platformBrowserDynamic)\(|\bReactDOM\.(?:render|hydrate)\(|\bcreateApp\([\s\S]{0,400}?\)\s*(?:\.\w+\([^)]*\)\s*)*\.mount\(|\bnew\s+Vue\(/;

/**
 * Loads modules it does not name: `require(file)`, `import(\`./locales/${lang}\`)`, a folder walk or a glob
 * (`requireDirectory(__dirname)`, `readdirSync`, TypeORM's `subscribers: ['server/subscriber/**\/*.ts']`).
 * A method of that name (`client.connections.import(provider, …)`, an SDK's import of records) loads no module.
 */
const DYNAMIC_LOAD =
  /(?<!\.\s*)\b(?:require|import)\(\s*(?!['"][^'"`]*['"]\s*\))|\brequireDirectory\(|\brequire-all\b|\breaddir(?:Sync)?\(|\bglob(?:Sync)?\(|\b(?:entities|subscribers|migrations)\s*:\s*\[/;
/** A path written in a string: `'./upgrades'`, `'server/subscriber/**\/*.ts'`, a template's head `` `./locales/ ``. */
const PATH_LITERAL = /['"`](\.{0,2}\/?[\w@.-]+(?:\/[\w@.*-]+)*\/?)(?:['"]|\$\{)/g;

/**
 * A file named to be run or read beside this one: `new URL('./deploy-script.js', import.meta.url)` (a script
 * copied into a sandbox, a worker's module), `require.resolve('./worker')`. What it names runs where this runs.
 */
const FILE_REFERENCE =
  /\bnew\s+URL\(\s*['"](\.{1,2}\/[^'"\n]+)['"]\s*,\s*import\.meta\.url|\brequire\.resolve\(\s*['"](\.{1,2}\/[^'"\n]+)['"]/g;

type Kind = 'server' | 'browser' | 'cli';

const TEXTS: ReachTexts = {
  server: SERVER_TEXT,
  defaultHandlers: DEFAULT_HANDLERS,
  browser: BROWSER_TEXT,
  pageServerData: PAGE_SERVER_DATA,
  runsForEver: RUNS_FOR_EVER,
  dynamicLoad: DYNAMIC_LOAD,
  pathLiteral: PATH_LITERAL,
  fileReference: FILE_REFERENCE,
  webpackConfig: WEBPACK_CONFIG,
};

/**
 * `carried`: the facts and the judgement of the last run of a long-running process (reach-facts.ts): the judgement
 * is made again only when something it reads changed.
 */
export function judgeReach(
  code: CodeModel,
  fileSet: FileSet,
  text: TextFiles,
  carried?: CarriedReach,
): Map<string, CodeReach> {
  const configs = tsconfigPaths(fileSet);
  const manifests = packageManifests(fileSet, text);
  const aliases = readPathAliases(configs, text);
  // A tutorial's snapshot copy of an app (`book/3-end/`, model/snapshot-copies.ts) runs in no deployment, like a test:
  // none of its files is an entry, no walk passes through it, and its modules are `unreached`.
  const inCopy = snapshotCopies(fileSet);
  const copied = (file: CodeFile): boolean => inCopy(file.text.rootPath ?? file.path);
  const facts = new Map<string, ReachFacts>();
  const factsOf = (file: CodeFile): ReachFacts => {
    let found = facts.get(file.path);
    if (!found) {
      found = carried
        ? carried.factsOf(file.path, file.text.content, TEXTS)
        : new ReachFacts(file.path, file.text.content, TEXTS);
      facts.set(file.path, found);
    }
    return found;
  };
  // What the judgement reads besides each file's facts: the manifests, the path aliases, the Workers' configs, and
  // each file's runtime and test-ness (in the code model's order, with the facts).
  const inputs = carried
    ? [
        JSON.stringify(manifests),
        JSON.stringify(aliases),
        JSON.stringify(wranglerFiles(fileSet, text)),
        ...code.files.map((file) => `${file.runtime} ${isTestPath(file.text.rootPath ?? file.path)} ${copied(file)}`),
      ]
    : [];
  const allFacts = carried ? code.files.map(factsOf) : [];
  const kept = carried?.reuse(inputs, allFacts);
  if (kept) return kept;
  const judged = judge();
  carried?.keep(inputs, allFacts, judged);
  return judged;

  function judge(): Map<string, CodeReach> {
    const workspaces = readWorkspacePackages(manifests, new Set());
    const resolver = new ModuleExports(code, aliases, workspaces);
    const packageDirs = new Set(manifests.map((m) => posix.dirname(m.path)));
    const packageOf = (path: string): string => {
      for (let dir = posix.dirname(path); ; dir = posix.dirname(dir)) {
        if (packageDirs.has(dir) || dir === '.' || dir === '/' || dir === '') return dir;
      }
    };
    const below = new Map<string, string[]>();
    // The files below a folder are one run of the paths sorted by code unit: found by a binary search, not a
    // pass over every file per folder (the corpus of issue 22 names thousands of folders: 0.9 s).
    const sorted = code.files
      .map((file, index) => ({ path: file.path, index }))
      .sort((a, b) => compare(a.path, b.path));
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
    /**
     * Packages whose modules a server's or command's reached file loads by a name archlint cannot read: what is
     * unreached there is unknown. A page's loads do not count: what a browser loads by name is bundled for the
     * browser, so a module only such a load could reach runs in no server (a pages-router app's locale loader made
     * every unreached script of its package unknown).
     */
    const unknowable = new Set<string>();
    /** Per file whose dynamic load names nothing archlint can read: the packages it may load from. */
    const loadsUnnamed = new Map<string, string[]>();
    const importsOf = (file: CodeFile): string[] => {
      let found = imports.get(file.path);
      if (found) return found;
      found = [];
      const read = factsOf(file);
      // A bundle's `require(…)` and `import(…)` load its own modules, not the project's.
      if (read.bundle) {
        imports.set(file.path, found);
        return found;
      }
      // A type-only import brings no code: a browser app importing its server's router type does not run the server.
      for (const specifier of read.specifiers) {
        const target = resolver.resolveModule(file.path, specifier);
        if (target) found.push(target);
      }
      for (const reference of read.fileReferences) {
        const target = resolver.resolveModule(file.path, reference);
        if (target) found.push(target);
      }
      if (read.dynamicLoad) found.push(...dynamicallyLoaded(file, found));
      imports.set(file.path, found);
      return found;
    };
    /** The files a dynamic loader may load: those below the folders its strings name, or its own folder's. */
    const dynamicallyLoaded = (file: CodeFile, named: readonly string[]): string[] => {
      const out: string[] = [];
      const here = posix.dirname(file.path);
      const read = factsOf(file);
      // A path names a folder with a `/` (`'./upgrades'`, `'server/subscriber/'`): a bare `'.'` is a separator
      // (`key.split('.')`), and taking it for the loader's own folder made NodeBB's server load its browser modules.
      for (const written of read.folderLiterals) {
        for (const base of [here, packageOf(file.path)]) {
          const dir = posix.normalize(posix.join(base, written)).replace(/\/$/, '');
          if (dir.startsWith('..') || dir === '.') continue;
          const below = filesBelow(dir);
          if (below.length > 0 && below.length < 2000) out.push(...below);
        }
      }
      if (read.ownFolder) out.push(...filesBelow(here));
      if (out.length === 0) {
        // Nothing written says where: the file's package, and the packages it imports, may hold what it loads.
        loadsUnnamed.set(file.path, [packageOf(file.path), ...named.map(packageOf)]);
      }
      return out;
    };

    const nextPackages = new Set(
      manifests.filter((m) => dependsOn(m.content, 'next')).map((m) => posix.dirname(m.path)),
    );
    /** In a package that depends on Next.js, or below one (a monorepo whose root holds Next.js), or in a tree with no manifest. */
    const inNextPackage = (path: string): boolean => {
      if (manifests.length === 0) return true;
      for (let dir = posix.dirname(path); ; dir = posix.dirname(dir)) {
        if (nextPackages.has(dir)) return true;
        if (dir === '.' || dir === '/' || dir === '') return false;
      }
    };
    const entries: Record<Kind, string[]> = { server: [], browser: [], cli: [] };
    for (const file of code.files) {
      if (copied(file)) continue;
      // A module of a front-end package (runtime.ts: React or Vue and no server), like a 'use client' one, runs in a
      // page however the page is mounted: what it imports from a shared package (its `api/` client) runs there too.
      const kind =
        entryKind(file, factsOf(file), inNextPackage) ?? (file.runtime === 'browser' ? 'browser' : undefined);
      if (kind) entries[kind].push(file.path);
    }
    // A package that ships a command (`bin`) and has no file that starts a server, or polls for ever, is a
    // command-line tool (a command that runs a poller — `setInterval` — is a daemon someone deployed).
    const serving = new Set(entries.server.map(packageOf));
    for (const file of code.files) if (factsOf(file).runsForEver) serving.add(packageOf(file.path));
    const tools = new Set(
      commandPackages(manifests)
        .map((path) => posix.dirname(path))
        .filter((dir) => !serving.has(dir)),
    );
    const scripts = scriptFiles(manifests, resolver, (manifest) => tools.has(posix.dirname(manifest)));
    entries.server.push(...scripts.server, ...workerMains(wranglerFiles(fileSet, text), resolver));
    entries.browser.push(...webBundleEntries(code, resolver));
    entries.cli.push(...scripts.cli, ...commandFiles(manifests, resolver));
    if (entries.server.length === 0 && entries.browser.length === 0 && entries.cli.length === 0)
      return new Map(code.files.filter(copied).map((file) => [file.path, 'unreached']));

    const reached: Record<Kind, Set<string>> = { server: new Set(), browser: new Set(), cli: new Set() };
    for (const kind of ['server', 'browser'] as const) walk(kind, entries[kind]);
    // A package of the repository no reached file imports is a library others use: its entries count as served.
    const importedPackages = new Set<string>();
    const noteImports = () => {
      for (const [from, targets] of imports)
        for (const target of targets)
          if (packageOf(target) !== packageOf(from)) importedPackages.add(packageOf(target));
    };
    noteImports();
    /** The entry files of each package nothing reached imports: `[package, entry]`. */
    const unimportedEntries = (): Array<[string, string]> =>
      [...workspaces.values()]
        .filter((pkg) => !importedPackages.has(pkg.dir))
        .flatMap((pkg) =>
          [...pkg.entries.keys()]
            .filter((subpath) => !subpath.includes('*'))
            .flatMap((subpath): Array<[string, string]> => {
              const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, '')}`;
              const entry = resolver.resolveModule(posix.join(pkg.dir, 'package.json'), specifier);
              return entry ? [[pkg.dir, entry]] : [];
            }),
        );
    // A library that is itself a front end (a widget's package with Vue or React and no server, runtime.ts) runs in
    // its users' pages; so does what it imports from the repository's other packages (its API client), unless a
    // server reaches that too. Walked first, so that those packages count as imported, not as libraries of their own.
    const widgetEntries = unimportedEntries()
      .filter(([dir, entry]) => !tools.has(dir) && code.get(entry)?.runtime === 'browser')
      .map(([, entry]) => entry);
    walk('browser', widgetEntries);
    noteImports();
    const libraryEntries: string[] = [];
    const toolEntries: string[] = [];
    for (const [dir, entry] of unimportedEntries()) {
      if (widgetEntries.includes(entry)) continue;
      // A command-line tool's own exports are the tool's (what its commands run), not a library's.
      (tools.has(dir) ? toolEntries : libraryEntries).push(entry);
    }
    walk('server', libraryEntries);
    walk('cli', [...entries.cli, ...toolEntries]);

    // A package with no entry point of its own is started in a way archlint does not read (a Dockerfile's CMD, a
    // process manager's config): what nothing there reaches is unknown, not unreached.
    const started = new Set(
      [...entries.server, ...entries.browser, ...entries.cli, ...libraryEntries, ...toolEntries, ...widgetEntries].map(
        packageOf,
      ),
    );
    const out = new Map<string, CodeReach>();
    for (const file of code.files) {
      const pkg = packageOf(file.path);
      out.set(
        file.path,
        copied(file)
          ? 'unreached'
          : reached.server.has(file.path)
            ? 'server'
            : reached.browser.has(file.path)
              ? 'browser'
              : // A package whose server loads modules archlint cannot name may load this one too: not known then.
                reached.cli.has(file.path) && !unknowable.has(pkg)
                ? 'cli'
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
        // What a 'use client' module imports is bundled for the browser: a server (or command's) walk stops at it.
        if (kind !== 'browser' && factsOf(file).useClient) continue;
        // A test (a folder loader may name one) runs in no deployment: what it imports is not reached through it.
        if (isTestPath(file.text.rootPath ?? file.path) || copied(file)) continue;
        seen.add(path);
        for (const target of importsOf(file)) if (!seen.has(target)) queue.push(target);
        if (kind !== 'browser') for (const pkg of loadsUnnamed.get(path) ?? []) unknowable.add(pkg);
      }
    }
  }
}

function entryKind(file: CodeFile, facts: ReachFacts, inNextPackage: (path: string) => boolean): Kind | undefined {
  // A test starts a server to test it, and imports what it tests: what only tests reach no deployed server runs.
  // A vendored or built bundle (a minified MathJax in `public/`) loads its own modules, not the project's.
  if (isTestPath(file.text.rootPath ?? file.path) || facts.bundle) return undefined;
  if (facts.useClient) return 'browser';
  if (facts.serverText || SERVER_PATH.test(file.path)) return 'server';
  if (NEXT_APP_PATH.test(file.path) && inNextPackage(file.path)) return 'server';
  if (/(?:^|\/)pages\//.test(file.path) && facts.pageServerData) return 'server';
  if (PAGES_ROUTER_PAGE.test(file.path) && inNextPackage(file.path)) return 'browser';
  if (facts.defaultHandlers) return 'server';
  if (facts.browserText) return 'browser';
  return undefined;
}

/** Code-unit order (not locale order): the order in which every path starting with a prefix is one run. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
