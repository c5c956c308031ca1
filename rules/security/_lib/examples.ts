/**
 * Where a value is a sample for a reader rather than configuration a program runs with:
 * documentation (Markdown, MDX, reStructuredText, AsciiDoc), translation files, comment lines
 * (commented-out curl calls and config), and `example`/`examples` values of API descriptions and
 * JSON schemas. There a JWT, a password to a local database or a random-looking value under a
 * secret-like name is an illustration; only what is sure to be a credential wherever it is written
 * (a provider's key format, a private key) is still reported.
 */
import type { TextFile } from '../../../src/rule-api.js';
import { indentOf, isCommentText } from './blocks.js';

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

/**
 * Files named for made-up data: `hookdeck-samples.json`, `mock-events.ts`, `fixtures.ts` — a word of the
 * name, between separators (not `sampling.ts`). Their values are written to look real on purpose.
 */
const SAMPLE_NAME = /(?:^|\/)(?:[\w.]+[-_.])?(?:samples?|mocks?|fixtures?)(?:[-_.][\w.-]*)?\.[a-z]+$/i;

/** Files every one of whose values is a sample (documentation, translations, example and doc folders, sample data). */
export function isSampleFile(path: string): boolean {
  return isDocumentation(path) || isTranslation(path) || SAMPLE_FOLDER.test(path) || SAMPLE_NAME.test(path);
}

/** Is the line holding `offset` a comment (a commented-out example or setting)? */
export function isCommentLine(file: TextFile, offset: number): boolean {
  return isCommentText(file.path, file.lineText(file.positionAt(offset).line));
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
export function isUnderExampleKey(file: TextFile, offset: number): boolean {
  const lineNumber = file.positionAt(offset).line;
  const own = file.lineText(lineNumber);
  if (EXAMPLE_KEY.test(own)) return true;
  let indent = indentOf(own);
  // A YAML sequence item may sit at its key's indentation (`examples:\n- '…'`).
  let allowSame = /^[ \t]*-[ \t]/.test(own);
  for (let n = lineNumber - 1; n >= 1 && lineNumber - n <= MAX_LINES_UP && indent > 0; n--) {
    const line = file.lineText(n);
    if (!/\S/.test(line) || isCommentText(file.path, line)) continue;
    const lineIndent = indentOf(line);
    if (lineIndent < indent || (allowSame && lineIndent === indent && ANY_KEY.test(line) && !/^[ \t]*-/.test(line))) {
      if (EXAMPLE_KEY.test(line)) return true;
      indent = lineIndent;
      allowSame = /^[ \t]*-[ \t]/.test(line);
    }
  }
  return false;
}

/** `placeholder="`, `:placeholder='`, `placeholder: "`, `placeholder={'` right before a value: a form field's sample text. */
const PLACEHOLDER_BEFORE = /\bplaceholder["']?\s*[=:]\s*\{?\s*["'`]$/i;

/**
 * Is `offset` the start of a form field's placeholder text in markup or a template (HTML, Vue,
 * Svelte: `<textarea placeholder="-----BEGIN PRIVATE KEY-----…">`)? It shows the shape of what to
 * paste, not a value anything runs with. (TS/JS is judged by its syntax tree.)
 */
export function isPlaceholderAttribute(file: TextFile, offset: number): boolean {
  const { line, column } = file.positionAt(offset);
  return PLACEHOLDER_BEFORE.test(file.lineText(line).slice(0, column - 1));
}
