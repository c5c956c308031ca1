/**
 * The values of Sequelize QueryInterface calls: column attributes (`{ type, allowNull, references }`),
 * data types, index and constraint options, table names — each read from the syntax tree when it is
 * a literal (or a constant of the file holding one), `undefined` when it is not.
 */
import type { ts as TypeScript } from 'ts-morph';
import type { Origin } from '../../../model/finding.js';
import type {
  ColumnDefinition,
  ColumnType,
  ConstraintDefinition,
  IndexDefinition,
  ReferentialAction,
  SqlDialect,
  TableName,
} from '../../../model/schema.js';
import { DIALECTS } from '../../../model/dialects.js';
import type { BuilderMigration } from './builder-migrations.js';
import { sqlTypeName } from './sql-type-name.js';
import { property, referentialAction } from './ts-syntax.js';
import { unwrapExpression } from '../../../model/qualified-names.js';

type Ts = typeof TypeScript;

export interface Context {
  ts: Ts;
  dialect: SqlDialect;
  constants: Map<string, string>;
  origin: (node: TypeScript.Node) => Origin;
  out: BuilderMigration;
}

/** An attribute: `{ type, allowNull, primaryKey, unique, references: { model, key }, onDelete }`, or a bare type. */
export function columnOf(
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
export function indexOf(
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
export function constraintOf(
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

/** Sequelize's own index name: `<table>_<fields>` in snake case. */
export function defaultIndexName(table: TableName, fields: string[]): string {
  return underscore(`${table.name}_${fields.join('_')}`);
}

function underscore(text: string): string {
  return text
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toLowerCase();
}

/** `'users'`, a constant holding it, or `{ tableName: 'users', schema: 'app' }`. */
export function tableNameOf(c: Context, expression: TypeScript.Expression | undefined): TableName | undefined {
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
export function literal(c: Context, expression: TypeScript.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  const { ts } = c;
  const e = unwrap(ts, expression);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (ts.isIdentifier(e)) return c.constants.get(e.text);
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
export function unwrap(ts: Ts, expression: TypeScript.Expression): TypeScript.Expression {
  return unwrapExpression(ts, expression, { await: true });
}
