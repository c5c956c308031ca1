/**
 * A call whose result is used as a value without waiting is no database round trip (JavaScript drivers answer with
 * promises), unless a synchronous driver may answer: perf/no-n-plus-one asks this before counting a data call.
 */
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { mayQuerySynchronously, resultUsedSynchronously } from '../src/model/sync-results.js';

/** Whether the first call of the marked line (`// here`) has its result used synchronously. */
function used(code: string): boolean {
  const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
  const line = code.split('\n').findIndex((l) => l.includes('// here'));
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (!found && ts.isCallExpression(node) && source.getLineAndCharacterOfPosition(node.getStart()).line === line) {
      found = node;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return resultUsedSynchronously(ts, found!);
}

describe('results used synchronously', () => {
  it('a typed value read through its members', () => {
    expect(
      used(
        'function f(field) {\n  const v: Option<Value> = Factory.create(field); // here\n  if (v.isSome()) return v.unwrap();\n}',
      ),
    ).toBe(true);
  });
  it('a member read straight off the result', () => {
    expect(used('function f(id) {\n  return Users.get(id).name; // here\n}')).toBe(true);
  });
  it('an awaited call is a round trip', () => {
    expect(
      used('async function f(id) {\n  const u: User = await Users.findOne(id); // here\n  return u.name;\n}'),
    ).toBe(false);
  });
  it('a value typed as a promise, or handed on, is not known to be a value', () => {
    expect(
      used(
        'function f(id) {\n  const p: Promise<User> = Users.findOne(id); // here\n  return p.then((u) => u.name);\n}',
      ),
    ).toBe(false);
    expect(used('function f(id, out) {\n  const u: User = Users.findOne(id); // here\n  out.push(u);\n}')).toBe(false);
  });
  it('an untyped variable read through a member, tested for truth or iterated holds a value', () => {
    expect(used('function f(id) {\n  const u = Users.findOne(id); // here\n  return u.name;\n}')).toBe(true);
    expect(
      used(
        'async function f(n) {\n  const t = Table.findOne({ n }); // here\n  if (!t) throw new Error(n);\n  await t.getFields();\n}',
      ),
    ).toBe(true);
    expect(
      used('function f(w, out) {\n  const list = Trigger.find(w); // here\n  for (const t of list) out.push(t);\n}'),
    ).toBe(true);
    expect(used('function f(w) {\n  const { fields } = Table.findOne(w); // here\n  return fields;\n}')).toBe(true);
    expect(used('function f(w) {\n  return Table.findOne(w)?.fields; // here\n}')).toBe(true);
  });
  it('an untyped variable waited for, run, or only handed on is not known to be a value', () => {
    expect(
      used(
        'async function f(id) {\n  const p = Users.findOne(id); // here\n  if (!p) return;\n  return (await p).name;\n}',
      ),
    ).toBe(false);
    expect(used('function f(id) {\n  const q = Users.findOne(id); // here\n  return q.exec();\n}')).toBe(false);
    expect(used('function f(id, out) {\n  const u = Users.findOne(id); // here\n  out.push(u);\n}')).toBe(false);
    expect(
      used("async function f(id) {\n  const q = db.from('users'); // here\n  q.where({ id });\n  return q;\n}"),
    ).toBe(false);
    expect(used('async function f(xs) {\n  for await (const x of Stream.find(xs)) log(x); // here\n}')).toBe(false);
  });
  it('an active record saved by its own method is a round trip', () => {
    expect(used('function f(d) {\n  const e: Entity = Entity.create(d); // here\n  return e.save();\n}')).toBe(false);
  });
  it('synchronous drivers answer with rows', () => {
    expect(mayQuerySynchronously(['better-sqlite3', 'drizzle-orm'], '')).toBe(true);
    expect(mayQuerySynchronously([], "import { DatabaseSync } from 'node:sqlite';")).toBe(true);
    expect(mayQuerySynchronously(['pg', 'kysely'], "import { Kysely } from 'kysely';")).toBe(false);
  });
});
