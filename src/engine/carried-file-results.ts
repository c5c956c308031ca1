/**
 * What the file-scoped rules (`meta.scope: 'file'`: secrets, N+1 queries, HTTP client timeouts) found in
 * each file, kept in memory from one run to the next of a long-running process (`archlint lsp`,
 * `--watch`): after an edit only the edited files go through them again. The in-memory twin of
 * `--cache`'s per-file store (file-cache.ts), with the same key: a finding of these rules depends on
 * the file's own text, and beyond it only on what the key covers — the rules and their options, the
 * config, the packages' manifests (CodeFile.runtime) and the judgements made over the whole tree
 * (CodeFile.reach, the repositories that reach no database, the imported loopback URLs). A changed key
 * starts the store afresh.
 *
 * A file's entry is valid while its text is the same (compared whole, as the carried syntax trees
 * are); one entry per path, and the files a run no longer has are forgotten, so the store holds only
 * the current version of each file.
 */
import type { RawFinding } from '../model/finding.js';

/** What planFileRules reads and writes (FileResultStore has the same two methods). */
export interface FileResults {
  get(path: string): RawFinding[] | undefined;
  set(path: string, findings: RawFinding[]): void;
}

interface Entry {
  content: string;
  findings: RawFinding[];
}

export class CarriedFileResults {
  private key: string | undefined;
  private readonly entries = new Map<string, Entry>();

  /**
   * The store for one run. `key`: everything besides the file's text the findings depend on; `contentOf`: a
   * file's text this run (undefined for a binary or unreadable file, never reused); `paths`: the run's files.
   */
  forRun(key: string, contentOf: (path: string) => string | undefined, paths: readonly string[]): FileResults {
    if (key !== this.key) {
      this.entries.clear();
      this.key = key;
    }
    const current = new Set(paths);
    for (const path of this.entries.keys()) if (!current.has(path)) this.entries.delete(path);
    const entries = this.entries;
    return {
      get(path) {
        const entry = entries.get(path);
        return entry && entry.content === contentOf(path) ? entry.findings : undefined;
      },
      set(path, findings) {
        const content = contentOf(path);
        // A rule that failed on the file must run again; a file without text is checked every time.
        if (content === undefined || findings.some((finding) => finding.ruleId === 'core/internal-error')) {
          entries.delete(path);
          return;
        }
        entries.set(path, { content, findings });
      },
    };
  }

  /** How many files have findings kept (tests). */
  size(): number {
    return this.entries.size;
  }
}
