/**
 * `archlint lint`: load config, run the engine, narrow the findings to what is new (baseline,
 * changed lines), write every requested report, choose the exit code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { rules } from '../../rules/index.js';
import { loadConfig } from '../config/index.js';
import { parseSize } from '../config/size.js';
import { didYouMean } from '../config/suggest.js';
import { applyBaseline, formatBaseline, parseBaseline, type BaselineEntry } from '../engine/baseline.js';
import { coreRuleMetas } from '../engine/core-rules.js';
import { RunCache } from '../engine/cache.js';
import type { CarriedInputs } from '../engine/carried-inputs.js';
import { lint } from '../engine/run.js';
import type { LoadedConfig } from '../model/config.js';
import { UsageError } from '../errors.js';
import { severityRank, SEVERITIES, type Finding, type Severity, type SeveritySetting } from '../model/finding.js';
import { reporters, type FormatName } from '../reporters/index.js';
import type { RunResult, RunSummary } from '../reporters/types.js';
import { changeOf, changesSince, partitionByChanges } from './changed.js';
import { mapInspector } from './map.js';
import type { ArchitectureMap } from '../map/build.js';
import { FORMATS, type LintFlags } from './flags.js';
import type { CliIo } from './io.js';
import { useColor } from './color.js';
import { createProgress } from './progress.js';
import { expandGlobs } from './globs.js';
import { repositoryRoot } from './repo-root.js';
import { heapWatching } from './heap-watch.js';
import { setWorkPulse } from '../util/work-pulse.js';
import { defaultCacheDir, untrustedCacheReason } from './cache-location.js';
import { printableLine } from '../util/printable.js';
import { sarifCutWarning, sarifWithinLimits } from '../reporters/sarif.js';
import { checkWritable, writeOutputFile } from './output.js';
import { checkReadableRoots, unreadableParts } from './readable.js';

interface ReportTarget {
  format: FormatName;
  /** Absolute path, or undefined for standard output. */
  file?: string;
}

export async function runLint(paths: string[], flags: LintFlags, io: CliIo): Promise<number> {
  return (await lintAndReport(paths, flags, io)).exitCode;
}

/** One run with every requested report written; the outcome too (`--watch` compares the next run with it). */
export async function lintAndReport(
  paths: string[],
  flags: LintFlags,
  io: CliIo,
  carried?: CarriedInputs,
): Promise<LintOutcome> {
  const targets = reportTargets(flags, io.cwd);
  if (flags.map && !targets.some((t) => t.format === 'markdown'))
    throw new UsageError('--map adds a section to the Markdown report: use it with --format markdown');
  // An unwritable report path is found now, not after the whole run.
  for (const target of targets) if (target.file) checkWritable(target.file, 'report');
  const outcome = await lintWithFlags(paths, flags, io, carried);
  const { result } = outcome;
  const unreadable = result.summary.unreadable;
  // The pretty report's summary line counts them; without one on the terminal, standard error says it once.
  if (unreadable && !flags.verbose && !targets.some((t) => t.format === 'pretty' && t.file === undefined)) {
    io.stderr.write(
      `archlint: ${plural(unreadable.count, 'file or folder', 'files or folders')} could not be read and ${unreadable.count === 1 ? 'was' : 'were'} skipped (first: ${printableLine(unreadable.first)}); --verbose lists them\n`,
    );
  }
  const failing = flags.failOn === 'never' ? undefined : severityRank(flags.failOn);
  let shown = flags.quiet ? onlyAtLeast(result, failing ?? severityRank('error')) : result;

  // SARIF first: when it must be cut to GitHub's limits, the other reports' summaries say so.
  const sarifText = targets.some((t) => t.format === 'sarif') ? sarifFor(shown, flags, io) : undefined;
  if (sarifText?.cut) shown = { ...shown, summary: { ...shown.summary, sarifCut: sarifText.cut } };
  for (const target of targets) {
    const toTerminal = target.file === undefined;
    const color = toTerminal && useColor(flags.color, io);
    const text = target.format === 'sarif' ? sarifText!.text : reporters[target.format](shown, { color });
    if (target.file) {
      writeOutputFile(target.file, text, 'report');
    } else {
      io.stdout.write(text);
    }
  }
  return outcome;
}

/** The SARIF text, and what was cut to fit GitHub's limits (warned about on standard error). */
export function sarifFor(
  result: RunResult,
  flags: Pick<LintFlags, 'category'>,
  io: CliIo,
): { text: string; cut?: RunSummary['sarifCut'] } {
  const report = sarifWithinLimits(result, flags.category !== undefined ? { category: flags.category } : {});
  const warning = sarifCutWarning(report.cut, result.findings.length);
  if (warning === undefined) return { text: report.text };
  io.stderr.write(`${warning}\n`);
  return { text: report.text, cut: report.cut };
}

export interface LintOutcome {
  /** What the reports show: the run narrowed by the baseline and by --changed-since. */
  result: RunResult;
  /**
   * The run narrowed by the baseline only. Code scanning compares whole analyses and shows a
   * pull request only the alerts it adds, so the GitHub Action uploads this as SARIF: a
   * changed-lines view there would make every untouched alert look fixed.
   */
  tracked: RunResult;
  /** 1 when `result` has a finding at or above --fail-on, or more warnings than --max-warnings; else 0. */
  exitCode: number;
}

/** One lint run with the CLI's flags: config, rules, the engine, then the baseline and changed-lines filters. */
export async function lintWithFlags(
  paths: string[],
  flags: LintFlags,
  io: CliIo,
  /** Input models kept between runs (`--watch`). */
  carried?: CarriedInputs,
): Promise<LintOutcome> {
  const knownIds = [...coreRuleMetas.map((m) => m.id), ...rules.map((r) => r.meta.id)];
  const cliRules = parseRuleFlags(flags.rule, knownIds);
  const only = flags.only !== undefined ? parseOnly(flags.only, knownIds) : undefined;
  if (flags.writeBaseline !== undefined && (flags.baseline !== undefined || flags.changedSince !== undefined)) {
    throw new UsageError(
      `--write-baseline records every finding of the run; it cannot be combined with ${flags.baseline !== undefined ? '--baseline' : '--changed-since'}`,
    );
  }
  // Problems with the baseline file or git are found before the (longer) run.
  const baseline = flags.baseline !== undefined ? readBaseline(flags.baseline, io.cwd) : undefined;
  const changes = flags.changedSince !== undefined ? changesSince(flags.changedSince, io.cwd) : undefined;
  for (const note of changes?.notes ?? []) io.stderr.write(`archlint: ${printableLine(note)}\n`);
  if (flags.writeBaseline !== undefined) checkWritable(resolve(io.cwd, flags.writeBaseline), 'baseline');
  const loaded = await loadConfig({
    cwd: io.cwd,
    ...(flags.config ? { configPath: flags.config } : {}),
    knownRuleIds: knownIds,
  });
  const maxFileSize = loaded.config.maxFileSize !== undefined ? parseSize(loaded.config.maxFileSize) : undefined;

  // Log lines quote paths and .gitignore patterns from the repository: escaped like every report.
  const log = flags.verbose
    ? (message: string) => void io.stderr.write(`archlint: ${printableLine(message)}\n`)
    : undefined;
  const globbed = expandGlobs(paths.length > 0 ? paths : ['.'], io.cwd);
  const lintPaths = globbed.paths;
  // A root that cannot be read would be a green run over nothing.
  checkReadableRoots(lintPaths, io.cwd);
  const noIgnore = flags.ignore === false;
  const threads = flags.threads !== undefined ? threadsFor(flags.threads, io) : undefined;
  // The map is read off the models of this run, which a reused cache entry does not build.
  const repoRoot = repositoryRoot(io.cwd, lintPaths);
  const cacheDir = flags.map ? undefined : cacheFolder(flags, io, repoRoot);
  let architecture: ArchitectureMap | undefined;
  const focus = changes ? (file: string) => changeOf(file, changes) !== undefined : undefined;
  // The cache's own files are never linted, also when the cache is not trusted.
  const runConfig = cacheDir ? ignoringFolder(loaded, cacheDir) : loaded;
  const cache =
    cacheDir && trustedCache(cacheDir, io)
      ? new RunCache({
          dir: cacheDir,
          cwd: io.cwd,
          home: repoRoot,
          // The arguments as given: two globs over one base folder are two different runs.
          paths: paths.length > 0 ? paths : ['.'],
          // Relative, like every path of a key: a moved checkout keeps its cache.
          settings: {
            config: runConfig.config,
            configFile: runConfig.file ? relativeTo(repoRoot, runConfig.file) : null,
            baseDir: relativeTo(repoRoot, runConfig.baseDir),
            cliRules,
            only: only ?? null,
            noIgnore,
          },
          ...(log ? { log } : {}),
        })
      : undefined;
  // --verbose lines share standard error with the progress line, so they replace it.
  const progressLine = createProgress(io.stderr, { quiet: flags.quiet === true || flags.verbose === true });
  // A run that outgrows the heap dies in a V8 fatal error with no word on why: say it while we can.
  const progress = heapWatching(progressLine, (text) => io.stderr.write(progressLine ? `\n${text}` : text));
  setWorkPulse(progress.check);
  let run: Awaited<ReturnType<typeof lint>>;
  try {
    run = await lint({
      cwd: io.cwd,
      paths: lintPaths,
      loaded: runConfig,
      rules,
      cliRules,
      ...(only ? { only } : {}),
      ...(maxFileSize !== undefined ? { maxFileSize } : {}),
      ...(threads !== undefined ? { threads } : {}),
      ...(noIgnore ? { noIgnore } : {}),
      ...(globbed.include ? { include: globbed.include } : {}),
      ...(log ? { log } : {}),
      ...(cache ? { cache } : {}),
      ...(carried ? { carried } : {}),
      progress,
      ...(flags.map ? { inspect: mapInspector((map) => (architecture = map), focus ? { focus } : {}) } : {}),
    });
  } finally {
    progressLine?.end();
    setWorkPulse(undefined);
  }
  const { fileSet } = run;
  const unreadable = unreadableParts(fileSet.skipped);
  const complete: RunResult = {
    ...run.result,
    summary: { ...run.result.summary, ...(unreadable ? { unreadable } : {}) },
    root: repoRoot,
    ...(architecture ? { architecture: { map: architecture, focused: focus !== undefined } } : {}),
  };

  let tracked = complete;
  if (flags.writeBaseline !== undefined) {
    writeOutputFile(resolve(io.cwd, flags.writeBaseline), formatBaseline(complete.findings), 'baseline');
    io.stderr.write(
      `archlint: wrote ${plural(complete.findings.length, 'finding')} to the baseline ${flags.writeBaseline}\n`,
    );
    // What was just accepted is hidden, so the report shows the state the baseline starts from.
    tracked = narrow(complete, [], {
      baseline: { file: flags.writeBaseline, hidden: complete.findings.length, stale: 0 },
    });
  } else if (baseline) {
    const checked = new Set(fileSet.files.map((f) => f.path));
    const ran = (ruleId: string) => complete.rules.has(ruleId) || ruleId.startsWith('core/');
    const inScope = (entry: BaselineEntry) =>
      ran(entry.ruleId) && (checked.has(entry.file) || !existsSync(resolve(io.cwd, entry.file)));
    const { kept, hidden, stale } = applyBaseline(complete.findings, baseline.entries, inScope);
    for (const entry of stale)
      log?.(`baseline entry no longer occurs: ${entry.file} ${entry.ruleId}: ${entry.message}`);
    tracked = narrow(complete, kept, { baseline: { file: baseline.label, hidden, stale: stale.length } });
  }
  let result = tracked;
  if (changes) {
    const { kept, hidden } = partitionByChanges(tracked.findings, changes);
    result = narrow(tracked, kept, { changedSince: { ref: changes.ref, base: changes.base, hidden } });
  }

  const failing = flags.failOn === 'never' ? undefined : severityRank(flags.failOn);
  const failed = failing !== undefined && result.findings.some((f) => severityRank(f.severity) >= failing);
  const tooManyWarnings = flags.maxWarnings !== undefined && result.summary.warnings > flags.maxWarnings;
  if (tooManyWarnings) {
    io.stderr.write(
      `archlint: ${plural(result.summary.warnings, 'warning')} reported, more than --max-warnings ${flags.maxWarnings}\n`,
    );
  }
  return { result, tracked, exitCode: failed || tooManyWarnings ? 1 : 0 };
}

/**
 * --threads within what the machine has: each thread is a V8 heap of its own (100 threads took
 * 3.2 GB), and past the CPUs they only wait for each other. A few are always allowed.
 */
function threadsFor(asked: number, io: CliIo): number {
  const most = Math.max(4, availableParallelism());
  if (asked <= most) return asked;
  io.stderr.write(`archlint: --threads ${asked} is more than this machine can run at once; using ${most}\n`);
  return most;
}

/** The config with a cache folder inside the linted tree ignored: its entries are not sources, and would change every run's key. */
function ignoringFolder(loaded: LoadedConfig, folder: string): LoadedConfig {
  const rel = relative(loaded.baseDir, folder).split('\\').join('/');
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return loaded;
  return { ...loaded, config: { ...loaded.config, ignore: [...(loaded.config.ignore ?? []), `/${rel}/`] } };
}

function readBaseline(path: string, cwd: string): { label: string; entries: BaselineEntry[] } {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UsageError(
      missing
        ? `baseline not found: ${path} (create it with --write-baseline ${path})`
        : `cannot read baseline ${path}: ${(error as Error).message}`,
    );
  }
  return { label: path, entries: parseBaseline(text, path) };
}

/** The run with only `findings` left: counts follow, the rest of the summary is kept. */
function narrow(result: RunResult, findings: Finding[], extra: Partial<RunSummary>): RunResult {
  const count = (severity: Severity) => findings.filter((f) => f.severity === severity).length;
  return {
    ...result,
    findings,
    summary: { ...result.summary, ...extra, errors: count('error'), warnings: count('warning'), notes: count('note') },
  };
}

function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

/** `-f sarif=out.sarif -f pretty -o report.txt`: `-o` goes to the first format without its own file. */
export function reportTargets(
  flags: Pick<LintFlags, 'format' | 'output' | 'baseline' | 'writeBaseline'>,
  cwd: string,
): ReportTarget[] {
  const specs = flags.format.length > 0 ? flags.format : ['pretty'];
  const targets: ReportTarget[] = specs.map((spec) => {
    const at = spec.indexOf('=');
    const format = (at < 0 ? spec : spec.slice(0, at)).trim();
    const file = at < 0 ? undefined : spec.slice(at + 1).trim();
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`unknown format "${format}" (use ${FORMATS.join(', ')})`);
    }
    if (file === '') throw new UsageError(`--format ${format}= needs a file name after "="`);
    return { format: format as FormatName, ...(file ? { file: resolve(cwd, file) } : {}) };
  });
  if (flags.output !== undefined) {
    const first = targets.find((t) => t.file === undefined);
    if (!first) throw new UsageError('--output given, but every --format already names its own file');
    first.file = resolve(cwd, flags.output);
  }
  const toStdout = targets.filter((t) => t.file === undefined);
  if (toStdout.length > 1) {
    throw new UsageError(
      `${toStdout.map((t) => t.format).join(' and ')} would both go to standard output; give all but one a file (--format ${toStdout[1]!.format}=<file>)`,
    );
  }
  const files = targets.flatMap((t) => (t.file ? [t.file] : []));
  const twice = files.find((file, index) => files.indexOf(file) !== index);
  if (twice) throw new UsageError(`two reports would be written to ${twice}`);
  // A report over the baseline would destroy the record of accepted findings.
  for (const [flag, path] of [
    ['--write-baseline', flags.writeBaseline],
    ['--baseline', flags.baseline],
  ] as const) {
    if (path !== undefined && files.includes(resolve(cwd, path)))
      throw new UsageError(`${flag} ${path} is also a report file; give them different paths`);
  }
  return targets;
}

export function parseRuleFlags(values: string[], knownIds: readonly string[]): Record<string, SeveritySetting> {
  const settings: Record<string, SeveritySetting> = {};
  for (const value of values) {
    const at = value.lastIndexOf('=');
    if (at < 0) throw new UsageError(`--rule ${value}: expected <rule-id>=<off|note|warning|error>`);
    const id = value.slice(0, at).trim();
    const severity = value.slice(at + 1).trim();
    checkRuleId(id, knownIds, '--rule');
    if (severity !== 'off' && !(SEVERITIES as readonly string[]).includes(severity)) {
      throw new UsageError(`--rule ${value}: severity must be off, note, warning or error`);
    }
    settings[id] = severity as SeveritySetting;
  }
  return settings;
}

export function parseOnly(value: string, knownIds: readonly string[]): string[] {
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new UsageError('--only needs at least one rule id');
  for (const id of ids) checkRuleId(id, knownIds, '--only');
  return ids;
}

function checkRuleId(id: string, knownIds: readonly string[], flag: string): void {
  if (knownIds.includes(id)) return;
  throw new UsageError(`${flag}: unknown rule id "${id}"${didYouMean(id, knownIds)}; "archlint rules" lists them`);
}

function onlyAtLeast(result: RunResult, rank: number): RunResult {
  return narrow(
    result,
    result.findings.filter((f) => severityRank(f.severity) >= rank),
    {},
  );
}

/** The cache folder of this run, or undefined without --cache. */
function cacheFolder(flags: LintFlags, io: CliIo, repoRoot: string): string | undefined {
  if (!flags.cache && flags.cacheLocation === undefined) return undefined;
  return flags.cacheLocation !== undefined ? resolve(io.cwd, flags.cacheLocation) : defaultCacheDir(io.env, repoRoot);
}

/** `to` as seen from `from`, with `/` separators (`.` for the folder itself). */
function relativeTo(from: string, to: string): string {
  return relative(from, to).split(sep).join('/') || '.';
}

/** False (said on standard error) when the cache folder must not be read: the run goes on without a cache. */
function trustedCache(dir: string, io: CliIo): boolean {
  const untrusted = untrustedCacheReason(dir);
  if (untrusted === undefined) return true;
  io.stderr.write(`archlint: not using the cache in ${relative(io.cwd, dir) || '.'}: ${untrusted}\n`);
  return false;
}
