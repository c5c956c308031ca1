/**
 * The tables whose rows go away when the code deletes rows: those it deletes itself, and every table
 * a cascading foreign key empties with them — a parent deleted only by a cascade still makes each of
 * its own children's keys be looked up. Shared by the query layers of key usage.
 */
import { formatTableName, type Schema } from './schema.js';

/**
 * Lower-cased formatted names (`schema.table` or `table`) of the deleted tables; `deletedDirectly`
 * is asked for every table of the schema and every table its keys reference.
 */
export function deletedByCascade(schema: Schema, deletedDirectly: (table: string) => boolean): Set<string> {
  const deleted = new Set<string>();
  const names = new Set<string>();
  for (const table of schema.tables) {
    names.add(formatTableName(table.name).toLowerCase());
    for (const fk of table.foreignKeys) names.add(formatTableName(fk.references.table).toLowerCase());
  }
  for (const name of names) if (deletedDirectly(name)) deleted.add(name);
  for (let grew = true; grew; ) {
    grew = false;
    for (const table of schema.tables) {
      const key = formatTableName(table.name).toLowerCase();
      if (deleted.has(key)) continue;
      if (
        table.foreignKeys.some(
          (fk) => fk.onDelete === 'cascade' && deleted.has(formatTableName(fk.references.table).toLowerCase()),
        )
      ) {
        deleted.add(key);
        grew = true;
      }
    }
  }
  return deleted;
}
