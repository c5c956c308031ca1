/**
 * GitHub Actions workflow commands (`::error file=…::message`): annotations on the PR diff
 * without uploading anything. Escaping follows actions/toolkit's `escapeData`/`escapeProperty`.
 */
import type { Finding, Severity } from '../model/finding.js';
import { rootPath, type Reporter, type RunResult } from './types.js';
import { printable } from '../util/printable.js';

/** GitHub shows at most this many annotations of each level per step. */
export const ANNOTATIONS_PER_LEVEL = 10;

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = {
  error: 'error',
  warning: 'warning',
  note: 'notice',
};

/**
 * actions/toolkit `escapeData`: keeps a multi-line message on one command line. Control and
 * bidirectional characters from the repository are escaped first: the runner's log is a terminal.
 */
export function escapeData(value: string): string {
  return printable(value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** actions/toolkit `escapeProperty`: also `:` and `,`, which delimit the properties. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function properties(f: Finding, run: RunResult): string {
  // GitHub resolves `file` against the repository root, whatever folder the step ran in.
  const props: Array<[string, string | number]> = [['file', rootPath(run, f.file)]];
  if (!f.fileLevel) {
    props.push(['line', f.line]);
    // GitHub only honours columns on a single-line annotation, and its endColumn is
    // inclusive where ours is exclusive (never before the start column, for empty ranges).
    if (f.line === f.endLine) props.push(['col', f.column]);
    props.push(['endLine', f.endLine]);
    if (f.line === f.endLine) props.push(['endColumn', Math.max(f.column, f.endColumn - 1)]);
  }
  props.push(['title', f.ruleId]);
  return props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
}

function annotation(f: Finding, run: RunResult): string {
  const message = f.fix ? `${f.message}\n${f.fix.description}` : f.message;
  return `::${COMMAND[f.severity]} ${properties(f, run)}::${escapeData(message)}`;
}

export const github: Reporter = (result) => {
  const lines = result.findings.map((f) => annotation(f, result));

  // Every line is emitted (the log keeps them all), but say how many GitHub will drop.
  const perLevel = new Map<Severity, number>();
  for (const f of result.findings) perLevel.set(f.severity, (perLevel.get(f.severity) ?? 0) + 1);
  let hidden = 0;
  for (const n of perLevel.values()) hidden += Math.max(0, n - ANNOTATIONS_PER_LEVEL);
  if (hidden > 0) {
    const what = hidden === 1 ? '1 finding was' : `${hidden} findings were`;
    lines.push(
      `archlint: ${what} not annotated (GitHub shows at most ${ANNOTATIONS_PER_LEVEL} per level per step); ` +
        'see the SARIF report or the step summary.',
    );
  }
  // A plain line rather than empty output, so the step log says the run happened.
  if (lines.length === 0) {
    const files = result.summary.files;
    lines.push(`archlint: no problems in ${files} ${files === 1 ? 'file' : 'files'}.`);
  }
  return `${lines.join('\n')}\n`;
};
