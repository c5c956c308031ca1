/**
 * Issue 24: YAML values come from js-yaml and positions from a scan of the lines (fast-value.ts,
 * block-locator.ts) instead of the `yaml` package's node tree. Both must give exactly what the
 * Document gives, or decline so that the Document decides: the same value, and the same range for
 * every pointer. Checked here on random documents in every style `yaml` writes, on hand-written
 * corners, and (scripts/yaml-equivalence.mjs, in `npm run corpus`) on every YAML file of the corpus.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { lint } from '../src/engine/run.js';
import { parseDocument, stringify, isMap, isSeq, isScalar, type Node } from 'yaml';
import { BlockLocator, UNKNOWN } from '../src/inputs/yaml/block-locator.js';
import { copyTree, fastYamlValue } from '../src/inputs/yaml/fast-value.js';
import { MAX_ALIAS_COUNT, parsePointer, rangeAtPointer } from '../src/inputs/yaml/documents.js';

const escapeToken = (t: string) => t.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every pointer of the document, plus one missing key per mapping and one index past each sequence. */
function pointersOf(root: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown, at: string) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const p = `${at}/${escapeToken(String(pair.key.value))}`;
        out.push(p);
        walk(pair.value, p);
      }
      out.push(`${at}/no~1such-key`);
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        out.push(`${at}/${i}`);
        walk(item, `${at}/${i}`);
      });
      out.push(`${at}/${node.items.length}`);
    }
  };
  walk(root, '');
  return out;
}

/** Compares the fast path with the Document on `text`; returns how many pointers the scan answered. */
function expectSameAsDocument(text: string): number {
  const doc = parseDocument(text, { uniqueKeys: false, strict: false });
  const fast = fastYamlValue(text, 256);
  if (doc.errors.length > 0) {
    expect(fast, 'a document with errors is the full parser’s to report').toBeUndefined();
    return 0;
  }
  if (fast) expect(isDeepStrictEqual(fast.value, doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })), 'value').toBe(true);
  const locator = new BlockLocator(text);
  let answered = 0;
  for (const pointer of pointersOf(doc.contents as Node)) {
    for (const target of ['key', 'value'] as const) {
      const mine = locator.rangeOf(parsePointer(pointer), target);
      if (mine === UNKNOWN) continue;
      answered++;
      expect(mine, `${target} ${pointer} in ${JSON.stringify(text)}`).toEqual(rangeAtPointer(doc, pointer, target));
    }
  }
  return answered;
}

describe('the YAML fast path gives what the Document gives', () => {
  it('on random documents, in every style yaml writes them (block and flow, every scalar style, folded lines, comments)', () => {
    const key = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('200', '~', 'null', 'true', '0x1F', '1.0', '-', 'a b', 'x: y', '#c', "it's", 'k"q'),
    );
    const scalar = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom(
        'yes',
        '2020-01-01',
        '0o17',
        '.inf',
        '<<',
        '*x',
        '&a',
        '!t',
        '- x',
        '| y',
        'a\nb',
        ' lead',
        'trail ',
        'a #b',
      ),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('seq')),
      map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
      seq: fc.array(tie('node'), { maxLength: 4 }),
    })).map;
    const options = fc.record({
      indentSeq: fc.boolean(),
      indent: fc.constantFrom(2, 4),
      lineWidth: fc.constantFrom(0, 20, 80),
      defaultStringType: fc.constantFrom(
        'PLAIN',
        'QUOTE_SINGLE',
        'QUOTE_DOUBLE',
        'BLOCK_LITERAL',
        'BLOCK_FOLDED',
      ) as fc.Arbitrary<'PLAIN'>,
      defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE') as fc.Arbitrary<null>,
      collectionStyle: fc.constantFrom('any' as const, 'block' as const, 'flow' as const),
      crlf: fc.boolean(),
      comments: fc.boolean(),
    });
    let answered = 0;
    fc.assert(
      fc.property(value, options, (root, { crlf, comments, ...style }) => {
        let text = stringify(root, style);
        // Comment lines between entries, at their indentation, and after values.
        // (Comments are added to block documents only: `yaml` refuses a comment at column 0 inside a
        // multi-line flow collection, which YAML allows and js-yaml reads — the one disagreement found.)
        if (comments && style.collectionStyle === 'block')
          text = text
            .replace(/\n( *)(?=[^ \n])/g, (_m, indent: string) => `\n${indent}# note\n${indent}`)
            .replace(/: (\d+)\n/g, ': $1 # n\n');
        if (crlf) text = text.replace(/\n/g, '\r\n');
        answered += expectSameAsDocument(text);
      }),
      { numRuns: 400, seed: 24 },
    );
    // The scan answers most pointers itself; otherwise the fast path would buy nothing.
    expect(answered).toBeGreaterThan(1000);
  });

  it.each([
    ['anchors and aliases: declined (the Document bounds alias expansion)', 'a: &x {b: 1}\nc: *x\n'],
    ['a duplicate key: declined (the Document reports it)', 'a: 1\na: 2\n'],
    [
      'YAML 1.1 types stay strings, a merge key stays a key',
      'd: 2020-01-01\ny: yes\nm:\n  <<: {a: 1}\no: 0o17\nh: 0x1F\nf: -.INF\n',
    ],
    ['tags: declined', 'a: !!binary aGk=\nb: !custom x\n'],
    ['two documents: declined', 'a: 1\n---\nb: 2\n'],
    [
      'a block scalar whose lines look like comments or keys',
      'd: |\n  text\n  # not a comment\n  key: not a key\n\ne: 1\nf:\n  - |\n    x\n    # y\n',
    ],
    ['whitespace-only lines inside and after block scalars', 'a:\n  d: |\n    x\n      \n    y\n        \n\n  e: 1\n'],
    ['tabs inside block scalars and after indentation', 'code: |\n  func() {\n  \treturn\n  }\nk:\n  - a\n'],
    [
      'compact sequences, empty values, quoted and numeric keys',
      'paths:\n  /a:\n    get:\n      tags:\n      - x\n      - y\n      responses:\n        \'200\':\n          description: ok\n        404:\n        "5XX": {description: bad}\n    post:\n  ~: null key\n',
    ],
    ['multi-line plain and quoted scalars', 'a: first\n  second\nb: "one\n  two"\nc:\n  - x\n    y\n'],
    [
      'a sequence of mappings that end in empty values and comments',
      'list:\n- id: 1\n  name:\n- id: 2\n  name: x # c\n  # trailing\n- id: 3\n  v: [1,\n     2]\n',
    ],
    ['a BOM-less document start marker and comments before the root', '# c\n%YAML 1.2\n---\na: 1\n'],
    ['a root that is a sequence or a scalar', '- a\n- b: 1\n'],
    ['a byte order mark before the root', '\uFEFFopenapi: 3.0.0\npaths:\n  /a:\n    get: {}\n'],
    ['a tab where indentation is expected: an error, with its range', 'a:\n\tb: 1\n'],
    ['a document end marker, then nothing', 'a: 1\n...\n'],
    [
      'null, empty and collection keys: declined or named as yaml names them',
      '~: a\nnull: b\n: c\n? [x, y]\n: d\n[p, q]: e\n{r: 1}: f\n',
    ],
  ])('%s', (_name, text) => {
    expectSameAsDocument(text);
    expectSameAsDocument(text.replace(/\n/g, '\r\n'));
  });

  it('reads null keys and values on the fast path, as yaml does (a null key is named "")', () => {
    const text = 'k:\n  ~: null key\n  v: ~\n  w: null\n  list: [~, 1]\n';
    expect(fastYamlValue(text, 256)).toEqual({ value: { k: { '': 'null key', v: null, w: null, list: [null, 1] } } });
    expectSameAsDocument(text);
  });

  it('gives the same report as the Document path on the fixtures that hold descriptions (the demo, the API and ops rules, suppressions)', async () => {
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const run = (yamlDocumentsOnly: boolean) =>
      lint({
        cwd,
        paths: ['fixtures/api', 'fixtures/ops', 'fixtures/demo', 'fixtures/core'],
        loaded: { config: {}, baseDir: cwd },
        rules,
        noIgnore: true,
        yamlDocumentsOnly,
      }).then(({ result }) => result.findings);
    const [fast, reference] = [await run(false), await run(true)];
    expect(fast.length).toBeGreaterThan(100);
    expect(fast).toEqual(reference);
  }, 120_000);

  it('copies a value for swagger-parser exactly as structuredClone does, sharing no node with it', () => {
    const sample = fastYamlValue(
      'a: [1, -0.0, .nan, -.inf, ~, true, "x"]\n__proto__: {polluted: 1}\nb: {c: {d: []}}\n',
      256,
    )!.value;
    expect(Object.keys(sample as object)).toContain('__proto__');
    const copy = copyTree(sample);
    expect(isDeepStrictEqual(copy, structuredClone(sample))).toBe(true);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((copy as { b: unknown }).b).not.toBe((sample as { b: unknown }).b);
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copied = copyTree(value);
        expect(isDeepStrictEqual(copied, structuredClone(value))).toBe(true);
        if (typeof value === 'object' && value !== null) expect(copied).not.toBe(value);
      }),
    );
  });
});
