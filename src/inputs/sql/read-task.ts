/**
 * Reading one migration file as a task with plain data in and out, so that it can run on any
 * thread (read-worker.ts): the file's text and dialect in; its schema events, statement counts and
 * parse errors out. Each thread loads the parser of a dialect once, on its first file of that dialect.
 */
import type { RawFinding } from '../../model/finding.js';
import type { SqlDialect } from '../../model/schema.js';
import { loadMysqlParser } from './mysql-load.js';
import { mysqlReader } from './mysql.js';
import { loadPgParser } from './pg-wasm.js';
import { postgresReader } from './postgres.js';
import { readSqlFile, type FileReader, type ReadFile } from './reader.js';
import { DIALECTS } from '../../model/dialects.js';

export interface ReadTask {
  path: string;
  content: string;
  dialect: SqlDialect;
  /** False for a down migration: read for its parse errors, its events never applied. */
  applied: boolean;
  /** The search_path the migration tool sets before running the file (PostgreSQL). */
  searchPath?: string[];
}

export interface ReadOutcome extends ReadFile {
  /** The statements the parser rejected, as `core/parse-error` findings. */
  findings: RawFinding[];
}

const readers = new Map<SqlDialect, Promise<FileReader>>();

function readerFor(dialect: SqlDialect): Promise<FileReader> {
  let reader = readers.get(dialect);
  if (!reader) {
    // node-sql-parser reads every dialect whose record does not name PostgreSQL's own parser.
    const grammar = dialect as Exclude<SqlDialect, 'postgres'>;
    reader =
      DIALECTS[dialect].parser === 'libpg-query'
        ? loadPgParser().then(postgresReader)
        : loadMysqlParser(grammar).then((parser) => mysqlReader(parser, grammar));
    readers.set(dialect, reader);
  }
  return reader;
}

export async function readTasks(tasks: ReadTask[]): Promise<ReadOutcome[]> {
  const outcomes: ReadOutcome[] = [];
  for (const task of tasks) {
    const findings: RawFinding[] = [];
    const read = readSqlFile(task, await readerFor(task.dialect), (finding) => findings.push(finding), {
      events: task.applied,
      ...(task.searchPath ? { scope: { searchPath: task.searchPath } } : {}),
    });
    outcomes.push({ ...read, findings });
  }
  return outcomes;
}
