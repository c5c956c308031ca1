/**
 * Suppressions: `archlint-disable-next-line <id>[, <id>] -- reason`, `archlint-disable-line …`
 * and `archlint-disable-file …` in the file's own comment syntax, and `x-archlint-ignore: [ids]`
 * on a YAML/JSON object (an OpenAPI operation, schema, …). Without ids, a directive covers every rule.
 */
import type { Document } from 'yaml';
import { yamlLib } from '../inputs/yaml/lib.js';
import type { TextFile } from '../model/files.js';
import type { Origin } from '../model/finding.js';
import { keyText, nodeRange } from '../inputs/yaml/documents.js';

export type SuppressionKind = 'next-line' | 'line' | 'file' | 'object';

export interface Suppression {
  file: string;
  kind: SuppressionKind;
  /** Rule ids named by the directive; empty = every rule. */
  ruleIds: string[];
  /** Lines covered (1-based, inclusive) for line kinds. */
  fromLine?: number;
  toLine?: number;
  /** Offsets covered [start, end) for `x-archlint-ignore` objects (includes the object's key). */
  startOffset?: number;
  endOffset?: number;
  /** Where the directive is written, for `core/unused-suppression`. */
  origin: Origin;
  /** The directive's name (`archlint-disable-next-line`, `x-archlint-ignore`), for messages. */
  text: string;
}

/** Comment openers a directive may follow, by file extension. JSON has none (use x-archlint-ignore). */
const COMMENT_OPENERS: Array<[RegExp, string[]]> = [
  [/\.(c|m)?(t|j)sx?$/i, ['//', '/*']],
  [/\.sql$/i, ['--', '/*']],
  [
    /\.(ya?ml|toml|sh|bash|zsh|py|rb|ini|cfg|conf|properties|tf|hcl)$|(^|\/)(Dockerfile[^/]*|\.env[^/]*|\.gitignore|\.dockerignore|Makefile)$/i,
    ['#'],
  ],
  [/\.(md|markdown|html?|xml|svg|vue)$/i, ['<!--']],
  [/\.json$/i, []],
];
const ANY_OPENER = ['//', '/*', '#', '--', '<!--'];

function openersFor(path: string): string[] {
  for (const [pattern, openers] of COMMENT_OPENERS) if (pattern.test(path)) return openers;
  return ANY_OPENER;
}

/**
 * How to write a suppression comment in this file (`--` in SQL, `#` in YAML, `<!-- … -->` in
 * Markdown), from the same table the directives are read by; undefined for JSON, which has no
 * comments, and for files of no known kind.
 */
export function commentSyntaxFor(path: string): { open: string; close: string } | undefined {
  for (const [pattern, openers] of COMMENT_OPENERS) {
    if (!pattern.test(path)) continue;
    const opener = openers[0];
    if (opener === undefined) return undefined;
    return opener === '<!--'
      ? { open: '<!--', close: ' -->' }
      : opener === '/*'
        ? { open: '/*', close: ' */' }
        : { open: opener, close: '' };
  }
  return undefined;
}

const DIRECTIVE = /archlint-disable-(next-line|line|file)\b(.*)$/;

/** Finds the suppression comments of one file. Cheap when the file has none. */
export function commentSuppressions(file: TextFile): Suppression[] {
  if (!file.content.includes('archlint-disable-')) return [];
  const openers = openersFor(file.path);
  if (openers.length === 0) return [];
  const found: Suppression[] = [];
  for (let line = 1; line <= file.lineCount; line++) {
    const text = file.lineText(line);
    const at = text.indexOf('archlint-disable-');
    if (at < 0) continue;
    const before = text.slice(0, at).trimEnd();
    // The directive must be the first thing in a comment: `// archlint-disable-…`, `-- archlint-…`.
    if (!openers.some((opener) => before.endsWith(opener))) continue;
    const match = DIRECTIVE.exec(text.slice(at));
    if (!match) continue;
    const kind = match[1] as 'next-line' | 'line' | 'file';
    const body = (match[2] ?? '').replace(/\s*(\*\/|-->).*$/, '');
    const idsPart = body.split(/\s--(\s|$)/)[0] ?? '';
    const ruleIds = idsPart
      .split(/[\s,]+/)
      .map((id) => id.trim())
      .filter((id) => id.length > 0);
    const lineRange = file.lineRange(line);
    // The directive ends where its comment does (` */`, ` -->`), or at the end of the line.
    const close = /\s*(\*\/|-->)/.exec(text.slice(at));
    const end = close ? lineRange.start + at + close.index : lineRange.end;
    const origin: Origin = { file: file.path, range: { start: lineRange.start + at, end } };
    const base = { file: file.path, kind, ruleIds, origin, text: `archlint-disable-${kind}` };
    if (kind === 'file') found.push(base);
    else if (kind === 'line') found.push({ ...base, fromLine: line, toLine: line });
    else found.push({ ...base, fromLine: line + 1, toLine: line + 1 });
  }
  return found;
}

/** `x-archlint-ignore` keys in a YAML/JSON document: each covers the object that holds it, key included. */
export function objectSuppressions(path: string, doc: Document): Suppression[] {
  const found: Suppression[] = [];
  const walk = (node: unknown, ownerKey: unknown, depth: number): void => {
    if (depth > 200) return; // pathological nesting: suppressions that deep are not worth a stack overflow
    if (yamlLib().isMap(node)) {
      for (const pair of node.items) {
        if (!yamlLib().isPair(pair)) continue;
        if (keyText(pair.key) === 'x-archlint-ignore') {
          const objectRange = nodeRange(node);
          const keyRange = nodeRange(ownerKey);
          const directiveRange = nodeRange(pair.key);
          if (!objectRange || !directiveRange) continue;
          found.push({
            file: path,
            kind: 'object',
            ruleIds: ignoreIds(pair.value),
            startOffset: keyRange ? Math.min(keyRange.start, objectRange.start) : objectRange.start,
            endOffset: objectRange.end,
            origin: {
              file: path,
              range: { start: directiveRange.start, end: nodeRange(pair.value)?.end ?? directiveRange.end },
            },
            text: 'x-archlint-ignore',
          });
        } else {
          walk(pair.value, pair.key, depth + 1);
        }
      }
    } else if (yamlLib().isSeq(node)) {
      for (const item of node.items) walk(item, undefined, depth + 1);
    }
  };
  walk(doc.contents, undefined, 0);
  return found;
}

/** `x-archlint-ignore: [a, b]`, `x-archlint-ignore: a` or `x-archlint-ignore: true` (every rule). */
function ignoreIds(value: unknown): string[] {
  if (yamlLib().isSeq(value))
    return value.items.flatMap((item) => (yamlLib().isScalar(item) ? [String(item.value)] : []));
  if (yamlLib().isScalar(value) && typeof value.value === 'string') return value.value.split(/[\s,]+/).filter(Boolean);
  return [];
}

export interface Suppressible {
  ruleId: string;
  file: string;
  line: number;
  fileLevel: boolean;
  /** Offset of the finding's start in its file, when known. */
  startOffset?: number;
}

export function covers(suppression: Suppression, finding: Suppressible): boolean {
  if (suppression.file !== finding.file) return false;
  if (suppression.ruleIds.length > 0 && !suppression.ruleIds.includes(finding.ruleId)) return false;
  switch (suppression.kind) {
    case 'file':
      return true;
    case 'line':
    case 'next-line':
      return !finding.fileLevel && finding.line >= suppression.fromLine! && finding.line <= suppression.toLine!;
    case 'object':
      return (
        !finding.fileLevel &&
        finding.startOffset !== undefined &&
        finding.startOffset >= suppression.startOffset! &&
        finding.startOffset < suppression.endOffset!
      );
  }
}
