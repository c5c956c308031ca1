/** Where a schema file belongs (its package) and which tables that package's migrations create. */
import { posix } from 'node:path';
import type { Schema, SqlDialect, TableName } from '../../../model/schema.js';
import type { InputEnv } from '../../env.js';

/** Folders holding a package.json, deepest first. */
export function packageFolders(env: InputEnv): string[] {
  return env.fileSet.files
    .filter((f) => f.path === 'package.json' || f.path.endsWith('/package.json'))
    .map((f) => posix.dirname(f.path))
    .sort((a, b) => b.length - a.length);
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
    if (schema.dialect !== dialect && !(isMysqlFamily(schema.dialect) && isMysqlFamily(dialect))) continue;
    for (const table of schema.tables) if (table.declared) names.add(tableKey(table.name, dialect));
  }
  return names;
}

function isMysqlFamily(dialect: SqlDialect): boolean {
  return dialect === 'mysql' || dialect === 'mariadb';
}

export function tableKey(name: TableName, dialect: SqlDialect): string {
  const key = `${name.schema ?? ''}.${name.name}`;
  return dialect === 'postgres' ? key : key.toLowerCase();
}
