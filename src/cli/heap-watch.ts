/**
 * A hint before the heap runs out. When V8 reaches its heap limit the process dies in a fatal error
 * ("JavaScript heap out of memory") that no JavaScript can catch or explain, so the run watches its
 * own heap and says once, while it still can, what to do about it. The hint is only a hint: the run
 * goes on, and may well finish.
 */
import { getHeapStatistics } from 'node:v8';
import type { ProgressSink } from '../engine/progress.js';

export interface HeapReading {
  /** Bytes in use on the heap. */
  used: number;
  /** `heap_size_limit`: `--max-old-space-size` plus the young generation's reservation. */
  limit: number;
  /** `--max-old-space-size` in bytes, when given. */
  oldSpace?: number;
}

export interface HeapWatchOptions {
  /** Milliseconds between two looks at the heap. */
  everyMs?: number;
  now?: () => number;
  /** Share of the limit in use that triggers the hint. */
  threshold?: number;
  read?: () => HeapReading;
}

const MB = 1024 * 1024;

/**
 * `heap_size_limit` counts the young generation's reservation too (three 16 MiB semi-spaces on a
 * default 64-bit heap): with --max-old-space-size=60 it reads 108 MiB, and the run dies when the old
 * generation reaches 60 MiB.
 */
const YOUNG_GENERATION = 48 * MB;

/** `--max-old-space-size` in MiB, when the run was given one (on the command line or in NODE_OPTIONS). */
export function oldSpaceFlag(execArgv: readonly string[], nodeOptions: string | undefined): number | undefined {
  const words = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  let found: number | undefined;
  words.forEach((word, i) => {
    const match = /^--max[-_]old[-_]space[-_]size(?:=(\d+))?$/.exec(word);
    const value = match ? (match[1] ?? words[i + 1]) : undefined;
    if (value !== undefined && /^\d+$/.test(value)) found = Number(value);
  });
  return found;
}

function readHeap(): HeapReading {
  const stats = getHeapStatistics();
  const flag = oldSpaceFlag(process.execArgv, process.env.NODE_OPTIONS);
  return {
    used: stats.used_heap_size,
    limit: stats.heap_size_limit,
    ...(flag !== undefined ? { oldSpace: flag * MB } : {}),
  };
}

/**
 * Whether `used` has reached `threshold` of the room data has: the old generation's size when it was
 * set, else the limit less the young generation.
 */
export function nearLimit({ used, limit, oldSpace }: HeapReading, threshold: number): boolean {
  const room = oldSpace ?? Math.max(limit / 2, limit - YOUNG_GENERATION);
  return room > 0 && used >= threshold * room;
}

/** The hint, naming what was measured and a heap twice as large (at least 4 GB). */
export function heapHint({ used, limit }: HeapReading): string {
  const suggested = Math.max(4096, Math.ceil((2 * limit) / MB / 1024) * 1024);
  return (
    `archlint: the heap is nearly full (${Math.round(used / MB)} MB in use; Node's limit for this run: ${Math.round(limit / MB)} MB); ` +
    `if the run stops with "JavaScript heap out of memory", give Node more (NODE_OPTIONS=--max-old-space-size=${suggested}) ` +
    `or lint less at once (a subfolder, or "ignore" in the config)\n`
  );
}

/**
 * A progress sink that also looks at the heap, at most every `everyMs`, each time the engine reports
 * progress (a phase, a file read, a rule) and each time `check` is called (the CLI hands it to
 * `setWorkPulse`: a file parsed): parsing blocks the event loop, so a timer would not fire when the
 * heap fills. Says it once; passes every call on to `inner` (the progress line), if any.
 */
export function heapWatching(
  inner: ProgressSink | undefined,
  write: (text: string) => void,
  options: HeapWatchOptions = {},
): ProgressSink & { check(): void } {
  const { everyMs = 100, threshold = 0.85, read = readHeap, now = () => performance.now() } = options;
  let last = -Infinity;
  let said = false;
  const check = () => {
    if (said) return;
    const at = now();
    if (at - last < everyMs) return;
    last = at;
    const reading = read();
    if (nearLimit(reading, threshold)) {
      said = true;
      write(heapHint(reading));
    }
  };
  return {
    check,
    phase(name, count) {
      check();
      inner?.phase(name, count);
    },
    count(done, total, unit) {
      check();
      inner?.count(done, total, unit);
    },
  };
}
