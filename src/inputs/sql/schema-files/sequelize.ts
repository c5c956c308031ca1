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
import type { SqlDialect } from '../../../model/schema.js';
import type { InputEnv } from '../../env.js';
import { builderMigrationSchemas, type BuilderTool, type EngineChoice } from './builder-migrations.js';
import { packageOf } from './packages.js';
import { readSequelizeMigration, SEQUELIZE_MIGRATION } from './sequelize-read.js';

/** Narrower than builder-migrations' folders: `migrations/`, `migration/`. */
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

export const sequelizeTool: BuilderTool = {
  name: 'Sequelize',
  isMigration: (text, path) =>
    MIGRATIONS_FOLDER.test(path) &&
    SEQUELIZE_MIGRATION.test(text) &&
    QUERY_INTERFACE.test(text) &&
    !OTHER_TOOL.test(text),
  engines: async (env, packages) => sequelizeDialects(env, packages),
  read: readSequelizeMigration,
};

export function sequelizeSchemas(env: InputEnv) {
  return builderMigrationSchemas(env, sequelizeTool);
}

/** The dialect of the Sequelize options that serve a package: its own, else the run's when all agree. */
function sequelizeDialects(env: InputEnv, packages: string[]): (folder: string) => EngineChoice {
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
