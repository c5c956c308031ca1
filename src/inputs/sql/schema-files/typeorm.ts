/**
 * TypeORM entities as schema sources: one Schema per (package, dialect), folded from the entity
 * classes like a migration history, so every db/* rule judges them as it judges SQL.
 *
 * Migrations are authoritative: an entity whose table the run's SQL migrations create (TypeORM's
 * own migration classes included — their `queryRunner.query(...)` SQL is read as migrations) is
 * judged there and left out here. Names are compared without case and underscores, so a table is
 * never judged twice because one side spells it `UserProfile` and the other `user_profile`. What
 * the entities add is the tables no migration creates: a project that runs `synchronize`. Where the
 * project has migrations for the engine and no connection may synchronize, the entities add nothing:
 * the history is the schema of record.
 *
 * The engine comes from the project's TypeORM connection options (`type: 'postgres'` in a
 * `DataSource`, `TypeOrmModule.forRoot`, an ormconfig file). When none is found, or several
 * disagree, or the project names tables with its own naming strategy, the entities are not read:
 * archlint cannot know what the database holds, and stays quiet.
 */
import { DIALECTS } from '../../../model/dialects.js';
import { ENGINE_FACTS, type MigrationFile, type Schema, type SqlDialect } from '../../../model/schema.js';
import { isTestFile, judgingRoots } from '../../../model/test-paths.js';
import type { InputEnv } from '../../env.js';
import { foldEvents } from '../fold.js';
import { packageFolders, packageOf } from './packages.js';
import { connectionFacts } from './typeorm-connection.js';
import { entityEvents, tableNameOf } from './typeorm-events.js';
import { readEntityFile, type EntityClass, type NamingOptions } from './typeorm-read.js';

/** A file that imports TypeORM and declares entities or the columns of a base class. */
const TYPEORM_IMPORT = /from\s+['"]typeorm['"]/;
/** Any column decorator (`@CreateDateColumn()` alone makes a base class: vendure's VendureEntity), or a relation. */
const ENTITY_OR_COLUMN = /@(?:Entity|ChildEntity|\w*Column|ManyToOne|OneToOne)\s*\(/;

export async function typeormSchemas(env: InputEnv, migrationSchemas: readonly Schema[]): Promise<Schema[]> {
  const judging = judgingRoots(env.fileSet);
  const candidates = env.fileSet.files.filter((file) => {
    if (file.kind !== 'code' || isTestFile(file, judging)) return false;
    const text = env.text.get(file.path)?.content ?? '';
    return TYPEORM_IMPORT.test(text) && ENTITY_OR_COLUMN.test(text);
  });
  if (candidates.length === 0) return [];
  const packages = packageFolders(env);
  const connections = connectionFacts(env, packages);
  const code = await env.input('code');
  const configured = env.config.config.sql?.dialect ?? undefined;

  const classes: EntityClass[] = [];
  for (const candidate of candidates) {
    const file = code.get(candidate.path);
    if (file) classes.push(...readEntityFile(code.ts, file.path, file.tree));
  }
  const byName = new Map<string, EntityClass[]>();
  for (const cls of classes) byName.set(cls.className, [...(byName.get(cls.className) ?? []), cls]);
  // By name as seen from a file: its own class first, else the one class of that name in its package, else in the run.
  const classOf = (name: string, fromFile: string): EntityClass | undefined => {
    const found = byName.get(name) ?? [];
    const own = found.find((c) => c.file === fromFile);
    if (own) return own;
    const pkg = packageOf(fromFile, packages);
    const inPackage = found.filter((c) => packageOf(c.file, packages) === pkg);
    if (inPackage.length === 1) return inPackage[0];
    return found.length === 1 ? found[0] : undefined;
  };

  const groups = new Map<string, EntityClass[]>();
  for (const cls of classes) {
    if (!cls.entity || cls.document) continue;
    const folder = packageOf(cls.file, packages);
    groups.set(folder, [...(groups.get(folder) ?? []), cls]);
  }

  const schemas: Schema[] = [];
  for (const [folder, entities] of groups) {
    const connection = connections.of(folder);
    // The configuration's `sql.dialect` is the user's say: it picks the engine of a project that
    // supports several (vendure: MySQL by default, PostgreSQL, MariaDB or SQLite as deployed).
    const dialect = configured && !connection.customNaming ? configured : connection.dialect;
    if (dialect === undefined) {
      env.log(`sql: TypeORM entities in ${folder} not read: ${connection.why}`);
      continue;
    }
    // With a migration history for this engine and nothing that lets TypeORM synchronize (its default is
    // off), the history is the schema of record: a table only an entity declares is never created by
    // TypeORM (a dead entity, or a table another program owns). archlint cannot know it exists.
    if (
      !connections.synchronizes &&
      migrationSchemas.some((s) => DIALECTS[s.dialect].family === DIALECTS[dialect].family)
    ) {
      env.log(`sql: TypeORM entities in ${folder} not read: migrations hold the schema and nothing synchronizes`);
      continue;
    }
    const migrated = migratedNames(migrationSchemas, dialect);
    const unmigrated = entities.filter((entity) => !migrated.has(looseName(tableNameOf(entity).name)));
    if (unmigrated.length === 0) continue;
    const naming: NamingOptions = { snakeCase: connection.snakeCase };
    const children = classes.filter((cls) => cls.child && packageOf(cls.file, packages) === folder);
    const events = entityEvents(unmigrated, classOf, naming, children);
    const state = foldEvents(events, dialect);
    const files: MigrationFile[] = [...new Set(unmigrated.map((e) => e.file))].sort().map((path) => {
      const count = unmigrated.filter((e) => e.file === path).length;
      return { path, applied: true, statements: count, parsed: count };
    });
    schemas.push({
      root: folder,
      dialect,
      dialectSource: configured && dialect === configured ? 'config' : 'tool-config',
      declaredBy: 'typeorm',
      files,
      events,
      tables: state.tables,
      table: state.table,
      engine: ENGINE_FACTS[dialect],
    });
  }
  if (schemas.length > 0) env.log(`sql: ${schemas.length} TypeORM schema(s) from ${candidates.length} file(s)`);
  return schemas;
}

/** Tables created by the run's migrations for an engine of this family, compared loosely (case and underscores). */
function migratedNames(schemas: readonly Schema[], dialect: SqlDialect): Set<string> {
  const family = (d: SqlDialect) => DIALECTS[d].family;
  const names = new Set<string>();
  for (const schema of schemas) {
    if (family(schema.dialect) !== family(dialect)) continue;
    for (const table of schema.tables) if (table.declared) names.add(looseName(table.name.name));
  }
  return names;
}

function looseName(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}
