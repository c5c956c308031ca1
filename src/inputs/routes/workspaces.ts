/**
 * Packages of the repository's own monorepo, by the name their package.json gives them, so that
 * `import { authMiddleware } from '@acme/auth'` or `import { auth } from '@acme/api/auth'` reaches the
 * source file in packages/auth instead of being taken for a package from the registry (middleware, rate
 * limiters and sub-apps are often defined in a sibling package). Read from the discovered package.json
 * text only: no node_modules, no network.
 */
import { posix } from 'node:path';
import type { WorkspacePackage } from '../../model/module-exports.js';

export type { WorkspacePackage } from '../../model/module-exports.js';

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

/** File paths an `exports` value names, conditions flattened (`types`/`import`/`default`…). */
function exportTargets(value: unknown, depth = 0): string[] {
  if (depth > 4 || value === null || value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((v) => exportTargets(v, depth + 1));
  if (typeof value === 'object')
    return Object.values(value as Record<string, unknown>).flatMap((v) => exportTargets(v, depth + 1));
  return [];
}
