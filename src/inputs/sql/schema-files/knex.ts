/**
 * knex migrations as migration histories (builder-migrations.ts): the files of a migrations folder
 * whose `up(knex)` uses `knex.schema` or `knex.raw`, read by knex-read.ts, in file-name order (the
 * order `knex migrate:latest` runs them).
 *
 * The engine comes from the project's knex configuration: `client: 'pg'` in a knexfile, in
 * `knex({ client, … })` or in an object that configures knex (`connection`, `migrations`, `pool`…).
 * A client chosen at run time (`client: process.env.DB_CLIENT`), one archlint does not model
 * (mssql, oracledb), or several clients in one package: the migrations are not read, since
 * archlint cannot know what the database holds. `process.env.X || 'pg'` counts as its default.
 */
import type { ts as TypeScript } from 'ts-morph';
import type { SqlDialect } from '../../../model/schema.js';
import { isTestFile, judgingRoots } from '../../../model/test-paths.js';
import { isBundle } from '../../../model/bundles.js';
import type { InputEnv } from '../../env.js';
import { builderMigrationSchemas, chooseEngine, type BuilderTool } from './builder-migrations.js';
import { readKnexMigration } from './knex-read.js';
import { packageOf } from './packages.js';
import { property, propertyName, stringValue, unwrap } from './ts-syntax.js';

type Ts = typeof TypeScript;

const SCHEMA_CALL =
  /\.\s*schema\s*(?:\.\s*withSchema\s*\([^)]*\)\s*)?\.\s*(?:createTable|createTableIfNotExists|alterTable|table|dropTable|dropTableIfExists|renameTable|raw)\s*\(|\.\s*raw\s*\(/;
const UP = /\bup\b/;
/** Other tools' migrations: Sequelize's QueryInterface, TypeORM's classes, Kysely's builder. */
const OTHER_TOOL = /\bqueryInterface\b|\bQueryInterface\b|\bMigrationInterface\b|\bKysely\b|['"]kysely['"]/;
const KNEX_HINT = /knex/i;
const KNEXFILE = /(?:^|\/)knexfile\.[cm]?[jt]s$/;
/** Keys of a knex configuration object besides `client`. */
const CONFIG_KEYS = new Set([
  'connection',
  'migrations',
  'pool',
  'useNullAsDefault',
  'searchPath',
  'seeds',
  'acquireConnectionTimeout',
]);

/** knex client names → engines archlint models; others (mssql, oracledb, redshift) are not modelled. */
const CLIENTS: Record<string, SqlDialect> = {
  pg: 'postgres',
  postgres: 'postgres',
  postgresql: 'postgres',
  'pg-native': 'postgres',
  pgnative: 'postgres',
  cockroachdb: 'postgres',
  mysql: 'mysql',
  mysql2: 'mysql',
  mariadb: 'mariadb',
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  'better-sqlite3': 'sqlite',
};

export const knexTool: BuilderTool = {
  name: 'knex',
  isMigration: (text) => UP.test(text) && SCHEMA_CALL.test(text) && !OTHER_TOOL.test(text),
  engines: knexEngines,
  read: readKnexMigration,
};

export function knexSchemas(env: InputEnv) {
  return builderMigrationSchemas(env, knexTool);
}

async function knexEngines(env: InputEnv, packages: string[]) {
  const judging = judgingRoots(env.fileSet);
  const files = env.fileSet.files.filter((file) => {
    if (file.kind !== 'code' || isTestFile(file, judging)) return false;
    const text = env.text.get(file.path)?.content ?? '';
    // A committed bundle (a yarn release, a minified library) names `client` and knex in its own code; it is
    // no configuration of the project's, and parsing its megabytes would be for nothing.
    return text.includes('client') && (KNEX_HINT.test(text) || KNEXFILE.test(file.path)) && !isBundle(file.path, text);
  });
  const byPackage = new Map<string, Set<SqlDialect | undefined>>();
  if (files.length > 0) {
    const code = await env.input('code');
    for (const file of files) {
      const source = code.get(file.path);
      if (!source) continue;
      const found = clientsOf(code.ts, source.tree, KNEXFILE.test(file.path));
      if (found.length === 0) continue;
      const pkg = packageOf(file.path, packages);
      const set = byPackage.get(pkg) ?? new Set();
      for (const engine of found) set.add(engine);
      byPackage.set(pkg, set);
    }
  }
  return chooseEngine(byPackage, 'knex configuration');
}

/** The engines that the knex configurations of a file name (`undefined`: one archlint cannot know). */
function clientsOf(ts: Ts, sourceFile: TypeScript.SourceFile, knexfile: boolean): Array<SqlDialect | undefined> {
  const out: Array<SqlDialect | undefined> = [];
  const visit = (node: TypeScript.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const client = property(ts, node, 'client');
      if (
        client &&
        (knexfile ||
          isKnexCall(ts, node) ||
          node.properties.some(
            (p) => p.name && CONFIG_KEYS.has(propertyName(ts, p.name as TypeScript.PropertyName) ?? ''),
          ))
      )
        out.push(...engineOf(ts, client));
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return out;
}

/** `knex({ … })`, `Knex({ … })`, `require('knex')({ … })`. */
function isKnexCall(ts: Ts, object: TypeScript.ObjectLiteralExpression): boolean {
  const call = object.parent;
  if (!call || !ts.isCallExpression(call)) return false;
  const callee = unwrap(ts, call.expression);
  if (ts.isIdentifier(callee)) return /^knex$/i.test(callee.text);
  return (
    ts.isCallExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'require' &&
    stringValue(ts, callee.arguments[0]) === 'knex'
  );
}

function engineOf(ts: Ts, expression: TypeScript.Expression): Array<SqlDialect | undefined> {
  const e = unwrap(ts, expression);
  const written = stringValue(ts, e);
  if (written !== undefined) return [client(written)];
  // `process.env.DB_CLIENT || 'pg'`: the project's default engine.
  if (
    ts.isBinaryExpression(e) &&
    (e.operatorToken.kind === ts.SyntaxKind.BarBarToken || e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
  ) {
    const fallback = stringValue(ts, e.right);
    return [fallback === undefined ? undefined : client(fallback)];
  }
  if (ts.isConditionalExpression(e)) return [...engineOf(ts, e.whenTrue), ...engineOf(ts, e.whenFalse)];
  return [undefined];
}

function client(name: string): SqlDialect | undefined {
  return Object.hasOwn(CLIENTS, name) ? CLIENTS[name] : undefined;
}
