/**
 * Where a value is a sample for a reader rather than configuration a program runs with:
 * documentation (Markdown, MDX, reStructuredText, AsciiDoc), translation files, comment lines
 * (commented-out curl calls and config), and `example`/`examples` values of API descriptions and
 * JSON schemas. There a JWT, a password to a local database or a random-looking value under a
 * secret-like name is an illustration; only what is sure to be a credential wherever it is written
 * (a provider's key format, a private key) is still reported.
 */

/** Prose and its code blocks. */
const DOCUMENTATION = /\.(?:md|mdx|markdown|rst|adoc|asciidoc)$/i;

/**
 * Translation catalogues: `locales/de.json`, `i18n/**`, `lang/fr.json`, `translations/…`,
 * `public/intl/messages/ca-ES.json`, gettext and Flutter/XLIFF files, and files named after a
 * locale with its region (`pt-BR.json`).
 */
const TRANSLATION_FOLDER = /(?:^|\/)(?:locales?|i18n|l10n|lang|langs|languages|translations?|intl)\//i;
const TRANSLATION_FILE = /\.(?:po|pot|xliff|xlf|arb)$|(?:^|\/)[a-z]{2}[-_][A-Z]{2}\.(?:json|ya?ml)$/;

export function isDocumentation(path: string): boolean {
  return DOCUMENTATION.test(path);
}

export function isTranslation(path: string): boolean {
  return TRANSLATION_FOLDER.test(path) || TRANSLATION_FILE.test(path);
}

/** `examples/`, `samples/`, `docs/`: folders of code and config written to be read (an API description's code samples). */
const SAMPLE_FOLDER = /(?:^|\/)(?:examples?|samples?|docs?)\//i;

/** Files every one of whose values is a sample (documentation, translations, example and doc folders). */
export function isSampleFile(path: string): boolean {
  return isDocumentation(path) || isTranslation(path) || SAMPLE_FOLDER.test(path);
}

/** `#` (YAML, shell, .env, TOML, Dockerfile), `//` and `/*`/` *` (code, JSONC), `<!--`, `;` (INI); `--` in SQL. */
const COMMENT_START = /^[ \t]*(?:#|\/\/|\/\*|\*(?!\*)|<!--|;)/;
const SQL_COMMENT_START = /^[ \t]*--/;

/** Is the line holding `offset` a comment (a commented-out example or setting)? */
export function isCommentLine(path: string, content: string, offset: number): boolean {
  const line = lineAt(content, offset);
  return COMMENT_START.test(line) || (/\.sql$/i.test(path) && SQL_COMMENT_START.test(line));
}

/** `example:`, `examples:`, `"example":`, `x-example:` — the key of a sample value in YAML or JSON. */
const EXAMPLE_KEY = /^[ \t]*(?:-[ \t]+)?["']?(?:x-)?examples?["']?[ \t]*:/;
/** A line's key, to tell a nested mapping from its parent. */
const ANY_KEY = /^[ \t]*(?:-[ \t]+)?["']?[^\s"':#][^"':#]*["']?[ \t]*:/;
/** How far up a sample value's parent key is looked for. */
const MAX_LINES_UP = 400;

/**
 * Is `offset` inside the value of an `example`/`examples` key of an indented YAML or JSON document
 * (an OpenAPI description, a JSON schema)? Walks up to the lines that are less indented — the
 * value's parents — and looks for such a key among them. Unindented (minified) JSON is not judged.
 */
export function isUnderExampleKey(content: string, offset: number): boolean {
  let lineStart = content.lastIndexOf('\n', offset - 1) + 1;
  const own = lineAt(content, offset);
  if (EXAMPLE_KEY.test(own)) return true;
  let indent = indentOf(own);
  // A YAML sequence item may sit at its key's indentation (`examples:\n- '…'`).
  let allowSame = /^[ \t]*-[ \t]/.test(own);
  for (let steps = 0; lineStart > 0 && steps < MAX_LINES_UP && indent > 0; steps++) {
    const previousStart = content.lastIndexOf('\n', lineStart - 2) + 1;
    const line = content.slice(previousStart, lineStart - 1);
    lineStart = previousStart;
    if (line.trim() === '' || COMMENT_START.test(line)) continue;
    const lineIndent = indentOf(line);
    if (lineIndent < indent || (allowSame && lineIndent === indent && ANY_KEY.test(line) && !/^[ \t]*-/.test(line))) {
      if (EXAMPLE_KEY.test(line)) return true;
      indent = lineIndent;
      allowSame = /^[ \t]*-[ \t]/.test(line);
    }
  }
  return false;
}

function lineAt(content: string, offset: number): string {
  const start = content.lastIndexOf('\n', offset - 1) + 1;
  const end = content.indexOf('\n', offset);
  return content.slice(start, end === -1 ? content.length : end);
}

function indentOf(line: string): number {
  return /^[ \t]*/.exec(line)![0].length;
}
