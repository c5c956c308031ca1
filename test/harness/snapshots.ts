/**
 * Rendered snapshots of fixture cases: what a user sees of each finding — severity, rule, file and
 * range, message, related locations, fix — plus the source text the range covers, so a reviewer
 * can tell whether the range sits on the construct. `file:line ruleId` markers (fixtures.ts) say
 * *which* findings a case has; the snapshot pins *how* they read.
 *
 * One snapshot per case, stored beside its folder as `fixtures/<rule-id>/<kind>/<case>.snap`:
 * - one file per case: a changed message shows up in the review next to the case it changes, and
 *   branches that add cases to the same rule never conflict over one shared file;
 * - beside the folder, not in it: the case folder is the mini-repo archlint lints (and other tests
 *   lint each of its files alone), so a file inside it would be linted too.
 * Paths in a snapshot are relative to the case folder. `npm run fixtures:update` rewrites them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Finding, Region } from '../../src/model/finding.js';
import type { FixtureCase } from './fixtures.js';

export const SNAPSHOT_EXTENSION = '.snap';

/** Set by `npm run fixtures:update`: write snapshots instead of comparing them. */
export const UPDATE_SNAPSHOTS = process.env.ARCHLINT_UPDATE_FIXTURES === '1';

export function snapshotPath(testCase: FixtureCase): string {
  return join(dirname(testCase.dir), `${testCase.name}${SNAPSHOT_EXTENSION}`);
}

/** The stored snapshot, or undefined when the case has none yet. */
export function readSnapshot(testCase: FixtureCase): string | undefined {
  const path = snapshotPath(testCase);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** Every snapshot file where one can be: `fixtures/<domain>/<rule>/{bad,good}/*.snap`. */
export function snapshotFiles(root: string): string[] {
  const subdirs = (dir: string) =>
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(dir, e.name));
  return subdirs(root)
    .flatMap(subdirs)
    .flatMap((ruleDir) => ['bad', 'good'].map((kind) => join(ruleDir, kind)).filter((dir) => existsSync(dir)))
    .flatMap((dir) =>
      readdirSync(dir)
        .filter((name) => name.endsWith(SNAPSHOT_EXTENSION))
        .map((name) => join(dir, name)),
    )
    .sort();
}

// ---------------------------------------------------------------------------------------------
// Rendering.

/**
 * The findings of security rules cover the secret itself, and a secret is never printed whole, in
 * snapshots either: their covered text is shown as the reports show a secret, its first four
 * characters and its length.
 */
const SECRET_RULES = 'security/';

/** The longest piece of covered source text shown per line of a range; longer text is cut in the middle. */
const EXCERPT_WIDTH = 72;

/** Renders the findings of one case run, sorted, as the text stored in its snapshot. */
export function renderSnapshot(testCase: FixtureCase, findings: readonly Finding[]): string {
  const header = `# ${testCase.ruleId} ${testCase.kind}/${testCase.name} — rendered findings; \`npm run fixtures:update\` rewrites this file`;
  const sources = new SourceTexts(testCase.dir);
  const blocks = [...findings].sort(compareFindings).map((f) => renderFinding(f, sources));
  const body = blocks.length === 0 ? ['no findings'] : blocks;
  return `${[header, ...body].join('\n\n')}\n`;
}

function renderFinding(f: Finding, sources: SourceTexts): string {
  const excerpt = (file: string, r: Region) => sources.excerpt(file, r, f.ruleId.startsWith(SECRET_RULES));
  const lines = [`${f.severity} ${f.ruleId} at ${f.file}${f.fileLevel ? ' (whole file)' : `:${range(f)}`}`];
  lines.push(...labelled('message', f.message));
  if (!f.fileLevel) lines.push(...covered(excerpt(f.file, f)));
  for (const r of f.related) {
    lines.push(...labelled(`related ${r.file}:${range(r)}`, r.message));
    lines.push(...covered(excerpt(r.file, r)).map((line) => `  ${line}`));
  }
  if (f.fix) {
    lines.push(...labelled('fix', f.fix.description));
    if (f.fix.text !== undefined)
      lines.push('  fix text:', ...textLines(f.fix.text).map((t) => `    | ${t}`.trimEnd()));
  }
  return lines.join('\n');
}

/** `label: first line`, further lines of the text hanging under it. */
function labelled(label: string, text: string): string[] {
  const [first = '', ...rest] = textLines(text);
  return [`  ${label}: ${first}`.trimEnd(), ...rest.map((t) => `    ${t}`.trimEnd())];
}

function covered(excerpt: string[] | undefined): string[] {
  if (excerpt === undefined) return [];
  return excerpt.map((t, i) => `  ${i === 0 ? 'covers:' : '       '} ${t}`);
}

function range(r: Region): string {
  return `${r.line}:${r.column}-${r.endLine}:${r.endColumn}`;
}

/** Messages and fix text may span lines; control characters are shown escaped, as the terminal report does. */
function textLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) =>
      line.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`),
    );
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    compare(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    a.endLine - b.endLine ||
    a.endColumn - b.endColumn ||
    compare(a.ruleId, b.ruleId) ||
    compare(a.message, b.message)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The case's files as the engine counts positions in them: decoded UTF-8 without a BOM, lines
 * ending at \n, \r\n or a lone \r, columns in UTF-16 code units.
 */
class SourceTexts {
  private readonly lines = new Map<string, string[] | undefined>();

  constructor(private readonly dir: string) {}

  /**
   * The text a range covers, as backquoted pieces: a one-line range as one piece, a longer one as
   * its first and last lines with the count of lines between. Undefined when the file cannot be read.
   */
  excerpt(file: string, r: Region, secret: boolean): string[] | undefined {
    const quote = secret ? quoteMasked : quoteText;
    const lines = this.linesOf(file);
    if (!lines) return undefined;
    const first = lines[r.line - 1];
    const last = lines[r.endLine - 1];
    if (first === undefined || last === undefined) return [`(range ends past the file's ${lines.length} lines)`];
    if (r.line === r.endLine) return [quote(first.slice(r.column - 1, r.endColumn - 1))];
    const between = r.endLine - r.line - 1;
    return [
      quote(first.slice(r.column - 1)),
      ...(between > 0 ? [`… ${between} more line${between === 1 ? '' : 's'} …`] : []),
      quote(last.slice(0, r.endColumn - 1)),
    ];
  }

  private linesOf(file: string): string[] | undefined {
    if (!this.lines.has(file)) {
      let lines: string[] | undefined;
      try {
        lines = readFileSync(join(this.dir, file), 'utf8')
          .replace(/^\uFEFF/, '')
          .split(/\r\n|\n|\r/);
      } catch {
        lines = undefined;
      }
      this.lines.set(file, lines);
    }
    return this.lines.get(file);
  }
}

/** Source text in backquotes, cut in the middle when long, with control characters escaped. */
function quoteText(text: string): string {
  const shown = text.length > EXCERPT_WIDTH ? `${text.slice(0, EXCERPT_WIDTH - 20)}…${text.slice(-19)}` : text;
  return `\`${textLines(shown).join('')}\``;
}

/** A possible secret as the reports show one: at most its first four characters (fewer when short), and its length. */
function quoteMasked(text: string): string {
  return `${quoteText(text.slice(0, Math.min(4, Math.floor(text.length / 4))))}… (${text.length} characters)`;
}
