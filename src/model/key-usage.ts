/**
 * What the code does with a foreign key, read from its ORM calls: whether the child table is ever
 * looked up by the key (a `where` on the key's field or its relation, a parent query that includes,
 * counts or filters by the children, raw SQL naming the table), and whether parent rows are ever
 * hard-deleted (a `delete`/`deleteMany` of the parent's model, a nested delete, raw `DELETE`, or the
 * cascade of such a delete higher up). An index on the key serves exactly those two things.
 *
 * This module reads Prisma Client, by its names from the schema (`Schema.orm`); the same fact is read from
 * Drizzle by key-usage-drizzle.ts and from raw SQL and table-name builders by key-usage-sql.ts. The answer is `unknown`
 * whenever the code might do either without archlint seeing it: no names for the schema, a model the
 * code never calls (its rows are handled by a library, another service or a tool: an auth adapter's
 * tables), a query whose `where` is built elsewhere, a dynamic model access (`prisma[name]`).
 */
import type { ts as TypeScript } from 'ts-morph';
import type { CodeFile, CodeModel } from './code.js';
import type { TextFile } from './files.js';
import { PRISMA_OPS } from './data-calls.js';
import { byHand } from './key-usage-sql.js';
import { isAuthJsModel } from './tool-owned-tables.js';
import {
  formatTableName,
  type ForeignKey,
  type KeyUse,
  type OrmNames,
  type OrmTableNames,
  type Schema,
} from './schema.js';

export type { KeyUse } from './schema.js';

/** What the Prisma calls of the code touch, gathered once per code model and schema names. */
interface Seen {
  /** Accessors called through a client (`prisma.account.findMany`): tables the code handles itself. */
  called: Set<string>;
  /** Accessors whose rows a call deletes (`delete`, `deleteMany`). */
  deleted: Set<string>;
  /** Property keys inside each accessor's `where` clauses, and string arguments (`groupBy({ by: ['userId'] })`). */
  filtered: Map<string, Set<string>>;
  /** Accessors with a query archlint cannot read whole (arguments or a `where` built elsewhere, a spread). */
  opaque: Set<string>;
  /** Every property key of every object literal in files that call Prisma: relation names a query may follow. */
  keys: Set<string>;
  /** Property keys whose object holds a nested `delete`/`deleteMany` (`members: { deleteMany: {} }`). */
  nestedDeletes: Set<string>;
  /** A model reached by a computed name (`prisma[model].findMany`): any table may be queried. */
  dynamic: boolean;
  /** The lower-cased words of each string literal or template that reads like SQL, in files that run raw SQL. */
  rawSql: Array<ReadonlySet<string>>;
}

const CLIENT = /prisma|client\b|(^|\.)(db|tx|trx|database|transaction)$/i;
/**
 * Operations no array or map has: a computed model name before one of them is a dynamic model access
 * that may filter by any key. `findUnique` is not among them: it looks a row up by a unique key, which
 * an index serves already (a guard reading `prisma[model].findUnique({ where: { id } })`).
 */
const DYNAMIC_OPS = /^(findMany|findFirst|findFirstOrThrow|deleteMany|updateMany|upsert|count|delete|update)$/;
const CALL_SHAPE =
  /\.\s*([A-Za-z_$][\w$]*)\s*\.\s*([A-Za-z]+)\s*\(|\]\s*\.\s*(findMany|findFirst\w*|deleteMany|updateMany|upsert)\s*\(/g;
/** Raw SQL run through Prisma or a driver: `$queryRaw`, `Prisma.sql`, `sql\`…\``, `.query('SELECT …')`. */
const RAW_SQL = /\$queryRaw|\$executeRaw|Prisma\.sql|\bsql`|\.(query|raw|execute)\(\s*[`'"]/;

/** Stands for a key computed at run time (`where[field] = …`): it may be any column. */
const ANY_KEY = '\u0000any';

const cache = new WeakMap<CodeModel, Map<OrmNames, Seen>>();

function seenIn(code: CodeModel, names: OrmNames): Seen {
  let byNames = cache.get(code);
  if (!byNames) cache.set(code, (byNames = new Map()));
  let seen = byNames.get(names);
  if (!seen) byNames.set(names, (seen = gather(code, names)));
  return seen;
}

/** What a file's text shows of Prisma calls, whatever the schema's names: read once per file, not once per schema. */
interface Shapes {
  /** `x.<accessor>.<op>(` with a Prisma operation: the accessors it may call. */
  accessors: ReadonlySet<string>;
  /** `…].findMany(`: a model reached by a computed name. */
  dynamic: boolean;
  /** Runs raw SQL text. */
  raw: boolean;
}

const shapesCache = new WeakMap<TextFile, Shapes | null>();

/** What a file's text shows of Prisma calls and raw SQL; null when neither (read once per file, not once per schema). */
function shapesOf(text: TextFile): Shapes | null {
  let found = shapesCache.get(text);
  if (found !== undefined) return found;
  const content = text.content;
  const accessors = new Set<string>();
  let dynamic = false;
  for (const match of content.matchAll(CALL_SHAPE)) {
    if (match[3] !== undefined) dynamic = true;
    else if (PRISMA_OPS.has(match[2]!)) accessors.add(match[1]!);
  }
  const raw = RAW_SQL.test(content);
  found = dynamic || raw || accessors.size > 0 ? { accessors, dynamic, raw } : null;
  shapesCache.set(text, found);
  return found;
}

/**
 * Whether keyUse may read the file's syntax tree for its Prisma calls (its text shows a Prisma-like call): a
 * superset, for a rule that declares which trees it reads (Rule.codeTrees).
 */
export function mayReadForKeyUse(file: CodeFile): boolean {
  // Files that only run raw SQL are left out: `.query('…')` is common outside Prisma, and such a file is
  // read only for SQL-looking literals (parsed again if it comes to that).
  const shapes = shapesOf(file.text);
  return shapes !== null && (shapes.dynamic || shapes.accessors.size > 0);
}

function gather(code: CodeModel, names: OrmNames): Seen {
  const accessors = new Set([...names.tables.values()].map((t) => t.accessor));
  const seen: Seen = {
    called: new Set(),
    deleted: new Set(),
    filtered: new Map(),
    opaque: new Set(),
    keys: new Set(),
    nestedDeletes: new Set(),
    dynamic: false,
    rawSql: [],
  };
  for (const file of code.files) {
    const shapes = shapesOf(file.text);
    if (!shapes || byHand(file)) continue;
    const calls = shapes.dynamic || [...shapes.accessors].some((accessor) => accessors.has(accessor));
    const raw = shapes.raw;
    if (!calls && !raw) continue;
    const ts = code.ts;
    const visit = (node: TypeScript.Node): void => {
      if (calls && ts.isCallExpression(node)) readCall(ts, node, accessors, seen);
      if (calls && ts.isObjectLiteralExpression(node)) readObject(ts, node, seen);
      if (raw && (ts.isStringLiteralLike(node) || ts.isTemplateExpression(node)))
        readSql(node.getText(file.tree), seen);
      ts.forEachChild(node, visit);
    };
    visit(file.tree);
  }
  return seen;
}

function propertyName(ts: typeof TypeScript, name: TypeScript.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name) ? name.text : undefined;
}

/** Keys of a Prisma query's relation argument (`{ select: … }`, `{ where: … }`) or of a relation filter (`{ some: … }`). */
const QUERY_KEYS = new Set([
  'select',
  'include',
  'where',
  'orderBy',
  'take',
  'skip',
  'cursor',
  'distinct',
  'some',
  'every',
  'none',
  'is',
  'isNot',
]);

/**
 * A relation named the way a query follows it: `accounts: true` or `accounts: { where/select/… }`
 * (an include, a `_count`, a relation filter), wherever the object is written — queries are often
 * assembled in a variable first. A data object (`accounts: user.accounts`) does not follow anything.
 */
function readObject(ts: typeof TypeScript, node: TypeScript.ObjectLiteralExpression, seen: Seen): void {
  for (const property of node.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const key = propertyName(ts, property.name);
    if (key === undefined) continue;
    const value = property.initializer;
    if (value.kind === ts.SyntaxKind.TrueKeyword) seen.keys.add(key);
    if (!ts.isObjectLiteralExpression(value)) continue;
    const inner = value.properties.map((p) => (p.name ? propertyName(ts, p.name) : undefined));
    if (inner.some((name) => name !== undefined && QUERY_KEYS.has(name))) seen.keys.add(key);
    if (inner.some((name) => name === 'delete' || name === 'deleteMany')) seen.nestedDeletes.add(key);
  }
}

/** `<client>.<accessor>.<op>(args)`, and `<client>[name].<op>(…)`. */
function readCall(ts: typeof TypeScript, node: TypeScript.CallExpression, accessors: Set<string>, seen: Seen): void {
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee)) return;
  const op = callee.name.text;
  const model = callee.expression;
  if (ts.isElementAccessExpression(model)) {
    if (DYNAMIC_OPS.test(op) && !ts.isStringLiteralLike(model.argumentExpression)) seen.dynamic = true;
    return;
  }
  if (!ts.isPropertyAccessExpression(model) || !PRISMA_OPS.has(op)) return;
  const accessor = model.name.text;
  if (!accessors.has(accessor)) return;
  // `prisma.`, `this.prismaService.`, `ctx.db.`, `tx.`, `this.prisma.txClient().`: a client, not some object.
  if (CLIENT.test(model.expression.getText())) seen.called.add(accessor);
  if (op === 'delete' || op === 'deleteMany') seen.deleted.add(accessor);
  let filtered = seen.filtered.get(accessor);
  if (!filtered) seen.filtered.set(accessor, (filtered = new Set()));
  const first = node.arguments[0];
  if (first === undefined) return;
  const read = new Reader(ts, accessor, filtered, seen);
  read.value(first, false);
}

/** Reads a call's arguments for the keys its `where` compares, following names to the objects they hold. */
class Reader {
  private readonly followed = new Set<TypeScript.Node>();
  constructor(
    private readonly ts: typeof TypeScript,
    private readonly accessor: string,
    private readonly filtered: Set<string>,
    private readonly seen: Seen,
  ) {}

  /**
   * `clause`: the node stands where a query or a filter is expected (the argument, `where`, the items
   * of `AND`/`OR`/`NOT`, a spread) — one archlint cannot read there hides the keys compared. Elsewhere
   * it is a compared value (`userId: id`), which names no key.
   */
  value(node: TypeScript.Expression, inWhere: boolean, clause = true): void {
    const ts = this.ts;
    const expression = skipWrappers(ts, node);
    if (ts.isObjectLiteralExpression(expression)) return this.object(expression, inWhere);
    if (ts.isStringLiteralLike(expression)) {
      this.filtered.add(expression.text);
      return;
    }
    if (ts.isArrayLiteralExpression(expression) || ts.isConditionalExpression(expression)) {
      ts.forEachChild(expression, (child) => {
        if (ts.isExpression(child)) this.value(child, inWhere, clause);
      });
      return;
    }
    if (ts.isIdentifier(expression)) {
      const held = heldObject(ts, expression);
      if (held) {
        if (this.followed.has(held.object)) return;
        this.followed.add(held.object);
        if (inWhere || clause) for (const key of held.assigned) this.filtered.add(key);
        return this.object(held.object, inWhere || clause);
      }
    }
    // Built by a call, read from a parameter or a property: archlint cannot read which keys it compares.
    if (clause && !isLiteral(ts, expression)) this.seen.opaque.add(this.accessor);
  }

  private object(node: TypeScript.ObjectLiteralExpression, inWhere: boolean): void {
    const ts = this.ts;
    for (const property of node.properties) {
      if (ts.isSpreadAssignment(property)) {
        this.value(property.expression, inWhere, true);
        continue;
      }
      const key = property.name && propertyName(ts, property.name);
      if (key === undefined) {
        // `{ [field]: value }` in a filter may compare any column.
        if (inWhere && property.name && ts.isComputedPropertyName(property.name)) this.filtered.add(ANY_KEY);
        continue;
      }
      // Written rows and options are not lookups; relation names in them are judged by readObject.
      if (!inWhere && key !== 'where') continue;
      if (inWhere) this.filtered.add(key);
      const clause = key === 'where' || key === 'AND' || key === 'OR' || key === 'NOT';
      if (ts.isShorthandPropertyAssignment(property)) this.value(property.name, true, clause);
      else if (ts.isPropertyAssignment(property)) this.value(property.initializer, true, clause);
    }
  }
}

function skipWrappers(ts: typeof TypeScript, node: TypeScript.Expression): TypeScript.Expression {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isTypeAssertionExpression(current)
  )
    current = current.expression;
  return current;
}

/** A value that names no key: a number, a boolean, a template, `null`, `undefined`. */
function isLiteral(ts: typeof TypeScript, node: TypeScript.Expression): boolean {
  return (
    ts.isNumericLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    node.kind === ts.SyntaxKind.NullKeyword ||
    (ts.isIdentifier(node) && node.text === 'undefined')
  );
}

/**
 * The object literal a name is declared with in an enclosing block (`const where = { userId }`), and
 * the keys later assigned to it there (`where.teamId = …`, `where['teamId'] = …`); undefined when the
 * name is a parameter, an import or declared otherwise.
 */
function heldObject(
  ts: typeof TypeScript,
  name: TypeScript.Identifier,
): { object: TypeScript.ObjectLiteralExpression; assigned: string[] } | undefined {
  for (let scope: TypeScript.Node | undefined = name.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      const declaration = statement.declarationList.declarations.find(
        (d) => ts.isIdentifier(d.name) && d.name.text === name.text,
      );
      if (!declaration) continue;
      const init = declaration.initializer && skipWrappers(ts, declaration.initializer);
      if (!init || !ts.isObjectLiteralExpression(init)) return undefined;
      const assigned: string[] = [];
      const visit = (node: TypeScript.Node): void => {
        if (
          ts.isBinaryExpression(node) &&
          node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          (ts.isPropertyAccessExpression(node.left) || ts.isElementAccessExpression(node.left)) &&
          ts.isIdentifier(node.left.expression) &&
          node.left.expression.text === name.text
        ) {
          const key = ts.isPropertyAccessExpression(node.left)
            ? node.left.name.text
            : ts.isStringLiteralLike(node.left.argumentExpression)
              ? node.left.argumentExpression.text
              : undefined;
          // A computed key (`where[field] = …`) may be any column.
          assigned.push(key ?? ANY_KEY);
        }
        ts.forEachChild(node, visit);
      };
      visit(scope);
      return { object: init, assigned };
    }
  }
  return undefined;
}

const SQL_WORDS = /\b(select|delete|update|insert|join|from|where)\b/i;

function readSql(text: string, seen: Seen): void {
  if (SQL_WORDS.test(text)) seen.rawSql.push(new Set(text.toLowerCase().match(/[\w$]+/g) ?? []));
}

/** Whether one raw SQL text names the table (bare or quoted) and every one of `also`. */
function rawMentions(seen: Seen, table: string, also: readonly string[] = []): boolean {
  const name = table.toLowerCase().split('.').pop()!;
  return seen.rawSql.some((words) => words.has(name) && also.every((word) => words.has(word)));
}

/**
 * The tables whose rows the code deletes: by a call on their model, a nested delete through a field
 * of their type, raw SQL `DELETE`, and then every table a cascading key deletes with them.
 */
function deletedTables(schema: Schema, names: OrmNames, seen: Seen): Set<string> {
  const deleted = new Set<string>();
  const typedAs = new Map<string, string[]>();
  for (const [table, model] of names.tables)
    for (const relation of model.relations) {
      typedAs.set(relation.parent, [...(typedAs.get(relation.parent) ?? []), relation.field]);
      typedAs.set(table, [...(typedAs.get(table) ?? []), ...relation.backFields]);
    }
  for (const [table, model] of names.tables) {
    const byCall = seen.deleted.has(model.accessor);
    const nested = (typedAs.get(table) ?? []).some((field) => seen.nestedDeletes.has(field));
    const raw = rawMentions(seen, table, ['delete']);
    if (byCall || nested || raw) deleted.add(table);
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const table of schema.tables) {
      const key = formatTableName(table.name);
      if (deleted.has(key)) continue;
      const cascades = table.foreignKeys.some(
        (fk) => fk.onDelete === 'cascade' && deleted.has(formatTableName(fk.references.table)),
      );
      if (cascades) {
        deleted.add(key);
        grew = true;
      }
    }
  }
  return deleted;
}

/** The table named `name` (as formatTableName names it) is a model of Auth.js's adapters. */
function authJsTable(schema: Schema, name: string): boolean {
  const table = schema.tables.find((t) => formatTableName(t.name) === name);
  return table !== undefined && isAuthJsModel(table);
}

const deletedCache = new WeakMap<Seen, Map<Schema, Set<string>>>();

/** What the code does with this foreign key of `schema` (see KeyUse). */
export function keyUse(code: CodeModel, schema: Schema, fk: ForeignKey): KeyUse {
  const names = schema.orm;
  if (!names) return 'unknown';
  const childKey = formatTableName(fk.table);
  const parentKey = formatTableName(fk.references.table);
  const child: OrmTableNames | undefined = names.tables.get(childKey);
  const parent = names.tables.get(parentKey);
  const relation = child?.relations.find(
    (r) =>
      r.parent === parentKey &&
      r.columns.length === fk.columns.length &&
      fk.columns.every((c) => r.columns.includes(c)),
  );
  if (!child || !parent || !relation) return 'unknown';
  const seen = seenIn(code, names);
  // An Auth.js model the code never calls is read by the library alone, by token or provider account: known.
  const childCalled = seen.called.has(child.accessor) || authJsTable(schema, childKey);
  if (seen.dynamic || !childCalled || !seen.called.has(parent.accessor)) return 'unknown';
  // A parent some table of which the code never calls (an auth adapter's accounts and sessions of a
  // user): a library handles those rows, and may delete the parent through them unseen.
  // Auth.js's own models are the exception: it reads them by token or provider account and never deletes a user.
  for (const [name, other] of names.tables)
    if (
      other.relations.some((r) => r.parent === parentKey) &&
      !seen.called.has(other.accessor) &&
      !authJsTable(schema, name)
    )
      return 'unknown';
  const fields = fk.columns.map((column) => child.fields.get(column) ?? column);
  const filtered = seen.filtered.get(child.accessor) ?? new Set<string>();
  // A filter archlint cannot read on a related model may reach the child through the relation
  // (`resource.findMany({ where: args.where })` with `{ ownership: { teamId } }`).
  const related = [...names.tables.entries()].filter(
    ([table, model]) =>
      model.relations.some((r) => r.parent === childKey) || child.relations.some((r) => r.parent === table),
  );
  const queried =
    seen.opaque.has(child.accessor) ||
    related.some(([, model]) => seen.opaque.has(model.accessor)) ||
    filtered.has(ANY_KEY) ||
    [...fields, relation.field].some((field) => filtered.has(field)) ||
    relation.backFields.some((field) => seen.keys.has(field)) ||
    fk.columns.some((column) => rawMentions(seen, childKey, [column.toLowerCase()]));
  let bySchema = deletedCache.get(seen);
  if (!bySchema) deletedCache.set(seen, (bySchema = new Map()));
  let deleted = bySchema.get(schema);
  if (!deleted) bySchema.set(schema, (deleted = deletedTables(schema, names, seen)));
  if (queried) return 'queried';
  return deleted.has(parentKey) ? 'parent-deleted' : 'idle';
}
