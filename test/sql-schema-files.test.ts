/** Drizzle and Prisma schema files as schema sources: what is read into the SchemaModel, and what is left out. */
import { describe, expect, it } from 'vitest';
import type { SchemaModel } from '../src/model/schema.js';
import { useSchemaBuilds } from './harness/schema-model.js';

const build = useSchemaBuilds('schema-files');
const schemaOf = async (files: Record<string, string>): Promise<SchemaModel> => (await build(files)).model;

const PG =
  "import { index, integer, pgTable, serial, text, timestamp, uniqueIndex, primaryKey } from 'drizzle-orm/pg-core';\n";

describe('Drizzle schemas', () => {
  it('reads tables, column names and types, keys, foreign keys and indexes, across files of one package', async () => {
    const model = await schemaOf({
      'package.json': '{"name":"db"}',
      'src/schema/users.ts': `${PG}export const users = pgTable('users', { id: serial('id').primaryKey(), email: text('email').notNull().unique() });\n`,
      'src/schema/posts.ts':
        `${PG}import { users } from './users';\n` +
        "export const posts = pgTable('posts', {\n" +
        "  id: serial('id').primaryKey(),\n" +
        "  authorId: integer('author_id').notNull().references(() => users.id),\n" +
        "  publishedAt: timestamp('published_at', { withTimezone: true }),\n" +
        "  editedAt: timestamp('edited_at'),\n" +
        "}, (t) => [index('posts_author_idx').on(t.authorId, t.publishedAt), uniqueIndex().on(t.id, t.authorId).where(sql`true`)]);\n",
    });
    expect(model.schemas).toHaveLength(1);
    const [schema] = model.schemas;
    expect(schema).toMatchObject({
      root: '.',
      dialect: 'postgres',
      declaredBy: 'drizzle',
      dialectSource: 'declaration',
    });
    expect(schema!.files.map((f) => f.path)).toEqual(['src/schema/posts.ts', 'src/schema/users.ts']);
    const posts = schema!.table({ name: 'posts' })!;
    expect(posts.columns.map((c) => [c.name, c.type.name, c.nullable])).toEqual([
      ['id', 'integer', false],
      ['author_id', 'integer', false],
      ['published_at', 'timestamptz', true],
      ['edited_at', 'timestamp', true],
    ]);
    expect(posts.primaryKey?.columns).toEqual(['id']);
    expect(posts.foreignKeys.map((fk) => [fk.columns, fk.references])).toEqual([
      [['author_id'], { table: { name: 'users' }, columns: ['id'] }],
    ]);
    expect(posts.indexes.map((i) => [i.name, i.columns, i.unique, i.partial])).toEqual([
      ['posts_author_idx', ['author_id', 'published_at'], false, false],
      [undefined, ['id', 'author_id'], true, true],
    ]);
    expect(schema!.table({ name: 'users' })!.uniques.map((u) => u.columns)).toEqual([['email']]);
  });

  it('keeps what an inline reference or a foreignKey() does on delete; NO ACTION when none is written, unknown when not readable', async () => {
    const model = await schemaOf({
      'package.json': '{"name":"db"}',
      'src/schema.ts':
        `${PG}export const users = pgTable('users', { id: serial('id').primaryKey() });\n` +
        "export const notes = pgTable('notes', {\n" +
        "  id: serial('id').primaryKey(),\n" +
        "  ownerId: integer('owner_id').references(() => users.id, { onDelete: 'cascade' }),\n" +
        "  createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),\n" +
        "  editorId: integer('editor_id').references(() => users.id),\n" +
        "  reviewerId: integer('reviewer_id').references(() => users.id, options),\n" +
        "  addedBy: integer('added_by'),\n" +
        "  approvedBy: integer('approved_by'),\n" +
        '}, (t) => [\n' +
        "  foreignKey({ columns: [t.addedBy], foreignColumns: [users.id], name: 'notes_added_by_fk' }).onDelete('cascade'),\n" +
        '  foreignKey({ columns: [t.approvedBy], foreignColumns: [users.id] }),\n' +
        ']);\n',
    });
    const notes = model.schemas[0]!.table({ name: 'notes' })!;
    expect(notes.foreignKeys.map((fk) => [fk.columns[0], fk.onDelete])).toEqual([
      ['owner_id', 'cascade'],
      ['created_by', 'set-null'],
      ['editor_id', 'no-action'],
      ['reviewer_id', undefined],
      ['added_by', 'cascade'],
      ['approved_by', 'no-action'],
    ]);
  });

  it("names columns after their keys in snake case when drizzle.config sets casing: 'snake_case'", async () => {
    const model = await schemaOf({
      'drizzle.config.ts': "export default { dialect: 'postgresql', schema: './schema.ts', casing: 'snake_case' };\n",
      'schema.ts': `${PG}export const t = pgTable('t', { userId: integer().notNull(), createdAt: timestamp() }, (x) => [primaryKey({ columns: [x.userId] })]);\n`,
    });
    const table = model.schemas[0]!.table({ name: 't' })!;
    expect(table.columns.map((c) => c.name)).toEqual(['user_id', 'created_at']);
    expect(table.primaryKey?.columns).toEqual(['user_id']);
  });

  it('leaves out what it cannot resolve, test files, and tables the migrations of the package create', async () => {
    const model = await schemaOf({
      'package.json': '{"name":"db"}',
      'drizzle/0000_init.sql': 'CREATE TABLE users (id serial PRIMARY KEY);\n',
      'src/schema.ts':
        `${PG}import { accounts } from '@acme/other-package';\n` +
        "export const users = pgTable('users', { id: serial('id').primaryKey() });\n" +
        "export const sessions = pgTable('sessions', { id: serial('id').primaryKey(), accountId: integer('account_id').references(() => accounts.id), userId: integer('user_id').references(() => users.id) });\n",
      'src/schema.test.ts': `${PG}export const fixture = pgTable('fixture_only', { id: serial('id') });\n`,
    });
    const drizzle = model.schemas.find((s) => s.declaredBy === 'drizzle')!;
    expect(drizzle.tables.map((t) => t.name.name)).toEqual(['sessions']);
    // users comes from the migrations; the reference to it still resolves; the other package's table does not.
    expect(drizzle.tables[0]!.foreignKeys.map((fk) => fk.columns)).toEqual([['user_id']]);
    expect(model.schemas.find((s) => !s.declaredBy)!.tables.map((t) => t.name.name)).toEqual(['users']);
  });

  it('follows column helpers and spreads of columns from relative modules, and marks what it cannot follow', async () => {
    const model = await schemaOf({
      'util/columns.ts':
        "import { bigint, timestamp, varchar } from 'drizzle-orm/pg-core';\n" +
        "export function pkColumn() { return bigint('pk', { mode: 'number' }).primaryKey(); }\n" +
        'export const id = (name: string) => varchar(name, { length: 256 });\n' +
        "export const dates = { createdAt: timestamp('created_at', { withTimezone: true }).notNull() };\n",
      'schema.ts':
        `${PG}import { dates, id, pkColumn } from './util/columns';\nimport { mystery } from '@acme/columns';\n` +
        "export const apps = pgTable('apps', { pk: pkColumn(), workspaceId: id('workspace_id').notNull(), ...dates }, (t) => [index('apps_ws').on(t.workspaceId)]);\n" +
        "export const odd = pgTable('odd', { id: serial('id').primaryKey(), other: mystery('other') });\n",
    });
    const schema = model.schemas[0]!;
    const apps = schema.table({ name: 'apps' })!;
    expect(apps.declared).toBe(true);
    expect(apps.columns.map((c) => [c.name, c.type.name, c.nullable])).toEqual([
      ['pk', 'bigint', false],
      ['workspace_id', 'varchar', false],
      ['created_at', 'timestamptz', false],
    ]);
    expect(apps.primaryKey?.columns).toEqual(['pk']);
    expect(apps.indexes.map((i) => i.columns)).toEqual([['workspace_id']]);
    // A column built by a package archlint does not read: the table is not fully known, so rules stay quiet on it.
    expect(schema.table({ name: 'odd' })!.declared).toBe(false);
  });

  it('reads Prisma models: @map/@@map names, native types, keys, relations and indexes, across the files of a schema folder', async () => {
    const model = await schemaOf({
      'prisma/schema/base.prisma':
        'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n\nenum Role {\n  ADMIN\n  MEMBER\n}\n',
      'prisma/schema/user.prisma':
        'model User {\n  id        String   @id @db.Uuid\n  email     String   @unique\n  role      Role     @default(MEMBER)\n  createdAt DateTime @default(now()) @map("created_at") @db.Timestamptz(6)\n  posts     Post[]\n  @@map("users")\n}\n',
      'prisma/schema/post.prisma':
        'model Post {\n  id       Int     @id\n  authorId String  @map("author_id") @db.Uuid\n  slug     String\n  author   User    @relation(fields: [authorId], references: [id], map: "posts_author_fk", onDelete: SetNull)\n  tags     String[]\n  score    Float?\n  @@unique([authorId, slug])\n  @@index([slug(sort: Desc)], type: Hash)\n}\n',
    });
    expect(model.schemas).toHaveLength(1);
    const schema = model.schemas[0]!;
    expect(schema).toMatchObject({
      root: 'prisma/schema',
      dialect: 'postgres',
      declaredBy: 'prisma',
      generatedBy: 'prisma',
    });
    const users = schema.table({ name: 'users' })!;
    expect(users.columns.map((c) => [c.name, c.type.name])).toEqual([
      ['id', 'uuid'],
      ['email', 'text'],
      ['role', 'Role'],
      ['created_at', 'timestamptz'],
    ]);
    const post = schema.table({ name: 'Post' })!;
    expect(post.columns.map((c) => [c.name, c.type.name, c.type.array, c.nullable])).toEqual([
      ['id', 'integer', false, false],
      ['author_id', 'uuid', false, false],
      ['slug', 'text', false, false],
      ['tags', 'text', true, false],
      ['score', 'double precision', false, true],
    ]);
    expect(post.foreignKeys.map((fk) => [fk.name, fk.columns, fk.references, fk.onDelete])).toEqual([
      ['posts_author_fk', ['author_id'], { table: { name: 'users' }, columns: ['id'] }, 'set-null'],
    ]);
    expect(post.uniques.map((u) => u.columns)).toEqual([['author_id', 'slug']]);
    expect(post.indexes.map((i) => [i.columns, i.method])).toEqual([[['slug'], 'hash']]);
  });

  it('reads only the Prisma schemas the project deploys: not samples or templates shipped in its code', async () => {
    const model = await schemaOf({
      // Third-party schemas offered as templates by an import feature: not this project's database.
      'src/import/predefined/shop/shop.prisma':
        'datasource db {\n  provider = "postgresql"\n}\nmodel Shop {\n  id Int @id\n}\n',
      'examples/blog.prisma': 'datasource db {\n  provider = "postgresql"\n}\nmodel Blog {\n  id Int @id\n}\n',
      // Deployed: a schema folder, a configured path (package.json), and a prisma.config.ts path.
      'packages/db/schema/main.prisma':
        'datasource db {\n  provider = "postgresql"\n}\nmodel Main {\n  id Int @id\n}\n',
      'apps/api/package.json': '{"name":"api","prisma":{"schema":"db/models.prisma"}}',
      'apps/api/db/models.prisma': 'datasource db {\n  provider = "postgresql"\n}\nmodel Api {\n  id Int @id\n}\n',
      'apps/web/prisma.config.ts': "export default defineConfig({ schema: 'database/models' });\n",
      'apps/web/database/models/web.prisma':
        'datasource db {\n  provider = "postgresql"\n}\nmodel Web {\n  id Int @id\n}\n',
    });
    expect(model.schemas.map((s) => [s.root, s.tables.map((t) => t.name.name)])).toEqual([
      ['apps/api/db', ['Api']],
      ['apps/web/database/models', ['Web']],
      ['packages/db/schema', ['Main']],
    ]);
  });

  it('leaves out Prisma schemas for engines it does not model, and models the migrations create', async () => {
    const model = await schemaOf({
      'mongo/schema.prisma': 'datasource db {\n  provider = "mongodb"\n}\nmodel A {\n  id String @id @map("_id")\n}\n',
      'prisma/schema.prisma':
        'datasource db {\n  provider = "postgresql"\n}\nmodel Done {\n  id Int @id\n}\nmodel Pushed {\n  id Int @id\n}\n',
      'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "Done" (id integer PRIMARY KEY);\n',
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
    });
    expect(model.schemas.map((s) => [s.root, s.declaredBy ?? 'migrations', s.tables.map((t) => t.name.name)])).toEqual([
      ['prisma', 'prisma', ['Pushed']],
      ['prisma/migrations', 'migrations', ['Done']],
    ]);
  });
});
