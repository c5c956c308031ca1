/**
 * A Markdown summary for $GITHUB_STEP_SUMMARY and pull-request comments: counts, a per-rule
 * table, and the first findings. Finding text comes from the linted repository, so every cell
 * is escaped: it must neither break the table nor inject HTML or Markdown into the page.
 */
import { SEVERITIES, type Finding, type Severity } from '../model/finding.js';
import type { Reporter, RunResult } from './types.js';
import { printable } from '../util/printable.js';
import { renderMermaid } from '../map/mermaid.js';
import { inlineCode } from '../util/inline-code.js';

/** Rows in the findings table; a PR comment with thousands of rows helps no one. */
export const MAX_FINDING_ROWS = 50;

function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : `${word}s`}`;
}

/** Plain text → one table cell of inline Markdown that renders as that text. */
export function escapeCell(text: string): string {
  return printable(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]~|]/g, '\\$&')
    .replace(/\r?\n|\r/g, '<br>');
}

/**
 * Text as a code span inside a table cell. Entities are not decoded in code spans, so only
 * the fence (longer than any backtick run inside) and the table's `|` need care.
 */
export function codeCell(text: string): string {
  return inlineCode(text).replace(/\|/g, '\\|');
}

function countsLine(result: RunResult): string {
  const s = result.summary;
  const errors = plural(s.errors, 'error');
  return [
    `${s.errors > 0 ? `**${errors}**` : errors}, ${plural(s.warnings, 'warning')}, ${plural(s.notes, 'note')}`,
    `${s.suppressed} suppressed`,
    ...narrowedBy(result),
    `${plural(s.files, 'file')} checked`,
  ].join(' · ');
}

/** What the baseline and `--changed-since` hid, so a short report is not mistaken for a clean repository. */
function narrowedBy(result: RunResult): string[] {
  const { baseline, changedSince, sarifCut } = result.summary;
  return [
    ...(baseline ? [`${baseline.hidden} in the baseline`] : []),
    ...(changedSince ? [`${changedSince.hidden} not on lines changed since ${codeCell(changedSince.ref)}`] : []),
    ...(sarifCut && sarifCut.results > 0 ? [`${sarifCut.results} left out of the SARIF report (GitHub's limits)`] : []),
  ];
}

function staleLine(result: RunResult): string[] {
  const baseline = result.summary.baseline;
  if (!baseline || baseline.stale === 0) return [];
  const what = baseline.stale === 1 ? '1 entry' : `${baseline.stale} entries`;
  const occur = baseline.stale === 1 ? 'occurs' : 'occur';
  return [
    '',
    `${what} of the baseline ${codeCell(baseline.file)} no longer ${occur}; rewrite it with \`--write-baseline\` to drop stale entries.`,
  ];
}

function rulesTable(result: RunResult): string[] {
  const byRule = new Map<string, { count: number; severities: Set<Severity> }>();
  for (const f of result.findings) {
    const entry = byRule.get(f.ruleId) ?? { count: 0, severities: new Set<Severity>() };
    entry.count += 1;
    entry.severities.add(f.severity);
    byRule.set(f.ruleId, entry);
  }
  const rows = [...byRule].sort(([a, x], [b, y]) => y.count - x.count || (a < b ? -1 : a > b ? 1 : 0));
  return [
    '| Rule | Severity | Count | Title |',
    '| --- | --- | ---: | --- |',
    ...rows.map(([id, { count, severities }]) => {
      // Configuration can give one rule different severities in different files.
      const severity = SEVERITIES.filter((s) => severities.has(s)).join(', ');
      const title = result.rules.get(id)?.title ?? '';
      return `| ${codeCell(id)} | ${severity} | ${count} | ${escapeCell(title)} |`;
    }),
  ];
}

function findingRow(f: Finding): string {
  const where = f.fileLevel ? f.file : `${f.file}:${f.line}`;
  return `| ${codeCell(where)} | ${codeCell(f.ruleId)} | ${escapeCell(f.message)} |`;
}

/**
 * `--map`: the architecture map as a collapsed section (GitHub renders Mermaid inside <details>), so a
 * reviewer sees which services and tables the change touched without the map crowding the findings.
 */
function mapSection(result: RunResult): string[] {
  const architecture = result.architecture;
  if (!architecture) return [];
  const { map, focused } = architecture;
  const counts = `${plural(map.services.length, 'service')}, ${plural(
    map.schemas.reduce((n, s) => n + s.tables.length, 0),
    'table',
  )}`;
  if (focused && map.services.length === 0 && map.schemas.length === 0)
    return [
      '',
      '<details><summary>Architecture map: the change touches no service route or table</summary>',
      '',
      'Nothing to draw.',
      '',
      '</details>',
    ];
  const summary = focused ? `Architecture map of what the change touches (${counts})` : `Architecture map (${counts})`;
  const body = renderMermaid(map, { headingLevel: 3, title: false }).trimEnd();
  return ['', `<details><summary>${summary}</summary>`, '', body, '', '</details>'];
}

export const markdown: Reporter = (result) => {
  const lines = ['## archlint', ''];
  const { files, suppressed } = result.summary;
  if (result.findings.length === 0) {
    const also = [...(suppressed > 0 ? [`${suppressed} suppressed`] : []), ...narrowedBy(result)];
    lines.push(
      `✅ No problems found in ${plural(files, 'file')}${also.length > 0 ? ` (${also.join(' · ')})` : ''}.`,
      ...staleLine(result),
      ...mapSection(result),
    );
    return `${lines.join('\n')}\n`;
  }
  lines.push(countsLine(result), ...staleLine(result), '', ...rulesTable(result), '', '### Findings', '');
  lines.push('| File | Rule | Message |', '| --- | --- | --- |');
  lines.push(...result.findings.slice(0, MAX_FINDING_ROWS).map(findingRow));
  const more = result.findings.length - MAX_FINDING_ROWS;
  if (more > 0) lines.push('', `… and ${more} more.`);
  lines.push(...mapSection(result));
  return `${lines.join('\n')}\n`;
};
