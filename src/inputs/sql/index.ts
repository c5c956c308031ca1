/**
 * The `schema` input: SQL migration folders → one folded schema each. Finds and orders the
 * migrations, decides each folder's dialect, parses statement by statement (libpg-query for
 * PostgreSQL, node-sql-parser for MySQL/MariaDB/SQLite — each loaded only when a folder needs it),
 * and folds the events of the applied files into the final state.
 */
import type { ForeignKey, MigrationFile, Schema, SchemaEvent, SchemaModel, SqlDialect, Table } from '../../model/schema.js';
import type { InputEnv } from '../registry.js';
import { chooseDialect } from './dialect.js';
import { foldEvents } from './fold.js';
import { findMigrationSets } from './migrations.js';
import { loadPostgresParser, postgresReader } from './postgres.js';
import { loadMysqlParser, mysqlReader } from './mysql.js';
import { readSqlFile, type FileReader, type ReadFile } from './reader.js';
import { reportSkippedMigrations, reportUnreadMigration } from './skipped.js';

export async function buildSchemaModel(env: InputEnv): Promise<SchemaModel> {
  const sqlConfig = env.config.config.sql ?? {};
  const sets = findMigrationSets(env.fileSet.files, {
    ...(sqlConfig.migrations ? { globs: sqlConfig.migrations } : {}),
    baseDir: env.config.baseDir,
    cwd: env.cwd,
  });
  reportSkippedMigrations(env, sqlConfig.migrations);
  const readers = new Map<SqlDialect, Promise<FileReader>>();
  const readerFor = (dialect: SqlDialect): Promise<FileReader> => {
    let reader = readers.get(dialect);
    if (!reader) {
      reader = dialect === 'postgres' ? loadPostgresParser().then(postgresReader) : loadMysqlParser(dialect).then((parser) => mysqlReader(parser, dialect));
      readers.set(dialect, reader);
    }
    return reader;
  };
  // A file shared by two dialect variants of one folder is read once per dialect; its parse errors are reported once.
  const read = new Map<string, ReadFile>();
  const reported = new Set<string>();

  const schemas: Schema[] = [];
  for (const set of sets) {
    const { dialect, source } = chooseDialect(set, sqlConfig.dialect, env.text);
    const reader = await readerFor(dialect);
    const files: MigrationFile[] = [];
    const events: SchemaEvent[] = [];
    for (const entry of set.entries) {
      const text = env.text.get(entry.file.path);
      if (!text) {
        if (!reported.has(entry.file.path)) reportUnreadMigration(env, entry.file.path);
        reported.add(entry.file.path);
        continue;
      }
      const cacheKey = `${dialect}\u0000${entry.file.path}`;
      let result = read.get(cacheKey);
      if (!result) {
        const first = !reported.has(entry.file.path);
        reported.add(entry.file.path);
        result = readSqlFile(text, reader, first ? env.report : () => {});
        read.set(cacheKey, result);
      }
      files.push({
        path: entry.file.path,
        ...(entry.versionText !== undefined ? { version: entry.versionText } : {}),
        applied: entry.applied,
        statements: result.statements,
        parsed: result.parsed,
      });
      if (entry.applied) events.push(...result.events);
    }
    const state = foldEvents(events, dialect);
    schemas.push({
      root: set.root,
      ...(set.variant ? { variant: set.variant } : {}),
      dialect,
      dialectSource: source,
      files,
      events,
      tables: state.tables,
      table: state.table,
    });
  }
  env.log(`sql: ${schemas.length} migration folder(s), ${read.size} file(s) read`);
  return {
    schemas,
    foreignKeys() {
      const out: Array<{ schema: Schema; table: Table; foreignKey: ForeignKey }> = [];
      for (const schema of schemas) for (const table of schema.tables) for (const foreignKey of table.foreignKeys) out.push({ schema, table, foreignKey });
      return out;
    },
  };
}
