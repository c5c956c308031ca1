/** Prisma schema files of the run, one Schema per folder of `.prisma` files (see prisma.ts). */
import { posix } from 'node:path';
import { ENGINE_FACTS, type MigrationFile, type Schema, type SchemaEvent } from '../../../model/schema.js';
import { isTestFile, judgingRoots } from '../../../model/test-paths.js';
import type { InputEnv } from '../../env.js';
import { foldEvents } from '../fold.js';
import { migratedTables, tableKey } from './packages.js';
import { parsePrismaSchema, type PrismaSchemaFile } from './prisma-parse.js';
import { prismaEvents, providerDialect, schemaFolder } from './prisma.js';

/** Folders where Prisma looks for a schema, or where a multi-file schema lives (`prisma/schema/*.prisma`). */
const SCHEMA_FOLDERS = new Set(['prisma', 'schema', 'schemas']);
/** A `.prisma` file inside one step of a Prisma Migrate history (`<14 digits>_<name>/`). */
const MIGRATION_STEP_FOLDER = /(?:^|\/)migrations\/\d{14}_[^/]+\/[^/]+\.prisma$/;

/**
 * The schema paths a project configures: `"prisma": { "schema": "…" }` in a package.json, or
 * `schema: '…'` in a `prisma.config.ts`; resolved from the folder of the file that says so.
 */
function configuredSchemaPaths(env: InputEnv): Set<string> {
  const paths = new Set<string>();
  for (const file of env.fileSet.files) {
    const base = posix.basename(file.path);
    if (base !== 'package.json' && !/^prisma\.config\.[cm]?[jt]s$/.test(base)) continue;
    const text = env.text.get(file.path)?.content;
    if (!text?.includes('schema')) continue;
    const written =
      base === 'package.json'
        ? /"prisma"\s*:\s*\{[^}]*"schema"\s*:\s*"([^"]+)"/.exec(text)?.[1]
        : /\bschema\s*:\s*['"`]([^'"`]+)['"`]/.exec(text)?.[1];
    if (written) paths.add(posix.normalize(posix.join(posix.dirname(file.path), written)).replace(/\/$/, ''));
  }
  return paths;
}

/**
 * A schema Prisma would deploy: named `schema.prisma`, in a `prisma/` or `schema/` folder, or at a
 * path the project configures. Any other `.prisma` file is a sample or a template the code ships
 * (a third-party schema offered for import, an example) — not this project's database.
 */
function isDeployedSchema(path: string, configured: ReadonlySet<string>): boolean {
  // A copy kept in one migration's folder (`migrations/20230228194553_x/schema.prisma`) is the schema as it
  // was at that step, for a data migration to generate its client from: history, not the database.
  if (MIGRATION_STEP_FOLDER.test(path)) return false;
  if (posix.basename(path) === 'schema.prisma') return true;
  if (
    posix
      .dirname(path)
      .split('/')
      .some((segment) => SCHEMA_FOLDERS.has(segment))
  )
    return true;
  return configured.has(path) || configured.has(posix.dirname(path));
}

/** The deployed Prisma schema files of the run, parsed, by schema folder (a multi-file schema is one folder). */
type PrismaFolders = Map<string, Array<{ path: string; file: PrismaSchemaFile }>>;
/** Read once per run: the schema input builds tables from them and reads the client's names from them. */
const foldersOfRun = new WeakMap<InputEnv, PrismaFolders>();

export function deployedPrismaFolders(env: InputEnv): PrismaFolders {
  const known = foldersOfRun.get(env);
  if (known) return known;
  const folders: PrismaFolders = new Map();
  foldersOfRun.set(env, folders);
  let configured: Set<string> | undefined;
  for (const candidate of env.fileSet.files) {
    if (!candidate.path.endsWith('.prisma') || isTestFile(candidate, judgingRoots(env.fileSet))) continue;
    if (!isDeployedSchema(candidate.path, (configured ??= configuredSchemaPaths(env)))) continue;
    const text = env.text.get(candidate.path);
    if (!text) continue;
    const folder = schemaFolder(candidate.path);
    folders.set(folder, [
      ...(folders.get(folder) ?? []),
      { path: candidate.path, file: parsePrismaSchema(text.content) },
    ]);
  }
  return folders;
}

export function prismaSchemas(env: InputEnv, migrationSchemas: readonly Schema[]): Schema[] {
  const folders = deployedPrismaFolders(env);
  if (folders.size === 0) return [];
  const schemas: Schema[] = [];
  for (const [folder, files] of folders) {
    const dialect = providerDialect(files.find((f) => f.file.provider !== undefined)?.file.provider);
    if (!dialect) continue;
    const migrated = migratedTables(migrationSchemas, dialect);
    const { events: all } = prismaEvents(files, dialect);
    const kept = (event: SchemaEvent): boolean =>
      event.kind === 'create-table'
        ? !migrated.has(tableKey(event.table, dialect))
        : event.kind === 'create-index'
          ? !migrated.has(tableKey(event.index.table, dialect))
          : true;
    const events = all.filter(kept);
    const tableCount = (path: string) =>
      events.filter((e) => e.kind === 'create-table' && e.origin.file === path).length;
    if (!events.some((e) => e.kind === 'create-table')) continue;
    const state = foldEvents(events, dialect);
    const read: MigrationFile[] = files
      .map((f) => f.path)
      .sort()
      .map((path) => ({ path, applied: true, statements: tableCount(path), parsed: tableCount(path) }));
    schemas.push({
      root: folder,
      dialect,
      dialectSource: 'declaration',
      declaredBy: 'prisma',
      generatedBy: 'prisma',
      files: read,
      events,
      tables: state.tables,
      table: state.table,
      engine: ENGINE_FACTS[dialect],
    });
  }
  env.log(`sql: ${schemas.length} Prisma schema(s)`);
  return schemas;
}
