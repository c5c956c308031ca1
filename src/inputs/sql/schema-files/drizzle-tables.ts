/**
 * A Drizzle table as drizzle-read.ts reads it from one file (columns, keys, indexes, and the
 * references to tables held by variables, pending until every file of the schema is read), and the
 * events that create the tables once those references are resolved.
 */
import type { Origin } from '../../../model/finding.js';
import type {
  ColumnDefinition,
  ConstraintDefinition,
  IndexDefinition,
  ReferentialAction,
  SchemaEvent,
  SqlDialect,
  TableName,
} from '../../../model/schema.js';
import { declaredTableEvents } from './table-events.js';

/** One table declaration as read, before references to other tables are resolved. */
export interface DrizzleTable {
  file: string;
  /** The variable that holds it (`users` in `export const users = pgTable(...)`). */
  variable: string;
  name: TableName;
  dialect: SqlDialect;
  origin: Origin;
  /** Property key → column name (`workspaceId` → `workspace_id`). */
  columnsByKey: Map<string, string>;
  columns: ColumnDefinition[];
  constraints: ConstraintDefinition[];
  indexes: IndexDefinition[];
  /** Foreign keys whose target is a variable, resolved once every file is read. */
  pendingReferences: PendingReference[];
  /** A column or spread could not be read: the table is not fully known. */
  partlyKnown: boolean;
}

export interface PendingReference {
  /** The column that carries it inline, or undefined for a table-level `foreignKey()`. */
  column?: ColumnDefinition;
  columns: string[];
  target: Array<{ variable: string; key: string }>;
  name?: string;
  /** `.references(() => users.id, { onDelete: 'set null' })`. */
  onDelete?: ReferentialAction;
  origin: Origin;
}

/**
 * The events that create the tables, once references are resolved: `byVariable` finds a table
 * by the variable that holds it, across the files of one schema.
 */
export function drizzleEvents(
  tables: DrizzleTable[],
  byVariable: (variable: string, file: string) => DrizzleTable | undefined,
): SchemaEvent[] {
  const events: SchemaEvent[] = [];
  for (const table of tables) {
    const constraints = [...table.constraints];
    for (const reference of table.pendingReferences) {
      const targets = reference.target.map((t) => ({ table: byVariable(t.variable, table.file), key: t.key }));
      const target = targets[0]?.table;
      if (!target || targets.some((t) => t.table !== target)) continue;
      const columns = targets.map((t) => target.columnsByKey.get(t.key));
      if (columns.some((c) => c === undefined)) continue;
      const constraint: ConstraintDefinition = {
        kind: 'foreign-key',
        columns: reference.column ? [] : reference.columns,
        ...(reference.name ? { name: reference.name } : {}),
        references: { table: target.name, columns: columns as string[] },
        ...(reference.onDelete ? { onDelete: reference.onDelete } : {}),
        origin: reference.origin,
      };
      if (reference.column) reference.column.constraints.push(constraint);
      else constraints.push(constraint);
    }
    const { name, columns, partlyKnown, origin } = table;
    events.push(...declaredTableEvents({ table: name, columns, constraints, partlyKnown, origin }, table.indexes));
  }
  return events;
}
