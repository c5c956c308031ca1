/** Prisma schema files of the run, one Schema per folder of `.prisma` files (see prisma.ts). */
import { ENGINE_FACTS, type MigrationFile, type Schema, type SchemaEvent } from '../../../model/schema.js';
import { isTestFile, judgingRoots } from '../../../model/test-paths.js';
import type { InputEnv } from '../../env.js';
import { foldEvents } from '../fold.js';
import { migratedTables, tableKey } from './packages.js';
import { parsePrismaSchema, type PrismaSchemaFile } from './prisma-parse.js';
import { prismaEvents, providerDialect, schemaFolder } from './prisma.js';

export function prismaSchemas(env: InputEnv, migrationSchemas: readonly Schema[]): Schema[] {
  const folders = new Map<string, Array<{ path: string; file: PrismaSchemaFile }>>();
  for (const candidate of env.fileSet.files) {
    if (!candidate.path.endsWith('.prisma') || isTestFile(candidate, judgingRoots(env.fileSet))) continue;
    const text = env.text.get(candidate.path);
    if (!text) continue;
    const folder = schemaFolder(candidate.path);
    folders.set(folder, [...(folders.get(folder) ?? []), { path: candidate.path, file: parsePrismaSchema(text.content) }]);
  }
  if (folders.size === 0) return [];
  const schemas: Schema[] = [];
  for (const [folder, files] of folders) {
    const dialect = providerDialect(files.find((f) => f.file.provider !== undefined)?.file.provider);
    if (!dialect) continue;
    const migrated = migratedTables(migrationSchemas, dialect);
    const { events: all } = prismaEvents(files, dialect);
    const kept = (event: SchemaEvent): boolean =>
      event.kind === 'create-table' ? !migrated.has(tableKey(event.table, dialect)) : event.kind === 'create-index' ? !migrated.has(tableKey(event.index.table, dialect)) : true;
    const events = all.filter(kept);
    const tableCount = (path: string) => events.filter((e) => e.kind === 'create-table' && e.origin.file === path).length;
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
