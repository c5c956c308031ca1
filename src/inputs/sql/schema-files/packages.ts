/** Where a schema file belongs (its package) and which tables that package's migrations create. */
import { posix } from 'node:path';
import type { Schema, SqlDialect, TableName } from '../../../model/schema.js';
import type { InputEnv } from '../../env.js';
import { DIALECTS } from '../../../model/dialects.js';

/** Folders holding a package.json, deepest first. */
export function packageFolders(env: InputEnv): string[] {
  return env.fileSet.files
    .filter((f) => f.path === 'package.json' || f.path.endsWith('/package.json'))
    .map((f) => posix.dirname(f.path))
    .sort((a, b) => b.length - a.length);
}

/**
 * Build manifests: a folder holding one is a unit that is built and deployed on its own (an npm
 * package, a Go module, a Maven/Gradle project, a crate, a Python/PHP/Ruby/Elixir project).
 */
const BUILD_MANIFEST =
  /(?:^|\/)(?:package\.json|go\.mod|pom\.xml|build\.gradle(?:\.kts)?|Cargo\.toml|pyproject\.toml|setup\.py|composer\.json|Gemfile|mix\.exs)$/;

/** Folders holding a build manifest, deepest first. */
export function buildUnitFolders(env: InputEnv): string[] {
  return [
    ...new Set(env.fileSet.files.filter((f) => BUILD_MANIFEST.test(f.path)).map((f) => posix.dirname(f.path))),
  ].sort((a, b) => b.length - a.length);
}

/** The deepest of `folders` holding `path` (a file or folder), if any. */
export function enclosingFolder(path: string, folders: string[]): string | undefined {
  for (const folder of folders) if (folder === '.' || path === folder || path.startsWith(`${folder}/`)) return folder;
  return undefined;
}

export function packageOf(path: string, packages: string[]): string {
  for (const folder of packages) if (folder === '.' || path.startsWith(`${folder}/`)) return folder;
  return '.';
}

/**
 * Tables that SQL migrations of the run create for an engine of this dialect — in this package or
 * another (a monorepo keeps its migrations in a package of their own, the ORM schema in the app).
 * Migrations are authoritative, so those tables are judged there only.
 */
export function migratedTables(schemas: readonly Schema[], dialect: SqlDialect): Set<string> {
  const names = new Set<string>();
  for (const schema of schemas) {
    if (DIALECTS[schema.dialect].family !== DIALECTS[dialect].family) continue;
    for (const table of schema.tables) if (table.declared) names.add(tableKey(table.name, dialect));
  }
  return names;
}

export function tableKey(name: TableName, dialect: SqlDialect): string {
  // `public.Account` (a Prisma model with `@@schema("public")`) is the migrations' unqualified `Account`.
  const schema = name.schema === DIALECTS[dialect].defaultSchema ? undefined : name.schema;
  const key = `${schema ?? ''}.${name.name}`;
  return DIALECTS[dialect].caselessNames ? key.toLowerCase() : key;
}
