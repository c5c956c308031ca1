/**
 * The one escaping of text taken from the linted repository (file names, route paths, titles
 * quoted in messages, `.gitignore` patterns, git refs) for every human-readable output: the
 * terminal report, GitHub annotations, the Markdown summary, `archlint routes` and `--verbose`.
 *
 * Control characters (C0 but tab and line feed, DEL, C1 — ESC and CSI/OSC sequences, BEL) and the
 * invisible direction marks and overrides (U+061C, U+200E/F, U+202A–E, U+2066–9) are shown as
 * `\uXXXX`, so a hostile name can neither rewrite a terminal or a CI log nor reorder what a reader
 * sees ("Trojan Source"). Machine formats (JSON, SARIF) keep the text as it is; JSON escapes it.
 */
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Text with its control and bidirectional characters escaped; line feeds and tabs stay. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapeChar);
}

/** One line of printable text: every line break (CR, LF, CRLF, U+2028/9) becomes a space. */
export function printableLine(text: string): string {
  return printable(text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' '));
}
