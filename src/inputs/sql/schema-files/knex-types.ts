/**
 * knex's column builders as the SQL types it writes for each engine (its column compilers), so
 * rules see the same type names as in SQL migrations: `timestamp()` is `timestamptz` on PostgreSQL
 * unless told otherwise, `increments()` is `serial`, `uuid()` is `char(36)` on MySQL.
 */
import type { ts as TypeScript } from 'ts-morph';
import type { ColumnType, SqlDialect } from '../../../model/schema.js';
import { sqlTypeName } from './sql-type-name.js';
import { property, unwrap } from './ts-syntax.js';

type Ts = typeof TypeScript;

/** A table method that adds a column (or two: `timestamps`). */
export function isColumnBuilder(method: string): boolean {
  return (
    Object.hasOwn(COLUMN_TYPES, method) ||
    method === 'increments' ||
    method === 'bigIncrements' ||
    method === 'specificType' ||
    method === 'timestamps'
  );
}

/** knex column builders → the SQL type each writes, per engine (`[postgres, mysql, sqlite]`). */
const COLUMN_TYPES: Record<string, [string, string, string]> = {
  integer: ['integer', 'integer', 'integer'],
  int: ['integer', 'integer', 'integer'],
  bigInteger: ['bigint', 'bigint', 'bigint'],
  bigint: ['bigint', 'bigint', 'bigint'],
  tinyint: ['smallint', 'tinyint', 'tinyint'],
  smallint: ['smallint', 'smallint', 'integer'],
  mediumint: ['integer', 'mediumint', 'integer'],
  text: ['text', 'text', 'text'],
  string: ['varchar', 'varchar', 'varchar'],
  float: ['real', 'float', 'float'],
  double: ['double precision', 'double', 'float'],
  decimal: ['numeric', 'decimal', 'float'],
  boolean: ['boolean', 'boolean', 'boolean'],
  bool: ['boolean', 'boolean', 'boolean'],
  date: ['date', 'date', 'date'],
  datetime: ['timestamptz', 'datetime', 'datetime'],
  dateTime: ['timestamptz', 'datetime', 'datetime'],
  timestamp: ['timestamptz', 'timestamp', 'datetime'],
  time: ['time', 'time', 'time'],
  binary: ['bytea', 'blob', 'blob'],
  enum: ['text', 'enum', 'text'],
  enu: ['text', 'enum', 'text'],
  json: ['json', 'json', 'json'],
  jsonb: ['jsonb', 'json', 'json'],
  uuid: ['uuid', 'char', 'char'],
  geometry: ['geometry', 'geometry', 'geometry'],
  geography: ['geography', 'geometry', 'geometry'],
  point: ['point', 'point', 'point'],
};

export function columnTypeOf(
  ts: Ts,
  dialect: SqlDialect,
  method: string,
  args: readonly TypeScript.Expression[],
  text: (e: TypeScript.Expression | undefined) => string | undefined,
): ColumnType | undefined {
  if (method === 'increments') return { name: dialect === 'postgres' ? 'serial' : 'integer', array: false };
  if (method === 'bigIncrements') return { name: dialect === 'postgres' ? 'bigserial' : 'bigint', array: false };
  if (method === 'specificType') {
    const written = text(args[1]);
    return written === undefined ? undefined : { name: sqlTypeName(written), array: /\[\]\s*$/.test(written) };
  }
  if (method === 'datetime' || method === 'dateTime' || method === 'timestamp')
    return temporal(ts, dialect, method === 'timestamp' ? 'timestamp' : 'datetime', args[1]);
  const names = Object.hasOwn(COLUMN_TYPES, method) ? COLUMN_TYPES[method] : undefined;
  if (!names) return undefined;
  // `enu('status', values, { useNative: true, enumName: 'status' })`: PostgreSQL's own enum type.
  if ((method === 'enum' || method === 'enu') && dialect === 'postgres') {
    const options = args[2] && unwrap(ts, args[2]);
    if (
      options &&
      ts.isObjectLiteralExpression(options) &&
      booleanOf(ts, property(ts, options, 'useNative')) === true
    ) {
      const enumName = text(property(ts, options, 'enumName'));
      if (enumName) return { name: enumName, array: false };
    }
  }
  return { name: names[dialect === 'postgres' ? 0 : dialect === 'sqlite' ? 2 : 1], array: false };
}

/**
 * `timestamp(name, [withoutTz | { useTz, precision }])`: on PostgreSQL knex writes `timestamptz`
 * unless told otherwise — a boolean second argument means *without* time zone (knex's PostgreSQL
 * column compiler: `timestamp(withoutTz = false, precision)`).
 */
export function temporal(
  ts: Ts,
  dialect: SqlDialect,
  kind: 'timestamp' | 'datetime',
  option: TypeScript.Expression | undefined,
): ColumnType {
  if (dialect === 'sqlite') return { name: 'datetime', array: false };
  if (dialect !== 'postgres') return { name: kind, array: false };
  const e = option && unwrap(ts, option);
  let zoned = true;
  if (e && ts.isObjectLiteralExpression(e)) zoned = booleanOf(ts, property(ts, e, 'useTz')) !== false;
  else if (e) zoned = booleanOf(ts, e) !== true;
  return { name: zoned ? 'timestamptz' : 'timestamp', array: false };
}

export function booleanOf(ts: Ts, expression: TypeScript.Expression | undefined): boolean | undefined {
  const e = expression && unwrap(ts, expression);
  if (!e) return undefined;
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}
