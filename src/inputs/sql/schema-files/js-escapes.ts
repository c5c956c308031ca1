/**
 * The SQL a JavaScript string literal holds, as the database receives it: `knex.raw("UPDATE builds SET
 * \"jobStatus\" = 'complete'")` sends `"jobStatus"`, not `\"jobStatus\"` — read as written, the
 * backslashes are a syntax error in valid code (argos' migrations). Each character of the cooked
 * text keeps the file offset it was written at, so findings still point into the literal.
 */
import type { ts as TypeScript } from 'ts-morph';

const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' };

/**
 * The text between `start` and `end` with JavaScript's escapes undone, and the offset of each of its
 * characters in `source` (an escape's characters map to its backslash); undefined when there is none.
 */
export function cookedText(
  source: string,
  start: number,
  end: number,
): { text: string; sources: number[] } | undefined {
  if (!source.slice(start, end).includes('\\')) return undefined;
  let text = '';
  const sources: number[] = [];
  const put = (value: string, at: number) => {
    text += value;
    for (let k = 0; k < value.length; k++) sources.push(at);
  };
  for (let i = start; i < end; i++) {
    const ch = source[i]!;
    if (ch !== '\\' || i + 1 >= end) {
      put(ch, i);
      continue;
    }
    const at = i;
    const next = source[++i]!;
    if (next === '\r' || next === '\n') {
      // A line continuation adds nothing to the string.
      if (next === '\r' && source[i + 1] === '\n') i++;
    } else if (SIMPLE[next] !== undefined) put(SIMPLE[next], at);
    else if (next === '0' && !/[0-9]/.test(source[i + 1] ?? '')) put('\0', at);
    else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(source.slice(i + 1, i + 3))) {
      put(String.fromCharCode(parseInt(source.slice(i + 1, i + 3), 16)), at);
      i += 2;
    } else if (next === 'u' && source[i + 1] === '{') {
      const close = source.indexOf('}', i);
      const code = close > 0 ? parseInt(source.slice(i + 2, close), 16) : NaN;
      if (Number.isNaN(code) || code > 0x10ffff) return undefined;
      put(String.fromCodePoint(code), at);
      i = close;
    } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 1, i + 5))) {
      put(String.fromCharCode(parseInt(source.slice(i + 1, i + 5), 16)), at);
      i += 4;
    } else put(next, at);
  }
  return { text, sources };
}

/** The SQL of a string literal (or a template without substitutions), its escapes undone. */
export function literalSql(
  sourceFile: TypeScript.SourceFile,
  literal: TypeScript.StringLiteral | TypeScript.NoSubstitutionTemplateLiteral,
): { start: number; end: number; text?: string; sources?: number[] } {
  const start = literal.getStart(sourceFile) + 1;
  const end = literal.getEnd() - 1;
  const cooked = cookedText(sourceFile.text, start, end);
  // An escape this reading does not know (a legacy octal one): the literal as written, as before.
  if (!cooked || cooked.text !== literal.text) return { start, end };
  return { start, end, text: cooked.text, sources: cooked.sources };
}
