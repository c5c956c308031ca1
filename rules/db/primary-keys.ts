import { defineRule, formatTableName } from '../../src/rule-api.js';

/** Prisma names the table of an implicit many-to-many relation `_<A>To<B>` (or `_<relation name>`) with columns A and B. */
const PRISMA_JOIN_TABLE = /^_[A-Za-z0-9]+To[A-Za-z0-9]+$/;

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
      'A unique index is not a substitute.',
    examples: {
      bad: [
        {
          description: 'An append-only audit table with no key',
          files: {
            'db/migrations/001_audit.sql': 'CREATE TABLE audit_log (\n  actor text NOT NULL,\n  action text NOT NULL,\n  at timestamptz NOT NULL\n);\n',
          },
        },
      ],
      good: [
        {
          description: 'The key is added by a later migration',
          files: {
            'db/migrations/001_audit.sql': 'CREATE TABLE audit_log (\n  actor text NOT NULL,\n  action text NOT NULL,\n  at timestamptz NOT NULL\n);\n',
            'db/migrations/002_audit_key.sql': 'ALTER TABLE audit_log ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;\n',
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
        if (schema.generatedBy === 'prisma' && PRISMA_JOIN_TABLE.test(table.name.name)) continue;
        ctx.report({ at: table, messageId: schema.declaredBy ? 'missingDeclared' : 'missing', data: { table: formatTableName(table.name) } });
      }
    }
  },
});
