/**
 * What the code does with a foreign key, read at the level of SQL names — for a schema no ORM model
 * names (SQL migrations, Knex or Kysely migrations, a Supabase project): the queries that name tables
 * by their SQL names, in raw SQL text (`SELECT … WHERE project_id = $1`, `DELETE FROM projects`, a
 * `JOIN … ON`) and in query builders called with a table's name (`knex('t').where('col', v).del()`,
 * `db.selectFrom('t')`, `supabase.from('t').select().eq('col', v)`).
 *
 * The same fact as key-usage.ts (KeyUse), read from another query layer, and just as quiet: it answers
 * `unknown` (the key stays reported) whenever the code might query a table unseen — a table name or a
 * clause built at run time, a builder handed on before it is complete, a table an ORM model maps or a
 * source of another language names, a table no query of the code names (a library's).
 */
import { isBundle } from './bundles.js';
import type { ts as TypeScript } from 'ts-morph';
import type { CodeFile, CodeModel } from './code.js';
import { formatTableName, type ForeignKey, type KeyUse, type Schema } from './schema.js';
import { deletedByCascade } from './key-usage-cascade.js';
import { isTestPath } from './test-paths.js';

/** One builder chain started with a table's name: `knex('t').where(…).del()`. */
interface Chain {
  table: string;
  /** Lower-cased words of the chain's strings and object keys: the columns and tables it names. */
  words: ReadonlySet<string>;
  deletes: boolean;
  /** A clause archlint cannot read (a filter built elsewhere), or the builder is handed on unfinished. */
  opaque: boolean;
}

/** One SQL text. */
interface SqlText {
  words: ReadonlySet<string>;
  /** Tables named after `DELETE FROM`. */
  deletes: ReadonlySet<string>;
  /** Holds a fragment built at run time (`WHERE ${conditions}`): it may compare any column. */
  opaque: boolean;
}

export interface SqlAccess {
  chains: Chain[];
  texts: SqlText[];
  /** A table named at run time (`knex(table)`, `FROM ${table}`): any table may be queried. */
  dynamic: boolean;
  /** A table named by a variable in a tagged template (`sql\`… FROM ${posts}\``): any table, unless Drizzle's. */
  dynamicVariable: boolean;
  /** `auth.admin.deleteUser(…)`: the code deletes Supabase Auth users. */
  deletesAuthUsers: boolean;
}

/** Builder methods whose string argument is a table name. */
const TABLE_METHODS = new Set([
  'from',
  'table',
  'into',
  'selectFrom',
  'deleteFrom',
  'updateTable',
  'insertInto',
  'mergeInto',
  'join',
  'innerJoin',
  'leftJoin',
  'rightJoin',
  'fullJoin',
  'leftOuterJoin',
  'rightOuterJoin',
  'fullOuterJoin',
  'crossJoin',
]);
/** A function called with a table's name: `knex('users')`, `db('users')`, `trx('users')`. */
const BUILDER_FUNCTION = /^(knex|db|trx|tx|database|qb|connection|conn)$|(Knex|Db)$/;
const DELETE_METHODS = new Set(['del', 'delete', 'deleteFrom']);
/** Methods whose first argument names the column compared (a where, a filter, a join condition). */
const FILTER_METHODS =
  /^(where|andWhere|orWhere|whereNot|orWhereNot|where(Not)?In|orWhere(Not)?In|where(Not)?Null|whereRef|whereRaw|whereLike|whereILike|whereBetween|having|on|orOn|andOn|eq|neq|gt|gte|lt|lte|in|is|like|ilike|match|filter|or|not|contains|containedBy|textSearch|(inner|left|right|full|cross)?Join|(left|right|full)OuterJoin)$/;
/** Calls that end a builder: what they return is a result, not a builder another function may filter further. */
const TERMINAL_METHODS =
  /^(then|catch|finally|execute|executeTakeFirst|executeTakeFirstOrThrow|first|single|maybeSingle|csv|del|delete|update|insert|upsert|increment|decrement|pluck|stream)$/;
/** Text that reads like a SQL statement (a lone word such as "select" or "from" in prose does not). */
const SQL_SHAPE =
  /\bselect\b[\s\S]*\bfrom\b|\bdelete\s+from\b|\bupdate\s+[\w."`]+\s+set\b|\binsert\s+into\b|\bjoin\s+[\w."`]+[\s\S]*\bon\b/i;
/** A table named at run time inside SQL text (an insert's target probes no foreign key's index). */
const DYNAMIC_TABLE = /\b(from|join|update)\s+["`]?(\$\{|\$\d|\?\?|%s)/i;
/** …by a variable (`FROM ${posts}`): a Drizzle table in Drizzle's `sql` tag, read by that adapter. */
const VARIABLE_TABLE = /\b(from|join|update)\s+\$\{\s*[\w$]+(\.[\w$]+)?\s*\}/gi;
/** An interpolation that splices SQL text rather than binding a value. */
const RAW_FRAGMENT = /\$\{\s*(\w+\.)?(raw|unsafe|identifier|join|sql\.raw|Prisma\.raw|empty)\b/;
/** Tags whose interpolations bind values (`sql\`… = ${id}\``); an untagged template splices text. */
const VALUE_TAG = /(^|\.)(sql|SQL|raw|query|queryRaw|executeRaw|\$queryRaw|\$executeRaw)$/;

const cache = new WeakMap<CodeModel, SqlAccess>();

/** The table of a chain whose table is named at run time: it may be any. */
const ANY_TABLE = '\u0000any';

/** A file's text shows a table-name builder or SQL text (a cheap test before its tree is read). */
export function mayReadForSqlKeyUse(file: CodeFile): boolean {
  const content = file.text.content;
  return (
    // A table by name or by a variable (`supabase.from(resource)`), not a class's static (`Array.from(x)`,
    // `Buffer.from(…)`: a capitalised receiver). The test decides which trees are kept for the rule (Rule.codeTrees),
    // so a loose one keeps thousands alive for nothing.
    /(?:(?<![\w$])[a-z_$][\w$]*|[)\]])\s*\.\s*(from|table|selectFrom|deleteFrom|updateTable|insertInto)\(\s*['"`a-z_$]/.test(
      content,
    ) ||
    /\b(knex|db|trx|tx)\(\s*['"`\w$]/.test(content) ||
    // SQL text: a string that starts with a statement (prose such as 'Update your profile' or 'with care' does not).
    /['"`]\s*(select\s[^'"`]{0,400}?\bfrom\s|delete\s+from\s|update\s+[\w."]+\s+set\s|insert\s+into\s|with\s+[\w"]+\s+as\s*\()/i.test(
      content,
    )
  );
}

/**
 * `tables`: the bare, lower-cased names of the tables whose keys are asked about. A file whose text names none of
 * them and names no table at run time cannot change an answer, so its syntax tree is not read (reading every file
 * that calls some `.from(…)` kept ~9 MB of code's trees alive on a 13-repository corpus).
 */
export function sqlAccessOf(code: CodeModel, tables: ReadonlySet<string>): SqlAccess {
  let access = cache.get(code);
  if (!access) cache.set(code, (access = gather(code, namesAny(tables))));
  return access;
}

/** Whether a text names one of the tables (as a whole word, any case), or a table at run time. */
function namesAny(tables: ReadonlySet<string>): (content: string) => boolean {
  const escaped = [...tables].filter((t) => t !== '').map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const named = escaped.length > 0 ? new RegExp(`(?<![\\w$])(?:${escaped.join('|')})(?![\\w$])`, 'i') : undefined;
  return (content) =>
    (named?.test(content) ?? false) ||
    RUN_TIME_TABLE.test(content) ||
    DYNAMIC_TABLE.test(content) ||
    RAW_FRAGMENT.test(content);
}

/** A builder given a table by a variable (`supabase.from(resource)`, `knex(table)`): it may be any table. */
const RUN_TIME_TABLE =
  /(?:(?<![\w$])[a-z_$][\w$]*|[)\]])\s*\.\s*(?:from|table|selectFrom|deleteFrom|updateTable|insertInto)\(\s*[a-z_$]|\b(?:knex|db|trx|tx)\(\s*[a-z_$]/;

const words = (text: string): Set<string> => new Set(text.toLowerCase().match(/[a-z_$][\w$]*/g) ?? []);

/** `public.users`, `"users"`, `users as u` → `users`. */
function bareTable(name: string): string {
  const first = name.trim().split(/\s+/)[0] ?? '';
  return first
    .split('.')
    .pop()!
    .replace(/["`[\]]/g, '')
    .toLowerCase();
}

/**
 * A command-line program a person runs (a backfill, a one-off migration script: CodeFile.reach `cli`): its
 * queries, its deletes and the tables it names at run time are not what the service does to its tables, and
 * an index is judged by that workload.
 */
export function byHand(file: CodeFile): boolean {
  return file.reach === 'cli';
}

function gather(code: CodeModel, matters: (content: string) => boolean): SqlAccess {
  const access: SqlAccess = { chains: [], texts: [], dynamic: false, dynamicVariable: false, deletesAuthUsers: false };
  const ts = code.ts;
  for (const file of code.files) {
    // Tests and benchmarks seed and probe tables the application's own queries do not.
    if (isTestPath(file.path) || byHand(file) || !mayReadForSqlKeyUse(file)) continue;
    if (/\.admin\.deleteUser\s*\(/.test(file.text.content)) access.deletesAuthUsers = true;
    // A vendored library or a build's output (yarn's release, swagger-ui's bundle) runs no query of the project's.
    if (!matters(file.text.content) || isBundle(file.path, file.text.content)) continue;
    const tree = file.tree;
    const visit = (node: TypeScript.Node): void => {
      if (ts.isCallExpression(node)) readBuilderCall(ts, node, tree, access);
      if (ts.isStringLiteralLike(node) || ts.isTemplateExpression(node)) readText(ts, node, tree, access);
      ts.forEachChild(node, visit);
    };
    visit(tree);
  }
  return access;
}

/** SQL text in a string or template; a template's interpolations are judged by where they stand. */
function readText(
  ts: typeof TypeScript,
  node: TypeScript.StringLiteralLike | TypeScript.TemplateExpression,
  tree: TypeScript.SourceFile,
  access: SqlAccess,
): void {
  const text = ts.isTemplateExpression(node) ? node.getText(tree) : node.text;
  if (!SQL_SHAPE.test(text)) return;
  const tagged = node.parent !== undefined && ts.isTaggedTemplateExpression(node.parent);
  if (DYNAMIC_TABLE.test(text)) {
    if (tagged && !DYNAMIC_TABLE.test(text.replace(VARIABLE_TABLE, '$1 t'))) access.dynamicVariable = true;
    else access.dynamic = true;
  }
  const tag = tagged ? (node.parent as TypeScript.TaggedTemplateExpression).tag.getText(tree) : '';
  let opaque = false;
  if (ts.isTemplateExpression(node)) opaque = !(tagged && VALUE_TAG.test(tag)) || RAW_FRAGMENT.test(text);
  // `'SELECT … WHERE ' + clause`: the rest is built at run time.
  if (node.parent && ts.isBinaryExpression(node.parent) && node.parent.operatorToken.kind === ts.SyntaxKind.PlusToken)
    opaque = true;
  const deletes = new Set<string>();
  for (const match of text.matchAll(/\bdelete\s+from\s+(?:only\s+)?([\w."`$]+)/gi)) deletes.add(bareTable(match[1]!));
  // A plain insert writes the key's column, it looks nothing up by it: only the table it names counts.
  const insert = /^\s*insert\s+into\s+([\w."`$]+)/i.exec(text);
  const plainInsert = insert !== null && !/\b(select|where|join|on\s+conflict)\b/i.test(text);
  access.texts.push({ words: plainInsert ? new Set([bareTable(insert[1]!)]) : words(text), deletes, opaque });
}

/** A builder call naming a table: `x.from('t')`, `knex('t')`; a non-literal name there is a dynamic table. */
function readBuilderCall(
  ts: typeof TypeScript,
  node: TypeScript.CallExpression,
  tree: TypeScript.SourceFile,
  access: SqlAccess,
): void {
  const callee = node.expression;
  const first = node.arguments[0];
  if (first === undefined) return;
  let method: string | undefined;
  if (ts.isPropertyAccessExpression(callee)) {
    if (!TABLE_METHODS.has(callee.name.text)) return;
    // `Array.from(…)`, `Buffer.from(…)`: a class's static, not a builder.
    if (ts.isIdentifier(callee.expression) && /^[A-Z]/.test(callee.expression.text)) return;
    method = callee.name.text;
  } else if (ts.isIdentifier(callee) && BUILDER_FUNCTION.test(callee.text)) method = '';
  else return;
  // `supabase.storage.from(bucket)`: a storage bucket, not a table.
  if (ts.isPropertyAccessExpression(callee) && /\.storage$|^storage$/.test(callee.expression.getText(tree))) return;
  let table: string;
  if (ts.isStringLiteralLike(first)) table = bareTable(first.text);
  else if (ts.isIdentifier(first) || ts.isPropertyAccessExpression(first) || ts.isTemplateExpression(first)) {
    // `supabase.from(contentType)`, `knex(table)`: a table named at run time, read as a chain on any table.
    if (!['from', 'table', 'selectFrom', 'deleteFrom', 'updateTable', ''].includes(method)) return;
    table = ANY_TABLE;
  } else return;
  // A join names a second table of a chain read from its start.
  if (method.endsWith('oin') || method === 'join') return;
  const top = chainTop(ts, node);
  const found = new Set<string>();
  let opaque = handedOn(ts, top);
  let deletes = method === 'deleteFrom';
  const visit = (child: TypeScript.Node): void => {
    // The rows an insert writes name the key's column without looking anything up by it.
    if (
      ts.isCallExpression(child) &&
      ts.isPropertyAccessExpression(child.expression) &&
      (child.expression.name.text === 'insert' || child.expression.name.text === 'values')
    ) {
      visit(child.expression);
      return;
    }
    if (ts.isStringLiteralLike(child)) for (const word of words(child.text)) found.add(word);
    if (ts.isTemplateExpression(child)) opaque = true;
    if (ts.isPropertyAssignment(child) || ts.isShorthandPropertyAssignment(child)) {
      const name = child.name.getText(tree).replace(/["'`]/g, '');
      for (const word of words(name)) found.add(word);
    }
    if (ts.isSpreadAssignment(child) || ts.isComputedPropertyName(child)) opaque = true;
    if (ts.isCallExpression(child) && ts.isPropertyAccessExpression(child.expression)) {
      const name = child.expression.name.text;
      const argument = child.arguments[0];
      if (FILTER_METHODS.test(name) && argument !== undefined && !readableClause(ts, argument)) opaque = true;
    }
    ts.forEachChild(child, visit);
  };
  visit(top);
  for (const call of spine(ts, top))
    if (ts.isPropertyAccessExpression(call.expression) && DELETE_METHODS.has(call.expression.name.text)) deletes = true;
  access.chains.push({ table, words: found, deletes, opaque });
}

/** The outermost call of the chain the node starts: `knex('t').where(…).del()` from `knex('t')`. */
function chainTop(ts: typeof TypeScript, node: TypeScript.Expression): TypeScript.Expression {
  let current: TypeScript.Expression = node;
  for (;;) {
    const parent = current.parent;
    if (parent && ts.isPropertyAccessExpression(parent) && parent.expression === current) {
      const call = parent.parent;
      if (call && ts.isCallExpression(call) && call.expression === parent) {
        current = call;
        continue;
      }
      current = parent;
      continue;
    }
    if (
      parent &&
      (ts.isNonNullExpression(parent) || ts.isAsExpression(parent) || ts.isParenthesizedExpression(parent))
    ) {
      current = parent as TypeScript.Expression;
      continue;
    }
    return current;
  }
}

/** The calls of the chain below `top`, not those inside their arguments: `del` in `knex('t').where(…).del()`. */
function spine(ts: typeof TypeScript, top: TypeScript.Expression): TypeScript.CallExpression[] {
  const out: TypeScript.CallExpression[] = [];
  let current: TypeScript.Expression = top;
  for (;;) {
    while (ts.isNonNullExpression(current) || ts.isAsExpression(current) || ts.isParenthesizedExpression(current))
      current = current.expression;
    if (ts.isCallExpression(current)) {
      out.push(current);
      current = current.expression;
    } else if (ts.isPropertyAccessExpression(current)) current = current.expression;
    else return out;
  }
}

/**
 * The builder leaves the expression unfinished — kept in a variable, returned or passed on without
 * a call that ends it — so another function may add a filter archlint does not see with it.
 */
function handedOn(ts: typeof TypeScript, top: TypeScript.Expression): boolean {
  const parent = top.parent;
  if (!parent) return false;
  if (ts.isAwaitExpression(parent) || ts.isExpressionStatement(parent) || ts.isVoidExpression(parent)) return false;
  if (ts.isCallExpression(top) && ts.isPropertyAccessExpression(top.expression))
    return !TERMINAL_METHODS.test(top.expression.name.text);
  return true;
}

/** A filter's first argument archlint reads whole: a column's name, an object of columns, a callback read in place. */
function readableClause(ts: typeof TypeScript, node: TypeScript.Expression): boolean {
  return (
    ts.isStringLiteralLike(node) ||
    ts.isObjectLiteralExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    (ts.isArrayLiteralExpression(node) && node.elements.every((e) => ts.isStringLiteralLike(e)))
  );
}

/** The code's SQL-level view of one schema's tables, with what it cannot see (see sqlKeyUse). */
export interface SqlKeyUseContext {
  access: SqlAccess;
  /**
   * Lower-cased words of what may query the database unseen: sources of other languages, SQL files
   * that are not migrations, and TS files declaring ORM models (TypeORM, Sequelize, Drizzle…).
   */
  unseen: ReadonlySet<string>;
  /** SQL the database runs for the code: the bodies of the functions and views the migrations create. */
  texts: readonly SqlText[];
  /** One of those runs SQL built at run time (`EXECUTE format('… %I', …)`). */
  dynamic: boolean;
}

/**
 * The function bodies (`$$ … $$`), views and row-level security policies of a migration: SQL the database runs
 * when the code calls a function (Supabase's `rpc`), reads a view, or reads or writes a table with a policy (its
 * `USING (auth.uid() = user_id)` filters every query of that table by the column). A body that runs SQL built at
 * run time (`EXECUTE`) may name any table.
 */
export function sqlTextsOf(content: string): { texts: SqlText[]; dynamic: boolean } {
  const texts: SqlText[] = [];
  let dynamic = false;
  const bodies = [
    ...[...content.matchAll(/(\$\w*\$)([\s\S]*?)\1/g)].map((match) => match[2]!),
    ...[...content.matchAll(/\bcreate\s+(?:or\s+replace\s+)?(?:materialized\s+)?view\b[^;]*/gi)].map(
      (match) => match[0],
    ),
  ];
  const policies = [...content.matchAll(/\bcreate\s+policy\b[^;]*?\b(?:using|with\s+check)\b[^;]*/gi)].map(
    (match) => match[0],
  );
  for (const body of [...bodies, ...policies]) {
    if (!SQL_SHAPE.test(body) && !policies.includes(body)) continue;
    if (/\bexecute\b/i.test(body)) dynamic = true;
    const deletes = new Set<string>();
    for (const match of body.matchAll(/\bdelete\s+from\s+(?:only\s+)?([\w."`$]+)/gi)) deletes.add(bareTable(match[1]!));
    texts.push({ words: words(body), deletes, opaque: false });
  }
  return { texts, dynamic };
}

/** Words of a table's name an unseen layer may use: `user_features`, `userfeatures`, singular and plural. */
export function spellingsOf(name: string): string[] {
  const lower = name.toLowerCase();
  const folded = lower.replace(/_/g, '');
  const out = new Set<string>();
  for (const base of [lower, folded]) {
    out.add(base);
    out.add(`${base}s`);
    if (base.endsWith('s')) out.add(base.slice(0, -1));
    if (base.endsWith('ies')) out.add(`${base.slice(0, -3)}y`);
    if (base.endsWith('y')) out.add(`${base.slice(0, -1)}ies`);
  }
  return [...out];
}

/** Supabase Auth's users: its server reads and deletes them, the application only through `auth.admin`. */
function isSupabaseAuthUsers(name: string): boolean {
  return name === 'auth.users';
}

/** What the code does with this foreign key, read from its table-name builders and SQL text (see KeyUse). */
export function sqlKeyUse(context: SqlKeyUseContext, schema: Schema, fk: ForeignKey): KeyUse {
  const { access, unseen } = context;
  if (access.dynamic || access.dynamicVariable || context.dynamic) return 'unknown';
  const texts = [...access.texts, ...context.texts];
  const child = fk.table.name.toLowerCase();
  const parentName = formatTableName(fk.references.table).toLowerCase();
  const parent = fk.references.table.name.toLowerCase();
  const authUsers = isSupabaseAuthUsers(parentName);
  const called = (table: string) =>
    access.chains.some((chain) => chain.table === table) || texts.some((text) => text.words.has(table));
  const hidden = (table: string) => spellingsOf(table).some((word) => unseen.has(word));
  if (!called(child) || hidden(child)) return 'unknown';
  if (!authUsers && (!called(parent) || hidden(parent))) return 'unknown';
  // Another table that references the parent and that no query names: a library may handle it, and
  // delete parent rows through it unseen.
  for (const table of schema.tables)
    if (
      table.foreignKeys.some((other) => formatTableName(other.references.table).toLowerCase() === parentName) &&
      (!called(table.name.name.toLowerCase()) || hidden(table.name.name.toLowerCase()))
    )
      return 'unknown';
  const columns = fk.columns.map((column) => column.toLowerCase());
  const queried =
    access.chains.some(
      (chain) =>
        ((chain.table === child || chain.table === ANY_TABLE) &&
          (chain.opaque || columns.some((c) => chain.words.has(c)) || chain.words.has(parent))) ||
        (chain.table === parent && chain.words.has(child)),
    ) ||
    texts.some((text) => text.words.has(child) && (text.opaque || columns.some((column) => text.words.has(column))));
  if (queried) return 'queried';
  const deletedDirectly = (table: string): boolean => {
    const bare = table.split('.').pop()!;
    if (table === 'auth.users') return access.deletesAuthUsers || texts.some((t) => t.deletes.has(bare));
    return (
      access.chains.some((chain) => (chain.table === bare || chain.table === ANY_TABLE) && chain.deletes) ||
      texts.some((text) => text.deletes.has(bare))
    );
  };
  return deletedByCascade(schema, deletedDirectly).has(parentName) ? 'parent-deleted' : 'idle';
}
