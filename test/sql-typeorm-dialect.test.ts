// TypeORM migration classes are parsed in the dialect of the connection that runs them: files on disk →
// schema model + findings, through the engine.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { lint } from '../src/engine/run.js';
import type { SchemaModel } from '../src/model/schema.js';
import { defineRule } from '../src/rule-api.js';

const scratch = mkdtempSync(join(tmpdir(), 'archlint-typeorm-dialect-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let caseNumber = 0;

function write(files: Record<string, string>): string {
  const dir = join(scratch, String(caseNumber++));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

async function run(dir: string, paths: string[] = ['.']) {
  let model: SchemaModel | undefined;
  const capture = defineRule({
    meta: { ...rules.find((r) => r.meta.id === 'db/primary-keys')!.meta, id: 'test/capture' },
    check(ctx) {
      model = ctx.schema;
    },
  });
  const { result } = await lint({
    cwd: dir,
    paths,
    loaded: { config: {}, baseDir: dir },
    rules: [...rules, capture],
    only: ['test/capture', 'db/indexed-foreign-keys'],
  });
  return { model: model!, findings: result.findings };
}

const summary = (findings: Array<{ ruleId: string; file?: string; line?: number }>) =>
  findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`).sort();

/** A TypeORM migration class running these statements in up(). */
const migration = (name: string, statements: string[]) =>
  `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${name} implements MigrationInterface {\n` +
  '  public async up(queryRunner: QueryRunner): Promise<void> {\n' +
  statements.map((sql) => `    await queryRunner.query(\`${sql}\`);\n`).join('') +
  '  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {}\n}\n';

const dataSource = (type: string) =>
  `import { DataSource } from 'typeorm';\n\nexport default new DataSource({\n  type: ${type},\n  migrations: ['src/migrations/*.ts'],\n});\n`;

/** TypeORM's SQLite output: AUTOINCREMENT and datetime('now') are no PostgreSQL. */
const SQLITE_MIGRATION = migration('Init1700000000000', [
  `CREATE TABLE "user" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')))`,
  `CREATE TABLE "post" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "authorId" integer, CONSTRAINT "FK_post_user" FOREIGN KEY ("authorId") REFERENCES "user" ("id") ON DELETE CASCADE)`,
]);
const POSTGRES_MIGRATION = migration('Init1700000000000', [
  `CREATE TABLE "user" ("id" SERIAL NOT NULL, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_user" PRIMARY KEY ("id"))`,
  `CREATE TABLE "post" ("id" SERIAL NOT NULL, "authorId" integer, CONSTRAINT "PK_post" PRIMARY KEY ("id"))`,
  `ALTER TABLE "post" ADD CONSTRAINT "FK_post_user" FOREIGN KEY ("authorId") REFERENCES "user"("id")`,
]);
const MIGRATION_PATH = 'src/migrations/1700000000000-Init.ts';

describe('the dialect of TypeORM migration classes', () => {
  it("reads a class's SQL as SQLite when the DataSource says type: 'sqlite' (no parse errors; its foreign keys judged)", async () => {
    const { model, findings } = await run(
      write({
        'package.json': '{ "name": "app" }',
        'src/datasource.ts': dataSource("'sqlite'"),
        [MIGRATION_PATH]: SQLITE_MIGRATION,
      }),
    );
    expect(model.schemas.map((s) => [s.root, s.dialect, s.dialectSource])).toEqual([
      ['src/migrations', 'sqlite', 'tool-config'],
    ]);
    expect(summary(findings)).toEqual([`db/indexed-foreign-keys ${MIGRATION_PATH}:6`]);
  });

  it("takes better-sqlite3, ormconfig.json and TypeOrmModule.forRoot as the connection's engine too", async () => {
    const configs: Array<Record<string, string>> = [
      { 'src/db.ts': dataSource("'better-sqlite3'") },
      { 'ormconfig.json': '{ "type": "sqlite", "database": "db.sqlite", "migrations": ["src/migrations/*.ts"] }' },
      {
        'src/app.module.ts':
          "import { TypeOrmModule } from '@nestjs/typeorm';\nexport const db = TypeOrmModule.forRoot({ type: 'sqlite', database: 'db.sqlite' });\n",
      },
    ];
    for (const config of configs) {
      const { model, findings } = await run(
        write({ 'package.json': '{}', ...config, [MIGRATION_PATH]: SQLITE_MIGRATION }),
      );
      expect(
        model.schemas.map((s) => s.dialect),
        Object.keys(config)[0],
      ).toEqual(['sqlite']);
      expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    }
  });

  it('keeps a PostgreSQL connection’s migrations PostgreSQL, with the same finding', async () => {
    const { model, findings } = await run(
      write({
        'package.json': '{}',
        'src/datasource.ts': dataSource("'postgres'"),
        [MIGRATION_PATH]: POSTGRES_MIGRATION,
      }),
    );
    expect(model.schemas.map((s) => [s.dialect, s.dialectSource])).toEqual([['postgres', 'tool-config']]);
    expect(summary(findings)).toEqual([`db/indexed-foreign-keys ${MIGRATION_PATH}:7`]);
  });

  it('decides per package: a root run reports what the runs per package report', async () => {
    const dir = write({
      'package.json': '{ "private": true }',
      'apps/media/package.json': '{ "name": "media" }',
      'apps/media/src/datasource.ts': dataSource("'sqlite'"),
      [`apps/media/${MIGRATION_PATH}`]: SQLITE_MIGRATION,
      'apps/billing/package.json': '{ "name": "billing" }',
      'apps/billing/src/datasource.ts': dataSource("'postgres'"),
      [`apps/billing/${MIGRATION_PATH}`]: POSTGRES_MIGRATION,
    });
    const root = await run(dir);
    expect(root.model.schemas.map((s) => [s.root, s.dialect])).toEqual([
      ['apps/billing/src/migrations', 'postgres'],
      ['apps/media/src/migrations', 'sqlite'],
    ]);
    const media = await run(dir, ['apps/media']);
    const billing = await run(dir, ['apps/billing']);
    expect(summary(root.findings)).toEqual(summary([...media.findings, ...billing.findings]));
    expect(summary(root.findings)).toEqual([
      `db/indexed-foreign-keys apps/billing/${MIGRATION_PATH}:7`,
      `db/indexed-foreign-keys apps/media/${MIGRATION_PATH}:6`,
    ]);
  });

  it('does not guess from an env-driven type: the other signals decide (here the default)', async () => {
    const { model } = await run(
      write({
        'package.json': '{}',
        'src/datasource.ts': dataSource('process.env.DB_TYPE as any'),
        [MIGRATION_PATH]: POSTGRES_MIGRATION,
      }),
    );
    expect(model.schemas.map((s) => [s.dialect, s.dialectSource])).toEqual([['postgres', 'default']]);
  });

  it('leaves sibling dialect folders to their names when the connection options name several engines', async () => {
    const { model, findings } = await run(
      write({
        'package.json': '{}',
        'src/datasource.ts': `import { DataSource } from 'typeorm';\nexport const sources = [new DataSource({ type: 'sqlite' }), new DataSource({ type: 'postgres' })];\n`,
        'src/migrations/sqlite/1700000000000-Init.ts': SQLITE_MIGRATION,
        'src/migrations/postgres/1700000000000-Init.ts': POSTGRES_MIGRATION,
        // A folder for an engine archlint does not model is left out of every history, with one note.
        'src/migrations/mssql/1700000000000-Init.ts': migration('Init1700000000000', [
          'CREATE TABLE "user" ("id" int NOT NULL IDENTITY(1,1), CONSTRAINT "PK_user" PRIMARY KEY ("id"))',
        ]),
      }),
    );
    expect(model.schemas.map((s) => [s.variant, s.dialect, s.files.map((f) => f.path)])).toEqual([
      ['postgres', 'postgres', ['src/migrations/postgres/1700000000000-Init.ts']],
      ['sqlite', 'sqlite', ['src/migrations/sqlite/1700000000000-Init.ts']],
    ]);
    expect(findings.filter((f) => f.ruleId.startsWith('core/')).map((f) => [f.ruleId, f.message])).toEqual([
      [
        'core/skipped-file',
        'The 1 SQL file(s) under src/migrations/mssql/ are for SQL Server, which archlint does not model: not read',
      ],
    ]);
  });

  it('does not read a history whose connection is an engine archlint does not model, and says so once', async () => {
    const { model, findings } = await run(
      write({
        'package.json': '{}',
        'src/datasource.ts': dataSource("'mssql'"),
        [MIGRATION_PATH]: migration('Init1700000000000', [
          'CREATE TABLE "a" ("id" int NOT NULL IDENTITY(1,1), CONSTRAINT "PK_a" PRIMARY KEY ("id"))',
        ]),
        'src/migrations/1700000000001-More.ts': migration('More1700000000001', [
          'CREATE TABLE "b" ("id" int NOT NULL IDENTITY(1,1), CONSTRAINT "PK_b" PRIMARY KEY ("id"))',
        ]),
      }),
    );
    expect(model.schemas).toEqual([]);
    expect(findings.map((f) => [f.ruleId, f.file, f.message])).toEqual([
      [
        'core/skipped-file',
        MIGRATION_PATH,
        'The 2 SQL file(s) under src/migrations/ are for SQL Server, which archlint does not model: not read',
      ],
    ]);
  });

  it('reads cockroachdb/ folders as PostgreSQL and planetscale/ ones as MySQL, each only in its own history', async () => {
    const { model, findings } = await run(
      write({
        'package.json': '{}',
        'src/migrations/cockroachdb/1700000000000-Init.ts': POSTGRES_MIGRATION,
        'src/migrations/planetscale/1700000000000-Init.ts': migration('Init1700000000000', [
          'CREATE TABLE account (id int NOT NULL AUTO_INCREMENT, PRIMARY KEY (id)) ENGINE=InnoDB',
        ]),
        'src/migrations/sqlite/1700000000000-Init.ts': SQLITE_MIGRATION,
      }),
    );
    expect(model.schemas.map((s) => [s.variant, s.dialect, s.files.map((f) => f.path)])).toEqual([
      ['mysql', 'mysql', ['src/migrations/planetscale/1700000000000-Init.ts']],
      ['postgres', 'postgres', ['src/migrations/cockroachdb/1700000000000-Init.ts']],
      ['sqlite', 'sqlite', ['src/migrations/sqlite/1700000000000-Init.ts']],
    ]);
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
  });
});
