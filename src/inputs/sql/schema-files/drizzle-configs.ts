/**
 * The Drizzle schema files a project's drizzle-kit configs migrate: the `schema` entries of every
 * `drizzle.config.*` (a file, a folder or a glob), with the modules those files import or re-export
 * relatively (`schema/index.ts` re-exporting `./users`). drizzle-kit pushes and generates migrations
 * for those tables only; a Drizzle file outside them, in a project that has configs, types a
 * database the project reads but does not own (a mirror of another program's tables).
 *
 * When any config's entries cannot be read or point at nothing (an entry built at run time, a path
 * relative to a folder archlint cannot guess), nothing is known: every file counts as covered.
 */
import { posix } from 'node:path';
import { compileFiles } from '../../../config/globs.js';
import type { CodeModel } from '../../../model/code.js';
import { specifiersIn } from '../../code/specifiers.js';
import type { InputEnv } from '../../env.js';
import { DRIZZLE_CONFIG } from '../tool-config.js';
import { enclosingFolder, packageFolders } from './packages.js';

/** `schema: './src/schema.ts'` or `schema: ['./a.ts', './b/*.table.ts']`. */
const SCHEMA_ENTRY = /\bschema\s*:\s*(\[[^\]]*\]|["'`][^"'`]*["'`])/;
const QUOTED = /["'`]([^"'`]*)["'`]/g;
const GLOB = /[*?{[]/;
const MODULE_SUFFIXES = ['', '.ts', '.tsx', '.mts', '.js', '.mjs', '/index.ts', '/index.js'];

/** The paths a relative specifier may name from a file, in the order a bundler tries them (`./x` → `x.ts`, `x/index.ts`…). */
export function relativeModuleCandidates(fromFile: string, specifier: string): string[] {
  const base = posix.normalize(posix.join(posix.dirname(fromFile), specifier.replace(/\.[cm]?js$/, '')));
  return MODULE_SUFFIXES.map((suffix) => base + suffix);
}

/** Whether a Drizzle schema file is one the project's configs migrate (always true when that cannot be known). */
export type CoveredByConfigs = (path: string) => boolean;

export function drizzleConfigCoverage(env: InputEnv, code: CodeModel): CoveredByConfigs {
  const configs = env.fileSet.files.filter((f) => DRIZZLE_CONFIG.test(f.path));
  if (configs.length === 0) return () => true;
  const paths = env.fileSet.files.map((f) => f.path);
  const packages = packageFolders(env);
  const entries: string[] = [];
  for (const config of configs) {
    const written = SCHEMA_ENTRY.exec(env.text.get(config.path)?.content ?? '')?.[1];
    if (!written || written.includes('${')) return () => true;
    const specs = [...written.matchAll(QUOTED)].map((m) => m[1]!);
    if (specs.length === 0) return () => true;
    // drizzle-kit resolves entries from the folder it runs in: the config's own, or its package's.
    const bases = [posix.dirname(config.path), enclosingFolder(config.path, packages) ?? '.'];
    for (const spec of specs) {
      const found = bases.flatMap((base) => matching(paths, posix.normalize(posix.join(base, spec))));
      if (found.length === 0) return () => true;
      entries.push(...found);
    }
  }
  const covered = withImports(new Set(entries), code);
  return (path) => covered.has(path);
}

/** The files an entry names: itself, the files under a folder, or those a glob matches. */
function matching(paths: readonly string[], entry: string): string[] {
  const clean = entry.replace(/^\.\//, '').replace(/\/$/, '');
  if (GLOB.test(clean)) {
    const matcher = compileFiles([clean]);
    return paths.filter((p) => matcher(p));
  }
  return paths.filter((p) => p === clean || p.startsWith(`${clean}/`));
}

/**
 * The entries and every module they import or re-export through relative specifiers, transitively,
 * read from the text (code/specifiers.ts: a superset, which can only count more files as covered).
 */
function withImports(entries: Set<string>, code: CodeModel): Set<string> {
  const covered = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const path = queue.pop()!;
    if (covered.has(path)) continue;
    covered.add(path);
    const text = code.get(path)?.text.content;
    if (text === undefined) continue;
    for (const specifier of specifiersIn(text)) {
      if (!specifier.startsWith('.')) continue;
      const target = relativeModuleCandidates(path, specifier).find((candidate) => code.get(candidate));
      if (target && !covered.has(target)) queue.push(target);
    }
  }
  return covered;
}
