/**
 * One Kysely migration (`export async function up(db: Kysely<any>)`) as schema events, read from
 * the syntax tree (the migration is never run): the `db.schema` builders of `up()` in source order —
 * `createTable(…).addColumn(name, type, (col) => col.primaryKey().references('t.c').onDelete(…)
 * .notNull()).addPrimaryKeyConstraint/addUniqueConstraint/addForeignKeyConstraint(…)`,
 * `alterTable(…)` with addColumn, dropColumn, renameColumn, alterColumn, add…Constraint,
 * dropConstraint, addIndex, dropIndex and renameTo, `createIndex(…).on(…).columns([…])`,
 * `dropIndex`, `dropTable`, `withSchema` — and where its raw SQL sits (`` sql`…`.execute(db) ``,
 * `sql.raw('…').execute(db)`), for the SQL reader to parse in place. A transaction's `trx` is the
 * migration's `db` too. A builder whose names or types are not literals is not read (`unread`).
 */
import type { ts as TypeScript } from 'ts-morph';
import type { Origin } from '../../../model/finding.js';
import type {
  ColumnDefinition,
  ColumnType,
  ConstraintDefinition,
  IndexDefinition,
  SchemaEvent,
  SqlDialect,
  TableName,
} from '../../../model/schema.js';
import { chainFrom, CHANGES_TABLES, type BuilderMigration } from './builder-migrations.js';
import {
  type BuilderContext,
  migrationContext,
  origin,
  qualified,
  tableName,
  text,
  uncertain,
} from './builder-context.js';
import { literalSql } from './js-escapes.js';
import { sqlTypeName } from './sql-type-name.js';
import { referentialAction, unwrap } from './ts-syntax.js';
import { declaredTableEvents } from './table-events.js';

type Ts = typeof TypeScript;
type Link = ReturnType<typeof chainFrom>['calls'][number];

export function readKyselyMigration(
  ts: Ts,
  path: string,
  sourceFile: TypeScript.SourceFile,
  dialect: SqlDialect,
): BuilderMigration | undefined {
  const migration = migrationContext(ts, path, sourceFile, dialect);
  if (!migration) return undefined;
  const { c } = migration;
  const db = new Set([migration.builder]);
  const visit = (node: TypeScript.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && db.has(node.expression.text)) {
      if (node.name.text === 'schema') readSchemaChain(c, node);
      // `db.transaction().execute(async (trx) => { … })`
      else if (node.name.text === 'transaction' && node.parent && ts.isCallExpression(node.parent)) {
        const link = chainFrom(ts, node.parent).calls.find((l) => l.method === 'execute');
        const callback = link?.call.arguments[0] && unwrap(ts, link.call.arguments[0]);
        const param =
          callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))
            ? callback.parameters[0]?.name
            : undefined;
        if (param && ts.isIdentifier(param)) db.add(param.text);
      }
    }
    // `` sql`CREATE INDEX …`.execute(db) ``, `sql.raw('…').execute(db)`
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === 'execute' &&
      node.parent &&
      ts.isCallExpression(node.parent)
    )
      rawSql(c, unwrap(ts, node.expression));
    ts.forEachChild(node, visit);
  };
  visit(migration.body);
  return c.out;
}

function rawSql(c: BuilderContext, expression: TypeScript.Expression): void {
  const { ts } = c;
  let literal: TypeScript.Expression | undefined;
  if (ts.isTaggedTemplateExpression(expression) && ts.isIdentifier(expression.tag) && expression.tag.text === 'sql')
    literal = expression.template;
  else if (
    ts.isCallExpression(expression) &&
    ts.isPropertyAccessExpression(expression.expression) &&
    expression.expression.name.text === 'raw' &&
    ts.isIdentifier(expression.expression.expression) &&
    expression.expression.expression.text === 'sql'
  )
    literal = expression.arguments[0] && unwrap(ts, expression.arguments[0]);
  else return;
  if (literal && (ts.isNoSubstitutionTemplateLiteral(literal) || ts.isStringLiteral(literal)))
    c.out.sqlStrings.push(literalSql(c.sourceFile, literal));
  else if (literal && CHANGES_TABLES.test(literal.getText(c.sourceFile))) uncertain(c, expression);
  else c.out.unread++;
}

/** `db.schema.withSchema('s').createTable('t').addColumn(…)….execute()`. */
function readSchemaChain(c: BuilderContext, root: TypeScript.PropertyAccessExpression): void {
  const { ts } = c;
  const { calls } = chainFrom(ts, root);
  let schema: string | undefined;
  let i = 0;
  for (; i < calls.length && calls[i]!.method === 'withSchema'; i++) schema = text(c, calls[i]!.call.arguments[0]);
  const head = calls[i];
  if (!head) return;
  const rest = calls.slice(i + 1);
  const at = origin(c, head.name, head.call);
  const statementOrigin = origin(c, head.name, calls[calls.length - 1]!.call);
  const arg0 = head.call.arguments[0];
  switch (head.method) {
    case 'createTable': {
      const table = tableName(c, arg0, schema);
      if (!table) return void c.out.unread++;
      return createTable(c, table, rest, at);
    }
    case 'alterTable': {
      const table = tableName(c, arg0, schema);
      if (!table) return uncertain(c, head.call);
      const unread = c.out.unread;
      alterTable(c, table, rest);
      // A change of this table that could not be read: the table is not fully known after it.
      if (c.out.unread > unread) c.out.uncertainAt.push(head.name.getStart(c.sourceFile));
      return;
    }
    case 'dropTable': {
      const table = tableName(c, arg0, schema);
      if (!table) return uncertain(c, head.call);
      return void c.out.events.push({
        kind: 'drop-table',
        table,
        ifExists: rest.some((l) => l.method === 'ifExists'),
        origin: statementOrigin,
      });
    }
    case 'createIndex': {
      const index = indexOf(c, text(c, arg0), rest, schema, statementOrigin);
      if (!index) return uncertain(c, head.call);
      return void c.out.events.push({ kind: 'create-index', index, origin: statementOrigin });
    }
    case 'dropIndex': {
      const name = text(c, arg0);
      if (name === undefined) return uncertain(c, head.call);
      const on = rest.find((l) => l.method === 'on');
      const table = on ? tableName(c, on.call.arguments[0], schema) : undefined;
      return void c.out.events.push({
        kind: 'drop-index',
        name,
        ...(schema ? { schema } : {}),
        ...(table ? { table } : {}),
        ifExists: rest.some((l) => l.method === 'ifExists'),
        origin: statementOrigin,
      });
    }
  }
}

function createTable(c: BuilderContext, table: TableName, links: Link[], at: Origin): void {
  const columns: ColumnDefinition[] = [];
  const constraints: ConstraintDefinition[] = [];
  let partlyKnown = false;
  for (const link of links) {
    if (link.method === 'addColumn') {
      const column = columnOf(c, link);
      if (!column) {
        partlyKnown = true;
        c.out.unread++;
        continue;
      }
      columns.push(column.definition);
      if (column.primary)
        constraints.push({ kind: 'primary-key', columns: [column.definition.name], origin: column.definition.origin });
    } else if (CONSTRAINTS.has(link.method)) {
      const constraint = constraintOf(c, link);
      if (constraint) constraints.push(constraint);
      else {
        partlyKnown = true;
        c.out.unread++;
      }
    }
  }
  const ifNotExists = links.some((l) => l.method === 'ifNotExists');
  c.out.events.push(...declaredTableEvents({ table, columns, constraints, ifNotExists, partlyKnown, origin: at }));
}

const CONSTRAINTS = new Set(['addPrimaryKeyConstraint', 'addUniqueConstraint', 'addForeignKeyConstraint']);

function alterTable(c: BuilderContext, table: TableName, links: Link[]): void {
  const push = (event: SchemaEvent) => c.out.events.push(event);
  for (const link of links) {
    const at = origin(c, link.name, link.call);
    const args = link.call.arguments;
    switch (link.method) {
      case 'addColumn': {
        const column = columnOf(c, link);
        if (!column) c.out.unread++;
        else {
          push({ kind: 'add-column', table, column: column.definition, ifNotExists: false, origin: at });
          if (column.primary)
            push({
              kind: 'add-constraint',
              table,
              constraint: { kind: 'primary-key', columns: [column.definition.name], origin: at },
              origin: at,
            });
        }
        break;
      }
      case 'dropColumn': {
        const name = text(c, args[0]);
        if (name === undefined) c.out.unread++;
        else push({ kind: 'drop-column', table, column: name, origin: at });
        break;
      }
      case 'renameColumn': {
        const [from, to] = [text(c, args[0]), text(c, args[1])];
        if (from === undefined || to === undefined) c.out.unread++;
        else push({ kind: 'rename-column', table, from, to, origin: at });
        break;
      }
      case 'alterColumn': {
        const name = text(c, args[0]);
        const steps = args[1] ? builderCalls(c, args[1]) : undefined;
        if (name === undefined || !steps) {
          c.out.unread++;
          break;
        }
        const typed = steps.find((s) => s.method === 'setDataType');
        const type = typed ? typeOf(c, typed.call.arguments[0]) : undefined;
        const nullable = steps.some((s) => s.method === 'setNotNull')
          ? false
          : steps.some((s) => s.method === 'dropNotNull')
            ? true
            : undefined;
        if (type || nullable !== undefined)
          push({
            kind: 'alter-column',
            table,
            column: name,
            ...(type ? { type } : {}),
            ...(nullable !== undefined ? { nullable } : {}),
            origin: at,
          });
        break;
      }
      case 'modifyColumn': {
        const column = columnOf(c, link);
        if (!column) c.out.unread++;
        else
          push({
            kind: 'alter-column',
            table,
            column: column.definition.name,
            type: column.definition.type,
            nullable: column.definition.nullable,
            origin: at,
          });
        break;
      }
      case 'addPrimaryKeyConstraint':
      case 'addUniqueConstraint':
      case 'addForeignKeyConstraint': {
        const constraint = constraintOf(c, link);
        if (!constraint) c.out.unread++;
        else push({ kind: 'add-constraint', table, constraint, origin: at });
        break;
      }
      // `addForeignKeyConstraint(…).onDelete('set null')`: of the key just added.
      case 'onDelete': {
        const last = c.out.events[c.out.events.length - 1];
        if (last?.kind === 'add-constraint' && last.constraint.kind === 'foreign-key') {
          const written = text(c, args[0]);
          const action = written === undefined ? undefined : referentialAction(written);
          if (action) last.constraint.onDelete = action;
          else delete last.constraint.onDelete;
        }
        break;
      }
      case 'dropConstraint': {
        const name = text(c, args[0]);
        if (name === undefined) c.out.unread++;
        else push({ kind: 'drop-constraint', table, name, origin: at });
        break;
      }
      case 'addIndex': {
        const index = indexOf(c, text(c, args[0]), links.slice(links.indexOf(link) + 1), undefined, at, table);
        if (!index) c.out.unread++;
        else push({ kind: 'create-index', index, origin: at });
        // The rest of the chain configures this index.
        return;
      }
      case 'dropIndex': {
        const name = text(c, args[0]);
        if (name === undefined) c.out.unread++;
        else push({ kind: 'drop-index', name, table, ifExists: false, origin: at });
        break;
      }
      case 'renameTo': {
        const to = tableName(c, args[0], table.schema);
        if (!to) c.out.unread++;
        else push({ kind: 'rename-table', table, to, origin: at });
        break;
      }
    }
  }
}

/** `createIndex('i').on('t').columns(['a', 'b']).unique().using('gin').where(…)`. */
function indexOf(
  c: BuilderContext,
  name: string | undefined,
  links: Link[],
  schema: string | undefined,
  at: Origin,
  onTable?: TableName,
): IndexDefinition | undefined {
  let table = onTable;
  const columns: Array<string | null> = [];
  let unique = false;
  let partial = false;
  let method: string | undefined;
  const notNull: Array<string | undefined> = [];
  for (const link of links) {
    const args = link.call.arguments;
    if (link.method === 'on' && !onTable) table = tableName(c, args[0], schema);
    else if (link.method === 'column') columns.push(columnName(text(c, args[0])) ?? null);
    else if (link.method === 'columns') {
      const list = args[0] && unwrap(c.ts, args[0]);
      if (!list || !c.ts.isArrayLiteralExpression(list)) return undefined;
      for (const element of list.elements) columns.push(columnName(text(c, element)) ?? null);
    } else if (link.method === 'expression') columns.push(null);
    else if (link.method === 'unique') unique = true;
    else if (link.method === 'where') {
      partial = true;
      // `.where('a', 'is not', null)`: serves an equality lookup on `a` like a full index.
      if (
        link.call.arguments.length === 3 &&
        text(c, link.call.arguments[1])?.toLowerCase() === 'is not' &&
        unwrap(c.ts, link.call.arguments[2]!).kind === c.ts.SyntaxKind.NullKeyword
      )
        notNull.push(text(c, link.call.arguments[0]));
      else notNull.push(undefined);
    } else if (link.method === 'using') method = text(c, args[0])?.toLowerCase();
  }
  if (!table || columns.length === 0) return undefined;
  const where = links.filter((l) => l.method === 'where');
  return {
    ...(name ? { name } : {}),
    table,
    columns,
    unique,
    partial,
    // Compared, never shown: two indexes with the same `where` calls serve the same rows.
    ...(partial
      ? {
          predicate: `kysely:${where
            .map((l) => l.call.arguments.map((a) => a.getText()).join(','))
            .join('&')
            .replace(/\s+/g, '')}`,
        }
      : {}),
    ...(notNull.length > 0 && notNull.every((n) => n !== undefined) ? { predicateNotNull: notNull as string[] } : {}),
    ...(method && method !== 'btree' ? { method } : {}),
    ifNotExists: links.some((l) => l.method === 'ifNotExists'),
    concurrently: false,
    origin: at,
  };
}

/** `'a'`, `'a desc'` → `a`. */
function columnName(written: string | undefined): string | undefined {
  return written?.replace(/\s+(?:asc|desc)\s*$/i, '').trim();
}

/** `addColumn('id', 'uuid', (col) => col.primaryKey().references('users.id').onDelete('cascade').notNull())`. */
function columnOf(c: BuilderContext, link: Link): { definition: ColumnDefinition; primary: boolean } | undefined {
  const [nameArg, typeArg, builder] = link.call.arguments;
  const name = text(c, nameArg);
  const type = typeOf(c, typeArg);
  if (name === undefined || !type) return undefined;
  const at = origin(c, link.name, link.call);
  const steps = builder ? builderCalls(c, builder) : [];
  if (!steps) return undefined;
  let nullable = true;
  let primary = false;
  const constraints: ConstraintDefinition[] = [];
  let fk: ConstraintDefinition | undefined;
  for (const step of steps) {
    const args = step.call.arguments;
    if (step.method === 'notNull') nullable = false;
    else if (step.method === 'primaryKey') primary = true;
    else if (step.method === 'unique') constraints.push({ kind: 'unique', columns: [], origin: at });
    else if (step.method === 'references') {
      const target = text(c, args[0]);
      const dot = target?.lastIndexOf('.') ?? -1;
      if (target === undefined || dot <= 0) return undefined;
      fk = {
        kind: 'foreign-key',
        columns: [],
        references: { table: qualified(c, target.slice(0, dot)), columns: [target.slice(dot + 1)] },
        onDelete: 'no-action',
        origin: at,
      };
      constraints.push(fk);
    } else if (step.method === 'onDelete' && fk) {
      const written = text(c, args[0]);
      const action = written === undefined ? undefined : referentialAction(written);
      if (action) fk.onDelete = action;
      else delete fk.onDelete;
    }
  }
  if (primary || /^(?:small|big)?serial$/.test(type.name)) nullable = false;
  return { definition: { name, type, nullable, constraints, origin: at }, primary };
}

/** `addPrimaryKeyConstraint(name, cols)`, `addUniqueConstraint(name, cols)`, `addForeignKeyConstraint(name, cols, table, refCols, (cb) => cb.onDelete(…))`. */
function constraintOf(c: BuilderContext, link: Link): ConstraintDefinition | undefined {
  const args = link.call.arguments;
  const name = text(c, args[0]);
  const columns = list(c, args[1]);
  if (!columns) return undefined;
  const at = origin(c, link.name, link.call);
  const base = { columns, ...(name !== undefined ? { name } : {}), origin: at };
  if (link.method === 'addPrimaryKeyConstraint') return { kind: 'primary-key', ...base };
  if (link.method === 'addUniqueConstraint') return { kind: 'unique', ...base };
  const target = text(c, args[2]);
  const referenced = list(c, args[3]);
  if (target === undefined || !referenced) return undefined;
  const steps = args[4] ? builderCalls(c, args[4]) : [];
  if (!steps) return undefined;
  let onDelete: ConstraintDefinition['onDelete'] = 'no-action';
  for (const step of steps) {
    if (step.method !== 'onDelete') continue;
    const written = text(c, step.call.arguments[0]);
    onDelete = written === undefined ? undefined : referentialAction(written);
  }
  return {
    kind: 'foreign-key',
    ...base,
    references: { table: qualified(c, target), columns: referenced },
    ...(onDelete ? { onDelete } : {}),
  };
}

/** The calls a builder callback makes on its parameter: `(col) => col.notNull().primaryKey()`; `undefined` when it is not such a callback. */
function builderCalls(c: BuilderContext, expression: TypeScript.Expression): Link[] | undefined {
  const { ts } = c;
  const fn = unwrap(ts, expression);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const param = fn.parameters[0]?.name;
  if (!param || !ts.isIdentifier(param)) return fn.parameters.length === 0 ? [] : undefined;
  let body: TypeScript.Node = fn.body;
  if (ts.isBlock(body)) {
    const returned = body.statements.find(ts.isReturnStatement);
    if (!returned?.expression) return [];
    body = returned.expression;
  }
  let root: TypeScript.Node = body;
  while (ts.isCallExpression(root) || ts.isPropertyAccessExpression(root) || ts.isParenthesizedExpression(root))
    root = root.expression;
  if (!ts.isIdentifier(root) || root.text !== param.text) return [];
  return chainFrom(ts, root).calls;
}

/** `'uuid'`, `'varchar(255)'`, `` sql`text[]` ``. */
function typeOf(c: BuilderContext, expression: TypeScript.Expression | undefined): ColumnType | undefined {
  const { ts } = c;
  const e = expression && unwrap(ts, expression);
  if (!e) return undefined;
  let written = text(c, e);
  if (
    written === undefined &&
    ts.isTaggedTemplateExpression(e) &&
    ts.isIdentifier(e.tag) &&
    e.tag.text === 'sql' &&
    ts.isNoSubstitutionTemplateLiteral(e.template)
  )
    written = e.template.text;
  if (written === undefined) return undefined;
  return { name: sqlTypeName(written.trim()), array: /\[\]\s*$/.test(written) };
}

function list(c: BuilderContext, expression: TypeScript.Expression | undefined): string[] | undefined {
  const e = expression && unwrap(c.ts, expression);
  if (!e || !c.ts.isArrayLiteralExpression(e)) return undefined;
  const names = e.elements.map((element) => text(c, element));
  return names.length > 0 && names.every((n) => n !== undefined) ? (names as string[]) : undefined;
}
