/**
 * A full garbage collection, asked for where a phase has just let go of most of what it built (the
 * route graph's syntax trees). V8 collects the old generation when the heap reaches a limit it sets
 * from the last collection's live size, generously when the program allocates fast: on the
 * 13-repository corpus of issue 22 the heap grew to ~830 MB with ~550 MB live, and the trees the
 * routes input releases stayed until then. One collection costs a few hundred milliseconds on such a
 * heap, and the limits V8 sets after it follow the smaller live size.
 *
 * `gc` is V8's, exposed by a flag set at run time and taken from a fresh context (the flag only adds
 * it to contexts created after it is set). Where that fails, nothing is collected early.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const found: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
      gc = typeof found === 'function' ? (found as () => void) : null;
      // Back to the flags the process started with: V8 stamps a code cache with a hash of its
      // flags, and the cache written at exit (compile-cache.ts) would otherwise be rejected by
      // every next run, which starts without --expose-gc. The function taken above keeps working.
      setFlagsFromString('--no-expose-gc');
    } catch {
      gc = null;
    }
  }
  gc?.();
}
