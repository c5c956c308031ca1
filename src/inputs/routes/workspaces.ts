/**
 * Packages of the repository's own monorepo, by the name their package.json gives them, so that
 * `import { authMiddleware } from '@acme/auth'` or `import { auth } from '@acme/api/auth'` reaches the
 * source file in packages/auth instead of being taken for a package from the registry (middleware, rate
 * limiters and sub-apps are often defined in a sibling package). Read from the discovered package.json
 * text only: no node_modules, no network.
 */
import { posix } from 'node:path';

export interface WorkspacePackage {
  name: string;
  /** Folder (report path) holding its package.json; '.' for the root. */
  dir: string;
  /** Entry files for a subpath ('.' = the package itself), most likely source first; `*` patterns kept. */
  entries: Map<string, string[]>;
}

/** `recognised`: packages the input recognises by name (the frameworks' and their helpers'). */
export function readWorkspacePackages(
  packageJsons: Array<{ path: string; content: string }>,
  recognised: ReadonlySet<string>,
): Map<string, WorkspacePackage> {
  const out = new Map<string, WorkspacePackage>();
  for (const { path, content } of packageJsons) {
    if (/(^|\/)node_modules\//.test(path)) continue;
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch {
      continue;
    }
    if (!json || typeof json !== 'object') continue;
    const pkg = json as {
      name?: unknown;
      main?: unknown;
      module?: unknown;
      types?: unknown;
      source?: unknown;
      exports?: unknown;
    };
    // A package the input recognises by name (a framework, a plugin helper): a workspace copy of one (the
    // framework's own repository, a vendored fork) stays the package, so its apps are still found.
    if (typeof pkg.name !== 'string' || pkg.name === '' || out.has(pkg.name) || recognised.has(pkg.name)) continue;
    const dir = posix.dirname(path);
    const entries = new Map<string, string[]>();
    const add = (subpath: string, target: unknown) => {
      for (const file of exportTargets(target)) {
        const list = entries.get(subpath) ?? [];
        list.push(file);
        entries.set(subpath, list);
      }
    };
    if (typeof pkg.exports === 'string' || Array.isArray(pkg.exports)) add('.', pkg.exports);
    else if (pkg.exports && typeof pkg.exports === 'object') {
      const keys = Object.keys(pkg.exports);
      if (keys.some((k) => k.startsWith('.'))) {
        for (const [key, value] of Object.entries(pkg.exports as Record<string, unknown>)) add(key, value);
      } else add('.', pkg.exports);
    }
    for (const field of [pkg.source, pkg.types, pkg.module, pkg.main]) add('.', field);
    out.set(pkg.name, { name: pkg.name, dir, entries });
  }
  return out;
}

/**
 * Candidate base paths (report paths, extension optional) for a bare specifier naming a workspace
 * package: its `exports` / main entries, then the conventional `src/` layout (built `dist/` entries
 * are not in the tree, their sources are).
 */
export function workspaceCandidates(packages: Map<string, WorkspacePackage>, specifier: string): string[] {
  const match = /^(@[^/]+\/[^/]+|[^@/][^/]*)(?:\/(.*))?$/.exec(specifier);
  if (!match) return [];
  const pkg = packages.get(match[1]!);
  if (!pkg) return [];
  const rest = match[2] ?? '';
  const subpath = rest === '' ? '.' : `./${rest}`;
  const out: string[] = [];
  const push = (target: string) => {
    const full = posix.join(pkg.dir, target);
    out.push(full);
    // `dist/x.js` built from `src/x.ts`.
    const fromDist = full.replace(/(^|\/)(dist|build|lib|out)\//, '$1src/').replace(/\.d\.ts$|\.[cm]?js$/, '');
    if (fromDist !== full) out.push(fromDist);
    // …or from `lib/x.ts`, the other usual source folder.
    const fromLib = full.replace(/(^|\/)(dist|build|out)\//, '$1lib/').replace(/\.d\.ts$|\.[cm]?js$/, '');
    if (fromLib !== full) out.push(fromLib);
  };
  for (const [key, targets] of pkg.entries) {
    if (key === subpath) targets.forEach(push);
    else if (key.includes('*')) {
      const [prefix, suffix] = key.split('*') as [string, string];
      if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= prefix.length + suffix.length) {
        const matched = subpath.slice(prefix.length, subpath.length - suffix.length);
        for (const target of targets) push(target.replace('*', matched));
      }
    }
  }
  if (rest === '') out.push(posix.join(pkg.dir, 'src/index'), posix.join(pkg.dir, 'index'));
  else out.push(posix.join(pkg.dir, rest), posix.join(pkg.dir, 'src', rest));
  return out;
}

/** File paths an `exports` value names, conditions flattened (`types`/`import`/`default`…). */
function exportTargets(value: unknown, depth = 0): string[] {
  if (depth > 4 || value === null || value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((v) => exportTargets(v, depth + 1));
  if (typeof value === 'object')
    return Object.values(value as Record<string, unknown>).flatMap((v) => exportTargets(v, depth + 1));
  return [];
}
