/**
 * SQL written for engines archlint does not model — ClickHouse analytics tables kept beside the
 * service's PostgreSQL/MySQL migrations — is recognised and left out, rather than read with a
 * grammar it was not written for (which reported every statement as a parse error and folded
 * phantom tables). A file belongs to ClickHouse when the folder nearest it that names an engine
 * is `clickhouse` (or, with no such folder, its own name has the word), or when it or a file beside it
 * has ClickHouse's own SQL (CLICKHOUSE_MARKERS); to SQL Server or Oracle when that folder is `mssql`/`sqlserver`/`oracle` (TypeORM projects keep a
 * migration folder per engine they support).
 */
import type { TextFiles } from '../../model/files.js';
import type { MigrationSet } from './migrations.js';

const ENGINE_FOLDER =
  /^(clickhouse|mssql|sqlserver|oracle|postgres|postgresql|pg|pgsql|cockroach|cockroachdb|mysql|mariadb|planetscale|sqlite3?)$/i;
/** Folder names of engines archlint does not model → the engine's name in the note. */
const OTHER_ENGINES: Readonly<Record<string, string>> = {
  clickhouse: 'ClickHouse',
  mssql: 'SQL Server',
  sqlserver: 'SQL Server',
  oracle: 'Oracle',
};
/**
 * What only ClickHouse's SQL has: its table engines, its type constructors and sized integer types,
 * `ON CLUSTER`. A file that has any is ClickHouse's, and so are the files beside it (a `ch/` folder's
 * down migrations are plain `ALTER TABLE … DROP COLUMN` without a mark of their own).
 */
const CLICKHOUSE_MARKERS =
  /\bENGINE\s*=\s*(?:Replicated|Shared)?(?:\w*MergeTree|Distributed|Kafka|Buffer|TimeSeries)\b|\bON\s+CLUSTER\b/i;
/**
 * Its types, as ClickHouse spells them: case matters (PostgreSQL's `int8` is another type, so no Int8;
 * a migration class's `nullable (` is code).
 */
const CLICKHOUSE_TYPES =
  /\b(?:UInt(?:8|16|32|64|128|256)|Int(?:16|32|64|128|256))\b|\b(?:LowCardinality|DateTime64|Nullable)\(/;
/** Types are looked for in `.sql` files only: a migration class's text is code around its SQL. */
const isClickHouse = (path: string, sql: string) =>
  CLICKHOUSE_MARKERS.test(sql) || (path.endsWith('.sql') && CLICKHOUSE_TYPES.test(sql));

export interface OtherEngineFolder {
  /** The `clickhouse` folder, or the history's root for files known by content. */
  path: string;
  engine: string;
  files: string[];
}

/** The sets without ClickHouse files (a set left empty is dropped), and the folders left out. */
export function withoutOtherEngines(
  sets: MigrationSet[],
  text: TextFiles,
): { sets: MigrationSet[]; skipped: OtherEngineFolder[] } {
  const skipped = new Map<string, OtherEngineFolder>();
  const kept: MigrationSet[] = [];
  for (const set of sets) {
    const clickhouseFolders = new Set(
      set.entries
        .filter((entry) => isClickHouse(entry.file.path, withoutComments(text.get(entry.file.path)?.content ?? '')))
        .map((entry) => folderOf(entry.file.path)),
    );
    const entries = set.entries.filter((entry) => {
      const other =
        otherEngineFolder(entry.file.path, withoutComments(text.get(entry.file.path)?.content ?? '')) ??
        (clickhouseFolders.has(folderOf(entry.file.path)) ? { folder: set.root, engine: 'ClickHouse' } : undefined);
      if (other === undefined) return true;
      const folder = other.folder;
      const group = skipped.get(folder) ?? { path: folder, engine: other.engine, files: [] };
      if (!group.files.includes(entry.file.path)) group.files.push(entry.file.path);
      skipped.set(folder, group);
      return false;
    });
    if (entries.length > 0) kept.push({ ...set, entries });
  }
  return { sets: kept, skipped: [...skipped.values()] };
}

function folderOf(path: string): string {
  return path.slice(0, Math.max(path.lastIndexOf('/'), 0));
}

/** SQL without its comments, so a remark about `UInt64` in another engine's file marks nothing. */
function withoutComments(sql: string): string {
  return sql.includes('--') || sql.includes('/*') ? sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ') : sql;
}

/**
 * The folder nearest the file that names an engine, when that engine is one archlint does not model;
 * with no such folder, the file's own name (`clickhouse-local-admin.sql`, `init_clickhouse.sql` beside
 * a service's MySQL seeds: a name that says which server runs the file) — for SQL Server and Oracle
 * only when the file's SQL is theirs as well.
 */
function otherEngineFolder(path: string, sql: string): { folder: string; engine: string } | undefined {
  const dirs = path.split('/').slice(0, -1);
  for (let i = dirs.length - 1; i >= 0; i--) {
    const match = ENGINE_FOLDER.exec(dirs[i]!);
    if (!match) continue;
    const engine = OTHER_ENGINES[match[1]!.toLowerCase()];
    return engine ? { folder: dirs.slice(0, i + 1).join('/'), engine } : undefined;
  }
  const base = path.slice(path.lastIndexOf('/') + 1).replace(/\.sql$/i, '');
  for (const word of base.split(/[-_.\s]+/)) {
    const engine = OTHER_ENGINES[word.toLowerCase()];
    // A name can also tell what a migration adds (`patch-add-sqlserver-monitor.sql`: columns for a
    // monitor of SQL Servers, in the app's own SQLite): for SQL Server and Oracle the file's SQL must
    // be theirs too.
    if (engine && (engine === 'ClickHouse' || OWN_SQL[engine]!.test(sql)))
      return { folder: dirs.join('/') || '.', engine };
  }
  return undefined;
}

/** What only SQL Server's or Oracle's SQL has: a `GO` batch line, `dbo.`, `NVARCHAR(MAX)`, `IDENTITY(`, `sp_` procedures; `NUMBER(`, `SYSDATE`, `VARCHAR2`, PL/SQL's `/` line. */
const OWN_SQL: Readonly<Record<string, RegExp>> = {
  'SQL Server': /^\s*GO\s*$|\[?dbo\]?\.|\bN?VARCHAR\s*\(\s*MAX\s*\)|\bIDENTITY\s*\(|\bEXEC(?:UTE)?\s+sp_/im,
  Oracle: /\bNUMBER\s*\(|\bSYSDATE\b|\bVARCHAR2\b|^\s*\/\s*$/im,
};
