/**
 * PostgreSQL parse trees (libpg-query) → schema events: CREATE/ALTER/DROP TABLE, CREATE/DROP INDEX,
 * RENAME, and the statements inside `DO $$ … $$` blocks (found by PL/pgSQL's own parser). Only the
 * statement types in TRANSLATORS get a tree; any other statement only has to parse.
 */
import type {
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  Constraint,
  CreateStmt,
  DoStmt,
  DropStmt,
  IndexStmt,
  Node,
  RangeVar,
  RenameStmt,
  TypeName,
} from 'libpg-query';
import type {
  ColumnDefinition,
  ColumnType,
  ConstraintDefinition,
  IndexDefinition,
  ReferentialAction,
  SchemaEvent,
  TableName,
} from '../../model/schema.js';
import { defaultIndexName } from './names.js';
import type { PgParser } from './pg-wasm.js';
import { StatementSource } from './source.js';
import { isMaskedName } from './templates.js';

/** The statement of a node of type T (`Node` is a union of `{ CreateStmt: CreateStmt }`-like objects). */
type StatementOf<T extends string> = Extract<Node, Record<T, unknown>>[T & keyof Extract<Node, Record<T, unknown>>];
type Translator<T extends string> = (
  stmt: StatementOf<T>,
  source: StatementSource,
  events: SchemaEvent[],
  parser: PgParser,
) => void;

/**
 * The statement types that change the schema model, and what each becomes. Any other statement
 * only has to parse: the parser is told so (`translated`) and builds no tree for it.
 */
const TRANSLATORS: {
  [T in 'DoStmt' | 'CreateStmt' | 'AlterTableStmt' | 'IndexStmt' | 'DropStmt' | 'RenameStmt']: Translator<T>;
} = {
  DoStmt: doBlock,
  CreateStmt: (stmt, source, events) => createTable(stmt, source, events),
  AlterTableStmt: (stmt, source, events) => alterTable(stmt, source, events),
  IndexStmt: (stmt, source, events) => createIndex(stmt, source, events),
  DropStmt: (stmt, source, events) => drop(stmt, source, events),
  RenameStmt: (stmt, source, events) => rename(stmt, source, events),
};

export const translated = (nodeType: string): boolean => Object.hasOwn(TRANSLATORS, nodeType);

export function translate(node: Node, source: StatementSource, events: SchemaEvent[], parser: PgParser): void {
  for (const [type, stmt] of Object.entries(node)) {
    if (translated(type))
      (TRANSLATORS[type as keyof typeof TRANSLATORS] as Translator<string>)(stmt as never, source, events, parser);
  }
}

/**
 * `DO $$ BEGIN … ALTER TABLE … ADD CONSTRAINT …; EXCEPTION WHEN duplicate_object THEN null; END $$`:
 * the idiom for "create it unless it exists". PL/pgSQL's own parser finds the SQL statements in the
 * block; each is parsed and applied as if written outside it (conditions and handlers are about
 * re-running the migration, not about whether the change is meant).
 */
function doBlock(stmt: DoStmt, source: StatementSource, events: SchemaEvent[], parser: PgParser): void {
  const item = (stmt.args ?? []).find((arg) => 'DefElem' in arg && arg.DefElem.defname === 'as');
  const element = item && 'DefElem' in item ? item.DefElem : undefined;
  const body = element?.arg && 'String' in element.arg ? element.arg.String.sval : undefined;
  if (!element || body === undefined) return;
  const quoteAt = source.fromByte(element.location ?? 0);
  const tag = /^\$[A-Za-z_0-9]*\$/.exec(source.content.slice(quoteAt, quoteAt + 64))?.[0];
  if (!tag) return;
  const bodyStart = quoteAt + tag.length;
  let functions: unknown;
  try {
    functions = parser.parsePlPgSql(
      `CREATE FUNCTION archlint_do() RETURNS void LANGUAGE plpgsql AS $archlint$${body}$archlint$`,
    );
  } catch {
    return; // PostgreSQL reports errors in a DO body only when it runs; so do we (not at all).
  }
  let cursor = 0;
  for (const query of embeddedQueries(functions)) {
    let at = body.indexOf(query, cursor);
    if (at < 0) at = body.indexOf(query);
    if (at < 0) continue;
    cursor = at + query.length;
    const inner = new StatementSource(source.file, source.content, bodyStart + at, bodyStart + at + query.length);
    try {
      const result = parser.parse(inner.text, translated);
      for (const raw of result.stmts ?? []) if (raw.stmt) translate(raw.stmt, inner, events, parser);
    } catch {
      // Not a statement on its own (e.g. a fragment of dynamic SQL): nothing to apply.
    }
  }
}

/** The SQL statements (`PLpgSQL_stmt_execsql`, constant `EXECUTE '…'`) of a PL/pgSQL parse tree, in source order. */
function embeddedQueries(tree: unknown): string[] {
  const out: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    const execsql = record.PLpgSQL_stmt_execsql as { sqlstmt?: { PLpgSQL_expr?: { query?: unknown } } } | undefined;
    const query = execsql?.sqlstmt?.PLpgSQL_expr?.query;
    if (typeof query === 'string') out.push(query);
    // `EXECUTE 'ALTER INDEX "a" RENAME TO "b"'`: dynamic SQL that is one constant string is a statement
    // like any other (built strings — `format(…)`, concatenations — are not knowable and are left out).
    const dynamic = record.PLpgSQL_stmt_dynexecute as { query?: { PLpgSQL_expr?: { query?: unknown } } } | undefined;
    const constant = dynamic?.query?.PLpgSQL_expr?.query;
    const literal = typeof constant === 'string' ? /^'((?:[^']|'')*)'$/.exec(constant.trim())?.[1] : undefined;
    if (literal !== undefined && !literal.includes("''")) out.push(literal);
    for (const child of Object.values(record)) visit(child);
  };
  visit(tree);
  return out;
}

function createTable(stmt: CreateStmt, source: StatementSource, events: SchemaEvent[]): void {
  // Temporary tables vanish with the session: not part of the schema.
  if (!stmt.relation || stmt.relation.relpersistence === 't') return;
  const table = tableName(stmt.relation);
  const columns: ColumnDefinition[] = [];
  const constraints: ConstraintDefinition[] = [];
  const indexes: IndexDefinition[] = [];
  for (const element of stmt.tableElts ?? []) {
    const inline = 'ColumnDef' in element ? inlineIndexColumn(element.ColumnDef, table, source) : undefined;
    if (inline) {
      indexes.push(inline);
    } else if ('ColumnDef' in element) {
      const column = columnDefinition(element.ColumnDef, source);
      if (column) columns.push(column);
    } else if ('Constraint' in element) {
      const constraint = constraintDefinition(element.Constraint, source);
      if (constraint) constraints.push(constraint);
    }
  }
  events.push({
    kind: 'create-table',
    table,
    columns,
    constraints,
    indexes,
    ifNotExists: stmt.if_not_exists === true,
    inherits: (stmt.inhRelations?.length ?? 0) > 0 || stmt.partbound !== undefined || stmt.ofTypename !== undefined,
    origin: source.headThrough(source.fromByte(stmt.relation.location ?? 0)),
  });
}

/**
 * `INDEX tasks_project_idx (project_id)` inside a PostgreSQL CREATE TABLE parses — as a column named
 * "index" whose type is `tasks_project_idx` with a column reference as its modifier. No real type
 * takes a column as a modifier, so this is the MySQL inline index its author meant.
 */
function inlineIndexColumn(def: ColumnDef, table: TableName, source: StatementSource): IndexDefinition | undefined {
  if (def.colname !== 'index' && def.colname !== 'key') return undefined;
  const names = strings(def.typeName?.names);
  const modifiers = def.typeName?.typmods ?? [];
  const columns = modifiers.flatMap((node) => ('ColumnRef' in node ? strings(node.ColumnRef.fields) : []));
  if (names.length !== 1 || modifiers.length === 0 || columns.length !== modifiers.length) return undefined;
  return {
    name: names[0]!,
    table,
    columns,
    unique: false,
    partial: false,
    ifNotExists: false,
    concurrently: false,
    origin: source.lineFrom(source.fromByte(def.location ?? 0)),
  };
}

function alterTable(stmt: AlterTableStmt, source: StatementSource, events: SchemaEvent[]): void {
  if (!stmt.relation || (stmt.objtype !== undefined && stmt.objtype !== 'OBJECT_TABLE')) return;
  const table = tableName(stmt.relation);
  for (const item of stmt.cmds ?? []) {
    if (!('AlterTableCmd' in item)) continue;
    const event = alterCommand(table, item.AlterTableCmd, source);
    if (event) events.push(event);
  }
}

function alterCommand(table: TableName, cmd: AlterTableCmd, source: StatementSource): SchemaEvent | undefined {
  const def = cmd.def;
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const column = def && 'ColumnDef' in def ? columnDefinition(def.ColumnDef, source) : undefined;
      return (
        column && { kind: 'add-column', table, column, ifNotExists: cmd.missing_ok === true, origin: column.origin }
      );
    }
    case 'AT_DropColumn':
      return cmd.name ? { kind: 'drop-column', table, column: cmd.name, origin: source.origin() } : undefined;
    case 'AT_AddConstraint': {
      const constraint = def && 'Constraint' in def ? constraintDefinition(def.Constraint, source) : undefined;
      return constraint && { kind: 'add-constraint', table, constraint, origin: constraint.origin };
    }
    case 'AT_DropConstraint':
      return cmd.name ? { kind: 'drop-constraint', table, name: cmd.name, origin: source.origin() } : undefined;
    case 'AT_AlterColumnType': {
      const typeName = def && 'ColumnDef' in def ? def.ColumnDef.typeName : undefined;
      return cmd.name && typeName
        ? { kind: 'alter-column', table, column: cmd.name, type: columnType(typeName), origin: source.origin() }
        : undefined;
    }
    case 'AT_SetNotNull':
    case 'AT_DropNotNull':
      return cmd.name
        ? {
            kind: 'alter-column',
            table,
            column: cmd.name,
            nullable: cmd.subtype === 'AT_DropNotNull',
            origin: source.origin(),
          }
        : undefined;
    default:
      return undefined;
  }
}

function createIndex(stmt: IndexStmt, source: StatementSource, events: SchemaEvent[]): void {
  if (!stmt.relation) return;
  const table = tableName(stmt.relation);
  const columns = (stmt.indexParams ?? []).map((param) =>
    'IndexElem' in param && param.IndexElem.name !== undefined && !param.IndexElem.expr ? param.IndexElem.name : null,
  );
  const index: IndexDefinition = {
    name: stmt.idxname ?? defaultIndexName(table.name, columns, 'idx'),
    table,
    columns,
    unique: stmt.unique === true,
    partial: stmt.whereClause !== undefined,
    ifNotExists: stmt.if_not_exists === true,
    concurrently: stmt.concurrent === true,
    origin: source.origin(),
  };
  if (stmt.accessMethod && stmt.accessMethod !== 'btree') index.method = stmt.accessMethod;
  const options = (stmt.indexParams ?? []).map((param) =>
    'IndexElem' in param ? elementOptions(param.IndexElem) : undefined,
  );
  if (options.some((option) => option !== undefined)) index.elementOptions = options;
  if (stmt.whereClause !== undefined) {
    index.predicate = canonicalTree(stmt.whereClause);
    const notNull = notNullColumns(stmt.whereClause);
    if (notNull) index.predicateNotNull = notNull;
  }
  events.push({ kind: 'create-index', index, origin: index.origin });
}

/**
 * An index element's collation and operator class, canonical (`collate C`, `opclass text_pattern_ops`), if either is
 * other than the column's own: `COLLATE pg_catalog."default"` and a type's default B-tree class (`text_ops`,
 * `int4_ops`, `uuid_ops`: one word and `_ops`, which pgAdmin dumps and drizzle-kit write out) change nothing.
 */
function elementOptions(element: { collation?: Node[]; opclass?: Node[] }): string | undefined {
  const names = (list: Node[] | undefined) =>
    (list ?? []).map((node) => ('String' in node ? (node.String.sval ?? '') : ''));
  const collation = names(element.collation);
  const opclass = names(element.opclass);
  const parts = [
    ...(collation.length > 0 && collation.at(-1) !== 'default' ? [`collate ${collation.join('.')}`] : []),
    ...(opclass.length > 0 && !/^[a-z0-9]+_ops$/.test(opclass.at(-1)!) ? [`opclass ${opclass.join('.')}`] : []),
  ];
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** The columns of a predicate that only asks for non-null columns (`a IS NOT NULL AND b IS NOT NULL`); undefined for any other. */
function notNullColumns(node: Node): string[] | undefined {
  if ('BoolExpr' in node) {
    if (node.BoolExpr.boolop !== 'AND_EXPR') return undefined;
    const parts = (node.BoolExpr.args ?? []).map(notNullColumns);
    return parts.length > 0 && parts.every((part) => part !== undefined) ? (parts.flat() as string[]) : undefined;
  }
  if (
    !('NullTest' in node) ||
    node.NullTest.nulltesttype !== 'IS_NOT_NULL' ||
    !node.NullTest.arg ||
    !('ColumnRef' in node.NullTest.arg)
  )
    return undefined;
  const fields = node.NullTest.arg.ColumnRef.fields ?? [];
  const last = fields[fields.length - 1];
  return last && 'String' in last && last.String.sval !== undefined ? [last.String.sval] : undefined;
}

function drop(stmt: DropStmt, source: StatementSource, events: SchemaEvent[]): void {
  if (stmt.removeType !== 'OBJECT_TABLE' && stmt.removeType !== 'OBJECT_INDEX') return;
  for (const object of stmt.objects ?? []) {
    const parts = 'List' in object ? strings(object.List.items) : [];
    const name = qualified(parts);
    if (!name) continue;
    if (stmt.removeType === 'OBJECT_TABLE')
      events.push({ kind: 'drop-table', table: name, ifExists: stmt.missing_ok === true, origin: source.origin() });
    else
      events.push({
        kind: 'drop-index',
        name: name.name,
        ...(name.schema ? { schema: name.schema } : {}),
        ifExists: stmt.missing_ok === true,
        origin: source.origin(),
      });
  }
}

function rename(stmt: RenameStmt, source: StatementSource, events: SchemaEvent[]): void {
  if (!stmt.relation || !stmt.newname) return;
  const table = tableName(stmt.relation);
  const origin = source.origin();
  if (stmt.renameType === 'OBJECT_COLUMN' && stmt.subname && (stmt.relationType ?? 'OBJECT_TABLE') === 'OBJECT_TABLE') {
    events.push({ kind: 'rename-column', table, from: stmt.subname, to: stmt.newname, origin });
  } else if (stmt.renameType === 'OBJECT_TABLE') {
    events.push({ kind: 'rename-table', table, to: { ...table, name: stmt.newname }, origin });
  } else if (stmt.renameType === 'OBJECT_TABCONSTRAINT' && stmt.subname) {
    events.push({ kind: 'rename-constraint', table, from: stmt.subname, to: stmt.newname, origin });
  } else if (stmt.renameType === 'OBJECT_INDEX') {
    events.push({
      kind: 'rename-index',
      name: table.name,
      ...(table.schema ? { schema: table.schema } : {}),
      to: stmt.newname,
      origin,
    });
  }
}

function columnDefinition(def: ColumnDef, source: StatementSource): ColumnDefinition | undefined {
  if (!def.colname || !def.typeName) return undefined;
  const constraints: ConstraintDefinition[] = [];
  let notNull = def.is_not_null === true;
  for (const item of def.constraints ?? []) {
    if (!('Constraint' in item)) continue;
    const type = item.Constraint.contype;
    if (type === 'CONSTR_NOTNULL' || type === 'CONSTR_PRIMARY') notNull = true;
    const constraint = constraintDefinition(item.Constraint, source);
    if (constraint) constraints.push(constraint);
  }
  return {
    name: def.colname,
    type: columnType(def.typeName),
    nullable: !notNull,
    constraints,
    origin: source.clauseFrom(source.fromByte(def.location ?? 0)),
  };
}

function constraintDefinition(constraint: Constraint, source: StatementSource): ConstraintDefinition | undefined {
  const kind =
    constraint.contype === 'CONSTR_PRIMARY'
      ? 'primary-key'
      : constraint.contype === 'CONSTR_UNIQUE'
        ? 'unique'
        : constraint.contype === 'CONSTR_FOREIGN'
          ? 'foreign-key'
          : undefined;
  if (!kind) return undefined;
  const definition: ConstraintDefinition = {
    kind,
    columns: strings(kind === 'foreign-key' ? constraint.fk_attrs : constraint.keys),
    origin: source.clauseFrom(source.fromByte(constraint.location ?? 0)),
  };
  if (constraint.conname) definition.name = constraint.conname;
  if (constraint.indexname) definition.usingIndex = constraint.indexname;
  if (kind === 'foreign-key' && constraint.pktable) {
    definition.references = { table: tableName(constraint.pktable), columns: strings(constraint.pk_attrs) };
    const onDelete = REFERENTIAL_ACTIONS[constraint.fk_del_action ?? 'a'];
    if (onDelete) definition.onDelete = onDelete;
  }
  return definition;
}

/** PostgreSQL's one-letter codes for `ON DELETE` / `ON UPDATE` actions (`a` when none is written). */
const REFERENTIAL_ACTIONS: Record<string, ReferentialAction> = {
  a: 'no-action',
  r: 'restrict',
  c: 'cascade',
  n: 'set-null',
  d: 'set-default',
};

/** Canonical names for PostgreSQL's internal type names, so rules can match `float8` and `double precision` alike. */
const TYPE_NAMES: Record<string, string> = {
  float8: 'double precision',
  float4: 'real',
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  bool: 'boolean',
  bpchar: 'char',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  time: 'time',
  timetz: 'timetz',
  decimal: 'numeric',
};

function columnType(typeName: TypeName): ColumnType {
  const parts = strings(typeName.names);
  const last = parts[parts.length - 1] ?? 'unknown';
  const builtin = parts.length === 1 || parts[0] === 'pg_catalog';
  const name = builtin ? (TYPE_NAMES[last] ?? last) : parts.join('.');
  return { name, array: (typeName.arrayBounds?.length ?? 0) > 0 };
}

function tableName(relation: RangeVar): TableName {
  const name = relation.relname ?? '';
  const schema = relation.schemaname;
  return schema && schema !== 'public' && !isMaskedName(schema) ? { schema, name } : { name };
}

function qualified(parts: string[]): TableName | undefined {
  const name = parts[parts.length - 1];
  if (name === undefined) return undefined;
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  return schema && schema !== 'public' && !isMaskedName(schema) ? { schema, name } : { name };
}

/** The `String` nodes' values (names, qualified names): a plain loop, as it runs for every column and key. */
function strings(nodes: Node[] | undefined): string[] {
  const out: string[] = [];
  for (const node of nodes ?? []) if ('String' in node && node.String.sval !== undefined) out.push(node.String.sval);
  return out;
}

/** A parse tree as JSON without its positions: two predicates that differ only in spacing or case compare equal. */
function canonicalTree(node: Node): string {
  return JSON.stringify(node, (key, value: unknown) => (key === 'location' ? undefined : value));
}
