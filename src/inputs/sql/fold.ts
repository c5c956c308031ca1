/**
 * Applies schema events in order and returns the state they leave: tables with their columns,
 * keys, indexes and foreign keys. Tolerant like a reviewer, not strict like a database: a
 * statement about a table no migration here created makes a placeholder table (`declared: false`),
 * a repeated CREATE replaces, a DROP of something unknown is ignored. The tables and how names are
 * compared and found: schema-state.ts.
 */
import type { Origin } from '../../model/finding.js';
import type {
  Column,
  ColumnDefinition,
  ConstraintDefinition,
  ForeignKey,
  Index,
  IndexDefinition,
  KeyConstraint,
  SchemaEvent,
  SqlDialect,
  Table,
  TableName,
} from '../../model/schema.js';
import { addImplicitIndex, releaseImplicitIndexes, replaceImplicitIndexes } from './innodb.js';
import { SchemaState } from './schema-state.js';
import { DIALECTS } from '../../model/dialects.js';

export interface FoldedState {
  tables: Table[];
  table(name: TableName): Table | undefined;
}

export function foldEvents(events: readonly SchemaEvent[], dialect: SqlDialect): FoldedState {
  const state = new SchemaFold(dialect);
  for (const event of events) state.apply(event);
  return { tables: state.list(), table: (name) => state.get(name) };
}

class SchemaFold extends SchemaState {
  /** Inside a CREATE TABLE: InnoDB's foreign-key indexes wait until all its keys and indexes are known. */
  private creating = false;

  apply(event: SchemaEvent): void {
    switch (event.kind) {
      case 'create-table':
        return this.createTable(event);
      case 'drop-table':
        return this.dropTable(event.table);
      case 'rename-table':
        return this.renameTable(event.table, event.to);
      case 'add-column': {
        const table = this.ensure(event.table, event.origin);
        if (event.ifNotExists && this.column(table, event.column.name)) return;
        this.addColumn(table, event.column);
        return;
      }
      case 'drop-column':
        return this.dropColumn(event.table, event.column);
      case 'rename-column':
        return this.renameColumn(event.table, event.from, event.to);
      case 'alter-column': {
        const column = this.get(event.table) && this.column(this.get(event.table)!, event.column);
        if (!column) return;
        if (event.type) {
          column.type = event.type;
          // The type a rule judges is now the one written here.
          column.origin = event.origin;
        }
        if (event.nullable !== undefined) column.nullable = event.nullable;
        return;
      }
      case 'add-constraint':
        return this.addConstraint(this.ensure(event.table, event.origin), event.constraint, []);
      case 'drop-constraint':
        return this.dropConstraint(event.table, event.name, event.constraint, event.origin);
      case 'create-index':
        return this.createIndex(event.index);
      case 'drop-index':
        return this.dropIndex(event.name, event.schema, event.table, event.origin);
      case 'rename-constraint': {
        // The constraint keeps its columns and index under a new name: a later drop or re-add goes by that name.
        const table = this.get(event.table);
        if (!table) return;
        for (const key of [table.primaryKey, ...table.uniques, ...table.foreignKeys])
          if (key?.name !== undefined && this.same(key.name, event.from)) key.name = event.to;
        return;
      }
      case 'rename-index': {
        const found = this.findIndex(event.name, event.schema, event.table);
        if (found) {
          found.index.name = event.to;
          this.indexNames.add(this.nameKey(event.to));
        }
        return;
      }
    }
  }

  private createTable(event: Extract<SchemaEvent, { kind: 'create-table' }>): void {
    const existing = this.get(event.table);
    if (existing?.declared && event.ifNotExists) return;
    const table: Table = {
      name: this.canonicalName(event.table),
      origin: event.origin,
      // A declaration read only in part (a column built by code archlint cannot follow) is not fully known.
      declared: !event.partlyKnown,
      inherits: event.inherits,
      columns: [],
      uniques: [],
      indexes: [],
      foreignKeys: [],
      removedIndexes: [],
      ...(event.engine ? { engine: event.engine } : {}),
    };
    if (existing) this.tables.delete(this.key(event.table));
    this.tables.set(this.key(table.name), table);
    for (const column of event.columns) this.addColumn(table, column);
    this.creating = true;
    for (const constraint of event.constraints) this.addConstraint(table, constraint, []);
    if (DIALECTS[this.dialect].postgresKeyNaming) this.mergeKeyIndexes(table);
    for (const index of event.indexes) this.createIndex(index);
    this.creating = false;
    if (this.innodb) for (const fk of table.foreignKeys) this.implicitIndex(table, fk);
  }

  private implicitIndex(table: Table, fk: ForeignKey): void {
    const index = addImplicitIndex(table, fk, this.same);
    // A later DROP INDEX or ALTER TABLE … DROP KEY can name it.
    if (index?.name !== undefined) this.indexNames.add(this.nameKey(index.name));
    replaceImplicitIndexes(table, this.same);
  }

  /**
   * PostgreSQL builds one index per distinct key of a CREATE TABLE: a UNIQUE on the primary key's
   * columns (`id uuid UNIQUE, … PRIMARY KEY (id)`) or a repeated UNIQUE makes no index of its own
   * (transformIndexConstraints: "remove any redundant index specifications"); the key kept takes the
   * name of the one dropped when only that one was named.
   */
  private mergeKeyIndexes(table: Table): void {
    if (table.uniques.length === 0) return;
    const tableName = table.name.name;
    const kept: Array<{ key: KeyConstraint; defaultName: string | undefined }> = table.primaryKey
      ? [{ key: table.primaryKey, defaultName: this.pgName(tableName, [], 'pkey') }]
      : [];
    table.uniques = table.uniques.filter((unique) => {
      const defaultName = this.pgName(tableName, unique.columns, 'key');
      const same = kept.find(
        ({ key }) =>
          key.columns.length === unique.columns.length && key.columns.every((c, i) => this.same(c, unique.columns[i]!)),
      );
      if (!same) {
        kept.push({ key: unique, defaultName });
        return true;
      }
      if (same.key.name === same.defaultName && unique.name !== undefined && unique.name !== defaultName) {
        same.key.name = unique.name;
        same.defaultName = undefined;
      }
      return false;
    });
  }

  private dropTable(name: TableName): void {
    const table = this.get(name);
    if (!table) return;
    this.tables.delete(this.key(name));
    // PostgreSQL: dropping a referenced table needs CASCADE, which drops the foreign keys pointing at
    // it. SQLite and MySQL keep a foreign key with the table that declares it, naming its parent:
    // the parent dropped (foreign-key checks off) and made again under that name, as SQLite's
    // table-rebuild recipe does, it points at the new table.
    if (!DIALECTS[this.dialect].dropCascadesForeignKeys || !this.referenced.has(this.key(name))) return;
    const pointsHere = (fk: ForeignKey): boolean => this.sameTable(fk.references.table, name);
    for (const other of this.tables.values()) {
      // Most tables hold no such key: keep their arrays (a history drops hundreds of tables).
      if (other.foreignKeys.some(pointsHere)) other.foreignKeys = other.foreignKeys.filter((fk) => !pointsHere(fk));
    }
  }

  private renameTable(from: TableName, to: TableName): void {
    const table = this.get(from);
    if (!table) return;
    this.tables.delete(this.key(from));
    table.name = to;
    for (const index of table.indexes) index.table = to;
    for (const fk of table.foreignKeys) fk.table = to;
    this.tables.set(this.key(to), table);
    if (!this.referenced.has(this.key(from))) return;
    this.referenced.add(this.key(to));
    for (const other of this.tables.values()) {
      for (const fk of other.foreignKeys) if (this.sameTable(fk.references.table, from)) fk.references.table = to;
    }
  }

  private addColumn(table: Table, definition: ColumnDefinition): void {
    const column: Column = {
      name: definition.name,
      type: definition.type,
      nullable: definition.nullable,
      origin: definition.origin,
    };
    const at = table.columns.findIndex((c) => this.same(c.name, definition.name));
    if (at >= 0) table.columns[at] = column;
    else table.columns.push(column);
    for (const constraint of definition.constraints) this.addConstraint(table, constraint, [definition.name]);
  }

  private dropColumn(name: TableName, columnName: string): void {
    const table = this.get(name);
    if (!table) return;
    const uses = (columns: ReadonlyArray<string | null>): boolean =>
      columns.some((c) => c !== null && this.same(c, columnName));
    table.columns = table.columns.filter((c) => !this.same(c.name, columnName));
    // An index whose key or predicate uses the column goes with it.
    table.indexes = table.indexes.filter((index) => !uses(index.columns) && !uses(index.predicateNotNull ?? []));
    table.uniques = table.uniques.filter((unique) => !uses(unique.columns));
    if (table.primaryKey && uses(table.primaryKey.columns)) delete table.primaryKey;
    table.foreignKeys = table.foreignKeys.filter((fk) => !uses(fk.columns));
    if (!this.referenced.has(this.key(name))) return;
    for (const other of this.tables.values()) {
      other.foreignKeys = other.foreignKeys.filter(
        (fk) => !(this.sameTable(fk.references.table, name) && uses(fk.references.columns)),
      );
    }
  }

  private renameColumn(name: TableName, from: string, to: string): void {
    const table = this.get(name);
    if (!table) return;
    const column = this.column(table, from);
    if (column) column.name = to;
    const rename = <T extends string | null>(columns: T[]): T[] =>
      columns.map((c) => (c !== null && this.same(c, from) ? (to as T) : c));
    for (const index of table.indexes) {
      index.columns = rename(index.columns);
      if (index.predicateNotNull) index.predicateNotNull = rename(index.predicateNotNull);
    }
    for (const unique of table.uniques) unique.columns = rename(unique.columns);
    if (table.primaryKey) table.primaryKey.columns = rename(table.primaryKey.columns);
    for (const fk of table.foreignKeys) fk.columns = rename(fk.columns);
    if (!this.referenced.has(this.key(name))) return;
    for (const other of this.tables.values()) {
      for (const fk of other.foreignKeys)
        if (this.sameTable(fk.references.table, name)) fk.references.columns = rename(fk.references.columns);
    }
  }

  /** `inline` is the column of an inline constraint (`id int PRIMARY KEY`), [] for a table constraint. */
  private addConstraint(table: Table, definition: ConstraintDefinition, inline: string[]): void {
    const adopted = definition.usingIndex ? this.adoptIndex(table, definition.usingIndex) : undefined;
    const columns = this.columnsOf(table, adopted ?? (definition.columns.length > 0 ? definition.columns : inline));
    const tableName = table.name.name;
    if (definition.kind === 'primary-key') {
      table.primaryKey = this.keyConstraint(
        definition.name ?? this.pgName(tableName, [], 'pkey'),
        columns,
        definition.origin,
      );
      for (const column of columns) {
        const declared = this.column(table, column);
        if (declared) declared.nullable = false;
      }
      if (this.innodb && !this.creating) replaceImplicitIndexes(table, this.same);
      return;
    }
    // A table holds one constraint of a name: adding it again fails unless a guard skipped the statement
    // (`IF NOT EXISTS (… WHERE constraint_name = …) THEN ALTER TABLE … ADD CONSTRAINT`), which is how
    // a history that re-adds it ran. The first one stays; a later drop by that name removes it.
    const named = definition.name;
    if (named !== undefined && (definition.kind === 'unique' || definition.references)) {
      const keys: Array<{ name?: string }> = definition.kind === 'unique' ? table.uniques : table.foreignKeys;
      if (keys.some((key) => key.name !== undefined && this.same(key.name, named))) return;
    }
    if (definition.kind === 'unique') {
      table.uniques.push(
        this.keyConstraint(definition.name ?? this.pgName(tableName, columns, 'key'), columns, definition.origin),
      );
      if (this.innodb && !this.creating) replaceImplicitIndexes(table, this.same);
      return;
    }
    if (!definition.references) return;
    const target = this.get(definition.references.table);
    const referenced =
      definition.references.columns.length > 0 ? definition.references.columns : (target?.primaryKey?.columns ?? []);
    const fk: ForeignKey = {
      table: table.name,
      columns,
      references: {
        table: target?.name ?? this.canonicalName(definition.references.table),
        columns: target ? this.columnsOf(target, referenced) : [...referenced],
      },
      origin: definition.origin,
    };
    if (definition.onDelete) fk.onDelete = definition.onDelete;
    const name = definition.name ?? this.pgName(tableName, columns, 'fkey');
    if (name !== undefined) fk.name = name;
    table.foreignKeys.push(fk);
    this.referenced.add(this.key(fk.references.table));
    if (this.innodb && !this.creating) this.implicitIndex(table, fk);
  }

  private dropConstraint(
    name: TableName,
    constraintName: string | undefined,
    kind: string | undefined,
    removedAt: Origin,
  ): void {
    const table = this.get(name);
    if (!table) return;
    const matches = (key: { name?: string }): boolean =>
      constraintName !== undefined && key.name !== undefined && this.same(key.name, constraintName);
    const pk = table.primaryKey;
    if (pk && (kind === 'primary-key' || matches(pk))) {
      table.removedIndexes.push({
        kind: 'primary-key',
        ...(pk.name ? { name: pk.name } : {}),
        columns: pk.columns,
        partial: false,
        origin: pk.origin,
        removedAt,
      });
      delete table.primaryKey;
      return;
    }
    const unique = table.uniques.find(matches);
    if (unique) {
      table.uniques = table.uniques.filter((u) => u !== unique);
      table.removedIndexes.push({
        kind: 'unique',
        ...(unique.name ? { name: unique.name } : {}),
        columns: unique.columns,
        partial: false,
        origin: unique.origin,
        removedAt,
      });
      return;
    }
    const dropped = table.foreignKeys.filter(matches);
    if (dropped.length === 0) {
      // MySQL 8 `DROP CONSTRAINT uq`: no foreign key has the name, so it is a unique key, folded as a unique index.
      const index = table.indexes.find((i) => i.unique && matches(i));
      if (index && constraintName !== undefined && DIALECTS[this.dialect].dropConstraintDropsUniqueIndex)
        this.dropIndex(constraintName, undefined, table.name, removedAt);
      return;
    }
    table.foreignKeys = table.foreignKeys.filter((fk) => !matches(fk));
    if (this.innodb) releaseImplicitIndexes(table, dropped, this.same);
    // MySQL: `ALTER TABLE t DROP KEY k` / `DROP INDEX k` arrive as drop-index; nothing else to do here.
  }

  private createIndex(definition: IndexDefinition): void {
    // In PostgreSQL an index name is a relation name of its schema, shared with tables and with the
    // indexes of primary keys and unique constraints: CREATE INDEX with a taken name makes no index
    // (IF NOT EXISTS skips it, plain CREATE INDEX fails).
    if (
      DIALECTS[this.dialect].indexNamesPerSchema &&
      definition.name !== undefined &&
      this.takenByOtherRelation(definition.name, definition.table.schema)
    )
      return;
    const table = this.ensure(definition.table, definition.origin);
    if (definition.name !== undefined) {
      const existing = this.findIndex(
        definition.name,
        definition.table.schema,
        DIALECTS[this.dialect].indexNamesPerSchema ? undefined : table.name,
      );
      if (existing && definition.ifNotExists) return;
      if (existing) existing.table.indexes = existing.table.indexes.filter((index) => index !== existing.index);
    }
    const index: Index = {
      table: table.name,
      columns: definition.columns.map((c) => (c === null ? null : (this.column(table, c)?.name ?? c))),
      unique: definition.unique,
      partial: definition.partial,
      expression: definition.columns.some((c) => c === null),
      origin: definition.origin,
    };
    if (definition.name !== undefined) {
      index.name = definition.name;
      this.indexNames.add(this.nameKey(definition.name));
    }
    if (definition.method !== undefined) index.method = definition.method;
    if (definition.predicate !== undefined) index.predicate = definition.predicate;
    if (definition.predicateNotNull !== undefined)
      index.predicateNotNull = definition.predicateNotNull.map((c) => this.column(table, c)?.name ?? c);
    table.indexes.push(index);
    if (this.innodb && !this.creating) replaceImplicitIndexes(table, this.same);
  }

  private dropIndex(
    name: string,
    schema: string | undefined,
    tableName: TableName | undefined,
    removedAt: Origin,
  ): void {
    const found =
      this.findIndex(name, schema, tableName) ??
      (schema === undefined && !tableName ? this.onlyIndexNamed(name) : undefined);
    if (!found) return;
    const { table, index } = found;
    table.indexes = table.indexes.filter((i) => i !== index);
    table.removedIndexes.push({
      kind: 'index',
      name,
      columns: index.columns,
      partial: index.partial,
      origin: index.origin,
      removedAt,
    });
  }

  /** `ADD CONSTRAINT … UNIQUE USING INDEX idx`: the index becomes the constraint. */
  private adoptIndex(table: Table, name: string): string[] | undefined {
    const index = table.indexes.find((i) => i.name !== undefined && this.same(i.name, name));
    if (!index) return undefined;
    table.indexes = table.indexes.filter((i) => i !== index);
    return index.columns.filter((c): c is string => c !== null);
  }
}
