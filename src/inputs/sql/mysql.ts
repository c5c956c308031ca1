/**
 * MySQL / MariaDB / SQLite statements → schema events, with node-sql-parser (the per-dialect build,
 * so only that grammar is loaded). Its AST is loosely typed; every field is read defensively and a
 * shape it does not know yields no event rather than an error.
 */
import type {
  ColumnDefinition,
  ColumnType,
  ConstraintDefinition,
  ConstraintKind,
  IndexDefinition,
  ReferentialAction,
  SchemaEvent,
  SqlDialect,
  TableName,
} from '../../model/schema.js';
import { alterDropsFallback } from './alter-drops.js';
import { dropIndexFallback, renameIndexFallback } from './drop-index.js';
import type { FileReader, StatementResult } from './reader.js';
import { newScriptScope, readScriptStatement } from './mysql-scripts.js';
import {
  withCaseParens,
  withConstraintCommas,
  withoutKeylessClauses,
  withoutTypeLengths,
  withSqliteTypeSynonyms,
  withTypeSynonyms,
  withUnquotedDropNames,
} from './mysql-rewrites.js';
import { BUILDS, type SqlParser } from './mysql-load.js';
import type { StatementSource } from './source.js';
import { libsqlAlterColumn, repairSqliteEvents, withSqliteColumns } from './sqlite-columns.js';
import { isMaskedName } from './templates.js';

/** node-sql-parser's AST: plain JSON whose shape varies by statement. */
type AstNode = Record<string, unknown>;

export function mysqlReader(parser: SqlParser, dialect: Exclude<SqlDialect, 'postgres'>): FileReader {
  const database = BUILDS[dialect].database;
  const readDdl = (source: StatementSource): StatementResult => parseStatement(parser, database, source);
  return {
    dialect,
    readStatement(source, options) {
      const scope = options.scope ? (options.scope.mysql ??= newScriptScope()) : newScriptScope();
      return readScriptStatement(source, scope, readDdl) ?? readDdl(source);
    },
  };
}

function parseStatement(parser: SqlParser, database: string, source: StatementSource): StatementResult {
  let ast: unknown;
  try {
    ast = parser.astify(source.text, { database, parseOptions: { includeLocations: true } });
  } catch (error) {
    // The grammars know only `DROP INDEX name ON table`; SQLite's forms are read by hand.
    const dropIndex = dropIndexFallback(source);
    if (dropIndex) return { events: [dropIndex] };
    const renamedIndex = renameIndexFallback(source);
    if (renamedIndex) return { events: [renamedIndex] };
    const drops = alterDropsFallback(source);
    if (drops) return { events: drops };
    const retyped = database === 'Sqlite' ? libsqlAlterColumn(source) : undefined;
    if (retyped) return { events: retyped };
    // `CONVERT TO CHARACTER SET`, charset options and column defaults change no key: read the statement without them.
    // SQLite ignores a type's length (`text(256)`), which the SQLite grammar rejects after TEXT.
    const withoutLengths = database === 'Sqlite' ? withoutTypeLengths(source) : undefined;
    if (withoutLengths) return parseStatement(parser, database, withoutLengths);
    // SQLite's grammar makes the comma between two table constraints optional (drizzle-kit writes none).
    const withCommas = database === 'Sqlite' ? withConstraintCommas(source) : undefined;
    if (withCommas) return parseStatement(parser, database, withCommas);
    const withSynonyms = database === 'Sqlite' ? withSqliteTypeSynonyms(source) : withTypeSynonyms(source);
    if (withSynonyms) return parseStatement(parser, database, withSynonyms);
    // SQLite takes any words as a type (`VARCHAR2(250)`) and `REFERENCES parent` without a column list.
    const repair = database === 'Sqlite' ? withSqliteColumns(source) : undefined;
    if (repair) {
      const result = parseStatement(parser, database, repair.source);
      if (result.events) repairSqliteEvents(result.events, repair);
      return result;
    }
    // A CASE result that is a condition (`THEN a = 1 AND b`), which the grammars want in parentheses.
    const withParens = withCaseParens(source);
    if (withParens) return parseStatement(parser, database, withParens);
    const unquotedDrops = withUnquotedDropNames(source);
    if (unquotedDrops) return parseStatement(parser, database, unquotedDrops);
    const withoutCharset = withoutKeylessClauses(source);
    if (withoutCharset)
      return withoutCharset.text.trim() === '' || /^ALTER\s+TABLE\s+\S+\s*$/i.test(withoutCharset.text.trim())
        ? { events: [] }
        : parseStatement(parser, database, withoutCharset);
    return { error: describeError(error, source) };
  }
  const events: SchemaEvent[] = [];
  for (const node of Array.isArray(ast) ? ast : [ast]) if (isNode(node)) translate(node, source, events);
  return { events };
}

/** node-sql-parser's messages list every token it expected; the word where it stopped is what helps. */
function describeError(error: unknown, source: StatementSource): { message: string; offset: number } {
  const details = error as { found?: unknown; location?: { start?: { offset?: number } }; message?: string };
  if (details.location?.start?.offset === undefined)
    return { message: (details.message ?? String(error)).split('\n')[0]!.slice(0, 200), offset: source.start };
  const offset = source.start + Math.min(details.location.start.offset, source.text.length);
  const word = /^(?:[\w$]+|\S)/.exec(source.content.slice(offset, source.end))?.[0];
  return {
    message: word ? `syntax error at or near ${JSON.stringify(word)}` : 'syntax error at end of statement',
    offset,
  };
}

function translate(node: AstNode, source: StatementSource, events: SchemaEvent[]): void {
  const type = node.type;
  if (type === 'create' && node.keyword === 'table') createTable(node, source, events);
  else if (type === 'create' && node.keyword === 'index') createIndex(node, source, events);
  else if (type === 'alter') alterTable(node, source, events);
  else if (type === 'drop') drop(node, source, events);
  else if (type === 'rename') renameTables(node, source, events);
}

function createTable(node: AstNode, source: StatementSource, events: SchemaEvent[]): void {
  const table = firstTable(node.table);
  // Temporary tables vanish with the session: not part of the schema.
  if (!table || node.temporary) return;
  const columns: ColumnDefinition[] = [];
  const constraints: ConstraintDefinition[] = [];
  const indexes: IndexDefinition[] = [];
  for (const definition of nodes(node.create_definitions)) {
    if (definition.resource === 'column') {
      const column = columnDefinition(definition, source);
      if (column) columns.push(column);
    } else if (definition.resource === 'constraint') {
      const constraint = constraintDefinition(definition, source);
      if (constraint) constraints.push(constraint);
      const index = uniqueKeyIndex(definition, table, source);
      if (index) indexes.push(index);
    } else if (definition.resource === 'index') {
      const index = indexDefinition(definition, table, source);
      if (index) indexes.push(index);
    }
  }
  const engine = nodes(node.table_options).find((option) => String(option.keyword).toLowerCase() === 'engine')?.value;
  events.push({
    kind: 'create-table',
    table,
    columns,
    constraints,
    indexes,
    ifNotExists: Boolean(node.if_not_exists),
    inherits: false,
    ...(typeof engine === 'string' ? { engine: engine.toLowerCase() } : {}),
    origin: source.headThrough(source.start),
  });
}

function alterTable(node: AstNode, source: StatementSource, events: SchemaEvent[]): void {
  const table = firstTable(node.table);
  if (!table) return;
  const origin = source.origin();
  for (const item of nodes(node.expr)) {
    const action = item.action;
    const resource = item.resource;
    if (action === 'add' && resource === 'column') {
      const column = columnDefinition(item, source);
      if (column) events.push({ kind: 'add-column', table, column, ifNotExists: false, origin: column.origin });
    } else if (action === 'add' && resource === 'constraint' && isNode(item.create_definitions)) {
      const constraint = constraintDefinition(item.create_definitions, source);
      if (constraint) events.push({ kind: 'add-constraint', table, constraint, origin: constraint.origin });
      const index = uniqueKeyIndex(item.create_definitions, table, source);
      if (index) events.push({ kind: 'create-index', index, origin: index.origin });
    } else if (action === 'add' && resource === 'index') {
      const index = indexDefinition(item, table, source);
      if (index) events.push({ kind: 'create-index', index, origin: index.origin });
    } else if (action === 'drop' && resource === 'column') {
      const column = columnName(item.column);
      if (column) events.push({ kind: 'drop-column', table, column, origin });
    } else if (action === 'drop' && resource === 'index' && typeof item.index === 'string') {
      events.push({ kind: 'drop-index', name: item.index, table, ifExists: false, origin });
    } else if (action === 'drop' && resource === 'key') {
      const keyword = String(item.keyword).toLowerCase();
      if (keyword === 'primary key') events.push({ kind: 'drop-constraint', table, constraint: 'primary-key', origin });
      else if (keyword === 'foreign key' && typeof item.key === 'string')
        events.push({ kind: 'drop-constraint', table, name: item.key, origin });
      else if (typeof item.key === 'string')
        events.push({ kind: 'drop-index', name: item.key, table, ifExists: false, origin });
    } else if (action === 'drop' && resource === 'constraint' && typeof item.constraint === 'string') {
      // MySQL 8 `DROP CONSTRAINT name`: a foreign key or a unique key, whichever has the name (the fold
      // knows); `DROP CHECK name` drops a check, which changes nothing archlint models.
      if (String(item.keyword).toLowerCase() !== 'check')
        events.push({ kind: 'drop-constraint', table, name: item.constraint, origin });
    } else if (action === 'rename' && resource === 'column') {
      const from = columnName(item.old_column);
      const to = columnName(item.column);
      if (from && to) events.push({ kind: 'rename-column', table, from, to, origin });
    } else if (action === 'rename' && resource === 'table' && typeof item.table === 'string') {
      events.push({ kind: 'rename-table', table, to: { ...table, name: item.table }, origin });
    } else if (action === 'change' || action === 'modify') {
      alterColumn(item, table, source, events);
    }
  }
}

/** `CHANGE old new type …` renames and retypes; `MODIFY col type …` retypes. */
function alterColumn(item: AstNode, table: TableName, source: StatementSource, events: SchemaEvent[]): void {
  const column = columnDefinition(item, source);
  if (!column) return;
  const from = item.action === 'change' ? columnName(item.old_column) : column.name;
  if (from && from !== column.name)
    events.push({ kind: 'rename-column', table, from, to: column.name, origin: column.origin });
  events.push({
    kind: 'alter-column',
    table,
    column: column.name,
    type: column.type,
    nullable: column.nullable,
    origin: column.origin,
  });
}

function createIndex(node: AstNode, source: StatementSource, events: SchemaEvent[]): void {
  const table = firstTable(node.table);
  // MySQL gives the index name as a string, SQLite as `{ schema, name }`.
  const name =
    typeof node.index === 'string'
      ? node.index
      : isNode(node.index) && typeof node.index.name === 'string'
        ? node.index.name
        : undefined;
  if (!table || name === undefined) return;
  const columns = nodes(node.index_columns).map(indexColumn);
  const index: IndexDefinition = {
    name,
    table,
    columns,
    unique: String(node.index_type ?? '').toLowerCase() === 'unique',
    partial: node.where !== undefined && node.where !== null,
    ifNotExists: false,
    concurrently: false,
    origin: source.origin(),
  };
  // SQLite partial indexes: the predicate's tree without positions, comparable across spellings.
  if (index.partial) {
    index.predicate = JSON.stringify(node.where, (key, value: unknown) => (key === 'loc' ? undefined : value));
    const notNull = notNullColumns(node.where);
    if (notNull) index.predicateNotNull = notNull;
  }
  // `CREATE FULLTEXT|SPATIAL INDEX`: not a B-tree; searched by its own method.
  const kind = String(node.index_type ?? '').toLowerCase();
  if (kind === 'fulltext' || kind === 'spatial') index.method = kind;
  events.push({ kind: 'create-index', index, origin: index.origin });
}

function drop(node: AstNode, source: StatementSource, events: SchemaEvent[]): void {
  const ifExists = String(node.prefix ?? '').toLowerCase() === 'if exists';
  if (node.keyword === 'table') {
    for (const name of nodes(node.name)) {
      const table = tableName(name);
      if (table) events.push({ kind: 'drop-table', table, ifExists, origin: source.origin() });
    }
  } else if (node.keyword === 'index') {
    const name = isNode(node.name) ? columnName(node.name) : typeof node.name === 'string' ? node.name : undefined;
    const table = firstTable(node.table);
    if (name) events.push({ kind: 'drop-index', name, ...(table ? { table } : {}), ifExists, origin: source.origin() });
  }
}

function renameTables(node: AstNode, source: StatementSource, events: SchemaEvent[]): void {
  for (const pair of Array.isArray(node.table) ? node.table : []) {
    if (!Array.isArray(pair)) continue;
    const from = tableName(pair[0]);
    const to = tableName(pair[1]);
    if (from && to) events.push({ kind: 'rename-table', table: from, to, origin: source.origin() });
  }
}

function columnDefinition(node: AstNode, source: StatementSource): ColumnDefinition | undefined {
  const name = columnName(node.column);
  const definition = isNode(node.definition) ? node.definition : undefined;
  if (!name || !definition) return undefined;
  const location = locationOf(node.column) ?? findIdentifier(source, name);
  const origin = source.lineFrom(location === undefined ? source.start : source.start + location);
  const constraints: ConstraintDefinition[] = [];
  const inline = (kind: ConstraintKind, extra: Partial<ConstraintDefinition> = {}): void => {
    constraints.push({ kind, columns: [], origin, ...extra });
  };
  if (node.primary_key) inline('primary-key');
  if (node.unique) inline('unique');
  const reference = isNode(node.reference_definition) ? references(node.reference_definition) : undefined;
  if (reference) inline('foreign-key', { references: reference, ...onDelete(node.reference_definition) });
  const nullable = isNode(node.nullable) ? String(node.nullable.type).toLowerCase() !== 'not null' : !node.primary_key;
  return { name, type: columnType(definition), nullable, constraints, origin };
}

function constraintDefinition(node: AstNode, source: StatementSource): ConstraintDefinition | undefined {
  const type = String(node.constraint_type ?? '').toLowerCase();
  const kind: ConstraintKind | undefined =
    type === 'primary key'
      ? 'primary-key'
      : type.startsWith('unique')
        ? 'unique'
        : type === 'foreign key'
          ? 'foreign-key'
          : undefined;
  // MySQL unique keys are indexes: they are named, dropped and renamed as indexes (see uniqueKeyIndex).
  if (!kind || kind === 'unique') return undefined;
  const columns = nodes(node.definition)
    .map(indexColumn)
    .filter((c): c is string => c !== null);
  const location = locationOf(nodes(node.definition)[0]) ?? findConstraint(source, kind, columns[0]);
  const definition: ConstraintDefinition = {
    kind,
    columns,
    origin: source.lineFrom(location === undefined ? source.start : lineStartBefore(source, source.start + location)),
  };
  const name =
    typeof node.constraint === 'string' ? node.constraint : typeof node.index === 'string' ? node.index : undefined;
  if (name) definition.name = name;
  if (kind === 'foreign-key') {
    const reference = isNode(node.reference_definition) ? references(node.reference_definition) : undefined;
    if (!reference) return undefined;
    definition.references = reference;
    Object.assign(definition, onDelete(node.reference_definition));
  }
  return definition;
}

/** `UNIQUE KEY uq (a, b)`: a unique index in MySQL's terms. */
function uniqueKeyIndex(node: AstNode, table: TableName, source: StatementSource): IndexDefinition | undefined {
  if (
    !String(node.constraint_type ?? '')
      .toLowerCase()
      .startsWith('unique')
  )
    return undefined;
  const index = indexDefinition(node, table, source);
  if (!index) return undefined;
  index.unique = true;
  const name = typeof node.constraint === 'string' ? node.constraint : undefined;
  if (!index.name && name) index.name = name;
  return index;
}

function indexDefinition(node: AstNode, table: TableName, source: StatementSource): IndexDefinition | undefined {
  const keyword = String(node.keyword ?? '').toLowerCase();
  // FULLTEXT and SPATIAL indexes cannot serve a foreign key lookup.
  if (keyword.startsWith('fulltext') || keyword.startsWith('spatial')) return undefined;
  const columns = nodes(node.definition).map(indexColumn);
  if (columns.length === 0) return undefined;
  const location = locationOf(nodes(node.definition)[0]);
  const index: IndexDefinition = {
    table,
    columns,
    unique: false,
    partial: false,
    ifNotExists: false,
    concurrently: false,
    origin: source.lineFrom(location === undefined ? source.start : lineStartBefore(source, source.start + location)),
  };
  if (typeof node.index === 'string') index.name = node.index;
  return index;
}

const REFERENTIAL_ACTIONS: Record<string, ReferentialAction> = {
  cascade: 'cascade',
  restrict: 'restrict',
  'no action': 'no-action',
  'set null': 'set-null',
  'set default': 'set-default',
};

/**
 * `REFERENCES t (id) ON UPDATE … ON DELETE SET NULL` → `{ onDelete: 'set-null' }`; `no-action` when no
 * `ON DELETE` is written (the default of MySQL, MariaDB and SQLite), nothing for an action it does not know.
 */
function onDelete(node: unknown): { onDelete?: ReferentialAction } {
  if (!isNode(node)) return {};
  const action = nodes(node.on_action).find((item) => String(item.type ?? '').toLowerCase() === 'on delete');
  if (!action) return { onDelete: 'no-action' };
  const value = isNode(action.value) ? action.value.value : action.value;
  const known =
    REFERENTIAL_ACTIONS[
      String(value ?? '')
        .toLowerCase()
        .replace(/\s+/g, ' ')
    ];
  return known ? { onDelete: known } : {};
}

function references(node: AstNode): { table: TableName; columns: string[] } | undefined {
  const table = firstTable(node.table);
  if (!table) return undefined;
  return {
    table,
    columns: nodes(node.definition)
      .map(indexColumn)
      .filter((c): c is string => c !== null),
  };
}

/** The columns of a predicate that only asks for non-null columns (`a IS NOT NULL AND b IS NOT NULL`); undefined for any other. */
function notNullColumns(node: unknown): string[] | undefined {
  if (!isNode(node) || node.type !== 'binary_expr') return undefined;
  const operator = String(node.operator ?? '').toUpperCase();
  if (operator === 'AND') {
    const left = notNullColumns(node.left);
    const right = notNullColumns(node.right);
    return left && right ? [...left, ...right] : undefined;
  }
  if (operator !== 'IS NOT' || !isNode(node.right) || node.right.type !== 'null' || !isNode(node.left))
    return undefined;
  const column = indexColumn(node.left);
  return column === null ? undefined : [column];
}

/** A key part: a column, a prefix of one (`name(10)`, still led by that column), or an expression (null). */
function indexColumn(node: AstNode): string | null {
  if (node.type === 'column_ref') return columnName(node) ?? null;
  // SQLite's grammar here reads `("organizationId")` as a string, but SQLite resolves a double-quoted
  // name to the column it names (a string literal cannot be a key part), and so does MySQL with ANSI_QUOTES.
  if (node.type === 'double_quote_string' && typeof node.value === 'string') return node.value;
  if (node.type === 'function' && isNode(node.name)) {
    const parts = nodes(node.name.name);
    const args = isNode(node.args) ? nodes(node.args.value) : [];
    if (parts.length === 1 && args.length === 1 && args[0]!.type === 'number' && typeof parts[0]!.value === 'string')
      return parts[0]!.value;
  }
  return null;
}

function columnType(definition: AstNode): ColumnType {
  const raw = String(definition.dataType ?? 'unknown').toLowerCase();
  const name =
    raw === 'double' || raw === 'double precision' ? 'double' : raw === 'decimal' || raw === 'dec' ? 'decimal' : raw;
  return { name, array: false };
}

function columnName(node: unknown): string | undefined {
  if (!isNode(node)) return undefined;
  const column = node.column;
  if (typeof column === 'string') return column;
  if (isNode(column) && isNode(column.expr) && typeof column.expr.value === 'string') return column.expr.value;
  return undefined;
}

function firstTable(value: unknown): TableName | undefined {
  return tableName(Array.isArray(value) ? value[0] : value);
}

function tableName(value: unknown): TableName | undefined {
  if (!isNode(value) || typeof value.table !== 'string') return undefined;
  const schema = typeof value.db === 'string' && value.db !== '' && !isMaskedName(value.db) ? value.db : undefined;
  return schema ? { schema, name: value.table } : { name: value.table };
}

function locationOf(node: unknown): number | undefined {
  if (!isNode(node) || !isNode(node.loc) || !isNode(node.loc.start)) return undefined;
  const offset = node.loc.start.offset;
  return typeof offset === 'number' ? offset : undefined;
}

/** The first non-blank character of the line holding `offset`, not before the statement: where `CONSTRAINT … FOREIGN KEY (` starts. */
function lineStartBefore(source: StatementSource, offset: number): number {
  let start = offset;
  while (start > source.start && source.content[start - 1] !== '\n' && source.content[start - 1] !== '\r') start--;
  while (start < offset && /\s/.test(source.content[start]!)) start++;
  return start;
}

/**
 * Where a column name is written, for builds that give no locations (SQLite): its first standalone
 * occurrence after the statement's opening parenthesis, quoted or not.
 */
function findIdentifier(source: StatementSource, name: string): number | undefined {
  const open = source.text.indexOf('(');
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(?<![\\w$])[\`"\\[]?${escaped}[\`"\\]]?(?![\\w$])`, 'i');
  const match = pattern.exec(source.text.slice(open + 1));
  return match ? open + 1 + match.index : undefined;
}

/** Where `FOREIGN KEY (col` / `PRIMARY KEY (col` is written, for builds that give no locations (SQLite). */
function findConstraint(
  source: StatementSource,
  kind: 'primary-key' | 'foreign-key',
  column: string | undefined,
): number | undefined {
  if (column === undefined) return undefined;
  const escaped = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(
    `${kind === 'foreign-key' ? 'FOREIGN' : 'PRIMARY'}\\s+KEY\\s*\\(\\s*[\`"\\[]?${escaped}[\`"\\]]?(?![\\w$])`,
    'i',
  );
  return pattern.exec(source.text)?.index;
}

function nodes(value: unknown): AstNode[] {
  return Array.isArray(value) ? value.filter(isNode) : [];
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
