/** WordFiles: the files that may name a word, a superset of those whose text has it as a whole word. */
import { describe, expect, it } from 'vitest';
import type { CodeFile } from '../src/inputs/code/index.js';
import { WordFiles } from '../src/inputs/routes/word-files.js';

/** Only the text is read. */
const file = (path: string, content: string) => ({ path, text: { path, content } }) as unknown as CodeFile;
const paths = (files: readonly CodeFile[]) => files.map((f) => f.path);

describe('WordFiles', () => {
  const files = [
    file('a.ts', 'export function bootDebugRoutes(app) { app.get("/debug", h); }'),
    file('b.ts', "if (process.env.NODE_ENV !== 'production') bootDebugRoutes(app);"),
    file('c.ts', 'const bootDebugRoutesLater = 1; // bootDebugRoute'),
    file('d.ts', 'x'),
    file('e.ts', ''),
  ];
  const words = new WordFiles(files);

  it('lists every file that has the word as a whole word, in order', () => {
    const found = paths(words.candidates('bootDebugRoutes'));
    expect(found.slice(0, 2)).toEqual(['a.ts', 'b.ts']);
    // c.ts only holds longer and shorter words: a filter may still say "maybe", never the reverse.
    expect(found.every((path) => ['a.ts', 'b.ts', 'c.ts'].includes(path))).toBe(true);
  });

  it('finds a word at the very end of a text, and a one-letter text', () => {
    expect(paths(words.candidates('bootDebugRoute'))).toContain('c.ts');
    expect(paths(words.candidates('x'))).toContain('d.ts');
  });

  it('leaves out the files without the word (no false "maybe" among many absent words)', () => {
    const absent = Array.from({ length: 200 }, (_, i) => `absentName${i}`);
    const hits = absent.flatMap((word) => words.candidates(word));
    // Three bits of at least 64 per small file (about eight bits per word here): ~2 % of chance hits, not more.
    expect(hits.length).toBeLessThan(40);
    expect(words.candidates('process').map((f) => f.path)).toContain('b.ts');
  });

  it('gives every file for a word it cannot index (not all \\w characters)', () => {
    expect(paths(words.candidates('$store'))).toEqual(paths(files));
  });

  it('agrees with a whole-word expression on larger texts', () => {
    const vocabulary = Array.from({ length: 400 }, (_, i) => `name${i.toString(36)}_${i % 7}`);
    const big = Array.from({ length: 30 }, (_, f) =>
      file(
        `big${f}.ts`,
        vocabulary
          .filter((_, i) => (i * 31 + f * 17) % 97 < 20)
          .map((word) => `${word}(x.${word})`)
          .join(';\n'),
      ),
    );
    const index = new WordFiles(big);
    let chance = 0;
    for (const word of vocabulary.slice(0, 60)) {
      const pattern = new RegExp(`\\b${word}\\b`);
      const expected = big.filter((f) => pattern.test(f.text.content));
      const got = index.candidates(word);
      expect(got.filter((f) => pattern.test(f.text.content))).toEqual(expected);
      chance += got.length - expected.length;
    }
    // ~1 % of the ~1,400 files asked about that lack the word (about twelve bits per word here).
    expect(chance).toBeLessThan(40);
  });
});
