/**
 * Text from the linted repository as one Markdown code span: entities are not decoded inside code
 * spans, so only the fence (longer than any backtick run inside) needs care; line breaks become
 * spaces and control characters are made printable, so the text cannot end the span or the line.
 */
import { printable } from './printable.js';

export function inlineCode(text: string): string {
  const flat = printable(text.replace(/\r?\n|\r/g, ' '));
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
