/** knex and Kysely migrations as schema sources: what is read into the SchemaModel, and when archlint stays quiet. */
import { describe, expect, it } from 'vitest';
import type { SchemaModel } from '../src/model/schema.js';
import { useSchemaBuilds } from './harness/schema-model.js';

const build = useSchemaBuilds('builder-migrations');
const schemaOf = async (files: Record<string, string>): Promise<SchemaModel> => (await build(files)).model;

const USERS = "exports.up = (knex) => knex.schema.createTable('users', (t) => { t.increments(); });\n";
const POSTS =
  "exports.up = (knex) => knex.schema.createTable('posts', (t) => { t.increments(); t.integer('user_id').references('users.id'); });\n";

describe('knex migrations', () => {
  it('takes the engine from the knex client: a literal, an env default, never a client chosen at run time or several', async () => {
    const migrations = { 'migrations/001_users.js': USERS, 'migrations/002_posts.js': POSTS };
    const dialects = async (config: string) =>
      (
        await schemaOf({
          'package.json': '{"name":"app"}',
          ...migrations,
          ...(config ? { 'knexfile.js': config } : {}),
        })
      ).schemas.map((s) => s.dialect);
    expect(await dialects("module.exports = { client: 'postgresql', connection: {} };")).toEqual(['postgres']);
    expect(await dialects("module.exports = { client: process.env.DB_CLIENT || 'mysql2' };")).toEqual(['mysql']);
    expect(await dialects("module.exports = { client: 'better-sqlite3' };")).toEqual(['sqlite']);
    expect(await dialects('module.exports = { client: process.env.DB_CLIENT };')).toEqual([]);
    expect(await dialects("module.exports = { client: 'mssql' };")).toEqual([]);
    expect(await dialects("module.exports = process.env.PG ? { client: 'pg' } : { client: 'sqlite3' };")).toEqual([]);
    expect(await dialects('')).toEqual([]);
  });

  it('reads column types as knex writes them for the engine, keys with knex default names, and file-name order', async () => {
    const model = await schemaOf({
      'package.json': '{"name":"app"}',
      'db/knexfile.js': "module.exports = { client: 'pg', migrations: { directory: './migrations' } };",
      'db/migrations/20240201_b.js':
        "exports.up = async (knex) => { await knex.schema.table('events', (t) => { t.dropForeign('user_id'); t.dropUnique(['kind']); t.renameColumn('kind', 'type'); }); };\n",
      'db/migrations/20240101_a.js':
        "exports.up = async (knex) => { await knex.schema.withSchema('app').createTable('users', (t) => { t.uuid('id').primary(); });\n" +
        "  await knex.schema.createTable('events', (t) => { t.bigIncrements(); t.uuid('user_id').references('id').inTable('app.users');\n" +
        "    t.string('kind').unique(); t.timestamp('at', true); t.timestamps(); t.float('amount'); t.enu('state', ['a'], { useNative: true, enumName: 'state' }); }); };\n",
    });
    const [schema] = model.schemas;
    expect(schema!.files.map((f) => f.path)).toEqual(['db/migrations/20240101_a.js', 'db/migrations/20240201_b.js']);
    expect(schema!.table({ schema: 'app', name: 'users' })?.primaryKey?.columns).toEqual(['id']);
    const events = schema!.table({ name: 'events' })!;
    expect(events.columns.map((c) => [c.name, c.type.name, c.nullable])).toEqual([
      ['id', 'bigserial', false],
      ['user_id', 'uuid', true],
      ['type', 'varchar', true],
      ['at', 'timestamp', true],
      ['created_at', 'timestamptz', true],
      ['updated_at', 'timestamptz', true],
      ['amount', 'real', true],
      ['state', 'state', true],
    ]);
    // dropForeign('user_id') and dropUnique(['kind']) found their keys by knex's default names.
    expect(events.foreignKeys).toEqual([]);
    expect(events.uniques).toEqual([]);
  });

  it('reads raw SQL with constants of the file filled in, and maps its origins back into the file', async () => {
    const migration =
      "const T = 'audit_entries';\n" +
      'exports.up = async (knex) => {\n' +
      '  await knex.raw(`CREATE TABLE ${T} (id serial PRIMARY KEY, user_id int REFERENCES users (id))`);\n' +
      '};\n';
    const model = await schemaOf({
      'package.json': '{"name":"app"}',
      'knexfile.js': "module.exports = { client: 'pg' };",
      'migrations/001_users.js': USERS,
      'migrations/002_audit.js': migration,
    });
    const audit = model.schemas[0]!.table({ name: 'audit_entries' })!;
    const fk = audit.foreignKeys[0]!;
    expect(fk.columns).toEqual(['user_id']);
    expect(migration.slice(fk.origin.range!.start, fk.origin.range!.end)).toBe('REFERENCES users (id)');
  });
});

describe('Kysely migrations', () => {
  const KYSELY = "import { Kysely } from 'kysely';\n";
  it('takes the engine from the dialect class and reads builders, including onDelete chained after an added key', async () => {
    const model = await schemaOf({
      'package.json': '{"name":"app"}',
      'src/db.ts':
        "import { Kysely, MysqlDialect } from 'kysely';\nexport const db = new Kysely({ dialect: new MysqlDialect({}) });\n",
      'src/migrations/001.ts':
        `${KYSELY}export async function up(db: Kysely<any>) {\n` +
        "  await db.schema.createTable('teams').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()).execute();\n" +
        "  await db.schema.createTable('members').addColumn('team_id', 'integer').addColumn('email', 'varchar(255)', (c) => c.notNull()).execute();\n" +
        "  await db.schema.alterTable('members').addForeignKeyConstraint('members_team_fk', ['team_id'], 'teams', ['id']).onDelete('cascade').execute();\n" +
        "  await db.schema.createIndex('members_email_idx').on('members').column('email').where('email', 'is not', null).execute();\n" +
        '}\n',
    });
    const [schema] = model.schemas;
    expect(schema!.dialect).toBe('mysql');
    const members = schema!.table({ name: 'members' })!;
    expect(members.columns.map((c) => [c.name, c.type.name, c.nullable])).toEqual([
      ['team_id', 'integer', true],
      ['email', 'varchar', false],
    ]);
    expect(members.foreignKeys.map((fk) => [fk.name, fk.onDelete])).toEqual([['members_team_fk', 'cascade']]);
    // InnoDB's own index for the foreign key (no explicit index starts with team_id), then the explicit one.
    expect(members.indexes.map((i) => [i.name, i.partial, i.predicateNotNull, i.implicit === true])).toEqual([
      ['members_team_fk', false, undefined, true],
      ['members_email_idx', true, ['email'], false],
    ]);
  });

  it('stays quiet without a dialect it knows', async () => {
    const model = await schemaOf({
      'package.json': '{"name":"app"}',
      'src/db.ts':
        "import { Kysely } from 'kysely';\nexport const db = new Kysely({ dialect: new MssqlDialect({}) });\n",
      'src/migrations/001.ts': `${KYSELY}export async function up(db: Kysely<any>) { await db.schema.createTable('t').addColumn('id', 'integer').execute(); }\n`,
    });
    expect(model.schemas).toEqual([]);
  });
});
