/**
 * Sequelize migrations as migration histories: the migration files of one folder (`migrations/`,
 * `server/migrations/`), in file-name order as sequelize-cli and umzug run them, each read as its
 * QueryInterface calls (sequelize-read.ts) and its raw SQL strings, parsed in place by the SQL
 * reader so their findings point into the file. The result is folded like a folder of `.sql`
 * migrations, and every db/* rule judges it the same way.
 *
 * The engine comes from the project's Sequelize options (`dialect: 'postgres'` in the config file
 * sequelize-cli reads, or in `new Sequelize(...)`); when none says, or several disagree, the
 * migrations are not read: archlint cannot know what the database holds, and stays quiet.
 */
import { posix } from 'node:path';
import {
  ENGINE_FACTS,
  type MigrationFile,
  type Schema,
  type SchemaEvent,
  type SqlDialect,
} from '../../../model/schema.js';
import { isTestFile, judgingRoots } from '../../../model/test-paths.js';
import type { InputEnv } from '../../env.js';
import { foldEvents } from '../fold.js';
import { sqlEvents } from './builder-migrations.js';
import { packageFolders, packageOf } from './packages.js';
import { readSequelizeMigration, SEQUELIZE_MIGRATION } from './sequelize-read.js';

const MIGRATIONS_FOLDER = /(?:^|\/)migrations?\//i;
/** Not a Sequelize migration: TypeORM's (read as SQL strings), knex's and Kysely's builders (knex.ts, kysely.ts). */
const OTHER_TOOL = /\bMigrationInterface\b|\bknex\b|\bKysely\b/;
const QUERY_INTERFACE = /\bqueryInterface\b|\bQueryInterface\b|\bcontext\s*:/;
const DIALECT = /["']?dialect["']?\s*:\s*["'](postgres|mysql|mariadb|sqlite|mssql|db2|snowflake|oracle|ibmi)["']/g;
const SEQUELIZE_HINT = /sequelize/i;
const DIALECTS: Record<string, SqlDialect> = {
  postgres: 'postgres',
  mysql: 'mysql',
  mariadb: 'mariadb',
  sqlite: 'sqlite',
};

export async function sequelizeSchemas(env: InputEnv): Promise<Schema[]> {
  const judging = judgingRoots(env.fileSet);
  const candidates = env.fileSet.files.filter((file) => {
    if (file.kind !== 'code' || !MIGRATIONS_FOLDER.test(file.path) || isTestFile(file, judging)) return false;
    const text = env.text.get(file.path)?.content ?? '';
    return SEQUELIZE_MIGRATION.test(text) && QUERY_INTERFACE.test(text) && !OTHER_TOOL.test(text);
  });
  if (candidates.length === 0) return [];
  const packages = packageFolders(env);
  const dialectOf = sequelizeDialects(env, packages);
  const code = await env.input('code');

  const folders = new Map<string, string[]>();
  for (const file of candidates) {
    const folder = posix.dirname(file.path);
    folders.set(folder, [...(folders.get(folder) ?? []), file.path]);
  }
  const schemas: Schema[] = [];
  for (const [folder, paths] of folders) {
    const found = dialectOf(packageOf(folder, packages));
    if (found.dialect === undefined) {
      env.log(`sql: Sequelize migrations in ${folder} not read: ${found.why}`);
      continue;
    }
    const dialect = found.dialect;
    const files: MigrationFile[] = [];
    const events: SchemaEvent[] = [];
    let unread = 0;
    for (const path of paths.sort()) {
      const file = code.get(path);
      const text = env.text.get(path)?.content;
      if (!file || text === undefined) continue;
      const migration = readSequelizeMigration(code.ts, path, file.sourceFile.compilerNode, dialect);
      if (!migration) continue;
      unread += migration.unread;
      const sql =
        migration.sqlStrings.length > 0
          ? await sqlEvents(env, path, text, migration.sqlStrings, dialect)
          : { events: [], statements: 0, parsed: 0 };
      const merged = [...migration.events, ...sql.events].sort(
        (a, b) => (a.origin.range?.start ?? 0) - (b.origin.range?.start ?? 0),
      );
      events.push(...merged);
      files.push({
        path,
        applied: true,
        statements: migration.events.length + sql.statements,
        parsed: migration.events.length + sql.parsed,
      });
    }
    if (files.length === 0) continue;
    if (unread > 0)
      env.log(
        `sql: ${unread} QueryInterface call(s) in ${folder} not read (a table or column name that is not a literal)`,
      );
    const state = foldEvents(events, dialect);
    schemas.push({
      root: folder,
      dialect,
      dialectSource: 'tool-config',
      files,
      events,
      tables: state.tables,
      table: state.table,
      engine: ENGINE_FACTS[dialect],
    });
  }
  if (schemas.length > 0)
    env.log(`sql: ${schemas.length} Sequelize migration folder(s) from ${candidates.length} file(s)`);
  return schemas;
}

/** The dialect of the Sequelize options that serve a package: its own, else the run's when all agree. */
function sequelizeDialects(
  env: InputEnv,
  packages: string[],
): (folder: string) => { dialect?: SqlDialect; why?: string } {
  const byPackage = new Map<string, Set<string>>();
  for (const file of env.fileSet.files) {
    if (file.kind !== 'code' && !/\.json$/.test(file.path)) continue;
    const text = env.text.get(file.path)?.content;
    if (!text?.includes('dialect')) continue;
    // A JSON config of sequelize-cli (`config/config.json`), or code that sets up Sequelize.
    if (file.kind === 'code' && !SEQUELIZE_HINT.test(text) && !/(?:^|\/)config\//.test(file.path)) continue;
    const found = [...text.matchAll(DIALECT)].map((m) => m[1]!);
    if (found.length === 0) continue;
    const folder = packageOf(file.path, packages);
    const set = byPackage.get(folder) ?? new Set<string>();
    for (const d of found) set.add(d);
    byPackage.set(folder, set);
  }
  const all = new Set([...byPackage.values()].flatMap((s) => [...s]));
  return (folder) => {
    const own = byPackage.get(folder);
    const set = own && own.size > 0 ? own : all;
    if (set.size === 0) return { why: 'no Sequelize options say which database it is (dialect: …)' };
    if (set.size > 1) return { why: `the Sequelize options name several databases (${[...set].sort().join(', ')})` };
    const only = [...set][0]!;
    const dialect = DIALECTS[only];
    return dialect ? { dialect } : { why: `${only} is not a database archlint models` };
  };
}
