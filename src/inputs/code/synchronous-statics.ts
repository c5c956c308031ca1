/**
 * Static methods the workspace declares synchronous (CodeModel.remoteRepositories names them `Class.method`):
 * `static findOne(where: Where): Table | null { return getState().tables.find(…) }` answers from memory — a
 * schema cache, a registry loaded at start — whatever its name looks like. JavaScript database drivers answer
 * with promises, so a method that is not `async` and returns no promise cannot wait for a round trip;
 * perf/no-n-plus-one asks this before it counts `Table.findOne(…)` in a loop as a query.
 *
 * Judged over the whole tree (the class and its callers are in different files), on positive evidence only:
 * - declared: no `async`, no generator, an explicit return type that is a value (not a promise, a query, a
 *   builder, a cursor, a stream, an observable; not `any`, `unknown`, `void`: a void method may fire a query
 *   and forget it);
 * - or, undeclared: no `async`, and every `return` gives an in-memory value — an array search with a callback
 *   (`cache.find((t) => t.id === id)`), a `new` object, a literal, a name or member read; no promise is named.
 * Not known, so left out: a method declared in a package that may use a synchronous driver (better-sqlite3,
 * node:sqlite, bun:sqlite return rows without a promise), and a `Class.method` the tree declares more than
 * once when not every declaration is synchronous (two packages' `Table`).
 */
import type { ts as TypeScript } from 'ts-morph';
import type { CodeModel } from '../../model/code.js';
import { mayQuerySynchronously } from '../../model/sync-results.js';

/** A file that may declare a static method without `async` (a cheap test before parsing). */
const DECLARES_SYNC_STATIC = /\bstatic\s+(?!async\b)[\w$]+\s*[<(]/;
/** Words of a return type that may wait or run later: a promise, a lazy query, a stream of results. */
const ASYNC_TYPE_WORD =
  /\b(?:Promise|PromiseLike|Thenable|Observable|Bluebird|Deferred|Future|Query|QueryBuilder|Builder|Cursor|Stream|Readable|Task)\b|Promise|Query|Builder|Cursor/;
/** Return types that are no evidence: anything may hide behind them, or nothing is returned. */
const NO_EVIDENCE_TYPE = /^(?:any|unknown|void|never|object|Object|Function)$/;
/** The empty parts of a union (`View | undefined`): allowed beside a value, no evidence alone. */
const EMPTY_TYPE = /^(?:null|undefined)$/;
/** Array methods that search or reshape in memory when given a callback. */
const ARRAY_SEARCH = new Set([
  'find',
  'filter',
  'map',
  'some',
  'every',
  'findIndex',
  'findLast',
  'flatMap',
  'reduce',
  'sort',
]);

export function judgeSynchronousStatics(code: CodeModel): Set<string> {
  const ts = code.ts;
  const verdicts = new Map<string, boolean>();
  for (const file of code.files) {
    if (!DECLARES_SYNC_STATIC.test(file.text.content)) continue;
    // A synchronous driver answers with rows: a synchronous method there may be a query.
    const unknowable = mayQuerySynchronously(file.packageDataLayers, file.text.content);
    const tree = file.tree;
    const visit = (node: TypeScript.Node): void => {
      if (ts.isClassDeclaration(node) && node.name) {
        for (const member of node.members) {
          if (!ts.isMethodDeclaration(member) || !member.body || !ts.isIdentifier(member.name)) continue;
          if (!member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
          const key = `${node.name.text}.${member.name.text}`;
          const synchronous = !unknowable && declaredSynchronous(ts, member, tree);
          verdicts.set(key, (verdicts.get(key) ?? true) && synchronous);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(tree);
  }
  return new Set([...verdicts].filter(([, synchronous]) => synchronous).map(([key]) => key));
}

/** Whether the static method is synchronous and answers with a value (see the module comment). */
function declaredSynchronous(
  ts: typeof TypeScript,
  method: TypeScript.MethodDeclaration,
  tree: TypeScript.SourceFile,
): boolean {
  if (method.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) || method.asteriskToken) return false;
  if (method.type) {
    const text = method.type.getText(tree).trim();
    if (ASYNC_TYPE_WORD.test(text)) return false;
    // `Table | null`: every part of a union must be a value or empty, and one part a value.
    const parts = text.split('|').map((part) => part.trim());
    return parts.every((part) => !NO_EVIDENCE_TYPE.test(part)) && parts.some((part) => !EMPTY_TYPE.test(part));
  }
  const body = method.body!;
  if (/\bPromise\b|\.then\(/.test(body.getText(tree))) return false;
  let returns = 0;
  let inMemory = true;
  const visit = (node: TypeScript.Node): void => {
    if (!inMemory || ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      returns++;
      if (!inMemoryValue(ts, node.expression)) inMemory = false;
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return returns > 0 && inMemory;
}

/** A value computed in memory: an array search with a callback, a `new` object, a literal, a name, a member read. */
function inMemoryValue(ts: typeof TypeScript, expression: TypeScript.Expression): boolean {
  let node: TypeScript.Expression = expression;
  while (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node))
    node = node.expression;
  if (ts.isConditionalExpression(node)) return inMemoryValue(ts, node.whenTrue) && inMemoryValue(ts, node.whenFalse);
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    const argument = node.arguments[0];
    return (
      ts.isPropertyAccessExpression(callee) &&
      ARRAY_SEARCH.has(callee.name.text) &&
      argument !== undefined &&
      isCallback(ts, argument)
    );
  }
  return (
    ts.isNewExpression(node) ||
    ts.isIdentifier(node) ||
    ts.isPropertyAccessExpression(node) ||
    ts.isElementAccessExpression(node) ||
    ts.isLiteralExpression(node) ||
    ts.isObjectLiteralExpression(node) ||
    ts.isArrayLiteralExpression(node) ||
    node.kind === ts.SyntaxKind.NullKeyword ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword
  );
}

/** A function written in place (`(t) => t.id === id`), or a choice between such functions. */
function isCallback(ts: typeof TypeScript, node: TypeScript.Expression): boolean {
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return true;
  if (ts.isConditionalExpression(node)) return isCallback(ts, node.whenTrue) || isCallback(ts, node.whenFalse);
  return false;
}
