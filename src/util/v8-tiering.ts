/**
 * A phase of short, wide work (reading a folder of migrations: thousands of statements, each
 * through many small functions a few times) runs with V8's optimising compiler held back.
 *
 * V8 sends a function to TurboFan (compiled on a background thread, CPU time all the same) once it
 * has run a budget of bytecode (`--interrupt-budget`, 67,584 in Node 20's V8). In a run that lasts
 * half a second most of those compilations cost more than the optimised code saves: on the
 * PostgreSQL corpus of bench/ (`node bench/run.mjs sql-corpus`), a budget of 1,000,000 cut
 * archlint's CPU time by ~23 % and its peak memory by ~10 MB, with identical findings. Only inside
 * the phase: a long TypeScript run (bench target code-rules-ts) took ~20 % more CPU with the
 * larger budget, so the default comes back when the phase ends. V8 flags are process-wide (worker
 * threads included); phases may overlap, and the last to end restores the default.
 */
import { setFlagsFromString } from 'node:v8';

const PHASE_BUDGET = 1_000_000;
/**
 * V8's default budget by V8 version (`node --v8-options`), to restore after the phase. JavaScript
 * cannot read a V8 flag, so on a V8 not listed here (another Node major) the phase runs untuned
 * rather than leave a default that is not that V8's own.
 */
const DEFAULT_BUDGETS: Readonly<Record<string, number>> = { '11.3': 67_584 };
const DEFAULT_BUDGET = DEFAULT_BUDGETS[process.versions.v8.split('.').slice(0, 2).join('.')];

let open = 0;

export async function withLateOptimisation<T>(phase: () => Promise<T>): Promise<T> {
  if (DEFAULT_BUDGET === undefined) return phase();
  if (open++ === 0) setFlagsFromString(`--interrupt-budget=${PHASE_BUDGET}`);
  try {
    return await phase();
  } finally {
    if (--open === 0) setFlagsFromString(`--interrupt-budget=${DEFAULT_BUDGET}`);
  }
}
