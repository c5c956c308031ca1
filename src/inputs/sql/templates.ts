/**
 * Template markers in migration files (Go/Jinja `{{ … }}`, Flyway `${…}`, a block comment
 * naming a placeholder schema, followed by a dot) are not SQL. Each is
 * replaced by an identifier of the same length (underscores; line breaks kept), so the statement
 * still parses and every offset still points at the same character of the file.
 */
// Bounded lengths keep the scan linear: an unclosed `{{` or `${` must not search the rest of the file
// from every occurrence (a fuzzed 500 KB file took 95 s). Real markers are far shorter.
// A comment standing where a schema name goes (`ON /* SCHEMA_NAME_SENTINEL */."Users"`) is a placeholder a
// project's migration runner replaces before running the file: masked like the others.
const MARKER = /\{\{[\s\S]{0,500}?\}\}|\$\{[^}\r\n]{0,200}\}|\/\*\s{0,8}[A-Z][A-Z0-9_]{0,80}\s{0,8}\*\/(?=\.)/g;

export function maskTemplates(content: string): string {
  if (!content.includes('{{') && !content.includes('${') && !content.includes('*/.')) return content;
  return content.replace(MARKER, (marker) => marker.replace(/[^\r\n]/g, '_'));
}

/** A name made only of underscores came from a masked marker (e.g. a templated schema name). */
export function isMaskedName(name: string): boolean {
  return /^_+$/.test(name);
}
