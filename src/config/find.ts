/**
 * Locating the config file: the nearest folder, from cwd up to the repository's top level (the
 * nearest folder holding `.git`), or up to the filesystem root outside git. The search stops at the
 * repository because a config above it is not the project's: a parent folder's package.json with
 * an "archlint" key once turned every rule of a checked-out repository off.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

/** Looked for in this order in each folder; package.json counts only with an "archlint" key. */
export const CONFIG_FILE_NAMES = ['archlint.config.json', 'archlint.config.yaml', 'archlint.config.yml'] as const;

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** True when package.json parses and has an "archlint" key; a broken package.json is not ours to report. */
export function packageJsonHasConfig(file: string): boolean {
  try {
    const data: unknown = JSON.parse(stripBom(readFileSync(file, 'utf8')));
    return typeof data === 'object' && data !== null && !Array.isArray(data) && Object.hasOwn(data, 'archlint');
  } catch {
    return false;
  }
}

export const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** The nearest folder at or above `dir` that holds `.git` (a folder, or a file in worktrees and submodules). */
export function gitTopLevel(dir: string): string | undefined {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, '.git'))) return at;
    if (path.dirname(at) === at) return undefined;
  }
}

/**
 * Absolute path of the nearest config file, or undefined. A config found by the search that is
 * a symbolic link to a file outside the repository is refused: a committed link could otherwise
 * make archlint read (and quote in an error) any file of the machine. `--config` is not searched
 * and may point anywhere the user chooses.
 */
export function findConfig(cwd: string): string | undefined {
  const start = path.resolve(cwd);
  const top = gitTopLevel(start);
  for (let dir = start; ; dir = path.dirname(dir)) {
    const found = configIn(dir);
    if (found !== undefined) return refuseOutsideLink(found, top ?? dir);
    if (dir === top || path.dirname(dir) === dir) return undefined;
  }
}

function configIn(dir: string): string | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = path.join(dir, name);
    if (isFile(candidate)) return candidate;
  }
  const pkg = path.join(dir, 'package.json');
  return isFile(pkg) && packageJsonHasConfig(pkg) ? pkg : undefined;
}

function refuseOutsideLink(file: string, boundary: string): string {
  const real = realpathSync(file);
  const realBoundary = realpathSync(boundary);
  const inside = path.relative(realBoundary, real);
  if (inside.startsWith('..') || path.isAbsolute(inside)) {
    throw new UsageError(
      `config file ${path.basename(file)} is a link to a file outside ${boundary}; refused (pass it with --config to use it)`,
    );
  }
  return file;
}
