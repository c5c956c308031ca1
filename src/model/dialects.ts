/**
 * One record per SQL dialect: everything archlint does differently by engine, in one place.
 * Readers, the schema fold and rules ask a record what its engine does ("does it index foreign keys
 * itself?", "how is an identifier quoted?") instead of comparing dialect names, so adding a dialect
 * is one record here plus a reader, and a rule never learns a dialect's name.
 */
export type SqlDialect = 'postgres' | 'mysql' | 'mariadb' | 'sqlite';

/** Behaviour of a database engine that decides whether a schema choice is a problem. */
export interface EngineFacts {
  /**
   * The engine creates an index for a foreign key that has no usable one (InnoDB, MySQL's and
   * MariaDB's default engine: "an index is created on the referencing table automatically if it
   * does not exist"). PostgreSQL and SQLite index only the referenced key.
   */
  indexesForeignKeys: boolean;
  /**
   * The engine has a timestamp type that stores an instant (PostgreSQL `timestamptz`), so a
   * zone-less timestamp is a choice. MySQL's TIMESTAMP is stored as UTC and DATETIME has no zoned
   * variant; SQLite has no timestamp type.
   */
  zonedTimestampType: boolean;
  /**
   * A table without a primary key is keyed by its first unique key on NOT NULL columns: InnoDB
   * clusters the rows on it ("if you do not define a PRIMARY KEY, InnoDB uses the first UNIQUE index
   * where all the key columns are NOT NULL"), and MySQL's replication takes it as the primary key's
   * equivalent. PostgreSQL's logical replication cannot identify a row by a unique key without a
   * replica identity set by hand, and SQLite keys such a table by its hidden rowid.
   */
  notNullUniqueIsKey: boolean;
}

export interface DialectRecord {
  id: SqlDialect;
  /** The engine's name in messages: `PostgreSQL`, `MySQL`. */
  label: string;
  /** Dialects that can be one database (MySQL and MariaDB): tables of different families are never the same table. */
  family: 'postgres' | 'mysql' | 'sqlite';
  engine: EngineFacts;
  /**
   * How a script is cut into statements: PostgreSQL's dollar quotes protect function bodies and a
   * `DELIMITER` line only adds a terminator; in MySQL's client the delimiter replaces `;`.
   */
  splitter: 'postgres' | 'mysql';
  /**
   * Scripts may be written for the engine's command-line client, psql: its variables (`:NAME`) and
   * meta-commands (`\set`, `\gexec`) are not SQL, and are masked before parsing (psql-variables.ts).
   */
  psqlScripts: boolean;
  /** Which parser reads it: libpg-query (PostgreSQL's own) or node-sql-parser with this dialect's grammar. */
  parser: 'libpg-query' | 'node-sql-parser';
  /**
   * A dialect whose node-sql-parser grammar reads what this one's rejects, where the engine accepts
   * it too: MariaDB's grammar lags MySQL's on DDL MariaDB runs (`ADD CONSTRAINT … FOREIGN KEY` beside
   * other clauses).
   */
  grammarFallback?: SqlDialect;
  /**
   * Unquoted and quoted table/column names compare without case (MySQL on the usual
   * case-insensitive settings, SQLite always); PostgreSQL keeps the case a name is stored in.
   */
  caselessNames: boolean;
  /** Index names share one namespace with tables in a schema (PostgreSQL relations); elsewhere they are per table. */
  indexNamesPerSchema: boolean;
  /**
   * The engine names an unnamed key or index predictably (PostgreSQL `<table>_<columns>_key`), and
   * folds keys the way PostgreSQL does: a UNIQUE on the primary key's columns makes no index.
   */
  postgresKeyNaming: boolean;
  /**
   * Dropping a referenced table (with CASCADE) drops the foreign keys pointing at it (PostgreSQL);
   * MySQL and SQLite keep them, naming the parent, so a table rebuilt under that name is referenced again.
   */
  dropCascadesForeignKeys: boolean;
  /**
   * `ALTER TABLE t DROP CONSTRAINT name` (MySQL 8.0.19+, MariaDB 10.2+) drops the unique key of that
   * name, which the engine keeps (and archlint folds) as a unique index, when no foreign key has it.
   */
  dropConstraintDropsUniqueIndex: boolean;
  /** The schema unqualified names live in by default, left out of a TableName (`public`); undefined where there is none. */
  defaultSchema?: string;
  /** `SET search_path` decides where unqualified names go. */
  searchPath: boolean;
  /** Unquoted identifiers that need no quoting. */
  plainIdentifier: RegExp;
  /** Reserved words that must be quoted as identifiers. */
  reserved: ReadonlySet<string>;
  quote: '"' | '`';
  /** The exact decimal type as fix texts write it (`numeric`, `DECIMAL`). */
  exactDecimal: string;
  /** The type a zoned instant is written as when a tool asks for one (Sequelize `DATE`). */
  instantType: string;
  /** `CONCURRENTLY ` where the engine can build an index without blocking writes by saying so (PostgreSQL); MySQL's InnoDB does it by default. */
  onlineIndex: string;
  /** The statement that drops the named index of a table, for fix texts. */
  dropIndex(index: string, table: { schema?: string; name: string }): string;
  /** The statement that changes a column's type, for fix texts; undefined when the engine has none (SQLite). */
  alterColumnType?(table: string, column: string, type: string, nullable: boolean): string;
}

/** PostgreSQL's reserved key words (a table named `user` or `order` must be quoted). */
const POSTGRES_RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization both case cast check collate column constraint create ' +
    'current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc distinct do ' +
    'else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit ' +
    'localtime localtimestamp not null offset on only or order placing primary references returning select session_user ' +
    'some symmetric system_user table then to trailing true union unique user using variadic when where window with'
  ).split(' '),
);
/** MySQL's reserved words that are common table or column names. */
const MYSQL_RESERVED = new Set(
  (
    'add all alter and as asc between by case change check column condition constraint create cross current_date current_user ' +
    'database default delete desc describe distinct drop else exists false fetch for force foreign from grant group having in ' +
    'index inner insert interval into is join key keys kill leading left like limit lines load lock long match not null on ' +
    'option or order outer primary range read references rename repeat replace require restrict return revoke right rlike ' +
    'schema select set show signal table then to trigger true union unique unlock update usage use using values when where with write'
  ).split(' '),
);

const MYSQL_FAMILY: Omit<DialectRecord, 'id' | 'label'> = {
  family: 'mysql',
  // InnoDB: "an index is created on the referencing table automatically if it does not exist".
  engine: { indexesForeignKeys: true, zonedTimestampType: false, notNullUniqueIsKey: true },
  splitter: 'mysql',
  psqlScripts: false,
  parser: 'node-sql-parser',
  caselessNames: true,
  indexNamesPerSchema: false,
  postgresKeyNaming: false,
  dropCascadesForeignKeys: false,
  dropConstraintDropsUniqueIndex: true,
  searchPath: false,
  plainIdentifier: /^[A-Za-z_][A-Za-z0-9_$]*$/,
  reserved: MYSQL_RESERVED,
  quote: '`',
  exactDecimal: 'DECIMAL',
  instantType: 'datetime',
  onlineIndex: '',
  dropIndex: (index, table) => `DROP INDEX ${sqlIdentifier(index, 'mysql')} ON ${sqlIdentifier(table.name, 'mysql')};`,
  alterColumnType: (table, column, type, nullable) =>
    `ALTER TABLE ${table} MODIFY ${column} ${type}${nullable ? '' : ' NOT NULL'};`,
};

export const DIALECTS: Readonly<Record<SqlDialect, DialectRecord>> = {
  postgres: {
    id: 'postgres',
    label: 'PostgreSQL',
    family: 'postgres',
    // PostgreSQL indexes only the referenced key; `timestamptz` stores an instant.
    engine: { indexesForeignKeys: false, zonedTimestampType: true, notNullUniqueIsKey: false },
    splitter: 'postgres',
    psqlScripts: true,
    parser: 'libpg-query',
    caselessNames: false,
    indexNamesPerSchema: true,
    postgresKeyNaming: true,
    dropCascadesForeignKeys: true,
    dropConstraintDropsUniqueIndex: false,
    defaultSchema: 'public',
    searchPath: true,
    plainIdentifier: /^[a-z_][a-z0-9_$]*$/,
    reserved: POSTGRES_RESERVED,
    quote: '"',
    exactDecimal: 'numeric',
    instantType: 'timestamptz',
    onlineIndex: 'CONCURRENTLY ',
    // Index names live in the table's schema, so the drop names that schema.
    dropIndex: (index, table) =>
      `DROP INDEX CONCURRENTLY ${table.schema ? `${sqlIdentifier(table.schema, 'postgres')}.` : ''}${sqlIdentifier(index, 'postgres')};`,
    alterColumnType: (table, column, type) => `ALTER TABLE ${table} ALTER COLUMN ${column} TYPE ${type};`,
  },
  mysql: { id: 'mysql', label: 'MySQL', ...MYSQL_FAMILY },
  mariadb: { id: 'mariadb', label: 'MariaDB', ...MYSQL_FAMILY, grammarFallback: 'mysql' },
  sqlite: {
    id: 'sqlite',
    label: 'SQLite',
    family: 'sqlite',
    // SQLite indexes only the referenced key and has no timestamp type at all.
    engine: { indexesForeignKeys: false, zonedTimestampType: false, notNullUniqueIsKey: false },
    // SQLite scripts have no DELIMITER and no dollar quotes; the MySQL-style splitter reads them as written.
    splitter: 'mysql',
    psqlScripts: false,
    parser: 'node-sql-parser',
    caselessNames: true,
    indexNamesPerSchema: false,
    postgresKeyNaming: false,
    dropCascadesForeignKeys: false,
    // SQLite has no DROP CONSTRAINT.
    dropConstraintDropsUniqueIndex: false,
    searchPath: false,
    plainIdentifier: /^[A-Za-z_][A-Za-z0-9_$]*$/,
    reserved: POSTGRES_RESERVED,
    quote: '"',
    exactDecimal: 'NUMERIC',
    instantType: 'datetime',
    onlineIndex: '',
    dropIndex: (index) => `DROP INDEX ${sqlIdentifier(index, 'sqlite')};`,
  },
};

export function dialectRecord(dialect: SqlDialect): DialectRecord {
  return DIALECTS[dialect];
}

/**
 * The dialect a tool, folder or file name spells (`postgresql`, `pg`, `cockroachdb`, `mysql`,
 * `planetscale`, `mariadb`, `sqlite3`), or undefined for an engine archlint does not model.
 */
export function dialectOfTag(tag: string | undefined): SqlDialect | undefined {
  if (!tag) return undefined;
  if (/^(?:postgres|postgresql|pg|pgsql|cockroach|cockroachdb)$/.test(tag)) return 'postgres';
  // PlanetScale is MySQL (Vitess); CockroachDB speaks PostgreSQL's SQL.
  if (tag === 'mysql' || tag === 'planetscale') return 'mysql';
  if (tag === 'mariadb') return 'mariadb';
  if (/^sqlite3?$/.test(tag)) return 'sqlite';
  return undefined;
}

/**
 * The engine a folder name spells, for telling histories apart: `cockroachdb` and `planetscale`
 * share a grammar with `postgres` and `mysql` but are other databases; otherwise the dialect.
 */
export function engineOfTag(tag: string): string | undefined {
  const dialect = dialectOfTag(tag);
  if (!dialect) return undefined;
  if (/^cockroach(?:db)?$/.test(tag)) return 'cockroachdb';
  return tag === 'planetscale' ? 'planetscale' : dialect;
}

/** An identifier as it must be written in this dialect to mean `name` (quoted when case, characters or a reserved word require it). */
export function sqlIdentifier(name: string, dialect: SqlDialect): string {
  const record = DIALECTS[dialect];
  if (record.plainIdentifier.test(name) && !record.reserved.has(name.toLowerCase())) return name;
  const q = record.quote;
  return `${q}${name.split(q).join(q + q)}${q}`;
}

/** A table name as SQL text: `orders`, `billing.invoices`, `"OrderItem"`. */
export function sqlTableName(name: { schema?: string; name: string }, dialect: SqlDialect): string {
  return name.schema
    ? `${sqlIdentifier(name.schema, dialect)}.${sqlIdentifier(name.name, dialect)}`
    : sqlIdentifier(name.name, dialect);
}
