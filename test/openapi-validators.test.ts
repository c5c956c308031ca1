/**
 * Issue 24: the OpenAPI JSON Schema validators are compiled at build time
 * (scripts/openapi-validators.mjs, src/inputs/openapi/schemas.ts) instead of by swagger-parser at
 * every run. They must report exactly what swagger-parser's own schema step reports: the same
 * errors, in the same order, for Swagger 2.0, OpenAPI 3.0 and 3.1 — checked here on every
 * description among the fixtures and on broken variants of them; and the whole report on the
 * corpus descriptions must be the one the old path gives (yaml Document + runtime compilation).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { rules } from '../rules/index.js';
import { lint } from '../src/engine/run.js';
import { precompiledValidator, validateSchema } from '../src/inputs/openapi/schemas.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const swaggerParserSchemaStep = require('@apidevtools/swagger-parser/lib/validators/schema.js') as (
  api: unknown,
) => void;

/** What a schema step throws: its Ajv errors, or 'valid'. */
function outcome(step: () => void): unknown {
  try {
    step();
    return 'valid';
  } catch (error) {
    const details = (error as { details?: unknown }).details;
    return { message: (error as Error).message, details };
  }
}

async function outcomeOf(step: Promise<void>): Promise<unknown> {
  try {
    await step;
    return 'valid';
  } catch (error) {
    return { message: (error as Error).message, details: (error as { details?: unknown }).details };
  }
}

function descriptions(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return descriptions(path);
    if (!/\.(ya?ml|json)$/i.test(entry.name)) return [];
    const text = readFileSync(path, 'utf8');
    return /^["']?(?:openapi|swagger)["']?\s*:/m.test(text) || /"(?:openapi|swagger)"\s*:/.test(text) ? [path] : [];
  });
}

/**
 * The description itself, and a broken variant: required members missing, wrong types, unknown
 * keys, a bad parameter and schema (two per file: swagger-parser compiles its schema at each call).
 */
function variants(api: Record<string, unknown>): Array<Record<string, unknown>> {
  const broken: Record<string, unknown> = {
    ...structuredClone(api),
    bogus: 1,
    info: { title: 3, version: 1, extra: true },
  };
  delete broken[api.swagger ? 'swagger' : 'components'];
  if (api.swagger) broken.swagger = '2.0';
  broken.paths = {
    ...(broken.paths as object),
    '/broken': {
      get: { parameters: [{ name: 'id' }, { in: 'query', name: 'q', schema: { type: 'strin' } }] },
      post: { responses: { '200': {} } },
    },
    'no-slash': {},
  };
  return [structuredClone(api), broken];
}

const built = existsSync(join(repo, 'dist/bundle/openapi-validators'));

describe.skipIf(!built)('precompiled OpenAPI schema validators', () => {
  it('are found and used after `npm run build`, for every version', () => {
    for (const name of ['swagger-2.0', 'openapi-3.0', 'openapi-3.1'])
      expect(precompiledValidator(name), name).toBeTypeOf('function');
  });

  it('report what swagger-parser reports, error for error, on every fixture description and broken variants of it', async () => {
    const files = descriptions(join(repo, 'fixtures'));
    expect(files.length).toBeGreaterThan(50);
    const versions = new Set<string>();
    let invalid = 0;
    for (const file of files) {
      let api: unknown;
      try {
        api = /\.json$/i.test(file) ? JSON.parse(readFileSync(file, 'utf8')) : parse(readFileSync(file, 'utf8'));
      } catch {
        continue; // a fixture about syntax errors
      }
      if (typeof api !== 'object' || api === null || Array.isArray(api)) continue;
      const root = api as Record<string, unknown>;
      if (typeof root.openapi !== 'string' && root.swagger === undefined) continue;
      versions.add(root.swagger ? 'swagger-2.0' : String(root.openapi).slice(0, 3));
      for (const variant of variants(root)) {
        const reference = outcome(() => swaggerParserSchemaStep(structuredClone(variant)));
        const fast = await outcomeOf(validateSchema(structuredClone(variant)));
        expect(fast, file).toEqual(reference);
        if (reference !== 'valid') invalid++;
      }
    }
    expect([...versions].sort()).toEqual(expect.arrayContaining(['3.0', '3.1', 'swagger-2.0']));
    expect(invalid).toBeGreaterThan(50);
  }, 180_000);
});

const corpus = join(repo, '..', 'shared', 'corpus', 'openapi');
const CORPUS_DESCRIPTIONS = [
  'rest-api-description-2020/descriptions/api.github.com/api.github.com.yaml',
  'digitalocean-openapi/specification/DigitalOcean-public.v2.yaml',
];

describe.skipIf(!existsSync(corpus))(
  'the whole report on large YAML descriptions of the corpus (../shared/corpus)',
  () => {
    for (const description of CORPUS_DESCRIPTIONS) {
      it(`is the old path's on ${description.split('/')[0]} (yaml Document, schemas compiled at run time)`, async () => {
        const path = join(corpus, description);
        const run = (old: boolean) =>
          lint({
            cwd: repo,
            paths: [path],
            loaded: { config: {}, baseDir: repo },
            rules,
            yamlDocumentsOnly: old,
            runtimeSchemaValidators: old,
          }).then(({ result }) => result.findings);
        const fast = await run(false);
        const reference = await run(true);
        expect(fast.length).toBeGreaterThan(10);
        expect(fast).toEqual(reference);
      }, 300_000);
    }
  },
);
