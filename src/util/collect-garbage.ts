/**
 * Full garbage collections, asked for between the phases of a run when the heap has grown well past
 * what was live at the last one. V8 collects the old generation when the heap reaches a limit it sets
 * from the last collection's live size, generously when the program allocates fast: on the
 * 13-repository corpus of issue 22 the heap grew to ~830 MB with ~550 MB live, and the trees the
 * routes input releases stayed until then. One collection costs a few hundred milliseconds on such a
 * heap, and the limits V8 sets after it follow the smaller live size.
 *
 * Decided by the heap itself, not by what a phase says it let go: an earlier rule (collect when a
 * rule released trees of more than 4 M characters) moved the corpus's peak from ~770 to ~890 MB when
 * one rule stopped parsing one bundle and the count fell under the threshold, though the heap was as
 * large as before.
 *
 * `gc` is V8's, exposed by a flag set at run time and taken from a fresh context (the flag only adds
 * it to contexts created after it is set). Where that fails, nothing is collected early.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
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

/**
 * How far the heap may grow past the live size of the last collection before a checkpoint collects:
 * large enough that a run over a small tree (a heap of tens of megabytes) never pays for one, and that
 * a large run pays for a few (each costs ~0.1–0.4 s on a heap of 300–600 MB).
 */
export const HEAP_GROWTH_WORTH_A_COLLECTION = 128 * 1024 * 1024;

/**
 * Checkpoints against a mark: the heap in use after the last collection asked for here, plus the growth
 * above. Before the first: twice the growth, what the run's texts and the parser take before trees pile up
 * being ~100 MB on a large tree (the 13-repository corpus: 138 MB in use after the code input, 119 MB live);
 * a first checkpoint on a large heap collects (the routes input's on a large tree, on its own in `archlint
 * routes`). V8's own collections in between lower the heap in use, so they count.
 */
export class HeapMark {
  private mark: number;

  constructor(
    /** Bytes in use on the heap (live and not yet collected). */
    private readonly used: () => number,
    private readonly collect: () => void | Promise<void>,
    private readonly growth = HEAP_GROWTH_WORTH_A_COLLECTION,
  ) {
    this.mark = 2 * growth;
  }

  /** Collects when the heap in use grew past the mark; says whether it did, with the sizes before and after. */
  async check(): Promise<{ before: number; after: number } | undefined> {
    const before = this.used();
    if (before < this.mark) return undefined;
    await this.collect();
    const after = this.used();
    this.mark = after + this.growth;
    return { before, after };
  }
}

const thisProcess = new HeapMark(
  () => getHeapStatistics().used_heap_size,
  async () => {
    // After a macrotask: a WeakRef keeps its target alive until the job that made it ends (the code model's
    // released trees).
    await new Promise<void>((resolve) => setImmediate(resolve));
    collectGarbage();
  },
);

/**
 * A checkpoint between phases (after an input is built, after a rule has run): a full collection when the
 * heap grew well past what was live at the last one (HeapMark). Says whether it collected.
 */
export async function collectIfHeapGrew(log?: (message: string) => void): Promise<boolean> {
  const collected = await thisProcess.check();
  if (collected) log?.(`heap: ${mb(collected.before)} MB in use, ${mb(collected.after)} MB after a collection`);
  return collected !== undefined;
}

const mb = (bytes: number): number => Math.round(bytes / (1024 * 1024));
