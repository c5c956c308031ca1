export { formatMessage } from '../util/format-message.js';

/**
 * A message as every report prints it: one line, with control characters (a terminal escape, a NUL
 * copied from a hostile file's title) and bidirectional overrides shown as `\u001b`-style escapes,
 * so text taken from the linted files cannot rewrite a terminal or a CI log, or hide in one.
 */
export function printableMessage(message: string): string {
  return message
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
