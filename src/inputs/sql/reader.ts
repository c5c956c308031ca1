/**
 * Reads one migration file with a dialect's parser: mask template markers (and psql's variables), split into statements,
 * parse each, collect the schema events, and report each statement the parser rejects as one
 * `core/parse-error` at the parser's position inside that statement (except a data statement that only
 * node-sql-parser's narrower grammar rejects: see readSqlFile).
 */
import type { TextFile } from '../../model/files.js';
import type { RawFinding } from '../../model/finding.js';
import type { SchemaEvent, SqlDialect } from '../../model/schema.js';
import type { ScriptScope } from './mysql-scripts.js';
import { StatementSource } from './source.js';
import type { StatementResult } from './statement-result.js';
import { splitStatements } from './split.js';
import { maskPsqlScript } from './psql-variables.js';
import { maskTemplates } from './templates.js';
import { DIALECTS, dialectOfTag } from '../../model/dialects.js';

export type { StatementResult } from './statement-result.js';

/** What a file's earlier statements left for the later ones (one client session), per reader. */
export interface FileScope {
  mysql?: ScriptScope;
  /** PostgreSQL `SET search_path`: the schemas unqualified names resolve to, first first. */
  searchPath?: string[];
}

export interface ReadOptions {
  /** `events: false`: only whether it parses matters (a down migration), so a reader may skip building them. */
  events: boolean;
  scope?: FileScope;
}

export interface FileReader {
  dialect: SqlDialect;
  readStatement(source: StatementSource, options: ReadOptions): StatementResult;
}

export interface ReadFile {
  events: SchemaEvent[];
  statements: number;
  parsed: number;
}

const DIALECT_LABEL: Record<SqlDialect, string> = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL',
  mariadb: 'MariaDB',
  sqlite: 'SQLite',
};

/** `options.events: false` reads the file for its parse errors and counts only (its events are not applied). */
export function readSqlFile(
  file: Pick<TextFile, 'path' | 'content'>,
  reader: FileReader,
  report: (finding: RawFinding) => void,
  options: ReadOptions = { events: true },
): ReadFile {
  const record = DIALECTS[reader.dialect];
  const templated = maskTemplates(file.content);
  const content = record.psqlScripts ? maskPsqlScript(templated) : templated;
  const statements = splitStatements(content, record.splitter);
  // A file of queries only (a test's assertion query, a report, a code generator's query file) holds no
  // schema, and nothing says which engine's grammar it was written for: not read.
  if (statements.length > 0 && statements.every((s) => isQuery(content.slice(s.start, s.end)))) {
    return { events: [], statements: 0, parsed: 0 };
  }
  const events: SchemaEvent[] = [];
  // A fresh session per file: what one file sets does not carry into the next.
  const scope: FileScope = { ...options.scope };
  let parsed = 0;
  const sections = engineSections(content);
  for (const statement of statements) {
    // A statement under a heading for another engine (`-- MySQL` in a PostgreSQL folder's script that
    // gives each engine its section) is not for this database: not read.
    if (sections.length > 0) {
      const at = statement.start + (LEADING_NOISE.exec(content.slice(statement.start, statement.end))?.[0].length ?? 0);
      const engine = sections.findLast((section) => section.offset <= at)?.family;
      if (engine !== undefined && engine !== DIALECTS[reader.dialect].family) continue;
    }
    const source = new StatementSource(file.path, content, statement.start, statement.end);
    const result = reader.readStatement(source, { ...options, scope });
    if (result.error && DIALECTS[reader.dialect].parser === 'node-sql-parser' && changesNoSchema(source.text)) {
      // node-sql-parser's expression grammar is narrower than the engine's (window functions in an
      // INSERT … SELECT, UPDATE … FROM, `<=>`, `BINARY col`): a data statement it rejects is more likely
      // our gap than the author's error, and it changes no table archlint models. Not counted as read.
      continue;
    }
    if (result.error) {
      report({
        ruleId: 'core/parse-error',
        message: `${DIALECT_LABEL[reader.dialect]} syntax error: ${parserMessage(result.error.message)}`,
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

/** A comment line that only names an engine (`-- MySQL`, `-- For PostgreSQL:`): the heading of that engine's section. */
const ENGINE_HEADING =
  /^[ \t]*--+[ \t]*(?:for[ \t]+)?(postgres(?:ql)?|mysql|mariadb|sqlite3?|clickhouse|sql[ \t]*server|mssql|oracle)[ \t]*:?[ \t]*-*[ \t]*$/gim;

/** Where each engine's section starts, and the engine's family (`other` for one archlint does not model). */
function engineSections(content: string): Array<{ offset: number; family: string }> {
  if (!content.includes('--')) return [];
  const sections: Array<{ offset: number; family: string }> = [];
  for (const match of content.matchAll(ENGINE_HEADING)) {
    const dialect = dialectOfTag(match[1]!.toLowerCase().replace(/^postgres$/, 'postgresql'));
    sections.push({ offset: match.index, family: dialect ? DIALECTS[dialect].family : 'other' });
  }
  // One heading alone names the file's engine, which folders and content decide already: only a file
  // split between engines has sections.
  return new Set(sections.map((section) => section.family)).size > 1 ? sections : [];
}

const LEADING_NOISE = /^(?:\s+|--[^\n]*\n?|#[^\n]*\n?|\/\*[\s\S]*?\*\/|\()*/;
const DATA_STATEMENT = /^(?:select|with|insert|replace|update|delete|grant|revoke|flush|vacuum|analyze|reindex)\b/i;

const QUERY = /^(?:select|with|values|table|show|explain)\b/i;

function isQuery(statement: string): boolean {
  return QUERY.test(statement.replace(LEADING_NOISE, ''));
}

/** A query, a data change, a grant or upkeep (`VACUUM`), by its first keyword after comments and parentheses: never DDL. */
function changesNoSchema(statement: string): boolean {
  return DATA_STATEMENT.test(statement.replace(LEADING_NOISE, ''));
}

/** The longest piece of source text a parse error quotes. */
const MAX_QUOTED = 24;

/**
 * A parser's message made safe to print: one line, and the source it quotes ("at or near …", which
 * can run to the end of the file after an unterminated quote) cut short. A string literal is shown
 * by its opening quote only, so a password in an unterminated string is never printed.
 */
export function parserMessage(message: string): string {
  if (/maximum call stack/i.test(message)) return 'the statement nests too deeply for the parser';
  const near = /^([\s\S]*? at or near )"([\s\S]*)"\s*$/.exec(message);
  if (!near) return message.split(/\r?\n|\r/)[0]!.slice(0, 200);
  return `${near[1]!.split(/\r?\n|\r/).join(' ')}${JSON.stringify(quoted(near[2]!))}`;
}

function quoted(text: string): string {
  const opening = /^(?:[eEbBxXnNuU]&?)?'|^"|^`|^\$[A-Za-z_0-9]*\$/.exec(text)?.[0];
  if (opening) return `${opening}…`;
  const line = text.split(/\r?\n|\r/)[0]!.trimEnd();
  return line.length > MAX_QUOTED ? `${line.slice(0, MAX_QUOTED)}…` : line;
}
