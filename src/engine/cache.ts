/**
 * `--cache`: reuse the findings of the previous run when nothing they depend on changed.
 *
 * One entry per current directory + paths (both relative to the repository root), keyed by a sha256 of the archlint version, the
 * effective settings (config, --rule, --only), the rule ids that run, and every discovered file's
 * path, size and content hash. Files read outside discovery (an OpenAPI `$ref` target when only
 * the root was named) are recorded with their hashes and checked before reuse. When anything
 * changed, the run is redone, except that file-scoped rules reuse what they found in each unchanged
 * file (file-cache.ts): only they are known not to look across files.
 * A missing, corrupt or unwritable cache never fails the run: it is just a miss.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { FileSet, TextFiles } from '../model/files.js';
import { SEVERITIES, type Finding } from '../model/finding.js';
import { packageInfo } from '../version.js';
import { writeWhole } from '../util/write-whole.js';
import { FileResultStore } from './file-cache.js';
import { isRuntimeManifest } from '../inputs/code/runtime.js';

/** Bumped when the entry's layout or what the key covers changes. */
const ENTRY_FORMAT = 2;

export interface RunCacheOptions {
  /** Absolute folder holding the entries. */
  dir: string;
  cwd: string;
  /** The folder entries are relative to (the repository root): keys hold no absolute path. */
  home: string;
  paths: readonly string[];
  /** Everything besides the files that the findings depend on: loaded config, --rule, --only. */
  settings: unknown;
  log?: (message: string) => void;
}

/** What a reused run restores: the complete findings (before baseline and changed-lines filters). */
export interface CachedFindings {
  findings: Finding[];
  suppressed: number;
}

interface ExtraFile {
  path: string;
  /** Where it was read, relative to the cache's `home` (entries hold no absolute path). */
  at: string;
  /** Content hash, or null when it was binary or unreadable. */
  hash: string | null;
}

interface Entry extends CachedFindings {
  format: number;
  key: string;
  extras: ExtraFile[];
}

export class RunCache {
  /** Where this cwd + paths keeps its one entry… */
  readonly file: string;
  /** …and the per-file results of the file-scoped rules. */
  private readonly filesFile: string;
  private key: string | undefined;
  private text: TextFiles | undefined;
  private discovered = new Set<string>();
  /** Files read outside discovery during this run: path → absolute path. */
  private readonly extras = new Map<string, string>();
  /** Content hash of each discovered file, computed once for the key. */
  private readonly hashes = new Map<string, string | null>();
  private files: { store: FileResultStore; paths: string[] } | undefined;

  /**
   * The current directory and the paths as seen from `home`. Keys hold no absolute path, so a
   * checkout moved or restored elsewhere (a CI cache at another workspace path, with
   * `--cache-location`) finds its entries.
   */
  private readonly where: { cwd: string; paths: string[]; of: (absPath: string) => string };

  constructor(private readonly options: RunCacheOptions) {
    const of = (absPath: string) => relative(options.home, absPath).split(sep).join('/') || '.';
    this.where = { cwd: of(options.cwd), paths: options.paths.map((p) => of(resolve(options.cwd, p))), of };
    const name = sha256(JSON.stringify([this.where.cwd, ...this.where.paths])).slice(0, 32);
    this.file = join(options.dir, `run-${name}.json`);
    this.filesFile = join(options.dir, `files-${name}.json`);
  }

  /** The run's text access, watched for files read outside discovery. */
  watch(text: TextFiles): TextFiles {
    this.text = text;
    return {
      get: (path) => text.get(path),
      all: () => text.all(),
      each: () => text.each(),
      facts: () => text.facts(),
      load: (path, absPath) => {
        this.extras.set(path, absPath);
        return text.load(path, absPath);
      },
    };
  }

  /** The stored findings when they were made from exactly these inputs; else undefined (and `store` follows the run). */
  lookup(fileSet: FileSet, ruleIds: readonly string[]): CachedFindings | undefined {
    const text = this.text;
    if (!text) throw new Error('RunCache.watch must be called before lookup');
    this.discovered = new Set(fileSet.files.map((file) => file.path));
    this.key = this.keyOf(fileSet, ruleIds, text);
    const entry = this.read();
    if (!entry) return undefined;
    if (entry.key !== this.key) {
      this.options.log?.('cache: inputs changed since the last run; checking everything');
      return undefined;
    }
    const changed = entry.extras.find(
      (extra) => contentHash(text, extra.path, resolve(this.options.home, extra.at)) !== extra.hash,
    );
    if (changed) {
      this.options.log?.(`cache: ${changed.path} changed since the last run; checking everything`);
      return undefined;
    }
    this.options.log?.(`cache: reusing ${entry.findings.length} findings from ${this.file}`);
    return { findings: entry.findings, suppressed: entry.suppressed };
  }

  /**
   * The per-file results of the file-scoped rules `ruleIds` (lookup must have missed first). Its key
   * is the run's settings and these rules: the files' contents are checked one by one.
   */
  fileResults(
    ruleIds: readonly string[],
    codeReach?: ReadonlyArray<readonly [string, string]>,
    remoteRepositories?: readonly string[],
    loopbackImports?: readonly string[],
    textFacts?: ReadonlyArray<readonly [string, unknown]>,
  ): FileResultStore {
    const { settings } = this.options;
    const { cwd, paths } = this.where;
    // Where a file's code runs is read from its package's manifests (CodeFile.runtime): a changed one starts the store afresh.
    const manifests = [...this.hashes]
      .filter(([path]) => isRuntimeManifest(path))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // Where a file is reached from (CodeFile.reach) depends on the files importing it: a changed judgement starts it afresh too.
    const reach = codeReach ? sha256(JSON.stringify(codeReach)) : null;
    // Which repositories reach no database is judged from other files than the ones a finding is in: the same.
    const remote = remoteRepositories ? sha256(JSON.stringify(remoteRepositories)) : null;
    // Which imported names hold a loopback URL is read from the modules that export them: the same.
    const loopback = loopbackImports ? sha256(JSON.stringify(loopbackImports)) : null;
    // What the files beside a file say of it (node-config's mapping, a certificate beside a key): the same.
    const besides = textFacts && textFacts.length > 0 ? sha256(JSON.stringify(textFacts)) : null;
    const key = sha256(
      canonicalJson({
        format: ENTRY_FORMAT,
        version: packageInfo.version,
        cwd,
        paths,
        settings,
        ruleIds,
        manifests,
        reach,
        ...(remote ? { remote } : {}),
        ...(loopback ? { loopback } : {}),
        ...(besides ? { besides } : {}),
      }),
    );
    const store = new FileResultStore(this.filesFile, key, (path) => this.hashes.get(path) ?? null, this.options.log);
    this.files = { store, paths: [...this.discovered] };
    return store;
  }

  /** Records this run's findings, written whole then renamed so a reader never sees half an entry. */
  store(result: CachedFindings): void {
    const text = this.text;
    if (this.key === undefined || !text) return;
    this.files?.store.save(this.files.paths);
    const extras = [...this.extras]
      .filter(([path]) => !this.discovered.has(path))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, absPath]) => ({ path, at: this.where.of(absPath), hash: contentHash(text, path, absPath) }));
    const entry: Entry = { format: ENTRY_FORMAT, key: this.key, extras, ...result };
    try {
      writeWhole(this.file, JSON.stringify(entry));
    } catch (error) {
      this.options.log?.(`cache: cannot write ${this.file}: ${(error as Error).message}`);
    }
    removeOrphans(this.options.dir);
  }

  private keyOf(fileSet: FileSet, ruleIds: readonly string[], text: TextFiles): string {
    const { settings } = this.options;
    const { paths, of } = this.where;
    const cwd = this.options.cwd;
    const hash = createHash('sha256');
    hash.update(
      canonicalJson({
        format: ENTRY_FORMAT,
        version: packageInfo.version,
        cwd: this.where.cwd,
        paths,
        roots: fileSet.roots.map(of),
        settings,
        ruleIds,
        // A skipped large description's head is read for a note; its size and mtime stand for it.
        skipped: fileSet.skipped.map((skip) => ({ ...skip, stat: statOf(resolve(cwd, skip.path)) })),
      }),
    );
    for (const file of fileSet.files) {
      const content = contentHash(text, file.path, file.absPath);
      this.hashes.set(file.path, content);
      hash.update(`\n${file.path}\0${file.size}\0${content}`);
    }
    return hash.digest('hex');
  }

  private read(): Entry | undefined {
    let raw: string;
    try {
      raw = readFileSync(this.file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const entry = JSON.parse(raw) as unknown;
      if (isEntry(entry)) return entry;
    } catch {
      // fall through: a corrupt entry is a miss
    }
    this.options.log?.(`cache: ignoring unreadable entry ${this.file}`);
    return undefined;
  }
}

/**
 * A file's content as the rules see it (decoded text and BOM), read through the run's text
 * access so a miss does not read it again; binary or unreadable files hash their bytes or null.
 */
function contentHash(text: TextFiles, path: string, absPath: string): string | null {
  const file = text.get(path) ?? text.load(path, absPath);
  if (file)
    return createHash('sha1')
      .update(file.bom ? 'bom\0' : 'nobom\0')
      .update(file.content)
      .digest('hex');
  try {
    return `bytes:${createHash('sha1').update(readFileSync(absPath)).digest('hex')}`;
  } catch {
    return null;
  }
}

function statOf(absPath: string): string {
  try {
    const { size, mtimeMs } = statSync(absPath);
    return `${size}:${mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted at every level, so equal settings give equal keys. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : inner,
  );
}

/** Enough shape checking that a hand-edited or truncated entry cannot reach the reporters. */
function isEntry(value: unknown): value is Entry {
  if (!value || typeof value !== 'object') return false;
  const entry = value as Partial<Entry>;
  return (
    entry.format === ENTRY_FORMAT &&
    typeof entry.key === 'string' &&
    typeof entry.suppressed === 'number' &&
    Array.isArray(entry.extras) &&
    entry.extras.every(
      (e) =>
        e && typeof e.path === 'string' && typeof e.at === 'string' && (e.hash === null || typeof e.hash === 'string'),
    ) &&
    Array.isArray(entry.findings) &&
    entry.findings.every(isFinding)
  );
}

function isFinding(value: unknown): value is Finding {
  if (!value || typeof value !== 'object') return false;
  const f = value as Partial<Finding>;
  const numbers = [f.line, f.column, f.endLine, f.endColumn];
  return (
    typeof f.ruleId === 'string' &&
    typeof f.message === 'string' &&
    typeof f.file === 'string' &&
    typeof f.fingerprint === 'string' &&
    typeof f.source === 'string' &&
    typeof f.fileLevel === 'boolean' &&
    SEVERITIES.includes(f.severity as never) &&
    numbers.every((n) => typeof n === 'number') &&
    Array.isArray(f.related) &&
    f.related.every(
      (r) => r && typeof r.file === 'string' && typeof r.message === 'string' && typeof r.line === 'number',
    )
  );
}

/** A temporary file of writeWhole (`<name>.<pid>-<thread>-<n>.tmp`). */
const TEMPORARY = /\.\d+-\d+-\d+\.tmp$/;
/** Older than this, no run is still writing it: a run killed mid-write left it. */
const ORPHAN_AGE_MS = 60 * 60 * 1000;

/** Removes temporary files that killed runs left in the cache folder; never fails. */
export function removeOrphans(dir: string, now = Date.now()): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!TEMPORARY.test(name)) continue;
    try {
      const file = join(dir, name);
      if (now - statSync(file).mtimeMs > ORPHAN_AGE_MS) rmSync(file, { force: true });
    } catch {
      // gone already, or not ours to remove
    }
  }
}
