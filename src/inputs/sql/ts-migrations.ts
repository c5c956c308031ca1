/**
 * Migrations written as TypeScript/JavaScript classes that run SQL strings — TypeORM's
 * `queryRunner.query(\`CREATE TABLE …\`)` in `up()` — read as SQL migrations: the file's text
 * with everything but those strings blanked out (same length, same line breaks), and a `;` where
 * each string closes, so the SQL reader parses the statements at their own offsets in the file
 * and every finding points into the migration class (in a quoted string with escapes, a column
 * drifts by the escapes before it; template literals, which TypeORM writes, have none). `down()` is left out (it undoes), and so is
 * a string built at run time (a template literal with `${…}` outside the SQL's quoted values, literals joined by `+` to a
 * variable): it cannot be known statically; literals joined by `+` to literals are one statement. A
 * class that branches on the connection's type runs, per engine, only its branches for that engine
 * (ts-migration-branches.ts).
 */

import type { SqlDialect } from '../../model/schema.js';
import type { ToolDialects } from './tool-config.js';
import { queryBranches } from './ts-migration-branches.js';

/** A TypeORM migration: implements MigrationInterface and runs queries through its QueryRunner. */
const TYPEORM_MIGRATION = /\bMigrationInterface\b[\s\S]*\bqueryRunner\.query\s*\(/;
// `queryRunner.query(`, and the block comments before its string (`/* sql */`, an editor's hint to
// highlight it as SQL: daily-api's migrations).
const QUERY_CALL = /\bqueryRunner\s*\.\s*query\s*\(\s*(?:\/\*[^*]{0,40}\*\/\s*)*/g;
const UP_METHOD = /\b(?:async\s+)?up\s*\(\s*\w+\s*(?::\s*QueryRunner\s*)?\)[^{]*\{/;
const DOWN_METHOD = /\b(?:async\s+)?down\s*\(\s*\w+\s*(?::\s*QueryRunner\s*)?\)[^{]*\{/;

export function isSqlStringMigration(content: string): boolean {
  return TYPEORM_MIGRATION.test(content);
}

/**
 * A migration class's SQL per engine: a class written for several engines (`switch` on the
 * connection's type, ts-migration-branches.ts) runs only its branch for each; `dialects` lists the
 * engines its branches name (empty when it has none, and then `sqlFor` is the same for all).
 */
export interface StringMigration {
  dialects: SqlDialect[];
  sqlFor(dialect: SqlDialect | undefined): string;
}

export function readStringMigration(
  path: string,
  content: string,
  importedText: (specifier: string) => string | undefined,
): StringMigration {
  const branches = queryBranches(path, content, importedText);
  if (branches.dialects.length === 0) {
    const sql = sqlOfStringMigration(content);
    return { dialects: [], sqlFor: () => sql };
  }
  const cache = new Map<SqlDialect | undefined, string>();
  return {
    dialects: branches.dialects,
    sqlFor(dialect) {
      let sql = cache.get(dialect);
      if (sql === undefined) {
        sql = sqlOfStringMigration(content, dialect && ((offset) => branches.runsOn(offset, dialect)));
        cache.set(dialect, sql);
      }
      return sql;
    },
  };
}

/** The file's text with only the SQL of `up()` left, at the same offsets (only the calls `runs` keeps, when given). */
export function sqlOfStringMigration(content: string, runs?: (argumentOffset: number) => boolean): string {
  const out = content.replace(/[^\n\r]/g, ' ').split('');
  const up = UP_METHOD.exec(content);
  if (!up) return out.join('');
  const upStart = up.index + up[0].length;
  const down = DOWN_METHOD.exec(content.slice(upStart));
  const upEnd = down ? upStart + down.index : content.length;
  for (const [start, end] of [...helperRanges(content, up.index, upStart, upEnd), [upStart, upEnd] as const])
    readQueries(content, out, start, end, runs);
  return out.join('');
}

/** A method of the class, on a line of its own: `private async modifyTable(queryRunner: QueryRunner): Promise<void> {`. */
const METHOD_HEADER =
  /^([ \t]*)(?:(?:private|protected|public|static)\s+)*(?:async\s+)?([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*(?::\s*[^{\n]+)?\{[ \t]*$/gm;
const THIS_CALL = /\bthis\s*\.\s*([A-Za-z_$][\w$]*)\s*\(/g;

/**
 * The bodies of the class's own methods that `up()` runs (`await this.modifyTable(queryRunner)` —
 * flowise's enterprise migrations keep their DDL there), followed into the methods they call. Only
 * methods that change the schema count (one that only moves rows can run anywhere), and they are
 * read only when the file's order is the order they run in: written above `up()` in the order they
 * are called, with `up()`'s own queries after its last call — else only `up()` is read.
 */
function helperRanges(
  content: string,
  upHeader: number,
  upStart: number,
  upEnd: number,
): Array<readonly [number, number]> {
  const headers = [...content.matchAll(METHOD_HEADER)].map((m) => ({ indent: m[1]!, name: m[2]!, start: m.index }));
  const rangeOf = (name: string): readonly [number, number] | undefined => {
    const i = headers.findIndex((h) => h.name === name);
    if (i < 0 || headers.some((h, j) => j !== i && h.name === name)) return undefined;
    const next = headers.slice(i + 1).find((h) => h.indent === headers[i]!.indent);
    return [headers[i]!.start, next ? next.start : content.length];
  };
  const ordered: Array<readonly [number, number]> = [];
  let lastCall = -1;
  const visit = (start: number, end: number, depth: number): boolean => {
    for (const call of content.slice(start, end).matchAll(THIS_CALL)) {
      const range = rangeOf(call[1]!);
      if (!range || !SCHEMA_CHANGE.test(content.slice(range[0], range[1]))) continue;
      if (range[1] > upHeader || depth > 3) return false;
      if (ordered.length > 0 && range[0] < ordered[ordered.length - 1]![1]) return false;
      ordered.push(range);
      if (depth === 0) lastCall = start + call.index;
      if (!visit(range[0], range[1], depth + 1)) return false;
    }
    return true;
  };
  if (!visit(upStart, upEnd, 0) || ordered.length === 0) return [];
  QUERY_CALL.lastIndex = upStart;
  const firstOwn = QUERY_CALL.exec(content);
  if (firstOwn && firstOwn.index < upEnd && firstOwn.index < lastCall) return [];
  return ordered;
}

const SCHEMA_CHANGE = /\b(?:create|alter|drop)\s+(?:unique\s+)?(?:table|index|type|schema|view|sequence)\b/i;

/** Copies the SQL of the `queryRunner.query(…)` strings between start and end into `out`, in place. */
function readQueries(
  content: string,
  out: string[],
  start: number,
  end: number,
  runs?: (argumentOffset: number) => boolean,
): void {
  QUERY_CALL.lastIndex = start;
  for (let call = QUERY_CALL.exec(content); call && call.index < end; call = QUERY_CALL.exec(content)) {
    const first = call.index + call[0].length;
    if (!isQuote(content[first]) || inLineComment(content, call.index)) continue;
    if (runs && !runs(first)) continue;
    // `'CREATE UNIQUE INDEX … ' +\n "(doc_id, COALESCE(user_id, 0))"`: literals joined by `+` are one
    // statement; joined to anything else (a variable, a call) it is built at run time and not read.
    const parts: Array<{ open: number; literal: Literal }> = [];
    let open = first;
    let dynamic = false;
    for (;;) {
      const literal = readLiteral(content, open);
      if (!literal) {
        dynamic = true;
        break;
      }
      parts.push({ open, literal });
      const joined = /^\s*\+\s*/.exec(content.slice(literal.close + 1, literal.close + 200));
      if (!joined) break;
      open = literal.close + 1 + joined[0].length;
      if (!isQuote(content[open])) {
        dynamic = true;
        break;
      }
    }
    if (dynamic) continue;
    for (const { open: at, literal } of parts)
      for (let k = 0; k < literal.sql.length; k++) out[at + 1 + k] = literal.sql[k]!;
    const close = parts[parts.length - 1]!.literal.close;
    out[close] = ';';
    QUERY_CALL.lastIndex = close + 1;
  }
}

/** A call written on a commented-out line (`// await queryRunner.query(\`…`), or a block comment's ` * ` line: never run. */
function inLineComment(content: string, offset: number): boolean {
  const lineStart = content.lastIndexOf('\n', offset - 1) + 1;
  return /^\s*(?:\/\/|\*|\/\*)/.test(content.slice(lineStart, offset));
}

interface Literal {
  /** The closing quote's offset. */
  close: number;
  /** The SQL it holds, escapes undone and padded to the literal's length (`${…}` values as `_`). */
  sql: string;
}

const isQuote = (ch: string | undefined) => ch === '`' || ch === '"' || ch === "'";

/** The string literal opening at `open`, or undefined when it is built at run time or never closes. */
function readLiteral(content: string, open: number): Literal | undefined {
  const quote = content[open];
  let i = open + 1;
  // `${…}` inside a SQL string literal (`default '${Status.ACTIVE}'`, flowise's enterprise
  // migrations) is a value, not structure: masked, the statement is read as written.
  const values: Array<[number, number]> = [];
  let inSqlString = false;
  while (i < content.length && content[i] !== quote) {
    if (content[i] === '\\') i++;
    else if (quote === '`' && content[i] === "'") inSqlString = !inSqlString;
    else if (quote === '`' && content[i] === '$' && content[i + 1] === '{') {
      const close = content.indexOf('}', i);
      const marker = close < 0 ? '' : content.slice(i, close + 1);
      if (!inSqlString || close < 0 || /[`'\n{]/.test(marker.slice(2))) return undefined;
      values.push([i, close]);
      i = close;
    }
    i++;
  }
  if (i >= content.length) return undefined;
  // Escapes are undone (`\"user\"` is `"user"`) and the statement padded where it ends, so
  // lines stay exact and a column drifts by at most the escapes before it on that line.
  let sql = '';
  for (let k = open + 1; k < i; k++) {
    const value = values.find(([start, end]) => k >= start && k <= end);
    if (value) {
      sql += '_';
      continue;
    }
    if (content[k] === '\\' && k + 1 < i) k++;
    sql += content[k];
  }
  sql += ' '.repeat(i - open - 1 - sql.length);
  return { close: i, sql };
}

/**
 * A history made only of migration classes is written for the engine of the TypeORM connection that
 * runs it (`type: 'sqlite'` in the package's `DataSource`): that decides before other tools'
 * configs. A connection whose `type` is not written down (env-driven) decides nothing here; the
 * other signals (folder names, content) do.
 */
export function withTypeormConnection(
  tools: ToolDialects,
  isMigrationClass: (path: string) => boolean,
  engineOf: (root: string) => { dialect: SqlDialect } | { otherEngine: string } | undefined,
): ToolDialects {
  return {
    searchPathOf: (root) => tools.searchPathOf(root),
    driverOf: (root) => tools.driverOf(root),
    of(root, files) {
      if (files.length > 0 && files.every(isMigrationClass)) {
        const engine = engineOf(root);
        if (engine && 'dialect' in engine) return engine.dialect;
      }
      return tools.of(root, files);
    },
  };
}
