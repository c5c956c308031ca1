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

  it('reads string literals joined by + as one statement, and leaves out one joined to a run-time value', async () => {
    const path = 'src/migrations/1700000000001-Prefs.ts';
    const { model, findings } = await run(
      write({
        'package.json': '{ "name": "app" }',
        'src/datasource.ts': dataSource("'postgres'"),
        [MIGRATION_PATH]: POSTGRES_MIGRATION,
        [path]:
          "import { MigrationInterface, QueryRunner } from 'typeorm';\n\n" +
          'export class Prefs1700000000001 implements MigrationInterface {\n' +
          '  public async up(queryRunner: QueryRunner): Promise<void> {\n' +
          '    await queryRunner.query(\n' +
          '      \'CREATE UNIQUE INDEX "post_author" ON "post" \' +\n' +
          String.raw`      "(\"authorId\", COALESCE(\"id\", 0))",` +
          '\n' +
          '    );\n' +
          '    await queryRunner.query(\'CREATE INDEX "post_by" ON \' + tableName + \' ("authorId")\');\n' +
          '  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {}\n}\n',
      }),
    );
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    expect(model.schemas[0]!.table({ name: 'post' })!.indexes.map((i) => [i.name, i.origin.file])).toEqual([
      ['post_author', path],
    ]);
    // The unique index leads with authorId: the foreign key is indexed.
    expect(summary(findings)).toEqual([]);
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
      ['cockroachdb', 'postgres', ['src/migrations/cockroachdb/1700000000000-Init.ts']],
      ['planetscale', 'mysql', ['src/migrations/planetscale/1700000000000-Init.ts']],
      ['sqlite', 'sqlite', ['src/migrations/sqlite/1700000000000-Init.ts']],
    ]);
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
  });

  describe('classes that branch on the connection type', () => {
    const DB_TYPE_ENUM = `export enum DbType {\n  POSTGRES = 'postgres',\n  MYSQL = 'mysql',\n  BETTER_SQLITE3 = 'better-sqlite3',\n}\n`;
    /** traduora's shape: a switch on the configured type over an enum imported from a relative module. */
    const SWITCHED =
      `import { MigrationInterface, QueryRunner } from 'typeorm';\nimport { config } from '../config';\nimport { DbType } from '../utils/db-type';\n\n` +
      'export class Init1700000000000 implements MigrationInterface {\n' +
      '  public async up(queryRunner: QueryRunner): Promise<void> {\n' +
      '    switch (config.db.type) {\n' +
      '      case DbType.POSTGRES:\n' +
      '        await queryRunner.query(`CREATE TABLE "user" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), CONSTRAINT "PK_user" PRIMARY KEY ("id"))`);\n' +
      '        await queryRunner.query(`CREATE TABLE "post" ("id" uuid NOT NULL, "author_id" uuid, CONSTRAINT "PK_post" PRIMARY KEY ("id"), CONSTRAINT "FK_post_user" FOREIGN KEY ("author_id") REFERENCES "user" ("id"))`);\n' +
      '        break;\n' +
      '      case DbType.MYSQL:\n' +
      "        await queryRunner.query('CREATE TABLE `user` (`id` varchar(36) NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB');\n" +
      "        await queryRunner.query('CREATE TABLE `post` (`id` varchar(36) NOT NULL, `author_id` varchar(36), PRIMARY KEY (`id`), CONSTRAINT `FK_post_user` FOREIGN KEY (`author_id`) REFERENCES `user` (`id`)) ENGINE=InnoDB');\n" +
      '        break;\n' +
      '      case DbType.BETTER_SQLITE3:\n' +
      '        await queryRunner.query(`CREATE TABLE "user" ("id" TEXT NOT NULL DEFAULT (hex(randomblob(16))), PRIMARY KEY ("id"))`);\n' +
      '        await queryRunner.query(`CREATE TABLE "post" ("id" TEXT NOT NULL, "author_id" TEXT, PRIMARY KEY ("id"), FOREIGN KEY ("author_id") REFERENCES "user"("id"))`);\n' +
      '        break;\n' +
      '      default:\n' +
      '        throw new Error(`Unknown DB type: ${config.db.type}`);\n' +
      '    }\n' +
      '  }\n\n' +
      '  public async down(queryRunner: QueryRunner): Promise<void> {}\n}\n';
    const ENV_CONFIG = "export const config = { db: { type: process.env.DB_TYPE || 'better-sqlite3' } };\n";

    const parseErrors = (findings: Array<{ ruleId: string }>) =>
      findings.filter((f) => f.ruleId === 'core/parse-error');
    const tablesOf = (model: SchemaModel) =>
      model.schemas.map((s) => [s.variant, s.dialect, s.dialectSource, s.tables.map((t) => t.name.name).sort()]);

    it('reads only the branch of the engine an unquoted ormconfig.yml names', async () => {
      const { model, findings } = await run(
        write({
          'package.json': '{}',
          'ormconfig.yml': 'default:\n  type: mysql\n  host: localhost\n  migrations: [src/migrations/*.ts]\n',
          'src/config.ts': ENV_CONFIG,
          'src/utils/db-type.ts': DB_TYPE_ENUM,
          [MIGRATION_PATH]: SWITCHED,
        }),
      );
      expect(tablesOf(model)).toEqual([[undefined, 'mysql', 'tool-config', ['post', 'user']]]);
      expect(parseErrors(findings)).toEqual([]);
      // The MySQL branch alone: InnoDB indexes the key, and the other branches' statements are not read.
      expect(model.schemas[0]!.files[0]!.statements).toBe(2);
    });

    it('makes each branch a history of its own engine when the type is env-driven', async () => {
      const { model, findings } = await run(
        write({
          'package.json': '{}',
          'src/config.ts': ENV_CONFIG,
          'src/utils/db-type.ts': DB_TYPE_ENUM,
          [MIGRATION_PATH]: SWITCHED,
        }),
      );
      expect(tablesOf(model)).toEqual([
        ['mysql', 'mysql', 'branch', ['post', 'user']],
        ['postgres', 'postgres', 'branch', ['post', 'user']],
        ['sqlite', 'sqlite', 'branch', ['post', 'user']],
      ]);
      expect(model.schemas.map((s) => s.files[0]!.statements)).toEqual([2, 2, 2]);
      expect(parseErrors(findings)).toEqual([]);
      // The unindexed key, once per engine that leaves it unindexed (PostgreSQL and SQLite; InnoDB indexes it).
      expect(summary(findings)).toEqual([
        `db/indexed-foreign-keys ${MIGRATION_PATH}:10`,
        `db/indexed-foreign-keys ${MIGRATION_PATH}:18`,
      ]);
    });

    it('reads the branch of the connection options for if/else on queryRunner.connection.options.type, and TYPEORM_CONNECTION', async () => {
      const ifElse =
        `import { MigrationInterface, QueryRunner } from 'typeorm';\n\n` +
        'export class Init1700000000000 implements MigrationInterface {\n' +
        '  public async up(queryRunner: QueryRunner): Promise<void> {\n' +
        "    if (queryRunner.connection.options.type === 'mysql' || queryRunner.connection.options.type === 'mariadb') {\n" +
        "      await queryRunner.query('CREATE TABLE `user` (`id` int NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB');\n" +
        '    } else {\n' +
        '      await queryRunner.query(`CREATE TABLE "user" ("id" integer PRIMARY KEY NOT NULL)`);\n' +
        '    }\n' +
        "    if (queryRunner.connection.options.type !== 'sqlite') return;\n" +
        '    await queryRunner.query(`CREATE TABLE "note" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL)`);\n' +
        '  }\n\n' +
        '  public async down(queryRunner: QueryRunner): Promise<void> {}\n}\n';
      for (const [config, dialect, tables] of [
        [{ 'src/datasource.ts': dataSource("'mysql'") }, 'mysql', ['user']],
        [{ '.env': 'TYPEORM_CONNECTION=sqlite\nTYPEORM_DATABASE=db.sqlite\n' }, 'sqlite', ['note', 'user']],
        [{ 'ormconfig.yaml': "type: 'mariadb'\n" }, 'mariadb', ['user']],
        // `.env.test` is the tests' database: the example's engine decides.
        [
          { '.env.example': 'TYPEORM_CONNECTION=postgres\n', '.env.test': 'TYPEORM_CONNECTION=sqlite\n' },
          'postgres',
          ['user'],
        ],
      ] as const) {
        const { model, findings } = await run(write({ 'package.json': '{}', ...config, [MIGRATION_PATH]: ifElse }));
        expect(tablesOf(model), dialect).toEqual([[undefined, dialect, 'tool-config', tables]]);
        expect(parseErrors(findings), dialect).toEqual([]);
      }
    });

    it('leaves a switch on something that is not the engine alone (every call is read)', async () => {
      const other =
        `import { MigrationInterface, QueryRunner } from 'typeorm';\n\n` +
        'export class Init1700000000000 implements MigrationInterface {\n' +
        '  public async up(queryRunner: QueryRunner): Promise<void> {\n' +
        "    switch (process.env.REGION) {\n      case 'eu':\n" +
        '        await queryRunner.query(`CREATE TABLE "eu_user" ("id" SERIAL PRIMARY KEY)`);\n' +
        '        break;\n      default:\n' +
        '        await queryRunner.query(`CREATE TABLE "user" ("id" SERIAL PRIMARY KEY)`);\n' +
        '    }\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {}\n}\n';
      const { model } = await run(
        write({ 'package.json': '{}', 'src/datasource.ts': dataSource("'postgres'"), [MIGRATION_PATH]: other }),
      );
      expect(tablesOf(model)).toEqual([[undefined, 'postgres', 'tool-config', ['eu_user', 'user']]]);
    });
  });
});
