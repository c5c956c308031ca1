/**
 * Kysely migrations as migration histories (builder-migrations.ts): the files of a migrations
 * folder that use Kysely and export `up(db)`, read by kysely-read.ts, in file-name order (the order
 * Kysely's `Migrator` with a `FileMigrationProvider` runs them).
 *
 * The engine comes from the dialect the project gives Kysely: `new PostgresDialect(…)` (and the
 * community dialects of the same engines: `PostgresJSDialect`, `NeonDialect`, `PlanetScaleDialect`,
 * `LibsqlDialect`, `D1Dialect`…). None, one archlint does not model, or several in one package:
 * the migrations are not read, since archlint cannot know what the database holds.
 */
import type { SqlDialect } from '../../../model/schema.js';
import { isTestFile, judgingRoots } from '../../../model/test-paths.js';
import type { InputEnv } from '../../env.js';
import { builderMigrationSchemas, chooseEngine, type BuilderTool } from './builder-migrations.js';
import { readKyselyMigration } from './kysely-read.js';
import { packageOf } from './packages.js';

const KYSELY = /\bKysely\b|['"]kysely['"]/;
const UP = /\bup\b/;
const DIALECT_CLASS = /\bnew\s+([A-Za-z]\w*Dialect)\s*\(/g;

/** Kysely dialect classes → engines, by what their names say. */
const DIALECTS: Array<[RegExp, SqlDialect]> = [
  [/^(?:Postgres|Pg|Neon|Supabase|Vercel|Cockroach)/i, 'postgres'],
  [/^(?:Mysql|PlanetScale|Mariadb)/i, 'mysql'],
  [/^(?:Sqlite|BunSqlite|Libsql|D1|SqlJs|Wasqlite|Expo)/i, 'sqlite'],
];

export const kyselyTool: BuilderTool = {
  name: 'Kysely',
  isMigration: (text) => KYSELY.test(text) && UP.test(text) && /\.\s*schema\b|\bsql\s*(?:`|\.raw\s*\()/.test(text),
  engines: kyselyEngines,
  read: readKyselyMigration,
};

export function kyselySchemas(env: InputEnv) {
  return builderMigrationSchemas(env, kyselyTool);
}

async function kyselyEngines(env: InputEnv, packages: string[]) {
  const judging = judgingRoots(env.fileSet);
  const byPackage = new Map<string, Set<SqlDialect | undefined>>();
  for (const file of env.fileSet.files) {
    if (file.kind !== 'code' || isTestFile(file, judging)) continue;
    const text = env.text.get(file.path)?.content ?? '';
    if (!text.includes('Dialect') || !/kysely/i.test(text)) continue;
    const found = [...text.matchAll(DIALECT_CLASS)].map((m) => DIALECTS.find(([pattern]) => pattern.test(m[1]!))?.[1]);
    if (found.length === 0) continue;
    const pkg = packageOf(file.path, packages);
    const set = byPackage.get(pkg) ?? new Set();
    for (const engine of found) set.add(engine);
    byPackage.set(pkg, set);
  }
  return chooseEngine(byPackage, 'Kysely dialect');
}
