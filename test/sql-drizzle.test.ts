/** Drizzle schema files as a schema source: what is read into the SchemaModel, and what is left out. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { lint } from '../src/engine/run.js';
import type { SchemaModel } from '../src/model/schema.js';
import { defineRule } from '../src/rule-api.js';

const scratch = mkdtempSync(join(tmpdir(), 'archlint-drizzle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let caseNumber = 0;

async function schemaOf(files: Record<string, string>): Promise<SchemaModel> {
  const dir = join(scratch, String(caseNumber++));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  let model: SchemaModel | undefined;
  const capture = defineRule({
    meta: { ...rules.find((r) => r.meta.id === 'db/primary-keys')!.meta, id: 'test/capture' },
    check(ctx) {
      model = ctx.schema;
    },
  });
  await lint({ cwd: dir, paths: ['.'], loaded: { config: {}, baseDir: dir }, rules: [...rules, capture], only: ['test/capture'] });
  return model!;
}

const PG = "import { index, integer, pgTable, serial, text, timestamp, uniqueIndex, primaryKey } from 'drizzle-orm/pg-core';\n";

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
    expect(schema).toMatchObject({ root: '.', dialect: 'postgres', declaredBy: 'drizzle', dialectSource: 'declaration' });
    expect(schema!.files.map((f) => f.path)).toEqual(['src/schema/posts.ts', 'src/schema/users.ts']);
    const posts = schema!.table({ name: 'posts' })!;
    expect(posts.columns.map((c) => [c.name, c.type.name, c.nullable])).toEqual([
      ['id', 'integer', false],
      ['author_id', 'integer', false],
      ['published_at', 'timestamptz', true],
      ['edited_at', 'timestamp', true],
    ]);
    expect(posts.primaryKey?.columns).toEqual(['id']);
    expect(posts.foreignKeys.map((fk) => [fk.columns, fk.references])).toEqual([[['author_id'], { table: { name: 'users' }, columns: ['id'] }]]);
    expect(posts.indexes.map((i) => [i.name, i.columns, i.unique, i.partial])).toEqual([
      ['posts_author_idx', ['author_id', 'published_at'], false, false],
      [undefined, ['id', 'author_id'], true, true],
    ]);
    expect(schema!.table({ name: 'users' })!.uniques.map((u) => u.columns)).toEqual([['email']]);
  });

  it('keeps what an inline reference does on delete', async () => {
    const model = await schemaOf({
      'package.json': '{"name":"db"}',
      'src/schema.ts':
        `${PG}export const users = pgTable('users', { id: serial('id').primaryKey() });\n` +
        "export const notes = pgTable('notes', {\n" +
        "  id: serial('id').primaryKey(),\n" +
        "  ownerId: integer('owner_id').references(() => users.id, { onDelete: 'cascade' }),\n" +
        "  createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),\n" +
        "  editorId: integer('editor_id').references(() => users.id),\n" +
        '});\n',
    });
    const notes = model.schemas[0]!.table({ name: 'notes' })!;
    expect(notes.foreignKeys.map((fk) => [fk.columns[0], fk.onDelete])).toEqual([
      ['owner_id', 'cascade'],
      ['created_by', 'set-null'],
      ['editor_id', undefined],
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
});
