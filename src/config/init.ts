/** `archlint init`: a commented starter config in archlint.config.yaml. */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { CONFIG_FILE_NAMES, packageJsonHasConfig } from './find.js';

export const INIT_FILE_NAME = 'archlint.config.yaml';

/** The first six rules and their default severities (rules.md), shown as examples. */
const EXAMPLE_RULES: ReadonlyArray<readonly [string, string]> = [
  ['api/paginated-lists', 'warning'],
  ['api/versioned-routes', 'warning'],
  ['ops/health-endpoints', 'warning'],
  ['api/structured-errors', 'warning'],
  ['db/indexed-foreign-keys', 'warning'],
  ['security/no-hardcoded-secrets', 'error'],
];

/**
 * The template as lines: strings are prose comments; `{ example }` lines are settings shown
 * commented out. Keeping them apart lets the tests check that the examples, uncommented, form
 * a valid config too.
 */
type Line = string | { example: string };

const TEMPLATE: readonly Line[] = [
  '# yaml-language-server: $schema=./node_modules/archlint/archlint.schema.json',
  '#',
  '# archlint configuration. Every key is optional; remove the "# " before an example to use it.',
  '# Run `archlint rules` to list the rules and `archlint explain <id>` to read about one.',
  '',
  '# rules: the severity of each rule, "off" to disable it, or [severity, {options}].',
  '# Severities: note, warning, error. The values below are the defaults.',
  'rules:',
  ...EXAMPLE_RULES.map(([id, severity]) => ({ example: `  ${id}: ${severity}` })),
  '',
  '# ignore: files and folders not to lint, as .gitignore patterns relative to this file.',
  '# .gitignore is honoured already; node_modules is always skipped.',
  'ignore:',
  { example: '  - dist/' },
  { example: '  - coverage/' },
  { example: '  - "**/*.generated.ts"' },
  { example: '  - vendor/' },
  '',
  '# overrides: rule settings for some files only; later entries win. A glob without "/"',
  '# matches a file or folder name at any depth.',
  'overrides:',
  { example: '  - files: ["test", "tests", "__tests__", "*.test.ts", "*.spec.ts"]' },
  { example: '    rules:' },
  { example: '      security/no-hardcoded-secrets: note' },
  { example: '      api/structured-errors: "off"' },
  '',
  '# maxFileSize: files larger than this are skipped (bytes, or "512KB", "10MB", "1GB").',
  { example: 'maxFileSize: 10MB' },
  '',
  '# sql: how migrations are read. dialect: postgres, mysql, mariadb or sqlite; by default it',
  "# comes from Prisma's migration_lock.toml, else is guessed from the SQL, else postgres.",
  'sql:',
  { example: '  dialect: postgres' },
  '  # Migration files, if the built-in globs (migrations/, db/, prisma/migrations/, …) miss them:',
  { example: '  migrations: ["db/migrations/*.sql"]' },
];

/** The starter YAML; `examples: true` uncomments the examples (used by tests). */
export function renderInitTemplate(options: { examples?: boolean } = {}): string {
  const lines = TEMPLATE.map((line) => {
    if (typeof line === 'string') return line;
    if (options.examples) return line.example;
    // The '#' sits at the section's indent (0 or 2) so that deleting "# " restores the
    // example's own nesting, and a multi-line example reads as one commented block.
    const column = Math.min(/^ */.exec(line.example)![0].length, 2);
    return `${line.example.slice(0, column)}# ${line.example.slice(column)}`;
  });
  return `${lines.join('\n')}\n`;
}

/** Writes archlint.config.yaml in cwd and returns its path. */
export function initConfig(cwd: string, options: { force?: boolean } = {}): string {
  const dir = path.resolve(cwd);
  const file = path.join(dir, INIT_FILE_NAME);
  if (!options.force && existsSync(file)) {
    throw new UsageError(`${INIT_FILE_NAME} already exists (use --force to overwrite)`);
  }
  // Another config here would be found first and the new file silently ignored.
  const other = CONFIG_FILE_NAMES.find((name) => name !== INIT_FILE_NAME && existsSync(path.join(dir, name)));
  if (other) throw new UsageError(`${other} already configures archlint here; edit it instead`);
  if (packageJsonHasConfig(path.join(dir, 'package.json'))) {
    throw new UsageError('package.json already configures archlint (its "archlint" key); edit it instead');
  }
  // 'wx' closes the gap between the check and the write when not forcing.
  writeFileSync(file, renderInitTemplate(), { encoding: 'utf8', flag: options.force ? 'w' : 'wx' });
  return file;
}
