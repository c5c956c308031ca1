/** The SQL input: splitting, ordering, dialects, parse errors at their statement, and the folded state. */
import { describe, expect, it } from 'vitest';
import { useSchemaBuilds } from './harness/schema-model.js';
import { findMigrationSets, rootOf } from '../src/inputs/sql/migrations.js';
import { splitStatements } from '../src/inputs/sql/split.js';
import { maskTemplates } from '../src/inputs/sql/templates.js';
import type { ArchlintConfig } from '../src/model/config.js';
import type { DiscoveredFile } from '../src/model/files.js';

const texts = (sql: string, dialect: 'postgres' | 'mysql' = 'postgres') =>
  splitStatements(sql, dialect).map((s) => sql.slice(s.start, s.end));

describe('splitStatements', () => {
  it('keeps terminators inside quotes, dollar quotes and comments', () => {
    const sql = [
      '-- a comment; not a statement',
      "INSERT INTO t VALUES ('a;b', E'it\\'s;', \"x;y\");",
      'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;',
      '/* outer /* nested; */ still comment; */ SELECT $$;$$;',
      'SELECT 1',
    ].join('\n');
    expect(texts(sql)).toEqual([
      "INSERT INTO t VALUES ('a;b', E'it\\'s;', \"x;y\")",
      'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql',
      'SELECT $$;$$',
      'SELECT 1',
    ]);
  });

  it('honours MySQL DELIMITER lines, # comments and backslash escapes', () => {
    const sql = [
      '# note; here',
      "INSERT INTO t VALUES ('a\\';b');",
      'DELIMITER //',
      'CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END//',
      'DELIMITER ;',
      'SELECT 3;',
    ].join('\n');
    expect(texts(sql, 'mysql')).toEqual([
      "INSERT INTO t VALUES ('a\\';b')",
      'CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END',
      'SELECT 3',
    ]);
  });

  it('in PostgreSQL a DELIMITER line adds a terminator and ; still splits', () => {
    const sql =
      'delimiter d//\nCREATE FUNCTION f() RETURNS void AS $$ BEGIN END; $$ LANGUAGE plpgsql;\nd//\nselect f();\nALTER TABLE t ADD COLUMN c int;';
    expect(texts(sql)).toEqual([
      'CREATE FUNCTION f() RETURNS void AS $$ BEGIN END; $$ LANGUAGE plpgsql',
      'select f()',
      'ALTER TABLE t ADD COLUMN c int',
    ]);
  });

  it('ends a statement at any delimiter character and before trailing whitespace across lines', () => {
    const mysql =
      'DELIMITER |\nCREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET @x = 1; END \n\t|\nDELIMITER $$\nSELECT 2 $$\nDELIMITER ;\nSELECT\n  3\n\n;';
    expect(texts(mysql, 'mysql')).toEqual([
      'CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET @x = 1; END',
      'SELECT 2',
      'SELECT\n  3',
    ]);
    expect(texts('CREATE TABLE a (id int)   \r\n  ;\r\n  CREATE INDEX i ON a (id) -- why\n;')).toEqual([
      'CREATE TABLE a (id int)',
      'CREATE INDEX i ON a (id)',
    ]);
  });

  it('skips psql meta-commands and comment-only chunks', () => {
    expect(texts('\\connect app\n-- only a comment\n;\nSELECT 1;')).toEqual(['SELECT 1']);
  });
});

describe('maskTemplates', () => {
  it('replaces template markers by same-length identifiers, keeping line breaks', () => {
    const sql = 'create table {{ index .Options "Namespace" }}.users (id int);\n${flyway:schema}.x {{\n}}';
    const masked = maskTemplates(sql);
    expect(masked.length).toBe(sql.length);
    expect(masked.split('\n').length).toBe(sql.split('\n').length);
    expect(masked).toMatch(/^create table _+\.users \(id int\);\n_+\.x _+\n_+$/);
  });
});

describe('migration discovery and order', () => {
  const file = (path: string): DiscoveredFile => ({ path, absPath: `/repo/${path}`, kind: 'sql', size: 1 });

  it('finds the root of each layout', () => {
    expect(rootOf('prisma/migrations/20240101_init/migration.sql')).toBe('prisma/migrations');
    expect(rootOf('src/main/resources/db/migration/V1__init.sql')).toBe('src/main/resources/db/migration');
    expect(rootOf('schema/postgresql/v12/temporal/versioned/v1.14/x.sql')).toBe('schema/postgresql/v12/temporal');
    expect(rootOf('sql/upgrade/3.3.0_schema/postgresql/ddl.sql')).toBe('sql');
    expect(rootOf('db/schema.sql')).toBe('db');
    expect(rootOf('init.sql')).toBe('.');
  });

  it('orders by version number, not text, and leaves down files out of the state', () => {
    const sets = findMigrationSets(
      [
        'db/migration/V10__c.sql',
        'db/migration/V2__b.sql',
        'db/migration/V1__a.sql',
        'db/migration/U2__b.sql',
        'db/migration/schema.sql',
      ].map(file),
      { baseDir: '/repo', cwd: '/repo' },
    );
    expect(sets).toHaveLength(1);
    expect(sets[0]!.entries.map((e) => [e.file.path.slice(13), e.applied])).toEqual([
      ['schema.sql', true],
      ['V1__a.sql', true],
      ['U2__b.sql', false],
      ['V2__b.sql', true],
      ['V10__c.sql', true],
    ]);
  });

  it('orders upgrade steps by the number closing the file name when none leads it', () => {
    const sets = findMigrationSets(
      [
        'databases/_upgrade_users_32.sql',
        'databases/_upgrade_users_9.sql',
        'databases/_users.db.sql',
        'databases/_upgrade_users_10.sql',
        'databases/_upgrade_users_2.down.sql',
      ].map(file),
      { baseDir: '/repo', cwd: '/repo' },
    );
    expect(sets[0]!.entries.map((e) => [e.file.path.slice(10), e.versionText])).toEqual([
      ['_users.db.sql', undefined],
      ['_upgrade_users_2.down.sql', '2'],
      ['_upgrade_users_9.sql', '9'],
      ['_upgrade_users_10.sql', '10'],
      ['_upgrade_users_32.sql', '32'],
    ]);
  });

  it('makes one history per service folder and per dialect variant', () => {
    const sets = findMigrationSets(
      [
        'a/migrations/1_x.up.sql',
        'b/migrations/1_x.up.sql',
        'k/migrations/1_x.postgres.up.sql',
        'k/migrations/1_x.mysql.up.sql',
        'k/migrations/2_y.up.sql',
        'k/migrations/2_y.down.sql',
      ].map(file),
      { baseDir: '/repo', cwd: '/repo' },
    );
    expect(sets.map((s) => [s.root, s.variant, s.entries.length])).toEqual([
      ['a/migrations', undefined, 1],
      ['b/migrations', undefined, 1],
      ['k/migrations', 'mysql', 3],
      ['k/migrations', 'postgres', 3],
    ]);
  });

  it('makes one history per sibling folder that numbers its migrations from the start', () => {
    // Two folders both holding version 1 cannot be steps of one sequence: two databases' histories.
    const sets = findMigrationSets(
      [
        'migrations/tenant/0001-init.sql',
        'migrations/tenant/0002-buckets.sql',
        'migrations/multitenant/0001-tenants.sql',
        'migrations/seed.sql',
      ].map(file),
      { baseDir: '/repo', cwd: '/repo' },
    );
    expect(sets.map((s) => [s.root, s.entries.map((e) => e.file.path)])).toEqual([
      ['migrations', ['migrations/seed.sql']],
      ['migrations/multitenant', ['migrations/multitenant/0001-tenants.sql']],
      ['migrations/tenant', ['migrations/tenant/0001-init.sql', 'migrations/tenant/0002-buckets.sql']],
    ]);
  });

  it('keeps sibling folders one history when their numbers continue each other', () => {
    // Folders per area whose numbers never repeat (`core/0001`, `billing/0002`) are one sequence.
    const sets = findMigrationSets(
      ['migrations/core/0001-users.sql', 'migrations/billing/0002-invoices.sql', 'migrations/core/0003-x.sql'].map(
        file,
      ),
      { baseDir: '/repo', cwd: '/repo' },
    );
    expect(sets.map((s) => [s.root, s.entries.map((e) => e.file.path)])).toEqual([
      [
        'migrations',
        ['migrations/core/0001-users.sql', 'migrations/billing/0002-invoices.sql', 'migrations/core/0003-x.sql'],
      ],
    ]);
  });

  it('leaves test folders below the lint root out, unless sql.migrations names them', () => {
    const paths = [
      'migrations/1_a.sql',
      'src/test/db/auth.sql',
      'test/fixtures/x/schema.sql',
      'pkg/__tests__/s.sql',
      'contest/migrations/1.sql',
      'db/latest/1.sql',
    ];
    const kept = (options: Parameters<typeof findMigrationSets>[1]) =>
      findMigrationSets(paths.map(file), options).flatMap((s) => s.entries.map((e) => e.file.path));
    expect(kept({ baseDir: '/repo', cwd: '/repo', roots: ['/repo'] })).toEqual([
      'contest/migrations/1.sql',
      'db/latest/1.sql',
      'migrations/1_a.sql',
    ]);
    expect(kept({ globs: ['src/test/**/*.sql'], baseDir: '/repo', cwd: '/repo', roots: ['/repo'] })).toEqual([
      'src/test/db/auth.sql',
    ]);
    // A lint root inside a test folder is judged as given: only the folders below it count.
    const inFixture = {
      path: 'fixtures/case/db/1.sql',
      absPath: '/repo/fixtures/case/db/1.sql',
      kind: 'sql' as const,
      size: 1,
    };
    expect(
      findMigrationSets([inFixture], { baseDir: '/repo', cwd: '/repo', roots: ['/repo/fixtures/case'] }),
    ).toHaveLength(1);
    expect(findMigrationSets([inFixture], { baseDir: '/repo', cwd: '/repo', roots: ['/repo'] })).toHaveLength(0);
  });

  it('keeps only files matching sql.migrations globs when configured', () => {
    const sets = findMigrationSets([file('db/migrations/1.sql'), file('queries/report.sql')], {
      globs: ['db/**/*.sql'],
      baseDir: '/repo',
      cwd: '/repo',
    });
    expect(sets.flatMap((s) => s.entries.map((e) => e.file.path))).toEqual(['db/migrations/1.sql']);
  });
});

// End to end through the engine: files on disk → schema model (captured by a test rule) + findings.
const schemaBuild = useSchemaBuilds('sql');
const build = (files: Record<string, string>, config: ArchlintConfig = {}) =>
  schemaBuild(files, config, ['db/indexed-foreign-keys']);

describe('parse errors', () => {
  it('reports one error per bad statement at the parser position, and keeps the rest of the file', async () => {
    const { model, findings } = await build({
      'db/migrations/001.sql':
        'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE é (id int PRIMARY KEY,\n  x int SELEKT);\nCREATE TABLE b (id int PRIMARY KEY);\n',
    });
    const errors = findings.filter((f) => f.ruleId === 'core/parse-error');
    expect(errors.map((f) => [f.line, f.column, f.message])).toEqual([
      [3, 9, 'PostgreSQL syntax error: syntax error at or near "SELEKT"'],
    ]);
    expect(model.schemas[0]!.tables.map((t) => t.name.name)).toEqual(['a', 'b']);
    expect(model.schemas[0]!.files[0]).toMatchObject({ statements: 3, parsed: 2 });
  });

  it('reports MySQL errors with the word where the parser stopped', async () => {
    const { findings } = await build({
      'db/migrations/001.sql':
        'CREATE TABLE `a` (`id` int) ENGINE=InnoDB;\nCREATE TABLE `b` (`id` int NOT NUL) ENGINE=InnoDB;\n',
    });
    const errors = findings.filter((f) => f.ruleId === 'core/parse-error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 2 });
    expect(errors[0]!.message).toBe('MySQL syntax error: syntax error at or near "NOT"');
  });
});

describe('SQLite and MySQL forms the grammars do not know', () => {
  it('reads SQLite transaction control and comma-less table constraints, keeping every line in place', async () => {
    const sql = [
      'BEGIN TRANSACTION;',
      'CREATE TABLE `a` (`id` text PRIMARY KEY NOT NULL);',
      'CREATE TABLE `b` (',
      '\t`id` text NOT NULL,',
      '\t`a_id` text,',
      '\tPRIMARY KEY (`id`)',
      '\tFOREIGN KEY (`a_id`) REFERENCES `a`(`id`) ON DELETE cascade',
      ');',
      'COMMIT TRANSACTION;',
      'CREATE TABLE `c` (`id` int, x int NOT NUL);',
    ].join('\n');
    const { model, findings } = await build({ 'db/migrations/001.sql': sql }, { sql: { dialect: 'sqlite' } });
    // Only the really broken statement is an error, on its own line (`x int SELEKT` would not be one:
    // SQLite takes any words as a type name).
    expect(findings.filter((f) => f.ruleId === 'core/parse-error').map((f) => f.line)).toEqual([10]);
    const b = model.schemas[0]!.table({ name: 'b' })!;
    expect(b.primaryKey?.columns).toEqual(['id']);
    expect(b.foreignKeys.map((fk) => [fk.columns, fk.references.table.name])).toEqual([[['a_id'], 'a']]);
  });

  it('reads MySQL bool and VARCHAR(n) BINARY columns', async () => {
    const { model, findings } = await build(
      {
        'db/migrations/001.sql':
          'CREATE TABLE `t` (`id` int PRIMARY KEY, `ok` bool NOT NULL, `code` VARCHAR(64) BINARY NOT NULL) ENGINE=InnoDB;\nALTER TABLE `t` ADD COLUMN `more` bool;\n',
      },
      { sql: { dialect: 'mysql' } },
    );
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    expect(model.schemas[0]!.table({ name: 't' })!.columns.map((c) => c.name)).toEqual(['id', 'ok', 'code', 'more']);
  });
});

describe('folded state', () => {
  it('follows renames, drops, late constraints and PostgreSQL case folding', async () => {
    const { model } = await build({
      'db/migrations/001.sql': [
        'CREATE TABLE "Users" (id bigint, Email text);',
        'ALTER TABLE "Users" ADD PRIMARY KEY (id);',
        'CREATE TABLE posts (id bigint PRIMARY KEY, owner bigint, legacy int);',
        'ALTER TABLE posts ADD CONSTRAINT posts_owner_fkey FOREIGN KEY (owner) REFERENCES "Users";',
        'CREATE INDEX ON posts (owner, legacy);',
        'ALTER TABLE posts DROP COLUMN legacy;',
        'ALTER TABLE posts RENAME COLUMN owner TO author_id;',
        'CREATE TABLE tmp (x int);',
        'DROP TABLE IF EXISTS tmp, missing;',
        '',
      ].join('\n'),
    });
    const schema = model.schemas[0]!;
    expect(schema.dialect).toBe('postgres');
    expect(schema.tables.map((t) => t.name.name)).toEqual(['Users', 'posts']);
    const users = schema.table({ name: 'Users' })!;
    expect(users.columns.map((c) => c.name)).toEqual(['id', 'email']);
    expect(users.primaryKey?.columns).toEqual(['id']);
    const posts = schema.table({ name: 'posts' })!;
    expect(posts.indexes).toEqual([]); // the index used the dropped column
    expect(posts.foreignKeys).toMatchObject([
      { name: 'posts_owner_fkey', columns: ['author_id'], references: { table: { name: 'Users' }, columns: ['id'] } },
    ]);
  });

  it('makes the indexes PostgreSQL makes: one per distinct key of a CREATE TABLE, none for a CREATE INDEX whose name a key or table holds', async () => {
    // Both found by the PostgreSQL oracle (scripts/sql-oracle.mjs) on real histories: supabase auth
    // (`id uuid NOT NULL UNIQUE, … CONSTRAINT users_pkey PRIMARY KEY (id)`) and DolphinScheduler
    // (`CREATE INDEX IF NOT EXISTS t_ds_relation_project_user_un` after a constraint of that name).
    const { model } = await build({
      'db/migrations/001.sql': [
        'CREATE TABLE users (id uuid NOT NULL UNIQUE, email text UNIQUE, handle text, CONSTRAINT users_pkey PRIMARY KEY (id), UNIQUE (handle), CONSTRAINT users_handle_uq UNIQUE (handle), UNIQUE (email, handle));',
        'CREATE TABLE grants (id int PRIMARY KEY, user_id uuid, project_id int, CONSTRAINT grants_un UNIQUE (user_id, project_id));',
        'CREATE INDEX IF NOT EXISTS grants_un ON grants (user_id, project_id);',
        'CREATE INDEX grants_pkey ON grants (id, user_id);',
        'CREATE INDEX users ON grants (project_id);',
        'CREATE INDEX IF NOT EXISTS grants_project_idx ON grants (project_id);',
        // A later ALTER TABLE is its own statement: its UNIQUE gets its own index, as in the engine.
        'ALTER TABLE grants ADD CONSTRAINT grants_id_key UNIQUE (id);',
        // The key kept takes the name of the one dropped when only that one was named.
        'CREATE TABLE tags (id int PRIMARY KEY, CONSTRAINT tags_named UNIQUE (id));',
        '',
      ].join('\n'),
    });
    const schema = model.schemas[0]!;
    const users = schema.table({ name: 'users' })!;
    expect(users.primaryKey).toMatchObject({ name: 'users_pkey', columns: ['id'] });
    expect(users.uniques.map((u) => [u.name, u.columns])).toEqual([
      ['users_email_key', ['email']],
      ['users_handle_uq', ['handle']],
      ['users_email_handle_key', ['email', 'handle']],
    ]);
    const grants = schema.table({ name: 'grants' })!;
    expect(grants.indexes.map((i) => i.name)).toEqual(['grants_project_idx']);
    expect(grants.uniques.map((u) => u.name)).toEqual(['grants_un', 'grants_id_key']);
    expect(schema.table({ name: 'tags' })).toMatchObject({
      primaryKey: { name: 'tags_named', columns: ['id'] },
      uniques: [],
    });
  });

  it('keeps what a PostgreSQL foreign key does on delete', async () => {
    const { model } = await build({
      'db/migrations/001.sql': [
        'CREATE TABLE users (id bigint PRIMARY KEY);',
        'CREATE TABLE notes (id bigint PRIMARY KEY, author_id bigint REFERENCES users ON DELETE CASCADE, editor_id bigint, owner_id bigint REFERENCES users);',
        'ALTER TABLE notes ADD CONSTRAINT notes_editor_fkey FOREIGN KEY (editor_id) REFERENCES users (id) ON DELETE SET NULL;',
        '',
      ].join('\n'),
    });
    const notes = model.schemas[0]!.table({ name: 'notes' })!;
    expect(notes.foreignKeys.map((fk) => [fk.columns[0], fk.onDelete])).toEqual([
      ['author_id', 'cascade'],
      ['owner_id', 'no-action'],
      ['editor_id', 'set-null'],
    ]);
  });

  it('keeps what a SQLite or MySQL foreign key does on delete, inline or table-level, after ON UPDATE', async () => {
    for (const [config, quote] of [
      [{ sql: { dialect: 'sqlite' } }, '`'],
      [{ sql: { dialect: 'mysql' } }, '`'],
    ] as const) {
      const q = (name: string) => `${quote}${name}${quote}`;
      const { model } = await build(
        {
          'db/migrations/001.sql': [
            `CREATE TABLE ${q('users')} (${q('id')} integer PRIMARY KEY);`,
            `CREATE TABLE ${q('notes')} (`,
            `  ${q('id')} integer PRIMARY KEY,`,
            `  ${q('author_id')} integer REFERENCES ${q('users')} (${q('id')}) ON DELETE CASCADE,`,
            `  ${q('owner_id')} integer,`,
            `  ${q('added_by')} integer,`,
            `  FOREIGN KEY (${q('owner_id')}) REFERENCES ${q('users')} (${q('id')}),`,
            `  FOREIGN KEY (${q('added_by')}) REFERENCES ${q('users')} (${q('id')}) ON UPDATE no action ON DELETE set null`,
            ');',
            '',
          ].join('\n'),
        },
        config,
      );
      const notes = model.schemas[0]!.table({ name: 'notes' })!;
      expect(notes.foreignKeys.map((fk) => [fk.columns[0], fk.onDelete])).toEqual([
        ['author_id', 'cascade'],
        ['owner_id', 'no-action'],
        ['added_by', 'set-null'],
      ]);
    }
  });

  it('applies every DROP INDEX form of each dialect, with names folded as the engine stores them', async () => {
    const created = (prefix: string) =>
      ['a', 'b', 'c', 'd', 'e'].map((n) => `CREATE INDEX ${prefix}${n}_idx ON t (x);`).join('\n');
    const { model, findings } = await build({
      // SQLite / drizzle-kit: bare, backquoted, double-quoted, schema-qualified and MySQL's `ON table`; names without case.
      'lite/db/001.sql': `CREATE TABLE t (x int);\n${created('')}\n`,
      'lite/db/002.sql':
        'DROP INDEX `a_idx`;--> statement-breakpoint\nDROP INDEX IF EXISTS "B_IDX";\nDROP INDEX main.c_idx;\nDROP INDEX `D_idx` ON `t`;\n',
      // PostgreSQL: unquoted names fold to lower case, quoted ones keep theirs.
      'pg/db/001.sql': `CREATE TABLE t (x int);\n${created('P_')}\n`,
      'pg/db/002.sql':
        'DROP INDEX IF EXISTS "p_a_idx";\nDROP INDEX P_B_IDX;\nDROP INDEX "P_C_idx";\nDROP INDEX CONCURRENTLY public.p_d_idx;\n',
    });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    const left = (root: string) => model.schemas.find((s) => s.root === root)!.tables[0]!.indexes.map((i) => i.name);
    expect(model.schemas.find((s) => s.root === 'lite/db')!.dialect).toBe('mysql');
    expect(left('lite/db')).toEqual(['e_idx']);
    // "P_C_idx" names no index: p_c_idx was folded when it was created.
    expect(left('pg/db')).toEqual(['p_c_idx', 'p_e_idx']);
  });

  it('reads down migrations for their parse errors only: their statements never reach the state', async () => {
    const { model, findings } = await build({
      'db/migrations/001_init.up.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n',
      'db/migrations/001_init.down.sql':
        'DROP TABLE a;\nDROP TABEL b;\nCREATE TABLE c (id int);\nCREATE TABLE d (id int, UNIQUE KEY d_id (id));\n',
    });
    const schema = model.schemas[0]!;
    expect(schema.tables.map((t) => t.name.name)).toEqual(['a']);
    expect(schema.files.map((f) => [f.path, f.applied, f.statements, f.parsed])).toEqual([
      ['db/migrations/001_init.down.sql', false, 4, 3],
      ['db/migrations/001_init.up.sql', true, 1, 1],
    ]);
    expect(schema.events.map((e) => e.kind)).toEqual(['create-table']);
    expect(findings.filter((f) => f.ruleId === 'core/parse-error').map((f) => [f.file, f.line])).toEqual([
      ['db/migrations/001_init.down.sql', 2],
    ]);
  });

  it('keeps foreign keys pointing at renamed tables and columns, and drops those whose target goes', async () => {
    const { model } = await build({
      'db/migrations/001.sql': [
        'CREATE TABLE accounts (id bigint PRIMARY KEY, code text UNIQUE);',
        'CREATE TABLE teams (id bigint PRIMARY KEY);',
        'CREATE TABLE members (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts, account_code text REFERENCES accounts (code), team_id bigint REFERENCES teams);',
        'CREATE TABLE audit (id bigint, note text);',
        'ALTER TABLE accounts RENAME TO customers;',
        'ALTER TABLE customers RENAME COLUMN id TO customer_id;',
        'ALTER TABLE customers DROP COLUMN code;',
        'DROP TABLE teams;',
        'ALTER TABLE audit RENAME TO audit_log;',
        'ALTER TABLE audit_log DROP COLUMN note;',
        'DROP TABLE audit_log;',
        '',
      ].join('\n'),
    });
    const schema = model.schemas[0]!;
    expect(schema.tables.map((t) => t.name.name)).toEqual(['members', 'customers']);
    expect(schema.table({ name: 'members' })!.foreignKeys).toMatchObject([
      { columns: ['account_id'], references: { table: { name: 'customers' }, columns: ['customer_id'] } },
    ]);
  });

  it('reads DDL inside DO blocks and MySQL-style inline indexes', async () => {
    const { model } = await build({
      'db/migrations/001.sql': [
        'CREATE TABLE a (id int PRIMARY KEY);',
        'CREATE TABLE b (id int, a_id int, UNIQUE KEY b_a_key (a_id));',
        'DO $$ BEGIN ALTER TABLE b ADD CONSTRAINT b_pkey PRIMARY KEY (id); EXCEPTION WHEN duplicate_object THEN null; END $$;',
        '',
      ].join('\n'),
    });
    const b = model.schemas[0]!.table({ name: 'b' })!;
    expect(b.primaryKey?.columns).toEqual(['id']);
    expect(b.indexes).toMatchObject([{ name: 'b_a_key', columns: ['a_id'], unique: true }]);
  });

  it('decides the dialect from config, Prisma lock, file names, folders and content', async () => {
    const mysql = 'CREATE TABLE `t` (`id` int NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB;\n';
    const { model } = await build({
      'a/prisma/migrations/migration_lock.toml': 'provider = "mysql"\n',
      'a/prisma/migrations/1_init/migration.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n',
      'b/migrations/1_init.sqlite3.up.sql': 'CREATE TABLE t (id INTEGER PRIMARY KEY);\n',
      'c/db/mysql/migrations/1.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n',
      'd/migrations/1.sql': mysql,
      'e/migrations/1.sql': '-- `backticks` in a comment do not make it MySQL\nCREATE TABLE t (id int PRIMARY KEY);\n',
    });
    expect(model.schemas.map((s) => [s.root, s.dialect, s.dialectSource])).toEqual([
      ['a/prisma/migrations', 'mysql', 'prisma-lock'],
      ['b/migrations', 'sqlite', 'file-name'],
      ['c/db/mysql/migrations', 'mysql', 'path'],
      ['d/migrations', 'mysql', 'content'],
      ['e/migrations', 'postgres', 'default'],
    ]);
    const configured = await build(
      { 'db/1.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n' },
      { sql: { dialect: 'mariadb' } },
    );
    expect(configured.model.schemas[0]).toMatchObject({ dialect: 'mariadb', dialectSource: 'config' });
  });

  it('maps positions past non-ASCII text to the right column', async () => {
    const { findings } = await build({
      'db/migrations/001.sql':
        "CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (note text DEFAULT 'ünïcødé 😀', p_id int REFERENCES p (id));\n",
    });
    const fk = findings.find((f) => f.ruleId === 'db/indexed-foreign-keys')!;
    // The emoji is two UTF-16 code units: REFERENCES starts at column 58.
    expect([fk.line, fk.column]).toEqual([2, 58]);
  });
});

describe('SQLite column definitions as SQLite reads them', () => {
  it('keeps a loose type as written and reads a bare REFERENCES as the parent key', async () => {
    const sql = [
      'create table account (id INTEGER primary key, name VARCHAR2(255) not null);',
      'create table probe (',
      '  id INTEGER primary key,',
      '  weight unsigned big int default 1,',
      '  account_id INTEGER references account on update cascade on delete',
      '    set null',
      ');',
      'alter table probe add column owner_id INTEGER references account;',
    ].join('\n');
    const { model, findings } = await build({ 'db/migrations/001.sql': sql }, { sql: { dialect: 'sqlite' } });
    expect(findings.filter((f) => f.ruleId === 'core/parse-error')).toEqual([]);
    const account = model.schemas[0]!.table({ name: 'account' })!;
    expect(account.columns.map((c) => [c.name, c.type.name])).toEqual([
      ['id', 'integer'],
      ['name', 'varchar2'],
    ]);
    const probe = model.schemas[0]!.table({ name: 'probe' })!;
    expect(probe.columns.find((c) => c.name === 'weight')!.type.name).toBe('unsigned big int');
    expect(
      probe.foreignKeys.map((fk) => [fk.columns, fk.references.table.name, fk.references.columns, fk.onDelete]),
    ).toEqual([
      [['account_id'], 'account', ['id'], 'set-null'],
      [['owner_id'], 'account', ['id'], 'no-action'],
    ]);
  });
});
