/**
 * One statement's place in its file: turns the positions a parser reports (UTF-8 byte offsets for
 * libpg-query's node locations, code points for its error cursor, UTF-16 for node-sql-parser)
 * into file offsets, and builds the Origins the model carries.
 */
import type { Origin } from '../../model/finding.js';

const ASCII = /^[\x00-\x7f]*$/;

export class StatementSource {
  readonly text: string;
  private readonly ascii: boolean;
  private byteToIndex?: Int32Array;

  constructor(
    readonly file: string,
    /** The whole file's (masked) text. */
    readonly content: string,
    readonly start: number,
    readonly end: number,
  ) {
    this.text = content.slice(start, end);
    this.ascii = ASCII.test(this.text);
  }

  /** File offset of a UTF-8 byte offset into the statement text (clamped to the statement). */
  fromByte(byte: number): number {
    if (byte <= 0) return this.start;
    if (this.ascii) return this.start + Math.min(byte, this.text.length);
    const map = (this.byteToIndex ??= buildByteMap(this.text));
    return this.start + (map[Math.min(byte, map.length - 1)] ?? this.text.length);
  }

  /** File offset of a code-point offset into the statement text (PostgreSQL's error cursor). */
  fromCodePoint(point: number): number {
    if (this.ascii) return this.start + Math.min(Math.max(point, 0), this.text.length);
    let index = 0;
    for (let seen = 0; seen < point && index < this.text.length; seen++) {
      const code = this.text.charCodeAt(index);
      index += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
    }
    return this.start + index;
  }

  /** The whole statement. */
  origin(): Origin {
    return { file: this.file, range: { start: this.start, end: this.end } };
  }

  /** From a file offset to the end of its line (without trailing spaces and commas), inside the statement. */
  lineFrom(offset: number): Origin {
    const start = Math.min(Math.max(offset, this.start), this.end);
    return { file: this.file, range: { start, end: this.lineEnd(start) } };
  }

  /**
   * One clause of a list from `offset`: `customer_id bigint REFERENCES customers (id)` in
   * `CREATE TABLE orders (id bigint, customer_id bigint REFERENCES customers (id));` — up to the
   * comma or the closing parenthesis that ends it at its own depth, or the end of the line.
   */
  clauseFrom(offset: number): Origin {
    const start = Math.min(Math.max(offset, this.start), this.end);
    let depth = 0;
    let end = start;
    for (; end < this.end; end++) {
      const c = this.content.charCodeAt(end);
      if (c === 10 || c === 13) break;
      if (c === 40) depth++;
      else if (c === 41) {
        if (depth === 0) break;
        depth--;
      } else if ((c === 44 || c === 59) && depth === 0) break;
      else if (c === 39 || c === 34 || c === 96) {
        // Quoted text ('it''s', "Name, with comma") holds no clause boundary.
        const close = this.content.indexOf(String.fromCharCode(c), end + 1);
        if (close < 0 || close >= this.end) break;
        end = close;
      }
    }
    while (end > start && isTrailing(this.content.charCodeAt(end - 1))) end--;
    return { file: this.file, range: { start, end: end === start ? Math.min(start + 1, this.end) : end } };
  }

  /** From the statement's start to the end of the line holding `offset`: `CREATE TABLE orders (`. */
  headThrough(offset: number): Origin {
    const at = Math.min(Math.max(offset, this.start), this.end);
    return { file: this.file, range: { start: this.start, end: this.lineEnd(at) } };
  }

  private lineEnd(from: number): number {
    let end = from;
    while (end < this.end) {
      const c = this.content.charCodeAt(end);
      if (c === 10 || c === 13) break;
      end++;
    }
    while (end > from && isTrailing(this.content.charCodeAt(end - 1))) end--;
    return end === from ? Math.min(from + 1, this.end) : end;
  }
}

/** What `lineEnd` trims: a comma, or whitespace as `\s` means it (ASCII by code, the rare rest by the regular expression). */
function isTrailing(code: number): boolean {
  if (code === 44 || code === 32 || (code >= 9 && code <= 13)) return true;
  if (code < 128) return false;
  return /\s/.test(String.fromCharCode(code));
}

/** byte offset → UTF-16 index, for text with non-ASCII characters. */
function buildByteMap(text: string): Int32Array {
  const bytes = Buffer.byteLength(text, 'utf8');
  const map = new Int32Array(bytes + 1);
  let byte = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    let width = code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
    if (code >= 0xd800 && code <= 0xdbff) {
      width = 4;
      for (let k = 0; k < width; k++) map[byte + k] = index;
      byte += width;
      index++;
      continue;
    }
    for (let k = 0; k < width; k++) map[byte + k] = index;
    byte += width;
  }
  map[bytes] = text.length;
  return map;
}
