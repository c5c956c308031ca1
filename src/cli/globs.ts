/**
 * Glob arguments (`archlint "services/*\/openapi.yaml" "db/**\/*.sql"`), for shells that do not
 * expand them (Windows, npm scripts, pre-commit `args`). A path that exists is taken literally,
 * even with glob characters in its name. A glob's static part (`db/` in `db/**\/*.sql`) is walked
 * as a folder would be, .gitignore and `ignore` applying, and the pattern keeps the files it matches.
 */
import { existsSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';

export interface PathArguments {
  /** What discovery walks: literal paths, and each glob's base folder. */
  paths: string[];
  /** Set when a glob was given: keeps a walked file (report path, relative to cwd) that a glob matches or a literal folder holds. */
  include?: (reportPath: string) => boolean;
}

export function expandGlobs(args: readonly string[], cwd: string): PathArguments {
  const paths: string[] = [];
  const matchers: Array<(path: string) => boolean> = [];
  const folders: string[] = [];
  for (const arg of args) {
    const scan = picomatch.scan(arg);
    if (existsSync(resolve(cwd, arg)) || !scan.isGlob) {
      paths.push(arg);
      folders.push(reportPath(cwd, arg));
      continue;
    }
    const base = scan.base === '' ? '.' : scan.base;
    const baseReport = reportPath(cwd, base);
    paths.push(base);
    matchers.push(picomatch(baseReport === '' ? scan.glob : `${baseReport}/${scan.glob}`));
  }
  if (matchers.length === 0) return { paths };
  const inFolder = (path: string) => folders.some((folder) => folder === '' || path.startsWith(`${folder}/`));
  return { paths, include: (path) => inFolder(path) || matchers.some((matches) => matches(path)) };
}

/** As reports write it: relative to cwd with `/`, '' for cwd itself. */
function reportPath(cwd: string, path: string): string {
  return relative(cwd, resolve(cwd, path)).split(sep).join('/');
}
