/**
 * Same-offset rewrites of a MySQL / MariaDB / SQLite statement that node-sql-parser rejected, for
 * valid SQL its grammars do not know: each returns the statement with the construct rewritten or
 * blanked out (every other offset unchanged, so locations still point into the file), or undefined
 * when the statement does not have it. mysql.ts retries the parse with them, one at a time.
 */
import { StatementSource } from './source.js';

const TYPE_LENGTH = /(\b(?:text|blob|clob)\s*)(\(\s*\d+\s*\))/gi;

/** The statement with `(n)` after TEXT/BLOB/CLOB blanked out (same offsets), or undefined when it has none. */
export function withoutTypeLengths(source: StatementSource): StatementSource | undefined {
  const blanked = source.text.replace(
    TYPE_LENGTH,
    (_, type: string, length: string) => `${type}${' '.repeat(length.length)}`,
  );
  if (blanked === source.text) return undefined;
  const content = `${source.content.slice(0, source.start)}${blanked}${source.content.slice(source.end)}`;
  return new StatementSource(source.file, content, source.start, source.end);
}

/**
 * A table constraint (`FOREIGN KEY`, `PRIMARY KEY (`, `UNIQUE (`, optionally named) after a token other
 * than `,` or `(` — and other than its own name (`CONSTRAINT "fk_a" FOREIGN KEY` is one constraint). A
 * `--` comment line between is looked through: the comma may stand before it.
 */
const UNSEPARATED_CONSTRAINT =
  /(?<=[^\s,(])(?<!\bCONSTRAINT\s+(?:`[^`]+`|"[^"]+"|\w+))\s+(?=(?:CONSTRAINT\s+(?:`[^`]+`|"[^"]+"|\w+)\s+)?(?:FOREIGN\s+KEY|PRIMARY\s+KEY\s*\(|UNIQUE\s*\())/gi;

/**
 * A SQLite `CREATE TABLE` with a comma written before each table constraint that follows another
 * without one (same offsets: the comma takes the place of a blank, a space or tab rather than a
 * line break when there is one), or undefined when it needs none.
 */
export function withConstraintCommas(source: StatementSource): StatementSource | undefined {
  if (!/^CREATE\s+(?:TEMP(?:ORARY)?\s+)?TABLE\b/i.test(source.text)) return undefined;
  const fixed = source.text.replace(UNSEPARATED_CONSTRAINT, (blank: string, offset: number) => {
    const before = source.text
      .slice(0, offset)
      .replace(/--[^\r\n]*$/gm, '')
      .trimEnd();
    if (before.endsWith(',') || before.endsWith('(')) return blank;
    const at = Math.max(blank.search(/[^\r\n][\r\n]*$/), 0);
    return `${blank.slice(0, at)},${blank.slice(at + 1)}`;
  });
  if (fixed === source.text) return undefined;
  const content = `${source.content.slice(0, source.start)}${fixed}${source.content.slice(source.end)}`;
  return new StatementSource(source.file, content, source.start, source.end);
}

/** `bool` (MySQL's synonym for TINYINT(1)) as a column type; `BINARY` after a character type (a binary collation). */
const BOOL_TYPE = /(?<=(?:^|[\s,(])(?:`[^`]+`|\w+)\s+)bool(?=\s|,|\)|$)/gi;
const CHAR_BINARY = /(?<=\b(?:var)?char\s*\(\s*\d+\s*\)\s*)BINARY\b/gi;
/** `PRIMARY KEY user_space (user, space)`: MySQL takes an index name there and ignores it (the key is always `PRIMARY`); withTypeSynonyms blanks it. */
const PRIMARY_KEY_NAME = /(?<=\bPRIMARY\s+KEY\s+)(?:`[^`]+`|(?!USING\b)[A-Za-z_][\w$]*)(?=\s*\()/gi;
/** `serial` as a MySQL column type (drizzle-kit writes `serial AUTO_INCREMENT NOT NULL`). */
const SERIAL_TYPE = /(?<=(?:^|[\s,(])(?:`[^`]+`|\w+)\s+)serial(?=\s|,|\)|$)/gi;

/**
 * The statement with the MySQL type spellings the grammar does not know rewritten, same offsets:
 * `bool` as `int1` (both a one-byte integer), `VARCHAR(n) BINARY` without `BINARY`, no index name after `PRIMARY KEY`, `serial` as `bigint`
 * (MySQL's SERIAL is BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE; the implied unique key is not
 * modelled, which can only leave a finding out); undefined when it has none.
 */
export function withTypeSynonyms(source: StatementSource): StatementSource | undefined {
  if (!/^(?:CREATE|ALTER)\s+TABLE\b/i.test(source.text)) return undefined;
  const fixed = source.text
    .replace(BOOL_TYPE, 'int1')
    .replace(CHAR_BINARY, '      ')
    .replace(SERIAL_TYPE, 'bigint')
    .replace(PRIMARY_KEY_NAME, (name: string) => ' '.repeat(name.length));
  if (fixed === source.text) return undefined;
  const content = `${source.content.slice(0, source.start)}${fixed}${source.content.slice(source.end)}`;
  return new StatementSource(source.file, content, source.start, source.end);
}

/** `uuid` as a SQLite column type (flowise's enterprise tables): SQLite takes any type name, its grammar here does not. */
const SQLITE_UUID_TYPE = /(?<=(?:^|[\s,(])(?:"[^"]+"|`[^`]+`|\w+)\s+)uuid(?=\s|,|\)|$)/gi;

/** `[name]`: SQLite takes SQL Server's bracket quoting for identifiers (a name, never a number: JSON paths stay). */
const BRACKET_NAME = /\[([A-Za-z_][\w$ ]*)\]/g;

/**
 * `AUTOINCREMENT` after the column of a `PRIMARY KEY (…)` table constraint: SQLite's grammar takes it there
 * (parse.y: `tcons ::= PRIMARY KEY LP sortlist autoinc RP`; DB Browser for SQLite and TypeORM's SQLite
 * migrations write `PRIMARY KEY("id" AUTOINCREMENT)`), node-sql-parser's only after a column's type. It
 * changes how new ids are drawn, not which columns are the key.
 */
const KEY_AUTOINCREMENT = /(?<=\bPRIMARY\s+KEY\s*\(\s*(?:"[^"]+"|`[^`]+`|\w+)\s+)AUTOINCREMENT(?=\s*\))/gi;

/**
 * A SQLite statement with spellings the grammar rejects but SQLite accepts rewritten, same offsets:
 * `uuid` as `text` (what a uuid column holds there), `[name]` as `"name"`, `PRIMARY KEY("id" AUTOINCREMENT)`
 * without the `AUTOINCREMENT`; undefined when it has none.
 */
export function withSqliteTypeSynonyms(source: StatementSource): StatementSource | undefined {
  if (!/^(?:CREATE|ALTER|DROP)\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\b/i.test(source.text)) return undefined;
  const fixed = source.text
    .replace(SQLITE_UUID_TYPE, 'text')
    .replace(BRACKET_NAME, '"$1"')
    .replace(KEY_AUTOINCREMENT, (word: string) => ' '.repeat(word.length));
  if (fixed === source.text) return undefined;
  const content = `${source.content.slice(0, source.start)}${fixed}${source.content.slice(source.end)}`;
  return new StatementSource(source.file, content, source.start, source.end);
}

const CHARSET_CLAUSE =
  /(,\s*)?\bALTER\s+(?:COLUMN\s+)?(?:`[^`]+`|\w+)\s+(?:SET\s+DEFAULT\s+(?:'(?:[^'\\]|\\.|'')*'|[\w.+-]+)|DROP\s+DEFAULT)(\s*,)?|(,\s*)?\b(?:CONVERT\s+TO\s+(?:CHARACTER\s+SET|CHARSET)|(?:DEFAULT\s+)?(?:CHARACTER\s+SET|CHARSET))\s*=?\s*[\w`'"]+(?:\s+COLLATE\s*=?\s*[\w`'"]+)?(\s*,)?|(,\s*)?\b(?:DEFAULT\s+)?COLLATE\s*=?\s*[\w`'"]+(\s*,)?/gi;

/**
 * An `ALTER TABLE` with its character-set and column-default clauses (which the grammars reject in
 * some forms) blanked out, same offsets; undefined when it has none. A clause between two others
 * keeps one of their commas.
 */
export function withoutKeylessClauses(source: StatementSource): StatementSource | undefined {
  if (!/^ALTER\s+TABLE\b/i.test(source.text) || !/\b(?:CHARACTER\s+SET|CHARSET|COLLATE|DEFAULT)\b/i.test(source.text))
    return undefined;
  const blanked = source.text.replace(CHARSET_CLAUSE, (clause, ...groups: unknown[]) => {
    const commas = groups.slice(0, 6) as Array<string | undefined>;
    const keepComma =
      [commas[0], commas[2], commas[4]].some((g) => g !== undefined) &&
      [commas[1], commas[3], commas[5]].some((g) => g !== undefined);
    const spaces = clause.replace(/[^\r\n]/g, ' ');
    return keepComma ? `,${spaces.slice(1)}` : spaces;
  });
  if (blanked === source.text) return undefined;
  const content = `${source.content.slice(0, source.start)}${blanked}${source.content.slice(source.end)}`;
  return new StatementSource(source.file, content, source.start, source.end);
}

/**
 * The statement with each `CASE` result (`THEN x`, `ELSE x`) in parentheses, same offsets (each
 * parenthesis takes the place of a blank next to it): node-sql-parser's grammars reject a result
 * that is itself a condition with `AND`/`OR` (`WHEN json_valid(v) THEN json_type(v) = 'object' AND
 * …`), valid in every engine. Undefined when it has no CASE, or a result without a blank (other than
 * a line break) on each side to stand in for the parenthesis.
 */
export function withCaseParens(source: StatementSource): StatementSource | undefined {
  const text = source.text;
  if (!/\bCASE\b/i.test(text) || !/\bTHEN\b/i.test(text)) return undefined;
  const out = text.split('');
  const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
  const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);
  /** A blank (not a line break) in the whitespace right after `at`, the one nearest what follows. */
  const openAt = (at: number): boolean => {
    let end = at;
    while (isSpace(text[end])) end++;
    for (let k = end - 1; k >= at; k--)
      if (isBlank(out[k])) {
        out[k] = '(';
        return true;
      }
    return false;
  };
  /** A blank in the whitespace right before `at`, the one nearest what precedes. */
  const closeAt = (at: number): boolean => {
    let start = at;
    while (start > 0 && isSpace(text[start - 1])) start--;
    for (let k = start; k < at; k++)
      if (isBlank(out[k])) {
        out[k] = ')';
        return true;
      }
    return false;
  };
  const cases: Array<{ depth: number; open: boolean }> = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
      continue;
    }
    if ((c === '-' && text[i + 1] === '-') || c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (/[A-Za-z_]/.test(c) && (i === 0 || !/[\w$]/.test(text[i - 1]!))) {
      const word = /^[A-Za-z_][\w$]*/.exec(text.slice(i, i + 8))![0].toUpperCase();
      const top = cases.at(-1);
      if (word === 'CASE') cases.push({ depth, open: false });
      else if (
        top &&
        top.depth === depth &&
        (word === 'WHEN' || word === 'ELSE' || word === 'END' || word === 'THEN')
      ) {
        if (word !== 'THEN' && top.open) {
          if (!closeAt(i)) return undefined;
          top.open = false;
        }
        if (word === 'THEN' || word === 'ELSE') {
          if (!openAt(i + word.length)) return undefined;
          top.open = true;
        }
        if (word === 'END') cases.pop();
      }
      i += word.length - 1;
    }
  }
  const fixed = out.join('');
  if (fixed === text || cases.length > 0) return undefined;
  const content = `${source.content.slice(0, source.start)}${fixed}${source.content.slice(source.end)}`;
  return new StatementSource(source.file, content, source.start, source.end);
}

const QUOTED_DROP_NAME = /(\bDROP\s+(?:CONSTRAINT|CHECK)\s+)`(\w+)`/gi;

/**
 * `DROP CONSTRAINT \`name\`` (and `DROP CHECK`) with the backquotes blanked (same offsets) when the
 * name needs none: the grammars know the form only unquoted, and Kratos writes it beside a `MODIFY`
 * (a statement of drops alone is read by hand, alter-drops.ts). Undefined when there is none.
 */
export function withUnquotedDropNames(source: StatementSource): StatementSource | undefined {
  if (!/^ALTER\s+TABLE\b/i.test(source.text)) return undefined;
  const fixed = source.text.replace(QUOTED_DROP_NAME, (_, head: string, name: string) => `${head} ${name} `);
  if (fixed === source.text) return undefined;
  const content = `${source.content.slice(0, source.start)}${fixed}${source.content.slice(source.end)}`;
  return new StatementSource(source.file, content, source.start, source.end);
}
