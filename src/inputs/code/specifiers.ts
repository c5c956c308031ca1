/**
 * The module specifiers a file's text names, without parsing it (a superset: a specifier in a comment or
 * a string counts; every one the syntax tree holds is found). Shared by the routes input's importer scan
 * and the code input's reach judgement (reach.ts), which must not load the compiler to read them.
 */

/**
 * A specifier after `from`, `import`, `import(`, `require(` (comments allowed before it), in any quotes. A comment is
 * matched by the unrolled `/*[^*]*\*+([^/*][^*]*\*+)*\/`, which cannot run past its own `*\/`: the lazy `[\s\S]*?`
 * it replaces could, so on a `require(/*` with no quote after the comment every later `*\/` of the file was tried
 * (a 4 MB vendored bundle took minutes), and `from /* a *\/ x /* b *\/ 'y'` read 'y' as a specifier.
 */
const SPECIFIER = /\b(?:from|import|require)\s*\(?\s*(?:\/\*[^*]*\*+(?:[^/*][^*]*\*+)*\/\s*)*(['"`])([^'"`\r\n]+)\1/g;

/** `import type … from '…'`, `export type … from '…'`: an import that brings no value. */
const TYPE_ONLY = /\b(?:import|export)\s+type\s+[^'"`;]*?\bfrom\s*(['"`])([^'"`\r\n]+)\1/g;

/** The module specifiers a text may import or re-export from, in order of appearance (a superset). */
export function specifiersIn(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(SPECIFIER)) out.push(match[2]!);
  return out;
}

/** The specifiers of a text less those only imported as types (each type-only import removes one occurrence). */
export function valueSpecifiersIn(text: string, all: readonly string[] = specifiersIn(text)): string[] {
  const typeOnly = [...text.matchAll(TYPE_ONLY)].map((match) => match[2]!);
  if (typeOnly.length === 0) return [...all];
  const out = [...all];
  for (const spec of typeOnly) {
    const at = out.indexOf(spec);
    if (at >= 0) out.splice(at, 1);
  }
  return out;
}
