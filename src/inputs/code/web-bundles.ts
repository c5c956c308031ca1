/**
 * The entries of webpack configurations that build only for browsers (CodeFile.reach, reach.ts): what they bundle runs
 * in a page, though no call archlint knows mounts it (Send's choo app `app/main.js`). Read from the configuration's
 * text, without running it.
 */
import type { CodeModel } from '../../model/code.js';
import type { ModuleExports } from '../../model/module-exports.js';
import { isTestPath } from '../../model/test-paths.js';

/** A webpack configuration file (`webpack.config.js`, `webpack.prod.config.ts`, `webpack.config.client.mjs`). */
export const WEBPACK_CONFIG =
  /(?:^|\/)webpack(?:\.[\w-]+)*\.config(?:\.[\w-]+)*\.[cm]?[jt]s$|(?:^|\/)webpack\.config\.[cm]?[jt]s$/;
/**
 * A target that runs the bundle outside a browser (`target: 'node'`, `isServer ? 'node' : 'web'`, `'electron-main'`): the
 * configuration builds (also) a server's or a desktop app's code. A dev server's proxy `target: 'ws://…'` is not one.
 */
const NON_WEB_TARGET = /\btarget\s*:[^,\n}]*['"`](?:(?:async-)?node|electron|nwjs|node-webkit)[\w.-]*['"`]/;
/** `entry:` or `.entry =`, the start of a configuration's entries. */
const ENTRY = /\bentry\s*(?::|=(?!=))\s*/g;
/** A path written in the entries: `'./app/main.js'`, `path.resolve(__dirname, 'app/main.js')`. */
const ENTRY_PATH = /['"`]((?:\.{1,2}\/)?[\w@.-]+(?:\/[\w@.-]+)+|\.{1,2}\/[\w@.-]+)['"`]/g;

/**
 * The entries of webpack configurations that build only for browsers (`target: 'web'`, `'webworker'`, or webpack's
 * default): what they bundle runs in a page (Send's `app/main.js`, mounted by choo, which no server imports). A
 * configuration with any other target (`node`, `electron-main`, or one computed) is left alone: it may build a server.
 */
export function webBundleEntries(code: CodeModel, resolver: ModuleExports): string[] {
  const out: string[] = [];
  for (const file of code.files) {
    if (!WEBPACK_CONFIG.test(file.path) || isTestPath(file.text.rootPath ?? file.path)) continue;
    const content = file.text.content;
    if (NON_WEB_TARGET.test(content)) continue;
    for (const match of content.matchAll(ENTRY)) {
      for (const written of entryPaths(content, match.index + match[0].length)) {
        const specifier = /^\.{1,2}\//.test(written) ? written : `./${written}`;
        const found = resolver.resolveModule(file.path, specifier);
        if (found) out.push(found);
      }
    }
  }
  return out;
}

/** The paths written in the entry value starting at `at`: a string, or an object or array up to its closing bracket. */
function entryPaths(content: string, at: number): string[] {
  const open = content[at];
  let end = at;
  if (open === '{' || open === '[') {
    let depth = 0;
    for (; end < content.length && end < at + 5_000; end++) {
      const c = content[end];
      if (c === '{' || c === '[' || c === '(') depth++;
      else if ((c === '}' || c === ']' || c === ')') && --depth === 0) break;
    }
  } else {
    end = content.indexOf('\n', at);
  }
  const value = content.slice(at, end < 0 ? undefined : end + 1).replace(/\/\/[^\n]*/g, '');
  return [...value.matchAll(ENTRY_PATH)].map((m) => m[1]!);
}
