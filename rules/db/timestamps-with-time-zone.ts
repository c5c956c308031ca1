import {
  defineRule,
  formatTableName,
  isSoftDeleteMarker,
  migrationToolOf,
  sqlIdentifier,
  sqlTableName,
  type Column,
  type Table,
} from '../../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'db/timestamps-with-time-zone',
    title: 'PostgreSQL timestamps are stored with time zone (timestamptz)',
    severity: 'note',
    requires: ['schema'],
    tags: ['database', 'data-integrity'],
    why:
      '`timestamp` (without time zone) stores a wall-clock reading with no zone: the same value means different ' +
      'instants depending on the session time zone of whoever wrote it, comparisons across daylight-saving changes ' +
      'are wrong, and nothing records which zone was meant. `timestamptz` stores an instant (UTC) and converts on ' +
      'the way in and out; it costs the same 8 bytes. Histories written by Prisma (a `migration_lock.toml` beside ' +
      "them, or Prisma Migrate's layout `<timestamp>_<name>/migration.sql`) or drizzle-kit (its `meta/_journal.json` beside them), and Drizzle or Prisma schemas, are not reported: " +
      'those ORMs write and read every date as UTC (Drizzle in its default `date` mode). A schema with no ' +
      'timestamptz column at all uses zone-less timestamps as its convention: one decision, reported once (at its ' +
      'first column, with the count), not once per column; beside timestamptz columns, each zone-less one is reported. Nor are the bookkeeping tables of ' +
      "migration tools (db-migrate `migrations`, `knex_migrations`, `flyway_schema_history`…): their shape is the tool's. " +
      'Beside timestamptz columns, a soft-delete marker (`deleted_at`, `deletedAt`, `archived_at`) is not reported on its own: it only ' +
      'says whether a row is deleted, which reads test with IS NULL, and its zone changes no answer.',
    fix:
      'Declare the column as `timestamptz`. For an existing column: `ALTER TABLE t ALTER COLUMN c TYPE timestamptz ' +
      "USING c AT TIME ZONE 'UTC'` (name the zone the values were written in). Prisma: `@db.Timestamptz(3)`.",
    examples: {
      bad: [
        {
          description: 'A creation time without time zone',
          files: {
            'db/migrations/001_events.sql':
              'CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  created_at timestamp NOT NULL DEFAULT now()\n);\n',
          },
        },
      ],
      good: [
        {
          description: 'timestamptz',
          files: {
            'db/migrations/001_events.sql':
              'CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  created_at timestamptz NOT NULL DEFAULT now()\n);\n',
          },
        },
      ],
    },
    messages: {
      withoutZone: 'Column {{table}}.{{column}} is timestamp without time zone: use timestamptz',
      convention:
        'Every timestamp column of the schema in {{root}} ({{count}} columns in {{tables}} tables, first {{table}}.{{column}}) is timestamp without time zone: use timestamptz',
    },
  },
  check(ctx) {
    for (const schema of ctx.schema.schemas) {
      // Without a zoned type to choose instead (MySQL's TIMESTAMP is UTC already, SQLite has none), there is no choice to judge.
      if (!schema.engine.zonedTimestampType) continue;
      // Prisma's client writes and reads every DateTime as UTC, and so does Drizzle in its default `date`
      // mode: their zone-less columns never lose a zone through the ORM (a team that writes them from
      // elsewhere too says so with @db.Timestamptz / withTimezone).
      if (schema.generatedBy === 'prisma' || schema.generatedBy === 'drizzle') continue;
      const zoneless: Array<{ table: Table; column: Column }> = [];
      let zoned = 0;
      for (const table of schema.tables) {
        // A migration tool's bookkeeping table (db-migrate `migrations`, `knex_migrations`, Flyway's history…)
        // has the tool's columns, not the team's: recreated by hand in a repair script, it is still not theirs to change.
        if (migrationToolOf(table)) continue;
        for (const column of table.columns) {
          if (column.type.name === 'timestamp') zoneless.push({ table, column });
          else if (column.type.name === 'timestamptz') zoned++;
        }
      }
      // No zoned column anywhere: zone-less timestamps are the schema's convention, one decision
      // (an ORM's default, a team's habit) to change once, not a slip in each column.
      if (zoned === 0 && zoneless.length >= 2) {
        const { table, column } = zoneless[0]!;
        ctx.report({
          at: column,
          messageId: 'convention',
          data: {
            root: schema.root,
            count: String(zoneless.length),
            tables: String(new Set(zoneless.map((z) => z.table)).size),
            table: formatTableName(table.name),
            column: column.name,
          },
          fix: {
            description: `Declare new timestamp columns as timestamptz from now on, and convert the existing ${zoneless.length} (ALTER COLUMN … TYPE timestamptz USING … AT TIME ZONE '<the zone they were written in>')`,
          },
        });
        continue;
      }
      // Beside timestamptz columns, a zone-less one is a slip in that column — except a soft-delete
      // marker, which only says whether a row is deleted (reads test IS NULL): its zone changes no answer.
      for (const { table, column } of zoneless) {
        if (isSoftDeleteMarker(column)) continue;
        const name = sqlIdentifier(column.name, schema.dialect);
        ctx.report({
          at: column,
          messageId: 'withoutZone',
          data: { table: formatTableName(table.name), column: column.name },
          fix: {
            description: `Change ${column.name} to timestamptz, naming the zone its values were written in`,
            text: `ALTER TABLE ${sqlTableName(table.name, schema.dialect)} ALTER COLUMN ${name} TYPE timestamptz USING ${name} AT TIME ZONE 'UTC';`,
          },
        });
      }
    }
  },
});
