/**
 * Tables whose shape a library dictates rather than the team: the bookkeeping table of a migration
 * tool (which migrations ran, and when), and the models an authentication library's database
 * adapter prescribes. The application does not design them and cannot change their columns or keys
 * without breaking (or forking) the library, so schema rules about the team's design do not judge
 * them. They show up in migration folders when a project creates or repairs them by hand, or when
 * an ORM writes the adapter's models into the project's migrations.
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
const GENERIC_TABLE_COLUMNS = new Set([
  'id',
  'name',
  'migration',
  'run_on',
  'timestamp',
  'batch',
  'hash',
  'executed_at',
  'applied_at',
  'migration_time',
]);

/** The migration tool that owns this table, or undefined for an application table. */
export function migrationToolOf(table: Pick<Table, 'name' | 'columns'>): string | undefined {
  const name = table.name.name.toLowerCase();
  const tool = TOOL_TABLES.get(name);
  if (tool) return tool;
  if (name !== 'migrations') return undefined;
  const columns = table.columns.map((column) => column.name.toLowerCase());
  const bookkeeping =
    columns.some((column) => column === 'name' || column === 'migration') &&
    columns.every((column) => GENERIC_TABLE_COLUMNS.has(column));
  return bookkeeping ? 'the migration tool' : undefined;
}

/**
 * Tables a library creates and migrates itself, for its own storage: a job queue's or an AI
 * framework's. They appear in a project's schema when `prisma db pull` (or a dump) copies the
 * database whole; the library, not the team, decides their keys and columns.
 */
const LIBRARY_TABLE_PREFIXES: ReadonlyArray<readonly [string, string]> = [['mastra_', 'Mastra']];
const LIBRARY_SCHEMAS: ReadonlyMap<string, string> = new Map([
  ['pgboss', 'pg-boss'],
  ['graphile_worker', 'Graphile Worker'],
]);

/** The library that owns this table's storage, or undefined for the team's own table. */
export function libraryStorageOf(table: Pick<Table, 'name'>): string | undefined {
  const schema = table.name.schema?.toLowerCase();
  if (schema !== undefined && LIBRARY_SCHEMAS.has(schema)) return LIBRARY_SCHEMAS.get(schema);
  const name = table.name.name.toLowerCase();
  return LIBRARY_TABLE_PREFIXES.find(([prefix]) => name.startsWith(prefix))?.[1];
}

/**
 * Auth.js / NextAuth's session model (isSessionModel), and its verification-token model as its
 * database adapters prescribe it: columns `identifier`, `token` and `expires`, unique by (identifier, token), with no primary key in the
 * adapter's schema. Columns a project adds later (an attempt counter) do not make the key theirs; a
 * token table of the team's own design (a device id, `expiresOn`, keyed otherwise) is not this model.
 */
export function authAdapterTableOf(table: Pick<Table, 'columns' | 'uniques' | 'indexes'>): string | undefined {
  const columns = new Set(table.columns.map((column) => column.name.toLowerCase().replace(/_/g, '')));
  const keyed = [
    ...table.uniques.map((unique) => unique.columns),
    ...table.indexes.filter((index) => index.unique && !index.partial).map((index) => index.columns),
  ];
  if (isSessionModel(columns, keyed)) return 'Auth.js';
  if (!['identifier', 'token', 'expires'].every((column) => columns.has(column))) return undefined;
  const byIdentifierAndToken = keyed.some(
    (keys) =>
      keys.length === 2 &&
      keys
        .map((key) => key?.toLowerCase())
        .sort()
        .join(',') === 'identifier,token',
  );
  return byIdentifierAndToken ? 'Auth.js' : undefined;
}

/**
 * A model of Auth.js / NextAuth's database adapters (session, verification token, or account: `userId`,
 * `provider`, `providerAccountId`, unique by the last two). Auth.js reads them by token or by provider
 * account, and never deletes a user itself (the adapter's `deleteUser` is left to the application), so
 * such a table the code never calls hides no lookup by user and no user delete.
 */
export function isAuthJsModel(table: Pick<Table, 'columns' | 'uniques' | 'indexes'>): boolean {
  if (authAdapterTableOf(table)) return true;
  const columns = new Set(table.columns.map((column) => column.name.toLowerCase().replace(/_/g, '')));
  if (!['userid', 'provider', 'provideraccountid'].every((column) => columns.has(column))) return false;
  const keyed = [
    ...table.uniques.map((unique) => unique.columns),
    ...table.indexes.filter((index) => index.unique && !index.partial).map((index) => index.columns),
  ];
  return keyed.some(
    (keys) =>
      keys.length === 2 &&
      keys
        .map((key) => key?.toLowerCase().replace(/_/g, ''))
        .sort()
        .join(',') === 'provider,provideraccountid',
  );
}

/**
 * Auth.js's database-session model as its v5 adapters prescribe it (`sessionToken` unique, `userId`,
 * `expires`, no primary key): the adapter reads and deletes sessions by their token, the key in all
 * but name.
 */
function isSessionModel(columns: ReadonlySet<string>, keyed: ReadonlyArray<ReadonlyArray<string | null>>): boolean {
  if (!['sessiontoken', 'userid', 'expires'].every((column) => columns.has(column))) return false;
  return keyed.some((keys) => keys.length === 1 && keys[0]?.toLowerCase().replace(/_/g, '') === 'sessiontoken');
}

/** TypeORM's DefaultNamingStrategy names an index `IDX_` + the first 26 hex digits of a SHA-1. */
const TYPEORM_INDEX_NAME = /^IDX_[0-9a-f]{26}$/;

/**
 * The join table TypeORM creates for a `@ManyToMany` relation with `@JoinTable`: nothing but the two
 * sides' key columns, all of them the primary key and each a foreign key, with one generated index
 * (`IDX_<hash>`) per side. TypeORM derives the table, its key and those indexes from the relation;
 * an index the team drops there comes back with the next generated migration, so the indexes are
 * the ORM's, not a design choice of the team's. (A join entity of the team's own — an extra column,
 * a key of its own — is not this table.)
 */
export function ormJoinTableOf(
  table: Pick<Table, 'columns' | 'primaryKey' | 'foreignKeys' | 'indexes'>,
): string | undefined {
  const key = table.primaryKey?.columns;
  if (!key || key.length < 2 || key.length !== table.columns.length) return undefined;
  const keyed = new Set(key);
  if (!table.columns.every((column) => keyed.has(column.name))) return undefined;
  const referencing = new Set(table.foreignKeys.flatMap((fk) => fk.columns));
  if (!key.every((column) => column !== null && referencing.has(column))) return undefined;
  const named = table.indexes.filter((index) => index.name !== undefined && TYPEORM_INDEX_NAME.test(index.name));
  return named.length > 0 && named.length === table.indexes.length ? 'TypeORM' : undefined;
}
