/**
 * The events of a table a schema file declares (an entity, a model, a `createTable` call): what every
 * schema-file reader writes the same way, so the fold sees their tables alike.
 */
import type { IndexDefinition, SchemaEvent } from '../../../model/schema.js';

type CreateTable = Extract<SchemaEvent, { kind: 'create-table' }>;

/**
 * A table as a schema file declares it: its name, columns and keys, and where the declaration is (the
 * entity class, the model block, the call); `ifNotExists` (`createTableIfNotExists`, `.ifNotExists()`)
 * and `partlyKnown` (some columns or keys could not be read) are false unless given.
 */
export type DeclaredTable = Pick<CreateTable, 'table' | 'columns' | 'constraints' | 'origin'> &
  Partial<Pick<CreateTable, 'ifNotExists' | 'partlyKnown'>>;

/**
 * The create-table event of a declared table (no inline indexes, never inherited), followed by a
 * create-index event per index declared with it.
 */
export function declaredTableEvents(declared: DeclaredTable, indexes: readonly IndexDefinition[] = []): SchemaEvent[] {
  return [
    {
      kind: 'create-table',
      table: declared.table,
      columns: declared.columns,
      constraints: declared.constraints,
      indexes: [],
      ifNotExists: declared.ifNotExists ?? false,
      inherits: false,
      ...(declared.partlyKnown ? { partlyKnown: true } : {}),
      origin: declared.origin,
    },
    ...indexes.map((index): SchemaEvent => ({ kind: 'create-index', index, origin: index.origin })),
  ];
}
