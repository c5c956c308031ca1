/**
 * Unreadable parts of what was asked for. A root that cannot be read is a usage error: linting it
 * would print "no problems · 0 files" and pass CI green over code nobody checked. Unreadable
 * folders and files below a root are skipped (discover lists them) and counted in the summary.
 */
import { closeSync, openSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { SkippedFile } from '../model/files.js';

/** Throws UsageError naming the first root (file or folder) that exists but cannot be read. */
export function checkReadableRoots(paths: readonly string[], cwd: string): void {
  for (const path of paths) {
    const absPath = resolve(cwd, path);
    try {
      const stats = statSync(absPath);
      if (stats.isDirectory()) readdirSync(absPath);
      // Only a regular file is opened: opening a FIFO would wait for a writer (discover refuses it).
      else if (stats.isFile()) closeSync(openSync(absPath, 'r'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A missing path has its own message in discover ("path not found").
      if (code === 'ENOENT') continue;
      const why = code === 'EACCES' || code === 'EPERM' ? `permission denied (${code})` : (code ?? String(error));
      throw new UsageError(`cannot read ${path}: ${why}; nothing was checked`);
    }
  }
}

/** How many folders and files were skipped as unreadable, and the first of them; undefined when none. */
export function unreadableParts(skipped: readonly SkippedFile[]): { count: number; first: string } | undefined {
  // A broken symlink is not a part of the tree that the user cannot read: it points nowhere.
  const parts = skipped.filter((skip) => skip.reason === 'unreadable' && skip.detail !== 'broken symlink');
  return parts.length > 0 ? { count: parts.length, first: parts[0]!.path } : undefined;
}
