/**
 * JSON pointer → source range for text that is valid JSON, without building a YAML node tree.
 * Parsing a 4 MB JSON description with the `yaml` package costs about a second and 250 MB; this
 * scanner indexes only the containers a pointer passes through (each once, on first use), so
 * placing a thousand findings costs a few scans of the text. Ranges agree with the `yaml`
 * package's: a key includes its quotes, a value spans its token or its brackets.
 */
import type { OffsetRange } from './ranges.js';

interface Member {
  key?: OffsetRange;
  value: OffsetRange;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

export class JsonLocator {
  /** Container start offset → its members by key (objects, first occurrence wins, as in `yaml`) or index (arrays). */
  private readonly objects = new Map<number, Map<string, Member>>();
  private readonly arrays = new Map<number, Member[]>();

  constructor(private readonly text: string) {}

  /** `target` 'key' gives the mapping key when the node is an object member, else the value. */
  rangeOf(tokens: readonly string[], target: 'key' | 'value'): OffsetRange | undefined {
    let member = this.root();
    for (const token of tokens) {
      const at = member.value.start;
      const code = this.text.charCodeAt(at);
      let next: Member | undefined;
      if (code === LBRACE) next = this.objectMembers(at).get(token);
      else if (code === LBRACKET && /^(0|[1-9]\d*)$/.test(token)) next = this.arrayItems(at)[Number(token)];
      if (!next) return undefined;
      member = next;
    }
    return target === 'key' && member.key ? member.key : member.value;
  }

  private rootMember: Member | undefined;

  private root(): Member {
    if (!this.rootMember) {
      const start = skipWhitespace(this.text, 0);
      this.rootMember = { value: { start, end: skipValue(this.text, start) } };
    }
    return this.rootMember;
  }

  private objectMembers(start: number): Map<string, Member> {
    let members = this.objects.get(start);
    if (members) return members;
    members = new Map();
    const s = this.text;
    let i = skipWhitespace(s, start + 1);
    while (i < s.length && s.charCodeAt(i) === QUOTE) {
      const keyEnd = skipString(s, i);
      const raw = s.slice(i + 1, keyEnd - 1);
      const key = raw.includes('\\') ? (JSON.parse(s.slice(i, keyEnd)) as string) : raw;
      let v = skipWhitespace(s, keyEnd);
      if (s.charCodeAt(v) !== COLON) break;
      v = skipWhitespace(s, v + 1);
      const valueEnd = skipValue(s, v);
      if (!members.has(key)) members.set(key, { key: { start: i, end: keyEnd }, value: { start: v, end: valueEnd } });
      i = skipWhitespace(s, valueEnd);
      if (s.charCodeAt(i) !== COMMA) break;
      i = skipWhitespace(s, i + 1);
    }
    this.objects.set(start, members);
    return members;
  }

  private arrayItems(start: number): Member[] {
    let items = this.arrays.get(start);
    if (items) return items;
    items = [];
    const s = this.text;
    let i = skipWhitespace(s, start + 1);
    while (i < s.length && s.charCodeAt(i) !== RBRACKET) {
      const end = skipValue(s, i);
      items.push({ value: { start: i, end } });
      i = skipWhitespace(s, end);
      if (s.charCodeAt(i) !== COMMA) break;
      i = skipWhitespace(s, i + 1);
    }
    this.arrays.set(start, items);
    return items;
  }
}

function skipWhitespace(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** `i` at an opening quote; returns the offset after the closing quote. */
function skipString(s: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = s.indexOf('"', from);
    if (q < 0) return s.length;
    let backslashes = 0;
    for (let b = q - 1; s.charCodeAt(b) === BACKSLASH; b--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** `i` at the first character of a value; returns the offset after it. */
function skipValue(s: string, i: number): number {
  const first = s.charCodeAt(i);
  if (first === QUOTE) return skipString(s, i);
  if (first === LBRACE || first === LBRACKET) {
    let depth = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === QUOTE) i = skipString(s, i) - 1;
      else if (c === LBRACE || c === LBRACKET) depth++;
      else if ((c === RBRACE || c === RBRACKET) && --depth === 0) return i + 1;
    }
    return s.length;
  }
  // number, true, false, null: up to the next delimiter
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === COMMA || c === RBRACE || c === RBRACKET || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
    i++;
  }
  return i;
}
