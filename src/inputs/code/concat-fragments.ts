/**
 * Source fragments a build concatenates with other files (`intro.js` opens a UMD wrapper, `outro.js`
 * closes it; grunt-contrib-concat or gulp-concat join them around the library's code): each is valid
 * only as part of the whole, never alone, so its syntax errors are not the author's. A fragment is a
 * file that a Grunt or Gulp config of its own package names in a task that concatenates.
 */
import { posix } from 'node:path';
import type { FileSet, TextFiles } from '../../model/files.js';

/** Grunt's and Gulp's configs: `Gruntfile.js`, `grunt/concat.js` (load-grunt-config), `gulpfile.js`, `gulp/*.js`. */
const BUILD_CONFIG = /(?:^|\/)(?:(?:grunt|gulp)file\.[cm]?[jt]s|(?:grunt|gulp|tasks)\/[\w.-]+\.[cm]?[jt]s)$/i;
const CONCATENATES = /\bconcat\b/i;

/** Whether `path` is a fragment a build config of its package concatenates with others (see the module comment). */
export function isConcatFragment(fileSet: FileSet, text: TextFiles, path: string): boolean {
  const pkg = packageFolder(text, path);
  if (pkg === undefined) return false;
  const relative = pkg === '.' ? path : path.slice(pkg.length + 1);
  const quoted = new RegExp(`["'\`](?:\\./)?${escapeRegExp(relative)}["'\`]`);
  return fileSet.files.some((file) => {
    if (!BUILD_CONFIG.test(file.path) || packageFolder(text, file.path) !== pkg) return false;
    const content = text.get(file.path)?.content;
    // load-grunt-config keeps each task in a file named for it (`grunt/concat.js`).
    const concatenates = CONCATENATES.test(posix.basename(file.path)) || CONCATENATES.test(content ?? '');
    return content !== undefined && concatenates && quoted.test(content);
  });
}

/** The nearest folder at or above the file's that holds a package.json. */
function packageFolder(text: TextFiles, path: string): string | undefined {
  for (let folder = posix.dirname(path); ; folder = posix.dirname(folder)) {
    if (text.get(folder === '.' ? 'package.json' : `${folder}/package.json`)) return folder;
    if (folder === '.' || folder === '/') return undefined;
  }
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
