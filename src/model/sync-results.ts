/**
 * Whether a call's result is used synchronously, as a value: a property read straight off it
 * (`Models.get(id).name`), or a variable declared with a type that is no promise and only read through its members
 * (`const value: Option<FieldValue> = FieldValueFactory.create(field, raw); if (value.isSome()) …`).
 *
 * JavaScript database drivers are asynchronous: a query's result is a promise (or a lazy query, a callback, a
 * stream), never the rows themselves. A call whose result is used as a value without waiting is therefore no
 * database round trip — an in-memory lookup, a cache, a value-object factory — whatever its name looks like. The
 * synchronous drivers (better-sqlite3, node:sqlite, bun:sqlite) are the exception: their calls return rows, so the
 * fact is not known in a package that uses one.
 *
 * An untyped variable counts too, on evidence its uses give (JavaScript, or TypeScript that infers the type): a
 * promise has no members but `then`/`catch`/`finally`, no elements, is never iterated and is always truthy, so
 * `const table = Table.findOne(…); if (!table) throw …; for (const f of table.fields) …` holds a value. One use that
 * waits (`await table`, `table.then(…)`) or runs a query (`.exec()`, `.save()`) and the fact is not known; uses that
 * say nothing (the variable handed to a function, returned, a method called on it: a lazy builder takes
 * `.where(…)`) neither count for nor against.
 */
import type { ts as TypeScript } from 'ts-morph';

/** Drivers whose queries return rows synchronously (CodeFile.packageDataLayers names the npm ones). */
const SYNCHRONOUS_DRIVER = /^(better-sqlite3|bun:sqlite|node:sqlite)$/;
/** Built-in synchronous drivers are imported, not declared in package.json. */
const SYNCHRONOUS_DRIVER_IMPORT = /['"](node:sqlite|bun:sqlite)['"]/;
/** Members that wait for, or run, what the call returned: using them is asynchronous use. */
const ASYNC_MEMBER =
  /^(then|catch|finally|exec|execute|run|get|all|first|save|remove|softRemove|recover|reload|destroy|update|delete|insert|values|returning|toArray|lean|populate|stream|on|once|pipe)$/;
/** A declared type that is (or may be) a promise or a query. */
const PROMISE_TYPE = /\b(Promise|PromiseLike|Thenable|Query|QueryBuilder|Observable|any|unknown)\b/;

/** Whether the package or file may use a synchronous database driver, where a sync result can be rows. */
export function mayQuerySynchronously(dataLayers: readonly string[] | undefined, fileText: string): boolean {
  return (dataLayers ?? []).some((name) => SYNCHRONOUS_DRIVER.test(name)) || SYNCHRONOUS_DRIVER_IMPORT.test(fileText);
}

/** Whether the call's result is used synchronously as a value (see the module comment). */
export function resultUsedSynchronously(ts: typeof TypeScript, call: TypeScript.Node): boolean {
  let node: TypeScript.Node = call;
  let parent = node.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent))) {
    node = parent;
    parent = parent.parent;
  }
  if (!parent) return false;
  // `Models.get(id).name`: a member read off the result, not a further call on it.
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node)
    return !ASYNC_MEMBER.test(parent.name.text) && !(parent.parent && ts.isCallExpression(parent.parent));
  if (ts.isVariableDeclaration(parent) && parent.initializer === node) {
    // `const { fields } = Table.findOne(…)`, `const [first] = Trigger.find(…)`: a promise has neither.
    if (!ts.isIdentifier(parent.name)) return true;
    // `const value: Option<X> = Factory.create(…)`, then only `value.member` reads and calls.
    if (parent.type !== undefined) return !PROMISE_TYPE.test(parent.type.getText()) && onlyMemberUses(ts, parent.name);
    // `const table = Table.findOne(…)`, untyped: what its uses show.
    return usedAsValue(ts, parent.name);
  }
  return valueUse(ts, node) === 'value';
}

type Use = 'value' | 'waits' | 'neutral';

/**
 * What one use of an expression (the call itself, or a variable holding its result) shows: 'value' when a promise
 * could not be used so (a member read, an element, iterated, spread into an array, tested for truth or null),
 * 'waits' when it is waited for or run, 'neutral' otherwise.
 */
function valueUse(ts: typeof TypeScript, expression: TypeScript.Node): Use {
  let node = expression;
  let parent = node.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent))) {
    node = parent;
    parent = parent.parent;
  }
  if (!parent) return 'neutral';
  if (ts.isAwaitExpression(parent) || ts.isYieldExpression(parent)) return 'waits';
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
    if (ASYNC_MEMBER.test(parent.name.text)) return 'waits';
    // `x.where(…)`: a lazy builder takes calls too; `x.fields`: a read only a value answers.
    return parent.parent && ts.isCallExpression(parent.parent) && parent.parent.expression === parent
      ? 'neutral'
      : 'value';
  }
  if (ts.isElementAccessExpression(parent) && parent.expression === node) return 'value';
  if (ts.isForOfStatement(parent) && parent.expression === node) return parent.awaitModifier ? 'waits' : 'value';
  if (ts.isSpreadElement(parent) && parent.parent && ts.isArrayLiteralExpression(parent.parent)) return 'value';
  // A promise is always truthy: `if (!table)`, `table ? … : …`, `table && …`, `table == null` test a value.
  if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) return 'value';
  if (ts.isIfStatement(parent) && parent.expression === node) return 'value';
  if (ts.isConditionalExpression(parent) && parent.condition === node) return 'value';
  if (ts.isBinaryExpression(parent) && parent.left === node) {
    const operator = parent.operatorToken.kind;
    if (
      operator === ts.SyntaxKind.AmpersandAmpersandToken ||
      operator === ts.SyntaxKind.BarBarToken ||
      operator === ts.SyntaxKind.QuestionQuestionToken
    )
      return 'value';
    if (
      (operator === ts.SyntaxKind.EqualsEqualsToken ||
        operator === ts.SyntaxKind.EqualsEqualsEqualsToken ||
        operator === ts.SyntaxKind.ExclamationEqualsToken ||
        operator === ts.SyntaxKind.ExclamationEqualsEqualsToken) &&
      (parent.right.kind === ts.SyntaxKind.NullKeyword ||
        (ts.isIdentifier(parent.right) && parent.right.text === 'undefined'))
    )
      return 'value';
  }
  return 'neutral';
}

/** The untyped variable is used as a value at least once and never waited for (see valueUse). */
function usedAsValue(ts: typeof TypeScript, name: TypeScript.Identifier): boolean {
  let scope: TypeScript.Node | undefined = name.parent;
  while (scope && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  if (!scope) return false;
  let value = false;
  let waits = false;
  const visit = (node: TypeScript.Node): void => {
    if (waits) return;
    if (ts.isIdentifier(node) && node !== name && node.text === name.text) {
      const parent = node.parent;
      // A property name or a key that merely shares the text is no use.
      if (parent && ts.isPropertyAccessExpression(parent) && parent.name === node) return;
      if (parent && ts.isPropertyAssignment(parent) && parent.name === node) return;
      const use = valueUse(ts, node);
      if (use === 'waits') waits = true;
      else if (use === 'value') value = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return value && !waits;
}

/** Every use of the variable, in its enclosing function, reads or calls one of its members other than ASYNC_MEMBER. */
function onlyMemberUses(ts: typeof TypeScript, name: TypeScript.Identifier): boolean {
  let scope: TypeScript.Node | undefined = name.parent;
  while (scope && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  if (!scope) return false;
  let uses = 0;
  let other = false;
  const visit = (node: TypeScript.Node): void => {
    if (other) return;
    if (ts.isIdentifier(node) && node !== name && node.text === name.text) {
      const parent = node.parent;
      // `x.member` with x the object; a property name that merely shares the text is no use.
      if (parent && ts.isPropertyAccessExpression(parent) && parent.name === node) return;
      uses++;
      if (!(parent && ts.isPropertyAccessExpression(parent) && parent.expression === node)) other = true;
      else if (ASYNC_MEMBER.test(parent.name.text)) other = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return uses > 0 && !other;
}
