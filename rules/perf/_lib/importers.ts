/**
 * Who imports a module, read from the import specifiers of every code file (and of `.vue` /
 * `.svelte` components, which import code too). Used to judge a module by where it runs: a module
 * that only one-off scripts import is script code; one that only browser code imports runs in the
 * browser. Shared by perf/no-n-plus-one and resilience/http-client-timeouts.
 *
 * Resolution is by path, without reading tsconfig or package.json: a relative specifier is
 * resolved against the importer's folder; an aliased or workspace specifier (`@/lib/x`,
 * `~/helpers/x`, `@acme/pkg/src/x`) by the tail after its first segment (two for a scope),
 * matched as a path suffix, preferring the candidates nearest the importer. A module whose
 * importers cannot be found has none here (not known), and callers then judge it as before.
 */

/** The smallest view of a file the graph needs (a CodeFile or a TextFile fits). */
export interface SourceText {
  path: string;
  content: string;
}

/** The sources of the graph: every code file, and the `.vue` / `.svelte` components among the text files. */
export function graphSources(code: ReadonlyArray<{ path: string; text: { content: string } }>, text: ReadonlyArray<{ path: string; kind: string }>, read: (path: string) => string | undefined): SourceText[] {
  const sources: SourceText[] = code.map((file) => ({ path: file.path, content: file.text.content }));
  for (const file of text) {
    if (file.kind !== 'text' || !/\.(vue|svelte)$/.test(file.path)) continue;
    const content = read(file.path);
    if (content !== undefined) sources.push({ path: file.path, content });
  }
  return sources;
}

export interface ImportGraph {
  /** The files that import `path` (empty when none was found). */
  importersOf(path: string): readonly string[];
  /** The text of a file of the graph. */
  textOf(path: string): string | undefined;
}

const CODE_EXTENSION = /\.(d\.)?([cm]?[jt]sx?|vue|svelte)$/;
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"\n]+)['"]/gm;
/** Path aliases written with a marker segment: `@/x`, `~/x`, `#/x`, `$lib/x`, `@@/x`. */
const ALIAS = /^(@|~|#|@@|\$\w*)\//;

export function importGraph(files: readonly SourceText[]): ImportGraph {
  const byKey = new Map<string, string[]>();
  const texts = new Map<string, string>();
  for (const file of files) {
    texts.set(file.path, file.content);
    const key = moduleKey(file.path);
    byKey.set(key, [...(byKey.get(key) ?? []), file.path]);
  }
  const keys = [...byKey.keys()];
  const importers = new Map<string, Set<string>>();
  for (const file of files) {
    for (const match of file.content.matchAll(SPECIFIER)) {
      // `import type { X } from …` loads nothing at run time: it says nothing about where the module runs.
      if (isTypeOnly(file.content, match.index)) continue;
      for (const target of resolve(match[1]!, file.path)) {
        if (target === file.path) continue;
        let set = importers.get(target);
        if (!set) importers.set(target, (set = new Set()));
        set.add(file.path);
      }
    }
  }
  return { importersOf: (path) => [...(importers.get(path) ?? [])], textOf: (path) => texts.get(path) };

  function resolve(specifier: string, from: string): string[] {
    if (specifier.startsWith('.')) {
      const joined = normalize(`${dirname(from)}/${specifier}`);
      const key = moduleKey(joined);
      return byKey.get(key) ?? byKey.get(`${joined}/index`) ?? [];
    }
    const segments = specifier.split('/');
    const alias = ALIAS.test(specifier);
    const skip = alias ? 1 : specifier.startsWith('@') ? 2 : 1;
    const tail = moduleKey(segments.slice(skip).join('/'));
    if (!tail) return [];
    const ends = (key: string, suffix: string) => key.endsWith(`/${suffix}`) || key.endsWith(`/${suffix}/index`) || key === suffix;
    // A workspace package is usually the folder of its name: `@acme/auth/server` → `…/auth/server`, `…/auth/src/server`.
    const folder = alias ? undefined : segments[skip - 1];
    let matches = folder ? keys.filter((key) => ends(key, `${folder}/${tail}`) || ends(key, `${folder}/src/${tail}`)) : [];
    // Else by the tail alone, which must say enough: a one-segment tail (`next/server`) names too many files.
    if (matches.length === 0 && (alias || tail.includes('/'))) matches = keys.filter((key) => ends(key, tail));
    if (matches.length <= 1) return matches.flatMap((key) => byKey.get(key)!);
    const nearest = Math.max(...matches.map((key) => sharedPrefix(key, from)));
    return matches.filter((key) => sharedPrefix(key, from) === nearest).flatMap((key) => byKey.get(key)!);
  }
}

/** Whether the import or export statement holding the specifier at `at` is type-only (`import type …`, `export type …`). */
function isTypeOnly(content: string, at: number): boolean {
  const before = content.slice(Math.max(0, at - 2_000), at);
  const keyword = Math.max(before.lastIndexOf('import'), before.lastIndexOf('export'));
  return keyword >= 0 && /^(import|export)\s+type\s/.test(before.slice(keyword));
}

/** `src/lib/x.ts`, `src/lib/x.js` (an ESM import of a .ts file) → `src/lib/x`. */
function moduleKey(path: string): string {
  return path.replace(CODE_EXTENSION, '');
}

function dirname(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '.' : path.slice(0, at);
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else out.push('..');
    } else out.push(part);
  }
  return out.join('/');
}

/** How many leading folders two paths share. */
function sharedPrefix(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let n = 0;
  while (n < x.length - 1 && n < y.length - 1 && x[n] === y[n]) n++;
  return n;
}

/** What an importer says about the module it imports: of the kind, not of it, or nothing (a test imports anything). */
export type ImporterVerdict = 'kind' | 'other' | 'neutral';

/**
 * A framework entry point (a file-routed handler or page, middleware) is loaded by the framework,
 * and an `index` module by its package's name (`@acme/auth`), which this graph cannot resolve:
 * the importers found never say where either runs.
 */
const FRAMEWORK_ENTRY = /(^|\/)(route|page|layout|middleware|instrumentation|\+server|\+page\.server|\+layout\.server|index)\.[cm]?[jt]sx?$/;

/**
 * Whether the module at `path` is only imported by code of a kind (`judge`): at least one
 * importer of the kind, and every other one neutral or itself only imported by that kind
 * (followed up to `depth` levels; a cycle counts as not known, so false).
 */
export function onlyImportedBy(
  graph: ImportGraph,
  path: string,
  judge: (importer: string, text: string) => ImporterVerdict,
  depth = 3,
  stack: ReadonlySet<string> = new Set(),
): boolean {
  if (depth === 0 || stack.has(path) || FRAMEWORK_ENTRY.test(path)) return false;
  const within = new Set([...stack, path]);
  let found = false;
  for (const importer of graph.importersOf(path)) {
    const verdict = judge(importer, graph.textOf(importer) ?? '');
    if (verdict === 'neutral') continue;
    if (verdict === 'kind' || onlyImportedBy(graph, importer, judge, depth - 1, within)) found = true;
    else return false;
  }
  return found;
}
