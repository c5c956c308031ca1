/**
 * The "suppress on this line" code action: a suppression comment above the flagged line, in the
 * comment syntax of the file's language, at the line's indentation. JSON has no comments (its
 * descriptions use `x-archlint-ignore`), so it gets none.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver/node.js';

const LINE_COMMENT: Array<[RegExp, string]> = [
  [/\.(?:sql)$/i, '--'],
  [/\.(?:ya?ml|toml|properties|env|sh|py|rb)$|(?:^|\/)\.env(?:\.[^/]*)?$|(?:^|\/)Dockerfile$/i, '#'],
  [/\.(?:[cm]?[jt]sx?|prisma|go|java|kt|cs|rs)$/i, '//'],
];

export function suppressionEdit(document: TextDocument, line: number, ruleId: string): TextEdit | undefined {
  const path = decodeURIComponent(document.uri);
  const comment = LINE_COMMENT.find(([pattern]) => pattern.test(path))?.[1];
  if (!comment) return undefined;
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indent = /^[ \t]*/.exec(text)?.[0] ?? '';
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${comment} archlint-disable-next-line ${ruleId} -- <reason>\n` };
}
