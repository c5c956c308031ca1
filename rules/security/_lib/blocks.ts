/**
 * Lines around a value, read through the file's line index (a lookup per line, never a scan of
 * the text before it: one long line must not make every finding on it cost the whole line).
 * Config files and code group related settings in blocks — lines of one indentation under a
 * parent, a comment heading them, no blank line between — and what a block says about itself
 * (a comment, `NODE_ENV: test`) holds for the values in it.
 */
import type { TextFile } from '../../../src/rule-api.js';

/** `#` (YAML, shell, .env, TOML, Dockerfile), `//` and `/*`/` *` (code, JSONC), `<!--`, `;` (INI); `--` in SQL. */
const COMMENT_START = /^[ \t]*(?:#|\/\/|\/\*|\*(?!\*)|<!--|;)/;
const SQL_COMMENT_START = /^[ \t]*--/;

/** Is this whole line a comment (in the file's own syntax)? */
export function isCommentText(path: string, line: string): boolean {
  return COMMENT_START.test(line) || (/\.sql$/i.test(path) && SQL_COMMENT_START.test(line));
}

export function indentOf(line: string): number {
  let i = 0;
  while (line[i] === ' ' || line[i] === '\t') i++;
  return i;
}

/** No trim: a line may be a megabyte long, and its first visible character is enough. */
const isBlank = (line: string) => !/\S/.test(line);

/** How far from a value its block is followed: settings blocks are short, and this bounds the cost per finding. */
const MAX_BLOCK_LINES = 300;

/**
 * The comment heading the block a line is in: the nearest run of whole-line comments above it,
 * reached without crossing a blank line or a less indented line (the block's parent). A comment
 * further up heads other lines: `# local dev` above one group says nothing of the group after the
 * next comment.
 */
export function headingComment(file: TextFile, lineNumber: number): string | undefined {
  const indent = indentOf(file.lineText(lineNumber));
  const comment: string[] = [];
  for (let n = lineNumber - 1; n >= 1 && lineNumber - n <= MAX_BLOCK_LINES; n--) {
    const line = file.lineText(n);
    if (isBlank(line)) break;
    if (isCommentText(file.path, line)) {
      comment.unshift(line);
      continue;
    }
    if (comment.length > 0 || indentOf(line) < indent) break;
  }
  return comment.length > 0 ? comment.join('\n') : undefined;
}

/**
 * The lines of a line's block at its own indentation (its siblings, itself included): up and down
 * until a less indented line (the parent, or the next section) or the end of the file. Deeper lines
 * (a sibling's children), blank lines and comments are passed over. A file of unindented
 * `KEY=value` lines is one block.
 */
export function siblingLines(file: TextFile, lineNumber: number): string[] {
  const own = file.lineText(lineNumber);
  const indent = indentOf(own);
  const siblings = [own];
  for (const step of [-1, 1]) {
    for (
      let n = lineNumber + step, seen = 0;
      n >= 1 && n <= file.lineCount && seen < MAX_BLOCK_LINES;
      n += step, seen++
    ) {
      const line = file.lineText(n);
      if (isBlank(line) || isCommentText(file.path, line)) continue;
      const lineIndent = indentOf(line);
      if (lineIndent < indent) break;
      if (lineIndent === indent) siblings.push(line);
    }
  }
  return siblings;
}
