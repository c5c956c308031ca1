/**
 * Which files of a list may name a word, for walks that look a name up in every file (who calls this function): a
 * small Bloom filter of each file's words, filled in one pass over the text on first use. A regular expression per
 * name over every file read the whole tree's text again for each name: on the 13-repository corpus of issue 22, the
 * ~330 function names the development-only judgement asks about (dev-only.ts) cost ~3.4 s of ~33 s of
 * `archlint routes`, most of it the fixed cost of a million calls on files that do not hold the name.
 *
 * A filter answers "maybe" for a few words a file does not hold (about one in a hundred at the sizes below), never
 * "no" for one it holds: callers still test each file they get with their own expression. Words are maximal runs of
 * `\w` characters; a word that is not all `\w` (`$store`) is not looked up so, and every file is a candidate.
 * The filters hold about one bit per character of text (a few MB for the corpus) and go with this object.
 */
import type { CodeFile } from '../code/index.js';

const BASIS = 0x811c9dc5;
const PRIME = 0x01000193;
const WORD = /^\w+$/;

/** `[A-Za-z0-9_]`: what `\w` matches without the `u` flag. */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** FNV-1a's running state after `c`. */
const step = (h: number, c: number): number => Math.imul(h ^ c, PRIME);

/** MurmurHash3's finalizer: every bit of the result depends on every bit of FNV-1a's state. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const finish = mix;

function hashOf(word: string): number {
  let h = BASIS;
  for (let i = 0; i < word.length; i++) h = step(h, word.charCodeAt(i));
  return finish(h);
}

/** The second hash of double hashing (odd, so that the three bits differ in any filter of 64 bits or more). */
const secondOf = (hash: number): number => mix(hash ^ 0x5bd1e995) | 1;

/** A power of two between half the text's length and its length, at least 64: about 15 bits per distinct word. */
function filterBits(length: number): number {
  let bits = 64;
  while (bits * 2 <= length) bits *= 2;
  return bits;
}

/** Every file's filter, one after the other in one array: where each starts, and its size in bits less one. */
interface Filters {
  bits: Uint32Array;
  start: Uint32Array;
  mask: Uint32Array;
}

export class WordFiles {
  private filters: Filters | undefined;
  /** Lists already made: the three walks that look callers up ask for the same names (375 asks, 166 names, on the corpus of issue 22). */
  private readonly asked = new Map<string, readonly CodeFile[]>();

  constructor(readonly files: readonly CodeFile[]) {}

  /**
   * The files that may have `word` as a whole word (`\bword\b`), in the list's order; every file that has it is
   * among them.
   */
  candidates(word: string): readonly CodeFile[] {
    if (!WORD.test(word)) return this.files;
    let found = this.asked.get(word);
    if (!found) this.asked.set(word, (found = this.lookUp(word)));
    return found;
  }

  private lookUp(word: string): readonly CodeFile[] {
    const { bits, start, mask } = (this.filters ??= filtersOf(this.files));
    const hash = hashOf(word);
    const second = secondOf(hash);
    const found: CodeFile[] = [];
    // A word sets three bits (double hashing): a filter holds it only if all three are set.
    for (let at = 0; at < this.files.length; at++) {
      const base = start[at]! * 32;
      const m = mask[at]!;
      if (isSet(bits, base + (hash & m)) && isSet(bits, base + ((hash + second) & m)))
        if (isSet(bits, base + ((hash + 2 * second) & m))) found.push(this.files[at]!);
    }
    return found;
  }
}

function isSet(bits: Uint32Array, bit: number): boolean {
  return ((bits[bit >>> 5] ?? 0) & (1 << (bit & 31))) !== 0;
}

function filtersOf(files: readonly CodeFile[]): Filters {
  const start = new Uint32Array(files.length);
  const mask = new Uint32Array(files.length);
  let words = 0;
  files.forEach((file, at) => {
    const size = filterBits(file.text.content.length);
    start[at] = words;
    mask[at] = size - 1;
    words += size >>> 5;
  });
  const bits = new Uint32Array(words);
  files.forEach((file, at) => {
    fill(bits, start[at]! * 32, mask[at]!, file.text.content);
  });
  return { bits, start, mask };
}

/** Sets the bits of each word of `text` in the filter at bit `base` of `bits`. */
function fill(bits: Uint32Array, base: number, mask: number, text: string): void {
  const set = (bit: number): void => {
    const at = (base + bit) >>> 5;
    bits[at] = (bits[at] ?? 0) | (1 << (bit & 31));
  };
  const add = (hash: number): void => {
    const second = secondOf(hash);
    set(hash & mask);
    set((hash + second) & mask);
    set((hash + 2 * second) & mask);
  };
  let h = BASIS;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isWordChar(c)) {
      h = step(h, c);
      inWord = true;
    } else if (inWord) {
      add(finish(h));
      h = BASIS;
      inWord = false;
    }
  }
  if (inWord) add(finish(h));
}
