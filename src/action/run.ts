/**
 * The GitHub Action: one lint run, then annotations (workflow commands on standard output), the
 * Markdown step summary, the SARIF file for code scanning, step outputs and the exit code.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import type { CliIo } from '../cli/io.js';
import type { LintFlags } from '../cli/main.js';
import { checkWritable, describeWriteError, OutputError, writeOutputFile } from '../cli/output.js';
import { UsageError } from '../errors.js';
import { escapeData } from '../reporters/github.js';
import { reporters } from '../reporters/index.js';
import type { RunResult } from '../reporters/types.js';
import { readEvent, type EventInfo } from './event.js';
import { readInputs } from './inputs.js';

export async function runAction(io: CliIo): Promise<number> {
  try {
    return await lintForGitHub(io);
  } catch (error) {
    // One error annotation names the problem (bad input, unknown git ref, bad config), exit 2 as the CLI does.
    const usage = error instanceof UsageError || error instanceof OutputError;
    const message = usage
      ? error.message
      : `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    io.stdout.write(`::error title=archlint::${escapeData(`archlint: ${message}`)}\n`);
    return 2;
  }
}

async function lintForGitHub(processIo: CliIo): Promise<number> {
  const { env } = processIo;
  const inputs = readInputs(env);
  // As a step's `working-directory:` would: inputs are relative to it (monorepos run one job per service).
  const workspace = resolve(processIo.cwd, env.GITHUB_WORKSPACE ?? '.');
  const cwd = resolve(workspace, inputs.workingDirectory);
  if (!existsSync(cwd) || !statSync(cwd).isDirectory())
    throw new UsageError(`input working-directory: no folder ${inputs.workingDirectory} in the workspace`);
  const io: CliIo = { ...processIo, cwd };
  const event = readEvent(env);
  if (inputs.onlyChanged && !event.base) {
    io.stdout.write(
      `::notice title=archlint::only-changed: a "${event.name || 'unknown'}" event has nothing to compare with, so every line is checked.\n`,
    );
  }
  // An unwritable SARIF path is found before the run, not after minutes of linting.
  const sarifPath = inputs.sarifFile !== undefined ? resolve(cwd, inputs.sarifFile) : undefined;
  if (sarifPath !== undefined) checkWritable(sarifPath, 'SARIF file');
  const changedSince = inputs.onlyChanged ? event.base : undefined;
  const flags: LintFlags = {
    format: [],
    rule: [],
    failOn: inputs.failOn,
    color: false,
    ...(inputs.config !== undefined ? { config: inputs.config } : {}),
    ...(inputs.baseline !== undefined ? { baseline: inputs.baseline } : {}),
    ...(changedSince !== undefined ? { changedSince } : {}),
    ...(inputs.map && inputs.summary ? { map: true } : {}),
  };
  const { lintWithFlags, sarifFor } = await import('../cli/lint.js');
  const outcome = await lintWithFlags(inputs.paths, flags, io);
  // SARIF first: cut to GitHub's limits when it must be (warned on standard error), which the summary then counts.
  const sarif =
    inputs.sarifFile !== undefined
      ? sarifFor(outcome.tracked, inputs.category !== undefined ? { category: inputs.category } : {}, io)
      : undefined;
  const labelled = labelBase(outcome.result, event);
  const result = sarif?.cut ? { ...labelled, summary: { ...labelled.summary, sarifCut: sarif.cut } } : labelled;

  if (inputs.annotations) io.stdout.write(reporters.github(result, { color: false }));
  // The readable report for the log; GitHub renders its colours.
  io.stdout.write(reporters.pretty(result, { color: !env.NO_COLOR }));
  if (inputs.summary && env.GITHUB_STEP_SUMMARY) {
    appendTo(env.GITHUB_STEP_SUMMARY, reporters.markdown(result, { color: false }), 'step summary');
  }
  if (sarifPath !== undefined && sarif) {
    // Not narrowed to the changed lines: code scanning compares whole analyses by fingerprint.
    // Written whole (a temporary file renamed over it): a full disk leaves no half SARIF for upload-sarif.
    mkdirSync(dirname(sarifPath), { recursive: true });
    writeOutputFile(sarifPath, sarif.text, 'SARIF file');
    if (event.fromFork) {
      io.stdout.write(
        `archlint: this pull request comes from a fork, whose token is read-only: skip upload-sarif for it (annotations and the summary work).\n`,
      );
    }
  }
  const { errors, warnings, notes } = result.summary;
  // Relative to the workspace, where the next step (upload-sarif) runs.
  const sarifOutput =
    inputs.sarifFile !== undefined ? relative(workspace, resolve(cwd, inputs.sarifFile)).split(sep).join('/') : '';
  setOutputs(env, { errors, warnings, notes, 'sarif-file': sarifOutput, 'from-fork': event.fromFork });
  if (outcome.exitCode !== 0) {
    io.stdout.write(`archlint: failing because findings are at or above the fail-on level "${inputs.failOn}".\n`);
  }
  return outcome.exitCode;
}

/** "main (1a2b3c4)" instead of a 40-digit commit id in the summary. */
function labelBase(result: RunResult, event: EventInfo): RunResult {
  const changed = result.summary.changedSince;
  if (!changed) return result;
  const short = changed.ref.slice(0, 7);
  const ref = event.baseLabel ? `${event.baseLabel} (${short})` : short;
  return { ...result, summary: { ...result.summary, changedSince: { ...changed, ref } } };
}

/** Step outputs through $GITHUB_OUTPUT, in the multi-line-safe `name<<delimiter` form. */
function setOutputs(env: NodeJS.ProcessEnv, outputs: Record<string, string | number | boolean>): void {
  const file = env.GITHUB_OUTPUT;
  if (!file) return;
  const delimiter = `archlint_${randomUUID()}`;
  const text = Object.entries(outputs).map(
    ([name, value]) => `${name}<<${delimiter}\n${String(value)}\n${delimiter}\n`,
  );
  appendTo(file, text.join(''), 'step outputs');
}

/** Appends to a file the runner reads after the step; a failure (a full disk) is one error line, exit 2. */
function appendTo(file: string, text: string, label: string): void {
  try {
    appendFileSync(file, text);
  } catch (error) {
    throw new OutputError(`cannot write the ${label} ${file}: ${describeWriteError(error)}`);
  }
}
