import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTextFile, createTextFiles, loadTextFile } from '../src/inputs/text/index.js';
import type { FileSet, TextFile } from '../src/model/files.js';

const source = { path: 'a.txt', absPath: '/abs/a.txt', kind: 'text' as const };
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

function text(content: string | Uint8Array): TextFile {
  const file = createTextFile(source, typeof content === 'string' ? encode(content) : content);
  if (!file) throw new Error('expected a text file');
  return file;
}

const lines = (file: TextFile): string[] => Array.from({ length: file.lineCount }, (_, i) => file.lineText(i + 1));

describe('createTextFile', () => {
  it('keeps the source fields and indexes \\n lines', () => {
    const file = text('ab\ncd\n');
    expect(file.path).toBe('a.txt');
    expect(file.absPath).toBe('/abs/a.txt');
    expect(file.kind).toBe('text');
    expect(file.bom).toBe(false);
    expect(file.content).toBe('ab\ncd\n');
    expect(file.lineCount).toBe(3);
    expect(lines(file)).toEqual(['ab', 'cd', '']);
    expect(file.positionAt(0)).toEqual({ line: 1, column: 1 });
    expect(file.positionAt(2)).toEqual({ line: 1, column: 3 });
    expect(file.positionAt(3)).toEqual({ line: 2, column: 1 });
    expect(file.positionAt(6)).toEqual({ line: 3, column: 1 });
    expect(file.offsetAt(2, 2)).toBe(4);
    expect(file.lineRange(2)).toEqual({ start: 3, end: 5 });
  });

  it('strips a UTF-8 BOM and counts offsets in the stripped content', () => {
    const file = text(new Uint8Array([0xef, 0xbb, 0xbf, ...encode('x: 1\ny: 2')]));
    expect(file.bom).toBe(true);
    expect(file.content).toBe('x: 1\ny: 2');
    expect(file.positionAt(0)).toEqual({ line: 1, column: 1 });
    expect(file.positionAt(5)).toEqual({ line: 2, column: 1 });
    expect(file.offsetAt(2, 4)).toBe(8);
    expect(file.content[file.offsetAt(2, 4)]).toBe('2');
  });

  it('ends lines at \\r\\n and at a lone \\r', () => {
    const file = text('a\r\nbc\rd\n\r\ne');
    expect(file.lineCount).toBe(5);
    expect(lines(file)).toEqual(['a', 'bc', 'd', '', 'e']);
    expect(file.lineRange(1)).toEqual({ start: 0, end: 1 });
    expect(file.lineRange(2)).toEqual({ start: 3, end: 5 });
    expect(file.lineRange(3)).toEqual({ start: 6, end: 7 });
    expect(file.lineRange(4)).toEqual({ start: 8, end: 8 });
    expect(file.lineRange(5)).toEqual({ start: 10, end: 11 });
    // The \n of a \r\n still belongs to the line it ends.
    expect(file.positionAt(2)).toEqual({ line: 1, column: 3 });
    expect(file.positionAt(5)).toEqual({ line: 2, column: 3 });
    expect(file.positionAt(6)).toEqual({ line: 3, column: 1 });
    expect(file.positionAt(10)).toEqual({ line: 5, column: 1 });
  });

  it('counts a tab as one column and columns in UTF-16 code units', () => {
    const file = text('\tx\né😀z');
    expect(file.positionAt(1)).toEqual({ line: 1, column: 2 });
    // é is one unit, the emoji two: z is at column 4.
    expect(file.lineText(2)).toBe('é😀z');
    expect(file.positionAt(6)).toEqual({ line: 2, column: 4 });
    expect(file.offsetAt(2, 4)).toBe(6);
    expect(file.content[6]).toBe('z');
  });

  it('decodes invalid UTF-8 to U+FFFD instead of throwing', () => {
    const file = text(new Uint8Array([0x61, 0xff, 0x62, 0x0a, 0xc3]));
    expect(file.content).toBe('a\uFFFDb\n\uFFFD');
    expect(lines(file)).toEqual(['a\uFFFDb', '\uFFFD']);
  });

  it('treats an empty file as one empty line', () => {
    const file = text('');
    expect(file.lineCount).toBe(1);
    expect(file.lineText(1)).toBe('');
    expect(file.lineRange(1)).toEqual({ start: 0, end: 0 });
    expect(file.positionAt(0)).toEqual({ line: 1, column: 1 });
    expect(file.positionAt(10)).toEqual({ line: 1, column: 1 });
    expect(file.offsetAt(3, 3)).toBe(0);
  });

  it('counts the empty line after a trailing newline', () => {
    expect(text('a').lineCount).toBe(1);
    expect(text('a\n').lineCount).toBe(2);
    expect(text('a\r\n').lineCount).toBe(2);
    expect(text('a\n\n').lineCount).toBe(3);
  });

  it('is undefined for bytes with a NUL in the first 8000', () => {
    expect(createTextFile(source, new Uint8Array([0x61, 0x00, 0x62]))).toBe(undefined);
    const late = new Uint8Array(8001).fill(0x61);
    late[8000] = 0;
    expect(createTextFile(source, late)?.lineCount).toBe(1);
  });

  it('clamps offsets, lines and columns into the file', () => {
    const file = text('ab\ncd');
    expect(file.positionAt(-5)).toEqual({ line: 1, column: 1 });
    expect(file.positionAt(99)).toEqual({ line: 2, column: 3 });
    expect(file.positionAt(Number.NaN)).toEqual({ line: 1, column: 1 });
    expect(file.offsetAt(0, 1)).toBe(0);
    expect(file.offsetAt(1, 0)).toBe(0);
    // A column past the end of a line stays on that line, at its end.
    expect(file.offsetAt(1, 99)).toBe(2);
    expect(file.offsetAt(9, 1)).toBe(3);
    expect(file.offsetAt(9, 99)).toBe(5);
    expect(file.lineText(0)).toBe('ab');
    expect(file.lineText(7)).toBe('cd');
  });

  it('round-trips every offset through positionAt and offsetAt', () => {
    const file = text('one\r\ntwo\rthree\n\n😀four');
    for (let offset = 0; offset <= file.content.length; offset++) {
      const { line, column } = file.positionAt(offset);
      const { end } = file.lineRange(line);
      // Offsets inside a line terminator map to the end of that line.
      expect(file.offsetAt(line, column)).toBe(Math.min(offset, end));
    }
  });
});

describe('createTextFiles', () => {
  const temps: string[] = [];
  afterEach(() => {
    for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  function fileSet(files: Record<string, string | Uint8Array>): FileSet {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'archlint-text-'));
    temps.push(root);
    const entries = Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [rel, content] of entries) fs.writeFileSync(path.join(root, rel), content);
    return {
      roots: [root],
      files: entries.map(([rel, content]) => ({
        path: rel,
        absPath: path.join(root, rel),
        kind: rel.endsWith('.sql') ? 'sql' : 'text',
        size: content.length,
      })),
      skipped: [],
    };
  }

  it('reads lazily, caches, and leaves out binary, unreadable and unknown files', () => {
    const set = fileSet({ 'a.sql': 'select 1;\n', 'b.txt': 'hello', 'c.bin': new Uint8Array([1, 0, 2]) });
    set.files.push({ path: 'd.txt', absPath: path.join(set.roots[0] ?? '', 'missing.txt'), kind: 'text', size: 1 });
    const texts = createTextFiles(set);

    const a = texts.get('a.sql');
    expect(a?.content).toBe('select 1;\n');
    expect(a?.kind).toBe('sql');
    expect(texts.get('a.sql')).toBe(a);
    // Cached: a change on disk after the first read is not seen.
    fs.writeFileSync(path.join(set.roots[0] ?? '', 'a.sql'), 'changed');
    expect(texts.get('a.sql')?.content).toBe('select 1;\n');

    expect(texts.get('c.bin')).toBe(undefined);
    expect(texts.get('d.txt')).toBe(undefined);
    expect(texts.get('nope.txt')).toBe(undefined);
    expect(texts.all().map((t) => t.path)).toEqual(['a.sql', 'b.txt']);
  });

  it('uses the bytes discovery already read, once, instead of reading the file again', () => {
    const set = fileSet({ 'a.sql': 'on disk', 'b.sql': 'on disk too', 'c.sql': 'x' });
    const prefetched = new Map<string, Uint8Array>([
      ['a.sql', new TextEncoder().encode('\uFEFFread by discovery')],
      ['c.sql', new Uint8Array([0x63, 0, 0x64])],
    ]);
    const texts = createTextFiles(set, () => {}, prefetched);
    expect(texts.get('a.sql')).toMatchObject({ content: 'read by discovery', bom: true });
    expect(texts.get('b.sql')?.content).toBe('on disk too');
    expect(texts.get('c.sql')).toBe(undefined); // binary, as if read from disk
    expect(prefetched.size).toBe(0);
  });

  it('loadTextFile returns undefined for a missing file', () => {
    expect(loadTextFile('x.txt', path.join(os.tmpdir(), 'archlint-no-such-file.txt'), 'text')).toBe(undefined);
  });
});

describe('createTextFiles and --verbose', () => {
  it('says when a discovered file turns out to be binary', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createTextFiles } = await import('../src/inputs/text/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'archlint-textfiles-'));
    try {
      writeFileSync(join(dir, 'a.yaml'), 'a: 1\u0000\n');
      const logged: string[] = [];
      const files = createTextFiles(
        {
          roots: [dir],
          files: [{ path: 'a.yaml', absPath: join(dir, 'a.yaml'), kind: 'openapi-candidate', size: 6 }],
          skipped: [],
        },
        (message) => logged.push(message),
      );
      expect(files.get('a.yaml')).toBeUndefined();
      expect(files.get('a.yaml')).toBeUndefined();
      expect(logged).toEqual(['skipped a.yaml: binary (a NUL byte) or unreadable, so no rule checks it']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
