/**
 * CockroachDB speaks PostgreSQL's SQL with a few spellings of its own that PostgreSQL rejects; a
 * migration under a `cockroachdb/` folder is read with them rewritten to PostgreSQL's, same offsets:
 * `current_timestamp()` (and the other SQL-standard date functions, called with empty parentheses)
 * as `current_timestamp  `. Everything else is parsed as PostgreSQL.
 */
const EMPTY_CALL = /\b(current_timestamp|current_date|current_time|localtimestamp|localtime)(\s*\(\s*\))/gi;

/** The migration's text as PostgreSQL reads it, for a file of a `cockroachdb/` folder (`engine`); else as given. */
export function asPostgresText(content: string, engine: string | undefined): string {
  if (engine !== 'cockroachdb') return content;
  return content.replace(EMPTY_CALL, (_, name: string, call: string) => `${name}${' '.repeat(call.length)}`);
}
