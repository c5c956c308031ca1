// Dialect per migration folder, MySQL scripts (prepared DDL, procedures, charset clauses), SQLite
// PRAGMA: end to end through the engine, files on disk → schema model + findings.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { lint } from '../src/engine/run.js';
import { stringValue } from '../src/inputs/sql/mysql-scripts.js';
import type { ArchlintConfig } from '../src/model/config.js';
import type { SchemaModel } from '../src/model/schema.js';
import { defineRule } from '../src/rule-api.js';

const scratch = mkdtempSync(join(tmpdir(), 'archlint-sql-dialects-'));
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

async function run(dir: string, paths: string[] = ['.'], config: ArchlintConfig = {}) {
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
    loaded: { config, baseDir: dir },
    rules: [...rules, capture],
    only: ['test/capture', 'db/indexed-foreign-keys', 'db/redundant-indexes'],
  });
  return { model: model!, findings: result.findings };
}

const build = async (files: Record<string, string>, config: ArchlintConfig = {}) => run(write(files), ['.'], config);
const summary = (findings: Array<{ ruleId: string; file?: string; line?: number }>) =>
  findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`).sort();

const POSTGRES =
  'CREATE TABLE users (id bigserial PRIMARY KEY);\nCREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint REFERENCES users (id));\n';
const MYSQL =
  'CREATE TABLE `users` (`id` bigint NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB;\n' +
  'CREATE TABLE `orders` (`id` bigint NOT NULL, `user_id` bigint, PRIMARY KEY (`id`), KEY `orders_user` (`user_id`), KEY `orders_user_dup` (`user_id`)) ENGINE=InnoDB;\n';
const SQLITE =
  'PRAGMA foreign_keys=OFF;\nCREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT);\nCREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));\nPRAGMA foreign_keys=ON;\n';

describe('dialect per migration folder', () => {
  it('reads sibling postgres/, mysql/ and sqlite/ folders under one root each with its own grammar, as a run per folder would', async () => {
    const dir = write({
      'db/migrations/postgres/001_init.sql': POSTGRES,
      'db/migrations/mysql/001_init.sql': MYSQL,
      'db/migrations/sqlite/001_init.sql': SQLITE,
    });
    const whole = await run(dir);
    expect(whole.findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    expect(whole.model.schemas.map((s) => [s.root, s.variant, s.dialect, s.dialectSource, s.files.length])).toEqual([
      ['db/migrations', 'mysql', 'mysql', 'path', 1],
      ['db/migrations', 'postgres', 'postgres', 'path', 1],
      ['db/migrations', 'sqlite', 'sqlite', 'path', 1],
    ]);
    expect(summary(whole.findings)).toEqual([
      'db/indexed-foreign-keys db/migrations/postgres/001_init.sql:2',
      'db/indexed-foreign-keys db/migrations/sqlite/001_init.sql:3',
      'db/redundant-indexes db/migrations/mysql/001_init.sql:2',
    ]);
    // Rules ask the engine, not the dialect's name: only InnoDB indexes a foreign key by itself.
    expect(
      whole.model.schemas.map((s) => [s.dialect, s.engine.indexesForeignKeys, s.engine.zonedTimestampType]),
    ).toEqual([
      ['mysql', true, false],
      ['postgres', false, true],
      ['sqlite', false, false],
    ]);
    const perFolder = [];
    for (const folder of ['postgres', 'mysql', 'sqlite'])
      perFolder.push(...(await run(dir, [`db/migrations/${folder}`])).findings);
    expect(summary(perFolder)).toEqual(summary(whole.findings));
  });

  it('keeps cockroachdb/ beside postgres/ (and planetscale/ beside mysql/) two histories: same grammar, other engine', async () => {
    // CockroachDB's own initial migration re-creates the tables; merged into the PostgreSQL history it
    // hid that history's findings (jackson), which a run on postgres/ alone reports.
    const dir = write({
      'db/migrations/postgres/001_init.sql': POSTGRES,
      'db/migrations/cockroachdb/002_init.sql':
        'CREATE TABLE users (id bigserial PRIMARY KEY);\nCREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint REFERENCES users (id), INDEX (user_id));\n',
      'db/migrations/mysql/001_init.sql': MYSQL,
      'db/migrations/planetscale/002_init.sql':
        'CREATE TABLE `orders` (`id` bigint NOT NULL, `user_id` bigint, PRIMARY KEY (`id`)) ENGINE=InnoDB;\n',
    });
    const whole = await run(dir);
    expect(whole.model.schemas.map((s) => [s.variant, s.dialect, s.files.map((f) => f.path)])).toEqual([
      ['cockroachdb', 'postgres', ['db/migrations/cockroachdb/002_init.sql']],
      ['mysql', 'mysql', ['db/migrations/mysql/001_init.sql']],
      ['planetscale', 'mysql', ['db/migrations/planetscale/002_init.sql']],
      ['postgres', 'postgres', ['db/migrations/postgres/001_init.sql']],
    ]);
    const perFolder = [];
    for (const folder of ['postgres', 'cockroachdb', 'mysql', 'planetscale'])
      perFolder.push(...(await run(dir, [`db/migrations/${folder}`])).findings);
    expect(summary(whole.findings)).toEqual(summary(perFolder));
    expect(summary(whole.findings)).toEqual([
      'db/indexed-foreign-keys db/migrations/postgres/001_init.sql:2',
      'db/redundant-indexes db/migrations/mysql/001_init.sql:2',
    ]);
  });

  it('reads MariaDB DDL that node-sql-parser knows only in its MySQL grammar (ADD CONSTRAINT … FOREIGN KEY in an ALTER)', async () => {
    const { model, findings } = await build({
      'db/migrations/mariadb/001_init.sql':
        'CREATE TABLE `workspace` (`id` varchar(36) NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB;\n' +
        'CREATE TABLE `apikey` (`id` varchar(36) NOT NULL, `workspaceId` varchar(36), PRIMARY KEY (`id`)) ENGINE=InnoDB;\n' +
        'ALTER TABLE `apikey` ADD INDEX `idx_apikey_workspaceId` (`workspaceId`), ADD CONSTRAINT `fk_apikey_workspaceId` FOREIGN KEY (`workspaceId`) REFERENCES `workspace`(`id`);\n' +
        'CREATE INDEX `idx_dup` ON `apikey` (`workspaceId`);\n',
    });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    expect(model.schemas.map((s) => s.dialect)).toEqual(['mariadb']);
    const apikey = model.schemas[0]!.tables.find((t) => t.name.name === 'apikey')!;
    expect(apikey.foreignKeys.map((fk) => [fk.name, fk.columns])).toEqual([['fk_apikey_workspaceId', ['workspaceId']]]);
    expect(summary(findings)).toEqual(['db/redundant-indexes db/migrations/mariadb/001_init.sql:4']);
  });

  it('reads a CASE whose result is a condition with AND (valid everywhere; node-sql-parser wants parentheses), and still rejects broken SQL', async () => {
    const update =
      "UPDATE system_setting\nSET value = '{}'\nWHERE name = 'STORAGE'\n  AND CASE\n    WHEN json_valid(value) THEN\n      json_type(value) = 'object'\n      AND json_extract(value, '$.t') IN ('DATABASE', 1)\n    ELSE FALSE\n  END;\n";
    // A broken data statement is no longer reported on these grammars (see the data-statement case below): DDL is.
    const broken = 'ALTER TABLE system_setting ADD COLUMN v int DEFAULT CASE WHEN a THEN b AND c ELSE d END WHERE;\n';
    const { findings } = await build({
      'db/migrations/mysql/001.sql': `CREATE TABLE system_setting (name varchar(64) PRIMARY KEY, value text);\n${update}${broken}`,
      'db/migrations/sqlite/001.sql': `CREATE TABLE system_setting (name text PRIMARY KEY, value text);\n${update}${broken}`,
    });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error').map((f) => `${f.file}:${f.line}`)).toEqual([
      'db/migrations/mysql/001.sql:11',
      'db/migrations/sqlite/001.sql:11',
    ]);
  });

  it('takes LATEST.sql as the state beside versioned upgrades (read for errors, not applied)', async () => {
    const { model, findings } = await build({
      'store/migration/sqlite/LATEST.sql':
        'CREATE TABLE memo (id INTEGER PRIMARY KEY);\nCREATE TABLE attachment (id INTEGER PRIMARY KEY, memo_id INTEGER REFERENCES memo (id));\nCREATE INDEX idx_attachment_memo ON attachment (memo_id);\n',
      'store/migration/sqlite/0.2/00__resource.sql':
        'CREATE TABLE resource (id INTEGER PRIMARY KEY, memo_id INTEGER REFERENCES memo (id));\n',
      'store/migration/sqlite/0.26/00__rename.sql':
        'ALTER TABLE resource RENAME TO attachment;\nCREATE TABLE broken (;\n',
    });
    const schema = model.schemas[0]!;
    expect(schema.files.map((f) => [f.path, f.applied])).toEqual([
      ['store/migration/sqlite/LATEST.sql', true],
      ['store/migration/sqlite/0.2/00__resource.sql', false],
      ['store/migration/sqlite/0.26/00__rename.sql', false],
    ]);
    expect(schema.tables.map((t) => t.name.name).sort()).toEqual(['attachment', 'memo']);
    // The upgrade's table, renamed over the snapshot's, would have left the key unindexed.
    expect(summary(findings)).toEqual(['core/parse-error store/migration/sqlite/0.26/00__rename.sql:2']);
  });

  it("reads CockroachDB's current_timestamp() under cockroachdb/ (PostgreSQL itself rejects it, so postgres/ still reports it)", async () => {
    const ddl =
      'CREATE TABLE store (key varchar(250) PRIMARY KEY, created timestamp NOT NULL DEFAULT current_timestamp());\n';
    const { findings } = await build({
      'migration/cockroachdb/001_init.sql': ddl,
      'migration/postgres/001_init.sql': ddl,
    });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error').map((f) => f.file)).toEqual([
      'migration/postgres/001_init.sql',
    ]);
  });

  it('takes the dialect from a drizzle config, a JDBC URL in Flyway/Spring config and a Prisma schema', async () => {
    const { model } = await build({
      'a/drizzle.config.ts':
        'export default defineConfig({ schema: "./src/schema.ts", out: "./drizzle", dialect: "turso" });\n',
      'a/drizzle/0000_init.sql': 'CREATE TABLE `t` (`id` integer PRIMARY KEY NOT NULL);\n',
      'b/src/main/resources/application.yml': 'spring:\n  datasource:\n    url: jdbc:mysql://localhost:3306/app\n',
      'b/src/main/resources/db/migration/V1__init.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n',
      'c/prisma/schema.prisma': 'datasource db {\n  provider = "sqlite"\n  url = env("DATABASE_URL")\n}\n',
      'c/prisma/migrations/1_init/migration.sql': 'CREATE TABLE "t" ("id" INTEGER NOT NULL PRIMARY KEY);\n',
    });
    expect(model.schemas.map((s) => [s.root, s.dialect, s.dialectSource])).toEqual([
      ['a/drizzle', 'sqlite', 'tool-config'],
      ['b/src/main/resources/db/migration', 'mysql', 'tool-config'],
      ['c/prisma/migrations', 'sqlite', 'tool-config'],
    ]);
  });

  it('lets sql.dialects globs pin the dialect of a group of files, over sql.dialect and folder names', async () => {
    const { model, findings } = await build(
      {
        'db/migrations/legacy/001.sql': 'CREATE TABLE `t` (`id` int NOT NULL, PRIMARY KEY (`id`)) ENGINE=MyISAM;\n',
        'db/migrations/pg/001.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n',
        'svc/migrations/001.sql': 'CREATE TABLE t (id INTEGER PRIMARY KEY);\n',
      },
      {
        sql: {
          dialect: 'sqlite',
          dialects: { 'db/migrations/legacy/**': 'mariadb', 'db/migrations/pg/**': 'postgres' },
        },
      },
    );
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    expect(model.schemas.map((s) => [s.root, s.dialect, s.dialectSource])).toEqual([
      ['db/migrations', 'mariadb', 'config'],
      ['db/migrations', 'postgres', 'config'],
      ['svc/migrations', 'sqlite', 'config'],
    ]);
  });
});

describe('MySQL scripts', () => {
  it('applies the DDL of a prepared statement at the SET that holds it: a literal, a CONCAT of literals, an existence-guarded IF', async () => {
    const sql = [
      'CREATE TABLE `t` (`id` int NOT NULL, `a` int, `b` int, `c` int, `d` int, PRIMARY KEY (`id`)) ENGINE=InnoDB;',
      "SET @s = 'CREATE INDEX t_a ON t (a)';",
      'PREPARE stmt FROM @s;',
      'EXECUTE stmt;',
      'DEALLOCATE PREPARE stmt;',
      "SET @s2 = CONCAT('ALTER TABLE t ', 'ADD INDEX t_b (b)');",
      'PREPARE stmt FROM @s2; EXECUTE stmt;',
      "SET @s3 = (SELECT IF((SELECT COUNT(*) FROM INFORMATION_SCHEMA.STATISTICS WHERE TABLE_NAME = 't' AND INDEX_NAME = 't_c') > 0, 'SELECT 1', 'CREATE INDEX t_c ON t (c)'));",
      'PREPARE stmt FROM @s3; EXECUTE stmt;',
      // Built from a query: its text cannot be known, so nothing is applied.
      "SET @s4 = (SELECT CONCAT('DROP INDEX ', index_name, ' ON t') FROM information_schema.statistics LIMIT 1);",
      'PREPARE stmt FROM @s4; EXECUTE stmt;',
      // Prepared but never executed: nothing happens.
      "SET @s5 = 'CREATE INDEX t_d ON t (d)'; PREPARE never FROM @s5;",
      '',
    ].join('\n');
    const { model, findings } = await build({ 'db/migrations/mysql/001.sql': sql });
    expect(findings).toEqual([]);
    const t = model.schemas[0]!.table({ name: 't' })!;
    expect(t.indexes.map((i) => [i.name, i.columns, i.origin.range!.start])).toEqual([
      ['t_a', ['a'], sql.indexOf('SET @s =')],
      ['t_b', ['b'], sql.indexOf('SET @s2')],
      ['t_c', ['c'], sql.indexOf('SET @s3')],
    ]);
    expect(model.schemas[0]!.files[0]).toMatchObject({ parsed: model.schemas[0]!.files[0]!.statements });
  });

  it('applies the DDL of a called procedure when unconditional or guarded by an existence check, split at its inner semicolons', async () => {
    const sql = [
      'CREATE TABLE `t` (`id` int NOT NULL, `a` int, `b` int, `c` int, PRIMARY KEY (`id`)) ENGINE=InnoDB;',
      'DROP PROCEDURE IF EXISTS add_t_a;',
      'DELIMITER //',
      'CREATE PROCEDURE add_t_a()',
      'BEGIN',
      "  IF NOT EXISTS (SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_NAME = 't' AND INDEX_NAME = 't_a') THEN",
      '    ALTER TABLE `t` ADD INDEX `t_a` (`a`);',
      '    ALTER TABLE `t` ADD INDEX `t_a2` (`a`);',
      '  ELSE',
      '    ALTER TABLE `t` ADD INDEX `t_else` (`b`);',
      '  END IF;',
      '  IF @legacy = 1 THEN',
      '    ALTER TABLE `t` ADD INDEX `t_legacy` (`b`);',
      '  END IF;',
      '  CREATE INDEX t_c ON t (c);',
      'END //',
      'DELIMITER ;',
      'CALL add_t_a();',
      'DROP PROCEDURE add_t_a;',
      'DELIMITER //',
      'CREATE PROCEDURE never_called() BEGIN ALTER TABLE t ADD INDEX t_never (b); END //',
      'DELIMITER ;',
      '',
    ].join('\n');
    const { model, findings } = await build({ 'db/migrations/mysql/001.sql': sql });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    const t = model.schemas[0]!.table({ name: 't' })!;
    expect(t.indexes.map((i) => [i.name, i.origin.range!.start])).toEqual([
      ['t_a', sql.indexOf('ALTER TABLE `t` ADD INDEX `t_a`')],
      ['t_a2', sql.indexOf('ALTER TABLE `t` ADD INDEX `t_a2`')],
      ['t_c', sql.indexOf('CREATE INDEX t_c')],
    ]);
    // Both t_a and t_a2 lead with `a`: the redundant index is found inside the procedure.
    expect(summary(findings)).toEqual(['db/redundant-indexes db/migrations/mysql/001.sql:8']);
  });

  it('reads a procedure written without a DELIMITER line whole (a migration runner sends the file to the server), and its DDL when called', async () => {
    const sql = [
      'CREATE TABLE `t` (`id` int NOT NULL, `a` int, PRIMARY KEY (`id`)) ENGINE=InnoDB;',
      'DROP PROCEDURE IF EXISTS `alter_all`;',
      'CREATE PROCEDURE `alter_all` (`pattern` VARCHAR(255))',
      'BEGIN',
      'DECLARE done INT DEFAULT FALSE;',
      'DECLARE curs CURSOR FOR SELECT table_name FROM information_schema.tables WHERE table_name like pattern;',
      'DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = TRUE;',
      'read_loop: LOOP',
      '  IF done THEN LEAVE read_loop; END IF;',
      "  SET @kind = CASE WHEN done THEN 'x' ELSE 'y' END;",
      'END LOOP;',
      'ALTER TABLE `t` ADD INDEX `t_a` (`a`);',
      'END;',
      "CALL alter_all('t%');",
      'ALTER TABLE t ADD COLUMN;',
      '',
    ].join('\n');
    const { model, findings } = await build({ 'db/migrations/mysql/001.sql': sql });
    // Only the broken statement after the procedure is reported: the body is not split at its semicolons.
    expect(findings.filter((f) => f.ruleId === 'core/parse-error').map((f) => f.line)).toEqual([15]);
    const t = model.schemas[0]!.table({ name: 't' })!;
    expect(t.indexes.map((i) => [i.name, i.origin.range!.start])).toEqual([
      ['t_a', sql.indexOf('ALTER TABLE `t` ADD INDEX')],
    ]);
  });

  it('reads ALTER TABLE with CONVERT TO CHARACTER SET, charset options and column defaults, keeping its other clauses', async () => {
    const { model, findings } = await build({
      'db/migrations/mysql/001.sql': [
        'CREATE TABLE `t` (`id` int NOT NULL, `a` int, PRIMARY KEY (`id`)) ENGINE=InnoDB;',
        'ALTER TABLE `t` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;',
        'ALTER TABLE t ADD INDEX t_a (a), CONVERT TO CHARACTER SET utf8mb4, ADD COLUMN b int;',
        'ALTER TABLE t ALTER COLUMN a SET DEFAULT 2;',
        'ALTER TABLE t DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;',
        'DROP INDEX IF EXISTS t_missing ON t;',
        '',
      ].join('\n'),
    });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    const t = model.schemas[0]!.table({ name: 't' })!;
    expect(t.indexes.map((i) => i.name)).toEqual(['t_a']);
    expect(t.columns.map((c) => c.name)).toEqual(['id', 'a', 'b']);
  });

  it("applies MySQL's ALTER TABLE … RENAME INDEX (Prisma's RenameIndex), so a later drop by the new name finds the index", async () => {
    const { model, findings } = await build({
      'prisma/migrations/001/migration.sql': [
        'CREATE TABLE `sessions` (`id` int NOT NULL, `user_id` int, `token` varchar(64), PRIMARY KEY (`id`)) ENGINE=InnoDB;',
        'CREATE INDEX `sessions.user_id_index` ON `sessions`(`user_id`);',
        'CREATE INDEX `sessions.token_index` ON `sessions`(`token`);',
        '',
      ].join('\n'),
      'prisma/migrations/002/migration.sql': [
        '-- RenameIndex',
        'ALTER TABLE `sessions` RENAME INDEX `sessions.user_id_index` TO `sessions_user_id_idx`;',
        'ALTER TABLE sessions RENAME KEY `sessions.token_index` TO sessions_token_idx;',
        'DROP INDEX `sessions_token_idx` ON `sessions`;',
        '',
      ].join('\n'),
    });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    const sessions = model.schemas[0]!.table({ name: 'sessions' })!;
    expect(sessions.indexes.map((i) => i.name)).toEqual(['sessions_user_id_idx']);
  });

  it('reads x.sql beside x.sqlite.sql as one schema for two engines, each in its own grammar (a mysqldump with SET NAMES)', async () => {
    const { model, findings } = await build({
      'assets/app.sql': [
        '/*!40101 SET NAMES utf8 */;',
        'SET NAMES utf8mb4;',
        'DROP TABLE IF EXISTS `comments`;',
        'CREATE TABLE `comments` (`id` int unsigned NOT NULL AUTO_INCREMENT, `body` text, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;',
        '',
      ].join('\n'),
      'assets/app.sqlite.sql':
        'CREATE TABLE "comments" ("id" INTEGER NOT NULL, "body" TEXT, PRIMARY KEY("id" AUTOINCREMENT));\n',
    });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    expect(model.schemas.map((s) => s.dialect).sort()).toEqual(['mysql', 'sqlite']);
    expect(model.schemas.map((s) => s.tables.map((t) => t.name.name))).toEqual([['comments'], ['comments']]);
  });

  it('still reports a statement the engine would reject', async () => {
    const { findings } = await build({
      'db/migrations/mysql/001.sql':
        'ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4 ADD;\nCREATE PROCEDURE p() BEGIN END;\nEXECUTE;\n',
    });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error').map((f) => f.line)).toEqual([1, 3]);
  });

  it("leaves out data statements only node-sql-parser's narrower grammar rejects (MySQL, SQLite); DDL and PostgreSQL still report", async () => {
    const { findings, model } = await build({
      'mysql/migrations/001.sql':
        'CREATE TABLE `projects` (`id` serial AUTO_INCREMENT NOT NULL, `slug` varchar(64), PRIMARY KEY (`id`)) ENGINE=InnoDB;\n' +
        "UPDATE `projects` SET `slug` = 'x' WHERE BINARY `slug` != 'default';\n" +
        '/* keep */ (SELECT 1 FROM `projects` WHERE `slug` <=> NULL);\n' +
        'ALTER TABLE `projects` ADD COLUMN;\n',
      'sqlite/migrations/001.sql':
        'CREATE TABLE `g` (`id` integer PRIMARY KEY, `name` text, `position` integer);\n' +
        'INSERT INTO `g`("id", "name", "position") SELECT "id", "name", ROW_NUMBER() OVER(ORDER BY "name") FROM `g`;\n',
      'postgres/migrations/001.sql': 'CREATE TABLE p (id bigint PRIMARY KEY);\nUPDATE `p` SET id = 1;\n',
    });
    expect(summary(findings.filter((f) => f.ruleId === 'core/parse-error'))).toEqual([
      'core/parse-error mysql/migrations/001.sql:4',
      'core/parse-error postgres/migrations/001.sql:2',
    ]);
    expect(model.schemas.map((s) => s.tables.length)).toEqual([1, 1, 1]);
  });
});

describe('MySQL and MariaDB DROP CONSTRAINT', () => {
  const TABLES = [
    'CREATE TABLE `users` (`id` bigint NOT NULL PRIMARY KEY) ENGINE=InnoDB;',
    'CREATE TABLE `t` (`id` bigint NOT NULL, `user_id` bigint NOT NULL, `a` int, `b` int, PRIMARY KEY (`id`),',
    '  UNIQUE KEY `uq_ab` (`a`, `b`), KEY `k_b` (`b`),',
    '  CONSTRAINT `fk_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`),',
    '  CONSTRAINT `chk_a` CHECK (`a` > 0)) ENGINE=InnoDB;',
  ];

  it('drops a foreign key (keeping the index InnoDB made for it) or a unique key by name; DROP CHECK changes no key', async () => {
    for (const [dialect, drops] of [
      ['mysql', 'ALTER TABLE t DROP CONSTRAINT fk_user;\nALTER TABLE `t` DROP CONSTRAINT `uq_ab`, DROP CHECK `chk_a`;'],
      [
        'mariadb',
        'ALTER TABLE t DROP CONSTRAINT IF EXISTS fk_user, DROP CONSTRAINT uq_ab;\nALTER TABLE t DROP CHECK chk_a;',
      ],
    ] as const) {
      const { model, findings } = await build({
        [`db/migrations/${dialect}/001.sql`]: [...TABLES, drops, ''].join('\n'),
      });
      expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
      const t = model.schemas[0]!.table({ name: 't' })!;
      expect(t.foreignKeys).toEqual([]);
      expect(t.indexes.map((i) => i.name).sort()).toEqual(['fk_user', 'k_b']);
      expect(t.primaryKey?.columns).toEqual(['id']);
    }
  });

  it('reads a statement of drops by hand only when every action is a drop: any other stays a parse error', async () => {
    const { model, findings } = await build({
      'db/migrations/mariadb/001.sql': [
        ...TABLES,
        // No grammar knows DROP INDEX IF EXISTS, and this one adds a column: not read.
        'ALTER TABLE t DROP INDEX IF EXISTS k_b, ADD COLUMN c int;',
        'ALTER TABLE t DROP INDEX IF EXISTS uq_ab, DROP PRIMARY KEY;',
        // MariaDB's grammar rejects DROP CONSTRAINT beside an ADD; MySQL's, which MariaDB matches here, reads it.
        'ALTER TABLE t DROP CONSTRAINT fk_user, ADD COLUMN d int;',
        '',
      ].join('\n'),
    });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error').map((f) => f.line)).toEqual([6]);
    const t = model.schemas[0]!.table({ name: 't' })!;
    // fk_user's index stays behind when the key is dropped (InnoDB keeps it).
    expect(t.indexes.map((i) => i.name).sort()).toEqual(['fk_user', 'k_b']);
    expect(t.foreignKeys).toEqual([]);
    expect(t.primaryKey).toBeUndefined();
  });

  it('reads a quoted DROP CONSTRAINT beside a MODIFY (Kratos) with the key dropped', async () => {
    const { model, findings } = await build({
      'db/migrations/mysql/001.sql': [
        ...TABLES,
        'ALTER TABLE t\n    DROP CONSTRAINT `fk_user`,\n    MODIFY a int NULL;',
        '',
      ].join('\n'),
    });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    const t = model.schemas[0]!.table({ name: 't' })!;
    expect(t.foreignKeys).toEqual([]);
  });

  it('on PostgreSQL, DROP CONSTRAINT never drops a unique index (one made by CREATE UNIQUE INDEX is no constraint)', async () => {
    const { model } = await build({
      'db/migrations/postgres/001.sql':
        'CREATE TABLE t (id int PRIMARY KEY, a int);\nCREATE UNIQUE INDEX uq_a ON t (a);\nALTER TABLE t DROP CONSTRAINT IF EXISTS uq_a;\n',
    });
    expect(model.schemas[0]!.table({ name: 't' })!.indexes.map((i) => i.name)).toEqual(['uq_a']);
  });
});

describe('stringValue', () => {
  it('evaluates literals, CONCAT and existence-guarded IF, and nothing else', () => {
    expect(stringValue("'ALTER TABLE t ADD c int'")).toBe('ALTER TABLE t ADD c int');
    expect(stringValue("'it''s' \"x\"")).toBe("it'sx");
    expect(stringValue("CONCAT('a', CONCAT('b', 'c'))")).toBe('abc');
    expect(
      stringValue(
        "(SELECT IF(EXISTS(SELECT * FROM information_schema.columns WHERE x = 'y'), 'SELECT 1', 'DROP INDEX i ON t'))",
      ),
    ).toBe('DROP INDEX i ON t');
    expect(stringValue("IF(@v > 1, 'SELECT 1', 'DROP INDEX i ON t')")).toBeUndefined();
    expect(stringValue("CONCAT('DROP TABLE ', @name)")).toBeUndefined();
    expect(stringValue("'unterminated")).toBeUndefined();
    expect(stringValue("'a' + 1")).toBeUndefined();
  });
});

describe('search_path', () => {
  it('places unqualified names after SET search_path in that schema, for the rest of the file only', async () => {
    const { model, findings } = await build({
      'db/migrations/001_init.sql': [
        'CREATE SCHEMA auth;',
        'CREATE TABLE auth.users (id bigint PRIMARY KEY);',
        'CREATE TABLE auth.sessions (id bigint PRIMARY KEY, user_id bigint REFERENCES auth.users (id));',
        'SET search_path TO auth, public;',
        'CREATE INDEX sessions_user_id ON sessions (user_id);',
        'CREATE TABLE tokens (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));',
        'CREATE INDEX tokens_user_id_old ON tokens (user_id);',
        'DROP INDEX tokens_user_id_old;',
        '',
      ].join('\n'),
      // A new file is a new session: back in public.
      'db/migrations/002_public.sql': 'CREATE TABLE notes (id bigint PRIMARY KEY);\n',
    });
    expect(model.schemas[0]!.tables.map((t) => [t.name.schema, t.name.name, t.indexes.map((i) => i.name)])).toEqual([
      ['auth', 'users', []],
      ['auth', 'sessions', ['sessions_user_id']],
      ['auth', 'tokens', []],
      [undefined, 'notes', []],
    ]);
    // sessions.user_id is indexed in its schema; tokens.user_id lost its only index.
    expect(summary(findings)).toEqual(['db/indexed-foreign-keys db/migrations/001_init.sql:6']);
  });

  it('takes the search_path Flyway sets from its defaultSchema', async () => {
    const { model } = await build({
      'flyway.conf': 'flyway.url=jdbc:postgresql://localhost/app\nflyway.defaultSchema=billing\n',
      'db/migration/V1__init.sql': 'CREATE TABLE invoices (id bigint PRIMARY KEY);\n',
    });
    expect(model.schemas[0]!.tables.map((t) => t.name)).toEqual([{ schema: 'billing', name: 'invoices' }]);
  });
});

describe('sql.dialects config', () => {
  it('accepts a glob → dialect map and rejects anything else with a one-line message', async () => {
    const { validateConfig } = await import('../src/config/validate.js');
    const options = { displayName: 'archlint.config.json', knownRuleIds: [] };
    expect(await validateConfig({ sql: { dialects: { 'db/legacy/**': 'mysql' } } }, options)).toEqual({
      sql: { dialects: { 'db/legacy/**': 'mysql' } },
    });
    const cases: Array<[unknown, string]> = [
      [
        { sql: { dialects: { 'db/**': 'oracle' } } },
        '/sql/dialects/db~1** must be one of postgres, mysql, mariadb, sqlite',
      ],
      [{ sql: { dialects: ['db/**'] } }, '/sql/dialects must be an object'],
    ];
    for (const [data, message] of cases) {
      await expect(validateConfig(data, options)).rejects.toThrow(`archlint.config.json: ${message}`);
    }
  });
});

describe('SQLite', () => {
  it('reads a type length after TEXT (drizzle-kit writes `text(256)`), which SQLite ignores', async () => {
    const { model, findings } = await build({
      'db/migrations/sqlite/001.sql':
        'CREATE TABLE `page` (`id` integer PRIMARY KEY NOT NULL, `title` text(256) NOT NULL, `slug` text (64));\n',
    });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    expect(model.schemas[0]!.table({ name: 'page' })!.columns.map((c) => [c.name, c.type.name])).toEqual([
      ['id', 'integer'],
      ['title', 'text'],
      ['slug', 'text'],
    ]);
  });

  it('reads AUTOINCREMENT inside a PRIMARY KEY table constraint as SQLite does (the key is the column), and not inside UNIQUE', async () => {
    const { model, findings } = await build({
      'db/migrations/sqlite/001.sql': [
        'CREATE TABLE "playlist" ("id" integer NOT NULL, "title" varchar NOT NULL, PRIMARY KEY("id" AUTOINCREMENT));',
        'CREATE TABLE "track" ("id" INTEGER NOT NULL, PRIMARY KEY ( "id" autoincrement ));',
        'CREATE TABLE "tag" ("id" integer NOT NULL, "name" varchar NOT NULL, PRIMARY KEY("id" AUTOINCREMENT), UNIQUE("name" AUTOINCREMENT));',
        '',
      ].join('\n'),
    });
    expect(summary(findings)).toEqual(['core/parse-error db/migrations/sqlite/001.sql:3']);
    const schema = model.schemas[0]!;
    expect(['playlist', 'track'].map((name) => schema.table({ name })?.primaryKey?.columns)).toEqual([['id'], ['id']]);
  });
});

describe('partial indexes and quoted key parts', () => {
  it('reads double-quoted SQLite index columns as the columns they name, through a table rebuild and RENAME TO', async () => {
    const { model } = await build({
      'migrations/sqlite/001.sql': [
        'CREATE TABLE "org" ("id" varchar PRIMARY KEY NOT NULL);',
        'CREATE TABLE "temp_ws" ("id" varchar PRIMARY KEY NOT NULL, "orgId" varchar, FOREIGN KEY ("orgId") REFERENCES "org"("id"));',
        'CREATE INDEX IF NOT EXISTS "idx_ws_orgId" ON "temp_ws"("orgId");',
        'ALTER TABLE "temp_ws" RENAME TO "ws";',
        '',
      ].join('\n'),
    });
    expect(model.schemas[0]!.table({ name: 'ws' })!.indexes.map((i) => [i.name, i.columns, i.expression])).toEqual([
      ['idx_ws_orgId', ['orgId'], false],
    ]);
  });

  it('gives the columns of a predicate that only asks for non-null columns, in PostgreSQL and SQLite, and none for any other', async () => {
    const sql = [
      'CREATE TABLE t (a bigint, b bigint, c boolean);',
      'CREATE INDEX t_a ON t (a) WHERE a IS NOT NULL;',
      'CREATE INDEX t_ab ON t (a, b) WHERE "a" IS NOT NULL AND b IS NOT NULL;',
      'CREATE INDEX t_c ON t (a) WHERE c;',
      'CREATE INDEX t_or ON t (a) WHERE a IS NOT NULL OR b IS NOT NULL;',
      'CREATE INDEX t_null ON t (a) WHERE b IS NULL;',
      '',
    ].join('\n');
    for (const folder of ['postgres', 'sqlite']) {
      const { model } = await build({ [`db/migrations/${folder}/001.sql`]: sql });
      const table = model.schemas[0]!.table({ name: 't' })!;
      expect(
        table.indexes.map((i) => [i.name, i.partial, i.predicateNotNull]),
        folder,
      ).toEqual([
        ['t_a', true, ['a']],
        ['t_ab', true, ['a', 'b']],
        ['t_c', true, undefined],
        ['t_or', true, undefined],
        ['t_null', true, undefined],
      ]);
    }
  });
});

describe('what a migration folder belongs to', () => {
  it('gives the nearest folder with a build manifest as the build unit, and none when no manifest is above', async () => {
    const { model } = await build({
      'server/package.json': '{}',
      'server/src/db/migrations/001.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n',
      'server/src/enterprise/db/migrations/001.sql': 'CREATE TABLE b (id int PRIMARY KEY);\n',
      'billing/go.mod': 'module x\n',
      'billing/migrations/001.sql': 'CREATE TABLE c (id int PRIMARY KEY);\n',
      'loose/migrations/001.sql': 'CREATE TABLE d (id int PRIMARY KEY);\n',
    });
    expect(model.schemas.map((s) => [s.root, s.buildUnit])).toEqual([
      ['billing/migrations', 'billing'],
      ['loose/migrations', undefined],
      ['server/src/db/migrations', 'server'],
      ['server/src/enterprise/db/migrations', 'server'],
    ]);
  });

  it("takes Prisma Migrate's layout (<14 digits>_<name>/migration.sql) as a Prisma history without its lock file, and nothing else", async () => {
    const { model } = await build({
      'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n',
      'prisma/migrations/20240201000000_more/migration.sql': 'CREATE TABLE b (id int PRIMARY KEY);\n',
      'db/migrations/20240101000000_init.sql': 'CREATE TABLE c (id int PRIMARY KEY);\n',
    });
    expect(model.schemas.map((s) => [s.root, s.generatedBy])).toEqual([
      ['db/migrations', undefined],
      ['prisma/migrations', 'prisma'],
    ]);
  });
});

describe('dialect by content', () => {
  it('reads a seed script whose only MySQL marks are USE and ON DUPLICATE KEY UPDATE as MySQL, and a plain one as PostgreSQL', async () => {
    const { model, findings } = await build({
      'dev/seed/04-seed.sql':
        "-- local seed\nUSE app;\nINSERT INTO workspaces (id, name) VALUES ('ws_1', 'root') ON DUPLICATE KEY UPDATE name = VALUES(name);\n",
      'db/migrations/001.sql': 'CREATE TABLE t (id bigint PRIMARY KEY);\n',
    });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    expect(model.schemas.map((s) => [s.root, s.dialect])).toEqual([
      ['db/migrations', 'postgres'],
      ['dev/seed', 'mysql'],
    ]);
  });
});

describe('dialect by content and by driver', () => {
  it("reads SQLite's AUTOINCREMENT (with backquotes, which SQLite accepts too) as SQLite, not MySQL", async () => {
    const { model, findings } = await build({
      'db/migrations/0001.sql':
        'CREATE TABLE IF NOT EXISTS "notes" (`id` INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "title" TEXT NOT NULL);\n',
      'db/migrations/0002.sql':
        'CREATE INDEX IF NOT EXISTS IDX_notes_title ON notes (title);\nVACUUM;\nCREATE INDEX [IDX_notes_id] ON [notes] ([id] DESC);\n',
    });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    expect(model.schemas.map((s) => [s.dialect, s.dialectSource])).toEqual([['sqlite', 'content']]);
    expect(model.schemas[0]!.table({ name: 'notes' })!.indexes.map((i) => [i.name, i.columns])).toEqual([
      ['IDX_notes_title', ['title']],
      ['IDX_notes_id', ['id']],
    ]);
  });

  it('takes the engine of the only database driver the nearest package.json depends on, over backquotes', async () => {
    const { model, findings } = await build({
      'package.json': JSON.stringify({ dependencies: { 'better-sqlite3': '11.9.1', express: '4' } }),
      'db/migrations/0001.sql': 'CREATE TABLE "blobs" ("blobId" TEXT NOT NULL PRIMARY KEY, `content` TEXT);\n',
      'api/package.json': JSON.stringify({ dependencies: { pg: '8', mysql2: '3' }, devDependencies: {} }),
      'api/migrations/0001.sql': 'CREATE TABLE `users` (`id` int PRIMARY KEY);\n',
      'svc/package.json': JSON.stringify({ dependencies: { pg: '8' }, devDependencies: { sqlite3: '5' } }),
      'svc/migrations/0001.sql': 'CREATE TABLE jobs (id bigserial PRIMARY KEY);\n',
    });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    expect(model.schemas.map((s) => [s.root, s.dialect, s.dialectSource])).toEqual([
      ['api/migrations', 'mysql', 'content'],
      ['db/migrations', 'sqlite', 'package-driver'],
      ['svc/migrations', 'postgres', 'package-driver'],
    ]);
  });
});

describe('placeholders a migration runner fills in', () => {
  it('reads a block comment standing for the schema name (`ON /* SCHEMA */."T"`) as a masked name', async () => {
    const { model, findings } = await build({
      'prisma/migrations/20250101000000_init/migration.sql':
        'CREATE TABLE "Config" ("id" text PRIMARY KEY, "config" jsonb);\n' +
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS "config_idx" ON /* SCHEMA_NAME_SENTINEL */."Config" USING GIN ("config");\n' +
        '/* not a placeholder */ CREATE TABLE "Other" ("id" text PRIMARY KEY);\n',
    });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    expect(model.schemas[0]!.tables.map((t) => t.name.name)).toEqual(['Config', 'Other']);
    expect(model.schemas[0]!.table({ name: 'Config' })!.indexes.map((i) => i.name)).toContain('config_idx');
  });
});

describe('engines archlint does not model', () => {
  it('leaves ClickHouse folders (by folder name or table engine) out with one core/skipped-file note per folder', async () => {
    const { model, findings } = await build({
      'db/postgresql/migrations/001.sql': 'CREATE TABLE events (id bigint PRIMARY KEY);\n',
      'db/clickhouse/migrations/01_events.sql':
        'CREATE TABLE events (id UInt64, at DateTime64(3)) ENGINE = MergeTree ORDER BY (at);\n',
      'db/clickhouse/migrations/02_mv.sql':
        'CREATE MATERIALIZED VIEW events_mv TO events_daily AS SELECT toDate(at) AS day FROM events;\n',
      'analytics/migrations/001_hits.sql':
        'CREATE TABLE hits (id UInt64) ENGINE = ReplicatedMergeTree() ORDER BY id;\n',
    });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    expect(findings.filter((f) => f.ruleId === 'core/skipped-file').map((f) => [f.file, f.message])).toEqual([
      [
        'analytics/migrations/001_hits.sql',
        'The 1 SQL file(s) under analytics/migrations/ are for ClickHouse, which archlint does not model: not read',
      ],
      [
        'db/clickhouse/migrations/01_events.sql',
        'The 2 SQL file(s) under db/clickhouse/ are for ClickHouse, which archlint does not model: not read',
      ],
    ]);
    expect(model.schemas.map((s) => [s.root, s.dialect])).toEqual([['db/postgresql/migrations', 'postgres']]);
  });

  it('takes a folder as ClickHouse when one of its files has ClickHouse types or settings (its down files too); int8 is PostgreSQL', async () => {
    const { model, findings } = await build({
      'api/migrations/ch/000001_add_flags.up.sql':
        'ALTER TABLE default.metric_stream ADD COLUMN IF NOT EXISTS is_delta Bool, ADD COLUMN flags LowCardinality(String);\n',
      'api/migrations/ch/000001_add_flags.down.sql':
        'ALTER TABLE default.metric_stream DROP COLUMN IF EXISTS is_delta;\n',
      'collector/seed/00008_ts.sql': 'CREATE TABLE IF NOT EXISTS metrics_ts ENGINE = TimeSeries;\n',
      'collector/seed/00009_counts.sql': 'CREATE TABLE counts (n UInt64) ENGINE = Memory;\n',
      'db/migrations/001.sql': 'CREATE TABLE t (id int8 PRIMARY KEY, n INT8);\n',
      'db/migrations/002_lower.sql': "CREATE TABLE u (id int8 PRIMARY KEY, note text DEFAULT 'nullable (ok)');\n",
    });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    expect(findings.filter((f) => f.ruleId === 'core/skipped-file').map((f) => f.file)).toEqual([
      'api/migrations/ch/000001_add_flags.down.sql',
      'collector/seed/00008_ts.sql',
    ]);
    expect(model.schemas.map((s) => [s.root, s.dialect])).toEqual([['db/migrations', 'postgres']]);
  });

  it('does not read a file of queries only (a test assertion, a report): no schema in it, and no engine to tell', async () => {
    const { findings, model } = await build({
      'smoke/data/logs/assert_query.sql':
        "SELECT Attributes FROM otel_logs WHERE Attributes['suite'] = 'x' ORDER BY (toStartOfFiveMinutes(Timestamp), Timestamp) FORMAT CSV\n",
      'db/migrations/001.sql': 'CREATE TABLE t (id bigint PRIMARY KEY);\nSELECT * FROM t FORMAT CSV;\n',
    });
    expect(summary(findings.filter((f) => f.ruleId === 'core/parse-error'))).toEqual([
      'core/parse-error db/migrations/001.sql:2',
    ]);
    expect(model.schemas.map((s) => [s.root, s.tables.length])).toEqual([
      ['db/migrations', 1],
      ['smoke/data/logs', 0],
    ]);
  });

  it("leaves out a file whose own name says ClickHouse (a dev stack's admin script beside MySQL seeds), not its neighbours", async () => {
    const { model, findings } = await build({
      'dev/clickhouse-local-admin.sql':
        "CREATE USER IF NOT EXISTS admin IDENTIFIED WITH sha256_password BY 'x';\nGRANT CREATE QUOTA ON *.* TO admin;\n",
      'dev/01-schema.sql':
        'CREATE TABLE `users` (`id` bigint NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB;\n',
      'dev/clickhouses.sql': 'CREATE TABLE `houses` (`id` bigint NOT NULL, PRIMARY KEY (`id`));\n',
    });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    expect(findings.filter((f) => f.ruleId === 'core/skipped-file').map((f) => [f.file, f.message])).toEqual([
      [
        'dev/clickhouse-local-admin.sql',
        'The 1 SQL file(s) under dev/ are for ClickHouse, which archlint does not model: not read',
      ],
    ]);
    expect(model.schemas.flatMap((s) => s.tables.map((t) => t.name.name)).sort()).toEqual(['houses', 'users']);
  });
});
