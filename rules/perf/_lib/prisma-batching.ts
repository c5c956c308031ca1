/**
 * Prisma's own batching: "Prisma Client's dataloader automatically batches `findUnique()` queries
 * that occur in the same tick and have the same `where` and `include` parameters" (Prisma docs,
 * "Query optimization / Solving the n+1 problem"). So `Promise.all(ids.map((id) =>
 * prisma.user.findUnique({ where: { id } })))` runs one `IN` query, not N. Only `findUnique` and
 * `findUniqueOrThrow` are batched; `findFirst`, `findMany` and writes are not.
 */
import type { ts as TypeScript } from 'ts-morph';
import type { DataCall } from './data-calls.js';
import type { Iteration } from './iteration.js';

const BATCHED_OPS = new Set(['findUnique', 'findUniqueOrThrow']);

/**
 * Whether the call is a Prisma `findUnique` issued in the same tick for every element: in the
 * callback of an array method whose promises are gathered (`Promise.all(xs.map(…))`), with no
 * `await` before it in the callback (an earlier await moves each call to its own later tick).
 */
export function batchedByPrismaDataloader(
  ts: typeof TypeScript,
  node: TypeScript.Node,
  call: DataCall,
  iteration: Iteration,
): boolean {
  const op = call.operation[0];
  if (!op || !BATCHED_OPS.has(op.name)) return false;
  const callback = iteration.callback;
  if (!callback?.gathered) return false;
  // Only the callback's own body runs in the tick: a nested function is another story.
  for (let current = node.parent; current && current !== callback.fn; current = current.parent) {
    if (ts.isFunctionLike(current)) return false;
  }
  const start = node.getStart();
  let awaitsBefore = false;
  const visit = (n: TypeScript.Node): void => {
    if (awaitsBefore || n.pos >= start) return;
    if ((ts.isAwaitExpression(n) && n.end <= start) || (ts.isForOfStatement(n) && n.awaitModifier)) awaitsBefore = true;
    else if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  ts.forEachChild(callback.fn, visit);
  return !awaitsBefore;
}

/**
 * `ops.push(prisma.barcode.create({ … }))` in the loop, then `await prisma.$transaction(ops)`: a
 * Prisma query is lazy — it runs when awaited or handed to `$transaction`, not when it is called —
 * so the loop only collects the operations of one batch transaction, the same as
 * `prisma.$transaction(items.map((item) => prisma.barcode.create(…)))`, which is not reported either.
 * The call must be pushed as it is (not awaited) into an array that the enclosing function passes
 * to `$transaction` (`$transaction(ops)`, `$transaction([...ops, …])`).
 */
export function collectedForBatchTransaction(ts: typeof TypeScript, node: TypeScript.Node): boolean {
  let value: TypeScript.Node = node;
  while (value.parent && (ts.isParenthesizedExpression(value.parent) || ts.isAsExpression(value.parent)))
    value = value.parent;
  const push = value.parent;
  if (
    !push ||
    !ts.isCallExpression(push) ||
    !push.arguments.includes(value as TypeScript.Expression) ||
    !ts.isPropertyAccessExpression(push.expression) ||
    push.expression.name.text !== 'push' ||
    !ts.isIdentifier(push.expression.expression)
  )
    return false;
  const list = push.expression.expression.text;
  // The function that owns the list: the nearest one around the loop that declares it.
  for (let scope = push.parent; scope; scope = scope.parent) {
    if (!ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) continue;
    if (!declares(ts, scope, list)) continue;
    const carriers = carriersOf(ts, scope, list);
    let handed = false;
    const visit = (n: TypeScript.Node): void => {
      if (handed) return;
      if (
        ts.isCallExpression(n) &&
        ts.isPropertyAccessExpression(n.expression) &&
        n.expression.name.text === '$transaction' &&
        n.arguments.some((arg) => passes(ts, arg, carriers))
      )
        handed = true;
      else ts.forEachChild(n, visit);
    };
    ts.forEachChild(scope, visit);
    return handed;
  }
  return false;
}

/** `ops` or `[...ops, other]`: the array (or its elements) is the argument. */
function passes(ts: typeof TypeScript, arg: TypeScript.Expression, lists: ReadonlySet<string>): boolean {
  if (ts.isIdentifier(arg)) return lists.has(arg.text);
  return (
    ts.isArrayLiteralExpression(arg) &&
    arg.elements.some(
      (element) =>
        ts.isSpreadElement(element) && ts.isIdentifier(element.expression) && lists.has(element.expression.text),
    )
  );
}

/** The list and the arrays built from it in the function: `const operations = [...deleteOps, ...createOps, update]`. */
function carriersOf(ts: typeof TypeScript, scope: TypeScript.Node, list: string): Set<string> {
  const carriers = new Set([list]);
  for (let grew = true; grew; ) {
    grew = false;
    const visit = (n: TypeScript.Node): void => {
      if (
        ts.isVariableDeclaration(n) &&
        ts.isIdentifier(n.name) &&
        !carriers.has(n.name.text) &&
        n.initializer &&
        passes(ts, n.initializer, carriers)
      ) {
        carriers.add(n.name.text);
        grew = true;
      } else if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
    };
    ts.forEachChild(scope, visit);
  }
  return carriers;
}

/** A `const`/`let` of that name directly in the function (or file), not in a nested one. */
function declares(ts: typeof TypeScript, scope: TypeScript.Node, name: string): boolean {
  let found = false;
  const visit = (n: TypeScript.Node): void => {
    if (found) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) found = true;
    else if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  ts.forEachChild(scope, visit);
  return found;
}
