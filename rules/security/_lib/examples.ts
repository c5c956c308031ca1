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

/**
 * `examples/`, `samples/`, `docs/`: folders of code and config written to be read (an API description's code samples),
 * also named for what they show (`docker-examples/`, `kubernetes-examples/`, `code-examples/`: a compose file that
 * starts a demo database beside the app); and folders whose name says their content is made up (`fake-certs-src/`, `dummy-data/`, `fakes/`): the author's own
 * word that nothing there is real, like a file named for mocks.
 */
const SAMPLE_FOLDER =
  /(?:^|\/)(?:(?:[\w.]+[-_.])?(?:examples?|samples?)|docs?|(?:[\w.]+[-_.])?(?:fakes?|dummy|dummies)(?:[-_.][\w.-]*)?)\//i;

/**
 * Files named for made-up data: `hookdeck-samples.json`, `mock-events.ts`, `fixtures.ts` — a word of the
 * name, between separators (not `sampling.ts`). Their values are written to look real on purpose. Also test doubles
 * named so (`fake_provider.go`, `stub-signer.ts`, `dummy-keys.json`): a fake identity provider's signing key signs
 * the tokens of the tests that start it, as the folder words above say for a folder.
 */
const SAMPLE_NAME =
  /(?:^|\/)(?:[\w.]+[-_.])?(?:samples?|mocks?|fixtures?|fakes?|dummy|dummies|stubs?)(?:[-_.][\w.-]*)?\.[a-z]+$/i;

/**
 * GraphQL documents (`auth.graphql`: `mutation Login { login(password: "…") }`): operations written to
 * paste into a playground or to feed a code generator; their literal arguments are sample inputs
 * (usertour's sample refresh-token query). A program sends its own variables, not these.
 */
const GRAPHQL_DOCUMENT = /\.(?:graphql|gql)$/i;

/** Files every one of whose values is a sample (documentation, translations, example and doc folders, sample data, GraphQL documents). */
export function isSampleFile(path: string): boolean {
  return (
    isDocumentation(path) ||
    isTranslation(path) ||
    SAMPLE_FOLDER.test(path) ||
    SAMPLE_NAME.test(path) ||
    GRAPHQL_DOCUMENT.test(path)
  );
}

/** Is the line holding `offset` a comment (a commented-out example or setting)? */
export function isCommentLine(file: TextFile, offset: number): boolean {
  return isCommentText(file.path, file.lineText(file.positionAt(offset).line));
}

/** `example:`, `examples:`, `"example":`, `x-example:` — the key of a sample value in YAML or JSON. */
const EXAMPLE_KEY = /^[ \t]*(?:-[ \t]+)?["']?(?:x-)?examples?["']?[ \t]*:/;
/** A line's key, to tell a nested mapping from its parent. */
const ANY_KEY = /^[ \t]*(?:-[ \t]+)?["']?[^\s"':#][^"':#]*["']?[ \t]*:/;

/** Per file, the lines that are inside an `example`/`examples` value (computed once, on the first question). */
const exampleLinesOf = new WeakMap<TextFile, Uint8Array>();

/**
 * Is `offset` inside the value of an `example`/`examples` key of an indented YAML or JSON document
 * (an OpenAPI description, a JSON schema, a provider catalogue)? A value's parents are the lines above
 * it that are less indented; the value is a sample when one of them is such a key. Unindented
 * (minified) JSON is judged by its own line only.
 */
export function isUnderExampleKey(file: TextFile, offset: number): boolean {
  const lineNumber = file.positionAt(offset).line;
  if (EXAMPLE_KEY.test(file.lineText(lineNumber))) return true;
  let lines = exampleLinesOf.get(file);
  if (!lines) {
    lines = exampleLines(file);
    exampleLinesOf.set(file, lines);
  }
  return lines[lineNumber] === 1;
}

/**
 * One pass over the file with a stack of open parents (indentation, is it an example key), so a
 * value thousands of lines below its `examples:` key — a large API description's
 * `components.examples` (GitHub's has tens of thousands of lines) — is found at the cost of one read
 * of the file, not one walk up per finding.
 */
function exampleLines(file: TextFile): Uint8Array {
  const inside = new Uint8Array(file.lineCount + 1);
  const stack: Array<{ indent: number; example: boolean; item: boolean; key: boolean }> = [];
  let examples = 0;
  for (let n = 1; n <= file.lineCount; n++) {
    const line = file.lineText(n);
    if (!/\S/.test(line) || isCommentText(file.path, line)) {
      inside[n] = examples > 0 ? 1 : 0;
      continue;
    }
    const indent = indentOf(line);
    const item = /^[ \t]*-[ \t]/.test(line);
    // Close the parents this line is not under. A YAML sequence item may sit at its key's
    // indentation (`examples:\n- '…'`): a key line of the same indentation stays its parent.
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const parent = top.indent < indent || (item && top.indent === indent && !top.item && top.key);
      if (parent) break;
      if (top.example) examples--;
      stack.pop();
    }
    inside[n] = examples > 0 ? 1 : 0;
    const example = EXAMPLE_KEY.test(line);
    if (example) examples++;
    stack.push({ indent, example, item, key: ANY_KEY.test(line) });
  }
  return inside;
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
