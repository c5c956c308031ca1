/**
 * The `schema` input: SQL migration folders → one folded schema each. Finds and orders the
 * migrations, decides each folder's dialect, parses statement by statement (libpg-query for
 * PostgreSQL, node-sql-parser for MySQL/MariaDB/SQLite — each loaded only when a folder needs it),
 * and folds the events of the applied files into the final state.
 */
import { posix } from 'node:path';
import { mapParallel } from '../../util/parallel.js';
import { withLateOptimisation } from '../../util/v8-tiering.js';
import {
  ENGINE_FACTS,
  type ForeignKey,
  type MigrationFile,
  type Schema,
  type SchemaEvent,
  type SchemaModel,
  type Table,
} from '../../model/schema.js';
import type { InputEnv } from '../env.js';
import { asPostgresText } from './cockroach.js';
import { chooseDialect } from './dialect.js';
import { toolDialects } from './tool-config.js';
import { foldEvents } from './fold.js';
import { findMigrationSets, type MigrationSet } from './migrations.js';
import { orderByNeeds } from './unversioned-order.js';
import {
  isSqlStringMigration,
  readStringMigration,
  type StringMigration,
  withTypeormConnection,
} from './ts-migrations.js';
import { connectionFacts } from './schema-files/typeorm-connection.js';
import { isTestFile, judgingRoots } from '../../model/test-paths.js';
import { schemaFileSchemas } from './schema-files/index.js';
import { buildUnitFolders, enclosingFolder, packageFolders, packageOf } from './schema-files/packages.js';
import { readTasks, type ReadTask } from './read-task.js';
import { withoutOtherEngines } from './other-engines.js';
import { reportOtherEngineFolder, reportSkippedMigrations, reportUnreadMigration } from './skipped.js';
import { DIALECTS } from '../../model/dialects.js';
import { attachPrismaNames } from './schema-files/prisma-names.js';
import { attachSqlKeyUse } from './key-use.js';

/**
 * Prisma Migrate's layout: `migrations/<14-digit UTC timestamp>_<name>/migration.sql`, one folder per
 * migration. Its `migration_lock.toml` is often git-ignored, so the layout itself is the evidence.
 */
const PRISMA_MIGRATION = /^\d{14}_[^/]+\/migration\.sql$/;

/** Which tool writes this folder's migrations from a model of its own: Prisma's lock file or layout, drizzle-kit's journal. */
function generatedBy(env: InputEnv, set: MigrationSet): { generatedBy?: 'prisma' | 'drizzle' } {
  const inFolder = (folder: string, name: string) =>
    env.text.get(folder === '.' ? name : `${folder}/${name}`) !== undefined;
  if (inFolder(set.root, 'migration_lock.toml')) return { generatedBy: 'prisma' };
  const prefix = set.root === '.' ? '' : `${set.root}/`;
  const inPrismaLayout = (path: string) => path.startsWith(prefix) && PRISMA_MIGRATION.test(path.slice(prefix.length));
  if (set.entries.length > 0 && set.entries.every((entry) => inPrismaLayout(entry.file.path)))
    return { generatedBy: 'prisma' };
  // drizzle-kit keeps its journal in the folder it writes (`drizzle/meta/_journal.json`, or one per dialect folder).
  const folders = new Set(
    set.entries.map((entry) =>
      entry.file.path.includes('/') ? entry.file.path.slice(0, entry.file.path.lastIndexOf('/')) : '.',
    ),
  );
  if (folders.size > 0 && [...folders].every((folder) => inFolder(folder, 'meta/_journal.json')))
    return { generatedBy: 'drizzle' };
  return {};
}

/** A folder of migrations on the way to a file: where migration classes live. */
const MIGRATIONS_FOLDER = /(?:^|\/)migrations?\//i;

/** Characters of SQL below which parsing stays on one thread (~0.5 s of parsing). */
const PARALLEL_MIN_LENGTH = 2_000_000;

export function buildSchemaModel(env: InputEnv): Promise<SchemaModel> {
  // Thousands of statements through many small functions, for about half a second: see v8-tiering.ts.
  return withLateOptimisation(() => readSchemaModel(env));
}

async function readSchemaModel(env: InputEnv): Promise<SchemaModel> {
  const sqlConfig = env.config.config.sql ?? {};
  // Migration classes that run SQL strings (TypeORM) are migrations too, read as their SQL.
  const stringMigrations = new Map<string, StringMigration>();
  for (const file of env.fileSet.files) {
    if (file.kind !== 'code' || !MIGRATIONS_FOLDER.test(file.path) || isTestFile(file, judgingRoots(env.fileSet)))
      continue;
    const content = env.text.get(file.path)?.content;
    if (content !== undefined && isSqlStringMigration(content))
      stringMigrations.set(
        file.path,
        readStringMigration(file.path, content, (specifier) => importedText(env, file.path, specifier)),
      );
  }
  const candidates =
    stringMigrations.size === 0
      ? env.fileSet.files
      : [
          ...env.fileSet.files,
          ...env.fileSet.files.filter((f) => stringMigrations.has(f.path)).map((f) => ({ ...f, kind: 'sql' as const })),
        ];
  const sqlOf = (path: string): string | undefined =>
    stringMigrations.get(path)?.sqlFor(undefined) ?? env.text.get(path)?.content;
  const found = findMigrationSets(candidates, {
    ...(sqlConfig.migrations ? { globs: sqlConfig.migrations } : {}),
    baseDir: env.config.baseDir,
    cwd: env.cwd,
    roots: env.fileSet.roots,
    ...(sqlConfig.dialects ? { pinned: sqlConfig.dialects } : {}),
    ...(sqlConfig.dialect ? { dialect: sqlConfig.dialect } : {}),
  });
  reportSkippedMigrations(env, sqlConfig.migrations);
  const withoutClickhouse = withoutOtherEngines(found, env.text);
  for (const folder of withoutClickhouse.skipped) reportOtherEngineFolder(env, folder);

  // TypeORM migration classes are written for the engine of the connection that runs them.
  let tools = toolDialects(env.text);
  let sets = withoutClickhouse.sets;
  if (stringMigrations.size > 0) {
    const packages = packageFolders(env);
    const connections = connectionFacts(env, packages);
    const engineOf = (root: string) => connections.engineOf(packageOf(root, packages));
    const isClass = (path: string) => stringMigrations.has(path);
    tools = withTypeormConnection(tools, isClass, engineOf);
    // A history of classes for an engine archlint does not model (`type: 'mssql'`) is not read.
    sets = sets.filter((set) => {
      const pinned = sqlConfig.dialect || set.folderDialect || set.entries.some((e) => e.folderDialectSource);
      const engine = pinned ? undefined : engineOf(set.root);
      const files = set.entries.map((entry) => entry.file.path);
      if (!engine || !('otherEngine' in engine) || !files.every(isClass)) return true;
      reportOtherEngineFolder(env, { path: set.root, engine: engine.otherEngine, files });
      return false;
    });
    // Classes that branch on the connection's type, for a connection whose type is not written
    // down: each engine's branches are a history of their own, never one read as the other.
    sets = sets.flatMap((set) => {
      if (sqlConfig.dialect || set.folderDialect || set.entries.some((e) => e.folderDialectSource)) return [set];
      const engine = engineOf(set.root);
      if (engine && 'dialect' in engine) return [set];
      const named = [...new Set(set.entries.flatMap((e) => stringMigrations.get(e.file.path)?.dialects ?? []))].sort();
      if (named.length === 0) return [set];
      return named.map((dialect) => ({
        ...set,
        variant: dialect,
        folderDialect: { dialect, source: 'branch' as const },
      }));
    });
  }

  // Every (dialect, file) to read, once: a file shared by two dialect variants of one folder is
  // read once per dialect, and its parse errors are reported once (from its first reading).
  const plans = sets.map((set) => ({ set, ...chooseDialect(set, sqlConfig.dialect, env.text, tools, sqlOf) }));
  const tasks: ReadTask[] = [];
  const taskIndex = new Map<string, number>();
  const unread = new Set<string>();
  for (const { set, dialect } of plans) {
    const searchPath = DIALECTS[dialect].searchPath ? tools.searchPathOf(set.root) : undefined;
    for (const entry of set.entries) {
      const text = env.text.get(entry.file.path);
      if (!text) {
        if (!unread.has(entry.file.path)) reportUnreadMigration(env, entry.file.path);
        unread.add(entry.file.path);
        continue;
      }
      const key = `${dialect}\u0000${entry.file.path}`;
      if (taskIndex.has(key)) continue;
      taskIndex.set(key, tasks.length);
      tasks.push({
        path: text.path,
        content: asPostgresText(stringMigrations.get(text.path)?.sqlFor(dialect) ?? text.content, entry.folderEngine),
        dialect,
        applied: entry.applied,
        ...(searchPath ? { searchPath } : {}),
      });
    }
  }
  const totalLength = tasks.reduce((sum, task) => sum + task.content.length, 0);
  const parseStarted = performance.now();
  const { results: outcomes, threads } = await mapParallel({
    items: tasks,
    handle: readTasks,
    setup: undefined,
    worker: new URL('./read-worker.js', import.meta.url),
    // A worker's start-up (its own WASM parser: ~150 ms) pays only for a long history.
    threads: totalLength >= PARALLEL_MIN_LENGTH ? env.threads : 1,
    batchSize: 16,
  });
  const parseMs = Math.round(performance.now() - parseStarted);
  // A class's branches for two engines are two texts, each reported.
  const reported = new Set<string>();
  outcomes.forEach((outcome, i) => {
    const { path, dialect } = tasks[i]!;
    const key = stringMigrations.get(path)?.dialects.length ? `${dialect}\u0000${path}` : path;
    if (reported.has(key)) return;
    reported.add(key);
    for (const finding of outcome.findings) env.report(finding);
  });

  const schemas: Schema[] = [];
  const units = buildUnitFolders(env);
  for (const { set, dialect, source } of plans) {
    const buildUnit = enclosingFolder(set.root, units);
    const files: MigrationFile[] = [];
    const applied: Array<{ unversioned: boolean; events: SchemaEvent[] }> = [];
    for (const entry of set.entries) {
      const i = taskIndex.get(`${dialect}\u0000${entry.file.path}`);
      if (i === undefined) continue;
      const result = outcomes[i]!;
      files.push({
        path: entry.file.path,
        ...(entry.versionText !== undefined ? { version: entry.versionText } : {}),
        applied: entry.applied,
        statements: result.statements,
        parsed: result.parsed,
      });
      if (entry.applied) applied.push({ unversioned: entry.version.length === 0, events: result.events });
    }
    // A file with no version in its name runs after the file that creates the tables it changes.
    const events = orderByNeeds(applied).flatMap((file) => file.events);
    const state = foldEvents(events, dialect);
    schemas.push({
      root: set.root,
      ...(buildUnit !== undefined ? { buildUnit } : {}),
      ...(set.variant ? { variant: set.variant } : {}),
      dialect,
      dialectSource: source,
      ...generatedBy(env, set),
      files,
      events,
      tables: state.tables,
      table: state.table,
      engine: ENGINE_FACTS[dialect],
    });
  }
  env.log(
    `sql: ${schemas.length} migration folder(s), ${tasks.length} file(s) parsed in ${parseMs} ms on ${threads} thread(s)`,
  );
  // Schema files declare what no migration here creates; migrations stay authoritative.
  schemas.push(...(await schemaFileSchemas(env, schemas)));
  await attachPrismaNames(env, schemas);
  await attachSqlKeyUse(env, schemas);
  schemas.sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
  return {
    schemas,
    foreignKeys() {
      const out: Array<{ schema: Schema; table: Table; foreignKey: ForeignKey }> = [];
      for (const schema of schemas)
        for (const table of schema.tables)
          for (const foreignKey of table.foreignKeys) out.push({ schema, table, foreignKey });
      return out;
    },
  };
}

/** The text of the relative module `specifier` imported by `from` (`../utils/db` → `../utils/db.ts`). */
function importedText(env: InputEnv, from: string, specifier: string): string | undefined {
  const base = posix.join(posix.dirname(from), specifier).replace(/\.[cm]?js$/, '');
  for (const candidate of [`${base}.ts`, `${base}.js`, `${base}/index.ts`, `${base}/index.js`, base]) {
    const text = env.text.get(candidate);
    if (text) return text.content;
  }
  return undefined;
}
