/**
 * Checks a dereferenced description against the Swagger 2.0 / OpenAPI 3.0 / 3.1 JSON Schema
 * exactly as swagger-parser's own step does (lib/validators/schema.js: same schema, same Ajv
 * options, same error thrown), but with the validator compiled at build time
 * (scripts/openapi-validators.mjs) instead of at every run: compiling the OpenAPI schema costs
 * ~0.3–0.45 s per run, a sixth of linting a 2.4 MB description.
 *
 * The precompiled validator is used only when it was generated from the Ajv and schema versions
 * swagger-parser resolves here; otherwise (a checkout built with tsc only, the Action's bundle, an
 * install that resolved newer versions) swagger-parser's own step runs, with the same result.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';

interface AjvError {
  instancePath: string;
  message?: string;
}

type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null; generatedFrom?: Record<string, string> };

const require = createRequire(import.meta.url);

/** Where `npm run build` writes the validators, seen from the bundle, from dist/src and from src (tests). */
const CANDIDATE_DIRS = [
  './openapi-validators/',
  '../../../bundle/openapi-validators/',
  '../../../dist/bundle/openapi-validators/',
];

const precompiled = new Map<string, Validator | null>();

/**
 * Throws what swagger-parser's schema step throws when `api` does not match its version's schema
 * (a SyntaxError with Ajv's errors as `details`). `runtime`: always let swagger-parser compile
 * (the reference the tests compare with). Its modules are imported by name, so that bundlers see
 * them (the Action's bundle inlines them and has no validators of its own).
 */
export async function validateSchema(api: { swagger?: unknown; openapi?: unknown }, runtime = false): Promise<void> {
  const name = api.swagger ? 'swagger-2.0' : String(api.openapi).startsWith('3.1') ? 'openapi-3.1' : 'openapi-3.0';
  const validate = runtime ? undefined : precompiledValidator(name);
  if (!validate) {
    const { default: swaggerParserStep } = await import('@apidevtools/swagger-parser/lib/validators/schema.js');
    swaggerParserStep(api);
    return;
  }
  if (validate(api)) return;
  const errors = validate.errors ?? [];
  // swagger-parser's formatAjvError, word for word (its util.format is Node's).
  let message = 'Swagger schema validation failed.\n';
  for (const error of errors)
    message += format(`  #${error.instancePath.length ? error.instancePath : '/'} ${error.message}\n`);
  const error = new SyntaxError(message) as SyntaxError & { details?: unknown };
  error.details = errors;
  throw error;
}

/** swagger-parser's spec checks (operation ids, path parameters…; Swagger 2.0 only), run after the schema step as it does. */
export async function validateSpec(api: unknown): Promise<void> {
  const { default: swaggerParserSpec } = await import('@apidevtools/swagger-parser/lib/validators/spec.js');
  swaggerParserSpec(api);
}

/** The build-time validator for `name` (swagger-2.0, openapi-3.0, openapi-3.1), when there is one for the installed versions. */
export function precompiledValidator(name: string): Validator | undefined {
  const cached = precompiled.get(name);
  if (cached !== undefined) return cached ?? undefined;
  let found: Validator | null = null;
  for (const dir of CANDIDATE_DIRS) {
    const path = fileURLToPath(new URL(`${dir}${name}.cjs`, import.meta.url));
    if (!existsSync(path)) continue;
    const validator = require(path) as Validator;
    if (sameVersions(validator.generatedFrom)) found = validator;
    break;
  }
  precompiled.set(name, found);
  return found ?? undefined;
}

/** The generated code is swagger-parser's only for the Ajv and schema versions it resolves. */
function sameVersions(generatedFrom: Record<string, string> | undefined): boolean {
  if (!generatedFrom) return false;
  try {
    const fromSchemaJs = createRequire(require.resolve('@apidevtools/swagger-parser/lib/validators/schema.js'));
    return Object.entries(generatedFrom).every(
      ([pkg, version]) => (fromSchemaJs(`${pkg}/package.json`) as { version?: string }).version === version,
    );
  } catch {
    return false;
  }
}
