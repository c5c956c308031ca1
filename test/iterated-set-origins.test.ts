/**
 * Where a loop's set comes from (iteratedSetSource) and how far the source query narrows its rows (queryScope):
 * perf/no-n-plus-one grades a finding by whether the origin is known (warning) or not (note).
 */
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { chainAt } from '../src/model/call-chains.js';
import { fileFacts } from '../src/model/data-calls.js';
import { iteratedSetSource, partsOfHandedObject } from '../src/model/iterated-sets.js';
import { queryScope } from '../src/model/query-scope.js';

/** The scope of the outermost call of the last statement. */
function scopeOf(code: string) {
  const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
  const last = source.statements[source.statements.length - 1]!;
  let top: ts.Node = (last as ts.ExpressionStatement).expression;
  if (ts.isAwaitExpression(top)) top = top.expression;
  return queryScope(ts, chainAt(ts, top)!);
}

/** The origin of the set the last `for…of` of the file walks. */
function originOf(code: string) {
  const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
  let loop: ts.ForOfStatement | undefined;
  const walk = (node: ts.Node): void => {
    if (ts.isForOfStatement(node)) loop = node;
    ts.forEachChild(node, walk);
  };
  walk(source);
  return iteratedSetSource(ts, loop!.expression, fileFacts(ts, source));
}

/** Whether the set the last `for…of` of the file walks is a list held by an object the function was handed. */
function partsOf(code: string) {
  const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
  let loop: ts.ForOfStatement | undefined;
  const walk = (node: ts.Node): void => {
    if (ts.isForOfStatement(node)) loop = node;
    ts.forEachChild(node, walk);
  };
  walk(source);
  return partsOfHandedObject(ts, loop!.expression);
}

describe('query scope', () => {
  it.each([
    ['prisma.membership.findMany({ where: { userId } })', 'owner'],
    ['prisma.link.findMany({ where: { collection: { ownerId: user.id } } })', 'owner'],
    ['this.repo.find({ where: { user: { id: userId } } })', 'owner'],
    ["knex('roles').where('guild_id', guildId)", 'owner'],
    ["db.selectFrom('pages').where('space_id', '=', spaceId).execute()", 'owner'],
    ["supabase.from('alerts').select('*').eq('project_id', id)", 'owner'],
    ['db.select().from(teams).where(eq(teams.organizationId, orgId))', 'owner'],
    ["pool.query('SELECT * FROM items WHERE user_id = $1', [id])", 'owner'],
    ['this.sessionRepository.findAllByUserUuid(uuid)', 'owner'],
    ['prisma.event.findMany({ take: 20 })', 'page'],
    ["prisma.job.findMany({ where: { status: 'pending' } })", 'filtered'],
    ['prisma.user.findMany({ where: { id: { in: ids } } })', 'filtered'],
    ['prisma.project.findMany()', 'unscoped'],
    ["pool.query('SELECT * FROM sessions')", 'unscoped'],
    ['this.userRepository.findById(id)', 'unscoped'],
  ])('%s → %s', (code, scope) => {
    expect(scopeOf(code)).toBe(scope);
  });
});

describe('iterated set origin', () => {
  it('the rows of a query, with its scope', () => {
    expect(
      originOf(
        'async function f(userId) {\n  const orgs = await prisma.organization.findMany({ where: { ownerId: userId } });\n  for (const o of orgs) {}\n}',
      ),
    ).toEqual({ from: 'query', scope: 'owner' });
  });
  it('a filtered copy of the rows keeps their origin', () => {
    expect(
      originOf(
        'async function f() {\n  const rows = await prisma.job.findMany();\n  for (const r of rows.filter((x) => x.ok)) {}\n}',
      ),
    ).toEqual({ from: 'query', scope: 'unscoped' });
  });
  it("one row's related rows are a relation of one row, not the query's rows", () => {
    expect(
      originOf(
        'async function f(id) {\n  const book = await prisma.book.findUnique({ where: { id }, include: { series: true } });\n  for (const s of book.series) {}\n}',
      ),
    ).toEqual({ from: 'relation', one: true });
  });
  it('the related rows of each row of a list read are a relation of many rows', () => {
    expect(
      originOf(
        'async function f() {\n  const books = await prisma.book.findMany({ include: { series: true } });\n  for (const b of books) for (const s of b.series) {}\n}',
      ),
    ).toEqual({ from: 'relation' });
  });
  it("a result's rows property is still the rows", () => {
    expect(
      originOf(
        "async function f() {\n  const result = await pool.query('SELECT * FROM t');\n  for (const r of result.rows) {}\n}",
      ),
    ).toEqual({ from: 'query', scope: 'unscoped' });
  });
  it('an array the client sends', () => {
    expect(originOf('function f(req) {\n  for (const id of req.body.ids) {}\n}')).toEqual({ from: 'request' });
  });
  it('a list written in the code is of unknown origin', () => {
    expect(originOf("function f() {\n  const roles = ['a', 'b'];\n  for (const r of roles) {}\n}")).toBeUndefined();
  });
});

describe('the parts of a handed object', () => {
  it.each([
    ['function f(params) {\n  for (const rule of params.rules) {}\n}', true],
    ['function f(input) {\n  for (const l of (input.lines ?? []).filter((l) => l.qty)) {}\n}', true],
    ['function f(table) {\n  for (const v of table.views.views) {}\n}', true],
    // A result set handed on is rows, not parts.
    ['function f(page) {\n  for (const item of page.items) {}\n}', false],
    // The parameter itself is the set, not one object holding it.
    ['function f(ids) {\n  for (const id of ids) {}\n}', false],
    // The element of another set: judged by that set.
    ['function f(posts) {\n  posts.forEach((post) => {\n    for (const t of post.tags) {}\n  });\n}', false],
    // A local object, not one handed in.
    ['async function f() {\n  const entity = await load();\n  for (const x of entity.fields) {}\n}', false],
    // The parts of one of the handed object's parts: still that one object's.
    ['function f(pack) {\n  for (const s of pack.tables) {\n    for (const c of s.fields) {}\n  }\n}', true],
    // A const holding a handed object's list is not followed: a request DTO's ids are no parts.
    ['function f(orderRo) {\n  const ids = orderRo.recordIds;\n  for (const id of ids) {}\n}', false],
    ['function f(pack) {\n  for (const t of pack.tables) {\n    for (const c of t.fields || []) {}\n  }\n}', true],
    ['function f(pack) {\n  for (const { steps } of pack.triggers) {\n    for (const s of steps) {}\n  }\n}', true],
    // The element of a set handed in whole, or of rows loaded here: judged by that set.
    ['function f(posts) {\n  for (const post of posts) {\n    for (const t of post.tags) {}\n  }\n}', false],
    [
      'async function f(db) {\n  const rows = await db.all();\n  for (const r of rows) {\n    for (const x of r.items) {}\n  }\n}',
      false,
    ],
  ])('%s → %s', (code, expected) => {
    expect(partsOf(code)).toBe(expected);
  });
});
