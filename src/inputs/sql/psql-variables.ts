/**
 * Migrations written as psql scripts (run with `psql -f`: graphile-migrate, plain psql-run folders) use
 * psql's variables — `:NAME` (the value as written), `:'NAME'` (as a string literal), `:"NAME"` (as a
 * quoted identifier) — and its meta-commands (`\set`, `\connect`, `\i`, `\gexec`), which psql handles
 * before the server sees the SQL. PostgreSQL's parser rejects both, so each is replaced here, at the
 * same length (every offset, line and column still points at the same character of the file):
 *
 * - a variable by a placeholder of its kind: `:NAME` → `_____` (an identifier, what such a variable
 *   stands for nearly always: a role, a schema), `:'NAME'` → `'____'`, `:"NAME"` → `"____"`. A name
 *   made only of underscores is a masked one (templates.ts): a schema named so is left out, as a
 *   templated schema name is;
 * - a meta-command by blanks to the end of its line, except one that sends the query buffer (`\g`,
 *   `\gexec`, `\gset`…), whose backslash becomes the `;` that ends the statement.
 *
 * Nothing changes where PostgreSQL itself writes a colon: inside quotes, dollar-quoted bodies and
 * comments (PL/pgSQL's `:=`, `'10:30'`), in `::` casts, before `=` (`f(a := 1)`), after a name or
 * number, and inside square brackets (array slices `a[1:n]`, where psql would substitute a variable
 * `n` too, but a slice bound is the likelier reading). Quotes and comments are read as splitStatements
 * reads them.
 */
import { lineEnd, postgresTokenEnd } from './split.js';

/** A colon before something a variable can start with, or a backslash: a file without either is left alone. */
const MAYBE_PSQL = /:[A-Za-z_'"\u0080-\uffff]|\\/;
const NAME_CHAR = '[A-Za-z0-9_\\u0080-\\uffff]';
/** `:'name'` (group 1), `:"name"` (group 2) or `:name`, whose first character is not a digit. */
const VARIABLE = new RegExp(`:(?:'(${NAME_CHAR}+)'|"(${NAME_CHAR}+)"|[A-Za-z_\\u0080-\\uffff]${NAME_CHAR}*)`, 'y');
/** The meta-commands that send the query buffer to the server, ending the statement as `;` does. */
const SENDS_BUFFER = /\\(?:g(?:x|exec|set|desc)?|watch|crosstabview)(?![A-Za-z])/y;
/** Characters that cannot start a quote, a comment, a bracket, a variable or a meta-command. */
const PLAIN = /[^'"`$/\-:[\]\\]+/y;

/** The file's text with psql's variables and meta-commands replaced (same length), or the text itself when it has none. */
export function maskPsqlScript(content: string): string {
  if (!MAYBE_PSQL.test(content)) return content;
  const parts: string[] = [];
  let copied = 0;
  const replace = (start: number, end: number, text: string): void => {
    parts.push(content.slice(copied, start), text);
    copied = end;
  };
  const length = content.length;
  let brackets = 0;
  let i = 0;
  while (i < length) {
    PLAIN.lastIndex = i;
    if (PLAIN.test(content)) {
      i = PLAIN.lastIndex;
      if (i >= length) break;
    }
    const c = content.charCodeAt(i);
    if (c === 91 /* [ */) {
      brackets++;
      i++;
    } else if (c === 93 /* ] */) {
      if (brackets > 0) brackets--;
      i++;
    } else if (c === 58 /* : */) {
      if (content.charCodeAt(i + 1) === 58) {
        i += 2; // a `::` cast
        continue;
      }
      VARIABLE.lastIndex = i;
      const match = brackets === 0 && !isNameChar(content.charCodeAt(i - 1)) ? VARIABLE.exec(content) : null;
      if (!match) {
        i++;
        continue;
      }
      const written = match[0];
      const inner = '_'.repeat(written.length - 2);
      replace(i, i + written.length, match[1] ? `'${inner}'` : match[2] ? `"${inner}"` : '_'.repeat(written.length));
      i += written.length;
    } else if (c === 92 /* \ */) {
      const end = lineEnd(content, i);
      SENDS_BUFFER.lastIndex = i;
      const sends = SENDS_BUFFER.test(content);
      replace(i, end, `${sends ? ';' : ' '}${' '.repeat(end - i - 1)}`);
      i = end;
    } else {
      i = postgresTokenEnd(content, i);
    }
  }
  if (parts.length === 0) return content;
  parts.push(content.slice(copied));
  return parts.join('');
}

/** A character of a name or number: a colon right after one is no variable (`a:b` is not psql's either). */
function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127;
}
