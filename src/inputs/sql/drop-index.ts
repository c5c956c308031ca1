/**
 * `DROP INDEX` in the forms node-sql-parser's grammars reject: it knows only MySQL's
 * `DROP INDEX name ON table`, while SQLite (and drizzle-kit's SQLite output, often read as MySQL for
 * its backticks) writes `DROP INDEX \`name\``, `DROP INDEX IF EXISTS "name"` or
 * `DROP INDEX main.name`. A drop that is not applied leaves a dead index in the folded state, so
 * rules would judge an index that no longer exists.
 *
 * Names are unquoted here and compared without case later (MySQL and SQLite index names are
 * case-insensitive), which is how those engines store them.
 */
import type { SchemaEvent, TableName } from '../../model/schema.js';
import type { StatementSource } from './source.js';

export const IDENT = String.raw`(?:\`(?:[^\`]|\`\`)+\`|"(?:[^"]|"")+"|\[[^\]]+\]|[A-Za-z_][\w$]*)`;
const QUALIFIED = String.raw`(${IDENT})(?:\s*\.\s*(${IDENT}))?`;
const DROP_INDEX = new RegExp(
  String.raw`^DROP\s+INDEX\s+(IF\s+EXISTS\s+)?${QUALIFIED}(?:\s+ON\s+${QUALIFIED})?(?:\s+(?:ALGORITHM|LOCK)\s*=?\s*\w+)*\s*;?\s*$`,
  'i',
);
/** Leading comments, as they come before a statement (`--> statement-breakpoint` from drizzle-kit). */
export const LEADING_COMMENTS = /^(?:\s+|--[^\n]*(?:\n|$)|#[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;
/** SQLite's own databases: `main.name` is the index `name` of the schema every table here lives in. */
const DEFAULT_DATABASES = /^(?:main|temp)$/i;

export function dropIndexFallback(source: StatementSource): SchemaEvent | undefined {
  const text = source.text.replace(LEADING_COMMENTS, '').replace(/(?:\s|--[^\n]*)+$/, '');
  const match = DROP_INDEX.exec(text);
  if (!match) return undefined;
  const [, ifExists, first, second, tableFirst, tableSecond] = match;
  const schema = second !== undefined ? unquote(first!) : undefined;
  const name = unquote(second ?? first!);
  const table: TableName | undefined =
    tableFirst === undefined
      ? undefined
      : tableSecond !== undefined
        ? { schema: unquote(tableFirst), name: unquote(tableSecond) }
        : { name: unquote(tableFirst) };
  return {
    kind: 'drop-index',
    name,
    ...(schema !== undefined && !DEFAULT_DATABASES.test(schema) ? { schema } : {}),
    ...(table ? { table } : {}),
    ifExists: ifExists !== undefined,
    origin: source.origin(),
  };
}

const RENAME_INDEX = new RegExp(
  String.raw`^ALTER\s+TABLE\s+${QUALIFIED}\s+RENAME\s+(?:INDEX|KEY)\s+(${IDENT})\s+TO\s+(${IDENT})\s*;?\s*$`,
  'i',
);

/**
 * MySQL's `ALTER TABLE t RENAME INDEX a TO b` (5.7+; Prisma writes one per renamed index), which
 * node-sql-parser's MySQL grammar rejects. Only the statement with that one action is read here.
 */
export function renameIndexFallback(source: StatementSource): SchemaEvent | undefined {
  const text = source.text.replace(LEADING_COMMENTS, '').replace(/(?:\s|--[^\n]*)+$/, '');
  const match = RENAME_INDEX.exec(text);
  if (!match) return undefined;
  const [, first, second, from, to] = match;
  const table: TableName =
    second !== undefined ? { schema: unquote(first!), name: unquote(second) } : { name: unquote(first!) };
  return { kind: 'rename-index', name: unquote(from!), to: unquote(to!), table, origin: source.origin() };
}

export function unquote(identifier: string): string {
  const open = identifier[0];
  if (open === '`') return identifier.slice(1, -1).replace(/``/g, '`');
  if (open === '"') return identifier.slice(1, -1).replace(/""/g, '"');
  if (open === '[') return identifier.slice(1, -1);
  return identifier;
}
