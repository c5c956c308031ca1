/**
 * Dialects that a migration tool's own config states for the folder it writes or reads:
 * - drizzle-kit: `drizzle.config.*` gives `dialect` (or the older `driver`) and `out` (default
 *   `drizzle`), relative to the config's folder;
 * - Flyway / Spring Boot / Liquibase: a JDBC URL (`jdbc:mysql:`, `jdbc:postgresql:`…) in
 *   `flyway.conf`/`flyway.toml`/`application*.{properties,yml,yaml}`/`liquibase.properties` of
 *   the module holding the migrations (a folder above them, up to the module's root);
 * - Prisma: `provider` in the `schema.prisma` beside the `migrations` folder (migration_lock.toml
 *   is read first, in dialect.ts).
 * - Docker Compose: a script (or folder) bind-mounted into a database container is run by its image's
 *   engine (compose-mounts.ts).
 * golang-migrate states no dialect in files of its own: its folders are named for the database
 * (`migrations/postgres`) or sniffed. Weaker than all of these, and than an engine's own marks in the
 * SQL: the database driver the service depends on (driverOf).
 */
import type { TextFile, TextFiles } from '../../model/files.js';
import { dialectOfTag } from '../../model/dialects.js';
import type { SqlDialect } from '../../model/schema.js';
import { composeMounts, mountedDialect } from './compose-mounts.js';
import { join, parentOf } from './tree-paths.js';
import { parseSchemaList } from './search-path.js';

/** A drizzle-kit config file (`drizzle.config.ts`, `.mjs`, `.json`…). */
export const DRIZZLE_CONFIG = /(?:^|\/)drizzle\.config\.(?:[cm]?[jt]s|json)$/;
const JDBC_CONFIG = /(?:^|\/)(?:flyway\.(?:conf|toml)|application[\w.-]*\.(?:properties|ya?ml)|liquibase\.properties)$/;
const DRIZZLE_DIALECT = /\b(?:dialect|driver)\s*:\s*["'`]([\w-]+)["'`]/;
const DRIZZLE_OUT = /\bout\s*:\s*["'`]([^"'`]+)["'`]/;
const JDBC_URL = /\bjdbc:(mysql|mariadb|postgresql|sqlite)\b/gi;
/** `flyway.defaultSchema=x` (flyway.conf), `spring.flyway.default-schema: x` / `default-schema: x` (Spring). */
const FLYWAY_DEFAULT_SCHEMA =
  /(?:flyway\.defaultSchema|flyway\.default-schema|^\s*default-schema)\s*[=:]\s*["']?([\w$"]+)/m;
const FLYWAY_SCHEMAS = /(?:flyway\.schemas|^\s+schemas)\s*[=:]\s*["']?([\w$",]+)/m;
const PRISMA_PROVIDER = /datasource\s+\w+\s*\{[^}]*?\bprovider\s*=\s*"([^"]+)"/;

const DRIZZLE_DIALECTS: Record<string, SqlDialect> = {
  postgresql: 'postgres',
  pg: 'postgres',
  mysql: 'mysql',
  mysql2: 'mysql',
  singlestore: 'mysql',
  sqlite: 'sqlite',
  turso: 'sqlite',
  'better-sqlite': 'sqlite',
  libsql: 'sqlite',
  d1: 'sqlite',
  'd1-http': 'sqlite',
  expo: 'sqlite',
};

/** Database drivers a service depends on at run time → the engine they talk to. */
const DRIVERS: Record<string, SqlDialect> = {
  'better-sqlite3': 'sqlite',
  sqlite3: 'sqlite',
  sqlite: 'sqlite',
  '@libsql/client': 'sqlite',
  'sql.js': 'sqlite',
  mysql: 'mysql',
  mysql2: 'mysql',
  mariadb: 'mysql',
  '@planetscale/database': 'mysql',
  pg: 'postgres',
  postgres: 'postgres',
  'pg-promise': 'postgres',
  '@neondatabase/serverless': 'postgres',
  '@vercel/postgres': 'postgres',
  '@electric-sql/pglite': 'postgres',
};

export interface ToolDialects {
  /** The dialect a tool's config states for a migration history (its root and files), if one does. */
  of(root: string, files: readonly string[]): SqlDialect | undefined;
  /**
   * The search_path a tool sets before running the migrations of a root: Flyway's `defaultSchema`
   * (else the first of `schemas`), which it makes the connection's default schema.
   */
  searchPathOf(root: string): string[] | undefined;
  /**
   * The engine of the drivers in the `dependencies` of the nearest package.json above the root that
   * names any, when they are all one engine's (devDependencies left out: tests often run on SQLite).
   */
  driverOf(root: string): SqlDialect | undefined;
}

export function toolDialects(text: TextFiles): ToolDialects {
  const drizzle = new Map<string, SqlDialect>();
  const jdbc = new Map<string, SqlDialect | null>();
  const flywaySchemas = new Map<string, string[]>();
  const drivers = new Map<string, Set<SqlDialect>>();
  let mounts: Map<string, SqlDialect | null> | undefined;
  for (const file of text.all()) {
    if (file.path === 'package.json' || file.path.endsWith('/package.json')) readDrivers(file, drivers);
    else if (DRIZZLE_CONFIG.test(file.path)) readDrizzle(file, drizzle);
    else if (JDBC_CONFIG.test(file.path)) {
      readJdbc(file, jdbc);
      const schema =
        FLYWAY_DEFAULT_SCHEMA.exec(file.content)?.[1] ?? FLYWAY_SCHEMAS.exec(file.content)?.[1]?.split(',')[0];
      if (schema && !schema.includes('${')) flywaySchemas.set(moduleOf(file.path), parseSchemaList(schema));
    }
  }
  return {
    driverOf(root) {
      for (let folder = root; ; folder = parentOf(folder)) {
        const found = drivers.get(folder);
        if (found) return found.size === 1 ? [...found][0] : undefined;
        if (folder === '.') return undefined;
      }
    },
    searchPathOf(root) {
      for (let folder = parentOf(root); ; folder = parentOf(folder)) {
        const found = flywaySchemas.get(folder);
        if (found) return found;
        if (folder === '.') return undefined;
      }
    },
    of(root, files) {
      for (const [folder, dialect] of drizzle) {
        if (files.length > 0 && files.every((file) => folder === '.' || file.startsWith(`${folder}/`))) return dialect;
      }
      const prisma = /(?:^|\/)migrations$/.test(root) ? text.get(join(parentOf(root), 'schema.prisma')) : undefined;
      const provider = prisma && PRISMA_PROVIDER.exec(prisma.content)?.[1];
      if (provider) return dialectOfTag(provider);
      const mounted = mountedDialect((mounts ??= composeMounts(text)), files);
      if (mounted) return mounted;
      // The nearest folder above the migrations whose tool config names exactly one engine.
      for (let folder = parentOf(root); ; folder = parentOf(folder)) {
        const found = jdbc.get(folder);
        if (found !== undefined) return found ?? undefined;
        if (folder === '.') return undefined;
      }
    },
  };
}

function readDrivers(file: TextFile, out: Map<string, Set<SqlDialect>>): void {
  let dependencies: unknown;
  try {
    dependencies = (JSON.parse(file.content) as { dependencies?: unknown }).dependencies;
  } catch {
    return; // a broken package.json is another input's finding
  }
  if (typeof dependencies !== 'object' || dependencies === null) return;
  const engines = new Set<SqlDialect>();
  for (const name of Object.keys(dependencies)) {
    const engine = DRIVERS[name];
    if (engine) engines.add(engine);
  }
  if (engines.size > 0) out.set(parentOf(file.path), engines);
}

function readDrizzle(file: TextFile, out: Map<string, SqlDialect>): void {
  const dialect = DRIZZLE_DIALECTS[DRIZZLE_DIALECT.exec(file.content)?.[1]?.toLowerCase() ?? ''];
  if (!dialect) return;
  const folder = DRIZZLE_OUT.exec(file.content)?.[1] ?? 'drizzle';
  out.set(join(parentOf(file.path), folder), dialect);
}

/** A module's configs naming two engines (tests on H2 beside production MySQL…) decide nothing: null. */
function readJdbc(file: TextFile, out: Map<string, SqlDialect | null>): void {
  const engines = new Set<SqlDialect>();
  for (const match of file.content.matchAll(JDBC_URL)) {
    const engine = dialectOfTag(match[1]!.toLowerCase());
    if (engine) engines.add(engine);
  }
  if (engines.size === 0) return;
  const folder = moduleOf(file.path);
  const before = out.get(folder);
  const dialect = engines.size === 1 && (before === undefined || before === [...engines][0]) ? [...engines][0]! : null;
  out.set(folder, dialect);
}

/** Spring Boot keeps its config in src/main/resources: the module is the folder above `src`. */
function moduleOf(configPath: string): string {
  return parentOf(configPath).replace(/(?:^|\/)src\/main\/resources$/, '') || '.';
}
