/**
 * Validates parsed config data: JSON Schema via ajv (loaded lazily, compiled once), then rule
 * ids against the known rules. Every problem becomes one UsageError line naming the file.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ArchlintConfig, RuleSetting } from '../model/config.js';
import { UsageError } from '../errors.js';
import { configSchema, SEVERITY_SETTINGS } from './schema.js';
import { didYouMean } from './suggest.js';

type UnionMessages = ReadonlyMap<object, (data: unknown) => string>;

interface Compiled {
  validate: ValidateFunction;
  /** One message for a union whose per-branch errors would be confusing, keyed by its schema. */
  unions: UnionMessages;
}

let compiled: Promise<Compiled> | undefined;

/** ajv costs tens of milliseconds to import and compile: pay it only when a config exists. */
function validator(): Promise<Compiled> {
  compiled ??= import('ajv').then(({ Ajv }) => {
    const schema = configSchema([], { restrictRuleIds: false });
    // verbose: errors carry parentSchema (allowed keys for "did you mean", union identity) and data.
    const ajv = new Ajv({ allErrors: false, verbose: true, strict: true });
    const validate = ajv.compile(schema);
    // ajv keeps the schema objects it was given, so errors can be matched to them by identity
    // (schemaPath cannot tell: it restarts at every $ref).
    const definitions = schema.definitions as Record<string, object>;
    const properties = schema.properties as Record<string, object>;
    const severities = `one of ${SEVERITY_SETTINGS.join(', ')}`;
    const unions = new Map<object, (data: unknown) => string>([
      [
        definitions.ruleSetting!,
        (data) =>
          typeof data === 'string' ? `must be ${severities}` : `must be ${severities} or [severity, {options}]`,
      ],
      [properties.maxFileSize!, () => 'must be a number of bytes or a size like "512KB", "10MB", "1GB"'],
    ]);
    return { validate, unions };
  });
  return compiled;
}

export interface ValidateOptions {
  /** How the file is named in messages (path relative to cwd). */
  displayName: string;
  /** JSON pointer of the config inside the file ('/archlint' in package.json, else ''). */
  pointerPrefix?: string;
  knownRuleIds: readonly string[];
}

/** Throws UsageError on the first problem; returns the data typed and with null sections dropped. */
export async function validateConfig(data: unknown, options: ValidateOptions): Promise<ArchlintConfig> {
  const { validate, unions } = await validator();
  const prefix = options.pointerPrefix ?? '';
  if (!validate(data)) {
    throw new UsageError(`${options.displayName}: ${describeErrors(validate.errors ?? [], unions, prefix)}`);
  }
  const config = dropNullSections(data as Record<string, unknown>);
  checkRuleIds(config, options, prefix);
  return config;
}

function checkRuleIds(config: ArchlintConfig, options: ValidateOptions, prefix: string): void {
  const known = new Set(options.knownRuleIds);
  // Dotted paths read better than pointers here: "in rules", "in overrides[1].rules".
  const where = (path: string) => (prefix ? `${prefix.slice(1).replace(/\//g, '.')}.${path}` : path);
  const check = (rules: Record<string, RuleSetting> | undefined, path: string) => {
    for (const id of Object.keys(rules ?? {})) {
      if (!known.has(id)) {
        throw new UsageError(
          `${options.displayName}: unknown rule id "${id}" in ${where(path)}${didYouMean(id, options.knownRuleIds)}`,
        );
      }
    }
  };
  check(config.rules, 'rules');
  config.overrides?.forEach((override, index) => {
    check(override.rules, `overrides[${index}].rules`);
  });
}

/** An empty YAML section (`rules:` with every entry commented out) means "not set". */
function dropNullSections(data: Record<string, unknown>): ArchlintConfig {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) if (value !== null) config[key] = value;
  if (config.openapi) {
    config.openapi = Object.fromEntries(Object.entries(config.openapi as object).filter(([, v]) => v !== null));
  }
  if (config.sql) {
    config.sql = Object.fromEntries(Object.entries(config.sql as object).filter(([, v]) => v !== null));
  }
  if (Array.isArray(config.overrides)) {
    config.overrides = (config.overrides as Array<Record<string, unknown>>).map((o) => ({
      ...o,
      rules: o.rules ?? {},
    }));
  }
  return config as ArchlintConfig;
}

const depth = (error: ErrorObject) => (error.instancePath === '' ? 0 : error.instancePath.split('/').length);

/**
 * One line for the most specific error. Inside anyOf, ajv reports every failed branch; the
 * deepest error is the one closest to what the user wrote, and the null branch of optional
 * sections is never the interesting one.
 */
function describeErrors(errors: readonly ErrorObject[], unions: UnionMessages, prefix: string): string {
  if (errors.length === 0) return 'invalid config';
  const deepest = Math.max(...errors.map(depth));
  const candidates = errors.filter((e) => depth(e) === deepest);
  for (const error of candidates) {
    const message = error.keyword === 'anyOf' && error.parentSchema ? unions.get(error.parentSchema) : undefined;
    if (message) return `${pointer(prefix, error.instancePath)} ${message(error.data)}`;
  }
  const error =
    candidates.find((e) => e.keyword !== 'anyOf' && !(e.keyword === 'type' && e.params.type === 'null')) ??
    candidates[0]!;
  return describe(error, prefix);
}

const pointer = (prefix: string, instancePath: string) => prefix + instancePath || '/';

const ARTICLE: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
};

function describe(error: ErrorObject, prefix: string): string {
  const at = pointer(prefix, error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      return `unknown key "${key}" at ${at}${didYouMean(key, allowed)}`;
    }
    case 'required':
      return `${at} is missing required key "${String(params.missingProperty)}"`;
    case 'enum':
      return `${at} must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'type': {
      const types = String(params.type).split(',');
      return `${at} must be ${types.map((t) => ARTICLE[t] ?? t).join(' or ')}`;
    }
    case 'minItems':
      return `${at} must have at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`;
    case 'additionalItems':
    case 'maxItems':
      return `${at} must have at most ${String(params.limit)} items`;
    default:
      return `${at} ${error.message ?? 'is invalid'}`;
  }
}
