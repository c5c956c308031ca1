import type { Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { DiscoveredFile, FileSet, SkippedFile } from '../model/files.js';
import { matchIgnore, rootGitScope, scopeOf, toPosix, type IgnoreScope } from './gitignore.js';
import { inspectFile, type Prefetch } from './inspect.js';
import { type Candidate, compare, walkFolder, type WalkState } from './walk.js';
import type { CarriedDiscovery, Walked } from './carried.js';

export { BINARY_EXTENSIONS, classifyFile } from './classify.js';
export { BINARY_SNIFF_BYTES, looksBinary } from './binary.js';
export { DEFAULT_SKIPPED_DIRS } from './walk.js';
export type { Prefetch } from './inspect.js';

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

export interface DiscoverOptions {
  /** Absolute; report paths are relative to it with '/' separators. */
  cwd: string;
  /** Gitignore-style patterns from the config, relative to ignoreBaseDir. */
  ignore?: string[];
  /** Absolute; defaults to cwd. */
  ignoreBaseDir?: string;
  /** Bytes; default DEFAULT_MAX_FILE_SIZE. */
  maxFileSize?: number;
  /** Verbose logging: what was skipped or ignored, and why. */
  log?: (message: string) => void;
  /** Kinds of file to read whole now, for inputs that will read them all (see Prefetch). */
  prefetch?: Prefetch;
  /** --no-ignore: walk without .gitignore files and the config's `ignore` patterns. */
  noIgnore?: boolean;
  /**
   * Keeps a file found by walking a folder only when this returns true for its report path (glob
   * arguments: their static base is walked, the pattern filters). Files named explicitly are kept.
   */
  include?: (reportPath: string) => boolean;
  /**
   * The walk and the files' inspections of the last run of a long-running process, reused while the disk says
   * nothing changed (carried.ts); it tells which files changed. Not with `include` (glob arguments).
   */
  carried?: CarriedDiscovery;
}

interface Argument {
  absPath: string;
  realPath: string;
  isDir: boolean;
}

/**
 * Finds the files to lint under `paths` (default `.`). Folders are walked honouring .gitignore
 * files and the config's ignore patterns; a file named explicitly is always considered. Binary,
 * oversized, unreadable and escaping-symlink files are reported in `skipped`, never thrown.
 */
export async function discover(paths: string[], options: DiscoverOptions): Promise<FileSet> {
  const { cwd } = options;
  const log = options.log ?? (() => {});
  const reportPath = (absPath: string): string => toPosix(path.relative(cwd, absPath));
  const args = await Promise.all((paths.length > 0 ? paths : ['.']).map((p) => resolveArgument(cwd, p)));

  const roots = unique(await Promise.all(args.map((a) => (a.isDir ? a.realPath : realpath(path.dirname(a.absPath))))));
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const carried = options.include ? undefined : options.carried;
  const key = JSON.stringify([
    cwd,
    args,
    options.noIgnore ?? false,
    options.ignore ?? [],
    options.ignoreBaseDir ?? cwd,
    maxFileSize,
  ]);
  let walked = carried?.reusableWalk(key);
  if (walked) for (const line of walked.logs) log(line);
  else {
    walked = walkArguments(args, roots, options, reportPath, carried !== undefined);
    carried?.keepWalk(key, walked);
  }

  const inspect = (c: Candidate) => inspectFile(c.path, c.absPath, maxFileSize, options.prefetch);
  const inspected = carried ? carried.inspectAll(walked.candidates, inspect) : walked.candidates.map(inspect);
  const files: DiscoveredFile[] = [];
  const skipped: SkippedFile[] = [...walked.skipped];
  for (const result of inspected) {
    if ('reason' in result) skipped.push(result);
    else files.push(result);
  }
  skipped.sort((a, b) => compare(a.path, b.path) || compare(a.reason, b.reason));
  for (const skip of skipped) log(`skipped ${skip.path}: ${describeSkip(skip)}`);
  const folderRoots = unique(await Promise.all(args.filter((a) => a.isDir).map((a) => a.realPath)));
  return { roots, folderRoots, files, skipped };
}

/** Walks the folder arguments and lists the named files: the candidates, in path order, each real file once. */
function walkArguments(
  args: readonly Argument[],
  roots: readonly string[],
  options: DiscoverOptions,
  reportPath: (absPath: string) => string,
  watch: boolean,
): Walked {
  const { cwd } = options;
  const logs: string[] = [];
  const log = (message: string) => {
    // Kept to be said again when the walk is reused (only when someone listens: --verbose).
    if (options.log) logs.push(message);
    options.log?.(message);
  };
  const config =
    !options.noIgnore && options.ignore && options.ignore.length > 0
      ? scopeOf(options.ignoreBaseDir ?? cwd, options.ignore, 'config "ignore"')
      : undefined;
  const watched = new Map<string, string | undefined>();
  const state: WalkState = {
    cwd,
    roots,
    visited: new Map(),
    candidates: [],
    skipped: [],
    reportPath,
    log: watch ? log : (options.log ?? (() => {})),
    ...(options.noIgnore ? { noIgnore: true } : {}),
    ...(watch ? { watched } : {}),
  };
  const explicit = new Set<string>();

  for (const arg of args) {
    if (!arg.isDir) {
      // Named explicitly: listed even if an ignore rule covers it.
      state.candidates.push({ absPath: arg.absPath, path: reportPath(arg.absPath), realPath: arg.realPath });
      explicit.add(arg.absPath);
    } else if (!state.visited.has(arg.realPath)) {
      const git = rootGitScope(arg.absPath, reportPath);
      walkFolder(state, {
        absPath: arg.absPath,
        path: reportPath(arg.absPath),
        realPath: arg.realPath,
        git,
        config: applicableConfig(config, arg.absPath),
      });
    }
  }

  const include = options.include;
  const candidates = include
    ? state.candidates.filter((c) => explicit.has(c.absPath) || include(c.path))
    : state.candidates;
  return { candidates: dedupe(candidates), skipped: state.skipped, logs, watched };
}

async function resolveArgument(cwd: string, p: string): Promise<Argument> {
  const absPath = path.resolve(cwd, p);
  let stats: Stats;
  let realPath: string;
  try {
    [stats, realPath] = await Promise.all([stat(absPath), realpath(absPath)]);
  } catch {
    throw new UsageError(`path not found: ${p}`);
  }
  if (!stats.isDirectory() && !stats.isFile()) throw new UsageError(`not a file or folder: ${p}`);
  return { absPath, realPath, isDir: stats.isDirectory() };
}

/** Config patterns that ignore a folder the user named explicitly are not applied inside it. */
function applicableConfig(config: IgnoreScope | undefined, root: string): IgnoreScope | undefined {
  return matchIgnore(config, root, true) ? undefined : config;
}

/** In path order, the first path to each real file wins. */
function dedupe(candidates: readonly Candidate[]): Candidate[] {
  // The walk lists each folder in path order, so with one root (or roots named in order) the list
  // is sorted already: one pass to check beats a sort of long paths with long common prefixes.
  const sorted = isSorted(candidates) ? candidates : [...candidates].sort((a, b) => compare(a.path, b.path));
  const seen = new Set<string>();
  const result: Candidate[] = [];
  for (const c of sorted) {
    if (seen.has(c.realPath)) continue;
    seen.add(c.realPath);
    result.push(c);
  }
  return result;
}

function isSorted(candidates: readonly Candidate[]): boolean {
  for (let i = 1; i < candidates.length; i++)
    if (compare(candidates[i - 1]!.path, candidates[i]!.path) > 0) return false;
  return true;
}

function describeSkip(skip: SkippedFile): string {
  const reason = skip.reason.replaceAll('-', ' ');
  return skip.detail ? `${reason} (${skip.detail})` : reason;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
