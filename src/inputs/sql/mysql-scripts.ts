/**
 * MySQL/MariaDB migration scripts beyond single DDL statements, which node-sql-parser's grammars
 * do not read but which real histories use to change the schema:
 * - prepared DDL: `SET @s = '<ddl>'` (a literal, a `CONCAT` of literals, or `IF(<existence check>,
 *   'SELECT 1', '<ddl>')`), `PREPARE stmt FROM @s`, `EXECUTE stmt` — the DDL is applied where it is
 *   executed, located at the `SET` that holds its text;
 * - stored procedures: `CREATE PROCEDURE p() BEGIN … END` (the body split at its inner
 *   semicolons), applied where `CALL p` runs it. A DDL statement in the body is applied when it is
 *   unconditional or guarded only by an existence check on `information_schema` (the
 *   `IF NOT EXISTS` emulation: its purpose is to make the change happen once); under any other
 *   condition whether it ran is not known, so it is not applied;
 * - statements with no schema effect that the grammars reject (`DROP PROCEDURE`, `DEALLOCATE
 *   PREPARE`, a session's character set (`SET NAMES utf8mb4`, which mysqldump writes), SQLite `PRAGMA`, transaction control such as SQLite's `BEGIN TRANSACTION` / `COMMIT
 *   TRANSACTION`): accepted without events.
 * Values and procedures live for one file (one client session).
 */
import type { SchemaEvent } from '../../model/schema.js';
import type { StatementResult } from './statement-result.js';
import { StatementSource } from './source.js';
import { splitStatements } from './split.js';

/** What one file's session has defined so far. */
export interface ScriptScope {
  /** `@name` → the SQL text it holds (undefined when it cannot be known), and the `SET` statement. */
  variables: Map<string, { sql?: string; at: StatementSource }>;
  prepared: Map<string, { sql?: string; at: StatementSource }>;
  /** Lower-case procedure name → the events its body applies. */
  procedures: Map<string, SchemaEvent[]>;
}

export function newScriptScope(): ScriptScope {
  return { variables: new Map(), prepared: new Map(), procedures: new Map() };
}

/** Reads one statement as a whole; `readDdl` parses DDL text with the dialect's grammar. */
export type ReadDdl = (source: StatementSource) => StatementResult;

const IDENT = String.raw`(?:\`(?:[^\`]|\`\`)+\`|[\w$]+)`;
const QUALIFIED = String.raw`${IDENT}(?:\s*\.\s*${IDENT})?`;
const DEFINER = String.raw`(?:DEFINER\s*=\s*(?:${IDENT}|'[^']*')(?:\s*@\s*(?:${IDENT}|'[^']*'))?\s+)?`;
const CREATE_PROCEDURE = new RegExp(
  String.raw`^CREATE\s+(?:OR\s+REPLACE\s+)?${DEFINER}PROCEDURE\s+(?:IF\s+NOT\s+EXISTS\s+)?(${QUALIFIED})\s*\(`,
  'i',
);
const NO_SCHEMA_EFFECT = new RegExp(
  String.raw`^(?:SET\s+(?:NAMES|CHARACTER\s+SET|CHARSET)\b|DROP\s+(?:PROCEDURE|FUNCTION|TRIGGER|EVENT)\b|DEALLOCATE\s+PREPARE\b|DROP\s+PREPARE\b|PRAGMA\b|(?:BEGIN|START|COMMIT|END|ROLLBACK)(?:\s+(?:DEFERRED|IMMEDIATE|EXCLUSIVE))?(?:\s+(?:TRANSACTION|WORK))?$|CREATE\s+(?:OR\s+REPLACE\s+)?${DEFINER}(?:FUNCTION|TRIGGER|EVENT)\b)`,
  'i',
);
const SET_VARIABLE = /^SET\s+@([\w$.]+|`[^`]+`)\s*:?=\s*([\s\S]*)$/i;
const PREPARE = /^PREPARE\s+([\w$]+|`[^`]+`)\s+FROM\s+([\s\S]*)$/i;
const EXECUTE = /^EXECUTE\s+([\w$]+|`[^`]+`)(?:\s+USING\b[\s\S]*)?$/i;
const CALL = new RegExp(String.raw`^CALL\s+(${QUALIFIED})\s*(?:\([\s\S]*\))?$`, 'i');
const DDL_HEAD = /^(?:CREATE|ALTER|DROP|RENAME|TRUNCATE)\b/i;
/** A condition that asks the catalog whether a table, column or index already exists. */
const EXISTENCE_CHECK = /\binformation_schema\b|\bSHOW\s+(?:COLUMNS|INDEX|TABLES)\b/i;

/**
 * The statement read as a script construct, or undefined when it is none of them (the grammar
 * reads it as usual).
 */
export function readScriptStatement(
  source: StatementSource,
  scope: ScriptScope,
  readDdl: ReadDdl,
): StatementResult | undefined {
  const text = source.text.replace(/[\s;]+$/, '');
  if (NO_SCHEMA_EFFECT.test(text)) return { events: [] };

  const set = SET_VARIABLE.exec(text);
  if (set) {
    const sql = stringValue(set[2]!);
    scope.variables.set(unquote(set[1]!).toLowerCase(), { ...(sql !== undefined ? { sql } : {}), at: source });
    return { events: [] };
  }
  const prepare = PREPARE.exec(text);
  if (prepare) {
    const from = prepare[2]!.trim();
    const variable = /^@([\w$.]+|`[^`]+`)$/.exec(from);
    const held = variable ? scope.variables.get(unquote(variable[1]!).toLowerCase()) : undefined;
    const sql = variable ? held?.sql : stringValue(from);
    scope.prepared.set(unquote(prepare[1]!).toLowerCase(), {
      ...(sql !== undefined ? { sql } : {}),
      at: held?.at ?? source,
    });
    return { events: [] };
  }
  const execute = EXECUTE.exec(text);
  if (execute) {
    const prepared = scope.prepared.get(unquote(execute[1]!).toLowerCase());
    // Unknown text (built from a query or a function): nothing is known to change.
    if (!prepared?.sql || !DDL_HEAD.test(prepared.sql.trim())) return { events: [] };
    return executePrepared(prepared.sql, prepared.at, readDdl);
  }
  const call = CALL.exec(text);
  // The body's statements keep their own places in the file.
  if (call) return { events: [...(scope.procedures.get(procedureKey(call[1]!)) ?? [])] };

  const procedure = CREATE_PROCEDURE.exec(text);
  if (procedure) {
    scope.procedures.set(procedureKey(procedure[1]!), procedureEvents(source, scope, readDdl));
    return { events: [] };
  }
  return undefined;
}

/** Prepared DDL has no place of its own in the file: its events point at the `SET` holding its text. */
function executePrepared(sql: string, at: StatementSource, readDdl: ReadDdl): StatementResult {
  const padded = `${at.content.slice(0, at.start)}${sql}`;
  const result = readDdl(new StatementSource(at.file, padded, at.start, padded.length));
  if (result.error) return { error: { message: result.error.message, offset: at.start } };
  return { events: (result.events ?? []).map((event) => relocate(event, at)) };
}

/**
 * The events a procedure body applies when called. The body is split at its semicolons; each piece
 * loses its leading control flow (`BEGIN`, `IF … THEN`, `ELSE`, `END IF`, labels), which opens or
 * closes a condition, and a DDL statement that remains is read when every open condition is an
 * existence check.
 */
function procedureEvents(source: StatementSource, scope: ScriptScope, readDdl: ReadDdl): SchemaEvent[] {
  const begin = /\bBEGIN\b/i.exec(source.text);
  if (!begin) return [];
  const bodyStart = source.start + begin.index;
  const body = source.content.slice(bodyStart, source.end);
  const events: SchemaEvent[] = [];
  const conditions: boolean[] = [];
  const inner: ScriptScope = {
    variables: new Map(scope.variables),
    prepared: new Map(scope.prepared),
    procedures: scope.procedures,
  };
  for (const piece of splitStatements(body, 'mysql')) {
    const end = bodyStart + piece.end;
    let at = skipBlankAndComments(source.content, bodyStart + piece.start, end);
    for (;;) {
      const rest = source.content.slice(at, end);
      const head = controlFlow(rest, conditions);
      if (head === undefined) break;
      at += head;
      at = skipBlankAndComments(source.content, at, end);
    }
    if (at >= end) continue;
    const statement = new StatementSource(source.file, source.content, at, end);
    const text = statement.text;
    if (/^DECLARE\b/i.test(text)) continue;
    if (!conditions.every(Boolean)) continue;
    const script = readScriptStatement(statement, inner, readDdl);
    const result = script ?? (DDL_HEAD.test(text) ? readDdl(statement) : undefined);
    if (result?.events) events.push(...result.events);
  }
  return events;
}

/** The first offset from `at` that is neither blank nor inside a comment (`-- …`, `# …`, `/* … *\/`). */
function skipBlankAndComments(content: string, at: number, end: number): number {
  const pattern = /\s+|--[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\//y;
  let position = at;
  while (position < end) {
    pattern.lastIndex = position;
    const match = pattern.exec(content);
    if (!match || match[0] === '') break;
    position += match[0].length;
  }
  return Math.min(position, end);
}

/**
 * Length of the control-flow keyword(s) leading `text`, updating the open conditions, or undefined
 * when `text` does not start with one. A condition is true when it is an existence check.
 */
function controlFlow(text: string, conditions: boolean[]): number | undefined {
  const label = /^[\w$]+\s*:(?!=)\s*(?=BEGIN\b|LOOP\b|WHILE\b|REPEAT\b)/i.exec(text);
  if (label) return label[0].length;
  const begin = /^BEGIN(?:\s+NOT\s+ATOMIC)?\b/i.exec(text);
  if (begin) {
    conditions.push(true);
    return begin[0].length;
  }
  const close = /^END(?:\s+(?:IF|WHILE|LOOP|REPEAT|CASE))?\b(?:\s+[\w$]+)?/i.exec(text);
  if (close) {
    conditions.pop();
    return close[0].length;
  }
  if (/^ELSE\b/i.test(text)) {
    // The other branch of an existence check runs when the thing exists: not a change to apply.
    if (conditions.length > 0) conditions[conditions.length - 1] = false;
    return 4;
  }
  const opening = /^(ELSEIF|IF|WHILE)\b/i.exec(text);
  if (opening) {
    const then = keywordAtDepthZero(text, opening[0].length, opening[1]!.toUpperCase() === 'WHILE' ? 'DO' : 'THEN');
    if (then === undefined) return undefined;
    const condition = text.slice(opening[0].length, then.start);
    const guard = opening[1]!.toUpperCase() !== 'WHILE' && EXISTENCE_CHECK.test(condition);
    if (opening[1]!.toUpperCase() === 'ELSEIF') conditions[conditions.length - 1] = guard;
    else conditions.push(guard);
    return then.end;
  }
  if (/^(?:LOOP|REPEAT)\b/i.test(text)) {
    conditions.push(false);
    return /^\w+/.exec(text)![0].length;
  }
  return undefined;
}

/** The first `keyword` outside parentheses and quotes, from `from`. */
function keywordAtDepthZero(text: string, from: number, keyword: string): { start: number; end: number } | undefined {
  let depth = 0;
  const pattern = new RegExp(
    String.raw`'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|\`[^\`]*\`|[()]|\b${keyword}\b`,
    'gi',
  );
  pattern.lastIndex = from;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const token = match[0];
    if (token === '(') depth++;
    else if (token === ')') depth--;
    else if (depth === 0 && token.toUpperCase() === keyword)
      return { start: match.index, end: match.index + token.length };
  }
  return undefined;
}

/**
 * The SQL text an expression evaluates to when it is made of literals: `'…'`, `"…"`,
 * `CONCAT('…', '…')`, parentheses, `(SELECT <expr>)`, and `IF(<existence check>, a, b)` where one
 * branch is DDL and the other is not (the guard of a change applied once). Undefined otherwise.
 */
export function stringValue(expression: string): string | undefined {
  const tokens = tokenize(expression);
  if (!tokens) return undefined;
  let i = 0;
  const value = (): string | undefined => {
    const token = tokens[i];
    if (token === undefined) return undefined;
    if (token.kind === 'string') {
      i++;
      // Adjacent literals are one string in MySQL.
      let text = token.text;
      while (tokens[i]?.kind === 'string') text += tokens[i++]!.text;
      return text;
    }
    if (token.text === '(') {
      i++;
      if (/^SELECT$/i.test(tokens[i]?.text ?? '')) i++;
      const inner = value();
      if (tokens[i]?.text !== ')') return undefined;
      i++;
      return inner;
    }
    const name = token.text.toUpperCase();
    if ((name === 'CONCAT' || name === 'IF') && tokens[i + 1]?.text === '(') {
      i += 2;
      if (name === 'IF') {
        const start = i;
        if (!skipArgument()) return undefined;
        const condition = tokens
          .slice(start, i)
          .map((t) => t.text)
          .join(' ');
        i++;
        const whenTrue = value();
        if (tokens[i]?.text !== ',') return undefined;
        i++;
        const whenFalse = value();
        if (tokens[i]?.text !== ')') return undefined;
        i++;
        if (!EXISTENCE_CHECK.test(condition) || whenTrue === undefined || whenFalse === undefined) return undefined;
        const ddl = [whenTrue, whenFalse].filter((text) => DDL_HEAD.test(text.trim()));
        return ddl.length === 1 ? ddl[0] : undefined;
      }
      let text = '';
      for (;;) {
        const part = value();
        if (part === undefined) return undefined;
        text += part;
        if (tokens[i]?.text === ',') i++;
        else if (tokens[i]?.text === ')') {
          i++;
          return text;
        } else return undefined;
      }
    }
    return undefined;
  };
  /** Skips one argument (to the next comma at this depth), leaving `i` on the comma. */
  const skipArgument = (): boolean => {
    let depth = 0;
    for (; i < tokens.length; i++) {
      const text = tokens[i]!.text;
      if (text === '(') depth++;
      else if (text === ')') depth--;
      else if (text === ',' && depth === 0) return true;
      if (depth < 0) return false;
    }
    return false;
  };
  const result = value();
  return i === tokens.length ? result : undefined;
}

interface Token {
  kind: 'string' | 'other';
  text: string;
}

function tokenize(expression: string): Token[] | undefined {
  const tokens: Token[] = [];
  const pattern = /\s+|'((?:[^'\\]|\\.|'')*)'|"((?:[^"\\]|\\.|"")*)"|`[^`]*`|[\w$@.]+|[(),]|[^\s\w'"`(),]+/y;
  while (pattern.lastIndex < expression.length) {
    const match = pattern.exec(expression);
    // An unterminated quote: not a value that can be known.
    if (!match) return undefined;
    if (/^\s/.test(match[0])) continue;
    if (match[1] !== undefined) tokens.push({ kind: 'string', text: unescapeBody(match[1], "'") });
    else if (match[2] !== undefined) tokens.push({ kind: 'string', text: unescapeBody(match[2], '"') });
    else tokens.push({ kind: 'other', text: match[0] });
  }
  return tokens;
}

function unescapeBody(body: string, quote: string): string {
  return body
    .replace(new RegExp(`${quote}${quote}`, 'g'), quote)
    .replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

function unquote(name: string): string {
  return name.startsWith('`') ? name.slice(1, -1) : name;
}

/** `db.p`, `` `p` ``: called by its own name. */
function procedureKey(name: string): string {
  const parts = name.split('.').map((part) => unquote(part.trim()));
  return parts[parts.length - 1]!.toLowerCase();
}

/** The event (and every location inside it) placed at `at`. */
function relocate(event: SchemaEvent, at: StatementSource): SchemaEvent {
  const origin = at.origin();
  const move = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(move);
    if (typeof value !== 'object' || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) out[key] = key === 'origin' ? origin : move(field);
    return out;
  };
  return move(event) as SchemaEvent;
}
