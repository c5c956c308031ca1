/**
 * PostgreSQL statements → schema events, with libpg-query (the real PostgreSQL parser as WASM).
 * Each statement the splitter found is parsed on its own, so one failure is one parse error at
 * that statement and the rest of the file still counts. Trees become events in postgres-events.ts.
 */
import type { ParseResult } from 'libpg-query';
import type { SchemaEvent } from '../../model/schema.js';
import { defaultIndexName } from './names.js';
import { PgSyntaxError, type PgParser } from './pg-wasm.js';
import type { FileReader, StatementResult } from './reader.js';
import { translate, translated } from './postgres-events.js';
import { currentSchema, qualifyEvents, searchPathSet } from './search-path.js';
import type { StatementSource } from './source.js';

export function postgresReader(parser: PgParser): FileReader {
  return {
    dialect: 'postgres',
    readStatement(source, options) {
      const path = searchPathSet(source.text);
      if (path !== undefined && options.scope) options.scope.searchPath = path;
      const result = parseStatement(parser, source, options.events);
      const schema = currentSchema(options.scope?.searchPath);
      return schema && result.events && result.events.length > 0
        ? { events: qualifyEvents(result.events, schema) }
        : result;
    },
  };
}

function parseStatement(parser: PgParser, source: StatementSource, wantEvents: boolean): StatementResult {
  // The parser reads a C string: a NUL byte would silently end the statement early (and PostgreSQL rejects it anyway).
  const nul = source.text.indexOf('\0');
  if (nul >= 0)
    return {
      error: {
        message: 'a NUL byte (U+0000), which PostgreSQL does not accept in SQL text',
        offset: source.start + nul,
      },
    };
  let result: ParseResult;
  try {
    result = parser.parse(source.text, wantEvents ? translated : none);
  } catch (error) {
    const retried = retryWithoutInlineIndexes(parser, source);
    // It parsed once the inline indexes were blanked out; a down migration wants no more than that.
    if (retried) return wantEvents ? retried : { events: [] };
    return { error: describeError(error, source) };
  }
  if (!wantEvents) return { events: [] };
  const events: SchemaEvent[] = [];
  for (const raw of result.stmts ?? []) if (raw.stmt) translate(raw.stmt, source, events, parser);
  return { events };
}

const none = (): boolean => false;

function describeError(error: unknown, source: StatementSource): { message: string; offset: number } {
  const message = error instanceof Error ? error.message : String(error);
  return {
    message,
    offset: error instanceof PgSyntaxError && error.cursor >= 0 ? source.fromCodePoint(error.cursor) : source.start,
  };
}

// ---------------------------------------------------------------------------------------------
// MySQL-style inline indexes in a PostgreSQL CREATE TABLE: `INDEX idx_name (col, …)` / `KEY …`.

const INLINE_INDEX = /,(\s*)(UNIQUE\s+)?(?:INDEX|KEY)\s+((?:"[^"]+"|[A-Za-z_][\w$]*)\s*)?\(([^()]*)\)/gi;

/**
 * PostgreSQL rejects `UNIQUE KEY k (c)` and a nameless `INDEX (c)` (a named `INDEX i (c)` parses as
 * a strange column: see inlineIndexColumn). Blank them out (same length, so offsets hold), parse
 * again, and turn each into the index it means.
 */
function retryWithoutInlineIndexes(parser: PgParser, source: StatementSource): StatementResult | undefined {
  if (!/^\s*create\s+(?:(?:global|local|temp|temporary|unlogged)\s+)*table\b/i.test(source.text)) return undefined;
  const found: Array<{ at: number; unique: boolean; name?: string; columns: string[] }> = [];
  const blanked = source.text.replace(
    INLINE_INDEX,
    (
      match: string,
      space: string,
      unique: string | undefined,
      name: string | undefined,
      columns: string,
      at: number,
    ) => {
      // `, key varchar(255)` is a column named key, not an index.
      if (/^\s*\d/.test(columns)) return match;
      found.push({
        at: at + 1 + space.length,
        unique: unique !== undefined,
        ...(name ? { name: identifier(name.trim()) } : {}),
        columns: columns.split(',').map((column) => identifier(column.trim().split(/\s+/)[0] ?? '')),
      });
      return match.replace(/[^\r\n]/g, ' ');
    },
  );
  if (found.length === 0) return undefined;
  let result: ParseResult;
  try {
    result = parser.parse(blanked, translated);
  } catch {
    return undefined;
  }
  const events: SchemaEvent[] = [];
  for (const raw of result.stmts ?? []) if (raw.stmt) translate(raw.stmt, source, events, parser);
  const create = events.find((event) => event.kind === 'create-table');
  if (create?.kind !== 'create-table') return { events };
  for (const index of found) {
    create.indexes.push({
      name: index.name ?? defaultIndexName(create.table.name, index.columns, 'idx'),
      table: create.table,
      columns: index.columns,
      unique: index.unique,
      partial: false,
      ifNotExists: false,
      concurrently: false,
      origin: source.lineFrom(source.start + index.at),
    });
  }
  return { events };
}

/** As PostgreSQL reads an identifier: quoted is kept as written, unquoted is folded to lower case. */
function identifier(raw: string): string {
  return raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw.toLowerCase();
}
