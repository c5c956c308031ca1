/**
 * The JSON Schema of archlint's config. One function builds it for both uses:
 * - the validator (rule ids left open: unknown ids get a dedicated message with a suggestion),
 * - archlint.schema.json for editors (rule ids enumerated so editors complete and flag them).
 */
import { SIZE_PATTERN } from './size.js';

export type JsonSchema = Record<string, unknown>;

export const SEVERITY_SETTINGS = ['off', 'note', 'warning', 'error'] as const;
export const SQL_DIALECTS = ['postgres', 'mysql', 'mariadb', 'sqlite'] as const;

export interface ConfigSchemaOptions {
  /** Enumerate rule ids in `rules` keys (propertyNames). Default true; the validator passes false. */
  restrictRuleIds?: boolean;
}

/**
 * Sections that YAML leaves null when every entry under them is commented out (`rules:` with
 * only comments below) are accepted as null and mean "unset"; the loader drops them.
 */
function orNull(schema: JsonSchema): JsonSchema {
  const { description, ...rest } = schema;
  return { description, anyOf: [rest, { type: 'null' }] };
}

export function configSchema(ruleIds: readonly string[], options: ConfigSchemaOptions = {}): JsonSchema {
  const restrict = options.restrictRuleIds ?? true;
  const rules: JsonSchema = {
    type: 'object',
    description:
      'Rule settings by rule id: "off", a severity, or [severity, {options}]. Rules not listed run with their default severity.',
    ...(restrict ? { propertyNames: { enum: [...ruleIds].sort() } } : {}),
    additionalProperties: { $ref: '#/definitions/ruleSetting' },
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'archlint configuration',
    description:
      'Configuration for archlint (archlint.config.json, archlint.config.yaml or the "archlint" key of package.json).',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: {
        type: 'string',
        description: 'Path or URL of this JSON Schema, for editors; ignored by archlint.',
      },
      rules: orNull(rules),
      ignore: orNull({
        type: 'array',
        description:
          "Extra files and folders to skip, as .gitignore patterns relative to the config file's folder (.gitignore is honoured too).",
        items: { type: 'string', description: 'A .gitignore pattern, e.g. "generated/" or "**/*.min.js".' },
      }),
      overrides: orNull({
        type: 'array',
        description: 'Rule settings for some files only. Later entries win over earlier ones and over "rules".',
        items: {
          type: 'object',
          description: 'Rule settings applied to the files matching "files".',
          additionalProperties: false,
          required: ['files', 'rules'],
          properties: {
            files: {
              type: 'array',
              description:
                'Globs relative to the config file\'s folder; a glob without "/" matches a file or folder name at any depth, "!glob" excludes.',
              minItems: 1,
              items: { type: 'string', description: 'A glob, e.g. "**/*.test.ts" or "tests".' },
            },
            rules: orNull({ ...rules, description: 'Rule settings for the matching files.' }),
          },
        },
      }),
      maxFileSize: {
        description:
          'Files larger than this are skipped: a number of bytes or a size like "512KB", "10MB", "1GB". Default "10MB".',
        anyOf: [
          { type: 'integer', minimum: 0 },
          { type: 'string', pattern: SIZE_PATTERN },
        ],
      },
      sql: orNull({
        type: 'object',
        description: 'How SQL migrations are read.',
        additionalProperties: false,
        properties: {
          dialect: orNull({
            description:
              "SQL dialect of the migrations. Default: from Prisma's migration_lock.toml, else guessed from the SQL, else postgres.",
            enum: [...SQL_DIALECTS],
          }),
          dialects: orNull({
            type: 'object',
            description:
              'Dialect per group of migration files: globs relative to the config file\'s folder (e.g. "db/legacy/**") → postgres, mysql, mariadb or sqlite. The first matching glob wins, over "dialect" and over what folder names or tool configs say.',
            minProperties: 1,
            additionalProperties: { enum: [...SQL_DIALECTS] },
          }),
          migrations: orNull({
            type: 'array',
            description: 'Globs of migration files, replacing the built-in ones (e.g. "db/migrations/*.sql").',
            items: { type: 'string', description: "A glob relative to the config file's folder." },
          }),
        },
      }),
      openapi: orNull({
        type: 'object',
        description: 'How OpenAPI descriptions are judged.',
        additionalProperties: false,
        properties: {
          services: orNull({
            type: 'array',
            description:
              "Globs of descriptions that are the complete contract of a service deployed from this repository: ops/health-endpoints then expects its probes in them. Other descriptions (a vendor's public API, a partial description) are not expected to list /metrics or readiness probes.",
            items: {
              type: 'string',
              description: 'A glob relative to the config file\'s folder, e.g. "services/*/openapi.yaml".',
            },
          }),
        },
      }),
    },
    definitions: {
      severity: {
        description: '"off" disables the rule; "note", "warning" and "error" set the severity of its findings.',
        enum: [...SEVERITY_SETTINGS],
      },
      ruleSetting: {
        description: 'A severity ("off", "note", "warning", "error") or [severity, {options}].',
        anyOf: [
          { $ref: '#/definitions/severity' },
          {
            type: 'array',
            description: "[severity, {options}]: the severity and the rule's options.",
            items: [
              { $ref: '#/definitions/severity' },
              { type: 'object', description: 'Options of the rule (see `archlint explain <id>`).' },
            ],
            minItems: 2,
            additionalItems: false,
          },
        ],
      },
    },
  };
}

/** archlint.schema.json as committed at the repo root: pretty JSON, 2-space, trailing newline. */
export function renderSchemaFile(ruleIds: readonly string[]): string {
  return `${JSON.stringify(configSchema(ruleIds), null, 2)}\n`;
}
