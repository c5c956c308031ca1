import { relative, resolve, sep } from 'node:path';
import type { Finding } from '../model/finding.js';
import type { RuleMeta } from '../rule-api.js';
import type { ArchitectureMap } from '../map/build.js';

export interface RunSummary {
  /** Files discovered and considered. */
  files: number;
  errors: number;
  warnings: number;
  notes: number;
  /** Findings hidden by suppression comments / x-archlint-ignore. */
  suppressed: number;
  durationMs: number;
  /** Set when a baseline was applied (`--baseline`, `--write-baseline`). Not in the JSON report. */
  baseline?: {
    /** The baseline file as given. */
    file: string;
    /** Findings hidden because the baseline records them. */
    hidden: number;
    /** Baseline entries this run no longer produces (fixed or gone): the file can be pruned. */
    stale: number;
  };
  /** Set with `--changed-since`: only findings on lines changed since `base` are reported. */
  changedSince?: {
    ref: string;
    /** Commit id of the merge base of `ref` and HEAD. */
    base: string;
    /** Findings hidden because they are not on changed lines. */
    hidden: number;
  };
  /** Folders and files below the roots that could not be read (permissions) and were skipped. Not in the JSON report. */
  unreadable?: { count: number; first: string };
  /** Set when the SARIF report had to be cut to fit GitHub's upload limits (see sarif.ts). */
  sarifCut?: {
    /** Findings left out of the SARIF file. */
    results: number;
    /** Related locations left out of the results kept. */
    relatedLocations: number;
  };
}

/** Everything a reporter gets. Reporters never know a specific rule: they read `rules`. */
export interface RunResult {
  tool: { name: string; version: string; informationUri: string };
  /** Sorted by file, line, column, rule id. */
  findings: Finding[];
  summary: RunSummary;
  /** Metadata of every rule that ran (and of the core/* diagnostics), by id. */
  rules: Map<string, RuleMeta>;
  /** Absolute current directory; finding paths are relative to it. */
  cwd: string;
  /**
   * Absolute folder that SARIF and GitHub annotation paths are relative to: the repository root
   * (cli/repo-root.ts), which code scanning and annotations resolve paths against. Default: `cwd`.
   */
  root?: string;
  /**
   * With `--map`: the architecture map of the run (src/map), for the Markdown report's collapsed
   * section; `focused` when it holds only what the changed files touch (--changed-since).
   */
  architecture?: { map: ArchitectureMap; focused: boolean };
}

export interface ReporterOptions {
  /** Colour for the pretty reporter (false when not a TTY, NO_COLOR, --no-color). */
  color: boolean;
  /** SARIF `automationDetails.id`: keeps two uploads for one commit (two services, two configs) apart. */
  category?: string;
}

/** One signature for every format: a pure function from the run to the report text. */
export type Reporter = (result: RunResult, options: ReporterOptions) => string;

/** A finding's path relative to `result.root` (with `/`), for the formats GitHub resolves against the repository root. */
export function rootPath(result: Pick<RunResult, 'cwd' | 'root'>, file: string): string {
  if (result.root === undefined || result.root === result.cwd) return file;
  return relative(result.root, resolve(result.cwd, file)).split(sep).join('/');
}
