/**
 * The progress line on a terminal's standard error: one line redrawn in place ("\r" + clear),
 * shown only once a run has taken DELAY_MS (short runs print nothing) and erased at the end.
 * Drawn from the engine's own phase/count calls, not a timer: parsing blocks the event loop,
 * so a timer would not fire when the line matters most.
 */
import type { ProgressSink } from '../engine/progress.js';

const DELAY_MS = 500;
/** Redraw at most this often: a count per file must not turn into a write per file. */
const REDRAW_MS = 80;
const CLEAR_LINE = '\r\u001b[2K';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressLine extends ProgressSink {
  /** Erases the line if it was drawn; nothing is written afterwards. */
  end(): void;
}

export interface ProgressOptions {
  /** --quiet and --verbose (whose log lines share standard error) turn it off. */
  quiet: boolean;
  /** Milliseconds; injectable for tests. */
  now?: () => number;
}

/** A progress line on `stream`, or undefined when it must stay silent (not a terminal, --quiet). */
export function createProgress(stream: ProgressStream, options: ProgressOptions): ProgressLine | undefined {
  if (stream.isTTY !== true || options.quiet) return undefined;
  const now = options.now ?? (() => performance.now());
  const started = now();
  let phase = '';
  let counter = '';
  let lastDraw = -Infinity;
  let drawn = false;
  let ended = false;

  const draw = (force: boolean) => {
    if (ended) return;
    const at = now();
    if (at - started < DELAY_MS || (!force && at - lastDraw < REDRAW_MS)) return;
    lastDraw = at;
    const line = `archlint: ${phase}${counter ? ` (${counter})` : ''}`;
    const width = stream.columns && stream.columns > 1 ? stream.columns - 1 : line.length;
    stream.write(`${CLEAR_LINE}${line.slice(0, width)}`);
    drawn = true;
  };

  return {
    phase(name, count) {
      phase = name;
      counter = count ? `${count.done}/${count.total} ${count.unit}` : '';
      draw(true);
    },
    count(done, total, unit) {
      counter = `${done}/${total} ${unit}`;
      draw(done === total);
    },
    end() {
      if (drawn && !ended) stream.write(CLEAR_LINE);
      ended = true;
    },
  };
}
