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
  // `const value: Option<X> = Factory.create(…)`, then only `value.member` reads and calls.
  if (
    ts.isVariableDeclaration(parent) &&
    parent.initializer === node &&
    ts.isIdentifier(parent.name) &&
    parent.type !== undefined &&
    !PROMISE_TYPE.test(parent.type.getText())
  )
    return onlyMemberUses(ts, parent.name);
  return false;
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
