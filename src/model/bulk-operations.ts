/**
 * Whether code sits in a function named for an operation on many rows at once: `bulkCreate`, `upsertMany`,
 * `bulkUpdateRowsInTable`, `handleBatchUpdateCell`, `createMany`. The name is the function's contract: its callers
 * hand it as many rows as they have (an import, a paste, a sync, every record of a changeset), so a list it walks
 * is the data's size even where archlint cannot trace who fills it.
 *
 * Measured on the labelled dev/seen loops whose set archlint cannot trace (perf/no-n-plus-one notes): in such a
 * function 17 TRUE / 13 FALSE, elsewhere 52 / 240 (bench/realworld/README.md). `sync…` and `restore…` were measured
 * and left out: about 9 / 11 and 1 / 6 (a sync of one dashboard's tiles or one user's shares, a restore of one
 * account's addresses).
 */
import type { ts as TypeScript } from 'ts-morph';

/** `bulk…`, `…Many`, `…Batch…` as a word of a camelCase or snake_case name. */
const BULK_NAME = /(^|_)(bulk|many|batch)(?![a-z])|(Bulk|Many|Batch)(?![a-z])/;

/**
 * A function's own name (`function f`, a method `f() {}`) or the name it is held under (`const f = async () =>`,
 * `{ f: function () {} }`, a class property `f = () =>`); undefined when it has none.
 */
export function functionName(ts: typeof TypeScript, fn: TypeScript.SignatureDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name))
    return fn.name.text;
  const parent = fn.parent;
  if (
    parent &&
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) &&
    ts.isIdentifier(parent.name)
  )
    return parent.name.text;
  return undefined;
}

/** The name of the nearest enclosing named function (a callback passed inline has none and is skipped). */
export function enclosingFunctionName(ts: typeof TypeScript, node: TypeScript.Node): string | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    if (ts.isFunctionExpression(current) && current.name && ts.isIdentifier(current.name)) return current.name.text;
    const name = functionName(ts, current);
    if (name !== undefined) return name;
  }
  return undefined;
}

/** The node runs in a function named for many rows at once (`bulkCreate`, `upsertMany`, `handleBatchUpdateCell`). */
export function inBulkOperation(ts: typeof TypeScript, node: TypeScript.Node): boolean {
  const name = enclosingFunctionName(ts, node);
  return name !== undefined && BULK_NAME.test(name);
}
