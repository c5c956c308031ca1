import type { Finding } from '../model/finding.js';
import type { RuleMeta } from '../rule-api.js';

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
}

export interface ReporterOptions {
  /** Colour for the pretty reporter (false when not a TTY, NO_COLOR, --no-color). */
  color: boolean;
}

/** One signature for every format: a pure function from the run to the report text. */
export type Reporter = (result: RunResult, options: ReporterOptions) => string;
