/**
 * Where `--cache` keeps its entries, and whether a cache folder may be trusted.
 *
 * The default is the user's cache folder (`$XDG_CACHE_HOME`, `~/.cache`, `~/Library/Caches`,
 * `%LOCALAPPDATA%`), one folder per repository, not a folder inside the checkout: a cache inside
 * the checkout can arrive in a pull request, and a forged entry that says "no problems" would turn
 * a CI run green. For the same reason a cache folder that holds files git tracks is never read,
 * wherever `--cache-location` puts it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import { basename, isAbsolute, join, relative } from 'node:path';
import { gitTopLevel } from '../config/find.js';

/** The per-repository cache folder under the user's cache folder; `repoRoot` is absolute. */
export function defaultCacheDir(
  env: NodeJS.ProcessEnv,
  repoRoot: string,
  platform: NodeJS.Platform = process.platform,
): string {
  const name = `${basename(repoRoot) || 'root'}-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 12)}`;
  return join(userCacheDir(env, platform), 'archlint', name);
}

function userCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  // The XDG spec ignores a relative value.
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return env.XDG_CACHE_HOME;
  if (platform === 'win32' && env.LOCALAPPDATA) return env.LOCALAPPDATA;
  const home = env.HOME || safeHomedir();
  if (!home) return tmpdir();
  return platform === 'darwin' ? join(home, 'Library', 'Caches') : join(home, '.cache');
}

function safeHomedir(): string | undefined {
  try {
    return homedir();
  } catch {
    return undefined;
  }
}

const TRACKED = 'git tracks files in it, and a committed cache could hide findings';

/**
 * Why the cache folder must not be read, or undefined when it may: it lies inside a git checkout
 * and git tracks files in it (committed, or staged by a pull request's branch).
 */
export function untrustedCacheReason(dir: string): string | undefined {
  const top = gitTopLevel(dir);
  if (top === undefined) return undefined;
  const inside = relative(top, dir) || '.';
  const listed = spawnSync('git', ['-C', top, 'ls-files', '-z', '--', inside], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  // More names than the buffer holds: git tracks files there.
  if ((listed.error as NodeJS.ErrnoException | undefined)?.code === 'ENOBUFS') return TRACKED;
  // No git to ask (not installed, or it refuses the checkout): nothing to go on.
  if (listed.status !== 0 || listed.error) return undefined;
  return listed.stdout.length > 0 ? TRACKED : undefined;
}
