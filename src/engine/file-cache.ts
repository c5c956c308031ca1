/**
 * The per-file half of `--cache`: what file-scoped rules (`meta.scope: 'file'`) found in each file,
 * stored under the file's content hash, so that after an edit only the changed files go through
 * those rules again. The cross-file rules rerun whole: what they report about a file can depend on
 * other files (a `$ref` target, an earlier migration, a router mounted elsewhere).
 *
 * The store's key covers the archlint version, the effective settings and the file-scoped rules
 * that run; any change there starts it afresh. Stored findings are raw (before placement,
 * suppression and fingerprints), so a reused file's findings go through the same steps as fresh
 * ones and the report is the same as a fresh run's. A corrupt or unwritable store is a miss.
 */
import { readFileSync } from 'node:fs';
import { SEVERITIES, type RawFinding } from '../model/finding.js';
import { writeWhole } from '../util/write-whole.js';

/** Bumped when the store's layout changes (2: findings carry their own severity). */
const STORE_FORMAT = 2;

interface Stored {
  hash: string;
  findings: RawFinding[];
}

interface StoreFile {
  format: number;
  key: string;
  files: Record<string, Stored>;
}

export class FileResultStore {
  private readonly stored: Map<string, Stored>;
  private readonly fresh = new Map<string, Stored>();

  constructor(
    private readonly file: string,
    private readonly key: string,
    /** A discovered file's content hash (null: binary or unreadable, never reused). */
    private readonly hashOf: (path: string) => string | null,
    private readonly log?: (message: string) => void,
  ) {
    this.stored = this.read();
  }

  /** The findings stored for this path when its content is unchanged; undefined when it must be checked. */
  get(path: string): RawFinding[] | undefined {
    const entry = this.stored.get(path);
    const hash = this.hashOf(path);
    return entry && hash !== null && entry.hash === hash ? entry.findings : undefined;
  }

  /** Records what the rules found in a file this run (not when a rule failed: that must run again). */
  set(path: string, findings: RawFinding[]): void {
    const hash = this.hashOf(path);
    if (hash === null || findings.some((finding) => finding.ruleId === 'core/internal-error')) return;
    this.fresh.set(path, { hash, findings });
  }

  /** Writes the entries of `paths` (the files of this run: removed files drop out), whole then renamed. */
  save(paths: readonly string[]): void {
    const files: Record<string, Stored> = {};
    for (const path of paths) {
      const entry = this.fresh.get(path) ?? (this.get(path) !== undefined ? this.stored.get(path) : undefined);
      if (entry) files[path] = entry;
    }
    try {
      writeWhole(this.file, JSON.stringify({ format: STORE_FORMAT, key: this.key, files } satisfies StoreFile));
    } catch (error) {
      this.log?.(`cache: cannot write ${this.file}: ${(error as Error).message}`);
    }
  }

  private read(): Map<string, Stored> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      return new Map();
    }
    const store = (parsed && typeof parsed === 'object' ? parsed : {}) as Partial<StoreFile>;
    if (store.format !== STORE_FORMAT || store.key !== this.key || !store.files || typeof store.files !== 'object') {
      this.log?.(
        'cache: no per-file results for these settings and rules; every file goes through the file-scoped rules',
      );
      return new Map();
    }
    const entries = Object.entries(store.files).filter(([, entry]) => isStored(entry));
    return new Map(entries);
  }
}

function isStored(value: unknown): value is Stored {
  const entry = value as Partial<Stored> | null;
  return (
    !!entry && typeof entry.hash === 'string' && Array.isArray(entry.findings) && entry.findings.every(isRawFinding)
  );
}

/** Enough shape checking that a hand-edited entry cannot reach placement. */
function isRawFinding(value: unknown): value is RawFinding {
  const f = value as Partial<RawFinding> | null;
  return (
    !!f &&
    typeof f.ruleId === 'string' &&
    typeof f.message === 'string' &&
    typeof f.source === 'string' &&
    !!f.origin &&
    typeof f.origin.file === 'string' &&
    (f.severity === undefined || SEVERITIES.includes(f.severity)) &&
    Array.isArray(f.related) &&
    f.related.every((r) => !!r && typeof r.message === 'string' && !!r.origin && typeof r.origin.file === 'string')
  );
}
