/**
 * The schema model: what a folder of SQL migrations does, as an ordered list of events (one per
 * schema change, each with the statement it came from), and the state those events leave behind
 * after every migration is applied in order. Database rules read only this.
 *
 * Names are as the database stores them: PostgreSQL folds unquoted identifiers to lower case and
 * keeps quoted ones; in MySQL/SQLite a column referenced in another spelling is resolved to the
 * spelling of its declaration. The default schema (`public`, the current MySQL database) is left
 * out of a TableName.
 */
import { DIALECTS, type EngineFacts, type SqlDialect } from './dialects.js';
import type { Located, Origin } from './finding.js';

export type { EngineFacts, SqlDialect } from './dialects.js';
export { sqlIdentifier, sqlTableName } from './dialects.js';

/** How a schema's dialect was decided, strongest first. */
export type DialectSource =
  | 'config'
  | 'prisma-lock'
  | 'file-name'
  | 'path'
  | 'content'
  /** The database driver the nearest package.json above the migrations depends on (`better-sqlite3`, `mysql2`, `pg`). */
  | 'package-driver'
  | 'default'
  | 'tool-config'
  | 'declaration'
  /** The migration classes' own branches on the connection's type (`case 'mysql':`), one history per engine. */
  | 'branch';

export interface TableName {
  /** Undefined for the default schema. */
  schema?: string;
  name: string;
}

export interface ColumnType {
  /**
   * Canonical lower-case name: `integer`, `bigint`, `double precision`, `real`, `numeric`,
   * `timestamp` (without time zone), `timestamptz`, `varchar`, …; user-defined types as written.
   */
  name: string;
  /** Declared as an array (`int[]`). */
  array: boolean;
}

export interface Column extends Located {
  name: string;
  type: ColumnType;
  nullable: boolean;
}

export type ConstraintKind = 'primary-key' | 'unique' | 'foreign-key';

/** A primary key or unique constraint. */
export interface KeyConstraint extends Located {
  name?: string;
  columns: string[];
}

/** What an index is, whether written in a statement (IndexDefinition) or in the folded state (Index). */
export interface IndexShape extends Located {
  name?: string;
  table: TableName;
  /** Key columns in order; `null` for an expression element (`lower(email)`). INCLUDE columns are not keys. */
  columns: Array<string | null>;
  unique: boolean;
  /** Has a `WHERE` predicate. */
  partial: boolean;
  /**
   * For a partial index: its `WHERE` predicate in a canonical form (the parse tree without
   * positions), equal for predicates that differ only in spacing or case. For comparing, not showing.
   */
  predicate?: string;
  /**
   * For a partial index whose predicate only asks that columns be non-null (`WHERE a IS NOT NULL
   * [AND b IS NOT NULL]`): those columns. An equality lookup on them (`a = $1`) implies the
   * predicate, so the index serves it like a full one (PostgreSQL proves it: a strict operator
   * implies IS NOT NULL of its operands).
   */
  predicateNotNull?: string[];
  /** Access method when not the default (`gin`, `gist`, `hash`, …). */
  method?: string;
}

/** An index in the schema after the migrations are applied. */
export interface Index extends IndexShape {
  /** At least one element is an expression. */
  expression: boolean;
  /**
   * Made by the engine for a foreign key that had no usable index (InnoDB), not by a statement:
   * InnoDB drops it by itself when a later index can serve the key. Named after the constraint
   * (else its first column) and located at the foreign key. Cleared when the key is dropped (the
   * index stays, an ordinary one).
   */
  implicit?: boolean;
}

/** What a foreign key does to referencing rows when the referenced row is deleted (`ON DELETE …`). */
export type ReferentialAction = 'no-action' | 'restrict' | 'cascade' | 'set-null' | 'set-default';

export interface ForeignKey extends Located {
  name?: string;
  table: TableName;
  columns: string[];
  references: { table: TableName; columns: string[] };
  /** `ON DELETE` as declared (PostgreSQL's default is `no-action`); undefined when the parser does not say. */
  onDelete?: ReferentialAction;
}

/** An index, primary key or unique constraint that a later statement removed. */
export interface RemovedIndex {
  kind: 'index' | 'primary-key' | 'unique';
  name?: string;
  columns: Array<string | null>;
  partial: boolean;
  /** Where it was declared. */
  origin: Origin;
  /** The statement that removed it (`DROP INDEX`, `DROP CONSTRAINT`, …). */
  removedAt: Origin;
}

export interface Table extends Located {
  name: TableName;
  /** Where it was created; for a table only ever altered here, its first mention. */
  origin: Origin;
  /**
   * False when no migration here creates the table (it is only altered or indexed: created by
   * another tool, an extension, or a file outside the lint): its definition is not fully known.
   */
  declared: boolean;
  /** `PARTITION OF` / `INHERITS`: keys may come from the parent. */
  inherits: boolean;
  columns: Column[];
  primaryKey?: KeyConstraint;
  uniques: KeyConstraint[];
  indexes: Index[];
  foreignKeys: ForeignKey[];
  /** MySQL storage engine when declared (`ENGINE=MyISAM`); InnoDB is the default. */
  engine?: string;
  removedIndexes: RemovedIndex[];
}

/** A column as a statement declares it, with its inline constraints. */
export interface ColumnDefinition extends Located {
  name: string;
  type: ColumnType;
  nullable: boolean;
  constraints: ConstraintDefinition[];
}

export interface ConstraintDefinition extends Located {
  kind: ConstraintKind;
  name?: string;
  /** Empty for an inline column constraint: the column's own name applies. */
  columns: string[];
  /** Foreign keys only; `columns` empty means the referenced table's primary key. */
  references?: { table: TableName; columns: string[] };
  /** Foreign keys only: the `ON DELETE` action, when the parser gives it. */
  onDelete?: ReferentialAction;
  /** `… UNIQUE USING INDEX idx` / `PRIMARY KEY USING INDEX idx`: the index becomes the constraint. */
  usingIndex?: string;
}

/** A `CREATE INDEX` (or an inline index) as a statement writes it. */
export interface IndexDefinition extends IndexShape {
  ifNotExists: boolean;
  concurrently: boolean;
}

/** One schema change, in the order the migrations apply them. `origin` is the statement (or element) that makes it. */
export type SchemaEvent = Located &
  (
    | {
        kind: 'create-table';
        table: TableName;
        columns: ColumnDefinition[];
        constraints: ConstraintDefinition[];
        /** MySQL inline `KEY`/`INDEX` (and PostgreSQL files that borrow it). */
        indexes: IndexDefinition[];
        ifNotExists: boolean;
        inherits: boolean;
        engine?: string;
        /** Some columns or keys could not be read (a schema file's helper archlint cannot follow): rules treat the table as not fully known. */
        partlyKnown?: boolean;
      }
    | { kind: 'drop-table'; table: TableName; ifExists: boolean }
    | { kind: 'rename-table'; table: TableName; to: TableName }
    | { kind: 'add-column'; table: TableName; column: ColumnDefinition; ifNotExists: boolean }
    | { kind: 'drop-column'; table: TableName; column: string }
    | { kind: 'rename-column'; table: TableName; from: string; to: string }
    | { kind: 'alter-column'; table: TableName; column: string; type?: ColumnType; nullable?: boolean }
    | { kind: 'add-constraint'; table: TableName; constraint: ConstraintDefinition }
    /** By name; MySQL `DROP PRIMARY KEY` has no name and gives `constraint: 'primary-key'`. */
    | { kind: 'drop-constraint'; table: TableName; name?: string; constraint?: ConstraintKind }
    | { kind: 'create-index'; index: IndexDefinition }
    /** `table` is given by MySQL (`DROP INDEX i ON t`, `ALTER TABLE t DROP INDEX i`). */
    | { kind: 'drop-index'; name: string; schema?: string; table?: TableName; ifExists: boolean }
    | { kind: 'rename-index'; name: string; schema?: string; to: string; table?: TableName }
    /** PostgreSQL `ALTER TABLE t RENAME CONSTRAINT a TO b`. */
    | { kind: 'rename-constraint'; table: TableName; from: string; to: string }
  );

export type SchemaEventKind = SchemaEvent['kind'];

export interface MigrationFile {
  path: string;
  /** The version or timestamp the order comes from, as written (`20240101120000`, `1.14`, `V3`); undefined when none. */
  version?: string;
  /** False for `*.down.sql`: parsed for errors, left out of the state. */
  applied: boolean;
  /** Statements found by the splitter (comment-only chunks are not statements). */
  statements: number;
  /** Statements the dialect's parser accepted. */
  parsed: number;
}

/** One migration folder (one service's database), folded. */
export interface Schema {
  /** The folder the migrations live in, relative to the current directory ('.' for the current one). */
  root: string;
  /**
   * The folder of the deployable unit the migrations belong to: the nearest folder at or above
   * `root` holding a build manifest (package.json, go.mod, pom.xml, build.gradle, Cargo.toml,
   * pyproject.toml…); absent when none does. Two migration folders of one unit (a core and an
   * enterprise folder loaded by one migrator) are one service's.
   */
  buildUnit?: string;
  /** When one folder holds migrations for several dialects (`*.postgres.up.sql`, `*.mysql.up.sql`): which. */
  variant?: string;
  dialect: SqlDialect;
  dialectSource: DialectSource;
  /**
   * The tool that writes these migrations from a model of its own, when one does: `prisma` (a
   * `migration_lock.toml` beside them, or Prisma Migrate's layout `<14-digit timestamp>_<name>/migration.sql`), `drizzle` (drizzle-kit's `meta/_journal.json` beside them, or
   * a Drizzle schema read directly). Their defaults (DateTime as `timestamp(3)`, a `timestamp()` in
   * Drizzle's default `date` mode, both written and read as UTC by the ORM; Prisma's implicit
   * many-to-many tables `_AToB`) are choices of that tool, not of the team.
   */
  generatedBy?: 'prisma' | 'drizzle';
  /**
   * Where the tables are declared when not in SQL migrations: `drizzle` (`pgTable(...)` in TypeScript), `prisma` (`model` blocks)
   * or `typeorm` (`@Entity()` classes; `root` is the package;
   * `root` is the package for Drizzle and the schema's folder for Prisma, `files` the schema files, each
   * table's origin its declaration).
   */
  declaredBy?: 'drizzle' | 'prisma' | 'typeorm';
  /**
   * How the ORM client in the code names this schema's tables, when the ORM's model declarations are
   * in the tree (a Prisma schema beside the migrations): what lets a rule find the code's queries of a table.
   */
  orm?: OrmNames;
  /**
   * What the code of the run does with a foreign key of this schema (src/model/key-usage.ts); present
   * when the schema has `orm` names, absent when archlint reads no code for it.
   */
  keyUse?: (foreignKey: ForeignKey) => KeyUse;
  /** In the order they are applied. */
  files: MigrationFile[];
  /** Every schema change of the applied files, in order. */
  events: SchemaEvent[];
  /** The state after every applied migration, in order of creation. */
  tables: Table[];
  table(name: TableName): Table | undefined;
  /** What the database engine does by itself, for rules that ask about behaviour rather than a dialect's name. */
  engine: EngineFacts;
}

/** What the code does with a foreign key (see src/model/key-usage.ts). */
export type KeyUse =
  /** The code looks the child rows up by the key (or may: a query archlint cannot read). */
  | 'queried'
  /** Parent rows are hard-deleted, so each delete looks for the children. */
  | 'parent-deleted'
  /** Neither: nothing reads the children by this key and no parent row is ever deleted. */
  | 'idle'
  /** archlint cannot see how the code uses these tables. */
  | 'unknown';

/** The names an ORM client gives a schema's tables, fields and relations (Prisma: `prisma.<accessor>.<op>({ where })`). */
export interface OrmNames {
  tool: 'prisma';
  /** By table, named as formatTableName names it. */
  tables: ReadonlyMap<string, OrmTableNames>;
}

export interface OrmTableNames {
  /** The client's property for the table's model: `account` for `model Account`, `taskRun` for `model TaskRun`. */
  accessor: string;
  /** The model's field name of each column (`userId` for `user_id` mapped by `@map`). */
  fields: ReadonlyMap<string, string>;
  /**
   * The relation fields that hold a foreign key: its columns, the field's name (`user`), the parent's
   * table, and every field of the parent model typed as this one (`accounts`): the names a query uses
   * to follow the key from either side.
   */
  relations: ReadonlyArray<{
    columns: readonly string[];
    field: string;
    parent: string;
    backFields: readonly string[];
  }>;
}

/** What each dialect's engine does (the `engine` of its record in dialects.ts). */
export const ENGINE_FACTS: Readonly<Record<SqlDialect, EngineFacts>> = {
  postgres: DIALECTS.postgres.engine,
  mysql: DIALECTS.mysql.engine,
  mariadb: DIALECTS.mariadb.engine,
  sqlite: DIALECTS.sqlite.engine,
};

export interface SchemaModel {
  /** One per migration folder (per dialect variant), ordered by root. */
  schemas: Schema[];
  /** Every foreign key of every schema's final state, with its schema and table. */
  foreignKeys(): Array<{ schema: Schema; table: Table; foreignKey: ForeignKey }>;
}

/** `schema.name`, or `name` in the default schema: how a table is named in messages. */
export function formatTableName(name: TableName): string {
  return name.schema ? `${name.schema}.${name.name}` : name.name;
}

/** A soft-delete marker: the time a row was marked deleted or archived (`deleted_at`, `deletedAt`, `archived_at`, `removed_at`). */
const SOFT_DELETE_MARKER = /^(?:deleted|archived|removed|trashed)_?(?:at|on)$/i;

/** The column marks a row as deleted (or archived) instead of deleting it. */
export function isSoftDeleteMarker(column: Pick<Column, 'name'>): boolean {
  return SOFT_DELETE_MARKER.test(column.name);
}
