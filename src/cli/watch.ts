/**
 * `archlint --watch`: the usual report once, then a new run whenever a file under the linted paths
 * changes, printing only the difference — findings that appeared (`+`) and findings that went away
 * (`-`), matched by fingerprint so a finding that only moved is neither. Each run is a whole run over
 * the same config and flags that reuses the input models the change cannot affect
 * (../engine/carried-inputs.ts: an edited migration rebuilds the schema, not the route graph; a
 * rebuilt model reuses the syntax trees of the unchanged files, and the file-scoped rules check only
 * the changed files), so cross-file findings (a foreign key indexed in a later migration, a route
 * mounted elsewhere) are as right as in a cold run.
 * Ctrl-C (SIGINT) or SIGTERM stops it; the exit code is the last run's.
 */
import { type FSWatcher, statSync, watch } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { CarriedInputs } from '../engine/carried-inputs.js';
import { UsageError } from '../errors.js';
import type { Finding } from '../model/finding.js';
import { printableLine } from '../util/printable.js';
import type { LintFlags } from './flags.js';
import { expandGlobs } from './globs.js';
import type { CliIo } from './io.js';
import { lintAndReport, lintWithFlags } from './lint.js';

/** Changes closer together than this are one change (an editor's save writes several times). */
const SETTLE_MS = 150;
/** Folders whose changes never change a finding. */
const NEVER_LINTED = /(^|[\\/])(node_modules|\.git|\.archlint-cache)([\\/]|$)/;

export interface WatchOptions {
  /** Stops watching (tests); by default SIGINT and SIGTERM do. */
  stop?: AbortSignal;
}

export async function watchLint(
  paths: string[],
  flags: LintFlags,
  io: CliIo,
  options: WatchOptions = {},
): Promise<number> {
  checkWatchable(flags);
  // The models of each run are kept for the next; a change drops those it may affect.
  const carried = new CarriedInputs();
  let outcome = await lintAndReport(paths, flags, io, carried);
  let previous = outcome.result.findings;
  const roots = watchedRoots(paths, io.cwd);

  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const relint = async (): Promise<void> => {
    const files = [...changed].sort();
    changed.clear();
    try {
      // The report was printed once; later runs say only what changed, without a progress line.
      carried.invalidate(files);
      outcome = await lintWithFlags(paths, { ...flags, verbose: false }, quietIo(io), carried);
      const next = outcome.result.findings;
      io.stdout.write(difference(previous, next, files));
      previous = next;
    } catch (error) {
      // A config made invalid mid-edit is said, and the watch goes on: the next save may fix it.
      io.stderr.write(`archlint: ${printableLine(error instanceof Error ? error.message : String(error))}\n`);
    }
  };
  const schedule = (file: string) => {
    changed.add(file);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      // One run at a time: a change during a run waits for it, then runs again.
      running = (running ?? Promise.resolve()).then(relint);
    }, SETTLE_MS);
  };

  const watchers: FSWatcher[] = [];
  for (const root of roots) {
    const isFile = statSync(root).isFile();
    const folder = isFile ? resolve(root, '..') : root;
    const watcher = watch(folder, { recursive: !isFile }, (_event, name) => {
      if (!name) return;
      const absolute = resolve(folder, name.toString());
      if (isFile && absolute !== root) return;
      const shown = relative(io.cwd, absolute);
      if (NEVER_LINTED.test(shown)) return;
      schedule(shown.split(sep).join('/'));
    });
    watchers.push(watcher);
  }
  // Node sets up a recursive watch on Linux by walking the tree: let it finish before saying it watches.
  await new Promise((settled) => setTimeout(settled, 100));
  io.stderr.write(
    `archlint: watching ${roots.map((r) => relative(io.cwd, r) || '.').join(', ')} for changes (Ctrl-C stops)\n`,
  );

  await new Promise<void>((done) => {
    const stop = () => {
      for (const watcher of watchers) watcher.close();
      if (timer) clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void (running ?? Promise.resolve()).then(() => done());
    };
    if (options.stop) {
      if (options.stop.aborted) stop();
      else options.stop.addEventListener('abort', stop, { once: true });
    } else {
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    }
  });
  return outcome.exitCode;
}

/** Options that make no sense on a terminal that stays open. */
function checkWatchable(flags: LintFlags): void {
  const formats = flags.format.map((f) => f.split('=')[0]);
  if (flags.output !== undefined || formats.some((f) => f !== 'pretty') || formats.length > 1)
    throw new UsageError(
      '--watch prints to the terminal: it cannot be combined with --output or a --format other than pretty',
    );
  if (flags.writeBaseline !== undefined) throw new UsageError('--watch cannot be combined with --write-baseline');
  if (flags.map) throw new UsageError('--watch cannot be combined with --map');
}

/** The folders (or files) to watch: the linted paths after glob expansion. */
function watchedRoots(paths: string[], cwd: string): string[] {
  const expanded = expandGlobs(paths.length > 0 ? paths : ['.'], cwd).paths.map((p) => resolve(cwd, p));
  // A folder inside another watched folder is watched through it.
  return expanded.filter((p) => !expanded.some((q) => q !== p && p.startsWith(`${q}${sep}`)));
}

/** Standard error without the progress line (it would overwrite the printed changes); messages stay. */
function quietIo(io: CliIo): CliIo {
  return { ...io, stderr: { write: (text: string) => (text.startsWith('archlint: ') ? io.stderr.write(text) : true) } };
}

/** `+`/`-` lines for the findings that appeared and went away, under one line naming the change. */
export function difference(before: readonly Finding[], after: readonly Finding[], files: readonly string[]): string {
  const key = (f: Finding) => `${f.ruleId}\u0000${f.fingerprint}`;
  const old = new Map(before.map((f) => [key(f), f]));
  const now = new Map(after.map((f) => [key(f), f]));
  const added = after.filter((f) => !old.has(key(f)));
  const gone = before.filter((f) => !now.has(key(f)));
  const time = new Date().toTimeString().slice(0, 8);
  const what = files.length === 1 ? files[0]! : `${files.length} files`;
  const head =
    added.length === 0 && gone.length === 0
      ? `[${time}] ${what} changed: no finding appeared or went away (${after.length} in all)`
      : `[${time}] ${what} changed: ${added.length} new, ${gone.length} gone (${after.length} in all)`;
  const line = (sign: string, f: Finding) =>
    `${sign} ${f.file}:${f.line} ${sign === '+' ? f.severity : 'gone'} ${f.ruleId} ${printableLine(f.message)}`;
  return `${[printableLine(head), ...added.map((f) => line('+', f)), ...gone.map((f) => line('-', f))].join('\n')}\n`;
}
