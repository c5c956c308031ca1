/**
 * JSON pointer → source range in YAML text, by a light scan of its lines instead of the `yaml`
 * package's node tree (which costs ~1.5 s on a 2.4 MB description, for the few hundred nodes
 * that are ever reported).
 *
 * It reads the block style descriptions are written in: nested block mappings and sequences,
 * plain and quoted keys, one-line scalars. Whatever it does not read with certainty — flow
 * collections on the way, anchors, aliases, tags, complex keys, multi-line scalars where a range
 * must end, tabs in indentation, several documents — is `UNKNOWN`, and the caller asks the
 * `yaml` Document instead. So an answer it gives is the answer the Document gives: the same
 * range for the same pointer (a test compares the two on every node of the corpus).
 */
import type { OffsetRange } from './ranges.js';

/** The scan cannot tell: ask the `yaml` Document. */
export const UNKNOWN = Symbol('unknown');
export type Located = OffsetRange | undefined | typeof UNKNOWN;

interface Line {
  /** Offset of the line's first character. */
  start: number;
  /** Offset of the first non-space character (or the line end for a blank line). */
  content: number;
  /** Offset just past the last character before the line break. */
  end: number;
  /** Leading spaces. */
  indent: number;
  /** Blank, or a comment line: not part of the structure. */
  skip: boolean;
  /** A tab among the leading whitespace: YAML indentation it would take the full parser to judge. */
  tabbed: boolean;
  /** Index of the next structural line with indent <= this one's (the end of its subtree). */
  next: number;
}

/** A block mapping: its keys stand at column `indent`, the first one at `firstKey` on line `firstLine`. */
interface MapContext {
  kind: 'map';
  indent: number;
  firstLine: number;
  firstKey: number;
  /** Lines [from, to) that hold the node, when known: its range ends after the last of them. */
  extent?: [number, number];
}

/** A block sequence: its `-` stand at column `indent`, from line `firstLine`. */
interface SeqContext {
  kind: 'seq';
  indent: number;
  firstLine: number;
  extent?: [number, number];
}

/** A node that is neither: a scalar on one line (its range), or one the scan does not read. */
interface ScalarContext {
  kind: 'scalar';
  range: OffsetRange | typeof UNKNOWN;
}

type Context = MapContext | SeqContext | ScalarContext;

/** A block mapping's entries (first occurrence of each key), and what any other key is: absent, or UNKNOWN. */
interface MapIndex {
  entries: Map<string, Entry>;
  after: undefined | typeof UNKNOWN;
}

interface Entry {
  /** The key's source range (quotes included). */
  key: OffsetRange;
  /** The key as `yaml` would compare it: String() of its resolved value. */
  text: string;
  value: Context | undefined;
}

export class BlockLocator {
  private readonly lines: Line[];
  private readonly root: Context | typeof UNKNOWN;

  constructor(private readonly text: string) {
    this.lines = splitLines(text);
    this.root = this.findRoot();
  }

  rangeOf(tokens: readonly string[], target: 'key' | 'value'): Located {
    if (this.root === UNKNOWN) return UNKNOWN;
    let node: Context | undefined = this.root;
    let keyRange: OffsetRange | undefined;
    for (const token of tokens) {
      keyRange = undefined;
      if (node === undefined) return undefined;
      if (node.kind === 'map') {
        const entry = this.findKey(node, token);
        if (entry === UNKNOWN) return UNKNOWN;
        if (entry === undefined) return undefined;
        keyRange = entry.key;
        node = entry.value;
      } else if (node.kind === 'seq') {
        const index = /^(0|[1-9]\d*)$/.test(token) ? Number(token) : -1;
        if (index < 0) return undefined;
        const item = this.item(node, index);
        if (item === UNKNOWN) return UNKNOWN;
        if (item === undefined) return undefined;
        node = item;
      } else {
        // A scalar has no children; one the scan did not read might be a flow collection.
        return node.range === UNKNOWN ? UNKNOWN : undefined;
      }
    }
    if (target === 'key' && keyRange) return keyRange;
    if (node === undefined) return UNKNOWN; // an empty value is a null scalar: the Document's range for it
    if (node.kind === 'scalar') return node.range;
    if (!node.extent) return UNKNOWN;
    const end = this.extentEnd(node.extent);
    if (end === UNKNOWN) return UNKNOWN;
    // A block collection runs from its first key or dash to the line break after its last line.
    const start = node.kind === 'map' ? node.firstKey : this.lines[node.firstLine]!.content;
    return { start, end };
  }

  /**
   * Where the `yaml` Document ends a block collection held by lines [from, to): after the line
   * break of its last structural line; at the line's end when that line is a key with an empty
   * value. Whitespace-only lines, or comment-looking lines after a block scalar, may belong to the
   * scalar: UNKNOWN.
   */
  private extentEnd([from, to]: [number, number]): number | typeof UNKNOWN {
    let last = to - 1;
    while (last > from && this.lines[last]!.skip) last--;
    let blockScalar = false;
    for (let k = from; k <= last; k++) {
      const line = this.lines[k]!;
      if (!line.skip && /(?:^|[:-][ ]+)[|>][-+0-9]*[ ]*(?:#.*)?$/.test(this.text.slice(line.content, line.end)))
        blockScalar = true;
    }
    for (let k = last + 1; k < to; k++) {
      const line = this.lines[k]!;
      const blank = line.content >= line.end;
      if ((blank && line.end > line.start) || (!blank && blockScalar)) return UNKNOWN;
    }
    const lastLine = this.lines[last]!;
    const tail = this.text.slice(lastLine.content, lastLine.end);
    if (/:[ ]*$/.test(tail) && parseKey(this.text, lastLine.content, lastLine.end)) return lastLine.end;
    if (/:[ ]+#/.test(tail) || /^-[ ]*$/.test(tail)) return UNKNOWN;
    return last + 1 < this.lines.length ? this.lines[last + 1]!.start : this.text.length;
  }

  /** The document's top node: a block mapping at column 0 after comments and a bare `---`. */
  private findRoot(): Context | typeof UNKNOWN {
    // A byte order mark (the text input strips it from files; a caller may not) is for the full parser.
    if (this.text.charCodeAt(0) === 0xfeff) return UNKNOWN;
    const lines = this.lines;
    let i = 0;
    for (; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.skip) continue;
      const first = this.text.slice(line.content, line.end);
      if (first.startsWith('%')) return UNKNOWN;
      if (first === '---' || first.startsWith('--- #')) continue;
      break;
    }
    if (i >= lines.length) return UNKNOWN;
    // A second document, or an explicit document end, is for the full parser.
    for (let j = i; j < lines.length; j++) {
      const line = lines[j]!;
      if (line.indent === 0 && !line.skip && /^(?:---|\.\.\.)(?:\s|$)/.test(this.text.slice(line.content, line.end)))
        return UNKNOWN;
    }
    const line = lines[i]!;
    if (line.indent !== 0 || line.tabbed) return UNKNOWN;
    const parsed = parseKey(this.text, line.content, line.end);
    if (parsed === undefined) return UNKNOWN;
    return { kind: 'map', indent: 0, firstLine: i, firstKey: line.content };
  }

  /**
   * Each block mapping's entries by key, indexed on the first lookup: a finding's pointer, and the
   * suppression check on each of its ancestors, pass through the same large mappings (`paths`,
   * `components/schemas`) again and again, and scanning their keys each time was a tenth of a
   * run on a 2.4 MB description. Keyed by where the mapping's first key stands.
   */
  private readonly maps = new Map<number, MapIndex>();

  /** The entry of `map` whose key reads `token`; the first one, as the Document's lookup finds it. */
  private findKey(map: MapContext, token: string): Entry | undefined | typeof UNKNOWN {
    let index = this.maps.get(map.firstKey);
    if (!index) {
      index = this.indexMap(map);
      this.maps.set(map.firstKey, index);
    }
    return index.entries.get(token) ?? index.after;
  }

  /**
   * The entries of `map` in order, up to its end, or up to the first line the scan cannot read:
   * a key before that line is answered, any other is UNKNOWN (it might stand after it).
   */
  private indexMap(map: MapContext): MapIndex {
    const entries = new Map<string, Entry>();
    const done = (after: undefined | typeof UNKNOWN): MapIndex => ({ entries, after });
    for (let i = map.firstLine; i < this.lines.length; ) {
      const line = this.lines[i]!;
      if (line.skip) {
        i++;
        continue;
      }
      if (line.indent < map.indent && i !== map.firstLine) return done(undefined);
      if (line.tabbed) return done(UNKNOWN);
      const keyAt = i === map.firstLine ? map.firstKey : line.content;
      if (i !== map.firstLine && line.indent !== map.indent) return done(UNKNOWN);
      const entry = this.entryAt(i, keyAt, map.indent);
      if (entry === UNKNOWN) return done(UNKNOWN);
      if (!entries.has(entry.text)) entries.set(entry.text, entry);
      i = this.after(i, map.indent);
    }
    return done(undefined);
  }

  /**
   * The line after the mapping entry whose key stands at column `column` on line `i`: past every
   * deeper line, and past a sequence at the key's own column that is its value (`key:` then `- a`).
   */
  private after(i: number, column: number): number {
    const lines = this.lines;
    let j = i + 1;
    while (j < lines.length && (lines[j]!.skip || lines[j]!.indent > column))
      j = lines[j]!.skip ? j + 1 : lines[j]!.next;
    while (j < lines.length && lines[j]!.indent === column && this.isDash(j)) j = lines[j]!.next;
    return j;
  }

  private isDash(k: number): boolean {
    const line = this.lines[k]!;
    return !line.skip && /^-(?:[ \t]|$)/.test(this.text.slice(line.content, Math.min(line.end, line.content + 2)));
  }

  /** The key and value of the mapping entry whose key starts at `keyAt` on line `i`. */
  private entryAt(i: number, keyAt: number, indent: number): Entry | typeof UNKNOWN {
    const line = this.lines[i]!;
    const parsed = parseKey(this.text, keyAt, line.end);
    if (parsed === undefined) return UNKNOWN;
    const value = this.valueAfter(i, parsed.valueAt, indent, 'key');
    if (value === UNKNOWN) return UNKNOWN;
    return { key: parsed.range, text: parsed.text, value };
  }

  /**
   * The node that starts at offset `at` on line `i` (after `key:` or `- `), or on the lines below
   * when nothing but a comment follows on this one. `indent` is the column of the owner's key or dash.
   */
  private valueAfter(
    i: number,
    at: number,
    indent: number,
    owner: 'key' | 'dash',
  ): Context | undefined | typeof UNKNOWN {
    const line = this.lines[i]!;
    const rest = this.text.slice(at, line.end);
    const content = rest.replace(/^[ ]+/, '');
    const start = at + (rest.length - content.length);
    if (content === '' || content.startsWith('#')) {
      // The value is on the next structural line: deeper, or a sequence at the key's own column.
      let j = i + 1;
      while (j < this.lines.length && this.lines[j]!.skip) j++;
      if (j >= this.lines.length) return undefined;
      const next = this.lines[j]!;
      if (next.tabbed) return UNKNOWN;
      const dash = this.isDash(j);
      // Deeper lines, or (for a key) a sequence at the key's own column.
      if (next.indent > indent || (dash && next.indent === indent && owner === 'key')) {
        const extent: [number, number] = [j, owner === 'key' ? this.after(i, indent) : this.lines[i]!.next];
        if (dash) return { kind: 'seq', indent: next.indent, firstLine: j, extent };
        if (parseKey(this.text, next.content, next.end) === undefined) return { kind: 'scalar', range: UNKNOWN };
        return { kind: 'map', indent: next.indent, firstLine: j, firstKey: next.content, extent };
      }
      return undefined;
    }
    const c = content[0]!;
    if ('&*!|>[{?%@`'.includes(c)) return { kind: 'scalar', range: UNKNOWN };
    if (c === '-' && /^-(?:\s|$)/.test(content)) return UNKNOWN; // a sequence inside a sequence entry
    // An inline mapping after a dash (`- name: x`): its keys stand at this column.
    const column = start - line.start;
    if (owner === 'dash' && parseKey(this.text, start, line.end) !== undefined) {
      return { kind: 'map', indent: column, firstLine: i, firstKey: start, extent: [i, line.next] };
    }
    return { kind: 'scalar', range: this.scalarRange(i, start, indent) };
  }

  /** A scalar that ends on its own line: its range; one that continues on the next lines: UNKNOWN. */
  private scalarRange(i: number, start: number, indent: number): OffsetRange | typeof UNKNOWN {
    const line = this.lines[i]!;
    let end: number;
    const c = this.text[start];
    if (c === '"' || c === "'") {
      const close = closingQuote(this.text, start, line.end);
      if (close < 0) return UNKNOWN;
      end = close + 1;
      const after = this.text.slice(end, line.end);
      if (!/^[ ]*(?:#.*)?$/.test(after)) return UNKNOWN;
    } else {
      const comment = this.text.slice(start, line.end).search(/[ ]#/);
      end = comment >= 0 ? start + comment : line.end;
      while (end > start && this.text[end - 1] === ' ') end--;
    }
    // A continuation line (deeper, not a comment) makes it a multi-line scalar.
    let j = i + 1;
    while (j < this.lines.length && this.lines[j]!.skip) j++;
    if (j < this.lines.length && this.lines[j]!.indent > indent) return UNKNOWN;
    return { start, end };
  }

  /** Item `index` of a block sequence. */
  private item(seq: SeqContext, index: number): Context | undefined | typeof UNKNOWN {
    let count = 0;
    for (let i = seq.firstLine; i < this.lines.length; ) {
      const line = this.lines[i]!;
      if (line.skip) {
        i++;
        continue;
      }
      if (line.indent < seq.indent) return undefined;
      if (line.tabbed) return UNKNOWN;
      if (line.indent !== seq.indent || !this.isDash(i)) {
        // At the sequence's column, anything but a dash ends it (the owner's next key).
        if (line.indent === seq.indent) return undefined;
        return UNKNOWN;
      }
      if (count === index) {
        const value = this.valueAfter(i, line.content + 1, seq.indent, 'dash');
        if (value === undefined) return UNKNOWN; // an empty item is null: the Document's range for it
        return value;
      }
      count++;
      i = line.next;
    }
    return undefined;
  }
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    const next = end < 0 ? text.length + 1 : end + 1;
    if (end < 0) end = text.length;
    const lineEnd = end > start && text[end - 1] === '\r' ? end - 1 : end;
    let i = start;
    while (i < lineEnd && text[i] === ' ') i++;
    let j = i;
    while (j < lineEnd && (text[j] === ' ' || text[j] === '\t')) j++;
    const skip = j >= lineEnd || text[j] === '#';
    // Indentation counts spaces only; a tab after them is content in a block scalar, and on a line the scan reads, UNKNOWN.
    lines.push({ start, content: j, end: lineEnd, indent: i - start, skip, tabbed: j > i && !skip, next: 0 });
    start = next;
  }
  // Subtree ends: the next structural line that is not deeper.
  const open: number[] = [];
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    if (line.skip) continue;
    while (open.length > 0 && lines[open[open.length - 1]!]!.indent >= line.indent) lines[open.pop()!]!.next = k;
    open.push(k);
  }
  for (const k of open) lines[k]!.next = lines.length;
  return lines;
}

/** Offset of the quote that closes the one at `start` on the same line, or -1. */
function closingQuote(text: string, start: number, lineEnd: number): number {
  const quote = text[start];
  for (let i = start + 1; i < lineEnd; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        i++;
        continue;
      }
      return i;
    }
  }
  return -1;
}

/**
 * A `key:` at `at`: its range, its text as the Document compares it, and where its value starts.
 * Undefined when the line does not start with a key the scan reads.
 */
export function parseKey(
  text: string,
  at: number,
  lineEnd: number,
): { range: OffsetRange; text: string; valueAt: number } | undefined {
  const c = text[at];
  if (c === undefined || at >= lineEnd) return undefined;
  let keyEnd: number;
  let value: string;
  if (c === '"' || c === "'") {
    const close = closingQuote(text, at, lineEnd);
    if (close < 0) return undefined;
    const raw = text.slice(at, close + 1);
    if (c === "'") value = raw.slice(1, -1).replace(/''/g, "'");
    else {
      // Only the escapes JSON shares with YAML; others (\x, \U, \N…) are for the full parser.
      if (/\\[^"\\/bfnrtu]/.test(raw)) return undefined;
      try {
        value = JSON.parse(raw) as string;
      } catch {
        return undefined;
      }
    }
    keyEnd = close + 1;
    let i = keyEnd;
    while (i < lineEnd && text[i] === ' ') i++;
    if (text[i] !== ':' || !(i + 1 >= lineEnd || text[i + 1] === ' ')) return undefined;
    return { range: { start: at, end: keyEnd }, text: value, valueAt: i + 1 };
  }
  if ('&*!|>[]{}?%@`#,-'.includes(c) && !(c === '-' && !/^-(?:\s|$)/.test(text.slice(at, at + 2)))) return undefined;
  // A plain key ends at the first `: ` (or `:` at the line end); ` #` before it is a comment.
  let i = at;
  for (; i < lineEnd; i++) {
    if (text[i] === ':' && (i + 1 >= lineEnd || text[i + 1] === ' ')) break;
    if (text[i] === '#' && text[i - 1] === ' ') return undefined;
    if (text[i] === '\t') return undefined;
  }
  if (i >= lineEnd) return undefined;
  keyEnd = i;
  while (keyEnd > at && text[keyEnd - 1] === ' ') keyEnd--;
  if (keyEnd === at) return undefined;
  const raw = text.slice(at, keyEnd);
  return { range: { start: at, end: keyEnd }, text: plainKeyText(raw), valueAt: i + 1 };
}

/** String() of a plain scalar as YAML 1.2's core schema resolves it (fast-value.ts, `yaml`'s schema). */
function plainKeyText(raw: string): string {
  // Only these characters start a null, a boolean or a number; any other key is its own text.
  if (!/^[-+.0-9~nNtTfF]/.test(raw)) return raw;
  if (/^(?:~|[Nn]ull|NULL)$/.test(raw)) return 'null';
  if (/^(?:[Tt]rue|TRUE)$/.test(raw)) return 'true';
  if (/^(?:[Ff]alse|FALSE)$/.test(raw)) return 'false';
  if (/^0o[0-7]+$/.test(raw)) return String(parseInt(raw.slice(2), 8));
  if (/^0x[0-9a-fA-F]+$/.test(raw)) return String(parseInt(raw.slice(2), 16));
  if (/^[-+]?[0-9]+$/.test(raw)) return String(parseInt(raw, 10));
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(raw)) return raw[0] === '-' ? '-Infinity' : 'Infinity';
  if (/^(?:\.nan|\.NaN|\.NAN)$/.test(raw)) return 'NaN';
  if (
    /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(raw) ||
    /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(raw)
  )
    return String(parseFloat(raw));
  return raw;
}
