/**
 * Findings as rules report them (RawFinding, with an Origin) and as reporters receive them
 * (Finding, with 1-based line/column resolved once by the engine).
 */

export type Severity = 'error' | 'warning' | 'note';
export type SeveritySetting = Severity | 'off';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'note'];

/** Higher is more severe; used for --fail-on and --quiet. */
export function severityRank(severity: Severity): number {
  return severity === 'error' ? 3 : severity === 'warning' ? 2 : 1;
}

/** Which input a finding came from ("source" in the JSON report). */
export type FindingSource = 'openapi' | 'typescript' | 'sql' | 'text' | 'config' | 'core';

/**
 * Where a model element is written. Inputs attach an Origin to every element they produce;
 * the engine turns it into line/column (rules never compute positions).
 * Exactly one of range / pointer / position is normally set; none means "the whole file".
 */
export interface Origin {
  /** Path relative to the current directory, with '/' separators. */
  file: string;
  /** UTF-16 offsets into the file's decoded text (BOM removed): start inclusive, end exclusive. */
  range?: { start: number; end: number };
  /** RFC 6901 JSON pointer into the YAML/JSON document held in `file`. */
  pointer?: string;
  /** For a pointer: point at the mapping key (`get:`) or at the value node. Default: key. */
  pointerTarget?: 'key' | 'value';
  /** A position already known as 1-based line/column (parsers that give nothing else). */
  position?: { line: number; column: number; endLine?: number; endColumn?: number };
}

/** Anything a rule can report at: a model element carrying its origin, or a bare origin. */
export interface Located {
  origin: Origin;
}

export interface Fix {
  /** What to do, in one sentence. */
  description: string;
  /** Text to apply or run, e.g. the `CREATE INDEX` statement. */
  text?: string;
}

export interface RawRelated {
  origin: Origin;
  message: string;
}

/**
 * A finding before locations, suppressions, severities and fingerprints are applied.
 * Its severity comes from the config when the user set the rule's severity (per file), else from
 * the finding's own `severity`, else from the rule's meta.
 */
export interface RawFinding {
  ruleId: string;
  message: string;
  origin: Origin;
  related: RawRelated[];
  fix?: Fix;
  source: FindingSource;
  /**
   * Text identifying the finding for its fingerprint when the flagged source text is not the
   * right key (e.g. a hash of a secret). Defaults to the normalised source text at the origin.
   */
  fingerprintText?: string;
  /**
   * This finding's default severity, when the rule grades its findings one by one (a sure match
   * an error, a guess a warning). Used in place of the rule's default severity, never over a
   * severity the user set for the rule.
   */
  severity?: Severity;
}

export interface Region {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units (tabs count as one). */
  column: number;
  endLine: number;
  /** 1-based, exclusive (the column after the last character), as in SARIF. */
  endColumn: number;
}

export interface RelatedLocation extends Region {
  file: string;
  message: string;
}

/** A finding as every reporter receives it. */
export interface Finding extends Region {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  /** True when the finding is about the whole file (no region; line/column are 1). */
  fileLevel: boolean;
  source: FindingSource;
  /** Line-independent: rule id + file + normalised flagged text + occurrence index, hashed. */
  fingerprint: string;
  related: RelatedLocation[];
  fix?: Fix;
}
