/**
 * The code a service runs: the project files reachable by imports from the files that declare it and
 * its routes (relative, path-alias and workspace imports, `require()` and `import()` included), and the
 * packages those files import. A service that limits request rates in a sub-router, a helper wrapped
 * around a few routes, or a plugin loaded from a folder still imports the limiter somewhere in that code.
 */
import { posix } from 'node:path';
import type { CodeFile } from '../code/index.js';
import { FOLDER_LOADERS } from './frameworks/index.js';
import type { Modules } from './modules.js';
import { packageName } from './values.js';

/** `import … from 'x'`, `export … from 'x'`, `import 'x'`, `require('x')`, `import('x')`, as written. */
const SPECIFIER =
  /\bfrom\s*['"]([^'"\n]+)['"]|\bimport\s*['"]([^'"\n]+)['"]|\b(?:require|import)\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g;
/** Files beyond which the walk stops: a service's code is rarely more, and the fact is only "used anywhere". */
const FILE_LIMIT = 5000;

export class Reach {
  private readonly importsCache = new Map<string, { files: string[]; packages: string[] }>();

  constructor(private readonly modules: Modules) {}

  /** The packages imported anywhere in the code reachable from `roots`. */
  packagesFrom(roots: Iterable<string>): Set<string> {
    return this.walk(roots).packages;
  }

  /** Whether a walk's files are all the code reachable (the walk stopped at no limit). */
  complete(files: readonly CodeFile[]): boolean {
    return !this.cut.has(files);
  }

  /** Walks that stopped at FILE_LIMIT with files left to follow. */
  private readonly cut = new WeakSet<readonly CodeFile[]>();

  /** The project's code files reachable from `roots` (the roots included), in the order they were met. */
  filesFrom(roots: Iterable<string>): CodeFile[] {
    return this.walk(roots).files;
  }

  private walk(roots: Iterable<string>): { files: CodeFile[]; packages: Set<string> } {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const reached: CodeFile[] = [];
    const queue = [...roots];
    while (queue.length > 0 && seen.size < FILE_LIMIT) {
      const path = queue.pop()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const file = this.modules.code.get(path);
      if (!file) continue;
      reached.push(file);
      const { files, packages: own } = this.importsOf(file);
      for (const p of own) packages.add(p);
      for (const f of files) if (!seen.has(f)) queue.push(f);
    }
    if (queue.some((path) => !seen.has(path))) this.cut.add(reached);
    return { files: reached, packages };
  }

  /** What one file imports: project files (resolved) and package names. Read from the text: no tree walk. */
  private importsOf(file: CodeFile): { files: string[]; packages: string[] } {
    const cached = this.importsCache.get(file.path);
    if (cached) return cached;
    const files: string[] = [];
    const packages = new Set<string>();
    const text = file.text.content;
    for (const match of text.matchAll(SPECIFIER)) {
      const specifier = match[1] ?? match[2] ?? match[3]!;
      const target = this.modules.resolveModule(file.path, specifier);
      if (target) files.push(target);
      else if (!specifier.startsWith('.') && !specifier.startsWith('node:')) packages.add(packageName(specifier));
    }
    // A folder loader (`@fastify/autoload`) registers every file of a folder: they are the service's code too.
    for (const loader of FOLDER_LOADERS) {
      if (!text.includes(loader.package)) continue;
      for (const match of text.matchAll(loader.dir)) {
        const parts = [...match[1]!.matchAll(/['"]([^'"\n]+)['"]/g)].map((m) => m[1]!);
        const dir = posix.join(posix.dirname(file.path), ...parts);
        for (const other of this.modules.code.files) if (other.path.startsWith(`${dir}/`)) files.push(other.path);
      }
    }
    for (const unused of unusedPackages(text)) packages.delete(unused);
    const result = { files, packages: [...new Set(packages)] };
    this.importsCache.set(file.path, result);
    return result;
  }
}

/** `import X, { a as b } from 'p'`, `import * as ns from 'p'`: the names an import binds, and its package. */
const IMPORT_BINDINGS =
  /\bimport\s+(?!type\b)([\w$]+)?\s*,?\s*(?:\{([^}]*)\}|\*\s*as\s+([\w$]+))?\s*from\s*['"]([^'"\n]+)['"]/g;
/** `const X = require('p')`, `const { a, b: c } = require('p')`. */
const REQUIRE_BINDINGS = /\b(?:const|let|var)\s+([\w$]+|\{[^}]*\})\s*=\s*require\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g;
const COMMENTS = /\/\*[\s\S]*?\*\/|(^|[^:'"`\\])\/\/[^\n]*/g;

/**
 * Packages a file imports only into names it never uses (`import ExpressRateLimit from 'express-rate-limit'` with
 * `// app.use(ExpressRateLimit(…))` commented out): nothing of theirs runs there. An import that binds no name
 * (`import 'x'`, run for its side effects) is always used.
 */
function unusedPackages(text: string): string[] {
  const byPackage = new Map<string, boolean>(); // package → some import of it is used
  const code = text.replace(COMMENTS, (_m, before: string | undefined) => before ?? '');
  const note = (pkg: string, names: string[], statement: string) => {
    if (pkg.startsWith('.') || names.length === 0) return;
    const rest = code.replace(statement, '');
    const used = names.some((name) => new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(rest));
    byPackage.set(packageName(pkg), (byPackage.get(packageName(pkg)) ?? false) || used);
  };
  const local = (list: string) =>
    list
      .split(',')
      .map((part) =>
        part
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+|\s*:\s*/)
          .at(-1)!
          .trim(),
      )
      .filter((name) => /^[\w$]+$/.test(name));
  for (const match of code.matchAll(IMPORT_BINDINGS)) {
    const [statement, def, named, namespace, pkg] = match;
    note(pkg!, [...(def ? [def] : []), ...(named ? local(named) : []), ...(namespace ? [namespace] : [])], statement);
  }
  for (const match of code.matchAll(REQUIRE_BINDINGS)) {
    const [statement, binding, pkg] = match;
    note(pkg!, binding!.startsWith('{') ? local(binding!.slice(1, -1)) : [binding!], statement);
  }
  return [...byPackage].filter(([, used]) => !used).map(([pkg]) => pkg);
}
