/**
 * Loading TypeScript costs more than parsing a few dozen files with it: V8 compiles ~13 MB of
 * JavaScript (ts-morph and the TypeScript compiler it bundles), and again every function the parser
 * runs for the first time. A V8 code cache taken *after* the run's parsing holds those functions
 * compiled, so the next run skips most of that work (~100–150 ms of a secrets scan's ~1 s).
 *
 * Node 22.1+ has this built in (`module.enableCompileCache`); Node 20 does not, so CommonJS files
 * of the packages named here are compiled through `vm.Script` with cached data, the way
 * v8-compile-cache does. The cache lives under the OS temp folder (Node's own choice for its
 * compile cache) in a folder only this user can write, keyed by Node version, file path and a hash
 * of the file's content (V8 itself checks only the source length). A rejected or unreadable entry just means a normal compile; a
 * failed write is ignored. `NODE_DISABLE_COMPILE_CACHE=1` (Node's switch) turns it off.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { writeWhole } from '../../util/write-whole.js';

interface Compiled {
  script: Script;
  path: string;
  /** Whether the entry must be written (absent or rejected). */
  stale: boolean;
}

interface InternalModule {
  exports: unknown;
  require(id: string): unknown;
  _compile(content: string, filename: string): unknown;
}

interface ModuleInternals {
  prototype: InternalModule;
  wrap(content: string): string;
  _resolveFilename(request: string, parent: InternalModule, isMain: boolean, options?: unknown): string;
  _extensions: unknown;
  _cache: unknown;
}

const internals = Module as unknown as ModuleInternals;
const compiled: Compiled[] = [];

/**
 * `require(id)` from `from`, with the code cache for files under any of `packages` (folder names
 * in node_modules). Entries are written when the process exits, so they include what ran.
 */
export function requireWithCodeCache(from: string, id: string, packages: readonly string[]): unknown {
  const load = createRequire(from);
  if (
    process.env.NODE_DISABLE_COMPILE_CACHE ||
    typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === 'function'
  ) {
    // Newer Node: its own cache, for every module (a no-op when already enabled or disabled).
    (Module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
    return load(id);
  }
  const base = privateFolder();
  if (!base) return load(id);
  const dir = join(base, `${process.version}-${process.arch}`);
  const ours = (filename: string) =>
    packages.some(
      (name) => filename.includes(`/node_modules/${name}/`) || filename.includes(`\\node_modules\\${name}\\`),
    );
  const original = internals.prototype._compile;
  internals.prototype._compile = function compileWithCache(this: InternalModule, content: string, filename: string) {
    if (!ours(filename)) return original.call(this, content, filename);
    return runCached(this, content, filename, dir);
  };
  try {
    return load(id);
  } finally {
    internals.prototype._compile = original;
  }
}

/**
 * The cache's folder under the OS temp folder, one per user, or undefined when it cannot be trusted.
 * Code cache is code: whoever can write an entry runs code in the next archlint. So the folder must
 * be a real directory (not a symlink) owned by this user and writable by no one else; it is
 * created that way, and an existing one that is not is left alone (no cache, a normal compile).
 */
function privateFolder(): string | undefined {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const base = join(tmpdir(), `archlint-compile-cache-${uid ?? 'user'}`);
  try {
    mkdirSync(base, { recursive: true, mode: 0o700 });
    const stats = lstatSync(base);
    if (!stats.isDirectory()) return undefined;
    // Windows has no uid; its temp folder is per user.
    if (uid !== undefined && (stats.uid !== uid || (stats.mode & 0o022) !== 0)) return undefined;
    return base;
  } catch {
    return undefined;
  }
}

function runCached(module: InternalModule, content: string, filename: string, dir: string): unknown {
  const path = join(dir, `${createHash('sha1').update(filename).update('\0').update(content).digest('hex')}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(path);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(internals.wrap(content), { filename, ...(cachedData ? { cachedData } : {}) });
  if (compiled.length === 0) process.once('exit', writeEntries);
  compiled.push({ script, path, stale: !cachedData || script.cachedDataRejected === true });
  const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
  // What Module.prototype._compile hands a CommonJS module.
  const require = Object.assign((request: string) => module.require(request), {
    resolve: (request: string, options?: unknown) => internals._resolveFilename(request, module, false, options),
    main: (process as { mainModule?: unknown }).mainModule,
    extensions: internals._extensions,
    cache: internals._cache,
  });
  return wrapper.call(module.exports, module.exports, require, module, filename, dirname(filename));
}

function writeEntries(): void {
  for (const entry of compiled) {
    if (!entry.stale) continue;
    try {
      writeWhole(entry.path, entry.script.createCachedData());
    } catch {
      // A cache that cannot be written is only a slower next run.
    }
  }
}
