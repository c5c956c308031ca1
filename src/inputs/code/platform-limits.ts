/**
 * How long the deploy platform lets one run of a module's function last (CodeFile.platformLimit), from the
 * Vercel project config beside the app's package.json: `"functions": { "app/api/cron/**\/*.ts": { "maxDuration":
 * 600 } }`. Every module a matching route bundles (its helpers in the same folder included) runs inside that
 * function, so the platform ends a stalled run there. A route's own `export const maxDuration` is read by the
 * rules from the file itself.
 */
import { posix } from 'node:path';
import picomatch from 'picomatch';

export interface PlatformLimits {
  /** The folder of the config (relative, '/' separated: '' for the root). */
  dir: string;
  /** Glob (relative to `dir`) → seconds. */
  limits: Array<{ matches: (path: string) => boolean; seconds: number }>;
}

/** Reads `vercel.json`'s `functions[glob].maxDuration`; undefined when it sets none. */
export function readPlatformLimits(dir: string, vercelJson: string | undefined): PlatformLimits | undefined {
  if (vercelJson === undefined) return undefined;
  let config: unknown;
  try {
    config = JSON.parse(vercelJson);
  } catch {
    return undefined;
  }
  const functions = (config as { functions?: unknown })?.functions;
  if (!functions || typeof functions !== 'object') return undefined;
  const limits: PlatformLimits['limits'] = [];
  for (const [glob, settings] of Object.entries(functions as Record<string, unknown>)) {
    const seconds = (settings as { maxDuration?: unknown } | null)?.maxDuration;
    // Next.js folder names are literal in these globs: route groups `(ee)`, dynamic segments `[id]`.
    const literal = glob.replace(/[()[\]]/g, '\\$&');
    if (typeof seconds === 'number' && seconds > 0)
      limits.push({ matches: picomatch(literal, { dot: true }), seconds });
  }
  return limits.length > 0 ? { dir: dir === '.' ? '' : dir, limits } : undefined;
}

/** The limit a config sets for a module at `path` (relative to the lint root), if any glob matches it. */
export function platformLimitOf(config: PlatformLimits | undefined, path: string): number | undefined {
  if (!config) return undefined;
  const relative =
    config.dir === '' ? path : path.startsWith(`${config.dir}/`) ? path.slice(config.dir.length + 1) : undefined;
  if (relative === undefined) return undefined;
  return config.limits.find((limit) => limit.matches(relative) || limit.matches(posix.normalize(relative)))?.seconds;
}
