/**
 * Which SQL files form which migration history, and in what order they apply.
 *
 * Root: the nearest ancestor folder named `migrations`/`migration`/`migrate` (Prisma, Flyway
 * `db/migration`, golang-migrate, Rails `db/migrate`), else the nearest `db`, else the file's folder
 * with version-like folders (`v1.14`, `3.3.0_schema`), `versioned`/`upgrade` and dialect-named
 * folders peeled off, so `schema.sql` and `versioned/v1.2/x.sql` are one history. Files under one
 * root are one schema; independent roots (one per service) are independent schemas, and so are
 * sibling folders under one root that each number their files from the start (see independentHistories).
 *
 * Order: files with no version first (a base `schema.sql`), then by the version numbers in their
 * path (`V<n>__` Flyway, timestamps, `0001_`, `v1.14/`, compared as numbers; else a step number closing
 * the file name, `_upgrade_users_32.sql`), then by path.
 * `*.down.sql` (and Flyway `U<n>__`, Postgrator `<n>.undo.<name>.sql` undo) files are read for parse errors but
 * left out of the state.
 *
 * Test folders (`test/`, `__tests__/`, `fixtures/`, `src/test/resources/db/migration`…) below a lint
 * root hold copies of a schema for tests (often of another product's schema the tests need), not a
 * service's history: they are left out, unless `sql.migrations` globs name the files explicitly. A
 * lint root that is itself inside a test folder is judged as given.
 */
import picomatch from 'picomatch';
import { isAbsolute, relative, sep } from 'node:path';
import type { DiscoveredFile } from '../../model/files.js';
import { dialectOfTag, engineOfTag } from '../../model/dialects.js';
import type { SqlDialect } from '../../model/schema.js';

export interface MigrationEntry {
  file: DiscoveredFile;
  /** Version numbers along the path (`[1, 14]` for `v1.14/x.sql`); empty when none. */
  version: string[];
  /** As written, for the model (`20240101120000`, `1.14`). */
  versionText?: string;
  applied: boolean;
  /** Dialect named in the file name (`x.postgres.up.sql`). */
  dialectTag?: string;
  /**
   * Dialect named by a folder on the way to the file (`migrations/mysql/001.sql`), the one nearest
   * the file, or pinned by a `sql.dialects` glob (which wins): files under one root whose folders
   * name different dialects are one history per dialect.
   */
  folderDialect?: SqlDialect;
  /**
   * The engine that folder names, for splitting a root: `cockroachdb/` and `postgres/` (or
   * `planetscale/` and `mysql/`) share a grammar but are two histories. The dialect when a glob pinned it.
   */
  folderEngine?: string;
  /** `config` when a `sql.dialects` glob gave folderDialect, `path` when a folder name did. */
  folderDialectSource?: 'config' | 'path';
}

export interface MigrationSet {
  root: string;
  /** Set when one root holds migrations for several dialects, one set each. */
  variant?: string;
  /**
   * The variant's dialect when folders (or `sql.dialects` globs) split the root, and which of them did;
   * `branch` when migration classes branching on the connection's type did (index.ts).
   */
  folderDialect?: { dialect: SqlDialect; source: 'config' | 'path' | 'branch' };
  entries: MigrationEntry[];
}

const ROOT_NAMES = /^(?:migrations?|migrate)$/i;
const DB_NAME = /^db$/i;
const VERSION_DIR = /^v?\d+(?:[._-]\d+)*(?:[._-].*)?$/i;
const TRANSPARENT_DIRS =
  /^(?:versioned|versions|upgrade|upgrades|up|schema|schemas|postgres|postgresql|pg|pgsql|mysql|mariadb|planetscale|sqlite3?|cockroach(?:db)?)$/i;
/** A step number at the end of a file name, after a separator: `_upgrade_x_32.sql`, `patch-7.up.sql`. */
const TRAILING_VERSION = /[._-](\d+)(?:\.[A-Za-z0-9]+)*\.sql$/i;
const DIALECT_TAG = /\.(postgres|postgresql|pg|cockroach|cockroachdb|mysql|mariadb|sqlite3?)(?=\.)/i;
/** Folders of tests and their data; compared by whole segment, below the lint root. */
const TEST_DIR =
  /^(?:__)?(?:tests?|specs?|fixtures?|mocks?)(?:__)?$|^(?:testdata|test[-_]data|e2e|e2e[-_]tests?|integration[-_]tests?)$/i;
// Postgrator names its pairs `0166.do.add_x.sql` / `0166.undo.add_x.sql`: the undo half is a down migration.
const DOWN_FILE = /(?:[._-]down\.sql|^U\d+(?:[._]\d+)*__.*\.sql|^\d+\.undo\.[^/]*\.sql)$/i;

export interface MigrationOptions {
  /** `sql.migrations` globs from config, relative to `baseDir`. */
  globs?: string[];
  baseDir: string;
  cwd: string;
  /** Absolute paths of the lint roots: the test folders judged are those below them. */
  roots?: readonly string[];
  /** `sql.dialects` from config: globs (relative to `baseDir`) → the dialect of the files they match. */
  pinned?: Readonly<Record<string, SqlDialect>>;
  /** `sql.dialect` from config: one dialect for every file no `sql.dialects` glob pins, so folder names do not split roots. */
  dialect?: SqlDialect;
}

export function findMigrationSets(files: DiscoveredFile[], options: MigrationOptions): MigrationSet[] {
  const matches = options.globs && options.globs.length > 0 ? picomatch(options.globs, { dot: true }) : undefined;
  const pinnedDialect = pinnedDialects(options.pinned);
  const byRoot = new Map<string, MigrationEntry[]>();
  // The root depends on the folder alone, and a folder often holds hundreds of migrations.
  const rootOfFolder = new Map<string, string>();
  for (const file of files) {
    if (file.kind !== 'sql') continue;
    if (matches && !matches(relative(options.baseDir, file.absPath).split(sep).join('/'))) continue;
    if (!matches && inTestFolder(file, options.roots ?? [])) continue;
    const folder = file.path.slice(0, file.path.lastIndexOf('/') + 1);
    let root = rootOfFolder.get(folder);
    if (root === undefined) rootOfFolder.set(folder, (root = rootOf(file.path)));
    const entry = entryFor(file, root);
    const pinned = pinnedDialect(relative(options.baseDir, file.absPath).split(sep).join('/'));
    const engineNamed = pinned || options.dialect ? undefined : engineFolder(file.path);
    const named = pinned ?? engineNamed?.dialect;
    if (named) {
      entry.folderDialect = named;
      entry.folderEngine = engineNamed?.engine ?? named;
      entry.folderDialectSource = pinned ? 'config' : 'path';
    }
    const list = byRoot.get(root);
    if (list) list.push(entry);
    else byRoot.set(root, [entry]);
  }
  const sets: MigrationSet[] = [];
  const histories = [...byRoot].flatMap(([root, entries]) => independentHistories(root, entries));
  for (const [root, entries] of histories.sort(([a], [b]) => compareText(a, b))) {
    entries.sort(compareEntries);
    upgradesBesideSnapshots(entries);
    // Sibling folders per dialect under one root (`migrations/postgres/`, `migrations/mysql/`):
    // one history per dialect, each parsed with its own grammar; files in no such folder belong
    // to each of them.
    const folderEngines = [
      ...new Set(entries.flatMap((entry) => (entry.folderEngine ? [entry.folderEngine] : []))),
    ].sort();
    if (folderEngines.length > 1) {
      for (const engine of folderEngines) {
        const own = entries.filter((entry) => entry.folderEngine === undefined || entry.folderEngine === engine);
        const dialect = own.find((entry) => entry.folderEngine === engine)!.folderDialect!;
        const source = own.some((entry) => entry.folderDialectSource === 'config') ? 'config' : 'path';
        sets.push({ root, variant: engine, folderDialect: { dialect, source }, entries: own });
      }
      continue;
    }
    const tags = [...new Set(entries.flatMap((entry) => (entry.dialectTag ? [entry.dialectTag] : [])))].sort();
    if (tags.length <= 1) {
      // `waline.sql` beside `waline.sqlite.sql`: one schema written for two engines. The untagged twin is
      // the other engine's, so it is not read in the tagged file's grammar: a history of its own.
      const twins = tags.length === 1 ? untaggedTwins(entries) : [];
      if (twins.length === 0) sets.push({ root, entries });
      else {
        sets.push({ root, variant: tags[0], entries: entries.filter((entry) => !twins.includes(entry)) });
        sets.push({ root, entries: twins });
      }
      continue;
    }
    // One folder, several dialects (`x.postgres.up.sql` next to `x.mysql.up.sql`): one history each;
    // untagged files apply to all of them.
    for (const tag of tags) {
      sets.push({
        root,
        variant: tag,
        entries: entries.filter((entry) => entry.dialectTag === undefined || entry.dialectTag === tag),
      });
    }
  }
  return sets;
}

/**
 * Sibling folders under one root that each number their migrations from the start
 * (`migrations/tenant/0001-…` beside `migrations/multitenant/0001-…`) are histories of different
 * databases (or alternatives for one), not one history: a history has one file per version, so two
 * folders holding the same version number cannot be steps of one sequence. Each such folder becomes a
 * root of its own; files directly in the root, in version-named folders (`v1.2/`, Prisma's
 * `20240101_init/`) or in dialect and other transparent folders stay in the root's history.
 */
function independentHistories(root: string, entries: MigrationEntry[]): Array<[string, MigrationEntry[]]> {
  const folderOf = (entry: MigrationEntry): string | undefined => {
    const rel = root === '.' ? entry.file.path : entry.file.path.slice(root.length + 1);
    const slash = rel.indexOf('/');
    if (slash < 0) return undefined;
    const folder = rel.slice(0, slash);
    return VERSION_DIR.test(folder) || TRANSPARENT_DIRS.test(folder) || folder === '..' ? undefined : folder;
  };
  const foldersOfVersion = new Map<string, Set<string>>();
  for (const entry of entries) {
    const folder = folderOf(entry);
    if (folder === undefined || entry.version.length === 0) continue;
    const version = entry.version.join('.');
    let folders = foldersOfVersion.get(version);
    if (!folders) foldersOfVersion.set(version, (folders = new Set()));
    folders.add(folder);
  }
  const own = new Set<string>();
  for (const folders of foldersOfVersion.values()) if (folders.size > 1) for (const folder of folders) own.add(folder);
  if (own.size === 0) return [[root, entries]];
  const byHistory = new Map<string, MigrationEntry[]>();
  for (const entry of entries) {
    const folder = folderOf(entry);
    const history = folder !== undefined && own.has(folder) ? `${root === '.' ? '' : `${root}/`}${folder}` : root;
    const list = byHistory.get(history);
    if (list) list.push(entry);
    else byHistory.set(history, [entry]);
  }
  return [...byHistory];
}

/** Untagged files named like a tagged one without its tag (`x.sql` for `x.sqlite.sql`), in the same folder. */
function untaggedTwins(entries: MigrationEntry[]): MigrationEntry[] {
  const untaggedNames = new Set(
    entries.flatMap((entry) => (entry.dialectTag ? [entry.file.path.replace(DIALECT_TAG, '').toLowerCase()] : [])),
  );
  return entries.filter((entry) => entry.dialectTag === undefined && untaggedNames.has(entry.file.path.toLowerCase()));
}

/** `LATEST.sql`: the whole schema as of the newest version, which a fresh install runs instead of the upgrades. */
const SNAPSHOT_FILE = /^latest\.sql$/i;

/**
 * A folder holding `LATEST.sql` beside versioned upgrades (memos' `sqlite/LATEST.sql` next to
 * `sqlite/0.22/00__x.sql`): a fresh database runs the snapshot alone, an old one the upgrades from
 * its version on, and both end in the snapshot's schema. The snapshot is the state; the upgrades of
 * its folder are parsed for errors but not applied (applying them on top of it would re-create,
 * re-rename and re-drop what it already holds).
 */
function upgradesBesideSnapshots(entries: MigrationEntry[]): void {
  const folderOf = (path: string) => path.slice(0, path.lastIndexOf('/') + 1);
  const snapshots = new Set(
    entries
      .filter((e) => e.version.length === 0 && SNAPSHOT_FILE.test(e.file.path.slice(e.file.path.lastIndexOf('/') + 1)))
      .map((e) => folderOf(e.file.path)),
  );
  if (snapshots.size === 0) return;
  for (const entry of entries)
    if (entry.version.length > 0 && [...snapshots].some((folder) => entry.file.path.startsWith(folder)))
      entry.applied = false;
}

/** The file lies in a test folder below the lint root holding it (or below the current directory, when no root is known to hold it). */
export function inTestFolder(file: DiscoveredFile, roots: readonly string[]): boolean {
  let below: string | undefined;
  for (const root of roots) {
    // Roots and discovered paths are absolute and normalized: a prefix test is path.relative's
    // answer for a file below the root, at a fraction of its cost (it runs for every file × root).
    const prefix = root.endsWith(sep) ? root : `${root}${sep}`;
    let rel: string;
    if (file.absPath.startsWith(prefix)) rel = file.absPath.slice(prefix.length);
    else if (file.absPath === root) rel = '';
    else if (
      isAbsolute(root) &&
      isAbsolute(file.absPath) &&
      !root.includes(`${sep}..`) &&
      !file.absPath.includes(`${sep}..`)
    )
      continue;
    else {
      rel = relative(root, file.absPath);
      if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) continue;
    }
    if (below === undefined || rel.length < below.length) below = rel.split(sep).join('/');
  }
  const folders = (below ?? file.path).split('/').slice(0, -1);
  return folders.some((folder) => folder !== '..' && TEST_DIR.test(folder));
}

/** Re-exported: the names that spell a dialect are part of the dialect records. */
export { dialectOfTag };

const FOLDER_DIALECT = /^(postgres|postgresql|pg|pgsql|cockroach|cockroachdb|mysql|mariadb|planetscale|sqlite3?)$/i;

/** The engine (`cockroachdb`, `planetscale`, `postgres`…) and dialect named by the folder nearest the file. */
function engineFolder(path: string): { engine: string; dialect: SqlDialect } | undefined {
  const dirs = path.split('/').slice(0, -1);
  for (let i = dirs.length - 1; i >= 0; i--) {
    const match = FOLDER_DIALECT.exec(dirs[i]!);
    if (!match) continue;
    const tag = match[1]!.toLowerCase().replace('pgsql', 'pg');
    const dialect = dialectOfTag(tag);
    const engine = engineOfTag(tag);
    if (!dialect || !engine) continue;
    return { engine, dialect };
  }
  return undefined;
}

/** The first `sql.dialects` glob matching a path decides its dialect. */
function pinnedDialects(
  pinned: Readonly<Record<string, SqlDialect>> | undefined,
): (path: string) => SqlDialect | undefined {
  const matchers = Object.entries(pinned ?? {}).map(([glob, dialect]) => ({
    matches: picomatch(glob, { dot: true }),
    dialect,
  }));
  if (matchers.length === 0) return () => undefined;
  return (path) => matchers.find((matcher) => matcher.matches(path))?.dialect;
}

export function rootOf(path: string): string {
  const dirs = path.split('/').slice(0, -1);
  for (const names of [ROOT_NAMES, DB_NAME]) {
    for (let i = dirs.length - 1; i >= 0; i--) {
      if (dirs[i] !== '..' && names.test(dirs[i]!)) return dirs.slice(0, i + 1).join('/');
    }
  }
  let end = dirs.length;
  while (
    end > 0 &&
    dirs[end - 1] !== '..' &&
    (VERSION_DIR.test(dirs[end - 1]!) || TRANSPARENT_DIRS.test(dirs[end - 1]!))
  )
    end--;
  return end === 0 ? '.' : dirs.slice(0, end).join('/');
}

function entryFor(file: DiscoveredFile, root: string): MigrationEntry {
  const rel = root === '.' ? file.path : file.path.slice(root.length + 1);
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  const version: string[] = [];
  const written: string[] = [];
  for (const segment of rel.split('/')) {
    const match = /^[VU]?(\d+(?:[._]\d+)*)(?=[._-]|$)/i.exec(segment) ?? /^v(\d+(?:[._]\d+)*)/i.exec(segment);
    if (!match) continue;
    written.push(match[1]!);
    version.push(...match[1]!.split(/[._]/).map((n) => n.replace(/^0+(?=\d)/, '')));
  }
  // No leading version anywhere: a number closing the file name numbers the step (`_upgrade_users_32.sql`,
  // `patch-7.sql`, `upgrade_12.up.sql`), compared as a number so step 32 applies after step 9.
  const closing = version.length === 0 ? TRAILING_VERSION.exec(name) : null;
  if (closing) {
    written.push(closing[1]!);
    version.push(closing[1]!.replace(/^0+(?=\d)/, ''));
  }
  const tag = DIALECT_TAG.exec(name)?.[1]?.toLowerCase();
  return {
    file,
    version,
    ...(written.length > 0 ? { versionText: written.join('/') } : {}),
    applied: !DOWN_FILE.test(name),
    ...(tag ? { dialectTag: tag } : {}),
  };
}

function compareEntries(a: MigrationEntry, b: MigrationEntry): number {
  if (a.version.length === 0 || b.version.length === 0) {
    if (a.version.length !== b.version.length) return a.version.length === 0 ? -1 : 1;
  }
  for (let i = 0; i < Math.min(a.version.length, b.version.length); i++) {
    const x = a.version[i]!;
    const y = b.version[i]!;
    if (x.length !== y.length) return x.length - y.length;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.version.length - b.version.length || compareText(a.file.path, b.file.path);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
