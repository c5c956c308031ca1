/**
 * How each model a rule can require is built. Providers are imported lazily by the engine, so
 * a run whose rules need no SQL never loads a SQL parser. Inputs never know rules: they turn
 * files into models and report parse problems through `env.report`.
 */
import type { FileKind } from '../model/files.js';
import type { InputMap, InputName } from '../rule-api.js';

export type { InputEnv } from './env.js';
import type { InputEnv } from './env.js';

export type InputProvider<K extends InputName> = (env: InputEnv) => InputMap[K] | Promise<InputMap[K]>;

export const inputProviders: { [K in InputName]: InputProvider<K> } = {
  files: (env) => env.fileSet,
  text: (env) => env.text,
  code: async (env) => (await import('./code/index.js')).buildCodeModel(env),
  // No TS/JS at all: an empty model, without loading the route extractors (and TypeScript with them).
  routes: async (env) =>
    env.fileSet.files.some((f) => f.kind === 'code')
      ? (await import('./routes/index.js')).buildRoutesModel(env)
      : { services: [], endpoints: [], errorSites: [], outboundCalls: [], composeServices: [] },
  schema: async (env) => (await import('./sql/index.js')).buildSchemaModel(env),
  openapi: async (env) => (await import('./openapi/index.js')).buildOpenApiModel(env),
  http: async (env) => (await import('./http/index.js')).buildHttpModel(env),
};

/**
 * The kinds of file each input reads every one of (itself or through the inputs it builds on), so
 * discovery may read them on the way (discover's `prefetch`). `text` reads what its rules ask for,
 * which may be little; `routes` reads `package.json` files but not every JSON file.
 */
export const inputFileKinds: { [K in InputName]: readonly FileKind[] } = {
  files: [],
  text: [],
  code: ['code'],
  routes: ['code'],
  schema: ['sql'],
  openapi: ['openapi-candidate'],
  http: ['openapi-candidate', 'code'],
};
