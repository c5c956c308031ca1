/**
 * The terminal report, laid out like ESLint's "stylish": findings grouped under their file,
 * one aligned row per finding, then a one-line summary and a pointer to `archlint explain`.
 */
import chalk, { Chalk, type ChalkInstance } from 'chalk';
import type { Finding, Severity } from '../model/finding.js';
import type { Reporter, RunSummary } from './types.js';
import { printable } from '../util/printable.js';

function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : `${word}s`}`;
}

function severityColor(c: ChalkInstance, severity: Severity): ChalkInstance {
  return severity === 'error' ? c.red : severity === 'warning' ? c.yellow : c.cyan;
}

/** A file-level finding has no position worth showing ("1:1" would suggest one). */
function position(f: Finding): string {
  return f.fileLevel ? '-' : `${f.line}:${f.column}`;
}

/** Text split into printable lines (messages and fix text may span lines). */
function textLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).map(printable);
}

function fileBlock(c: ChalkInstance, file: string, findings: Finding[]): string[] {
  // Widths are measured on the plain text, before any colour codes are added.
  const posWidth = Math.max(...findings.map((f) => position(f).length));
  const sevWidth = Math.max(...findings.map((f) => f.severity.length));
  const msgWidth = Math.max(...findings.map((f) => textLines(f.message)[0]!.length));
  const messageIndent = ' '.repeat(2 + posWidth + 2 + sevWidth + 2);

  const lines = [c.bold.underline(printable(file))];
  for (const f of findings) {
    // A multi-line message: the first line sits in the table, the rest hang under it.
    const [first = '', ...rest] = textLines(f.message);
    lines.push(
      `  ${c.dim(position(f).padEnd(posWidth))}  ` +
        `${severityColor(c, f.severity)(f.severity.padEnd(sevWidth))}  ` +
        `${first.padEnd(msgWidth)}  ${c.dim(f.ruleId)}`,
    );
    for (const more of rest) lines.push(more === '' ? '' : `${messageIndent}${more}`);
    for (const r of f.related) {
      lines.push(`    ${c.dim(`↳ ${printable(r.file)}:${r.line}:${r.column}`)} ${textLines(r.message).join(' ')}`);
    }
    if (f.fix) {
      lines.push(`    ${c.green('fix:')} ${textLines(f.fix.description).join(' ')}`);
      if (f.fix.text !== undefined) {
        for (const t of textLines(f.fix.text)) lines.push(t === '' ? '' : `      ${c.dim(t)}`);
      }
    }
  }
  return lines;
}

function summaryLine(c: ChalkInstance, s: RunSummary): string {
  const tail = [
    ...(s.suppressed > 0 ? [`${s.suppressed} suppressed`] : []),
    ...(s.baseline ? [`${s.baseline.hidden} in the baseline`] : []),
    ...(s.changedSince ? [`${s.changedSince.hidden} not on lines changed since ${printable(s.changedSince.ref)}`] : []),
    ...(s.unreadable ? [`${s.unreadable.count} unreadable skipped (first: ${printable(s.unreadable.first)})`] : []),
    ...(s.sarifCut && s.sarifCut.results > 0
      ? [`${s.sarifCut.results} left out of the SARIF report (GitHub's limits)`]
      : []),
    `${plural(s.files, 'file')} in ${Math.round(s.durationMs)} ms`,
  ].join(' · ');
  const total = s.errors + s.warnings + s.notes;
  if (total === 0) return `${c.green('✔')} no problems · ${tail}`;
  const counts = `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.notes, 'note')}`;
  const color = s.errors > 0 ? c.red : s.warnings > 0 ? c.yellow : c.cyan;
  return `${color.bold(`✖ ${plural(total, 'problem')} (${counts})`)} · ${tail}`;
}

/** "3 entries of the baseline x.json no longer occur" — the baseline can be pruned. */
function staleLine(n: number, file: string): string {
  const what = n === 1 ? '1 entry' : `${n} entries`;
  return `${what} of the baseline ${file} no longer ${n === 1 ? 'occurs' : 'occur'}; rewrite it with --write-baseline to drop stale entries.`;
}

export const pretty: Reporter = (result, options) => {
  // A private instance: the caller decides about colour, and the global chalk stays untouched.
  const c = new Chalk({ level: options.color ? chalk.level || 1 : 0 });

  // Findings arrive sorted by file, so grouping keeps both the file order and the row order.
  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const group = byFile.get(f.file);
    if (group) group.push(f);
    else byFile.set(f.file, [f]);
  }

  const lines: string[] = [];
  for (const [file, findings] of byFile) lines.push(...fileBlock(c, file, findings), '');
  lines.push(summaryLine(c, result.summary));
  const baseline = result.summary.baseline;
  if (baseline && baseline.stale > 0) {
    lines.push(c.dim(staleLine(baseline.stale, printable(baseline.file))));
  }
  const first = result.findings[0];
  if (first) lines.push(c.dim(`Run "archlint explain ${first.ruleId}" for why and how to fix.`));
  return `${lines.join('\n')}\n`;
};
