/**
 * tsconfig `baseUrl` / `paths` aliases, so `import { users } from '@/routes/users'` reaches the file.
 * Read from the discovered text (JSON with comments), following relative `extends`.
 */
import { posix } from 'node:path';
import { loadTypeScript } from '../code/ts-morph.js';
import type { TextFiles } from '../../model/files.js';
import type { PathAliases } from '../../model/module-exports.js';

export type { PathAliases } from '../../model/module-exports.js';

interface RawCompilerOptions {
  baseUrl?: unknown;
  paths?: unknown;
}

export function readPathAliases(configPaths: string[], text: TextFiles): PathAliases[] {
  const out: PathAliases[] = [];
  for (const path of configPaths) {
    const options = effectiveOptions(path, text, 0);
    if (!options.baseUrl && !options.paths) continue;
    const dir = posix.dirname(path);
    const entries: PathAliases['paths'] = [];
    for (const [pattern, targets] of Object.entries(options.paths?.value ?? {})) {
      if (!Array.isArray(targets)) continue;
      const star = pattern.indexOf('*');
      const base = options.baseUrl?.value ?? options.paths!.dir;
      entries.push({
        prefix: star < 0 ? pattern : pattern.slice(0, star),
        suffix: star < 0 ? '' : pattern.slice(star + 1),
        wildcard: star >= 0,
        targets: targets.filter((t): t is string => typeof t === 'string').map((t) => posix.join(base, t)),
      });
    }
    // Longest prefix first, as TypeScript picks the most specific pattern.
    entries.sort((a, b) => b.prefix.length - a.prefix.length);
    out.push({ dir, ...(options.baseUrl ? { baseUrl: options.baseUrl.value } : {}), paths: entries });
  }
  // Deepest folder first: the nearest config wins.
  return out.sort((a, b) => b.dir.length - a.dir.length);
}

/** baseUrl and paths after `extends`, each resolved against the folder of the config that set it. */
function effectiveOptions(
  path: string,
  text: TextFiles,
  depth: number,
): { baseUrl?: { value: string }; paths?: { value: Record<string, unknown>; dir: string } } {
  const file = text.get(path);
  if (!file || depth > 5) return {};
  const parsed = loadTypeScript().parseConfigFileTextToJson(path, file.content).config as
    | { extends?: unknown; compilerOptions?: RawCompilerOptions }
    | undefined;
  if (!parsed || typeof parsed !== 'object') return {};
  const dir = posix.dirname(path);
  let inherited: ReturnType<typeof effectiveOptions> = {};
  if (typeof parsed.extends === 'string' && parsed.extends.startsWith('.')) {
    const target = posix.join(dir, parsed.extends);
    inherited = effectiveOptions(target.endsWith('.json') ? target : `${target}.json`, text, depth + 1);
  }
  const own = parsed.compilerOptions ?? {};
  const result = { ...inherited };
  if (typeof own.baseUrl === 'string') result.baseUrl = { value: posix.join(dir, own.baseUrl) };
  if (own.paths && typeof own.paths === 'object') result.paths = { value: own.paths as Record<string, unknown>, dir };
  return result;
}
