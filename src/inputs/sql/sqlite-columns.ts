/**
 * SQLite reads a column definition more loosely than node-sql-parser's SQLite grammar does: any words
 * make a type name (`VARCHAR2(250)`, `money`, `unsigned big int`: SQLite only derives an affinity from
 * them), and `REFERENCES parent` may leave out the column list (it then means the parent's primary
 * key). withSqliteColumns rewrites such definitions, same offsets, into ones the grammar reads, and
 * returns what it changed so the reader can put the written types and the references back into the
 * events (repairSqliteEvents).
 */
import type { Origin } from '../../model/finding.js';
import type { ConstraintDefinition, ReferentialAction, SchemaEvent, TableName } from '../../model/schema.js';
import { IDENT, LEADING_COMMENTS, unquote as unquoteIdentifier } from './drop-index.js';
import { StatementSource } from './source.js';

/** Type names (lower case, words joined by one space) the grammar reads. */
const GRAMMAR_TYPES = new Set(
  (
    'json timestamp datetime date time boolean text blob real double float numeric decimal int integer bigint ' +
    'smallint tinyint int2 int4 int8 varchar char tinytext mediumtext longtext'
  ).split(' '),
);

/** Words that end a column's type: the column constraints and what may follow them. */
const CONSTRAINT_WORDS = new Set(
  'constraint primary not null unique check default collate references generated as autoincrement on'.split(' '),
);

/** Words that start a table constraint rather than a column definition. */
const TABLE_CONSTRAINT = /^(?:CONSTRAINT|PRIMARY|UNIQUE|CHECK|FOREIGN)\b/i;

const NAME = String.raw`(?:"(?:[^"]|"")+"|\x60[^\x60]+\x60|[A-Za-z_][\w$]*(?![\w$]))`;
/** `REFERENCES parent` with no column list, and the actions and deferral clauses that may follow it. */
const BARE_REFERENCE = new RegExp(
  String.raw`\bREFERENCES\s+(${NAME})(?!\s*[(.])((?:\s+(?:ON\s+(?:DELETE|UPDATE)\s+(?:SET\s+NULL|SET\s+DEFAULT|CASCADE|RESTRICT|NO\s+ACTION)|MATCH\s+\w+|(?:NOT\s+)?DEFERRABLE(?:\s+INITIALLY\s+(?:DEFERRED|IMMEDIATE))?))*)`,
  'i',
);

export interface BareReference {
  /** The column the reference is written on; undefined for a table constraint (`FOREIGN KEY (a) REFERENCES t`). */
  column?: string;
  /** The table constraint's own columns. */
  columns: string[];
  table: TableName;
  onDelete: ReferentialAction;
  /** The definition that holds it, in the statement as written. */
  origin: Origin;
}

export interface SqliteColumnRepair {
  source: StatementSource;
  /** Column name (lower case) → the type as written, for the columns whose type was rewritten. */
  types: Map<string, string>;
  references: BareReference[];
}

/** The statement with loose type names and bare references rewritten (same offsets), or undefined when it has none. */
export function withSqliteColumns(source: StatementSource): SqliteColumnRepair | undefined {
  const text = source.text;
  const elements = /^CREATE\s+(?:TEMP(?:ORARY)?\s+)?TABLE\b/i.test(text) ? tableElements(text) : addedColumn(text);
  if (!elements) return undefined;
  const out = text.split('');
  const types = new Map<string, string>();
  const references: BareReference[] = [];
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  for (const { start, end } of elements) {
    const element = text.slice(start, end);
    // Blanks and comments before the definition (`-- the owner` on the line above it).
    const lead = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/.exec(element)![0].length;
    const body = element.slice(lead);
    const reference = BARE_REFERENCE.exec(body);
    if (TABLE_CONSTRAINT.test(body)) {
      const foreign = /^(?:CONSTRAINT\s+\S+\s+)?FOREIGN\s+KEY\s*\(([^)]*)\)/i.exec(body);
      if (!foreign || !reference) continue;
      // The whole constraint goes (the grammar wants a column list after REFERENCES), with the comma before it.
      const comma = text.lastIndexOf(',', start);
      blank(comma >= 0 ? comma : start, end);
      references.push({
        columns: foreign[1]!.split(',').map((c) => unquote(c.trim())),
        table: { name: unquote(reference[1]!) },
        onDelete: actionOf(reference[2] ?? ''),
        origin: source.lineFrom(source.start + start + lead),
      });
      continue;
    }
    const name = new RegExp(`^${NAME}`).exec(body);
    if (!name) continue;
    const column = unquote(name[0]);
    const typed = typeSpan(body, name[0].length);
    if (typed) {
      const written = body.slice(typed.from, typed.to);
      const words = written.replace(/\(.*$/s, '').trim().toLowerCase().split(/\s+/).join(' ');
      // Any type the grammar does not know takes the place of a short one it does; the written one is restored.
      if (!GRAMMAR_TYPES.has(words) && typed.to - typed.from >= 3) {
        const at = start + lead + typed.from;
        blank(at, start + lead + typed.to);
        out.splice(at, 3, 'i', 'n', 't');
        types.set(column.toLowerCase(), canonicalType(words));
      }
    }
    if (reference) {
      const at = start + lead + reference.index;
      blank(at, at + reference[0].length);
      references.push({
        column,
        columns: [],
        table: { name: unquote(reference[1]!) },
        onDelete: actionOf(reference[2] ?? ''),
        origin: source.lineFrom(source.start + start + lead),
      });
    }
  }
  if (types.size === 0 && references.length === 0) return undefined;
  const fixed = out.join('');
  const content = `${source.content.slice(0, source.start)}${fixed}${source.content.slice(source.end)}`;
  return { source: new StatementSource(source.file, content, source.start, source.end), types, references };
}

/** Puts the written types and the bare references of a repaired statement into the events read from it. */
export function repairSqliteEvents(events: SchemaEvent[], repair: SqliteColumnRepair): void {
  const fk = (reference: BareReference, origin: ConstraintDefinition['origin']): ConstraintDefinition => ({
    kind: 'foreign-key',
    columns: reference.columns,
    references: { table: reference.table, columns: [] },
    onDelete: reference.onDelete,
    origin,
  });
  for (const event of events) {
    const columns = event.kind === 'create-table' ? event.columns : event.kind === 'add-column' ? [event.column] : [];
    for (const column of columns) {
      const type = repair.types.get(column.name.toLowerCase());
      if (type) column.type = { name: type, array: false };
      for (const reference of repair.references)
        if (reference.column !== undefined && reference.column.toLowerCase() === column.name.toLowerCase())
          column.constraints.push(fk(reference, reference.origin));
    }
    if (event.kind === 'create-table')
      for (const reference of repair.references)
        if (reference.column === undefined) event.constraints.push(fk(reference, reference.origin));
  }
}

/** Where the column's type is written after its name: words up to a constraint word, with an optional `(…)`. */
function typeSpan(body: string, from: number): { from: number; to: number } | undefined {
  const word = /\s+([A-Za-z_][\w$]*)/y;
  let at = from;
  let start: number | undefined;
  let end = from;
  for (;;) {
    word.lastIndex = at;
    const match = word.exec(body);
    if (!match || CONSTRAINT_WORDS.has(match[1]!.toLowerCase())) break;
    start ??= match.index + match[0].length - match[1]!.length;
    end = at = word.lastIndex;
  }
  if (start === undefined) return undefined;
  const length = /^\s*\([^()]*\)/.exec(body.slice(end));
  return { from: start, to: end + (length ? length[0].length : 0) };
}

/** The element spans (offsets into the text) between the top-level commas of a CREATE TABLE's parentheses. */
function tableElements(text: string): Array<{ start: number; end: number }> | undefined {
  const open = text.indexOf('(');
  if (open < 0 || /\bAS\s+SELECT\b/i.test(text.slice(0, open + 8))) return undefined;
  const spans: Array<{ start: number; end: number }> = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = text.indexOf(c === '[' ? ']' : c, i + 1);
      if (close < 0) return undefined;
      i = close;
    } else if (c === '-' && text[i + 1] === '-') {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol;
    } else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) {
        spans.push({ start, end: i });
        return spans;
      }
    } else if (c === ',' && depth === 1) {
      spans.push({ start, end: i });
      start = i + 1;
    }
  }
  return undefined;
}

/** `ALTER TABLE t ADD [COLUMN] definition`: the definition's span. */
function addedColumn(text: string): Array<{ start: number; end: number }> | undefined {
  const add = /^ALTER\s+TABLE\s+\S+\s+ADD\s+(?:COLUMN\s+)?/i.exec(text);
  if (!add) return undefined;
  const end = text.replace(/[\s;]+$/, '').length;
  return [{ start: add[0].length, end }];
}

function actionOf(clauses: string): ReferentialAction {
  const action = /ON\s+DELETE\s+(SET\s+NULL|SET\s+DEFAULT|CASCADE|RESTRICT|NO\s+ACTION)/i.exec(clauses)?.[1];
  if (!action) return 'no-action';
  return action.toLowerCase().replace(/\s+/g, '-') as ReferentialAction;
}

/** The canonical name of a written type, as the reader spells the ones the grammar knows. */
function canonicalType(words: string): string {
  if (words === 'double precision') return 'double';
  if (words === 'dec') return 'decimal';
  return words;
}

function unquote(name: string): string {
  const quoted = /^(["`[])(.*)["`\]]$/s.exec(name);
  return quoted ? quoted[2]!.replace(/""/g, '"') : name;
}

const LIBSQL_ALTER_COLUMN = new RegExp(
  String.raw`^ALTER\s+TABLE\s+(${IDENT})\s+ALTER\s+COLUMN\s+(${IDENT})\s+TO\s+(${IDENT})\s+([\s\S]*?)\s*;?\s*$`,
  'i',
);

/**
 * libSQL's (Turso's) `ALTER TABLE t ALTER COLUMN c TO c <definition>`, which drizzle-kit writes for
 * a Turso database and plain SQLite lacks: a retype (and a rename when the names differ). Read by hand;
 * a definition that adds a reference stays a parse error (the old key could not be replaced).
 */
export function libsqlAlterColumn(source: StatementSource): SchemaEvent[] | undefined {
  const match = LIBSQL_ALTER_COLUMN.exec(source.text.replace(LEADING_COMMENTS, ''));
  if (!match) return undefined;
  const [, rawTable, rawFrom, rawTo, definition] = match;
  if (/\bREFERENCES\b/i.test(definition!)) return undefined;
  const type =
    /^([A-Za-z_][\w$]*(?:\s+[A-Za-z_][\w$]*)*?)(?=\s*(?:\(|$|\b(?:NOT|NULL|PRIMARY|UNIQUE|DEFAULT|CHECK|COLLATE|GENERATED|CONSTRAINT)\b))/i.exec(
      definition!,
    )?.[1];
  const table: TableName = { name: unquoteIdentifier(rawTable!) };
  const from = unquoteIdentifier(rawFrom!);
  const to = unquoteIdentifier(rawTo!);
  const origin = source.origin();
  const events: SchemaEvent[] = [];
  if (from !== to) events.push({ kind: 'rename-column', table, from, to, origin });
  events.push({
    kind: 'alter-column',
    table,
    column: to,
    ...(type ? { type: { name: canonicalType(type.toLowerCase().split(/\s+/).join(' ')), array: false } } : {}),
    nullable: !/\bNOT\s+NULL\b|\bPRIMARY\s+KEY\b/i.test(definition!),
    origin,
  });
  return events;
}
