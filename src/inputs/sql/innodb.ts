/**
 * InnoDB's index for a foreign key (MySQL, MariaDB): "an index is created on the referencing table
 * automatically if it does not exist", i.e. when no index, primary key or unique key has the key's
 * columns as its leading columns, in order; that index "might be silently dropped later if you
 * create another index that can be used to enforce the foreign key constraint". Dropping the
 * foreign key leaves its index behind. The fold calls these for dialects whose engine facts say
 * `indexesForeignKeys`.
 */
import type { ForeignKey, Index, Table } from '../../model/schema.js';

type Same = (a: string, b: string) => boolean;

/** Columns that start with `key`'s columns, in order (a FULLTEXT or expression index never does). */
function serves(columns: ReadonlyArray<string | null>, key: readonly string[], same: Same): boolean {
  return (
    key.length > 0 &&
    key.length <= columns.length &&
    key.every((column, i) => columns[i] !== null && same(columns[i]!, column))
  );
}

/** The lookups other than `except` that can serve `key`. */
function served(table: Table, key: readonly string[], same: Same, except?: unknown): boolean {
  if (table.primaryKey && serves(table.primaryKey.columns, key, same)) return true;
  if (table.uniques.some((unique) => serves(unique.columns, key, same))) return true;
  return table.indexes.some(
    (index) => index !== except && index.method === undefined && !index.partial && serves(index.columns, key, same),
  );
}

/** InnoDB's index for `fk` when nothing on the table serves it yet. */
export function addImplicitIndex(table: Table, fk: ForeignKey, same: Same): Index | undefined {
  // Only InnoDB enforces foreign keys (MyISAM parses and ignores them).
  if (table.engine !== undefined && !/^innodb$/i.test(table.engine)) return undefined;
  if (served(table, fk.columns, same)) return undefined;
  const index: Index = {
    table: table.name,
    name: fk.name ?? fk.columns[0]!,
    columns: [...fk.columns],
    unique: false,
    partial: false,
    expression: false,
    implicit: true,
    origin: fk.origin,
  };
  table.indexes.push(index);
  return index;
}

/** After an index or key was added: InnoDB drops its own indexes that the new one can replace. */
export function replaceImplicitIndexes(table: Table, same: Same): void {
  if (!table.indexes.some((index) => index.implicit)) return;
  table.indexes = table.indexes.filter(
    (index) => !index.implicit || !served(table, index.columns as string[], same, index),
  );
}

/** The foreign key is gone; the index InnoDB made for it stays, as an ordinary index. */
export function releaseImplicitIndexes(table: Table, dropped: readonly ForeignKey[], same: Same): void {
  for (const index of table.indexes) {
    if (!index.implicit) continue;
    const stillNeeded = table.foreignKeys.some((fk) => serves(index.columns, fk.columns, same));
    if (!stillNeeded && dropped.some((fk) => serves(index.columns, fk.columns, same))) delete index.implicit;
  }
}
