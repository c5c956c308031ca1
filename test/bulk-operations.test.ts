import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { inBulkOperation } from '../src/model/bulk-operations.js';

/** Whether the first `for…of` of the file sits in a function named for many rows. */
function inBulk(code: string): boolean {
  const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
  let loop: ts.Node | undefined;
  const walk = (node: ts.Node): void => {
    if (!loop && ts.isForOfStatement(node)) loop = node;
    ts.forEachChild(node, walk);
  };
  walk(source);
  return inBulkOperation(ts, loop!);
}

describe('a function named for many rows', () => {
  it('knows bulk…, …Many and …Batch… as words of the name', () => {
    expect(inBulk('async function bulkCreate(rows) { for (const r of rows) {} }')).toBe(true);
    expect(inBulk('const upsertMany = async (items) => { for (const i of items) {} };')).toBe(true);
    expect(inBulk('class S { handleBatchUpdateCell(m) { for (const x of m) {} } }')).toBe(true);
    expect(inBulk('function bulk_insert(rows) { for (const r of rows) {} }')).toBe(true);
  });
  it('looks past an inline callback to the named function', () => {
    expect(
      inBulk('function createMany(rows) { return db.transaction(async () => { for (const r of rows) {} }); }'),
    ).toBe(true);
  });
  it('does not take a word that only starts with those letters, or other names', () => {
    expect(inBulk('function company(rows) { for (const r of rows) {} }')).toBe(false);
    expect(inBulk('function updateBatched(rows) { for (const r of rows) {} }')).toBe(false);
    expect(inBulk('function syncShares(rows) { for (const r of rows) {} }')).toBe(false);
    expect(inBulk('for (const r of rows) {}')).toBe(false);
  });
});
