/**
 * The tree's module-resolution configuration files, as the whole-tree judgements (reach.ts, loopback-imports.ts)
 * read them: the tsconfig/jsconfig files (path aliases) and the package manifests outside node_modules (workspace
 * packages, entry points, commands).
 */
import { posix } from 'node:path';
import type { FileSet, TextFiles } from '../../model/files.js';

/** The paths of the tree's tsconfig*.json and jsconfig.json files. */
export function tsconfigPaths(fileSet: FileSet): string[] {
  return fileSet.files
    .filter((f) => /^tsconfig[\w.-]*\.json$|^jsconfig\.json$/.test(posix.basename(f.path)))
    .map((f) => f.path);
}

/** Every package.json of the tree outside node_modules, with its text. */
export function packageManifests(fileSet: FileSet, text: TextFiles): { path: string; content: string }[] {
  return fileSet.files
    .filter((f) => posix.basename(f.path) === 'package.json' && !/(^|\/)node_modules\//.test(f.path))
    .flatMap((f) => {
      const file = text.get(f.path);
      return file ? [{ path: f.path, content: file.content }] : [];
    });
}
