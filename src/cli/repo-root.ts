/**
 * The folder that SARIF and GitHub annotation paths are relative to. Code scanning and the
 * annotation API resolve a path against the repository root, not against the folder the job ran
 * in, so a monorepo job with `working-directory: services/orders` would otherwise point at
 * `src/x.ts` instead of `services/orders/src/x.ts`.
 *
 * The git top level is found by walking up to the nearest `.git` (a folder, or a file in a
 * worktree or submodule), as `git rev-parse --show-toplevel` does, without running git. Outside
 * a git tree the lint root is used: the first path linted (its folder, for a file).
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { gitTopLevel } from '../config/find.js';

export function repositoryRoot(cwd: string, paths: readonly string[]): string {
  const lintRoot = folderOf(resolve(cwd, paths[0] ?? '.'));
  return gitTopLevel(lintRoot) ?? lintRoot;
}

function folderOf(path: string): string {
  try {
    return statSync(path).isDirectory() ? path : dirname(path);
  } catch {
    return path;
  }
}
