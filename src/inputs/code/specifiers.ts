/**
 * The module specifiers a file's text names, without parsing it (a superset: a specifier in a block comment or
 * a string counts; every one the syntax tree holds is found). A line commented out with `//` is skipped: an
 * `// export { mcpTool } from './mcp'` left in an index imports nothing, and counting it made a module nothing loads
 * look reached from a server. Shared by the routes input's importer scan
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
  const inComment = lineCommentTest(text);
  for (const match of text.matchAll(SPECIFIER)) if (!inComment(match.index)) out.push(match[2]!);
  return out;
}

/**
 * For offsets asked in increasing order: does the line holding the offset start with `//` before it (a line
 * comment, not code)? The line start is carried from one offset to the next and each stretch of text is searched
 * once: a minified bundle is one line of megabytes with hundreds of `require(`s.
 */
function lineCommentTest(text: string): (at: number) => boolean {
  let lineStart = 0;
  let nextNewline = -2; // not searched yet
  return (at) => {
    if (at < lineStart || nextNewline === -2) {
      lineStart = text.lastIndexOf('\n', at - 1) + 1;
      nextNewline = text.indexOf('\n', lineStart);
    }
    while (nextNewline !== -1 && nextNewline < at) {
      lineStart = nextNewline + 1;
      nextNewline = text.indexOf('\n', lineStart);
    }
    let i = lineStart;
    while (i < at && (text[i] === ' ' || text[i] === '\t')) i++;
    return i + 1 < at && text[i] === '/' && text[i + 1] === '/';
  };
}

/** The specifiers of a text less those only imported as types (each type-only import removes one occurrence). */
export function valueSpecifiersIn(text: string, all: readonly string[] = specifiersIn(text)): string[] {
  const inComment = lineCommentTest(text);
  const typeOnly = [...text.matchAll(TYPE_ONLY)].filter((match) => !inComment(match.index)).map((match) => match[2]!);
  if (typeOnly.length === 0) return [...all];
  const out = [...all];
  for (const spec of typeOnly) {
    const at = out.indexOf(spec);
    if (at >= 0) out.splice(at, 1);
  }
  return out;
}
