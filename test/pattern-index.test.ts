import ignore from 'ignore';
import { describe, expect, it } from 'vitest';
import { PatternIndex } from '../src/discover/pattern-index.js';

/** Deterministic pseudo-random numbers (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  'src',
  'build',
  'build-1',
  'dist',
  'node_modules',
  'app.log',
  'a',
  'ab',
  'abc',
  'cache',
  'Cache',
  'x.ts',
  'gen',
  'tmp',
  'foo bar',
];
const PIECES = [
  '*',
  '**',
  '?',
  '.log',
  'build',
  'uild-',
  'src',
  'dist',
  'cache',
  'Cache',
  'a',
  'ab',
  'abc',
  'x',
  '.ts',
  'gen',
  '[bc]',
  '\\*',
  'tmp',
  'foo bar',
];

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)]!;
}

function randomPattern(next: () => number): string {
  const segments = 1 + Math.floor(next() * 3);
  const parts: string[] = [];
  for (let s = 0; s < segments; s++) {
    const pieces = 1 + Math.floor(next() * 3);
    let segment = '';
    for (let p = 0; p < pieces; p++) segment += pick(next, PIECES);
    parts.push(segment);
  }
  let pattern = parts.join('/');
  if (next() < 0.2) pattern = `/${pattern}`;
  if (next() < 0.2) pattern = `${pattern}/`;
  if (next() < 0.15) pattern = `!${pattern}`;
  if (next() < 0.05) pattern = `${pattern}  `;
  if (next() < 0.03) pattern = `# ${pattern}`;
  return pattern;
}

function randomPath(next: () => number): string {
  const depth = 1 + Math.floor(next() * 4);
  const segments: string[] = [];
  for (let d = 0; d < depth; d++) segments.push(pick(next, NAMES));
  return segments.join('/') + (next() < 0.3 ? '/' : '');
}

describe('PatternIndex', () => {
  it('answers like one `ignore` instance holding every pattern (verdict and deciding pattern), on random lists and paths', () => {
    const next = random(20261205);
    let ignoredSeen = 0;
    for (let round = 0; round < 300; round++) {
      const patterns = Array.from({ length: 1 + Math.floor(next() * 40) }, (_, i) => ({
        pattern: randomPattern(next),
        mark: `m${i}`,
      }));
      // Built in two steps, like a nested .gitignore extending its parent's list.
      const half = Math.floor(patterns.length / 2);
      const index = PatternIndex.empty().with(patterns.slice(0, half)).with(patterns.slice(half));
      const reference = ignore({ ignoreCase: false });
      for (const p of patterns) reference.add(p);
      for (let q = 0; q < 40; q++) {
        const path = randomPath(next);
        const expected = reference.test(path);
        const actual = index.test(path);
        expect({
          path,
          patterns: patterns.map((p) => p.pattern),
          ignored: actual.ignored,
          mark: actual.rule?.mark,
        }).toEqual({
          path,
          patterns: patterns.map((p) => p.pattern),
          ignored: expected.ignored,
          mark: expected.ignored ? expected.rule?.mark : undefined,
        });
        if (expected.ignored) ignoredSeen++;
      }
    }
    // The comparison means something only if both verdicts occur often.
    expect(ignoredSeen).toBeGreaterThan(1000);
    expect(ignoredSeen).toBeLessThan(11000);
  });

  it('finds the one pattern of a 20,000-line list that ignores a path, and re-includes through a later negation', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => ({
      pattern: i % 2 === 0 ? `build-${i}/` : `*.gen${i}`,
      mark: `line ${i + 1}`,
    }));
    const index = PatternIndex.empty()
      .with(lines)
      .with([{ pattern: '!keep.gen19999', mark: 'negation' }]);
    expect(index.test('src/build-1234/out.js')).toEqual({
      ignored: true,
      rule: { pattern: 'build-1234/', mark: 'line 1235' },
    });
    expect(index.test('src/build-12345/out.js')).toEqual({ ignored: false });
    expect(index.test('a/b.gen777')).toEqual({ ignored: true, rule: { pattern: '*.gen777', mark: 'line 778' } });
    expect(index.test('keep.gen19999').ignored).toBe(false);
    expect(index.test('drop.gen19999').ignored).toBe(true);
  });

  it('skips blank lines and comments, and has no candidates for a path no pattern can match', () => {
    const index = PatternIndex.empty().with([
      { pattern: '', mark: undefined },
      { pattern: '   ', mark: undefined },
      { pattern: '# dist', mark: undefined },
      { pattern: 'coverage/', mark: 'c' },
    ]);
    expect(index.size).toBe(1);
    expect(index.test('dist/x.js')).toEqual({ ignored: false });
    expect(index.test('coverage/')).toEqual({ ignored: true, rule: { pattern: 'coverage/', mark: 'c' } });
  });
});
