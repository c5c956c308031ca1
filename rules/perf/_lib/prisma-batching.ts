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
