/**
 * Prisma schema files (`schema.prisma`, or the `.prisma` files of one folder with
 * `prismaSchemaFolder`) as schema events: one table per `model` (named by `@@map`, in the
 * `@@schema` when given), a column per scalar field (named by `@map`, typed by its native type
 * attribute `@db.*` or Prisma's default for the provider), `@id`/`@@id`, `@unique`/`@@unique`,
 * `@@index`, and a foreign key per `@relation(fields: [...], references: [...])`. Relation fields
 * (typed by another model) are not columns. MongoDB and SQL Server schemas are not read.
 */
import { posix } from 'node:path';
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
import type { PrismaArgument, PrismaAttribute, PrismaModel, PrismaSchemaFile, PrismaValue } from './prisma-parse.js';
import { declaredTableEvents } from './table-events.js';

const PROVIDERS: Record<string, SqlDialect> = {
  postgresql: 'postgres',
  postgres: 'postgres',
  cockroachdb: 'postgres',
  mysql: 'mysql',
  sqlite: 'sqlite',
};
const SCALARS = new Set([
  'String',
  'Int',
  'BigInt',
  'Float',
  'Decimal',
  'Boolean',
  'DateTime',
  'Json',
  'Bytes',
  'Unsupported',
]);

/** Prisma's column type for a scalar without a native type attribute, per provider. */
const DEFAULT_TYPES: Record<SqlDialect, Record<string, string>> = {
  postgres: {
    String: 'text',
    Int: 'integer',
    BigInt: 'bigint',
    Float: 'double precision',
    Decimal: 'numeric',
    Boolean: 'boolean',
    DateTime: 'timestamp',
    Json: 'jsonb',
    Bytes: 'bytea',
  },
  mysql: {
    String: 'varchar',
    Int: 'int',
    BigInt: 'bigint',
    Float: 'double',
    Decimal: 'decimal',
    Boolean: 'tinyint',
    DateTime: 'datetime',
    Json: 'json',
    Bytes: 'longblob',
  },
  mariadb: {
    String: 'varchar',
    Int: 'int',
    BigInt: 'bigint',
    Float: 'double',
    Decimal: 'decimal',
    Boolean: 'tinyint',
    DateTime: 'datetime',
    Json: 'json',
    Bytes: 'longblob',
  },
  sqlite: {
    String: 'text',
    Int: 'integer',
    BigInt: 'integer',
    Float: 'real',
    Decimal: 'decimal',
    Boolean: 'boolean',
    DateTime: 'datetime',
    Json: 'jsonb',
    Bytes: 'blob',
  },
};

/** `@relation(onDelete: SetNull)` → the action. */
const REFERENTIAL_ACTIONS: Record<string, ReferentialAction> = {
  Cascade: 'cascade',
  SetNull: 'set-null',
  Restrict: 'restrict',
  NoAction: 'no-action',
  SetDefault: 'set-default',
};

/** `@db.Timestamptz(6)` → `timestamptz`, `@db.DoublePrecision` → `double precision`. */
const NATIVE_TYPES: Record<string, string> = {
  doubleprecision: 'double precision',
  timestamptz: 'timestamptz',
  timestamp: 'timestamp',
  uuid: 'uuid',
  money: 'money',
};

export function providerDialect(provider: string | undefined): SqlDialect | undefined {
  return provider === undefined ? undefined : PROVIDERS[provider];
}

interface FileModels {
  path: string;
  file: PrismaSchemaFile;
}

/** The events that create every model's table, for one schema (its files read together). */
export function prismaEvents(
  files: FileModels[],
  dialect: SqlDialect,
): { events: SchemaEvent[]; tables: Map<string, TableName> } {
  const enums = new Set(files.flatMap((f) => f.file.enums));
  const models = new Map<string, { model: PrismaModel; path: string }>();
  for (const { path, file } of files) for (const model of file.models) models.set(model.name, { model, path });
  const tableOf = (model: PrismaModel): TableName => {
    const name = stringArg(blockAttribute(model, 'map')?.args[0]) ?? model.name;
    const schema = stringArg(blockAttribute(model, 'schema')?.args[0]);
    return schema ? { schema, name } : { name };
  };
  const columnOf = (model: PrismaModel, field: string): string | undefined => {
    const found = model.fields.find((f) => f.name === field);
    return found ? (stringArg(attribute(found.attributes, 'map')?.args[0]) ?? found.name) : undefined;
  };

  const events: SchemaEvent[] = [];
  const tables = new Map<string, TableName>();
  for (const { model, path } of models.values()) {
    // A view is no table: no primary key, foreign keys or indexes of its own (a relation to it names none either).
    if (model.view) continue;
    const origin = (start: number, end: number): Origin => ({ file: path, range: { start, end } });
    const table = tableOf(model);
    tables.set(model.name, table);
    const columns: ColumnDefinition[] = [];
    const constraints: ConstraintDefinition[] = [];
    for (const field of model.fields) {
      const isScalar = SCALARS.has(field.type) || enums.has(field.type);
      if (isScalar) {
        const column: ColumnDefinition = {
          name: columnOf(model, field.name)!,
          type: columnType(field.type, field.attributes, field.list, dialect, enums),
          nullable: field.optional,
          constraints: [],
          origin: origin(field.start, field.end),
        };
        const id = attribute(field.attributes, 'id');
        if (id) column.constraints.push({ kind: 'primary-key', columns: [], origin: origin(id.start, id.end) });
        const unique = attribute(field.attributes, 'unique');
        if (unique) column.constraints.push({ kind: 'unique', columns: [], origin: origin(unique.start, unique.end) });
        columns.push(column);
        continue;
      }
      // A relation field: the side that holds `fields:` has the foreign key.
      const relation = attribute(field.attributes, 'relation');
      const target = models.get(field.type)?.model;
      if (!relation || !target || target.view) continue;
      const own = names(namedArg(relation.args, 'fields'));
      const referenced = names(namedArg(relation.args, 'references'));
      if (own.length === 0 || own.length !== referenced.length) continue;
      const ownColumns = own.map((f) => columnOf(model, f));
      const targetColumns = referenced.map((f) => columnOf(target, f));
      if (ownColumns.some((c) => c === undefined) || targetColumns.some((c) => c === undefined)) continue;
      const name = stringArg(namedArg(relation.args, 'map'));
      const onDelete = namedArg(relation.args, 'onDelete');
      const action = onDelete?.kind === 'name' ? REFERENTIAL_ACTIONS[onDelete.text] : undefined;
      constraints.push({
        kind: 'foreign-key',
        columns: ownColumns as string[],
        ...(name ? { name } : {}),
        ...(action ? { onDelete: action } : {}),
        references: { table: tableOf(target), columns: targetColumns as string[] },
        origin: origin(relation.start, relation.end),
      });
    }
    const indexes: IndexDefinition[] = [];
    for (const block of model.blockAttributes) {
      const listed = names(block.args.find((a) => a.name === undefined || a.name === 'fields')?.value).map((f) =>
        columnOf(model, f),
      );
      if (listed.length === 0 || listed.some((c) => c === undefined)) continue;
      const columns = listed as string[];
      const name = stringArg(namedArg(block.args, 'map')) ?? stringArg(namedArg(block.args, 'name'));
      const at = origin(block.start, block.end);
      if (block.name === 'id')
        constraints.push({ kind: 'primary-key', columns, ...(name ? { name } : {}), origin: at });
      else if (block.name === 'unique')
        constraints.push({ kind: 'unique', columns, ...(name ? { name } : {}), origin: at });
      else if (block.name === 'index' || block.name === 'fulltext') {
        const type = namedArg(block.args, 'type');
        const method =
          type?.kind === 'name' ? type.text.toLowerCase() : block.name === 'fulltext' ? 'fulltext' : undefined;
        indexes.push({
          ...(name ? { name } : {}),
          table,
          columns,
          unique: false,
          partial: false,
          ...(method && method !== 'btree' ? { method } : {}),
          ifNotExists: false,
          concurrently: false,
          origin: at,
        });
      }
    }
    events.push(
      ...declaredTableEvents({ table, columns, constraints, origin: origin(model.start, model.headerEnd) }, indexes),
    );
  }
  return { events, tables };
}

/** The folder a schema's files are read together in (`prisma/schema/*.prisma` is one schema). */
export function schemaFolder(path: string): string {
  return posix.dirname(path);
}

function columnType(
  type: string,
  attributes: PrismaAttribute[],
  list: boolean,
  dialect: SqlDialect,
  enums: Set<string>,
): ColumnType {
  const native = attributes.find((a) => a.name.startsWith('db.'));
  if (native) {
    const written = native.name.slice(3).toLowerCase();
    return { name: NATIVE_TYPES[written] ?? written, array: list };
  }
  if (enums.has(type)) return { name: type, array: list };
  return { name: DEFAULT_TYPES[dialect][type] ?? type.toLowerCase(), array: list };
}

export function attribute(attributes: PrismaAttribute[], name: string): PrismaAttribute | undefined {
  return attributes.find((a) => a.name === name);
}

export function blockAttribute(model: PrismaModel, name: string): PrismaAttribute | undefined {
  return model.blockAttributes.find((a) => a.name === name);
}

export function namedArg(args: PrismaArgument[], name: string): PrismaValue | undefined {
  return args.find((a) => a.name === name)?.value;
}

export function stringArg(value: PrismaArgument | PrismaValue | undefined): string | undefined {
  const v = value && 'value' in value ? value.value : value;
  return v?.kind === 'string' ? v.text : undefined;
}

/** `[a, b(sort: Desc)]` → `['a', 'b']`. */
export function names(value: PrismaValue | undefined): string[] {
  if (value?.kind !== 'list') return [];
  return value.items.flatMap((item) => (item.kind === 'name' ? [item.text] : []));
}
