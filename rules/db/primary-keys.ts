import {
  authAdapterTableOf,
  defineRule,
  formatTableName,
  libraryStorageOf,
  migrationToolOf,
  type Table,
} from '../../src/rule-api.js';

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
 * Keyed by a unique key on NOT NULL columns, on an engine that makes such a key the table's own
 * (InnoDB: see EngineFacts.notNullUniqueIsKey). Elsewhere a unique key is not a primary key, however
 * NOT NULL: it is reported, and the fix is to promote it.
 */
function keyedByUniqueKey(table: Table): boolean {
  return uniqueKeys(table).some((keys) => notNull(table, keys));
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
      'A unique key is not a substitute, however NOT NULL (an `id` declared `@unique`, one row per parent, a join ' +
      "table's pair): on PostgreSQL and SQLite it is reported, because logical replication cannot send the table's " +
      'updates and deletes without a replica identity set by hand, tools and ORMs look for the primary key, and ' +
      'promoting the unique key is a one-line change; on MySQL/MariaDB (InnoDB) the first unique key on NOT NULL ' +
      "columns is the table's clustered key and replication's primary-key equivalent, so there it counts as the key. " +
      'Not reported: a table whose primary key a later migration ' +
      'dropped while a unique key on NOT NULL columns stands (replaced on purpose), and tables whose shape a library ' +
      "prescribes: Prisma's implicit many-to-many tables, Auth.js's verification-token model, migration tools' " +
      "bookkeeping tables, and a library's own storage (Mastra's `mastra_*` tables, pg-boss's and Graphile Worker's schemas) " +
      'copied into the schema by `prisma db pull` or a dump.',
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
      uniqueOnly:
        'Table {{table}} has no primary key, only the unique key ({{columns}}) on NOT NULL columns: make it the primary key',
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
        if (authAdapterTableOf(table) || migrationToolOf(table) || libraryStorageOf(table)) continue;
        if (keyReplacedOnPurpose(table)) continue;
        if (schema.engine.notNullUniqueIsKey && keyedByUniqueKey(table)) continue;
        // A unique key on NOT NULL columns is the natural key to promote: say so rather than ask for a new one.
        const promotable = uniqueKeys(table).find((keys) => notNull(table, keys));
        ctx.report({
          at: table,
          messageId: promotable ? 'uniqueOnly' : schema.declaredBy ? 'missingDeclared' : 'missing',
          data: { table: formatTableName(table.name), columns: promotable?.join(', ') ?? '' },
        });
      }
    }
  },
});
