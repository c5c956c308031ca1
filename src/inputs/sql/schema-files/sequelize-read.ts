/**
 * One Sequelize migration (`up(queryInterface, Sequelize)`) as schema events: the QueryInterface
 * calls of `up()` in source order — createTable, addColumn, removeColumn, changeColumn,
 * renameColumn, renameTable, dropTable, addIndex, removeIndex, addConstraint, removeConstraint —
 * read from the syntax tree (the migration is never run), plus where its raw SQL strings
 * (`queryInterface.sequelize.query('CREATE INDEX …')`) sit, for the SQL reader to parse in place.
 * A call whose table or columns are not literals (a loop variable, a computed name) is not read:
 * `unread` counts them.
 */
import type { ts as TypeScript } from 'ts-morph';
import {
  property,
  propertyName,
  unwrap as unwrapSyntax,
  referentialAction,
  upFunction,
  type FunctionLike,
} from './ts-syntax.js';
import type { Origin } from '../../../model/finding.js';
import type {
  ColumnDefinition,
  ColumnType,
  ConstraintDefinition,
  IndexDefinition,
  ReferentialAction,
  SchemaEvent,
  SqlDialect,
  TableName,
} from '../../../model/schema.js';
import { DIALECTS } from '../../../model/dialects.js';

type Ts = typeof TypeScript;

export interface SequelizeMigration {
  events: SchemaEvent[];
  /** Offsets of the raw SQL string literals run by `up()` (the text between the quotes). */
  sqlStrings: Array<{ start: number; end: number }>;
  /** Schema-changing calls that could not be read. */
  unread: number;
}

/** `queryInterface.createTable(` somewhere, and an `up` to run it. */
export const SEQUELIZE_MIGRATION =
  /\bup\b[\s\S]*\.\s*(?:createTable|addColumn|addIndex|addConstraint|removeColumn|changeColumn|renameColumn|removeIndex|dropTable|renameTable|removeConstraint)\s*\(/;

/** `:teamId` (not a `::type` cast) or `$1`: a query with replacements or binds. */
const REPLACEMENT = /(?<![:\w]):[A-Za-z_]\w*|\$\d/;

export function readSequelizeMigration(
  ts: Ts,
  path: string,
  sourceFile: TypeScript.SourceFile,
  dialect: SqlDialect,
): SequelizeMigration | undefined {
  const up = upFunction(ts, sourceFile);
  if (!up) return undefined;
  const qi = queryInterfaceName(ts, up);
  if (!qi) return undefined;
  const out: SequelizeMigration = { events: [], sqlStrings: [], unread: 0 };
  const constants = stringConstants(ts, sourceFile);
  const origin = (node: TypeScript.Node): Origin => ({
    file: path,
    range: { start: node.getStart(sourceFile), end: node.getEnd() },
  });
  const context: Context = { ts, dialect, constants, origin, out };

  const visit = (node: TypeScript.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = unwrap(ts, node.expression);
      if (ts.isPropertyAccessExpression(callee)) {
        const target = unwrap(ts, callee.expression);
        if (ts.isIdentifier(target) && target.text === qi) readCall(context, callee.name.text, node);
        // `queryInterface.sequelize.query('…')`
        else if (
          callee.name.text === 'query' &&
          ts.isPropertyAccessExpression(target) &&
          target.name.text === 'sequelize' &&
          ts.isIdentifier(unwrap(ts, target.expression)) &&
          (unwrap(ts, target.expression) as TypeScript.Identifier).text === qi
        ) {
          const sql = node.arguments[0] && unwrap(ts, node.arguments[0]);
          // Sequelize fills `:name` replacements and `$1` binds in before the database sees the query:
          // such a string is not SQL as written, and what it does depends on values it is given.
          if (
            sql &&
            (ts.isStringLiteral(sql) || ts.isNoSubstitutionTemplateLiteral(sql)) &&
            !REPLACEMENT.test(sql.text)
          )
            out.sqlStrings.push({ start: sql.getStart(sourceFile) + 1, end: sql.getEnd() - 1 });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  if (up.body) visit(up.body);
  return out;
}

interface Context {
  ts: Ts;
  dialect: SqlDialect;
  constants: Map<string, string>;
  origin: (node: TypeScript.Node) => Origin;
  out: SequelizeMigration;
}

const SCHEMA_CALLS = new Set([
  'createTable',
  'addColumn',
  'removeColumn',
  'changeColumn',
  'renameColumn',
  'renameTable',
  'dropTable',
  'addIndex',
  'removeIndex',
  'addConstraint',
  'removeConstraint',
]);

function readCall(c: Context, method: string, call: TypeScript.CallExpression): void {
  if (!SCHEMA_CALLS.has(method)) return;
  const events = eventsOf(c, method, call);
  if (events === undefined) c.out.unread++;
  else c.out.events.push(...events);
}

function eventsOf(c: Context, method: string, call: TypeScript.CallExpression): SchemaEvent[] | undefined {
  const { ts } = c;
  const args = call.arguments;
  const table = tableNameOf(c, args[0]);
  if (!table) return undefined;
  const origin = c.origin(call);
  const text = (i: number) => literal(c, args[i]);
  switch (method) {
    case 'createTable': {
      const attributes = args[1] && unwrap(ts, args[1]);
      if (!attributes || !ts.isObjectLiteralExpression(attributes)) return undefined;
      const columns: ColumnDefinition[] = [];
      const constraints: ConstraintDefinition[] = [];
      let partlyKnown = false;
      const primary: string[] = [];
      for (const property of attributes.properties) {
        const name = ts.isPropertyAssignment(property) ? propertyName(ts, property.name) : undefined;
        const column =
          name !== undefined && ts.isPropertyAssignment(property)
            ? columnOf(c, name, property.initializer, c.origin(property))
            : undefined;
        if (!column) {
          partlyKnown = true;
          continue;
        }
        columns.push(column.definition);
        if (column.primary) primary.push(name!);
      }
      if (primary.length > 0) constraints.push({ kind: 'primary-key', columns: primary, origin });
      return [
        {
          kind: 'create-table',
          table,
          columns,
          constraints,
          indexes: [],
          ifNotExists: false,
          inherits: false,
          ...(partlyKnown ? { partlyKnown: true } : {}),
          origin,
        },
      ];
    }
    case 'addColumn': {
      const name = text(1);
      const column = name !== undefined && args[2] ? columnOf(c, name, args[2], origin) : undefined;
      return column
        ? [{ kind: 'add-column', table, column: column.definition, ifNotExists: false, origin }]
        : undefined;
    }
    case 'removeColumn': {
      const name = text(1);
      return name !== undefined ? [{ kind: 'drop-column', table, column: name, origin }] : undefined;
    }
    case 'renameColumn': {
      const [from, to] = [text(1), text(2)];
      return from !== undefined && to !== undefined ? [{ kind: 'rename-column', table, from, to, origin }] : undefined;
    }
    case 'renameTable': {
      const to = tableNameOf(c, args[1]);
      return to ? [{ kind: 'rename-table', table, to, origin }] : undefined;
    }
    case 'dropTable':
      return [{ kind: 'drop-table', table, ifExists: false, origin }];
    case 'changeColumn': {
      const name = text(1);
      const column = name !== undefined && args[2] ? columnOf(c, name, args[2], origin) : undefined;
      if (!column) return undefined;
      const events: SchemaEvent[] = [
        {
          kind: 'alter-column',
          table,
          column: name!,
          type: column.definition.type,
          nullable: column.definition.nullable,
          origin,
        },
      ];
      for (const constraint of column.definition.constraints)
        if (constraint.kind === 'foreign-key')
          events.push({ kind: 'add-constraint', table, constraint: { ...constraint, columns: [name!] }, origin });
      return events;
    }
    case 'addIndex': {
      const index = indexOf(c, table, args, origin);
      return index ? [{ kind: 'create-index', index, origin }] : undefined;
    }
    case 'removeIndex': {
      const second = args[1] && unwrap(ts, args[1]);
      const named = text(1);
      if (named !== undefined) return [{ kind: 'drop-index', name: named, table, ifExists: false, origin }];
      if (second && ts.isArrayLiteralExpression(second)) {
        const fields = second.elements.map((e) => literal(c, e));
        if (fields.some((f) => f === undefined)) return undefined;
        return [
          { kind: 'drop-index', name: defaultIndexName(table, fields as string[]), table, ifExists: false, origin },
        ];
      }
      return undefined;
    }
    case 'addConstraint': {
      const constraint = constraintOf(c, args, origin);
      return constraint ? [{ kind: 'add-constraint', table, constraint, origin }] : undefined;
    }
    case 'removeConstraint': {
      const name = text(1);
      return name !== undefined ? [{ kind: 'drop-constraint', table, name, origin }] : undefined;
    }
  }
  return undefined;
}

/** An attribute: `{ type, allowNull, primaryKey, unique, references: { model, key }, onDelete }`, or a bare type. */
function columnOf(
  c: Context,
  name: string,
  expression: TypeScript.Expression,
  origin: Origin,
): { definition: ColumnDefinition; primary: boolean } | undefined {
  const { ts } = c;
  const value = unwrap(ts, expression);
  if (!ts.isObjectLiteralExpression(value)) {
    const type = typeOf(c, value);
    return type ? { definition: { name, type, nullable: true, constraints: [], origin }, primary: false } : undefined;
  }
  const typeExpression = property(ts, value, 'type');
  const type = typeExpression ? typeOf(c, typeExpression) : undefined;
  if (!type) return undefined;
  const primary = boolean(ts, property(ts, value, 'primaryKey')) === true;
  const constraints: ConstraintDefinition[] = [];
  const unique = property(ts, value, 'unique');
  if (unique && (boolean(ts, unique) === true || literal(c, unique) !== undefined))
    constraints.push({ kind: 'unique', columns: [], origin });
  const references = property(ts, value, 'references');
  if (references) {
    const target = unwrap(ts, references);
    if (!ts.isObjectLiteralExpression(target)) return undefined;
    const model = property(ts, target, 'model');
    const referenced = model ? tableNameOf(c, model) : undefined;
    if (!referenced) return undefined;
    const key = literal(c, property(ts, target, 'key'));
    const onDelete = actionOf(c, property(ts, value, 'onDelete'));
    constraints.push({
      kind: 'foreign-key',
      columns: [],
      references: { table: referenced, columns: key ? [key] : [] },
      ...(onDelete ? { onDelete } : {}),
      origin,
    });
  }
  const allowNull = boolean(ts, property(ts, value, 'allowNull'));
  return { definition: { name, type, nullable: !primary && allowNull !== false, constraints, origin }, primary };
}

/** `addIndex('t', ['a', 'b'], { unique, name, where })` or `addIndex('t', { fields, unique, name, where })`. */
function indexOf(
  c: Context,
  table: TableName,
  args: TypeScript.NodeArray<TypeScript.Expression>,
  origin: Origin,
): IndexDefinition | undefined {
  const { ts } = c;
  const second = args[1] && unwrap(ts, args[1]);
  if (!second) return undefined;
  const options = ts.isObjectLiteralExpression(second)
    ? second
    : args[2] && ts.isObjectLiteralExpression(unwrap(ts, args[2]))
      ? (unwrap(ts, args[2]) as TypeScript.ObjectLiteralExpression)
      : undefined;
  const fieldList = ts.isArrayLiteralExpression(second)
    ? second
    : options
      ? property(ts, options, 'fields')
      : undefined;
  const fields = fieldList && unwrap(ts, fieldList);
  if (!fields || !ts.isArrayLiteralExpression(fields)) return undefined;
  const columns: Array<string | null> = [];
  for (const element of fields.elements) {
    const e = unwrap(ts, element);
    const name =
      literal(c, e) ??
      (ts.isObjectLiteralExpression(e)
        ? literal(c, property(ts, e, 'name') ?? property(ts, e, 'attribute'))
        : undefined);
    // `Sequelize.fn('lower', …)`, a literal expression: an expression element.
    columns.push(name ?? null);
  }
  if (columns.length === 0) return undefined;
  const name = options ? literal(c, property(ts, options, 'name')) : undefined;
  const unique = options
    ? boolean(ts, property(ts, options, 'unique')) === true ||
      literal(c, property(ts, options, 'type'))?.toUpperCase() === 'UNIQUE'
    : false;
  const where = options ? property(ts, options, 'where') : undefined;
  // Compared, never shown: two indexes with the same `where` object serve the same rows.
  const predicate = where ? `sequelize:${where.getText().replace(/\s+/g, '')}` : undefined;
  const method = options ? literal(c, property(ts, options, 'using')) : undefined;
  return {
    name: name ?? (columns.every((col) => col !== null) ? defaultIndexName(table, columns as string[]) : undefined),
    table,
    columns,
    unique,
    partial: where !== undefined,
    ...(predicate ? { predicate } : {}),
    ...(method && method.toLowerCase() !== 'btree' ? { method: method.toLowerCase() } : {}),
    ifNotExists: false,
    concurrently: options ? boolean(ts, property(ts, options, 'concurrently')) === true : false,
    origin,
  } as IndexDefinition;
}

/** `addConstraint('t', { fields, type: 'foreign key', name, references: { table, field }, onDelete })` (and v4's `addConstraint('t', fields, options)`). */
function constraintOf(
  c: Context,
  args: TypeScript.NodeArray<TypeScript.Expression>,
  origin: Origin,
): ConstraintDefinition | undefined {
  const { ts } = c;
  const second = args[1] && unwrap(ts, args[1]);
  const options =
    second && ts.isObjectLiteralExpression(second)
      ? second
      : args[2] && ts.isObjectLiteralExpression(unwrap(ts, args[2]))
        ? (unwrap(ts, args[2]) as TypeScript.ObjectLiteralExpression)
        : undefined;
  if (!options) return undefined;
  const fieldList = second && ts.isArrayLiteralExpression(second) ? second : property(ts, options, 'fields');
  const fields = fieldList && unwrap(ts, fieldList);
  if (!fields || !ts.isArrayLiteralExpression(fields)) return undefined;
  const columns = fields.elements.map((e) => literal(c, e));
  if (columns.some((col) => col === undefined)) return undefined;
  const kind = literal(c, property(ts, options, 'type'))?.toLowerCase();
  const name = literal(c, property(ts, options, 'name'));
  const base = { columns: columns as string[], ...(name ? { name } : {}), origin };
  if (kind === 'unique') return { kind: 'unique', ...base };
  if (kind === 'primary key') return { kind: 'primary-key', ...base };
  if (kind !== 'foreign key') return undefined;
  const references = property(ts, options, 'references');
  const target = references && unwrap(ts, references);
  if (!target || !ts.isObjectLiteralExpression(target)) return undefined;
  const table = tableNameOf(c, property(ts, target, 'table') ?? property(ts, target, 'model'));
  const field = literal(c, property(ts, target, 'field') ?? property(ts, target, 'key'));
  if (!table) return undefined;
  const onDelete = actionOf(c, property(ts, options, 'onDelete'));
  return {
    kind: 'foreign-key',
    ...base,
    references: { table, columns: field ? [field] : [] },
    ...(onDelete ? { onDelete } : {}),
  };
}

/** No `onDelete`: the database's default, NO ACTION. */
function actionOf(c: Context, expression: TypeScript.Expression | undefined): ReferentialAction | undefined {
  if (!expression) return 'no-action';
  const value = literal(c, expression);
  return value === undefined ? undefined : referentialAction(value);
}

/**
 * A Sequelize data type (`Sequelize.UUID`, `DataTypes.STRING(64)`, `Sequelize.ARRAY(Sequelize.TEXT)`)
 * or an SQL type name (`'TIMESTAMP WITH TIME ZONE'`) as the SQL input names it. `DATE` is
 * `TIMESTAMP WITH TIME ZONE` on PostgreSQL and `DATETIME` on MySQL.
 */
function typeOf(c: Context, expression: TypeScript.Expression): ColumnType | undefined {
  const { ts } = c;
  const e = unwrap(ts, expression);
  const written = literal(c, e);
  if (written !== undefined) return { name: sqlTypeName(written), array: /\[\]\s*$/.test(written) };
  const call = ts.isCallExpression(e) ? e : undefined;
  const access = unwrap(ts, call ? call.expression : e);
  if (!ts.isPropertyAccessExpression(access)) return undefined;
  const name = access.name.text.toUpperCase();
  if (name === 'ARRAY') {
    const inner = call?.arguments[0] ? typeOf(c, call.arguments[0]) : undefined;
    return inner ? { name: inner.name, array: true } : undefined;
  }
  const mapped = SEQUELIZE_TYPES[name];
  if (name === 'DATE') return { name: DIALECTS[c.dialect].instantType, array: false };
  return mapped ? { name: mapped, array: false } : { name: name.toLowerCase(), array: false };
}

const SEQUELIZE_TYPES: Record<string, string> = {
  STRING: 'varchar',
  CHAR: 'char',
  TEXT: 'text',
  CITEXT: 'citext',
  UUID: 'uuid',
  UUIDV4: 'uuid',
  INTEGER: 'integer',
  BIGINT: 'bigint',
  SMALLINT: 'smallint',
  TINYINT: 'tinyint',
  MEDIUMINT: 'mediumint',
  FLOAT: 'double precision',
  REAL: 'real',
  DOUBLE: 'double precision',
  DECIMAL: 'numeric',
  NUMERIC: 'numeric',
  BOOLEAN: 'boolean',
  DATEONLY: 'date',
  TIME: 'time',
  JSON: 'json',
  JSONB: 'jsonb',
  BLOB: 'bytea',
  ENUM: 'enum',
  INET: 'inet',
};

export function sqlTypeName(written: string): string {
  const lower = written
    .toLowerCase()
    .replace(/\s*\(.*\)\s*/, '')
    .replace(/\[\]\s*$/, '')
    .trim();
  const canonical: Record<string, string> = {
    'character varying': 'varchar',
    'timestamp with time zone': 'timestamptz',
    'timestamp without time zone': 'timestamp',
    int: 'integer',
    int4: 'integer',
    int8: 'bigint',
    float8: 'double precision',
    decimal: 'numeric',
  };
  return canonical[lower] ?? lower;
}

/** Sequelize's own index name: `<table>_<fields>` in snake case. */
function defaultIndexName(table: TableName, fields: string[]): string {
  return underscore(`${table.name}_${fields.join('_')}`);
}

function underscore(text: string): string {
  return text
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toLowerCase();
}

/** `'users'`, a constant holding it, or `{ tableName: 'users', schema: 'app' }`. */
function tableNameOf(c: Context, expression: TypeScript.Expression | undefined): TableName | undefined {
  if (!expression) return undefined;
  const { ts } = c;
  const e = unwrap(ts, expression);
  const name = literal(c, e);
  if (name !== undefined) return { name };
  if (ts.isObjectLiteralExpression(e)) {
    const table = literal(c, property(ts, e, 'tableName'));
    const schema = literal(c, property(ts, e, 'schema'));
    if (table !== undefined) return schema ? { schema, name: table } : { name: table };
  }
  return undefined;
}

/** A string literal, or an identifier bound to one at the top of the file. */
function literal(c: Context, expression: TypeScript.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  const { ts } = c;
  const e = unwrap(ts, expression);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (ts.isIdentifier(e)) return c.constants.get(e.text);
  return undefined;
}

/** `const TABLE = 'users'` at the top of the file. */
function stringConstants(ts: Ts, sourceFile: TypeScript.SourceFile): Map<string, string> {
  const constants = new Map<string, string>();
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of statement.declarationList.declarations) {
      const init = d.initializer && unwrap(ts, d.initializer);
      if (ts.isIdentifier(d.name) && init && (ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init)))
        constants.set(d.name.text, init.text);
    }
  }
  return constants;
}

/** The first parameter (`queryInterface`), or `{ context: queryInterface }` (umzug). */
function queryInterfaceName(ts: Ts, fn: FunctionLike): string | undefined {
  const first = fn.parameters[0]?.name;
  if (!first) return undefined;
  if (ts.isIdentifier(first)) return first.text;
  if (ts.isObjectBindingPattern(first)) {
    const context = first.elements.find(
      (e) =>
        (e.propertyName && ts.isIdentifier(e.propertyName)
          ? e.propertyName.text
          : ts.isIdentifier(e.name)
            ? e.name.text
            : '') === 'context',
    );
    if (context && ts.isIdentifier(context.name)) return context.name.text;
  }
  return undefined;
}

function boolean(ts: Ts, expression: TypeScript.Expression | undefined): boolean | undefined {
  if (!expression) return undefined;
  const e = unwrap(ts, expression);
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

/** Also `await x`: QueryInterface calls are awaited. */
function unwrap(ts: Ts, expression: TypeScript.Expression): TypeScript.Expression {
  let e = unwrapSyntax(ts, expression);
  while (ts.isAwaitExpression(e)) e = unwrapSyntax(ts, e.expression);
  return e;
}
