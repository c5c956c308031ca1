/**
 * The dialect of one migration history: sibling dialect folders that split a root (or `sql.dialects`
 * globs), else config `sql.dialect`, else Prisma's `migration_lock.toml`, else a migration tool's
 * config (tool-config.ts; for TypeORM migration classes, their connection's `type`: ts-migrations.ts), else a dialect named in the file names (`x.mysql.up.sql`) or folders (`db/mysql/migrations`),
 * else the content (`ENGINE=`, `AUTO_INCREMENT`, `ON DUPLICATE KEY UPDATE`, a `USE db;` statement outside
 * comments and strings mean MySQL; then `AUTOINCREMENT` or `PRAGMA` SQLite), else the database driver the
 * nearest package.json depends on (one engine's only), else backquoted identifiers (MySQL), else PostgreSQL.
 */
import type { TextFiles } from '../../model/files.js';
import type { DialectSource, SqlDialect } from '../../model/schema.js';
import { dialectOfTag, type MigrationSet } from './migrations.js';
import { toolDialects, type ToolDialects } from './tool-config.js';

export interface DialectChoice {
  dialect: SqlDialect;
  source: DialectSource;
}

const PRISMA_PROVIDER = /^\s*provider\s*=\s*"([^"]+)"/m;
const PATH_DIALECT = /^(postgres|postgresql|pg|pgsql|cockroach|cockroachdb|mysql|mariadb|planetscale|sqlite3?)$/i;
const COMMENTS_AND_STRINGS =
  /--[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|\$\$[\s\S]*?\$\$/g;
// `ON DUPLICATE KEY UPDATE` and a `USE db;` statement are MySQL's own (PostgreSQL has neither): seed and
// fixture scripts that create no table often have no other marker.
const MYSQL_MARKERS = /\bENGINE\s*=|\bAUTO_INCREMENT\b|\bON\s+DUPLICATE\s+KEY\s+UPDATE\b|^\s*USE\s+\w+\s*;/im;
// SQLite's own spellings: AUTOINCREMENT (MySQL writes AUTO_INCREMENT) and PRAGMA. Backquotes are SQLite's
// too (it accepts MySQL's quoting), so they decide only when neither engine left its own mark.
const SQLITE_MARKERS = /\bAUTOINCREMENT\b|^\s*PRAGMA\s/im;
const BACKQUOTE = /`/;

export function chooseDialect(
  set: MigrationSet,
  configured: SqlDialect | undefined,
  text: TextFiles,
  tools: ToolDialects = toolDialects(text),
  /** The SQL of a migration (a migration class's strings, see ts-migrations.ts), when not its whole text. */
  sqlOf: (path: string) => string | undefined = (path) => text.get(path)?.content,
): DialectChoice {
  // Folders (or `sql.dialects` globs) that split one root into a history per dialect decide first.
  if (set.folderDialect) return { dialect: set.folderDialect.dialect, source: set.folderDialect.source };
  const pinned = new Set(
    set.entries.map((entry) => (entry.folderDialectSource === 'config' ? entry.folderDialect : undefined)),
  );
  if (pinned.size === 1 && !pinned.has(undefined)) return { dialect: [...pinned][0]!, source: 'config' };
  if (configured) return { dialect: configured, source: 'config' };

  const lock = text.get(set.root === '.' ? 'migration_lock.toml' : `${set.root}/migration_lock.toml`);
  const provider = lock && PRISMA_PROVIDER.exec(lock.content)?.[1];
  const fromPrisma = dialectOfTag(provider);
  if (fromPrisma) return { dialect: fromPrisma, source: 'prisma-lock' };

  const fromTool = tools.of(
    set.root,
    set.entries.map((entry) => entry.file.path),
  );
  if (fromTool) return { dialect: fromTool, source: 'tool-config' };

  const tags = new Set(set.entries.flatMap((entry) => (entry.dialectTag ? [dialectOfTag(entry.dialectTag)] : [])));
  const tagged = set.variant ? dialectOfTag(set.variant) : tags.size === 1 ? [...tags][0] : undefined;
  if (tagged) return { dialect: tagged, source: 'file-name' };

  const inPath = pathDialect(set);
  if (inPath) return { dialect: inPath, source: 'path' };

  const contents = set.entries.map((entry) => sqlOf(entry.file.path));
  const has = (marker: RegExp) =>
    contents.some(
      (content) =>
        content !== undefined && marker.test(content) && marker.test(content.replace(COMMENTS_AND_STRINGS, ' ')),
    );
  if (has(MYSQL_MARKERS)) return { dialect: 'mysql', source: 'content' };
  if (has(SQLITE_MARKERS)) return { dialect: 'sqlite', source: 'content' };
  const fromDriver = tools.driverOf(set.root);
  if (fromDriver) return { dialect: fromDriver, source: 'package-driver' };
  if (has(BACKQUOTE)) return { dialect: 'mysql', source: 'content' };
  return { dialect: 'postgres', source: 'default' };
}

/** A dialect named by a folder on the way to the files (`schema/mysql/v8/…`, `db/postgres/migrations`), when they all agree. */
function pathDialect(set: MigrationSet): SqlDialect | undefined {
  const found = new Set<SqlDialect>();
  for (const entry of set.entries) {
    for (const segment of [lintRootName(entry.file), ...entry.file.path.split('/').slice(0, -1)]) {
      const match = PATH_DIALECT.exec(segment);
      const dialect = match ? dialectOfTag(match[1]!.toLowerCase().replace('pgsql', 'pg')) : undefined;
      if (dialect) found.add(dialect);
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/**
 * The name of the folder linted, which a file's path (relative to it) leaves out: `archlint lint
 * migrations/sqlite` names the dialect as `archlint lint migrations` does. Folders above it are not
 * read (a checkout's parents are the machine's, not the project's).
 */
function lintRootName(file: { path: string; absPath: string }): string {
  const abs = file.absPath.replace(/\\/g, '/');
  if (!abs.endsWith(`/${file.path}`)) return '';
  const root = abs.slice(0, abs.length - file.path.length - 1);
  return root.slice(root.lastIndexOf('/') + 1);
}
