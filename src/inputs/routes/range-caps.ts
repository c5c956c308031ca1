/**
 * A window the client chooses and the handler caps: the request names both ends (`startRevision`, `endRevision`) and
 * the handler refuses a request whose width passes a written number —
 *
 *   if (query.endRevision - query.startRevision > 100) throw new ForbiddenException();
 *
 * That is paging by range: the client asks for one bounded slice at a time and moves the window to get the next. Only a
 * width compared with a number written in the code counts (a literal or a `const`), and only a small one: a cap of
 * `86_400_000` milliseconds says nothing about how many rows the window holds. A window with no cap (a date filter
 * alone) bounds nothing and is not this.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import { writtenNumber } from '../../model/collection-bounds.js';
import { refuses } from './creation-caps.js';
import { unwrap } from './values.js';

const typescript = loadTypeScript();

/** The widest window that still reads as a page: a few hundred rows, as for a product's cap (data-reads.ts). */
const SMALL_WINDOW = 500;

/** Whether `node` is `if (<end> - <start> > N) throw/return`, with N written and small. */
export function capsRequestedRange(node: ts.Node): boolean {
  if (!typescript.isIfStatement(node) || !refuses(node.thenStatement)) return false;
  const condition = unwrap(node.expression);
  if (!typescript.isBinaryExpression(condition)) return false;
  const { GreaterThanToken, GreaterThanEqualsToken, LessThanToken, LessThanEqualsToken } = typescript.SyntaxKind;
  const kind = condition.operatorToken.kind;
  const [width, cap] =
    kind === GreaterThanToken || kind === GreaterThanEqualsToken
      ? [condition.left, condition.right]
      : kind === LessThanToken || kind === LessThanEqualsToken
        ? [condition.right, condition.left]
        : [undefined, undefined];
  if (!width || !cap || !isDifference(width)) return false;
  const n = writtenNumber(typescript, cap);
  return n !== undefined && n <= SMALL_WINDOW;
}

/** `a.end - a.start`, `end - start`: a subtraction of two values neither of which is a written number. */
function isDifference(node: ts.Expression): boolean {
  const value = unwrap(node);
  if (!typescript.isBinaryExpression(value) || value.operatorToken.kind !== typescript.SyntaxKind.MinusToken)
    return false;
  return [value.left, value.right].every(
    (side) => writtenNumber(typescript, side) === undefined && isValueName(unwrap(side)),
  );
}

/** `end`, `query.end`, `Number(query.end)`: a value read from somewhere, not a computation. */
function isValueName(node: ts.Expression): boolean {
  if (typescript.isIdentifier(node) || typescript.isPropertyAccessExpression(node)) return true;
  if (typescript.isCallExpression(node) && node.arguments.length === 1)
    return isValueName(unwrap(node.arguments[0] as ts.Expression));
  return false;
}
