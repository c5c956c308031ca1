/** `archlint lint`: load config, run the engine, write every requested report, choose the exit code. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { rules } from '../../rules/index.js';
import { loadConfig } from '../config/index.js';
import { parseSize } from '../config/size.js';
import { didYouMean } from '../config/suggest.js';
import { coreRuleMetas } from '../engine/core-rules.js';
import { lint } from '../engine/run.js';
import { UsageError } from '../errors.js';
import { severityRank, SEVERITIES, type Severity, type SeveritySetting } from '../model/finding.js';
import { reporters, type FormatName } from '../reporters/index.js';
import type { RunResult } from '../reporters/types.js';
import { FORMATS, type LintFlags } from './main.js';
import type { CliIo } from './io.js';
import { useColor } from './color.js';

interface ReportTarget {
  format: FormatName;
  /** Absolute path, or undefined for standard output. */
  file?: string;
}

export async function runLint(paths: string[], flags: LintFlags, io: CliIo): Promise<number> {
  const knownIds = [...coreRuleMetas.map((m) => m.id), ...rules.map((r) => r.meta.id)];
  const targets = reportTargets(flags, io.cwd);
  const cliRules = parseRuleFlags(flags.rule, knownIds);
  const only = flags.only !== undefined ? parseOnly(flags.only, knownIds) : undefined;
  const loaded = await loadConfig({ cwd: io.cwd, ...(flags.config ? { configPath: flags.config } : {}), knownRuleIds: knownIds });
  const maxFileSize = loaded.config.maxFileSize !== undefined ? parseSize(loaded.config.maxFileSize) : undefined;

  const log = flags.verbose ? (message: string) => void io.stderr.write(`archlint: ${message}\n`) : undefined;
  const { result } = await lint({
    cwd: io.cwd,
    paths: paths.length > 0 ? paths : ['.'],
    loaded,
    rules,
    cliRules,
    ...(only ? { only } : {}),
    ...(maxFileSize !== undefined ? { maxFileSize } : {}),
    ...(log ? { log } : {}),
  });

  const failing = flags.failOn === 'never' ? undefined : severityRank(flags.failOn);
  const exitCode = failing !== undefined && result.findings.some((f) => severityRank(f.severity) >= failing) ? 1 : 0;
  const shown = flags.quiet ? onlyAtLeast(result, failing ?? severityRank('error')) : result;

  for (const target of targets) {
    const toTerminal = target.file === undefined;
    const color = toTerminal && useColor(flags.color, io);
    const text = reporters[target.format](shown, { color });
    if (target.file) {
      mkdirSync(dirname(target.file), { recursive: true });
      writeFileSync(target.file, text);
    } else {
      io.stdout.write(text);
    }
  }
  return exitCode;
}

/** `-f sarif=out.sarif -f pretty -o report.txt`: `-o` goes to the first format without its own file. */
export function reportTargets(flags: Pick<LintFlags, 'format' | 'output'>, cwd: string): ReportTarget[] {
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
  const ids = value.split(',').map((id) => id.trim()).filter(Boolean);
  if (ids.length === 0) throw new UsageError('--only needs at least one rule id');
  for (const id of ids) checkRuleId(id, knownIds, '--only');
  return ids;
}

function checkRuleId(id: string, knownIds: readonly string[], flag: string): void {
  if (knownIds.includes(id)) return;
  throw new UsageError(`${flag}: unknown rule id "${id}"${didYouMean(id, knownIds)}; "archlint rules" lists them`);
}

function onlyAtLeast(result: RunResult, rank: number): RunResult {
  const findings = result.findings.filter((f) => severityRank(f.severity) >= rank);
  const count = (severity: Severity) => findings.filter((f) => f.severity === severity).length;
  return {
    ...result,
    findings,
    summary: { ...result.summary, errors: count('error'), warnings: count('warning'), notes: count('note') },
  };
}
