/**
 * Drizzle schema files as schema sources: one Schema per (package, dialect), folded from the
 * table declarations like a migration history, so every db/* rule judges them as it judges SQL.
 *
 * Migrations are authoritative: a table that a SQL migration folder of the same package creates
 * is judged there and left out here (never reported twice). What the Drizzle files add is the
 * tables no migration creates — a project that uses `drizzle-kit push`, or whose migrations stop
 * short of the schema.
 */
import { posix } from 'node:path';
import { ENGINE_FACTS, type MigrationFile, type Schema, type SchemaEvent, type SqlDialect, type TableName } from '../../../model/schema.js';
import { isTestPath } from '../../../model/test-paths.js';
import type { InputEnv } from '../../env.js';
import { foldEvents } from '../fold.js';
import { DRIZZLE_CORE_IMPORT, drizzleEvents, readDrizzleFile, type DrizzleTable } from './read.js';

const DRIZZLE_CONFIG = /(?:^|\/)drizzle\.config\.(?:[cm]?[jt]s|json)$/;
const SNAKE_CASE = /\bcasing\s*:\s*['"]snake_case['"]/;

export async function drizzleSchemas(env: InputEnv, migrationSchemas: readonly Schema[]): Promise<Schema[]> {
  const candidates = env.fileSet.files.filter(
    (file) => file.kind === 'code' && !isTestPath(file.path) && DRIZZLE_CORE_IMPORT.test(env.text.get(file.path)?.content ?? ''),
  );
  if (candidates.length === 0) return [];
  const packages = packageFolders(env);
  const snakeCaseFolders = new Set(
    env.fileSet.files.filter((f) => DRIZZLE_CONFIG.test(f.path) && SNAKE_CASE.test(env.text.get(f.path)?.content ?? '')).map((f) => posix.dirname(f.path)),
  );
  const code = await env.input('code');

  const groups = new Map<string, { folder: string; dialect: SqlDialect; tables: DrizzleTable[]; files: string[] }>();
  for (const candidate of candidates) {
    const file = code.get(candidate.path);
    if (!file) continue;
    const folder = packageOf(candidate.path, packages);
    const tables = readDrizzleFile(code.ts, file.path, file.sourceFile.compilerNode, { snakeCase: snakeCaseFolders.has(folder) });
    for (const table of tables) {
      const key = `${folder}\u0000${table.dialect}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { folder, dialect: table.dialect, tables: [], files: [] }));
      group.tables.push(table);
      if (!group.files.includes(file.path)) group.files.push(file.path);
    }
  }

  const schemas: Schema[] = [];
  for (const group of groups.values()) {
    const byVariable = variableLookup(group.tables);
    const migrated = migratedTables(migrationSchemas, group.folder);
    const tables = group.tables.filter((table) => !migrated.has(tableKey(table.name, group.dialect)));
    if (tables.length === 0) continue;
    const events: SchemaEvent[] = drizzleEvents(tables, byVariable);
    const state = foldEvents(events, group.dialect);
    const files: MigrationFile[] = group.files.sort().map((path) => {
      const count = tables.filter((t) => t.file === path).length;
      return { path, applied: true, statements: count, parsed: count };
    });
    schemas.push({
      root: group.folder,
      dialect: group.dialect,
      dialectSource: 'declaration',
      declaredBy: 'drizzle',
      files,
      events,
      tables: state.tables,
      table: state.table,
      engine: ENGINE_FACTS[group.dialect],
    });
  }
  env.log(`sql: ${schemas.length} Drizzle schema(s) from ${candidates.length} file(s)`);
  return schemas;
}

/** Folders holding a package.json, deepest first. */
function packageFolders(env: InputEnv): string[] {
  return env.fileSet.files
    .filter((f) => f.path === 'package.json' || f.path.endsWith('/package.json'))
    .map((f) => posix.dirname(f.path))
    .sort((a, b) => b.length - a.length);
}

function packageOf(path: string, packages: string[]): string {
  for (const folder of packages) if (folder === '.' || path.startsWith(`${folder}/`)) return folder;
  return '.';
}

/** A table by the variable that holds it: the same file's first, else the one other file that declares it. */
function variableLookup(tables: DrizzleTable[]): (variable: string, file: string) => DrizzleTable | undefined {
  const byName = new Map<string, DrizzleTable[]>();
  for (const table of tables) byName.set(table.variable, [...(byName.get(table.variable) ?? []), table]);
  return (variable, file) => {
    const found = byName.get(variable) ?? [];
    return found.find((t) => t.file === file) ?? (found.length === 1 ? found[0] : undefined);
  };
}

/** Tables the package's SQL migration folders create. */
function migratedTables(schemas: readonly Schema[], folder: string): Set<string> {
  const names = new Set<string>();
  for (const schema of schemas) {
    if (folder !== '.' && schema.root !== folder && !schema.root.startsWith(`${folder}/`)) continue;
    for (const table of schema.tables) if (table.declared) names.add(tableKey(table.name, schema.dialect));
  }
  return names;
}

function tableKey(name: TableName, dialect: SqlDialect): string {
  const key = `${name.schema ?? ''}.${name.name}`;
  return dialect === 'postgres' ? key : key.toLowerCase();
}
