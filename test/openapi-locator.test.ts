/** The JSON fast path places pointers exactly where the `yaml` node tree does. */
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { rangeAtPointer } from '../src/inputs/yaml/documents.js';
import { JsonLocator } from '../src/inputs/yaml/json-locator.js';

const SAMPLE = `{
  "openapi": "3.0.3",
  "info": {"title": "T \\"quoted\\" \\\\", "version": "1"},
  "paths": {
    "/a/{id}": {
      "get": {"parameters": [ {"name": "id", "in": "path"}, {"$ref": "#/x"} ], "responses": {"200": {"description": "ok"}}},
      "x-n": [1, -2.5e3, true, false, null, [], {}, "é✓"]
    },
    "/b~c": {"post": {}},
    "dup": 1,
    "dup": 2,
    "esc\\u0041": {"deep": [[0, [1, {"k": "v"}]]]}
  }
}`;

function allPointers(value: unknown, prefix = ''): string[] {
  const escapePointer = (t: string) => t.replace(/~/g, '~0').replace(/\//g, '~1');
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => allPointers(v, `${prefix}/${i}`))];
  if (value && typeof value === 'object')
    return [prefix, ...Object.entries(value).flatMap(([k, v]) => allPointers(v, `${prefix}/${escapePointer(k)}`))];
  return [prefix];
}

describe('JsonLocator', () => {
  const doc = parseDocument(SAMPLE, { uniqueKeys: false });
  const locator = new JsonLocator(SAMPLE);
  const pointers = [
    ...allPointers(JSON.parse(SAMPLE)),
    '/paths/missing',
    '/paths/~1a~1{id}/get/parameters/7',
    '/info/title/x',
  ];

  it.each(pointers)('agrees with the yaml document on %s', (pointer) => {
    const tokens =
      pointer === ''
        ? []
        : pointer
            .slice(1)
            .split('/')
            .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    for (const target of ['key', 'value'] as const) {
      expect(locator.rangeOf(tokens, target)).toEqual(rangeAtPointer(doc, pointer, target));
    }
  });

  it('takes the first of duplicate keys, as the yaml document does', () => {
    const range = locator.rangeOf(['paths', 'dup'], 'value')!;
    expect(SAMPLE.slice(range.start, range.end)).toBe('1');
  });
});
