import { authAdapterTableOf, defineRule, formatTableName, migrationToolOf, type Table } from '../../src/rule-api.js';

/**
 * Prisma names the table of an implicit many-to-many relation `_<A>To<B>`, or `_<relation name>`
 * for a named relation (`_UserFollows`), always with exactly the columns A and B.
 */
const PRISMA_JOIN_TABLE = /^_[A-Za-z0-9]+To[A-Za-z0-9]+$/;
function isPrismaJoinTable(table: Table): boolean {
  if (PRISMA_JOIN_TABLE.test(table.name.name)) return true;
  return (
    table.name.name.startsWith('_') &&
    table.columns
      .map((column) => column.name)
      .sort()
      .join(',') === 'A,B'
  );
}

/** Column lists the table is unique by: unique constraints and unique indexes on plain columns, without a `WHERE`. */
function uniqueKeys(table: Table): string[][] {
  return [
    ...table.uniques.map((unique) => unique.columns),
    ...table.indexes
      .filter((index) => index.unique && !index.partial && !index.expression)
      .map((index) => index.columns as string[]),
  ];
}

function notNull(table: Table, columns: readonly string[]): boolean {
  return (
    columns.length > 0 &&
    columns.every((name) => table.columns.some((column) => column.name === name && !column.nullable))
  );
}

/**
 * The table's identifier is declared unique instead of primary (`id text NOT NULL` + a unique index
 * on it alone, Prisma `id String @unique`): every row is addressed by it, duplicates cannot exist,
 * and turning the index into the key changes nothing a reader or an ORM sees.
 */
function identifiedByUniqueId(table: Table): boolean {
  return uniqueKeys(table).some((keys) => keys.length === 1 && keys[0]!.toLowerCase() === 'id' && notNull(table, keys));
}

/**
 * One row per parent: a single NOT NULL column that is a foreign key and unique on its own
 * (`workspace_id` of a workspace's default provider settings). The table extends its parent one to
 * one, every row is addressed by the parent's key, and the unique index is that key in all but name.
 */
function extendsParentOneToOne(table: Table): boolean {
  return uniqueKeys(table).some(
    (keys) =>
      keys.length === 1 &&
      notNull(table, keys) &&
      table.foreignKeys.some((fk) => fk.columns.length === 1 && fk.columns[0] === keys[0]),
  );
}

/**
 * A primary key a later migration dropped while a unique key on NOT NULL columns stands: the team
 * replaced the key on purpose (e.g. an id unique only within a project, keyed by (project_id, id)).
 */
function keyReplacedOnPurpose(table: Table): boolean {
  return (
    table.removedIndexes.some((removed) => removed.kind === 'primary-key') &&
    uniqueKeys(table).some((keys) => notNull(table, keys))
  );
}

export default defineRule({
  meta: {
    id: 'db/primary-keys',
    title: 'Every table has a primary key',
    severity: 'warning',
    requires: ['schema'],
    tags: ['database', 'data-integrity'],
    why:
      'Without a primary key nothing stops duplicate rows, a single row cannot be updated or deleted reliably, ORMs ' +
      'and admin tools cannot address it, and logical replication (and tools built on it: CDC, zero-downtime ' +
      'upgrades) cannot replicate its updates and deletes. MySQL InnoDB silently adds a hidden key you cannot use.',
    fix:
      'Add a primary key: a surrogate `id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY` (or a UUID), or the ' +
      'natural key the rows are unique by, e.g. `ALTER TABLE order_events ADD PRIMARY KEY (order_id, created_at)`. ' +
      'A unique index is not a substitute. Not reported: a table whose `id` column is NOT NULL and unique on its own ' +
      '(declared unique instead of primary: it is the key in all but name), a table with one row per parent (a NOT NULL ' +
      "foreign key column unique on its own: the parent's key addresses every row), a table whose primary key a later migration " +
      'dropped while a unique key on NOT NULL columns stands (replaced on purpose), and tables whose shape a library ' +
      "prescribes: Prisma's implicit many-to-many tables, Auth.js's verification-token model, migration tools' " +
      'bookkeeping tables.',
    examples: {
      bad: [
        {
          description: 'An append-only audit table with no key',
          files: {
            'db/migrations/001_audit.sql':
              'CREATE TABLE audit_log (\n  actor text NOT NULL,\n  action text NOT NULL,\n  at timestamptz NOT NULL\n);\n',
          },
        },
      ],
      good: [
        {
          description: 'The key is added by a later migration',
          files: {
            'db/migrations/001_audit.sql':
              'CREATE TABLE audit_log (\n  actor text NOT NULL,\n  action text NOT NULL,\n  at timestamptz NOT NULL\n);\n',
            'db/migrations/002_audit_key.sql':
              'ALTER TABLE audit_log ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;\n',
          },
        },
      ],
    },
    messages: {
      missing: 'Table {{table}} has no primary key after all migrations',
      missingDeclared: 'Table {{table}} is declared without a primary key',
    },
  },
  check(ctx) {
    for (const schema of ctx.schema.schemas) {
      for (const table of schema.tables) {
        // Tables only altered here are defined elsewhere; partitions and children inherit keys from their parent.
        if (!table.declared || table.inherits || table.primaryKey) continue;
        // Prisma's implicit many-to-many table (`_PostToTag(A, B)`, unique on (A, B)): the tool's, not the team's.
        if (schema.generatedBy === 'prisma' && isPrismaJoinTable(table)) continue;
        // Shapes a library prescribes (an auth adapter's model, a migration tool's history): not the team's to key.
        if (authAdapterTableOf(table) || migrationToolOf(table)) continue;
        if (identifiedByUniqueId(table) || extendsParentOneToOne(table) || keyReplacedOnPurpose(table)) continue;
        ctx.report({
          at: table,
          messageId: schema.declaredBy ? 'missingDeclared' : 'missing',
          data: { table: formatTableName(table.name) },
        });
      }
    }
  },
});
