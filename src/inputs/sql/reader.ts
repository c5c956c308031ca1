/**
 * Reads one migration file with a dialect's parser: mask template markers, split into statements,
 * parse each, collect the schema events, and report each statement the parser rejects as one
 * `core/parse-error` at the parser's position inside that statement.
 */
import type { TextFile } from '../../model/files.js';
import type { RawFinding } from '../../model/finding.js';
import type { SchemaEvent, SqlDialect } from '../../model/schema.js';
import { StatementSource } from './source.js';
import { splitStatements } from './split.js';
import { maskTemplates } from './templates.js';

export interface StatementResult {
  events?: SchemaEvent[];
  /** The parser's message and the file offset it points at. */
  error?: { message: string; offset: number };
}

export interface FileReader {
  dialect: SqlDialect;
  readStatement(source: StatementSource): StatementResult;
}

export interface ReadFile {
  events: SchemaEvent[];
  statements: number;
  parsed: number;
}

const DIALECT_LABEL: Record<SqlDialect, string> = { postgres: 'PostgreSQL', mysql: 'MySQL', mariadb: 'MariaDB', sqlite: 'SQLite' };

export function readSqlFile(file: TextFile, reader: FileReader, report: (finding: RawFinding) => void): ReadFile {
  const content = maskTemplates(file.content);
  const statements = splitStatements(content, reader.dialect === 'postgres' ? 'postgres' : 'mysql');
  const events: SchemaEvent[] = [];
  let parsed = 0;
  for (const statement of statements) {
    const source = new StatementSource(file.path, content, statement.start, statement.end);
    const result = reader.readStatement(source);
    if (result.error) {
      report({
        ruleId: 'core/parse-error',
        message: `${DIALECT_LABEL[reader.dialect]} syntax error: ${result.error.message}`,
        origin: source.lineFrom(result.error.offset),
        related: [],
        source: 'sql',
      });
      continue;
    }
    parsed++;
    if (result.events) events.push(...result.events);
  }
  return { events, statements: statements.length, parsed };
}
