/**
 * The "suppress on this line" code action: a suppression comment above the flagged line, at its
 * indentation, in the comment syntax the suppression reader expects for the file's kind
 * (engine/suppressions.ts). JSON has no comments (descriptions use `x-archlint-ignore`): no action.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver/node.js';
import { commentSyntaxFor } from '../engine/suppressions.js';

export function suppressionEdit(document: TextDocument, line: number, ruleId: string): TextEdit | undefined {
  const comment = commentSyntaxFor(decodeURIComponent(document.uri));
  if (!comment) return undefined;
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indent = /^[ \t]*/.exec(text)?.[0] ?? '';
  return {
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    newText: `${indent}${comment.open} archlint-disable-next-line ${ruleId} -- <reason>${comment.close}\n`,
  };
}
