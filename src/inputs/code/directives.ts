/**
 * A module's directive prologue (`'use client'`, `'use server'`), read by a linear scan past leading
 * whitespace and comments: a regular expression over the same text backtracks badly on a file with long
 * leading comments and no directive.
 */

/** The first 20 characters of the module's first statement, past comments. */
export function firstStatement(text: string): string {
  let at = 0;
  for (;;) {
    while (at < text.length && /\s/.test(text[at]!)) at++;
    if (text.startsWith('//', at)) at = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at) + 1;
    else if (text.startsWith('/*', at)) at = text.indexOf('*/', at) < 0 ? text.length : text.indexOf('*/', at) + 2;
    else return text.slice(at, at + 20);
  }
}

/** A module that runs in the browser by declaration (React server components' `'use client'`). */
export const isUseClient = (text: string): boolean => /^['"]use client['"]/.test(firstStatement(text));
