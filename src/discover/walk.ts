import type { Dirent } from 'node:fs';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SkippedFile } from '../model/files.js';
import { extendScope, type IgnoreScope, matchIgnore, readOptionalSync } from './gitignore.js';
import { signatureOf } from './signature.js';

/** Folders that hold dependencies, VCS data or build output: never the code under review. */
export const DEFAULT_SKIPPED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  'coverage',
  'vendor',
]);

/** A file the walk found; whether it is text and small enough is decided afterwards. */
export interface Candidate {
  absPath: string;
  /** Relative to the cwd with '/' separators, as reports show it. */
  path: string;
  /** Identity on disk: the same file reached through two symlinks is listed once. */
  realPath: string;
}

export interface WalkState {
  /** Absolute: report paths are relative to it. */
  cwd: string;
  /** Real paths of the lint roots: symlinks may only lead inside these. */
  roots: readonly string[];
  /** Real path → walked path of every folder walked so far, across roots. */
  visited: Map<string, string>;
  candidates: Candidate[];
  skipped: SkippedFile[];
  reportPath: (absPath: string) => string;
  log: (message: string) => void;
  /** --no-ignore: .gitignore files and the config's `ignore` are not applied (the always-skipped folders still are). */
  noIgnore?: boolean;
  /**
   * Set when the walk is carried to the next run (carried.ts): each folder read and `.gitignore` applied, with its
   * stat taken before it is read (a change after the stat changes it again, and is seen at the next run).
   */
  watched?: Map<string, string | undefined>;
}

export interface Folder {
  absPath: string;
  /** Its report path (state.reportPath(absPath)), '' for the cwd itself. */
  path: string;
  realPath: string;
  git: IgnoreScope;
  config: IgnoreScope | undefined;
}

interface Entry {
  name: string;
  /** Sorts as the path does: a folder as `name/`. */
  key: string;
  absPath: string;
  path: string;
  realPath: string;
  isDir: boolean;
  /** Set when the entry is a symlink, which must stay inside the roots. */
  symlink: boolean;
  /** Why a symlink could not be resolved. */
  error?: SkippedFile;
}

/**
 * Walks one folder tree depth-first. Folders are walked one at a time, siblings in sorted
 * order (a folder sorts as `name/`, so the walk order is the order of the paths): which of two
 * paths to the same folder is walked then never depends on timing.
 */
/**
 * Walks one argument folder. Synchronous on purpose: the walk is sequential anyway (output order),
 * and for thousands of folders sync calls avoid a thread-pool round trip per readdir/stat.
 */
export function walkFolder(state: WalkState, folder: Folder): void {
  // Only the folders on the current path: reaching one of them again is a loop.
  const ancestors = new Map<string, string>();
  walk(state, folder, ancestors);
}

function walk(state: WalkState, folder: Folder, ancestors: Map<string, string>): void {
  state.visited.set(folder.realPath, folder.absPath);
  ancestors.set(folder.realPath, folder.absPath);
  try {
    walkEntries(state, folder, ancestors);
  } finally {
    ancestors.delete(folder.realPath);
  }
}

function walkEntries(state: WalkState, folder: Folder, ancestors: Map<string, string>): void {
  state.watched?.set(folder.absPath, signatureOf(folder.absPath));
  let dirents: Dirent[];
  try {
    dirents = readdirSync(folder.absPath, { withFileTypes: true });
  } catch (error) {
    state.skipped.push({ path: displayPath(state, folder.absPath), reason: 'unreadable', detail: errorCode(error) });
    return;
  }

  let git = folder.git;
  if (!state.noIgnore && dirents.some((d) => d.name === '.gitignore' && d.isFile())) {
    const gitignorePath = path.join(folder.absPath, '.gitignore');
    state.watched?.set(gitignorePath, signatureOf(gitignorePath));
    const text = readOptionalSync(gitignorePath);
    if (text !== undefined) git = extendScope(git, folder.absPath, text, state.reportPath(gitignorePath));
  }

  // A child's report path is its folder's plus its name, unless the folder holds the cwd (`..`).
  const derived = !isInside(state.cwd, folder.absPath) || state.cwd === folder.absPath;
  const entries: Entry[] = [];
  for (const dirent of dirents) {
    const entry = resolveEntry(state, folder, dirent, derived);
    if (entry) entries.push(entry);
  }
  entries.sort((a, b) => compare(a.key, b.key));

  for (const entry of entries) {
    const shown = (): string => entry.path + (entry.isDir ? '/' : '');
    if (entry.isDir && DEFAULT_SKIPPED_DIRS.has(entry.name)) {
      state.log(`ignored ${shown()}: always skipped`);
      continue;
    }
    const match = state.noIgnore
      ? undefined
      : (matchIgnore(git, entry.absPath, entry.isDir) ?? matchIgnore(folder.config, entry.absPath, entry.isDir));
    if (match) {
      state.log(`ignored ${shown()}: ${match.source}`);
      continue;
    }
    if (entry.error) {
      state.skipped.push(entry.error);
      continue;
    }
    if (entry.symlink && !state.roots.some((root) => isInside(entry.realPath, root))) {
      state.skipped.push({
        path: entry.path,
        reason: 'symlink-outside-root',
        detail: `links to ${entry.realPath}`,
      });
      continue;
    }
    if (!entry.isDir) {
      state.candidates.push({ absPath: entry.absPath, path: entry.path, realPath: entry.realPath });
      continue;
    }
    const ancestor = ancestors.get(entry.realPath);
    if (ancestor !== undefined) {
      state.skipped.push({
        path: entry.path,
        reason: 'symlink-loop',
        detail: `links to ${displayPath(state, ancestor)}`,
      });
      continue;
    }
    const seen = state.visited.get(entry.realPath);
    if (seen !== undefined) {
      // Not a loop, just a second way into a folder whose files are already listed.
      state.log(`ignored ${shown()}: same folder as ${displayPath(state, seen)}`);
      continue;
    }
    walk(
      state,
      { absPath: entry.absPath, path: entry.path, realPath: entry.realPath, git, config: folder.config },
      ancestors,
    );
  }
}

function resolveEntry(state: WalkState, folder: Folder, dirent: Dirent, derived: boolean): Entry | undefined {
  const name = dirent.name;
  const absPath = childOf(folder.absPath, name);
  const reportPath = derived ? (folder.path === '' ? name : `${folder.path}/${name}`) : state.reportPath(absPath);
  if (!dirent.isSymbolicLink()) {
    // Sockets, FIFOs and devices are not source files (and reading a FIFO would block).
    const isDir = dirent.isDirectory();
    if (!isDir && !dirent.isFile()) return undefined;
    return {
      name,
      key: isDir ? `${name}/` : name,
      absPath,
      path: reportPath,
      realPath: childOf(folder.realPath, name),
      isDir,
      symlink: false,
    };
  }
  try {
    const realPath = realpathSync(absPath);
    const target = statSync(absPath);
    if (!target.isDirectory() && !target.isFile()) return undefined;
    const isDir = target.isDirectory();
    return { name, key: isDir ? `${name}/` : name, absPath, path: reportPath, realPath, isDir, symlink: true };
  } catch (error) {
    const code = errorCode(error);
    // ELOOP: a chain of symlinks that never reaches a real file (a → b → a).
    const skip: SkippedFile =
      code === 'ELOOP'
        ? { path: reportPath, reason: 'symlink-loop', detail: 'symlink chain never resolves' }
        : { path: reportPath, reason: 'unreadable', detail: code === 'ENOENT' ? 'broken symlink' : code };
    return { name, key: name, absPath, path: reportPath, realPath: absPath, isDir: false, symlink: true, error: skip };
  }
}

/** path.join for a normalised folder and a name from readdir, without normalising again (thousands of calls). */
function childOf(folder: string, name: string): string {
  return folder.endsWith(path.sep) ? folder + name : folder + path.sep + name;
}

/** Plain UTF-16 code unit order: the same on every machine, unlike localeCompare. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isInside(candidate: string, root: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function displayPath(state: WalkState, absPath: string): string {
  return state.reportPath(absPath) || '.';
}

export function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : String(error);
}
