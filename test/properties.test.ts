/**
 * Property-based tests (fast-check) for the pieces every finding passes through: the suppression
 * parser and the JSON pointer → source range mapping.
 */
import fc from 'fast-check';
import { parseDocument, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { commentSuppressions } from '../src/engine/suppressions.js';
import { rangeAtPointer } from '../src/inputs/yaml/documents.js';
import { createTextFile } from '../src/inputs/text/index.js';

const encoder = new TextEncoder();
const textFile = (path: string, content: string) =>
  createTextFile({ path, absPath: `/x/${path}`, kind: 'text' }, encoder.encode(content))!;

const ruleId = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/))
  .map(([domain, name]) => `${domain}/${name}`);
const syntax = fc.constantFrom(
  { file: 'a.ts', open: '//', close: '' },
  { file: 'a.ts', open: '/*', close: ' */' },
  { file: 'a.sql', open: '--', close: '' },
  { file: 'a.yaml', open: '#', close: '' },
  { file: 'a.md', open: '<!--', close: ' -->' },
);
const kind = fc.constantFrom('next-line', 'line', 'file') as fc.Arbitrary<'next-line' | 'line' | 'file'>;
const reason = fc.option(fc.stringMatching(/^[A-Za-z0-9 .,'()-]{1,40}$/), { nil: undefined });
const filler = fc.array(fc.stringMatching(/^[A-Za-z0-9 =;(){}'"]{0,30}$/), { maxLength: 5 });

describe('suppression parser', () => {
  it('finds exactly the directive written, with its ids and kind, wherever it is', () => {
    fc.assert(
      fc.property(
        syntax,
        kind,
        fc.array(ruleId, { maxLength: 4 }),
        reason,
        filler,
        filler,
        fc.constantFrom('\n', '\r\n'),
        (s, k, ids, why, before, after, eol) => {
          const directive = `${s.open} archlint-disable-${k}${ids.length ? ` ${ids.join(', ')}` : ''}${why !== undefined ? ` -- ${why}` : ''}${s.close}`;
          // Filler lines never contain the marker, so the directive is the only one.
          const lines = [...before, directive, ...after];
          const found = commentSuppressions(textFile(s.file, lines.join(eol)));
          expect(found).toHaveLength(1);
          const [only] = found;
          expect(only!.kind).toBe(k);
          expect(only!.ruleIds).toEqual(ids);
          const line = before.length + 1;
          if (k === 'line') expect([only!.fromLine, only!.toLine]).toEqual([line, line]);
          if (k === 'next-line') expect([only!.fromLine, only!.toLine]).toEqual([line + 1, line + 1]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('never throws and never finds a directive that is not first in a comment', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.constantFrom('a.ts', 'a.sql', 'a.yaml', 'a.json', 'a.txt'),
        (noise, file) => {
          const content = `${noise}archlint-disable-next-line x/y${noise}`;
          const found = commentSuppressions(textFile(file, content));
          for (const s of found) expect(['next-line', 'line', 'file']).toContain(s.kind);
          if (!/(\/\/|\/\*|#|--|<!--)\s*$/.test(noise.split(/\r\n|\n|\r/).pop() ?? '')) expect(found).toEqual([]);
        },
      ),
      { numRuns: 400 },
    );
  });
});

/** Every pointer into a JSON value, with the value it points at. */
function pointers(value: unknown, prefix = ''): Array<[string, unknown]> {
  const here: Array<[string, unknown]> = [[prefix, value]];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => pointers(v, `${prefix}/${i}`))];
  if (value && typeof value === 'object') {
    return [
      ...here,
      ...Object.entries(value).flatMap(([k, v]) =>
        pointers(v, `${prefix}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`),
      ),
    ];
  }
  return here;
}

const jsonValue = fc.jsonValue({ maxDepth: 4 }).filter((v) => v !== null && typeof v === 'object');

describe('JSON pointer → range', () => {
  it('maps every pointer of a JSON document (compact or indented) to text that parses back to the same value', () => {
    fc.assert(
      fc.property(jsonValue, fc.constantFrom(0, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const doc = parseDocument(text);
        for (const [pointer, expected] of pointers(value).slice(1)) {
          const range = rangeAtPointer(doc, pointer, 'value');
          expect(range, pointer).toBeDefined();
          // Compared as JSON round-trips them (JSON writes -0 as 0).
          expect(JSON.parse(text.slice(range!.start, range!.end)), pointer).toEqual(
            JSON.parse(JSON.stringify(expected)),
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it('maps every pointer of a YAML document to the node holding that value, and keys to their key text', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const text = stringify(value);
        const doc = parseDocument(text);
        for (const [pointer, expected] of pointers(value).slice(1)) {
          const range = rangeAtPointer(doc, pointer, 'value')!;
          // A block collection is only valid YAML at its own indentation: restore the first line's column.
          const column = range.start - (text.lastIndexOf('\n', range.start - 1) + 1);
          const slice = ' '.repeat(column) + text.slice(range.start, range.end);
          expect(parseDocument(slice).toJS() ?? null, pointer).toEqual(expected ?? null);
          const token = pointer.split('/').pop()!.replace(/~1/g, '/').replace(/~0/g, '~');
          const parent = pointers(value).find(([p]) => p === pointer.slice(0, pointer.lastIndexOf('/')))![1];
          if (!Array.isArray(parent)) {
            const key = rangeAtPointer(doc, pointer, 'key')!;
            expect(parseDocument(text.slice(key.start, key.end)).toJS()?.toString(), pointer).toBe(token);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('returns undefined, never throws, for pointers that do not resolve', () => {
    fc.assert(
      fc.property(jsonValue, fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 4 }), (value, tokens) => {
        const doc = parseDocument(JSON.stringify(value));
        const pointer = `/${tokens.map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
        const known = new Set(pointers(value).map(([p]) => p));
        const range = rangeAtPointer(doc, pointer, 'value');
        expect(range === undefined).toBe(!known.has(pointer));
      }),
      { numRuns: 300 },
    );
  });
});
