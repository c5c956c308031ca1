/**
 * One knex migration (`exports.up = (knex) => knex.schema.createTable('t', (table) => { … })`) as
 * schema events, read from the syntax tree (the migration is never run): the `knex.schema` chains
 * of `up()` in source order — createTable[IfNotExists], alterTable/table, dropTable[IfExists],
 * renameTable, withSchema, raw — and inside a table callback (knex-table.ts) the column builders (`integer`,
 * `uuid`, `increments`, `timestamps`, …) with their modifiers (`primary`, `unique`, `index`,
 * `references().inTable().onDelete()`, `notNullable`, `alter`) and the table's keys (`primary`,
 * `unique`, `index`, `foreign`, `dropForeign`, `dropIndex`, `dropUnique`, `dropColumn`, …), with
 * knex's own default names (`<table>_<columns>_index|unique|foreign`) so a later drop by columns
 * finds them. `knex.raw('…')` and `knex.schema.raw('…')` statements are left for the SQL reader
 * (their offsets); a transaction's `trx` is the migration's knex too. A call whose names are not
 * literals (or constants of the file) is not read: `unread` counts it.
 */
import type { ts as TypeScript } from 'ts-morph';
import type { Origin } from '../../../model/finding.js';
import type { SqlDialect, TableName } from '../../../model/schema.js';
import {
  chainFrom,
  CHANGES_TABLES,
  filledTemplate,
  isStatementCall,
  loopValues,
  type BuilderMigration,
} from './builder-migrations.js';
import {
  type BuilderContext,
  defaultSchema,
  migrationContext,
  origin,
  qualified,
  tableName,
  text,
  uncertain,
} from './builder-context.js';
import { alterTable, createTable } from './knex-table.js';
import { literalSql } from './js-escapes.js';
import { unwrap } from './ts-syntax.js';

type Ts = typeof TypeScript;
type Call = TypeScript.CallExpression;

export function readKnexMigration(
  ts: Ts,
  path: string,
  sourceFile: TypeScript.SourceFile,
  dialect: SqlDialect,
): BuilderMigration | undefined {
  const migration = migrationContext(ts, path, sourceFile, dialect);
  if (!migration) return undefined;
  const { c } = migration;
  const knex = new Set([migration.builder]);
  const visit = (node: TypeScript.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && knex.has(node.expression.text)) {
      const parent = node.parent;
      const call = parent && ts.isCallExpression(parent) && parent.expression === node ? parent : undefined;
      if (node.name.text === 'schema') readSchemaChain(c, node);
      // `knex.transaction(async (trx) => { await trx.schema… })`
      else if (node.name.text === 'transaction' && call) {
        const callback = call.arguments[0] && unwrap(ts, call.arguments[0]);
        const param =
          callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))
            ? callback.parameters[0]?.name
            : undefined;
        if (param && ts.isIdentifier(param)) knex.add(param.text);
      } else if (node.name.text === 'raw' && call && isStatementCall(ts, call)) rawSql(c, call);
    }
    ts.forEachChild(node, visit);
  };
  visit(migration.body);
  return c.out;
}

/** `knex.raw('CREATE INDEX …')`: the SQL, when it is a literal without bindings. */
function rawSql(c: BuilderContext, call: Call): void {
  const { ts } = c;
  const sql = call.arguments[0] && unwrap(ts, call.arguments[0]);
  if (!sql) return;
  // Bindings (`?`, `??`, `:name`) are filled in before the database sees the query.
  if (call.arguments.length > 1) return uncertainRaw(c, call, sql);
  if (ts.isStringLiteral(sql) || ts.isNoSubstitutionTemplateLiteral(sql))
    return void c.out.sqlStrings.push(literalSql(c.sourceFile, sql));
  // `` `CREATE INDEX … ON ${TABLE} (…)` `` with TABLE a constant of the file: read with it filled in.
  const filled = ts.isTemplateExpression(sql) ? filledTemplate(ts, c.sourceFile, sql, c.constants) : undefined;
  if (filled) c.out.sqlStrings.push(filled);
  else uncertainRaw(c, call, sql);
}

/** Raw SQL archlint cannot read (built from variables, or with bindings): DDL in it may touch any table. */
function uncertainRaw(c: BuilderContext, call: Call, sql: TypeScript.Expression): void {
  c.out.unread++;
  if (CHANGES_TABLES.test(sql.getText(c.sourceFile))) c.out.uncertainAt.push(call.getStart(c.sourceFile));
}

/** `knex.schema.withSchema('s').createTable(…).raw(…)`. */
function readSchemaChain(c: BuilderContext, root: TypeScript.PropertyAccessExpression): void {
  const { ts } = c;
  let schema: string | undefined;
  for (const { method, call, name } of chainFrom(ts, root).calls) {
    const args = call.arguments;
    const at = origin(c, name, call);
    if (method === 'withSchema') {
      schema = text(c, args[0]);
      if (schema === undefined) return uncertain(c, call);
      continue;
    }
    if (method === 'raw') {
      rawSql(c, call);
      continue;
    }
    if (!SCHEMA_METHODS.has(method)) continue;
    const tables = tableNames(c, args[0], schema);
    if (!tables) {
      // A table named at run time: an alteration, drop or rename of it may touch any table.
      if (method === 'createTable' || method === 'createTableIfNotExists') c.out.unread++;
      else uncertain(c, call);
      continue;
    }
    for (const table of tables) readSchemaCall(c, method, table, call, at, schema);
  }
}

function readSchemaCall(
  c: BuilderContext,
  method: string,
  table: TableName,
  call: Call,
  at: Origin,
  schema: string | undefined,
): void {
  const args = call.arguments;
  switch (method) {
    case 'createTable':
    case 'createTableIfNotExists':
      createTable(c, table, args[1], at, method === 'createTableIfNotExists');
      break;
    case 'alterTable':
    case 'table':
      alterTable(c, table, args[1], call);
      break;
    case 'dropTable':
    case 'dropTableIfExists':
      c.out.events.push({ kind: 'drop-table', table, ifExists: method === 'dropTableIfExists', origin: at });
      break;
    case 'renameTable': {
      const to = tableName(c, args[1], schema);
      if (to) c.out.events.push({ kind: 'rename-table', table, to, origin: at });
      else uncertain(c, call);
      break;
    }
  }
}

const SCHEMA_METHODS = new Set([
  'createTable',
  'createTableIfNotExists',
  'alterTable',
  'table',
  'dropTable',
  'dropTableIfExists',
  'renameTable',
]);

/**
 * The tables a name stands for: one when written literally; each of a list when it is the variable
 * of a loop over a constant array (`for (const t of ['a', 'b'])`, `for (const { name } of TABLES)`).
 */
function tableNames(
  c: BuilderContext,
  expression: TypeScript.Expression | undefined,
  schema: string | undefined,
): TableName[] | undefined {
  const one = tableName(c, expression, schema);
  if (one) return [one];
  const { ts } = c;
  const e = expression && unwrap(ts, expression);
  if (!e || !ts.isIdentifier(e)) return undefined;
  const values = loopValues(ts, c.sourceFile, e, c.constants);
  if (!values) return undefined;
  return values.map((value) => (schema ? defaultSchema(c, { schema, name: value }) : qualified(c, value)));
}
