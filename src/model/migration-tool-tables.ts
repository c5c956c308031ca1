/**
 * Tables a migration tool creates for its own bookkeeping (which migrations ran, and when). Their
 * shape is the tool's: the application never writes them and cannot change their columns without
 * breaking the tool, so schema rules about the application's design do not judge them. They show
 * up in migration folders when a project recreates or repairs the tool's table by hand.
 */
import type { Table } from './schema.js';

/** Names only a migration tool uses, lower-cased → the tool. */
const TOOL_TABLES: ReadonlyMap<string, string> = new Map([
  ['knex_migrations', 'knex'],
  ['knex_migrations_lock', 'knex'],
  ['flyway_schema_history', 'Flyway'],
  ['_prisma_migrations', 'Prisma'],
  ['sequelizemeta', 'Sequelize'],
  ['pgmigrations', 'node-pg-migrate'],
  ['__drizzle_migrations', 'Drizzle'],
  ['kysely_migration', 'Kysely'],
  ['kysely_migration_lock', 'Kysely'],
  ['mikro_orm_migrations', 'MikroORM'],
  ['typeorm_metadata', 'TypeORM'],
  ['databasechangelog', 'Liquibase'],
  ['databasechangeloglock', 'Liquibase'],
  ['goose_db_version', 'goose'],
  ['schema_migrations', 'golang-migrate / Rails'],
  ['ar_internal_metadata', 'Rails'],
  ['__efmigrationshistory', 'Entity Framework'],
]);

/**
 * Columns of the generic `migrations` table as db-migrate, TypeORM, Laravel and postgres-migrations
 * create it. A table named `migrations` is the tool's only when it has a `name` (or `migration`)
 * column and nothing outside this set: an application table of that name would hold more.
 */
const GENERIC_TABLE_COLUMNS = new Set(['id', 'name', 'migration', 'run_on', 'timestamp', 'batch', 'hash', 'executed_at', 'applied_at', 'migration_time']);

/** The migration tool that owns this table, or undefined for an application table. */
export function migrationToolOf(table: Pick<Table, 'name' | 'columns'>): string | undefined {
  const name = table.name.name.toLowerCase();
  const tool = TOOL_TABLES.get(name);
  if (tool) return tool;
  if (name !== 'migrations') return undefined;
  const columns = table.columns.map((column) => column.name.toLowerCase());
  const bookkeeping = columns.some((column) => column === 'name' || column === 'migration') && columns.every((column) => GENERIC_TABLE_COLUMNS.has(column));
  return bookkeeping ? 'the migration tool' : undefined;
}
