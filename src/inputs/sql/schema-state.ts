/**
 * The state the schema fold (fold.ts) works on: the tables by name, the names given so far (so a
 * name never given spares a look through every table), and how the dialect compares and finds
 * them — tables, columns, indexes, key constraints — case folded or not, schema-qualified or not.
 */
import type { Origin } from '../../model/finding.js';
import type { Column, Index, KeyConstraint, SqlDialect, Table, TableName } from '../../model/schema.js';
import { DIALECTS } from '../../model/dialects.js';
import { defaultIndexName } from './names.js';

export class SchemaState {
  protected readonly tables = new Map<string, Table>();
  /**
   * Every index name given so far (folded with `nameKey`), dropped or not: a name not here names
   * no index, which spares PostgreSQL's CREATE INDEX a look through every table (findIndex).
   */
  protected readonly indexNames = new Set<string>();
  /**
   * The keys of every table a foreign key has pointed at so far: a table not here is referenced by
   * no foreign key, so dropping or renaming it (or its columns) needs no look through every table.
   */
  protected readonly referenced = new Set<string>();
  /** Every primary-key and unique-constraint name given so far (folded with `nameKey`), like `indexNames`. */
  protected readonly keyNames = new Set<string>();
  /** PostgreSQL folds names in the parser; MySQL and SQLite compare names without case. */
  protected readonly caseless: boolean;
  /** The engine makes an index for a foreign key that has none (InnoDB, see innodb.ts). */
  protected readonly innodb: boolean;

  constructor(protected readonly dialect: SqlDialect) {
    this.caseless = DIALECTS[dialect].caselessNames;
    this.innodb = DIALECTS[dialect].engine.indexesForeignKeys;
  }

  list(): Table[] {
    return [...this.tables.values()];
  }

  get(name: TableName): Table | undefined {
    return this.tables.get(this.key(name));
  }

  /** PostgreSQL index names are unique per schema; MySQL's per table (`DROP INDEX i ON t`). */
  protected findIndex(
    name: string,
    schema: string | undefined,
    tableName: TableName | undefined,
  ): { table: Table; index: Index } | undefined {
    if (!this.indexNames.has(this.nameKey(name))) return undefined;
    const named = (i: Index): boolean => i.name !== undefined && this.same(i.name, name);
    if (tableName) {
      const table = this.get(tableName);
      const index = table?.indexes.find(named);
      return table && index ? { table, index } : undefined;
    }
    // Every CREATE INDEX in PostgreSQL asks (is the name taken?): a plain loop, no copies.
    for (const table of this.tables.values()) {
      if (table.name.schema !== schema) continue;
      const index = table.indexes.find(named);
      if (index) return { table, index };
    }
    return undefined;
  }

  /**
   * `DROP INDEX i` with no schema when no index of the default schema is named `i`, but exactly one of
   * another schema is: the migration tool runs with a search_path archlint cannot see (set in its
   * code or connection), and the statement names the one index it means to drop.
   */
  protected onlyIndexNamed(name: string): { table: Table; index: Index } | undefined {
    if (!this.indexNames.has(this.nameKey(name))) return undefined;
    let only: { table: Table; index: Index } | undefined;
    for (const table of this.tables.values()) {
      for (const index of table.indexes) {
        if (index.name === undefined || !this.same(index.name, name)) continue;
        if (only) return undefined;
        only = { table, index };
      }
    }
    return only;
  }

  /** A table, or the index of a primary key or unique constraint, of `schema` is named `name`. */
  protected takenByOtherRelation(name: string, schema: string | undefined): boolean {
    if (this.tables.has(this.key({ ...(schema !== undefined ? { schema } : {}), name }))) return true;
    if (!this.keyNames.has(this.nameKey(name))) return false;
    const named = (key: KeyConstraint | undefined): boolean => key?.name !== undefined && this.same(key.name, name);
    for (const table of this.tables.values()) {
      if (table.name.schema === schema && (named(table.primaryKey) || table.uniques.some(named))) return true;
    }
    return false;
  }

  protected ensure(name: TableName, origin: Origin): Table {
    const existing = this.get(name);
    if (existing) return existing;
    const table: Table = {
      name: this.canonicalName(name),
      origin,
      declared: false,
      inherits: false,
      columns: [],
      uniques: [],
      indexes: [],
      foreignKeys: [],
      removedIndexes: [],
    };
    this.tables.set(this.key(name), table);
    return table;
  }

  protected keyConstraint(name: string | undefined, columns: string[], origin: Origin): KeyConstraint {
    if (name !== undefined) this.keyNames.add(this.nameKey(name));
    return { ...(name !== undefined ? { name } : {}), columns, origin };
  }

  /** PostgreSQL's generated name for an unnamed constraint; other dialects name them differently, and nothing here needs those. */
  protected pgName(table: string, columns: string[], suffix: 'pkey' | 'key' | 'fkey'): string | undefined {
    return DIALECTS[this.dialect].postgresKeyNaming ? defaultIndexName(table, columns, suffix) : undefined;
  }

  protected column(table: Table, name: string): Column | undefined {
    return table.columns.find((c) => this.same(c.name, name));
  }

  /** Column names as the table declares them (MySQL `USERID` → `userId`). */
  protected columnsOf(table: Table, names: readonly string[]): string[] {
    return names.map((name) => this.column(table, name)?.name ?? name);
  }

  protected canonicalName(name: TableName): TableName {
    return name.schema ? { schema: name.schema, name: name.name } : { name: name.name };
  }

  protected key(name: TableName): string {
    const key = `${name.schema ?? ''}\u0000${name.name}`;
    return this.caseless ? key.toLowerCase() : key;
  }

  protected nameKey(name: string): string {
    return this.caseless ? name.toLowerCase() : name;
  }

  protected readonly same = (a: string, b: string): boolean =>
    this.caseless ? a.toLowerCase() === b.toLowerCase() : a === b;

  protected sameTable(a: TableName, b: TableName): boolean {
    return this.same(a.name, b.name) && this.same(a.schema ?? '', b.schema ?? '');
  }
}
