/**
 * Splits a SQL file into statements, keeping each statement's offset range in the file, so that a
 * statement the parser rejects is one finding at its own line and the rest of the file still counts.
 * It knows what can hide a terminator: quotes ('…', E'…' with backslash escapes, "…", `…`),
 * PostgreSQL dollar quotes ($$…$$, $tag$…$tag$), comments (-- …, # … in MySQL, nested /* … *\/),
 * MySQL client `DELIMITER` lines, psql meta-commands (`\connect`) and either client's `exit`/`quit`, which are not SQL.
 */

export interface SplitStatement {
  /** Offset of the statement's first character (after leading whitespace and comments). */
  start: number;
  /** Offset just after its last character (before the terminator, trailing whitespace and comments). */
  end: number;
}

/** Which script conventions to follow: PostgreSQL's (dollar quotes) or the mysql client's (DELIMITER); a dialect record's `splitter`. */
export type SplitDialect = 'postgres' | 'mysql';

enum Ch {
  Tab = 9,
  LineFeed = 10,
  CarriageReturn = 13,
  Space = 32,
  DoubleQuote = 34,
  Hash = 35,
  Dollar = 36,
  Quote = 39,
  Star = 42,
  Minus = 45,
  Slash = 47,
  Semicolon = 59,
  Backslash = 92,
  Backtick = 96,
}

/**
 * In PostgreSQL a `DELIMITER x` line (borrowed from MySQL scripts) adds `x` as a terminator and `;`
 * still ends statements, because dollar quotes already protect function bodies. In MySQL the
 * delimiter replaces `;` until the next `DELIMITER` line, as in the mysql client.
 */
export function splitStatements(content: string, style: SplitDialect): SplitStatement[] {
  const mysql = style === 'mysql';
  const out: SplitStatement[] = [];
  const length = content.length;
  let delimiter = ';';
  let delimiterStart = Ch.Semicolon as number;
  let plain = plainRun(delimiter);
  let start = -1;
  let end = -1;
  let atLineStart = true;
  let i = 0;

  const finish = (): void => {
    if (start >= 0) out.push({ start, end });
    start = -1;
    end = -1;
  };

  while (i < length) {
    const c = content.charCodeAt(i);
    if (c === Ch.LineFeed || c === Ch.CarriageReturn) {
      atLineStart = true;
      i++;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (atLineStart && start < 0) {
      const directive = lineDirective(content, i);
      if (directive) {
        if (directive.delimiter !== undefined) {
          delimiter = directive.delimiter;
          delimiterStart = delimiter.charCodeAt(0);
          plain = plainRun(delimiter);
        }
        i = directive.end;
        continue;
      }
    }
    atLineStart = false;
    if (c === Ch.Minus && content.charCodeAt(i + 1) === Ch.Minus) {
      i = lineEnd(content, i);
      continue;
    }
    if (mysql && c === Ch.Hash) {
      i = lineEnd(content, i);
      continue;
    }
    if (c === Ch.Slash && content.charCodeAt(i + 1) === Ch.Star) {
      i = blockCommentEnd(content, i, !mysql);
      continue;
    }
    if (c === delimiterStart && (delimiter.length === 1 || content.startsWith(delimiter, i))) {
      if (mysql && delimiter === ';' && start >= 0 && insideCompoundBody(content, start, i)) {
        i++;
        end = i;
        continue;
      }
      finish();
      i += delimiter.length;
      continue;
    }
    if (!mysql && c === Ch.Semicolon) {
      finish();
      i++;
      continue;
    }
    if (start < 0) start = i;
    i = tokenEnd(content, i, c, mysql);
    // Most characters are plain: skip a run of them at once, with a regular expression because V8
    // runs those as compiled code from the first call, while a loop over characters starts out
    // interpreted (most runs read only a few megabytes). The run may take in line breaks: they
    // matter only between statements. The statement ends before the run's trailing whitespace.
    plain.lastIndex = i;
    if (plain.test(content)) i = plain.lastIndex;
    end = i;
    while (end > start && isSpace(content.charCodeAt(end - 1))) end--;
  }
  finish();
  return out;
}

/**
 * Where a PostgreSQL quote, dollar quote or comment starting at `i` ends, read as splitStatements reads
 * it (for psql-variables.ts, which must see the same SQL text outside them); `i + 1` for any other character.
 */
export function postgresTokenEnd(content: string, i: number): number {
  const c = content.charCodeAt(i);
  if (c === Ch.Minus && content.charCodeAt(i + 1) === Ch.Minus) return lineEnd(content, i);
  if (c === Ch.Slash && content.charCodeAt(i + 1) === Ch.Star) return blockCommentEnd(content, i, true);
  return tokenEnd(content, i, c, false);
}

const STORED_PROGRAM_HEAD =
  /CREATE\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*\S+\s+)?(?:PROCEDURE|FUNCTION|TRIGGER|EVENT)\b/iy;
/** Quotes and comments (skipped), and the words that open and close a compound statement. */
const COMPOUND_TOKEN =
  /'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`[^`]*`|--[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\/|\b(BEGIN|CASE|END)\b(?:\s+(IF|LOOP|WHILE|REPEAT|CASE)\b)?/gi;

/**
 * Whether offset `at` (a `;`) is inside the `BEGIN … END` body of a stored program whose `CREATE` starts at
 * `start`, written without a `DELIMITER` line: a migration runner sends the file to the server, which reads the
 * body whole (the mysql client would split it, which is why scripts for it change the delimiter). `CASE` closes
 * with `END` too; `END IF`, `END LOOP`… close blocks that opened none.
 */
function insideCompoundBody(content: string, start: number, at: number): boolean {
  STORED_PROGRAM_HEAD.lastIndex = start;
  if (!STORED_PROGRAM_HEAD.test(content)) return false;
  let depth = 0;
  const token = COMPOUND_TOKEN;
  token.lastIndex = start;
  for (let match = token.exec(content); match && match.index < at; match = token.exec(content)) {
    const word = match[1]?.toUpperCase();
    if (word === 'BEGIN' || word === 'CASE') depth++;
    else if (word === 'END' && (match[2] === undefined || match[2].toUpperCase() === 'CASE')) depth--;
  }
  return depth > 0;
}

/** Characters that can start a quote, a comment or a terminator, and so end a run of plain text. */
const SPECIAL = `'"$\`/#;\\-`;
const PLAIN_DEFAULT = plainPattern(SPECIAL);

/** A run of characters none of which can start a quote, a comment or the delimiter. */
function plainRun(delimiter: string): RegExp {
  const first = delimiter[0]!;
  return first === ';' || SPECIAL.includes(first) ? PLAIN_DEFAULT : plainPattern(SPECIAL + first);
}

function plainPattern(stops: string): RegExp {
  return new RegExp(`[^${stops.replace(/[\]\\^-]/g, '\\$&')}]+`, 'y');
}

function isSpace(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab || c === 12 || c === 11 || c === Ch.LineFeed || c === Ch.CarriageReturn;
}

/** Where the token starting at `i` ends: a whole quoted string / identifier, or one character. */
function tokenEnd(content: string, i: number, c: number, mysql: boolean): number {
  if (c === Ch.Quote) {
    const backslashes = mysql || isEscapeStringPrefix(content, i);
    return quotedEnd(content, i, Ch.Quote, backslashes);
  }
  if (c === Ch.DoubleQuote) return quotedEnd(content, i, Ch.DoubleQuote, mysql);
  if (c === Ch.Backtick) return quotedEnd(content, i, Ch.Backtick, false);
  if (c === Ch.Dollar && !mysql && !isIdentifierChar(content.charCodeAt(i - 1))) {
    const tag = dollarTag(content, i);
    if (tag !== undefined) {
      const close = content.indexOf(tag, i + tag.length);
      return close < 0 ? content.length : close + tag.length;
    }
  }
  return i + 1;
}

/** `E'…'` (or `e'…'`) standing alone: PostgreSQL's escape string syntax. */
function isEscapeStringPrefix(content: string, quote: number): boolean {
  const prev = content.charCodeAt(quote - 1);
  return (prev === 69 || prev === 101) && !isIdentifierChar(content.charCodeAt(quote - 2));
}

function quotedEnd(content: string, open: number, quote: number, backslashes: boolean): number {
  let i = open + 1;
  const length = content.length;
  while (i < length) {
    const c = content.charCodeAt(i);
    if (backslashes && c === Ch.Backslash) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (content.charCodeAt(i + 1) === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return length;
}

const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

function dollarTag(content: string, i: number): string | undefined {
  DOLLAR_TAG.lastIndex = i;
  const match = DOLLAR_TAG.exec(content);
  return match ? match[0] : undefined;
}

function isIdentifierChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === Ch.Dollar || c > 127
  );
}

export function lineEnd(content: string, i: number): number {
  const length = content.length;
  while (i < length) {
    const c = content.charCodeAt(i);
    if (c === Ch.LineFeed || c === Ch.CarriageReturn) return i;
    i++;
  }
  return length;
}

function blockCommentEnd(content: string, open: number, nested: boolean): number {
  let depth = 0;
  let i = open;
  const length = content.length;
  while (i < length) {
    if (content.charCodeAt(i) === Ch.Slash && content.charCodeAt(i + 1) === Ch.Star) {
      depth = nested ? depth + 1 : 1;
      i += 2;
      continue;
    }
    if (content.charCodeAt(i) === Ch.Star && content.charCodeAt(i + 1) === Ch.Slash) {
      depth--;
      i += 2;
      if (depth === 0) return i;
      continue;
    }
    i++;
  }
  return length;
}

const DELIMITER_LINE = /delimiter[ \t]+(\S+)[^\r\n]*/iy;
/** `exit` or `quit` alone on its line: the mysql client's (and psql's, since 11) command to stop reading the script. */
const QUIT_LINE = /(?:exit|quit)[ \t]*;?[ \t]*(?=[\r\n]|$)/iy;

/**
 * A client-side line at the start of a statement: `DELIMITER x` (mysql client), a psql meta-command
 * (`\set …`), or `exit`/`quit`, after which the client runs nothing more of the file.
 */
function lineDirective(content: string, i: number): { end: number; delimiter?: string } | undefined {
  const c = content.charCodeAt(i);
  if (c === Ch.Backslash) return { end: lineEnd(content, i) };
  QUIT_LINE.lastIndex = i;
  if (QUIT_LINE.test(content)) return { end: content.length };
  if (c !== 100 && c !== 68) return undefined; // d / D
  DELIMITER_LINE.lastIndex = i;
  const match = DELIMITER_LINE.exec(content);
  if (!match) return undefined;
  return { end: i + match[0].length, delimiter: match[1]! };
}
