/**
 * A baseline: the findings a team has accepted for now, recorded by their line-independent
 * fingerprints, so an existing repository can adopt archlint and block only new problems.
 * The file is stable JSON (sorted, no line numbers, no timestamps) so it diffs well in review.
 */
import { UsageError } from '../errors.js';
import type { Finding } from '../model/finding.js';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  ruleId: string;
  file: string;
  fingerprint: string;
  /** For the humans reading the file; not used for matching. */
  message: string;
}

export function baselineEntries(findings: readonly Finding[]): BaselineEntry[] {
  return findings
    .map(({ ruleId, file, fingerprint, message }) => ({ ruleId, file, fingerprint, message }))
    .sort(
      (a, b) =>
        compare(a.file, b.file) ||
        compare(a.ruleId, b.ruleId) ||
        compare(a.message, b.message) ||
        compare(a.fingerprint, b.fingerprint),
    );
}

/** The baseline file's text for these findings: byte-identical for the same findings. */
export function formatBaseline(findings: readonly Finding[]): string {
  return `${JSON.stringify({ version: BASELINE_VERSION, tool: 'archlint', findings: baselineEntries(findings) }, null, 2)}\n`;
}

/** Reads a baseline file's text; anything unexpected is a usage error naming the file. */
export function parseBaseline(text: string, label: string): BaselineEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`baseline ${label} is not valid JSON; write it with --write-baseline ${label}`);
  }
  const doc = data as { version?: unknown; findings?: unknown };
  if (typeof data !== 'object' || data === null || !Array.isArray(doc.findings)) {
    throw new UsageError(`baseline ${label} has no "findings" list; write it with --write-baseline ${label}`);
  }
  if (doc.version !== BASELINE_VERSION) {
    throw new UsageError(
      `baseline ${label} has version ${JSON.stringify(doc.version)}; this archlint reads version ${BASELINE_VERSION}`,
    );
  }
  return doc.findings.map((entry: unknown, index: number) => {
    const e = entry as Partial<Record<keyof BaselineEntry, unknown>>;
    if (
      typeof e !== 'object' ||
      e === null ||
      typeof e.ruleId !== 'string' ||
      typeof e.file !== 'string' ||
      typeof e.fingerprint !== 'string'
    ) {
      throw new UsageError(`baseline ${label}: findings[${index}] needs string "ruleId", "file" and "fingerprint"`);
    }
    return {
      ruleId: e.ruleId,
      file: e.file,
      fingerprint: e.fingerprint,
      message: typeof e.message === 'string' ? e.message : '',
    };
  });
}

export interface BaselineOutcome {
  /** Findings not in the baseline: the new ones. */
  kept: Finding[];
  /** Findings the baseline hid. */
  hidden: number;
  /** Entries this run could have reproduced but did not: fixed or gone, so the file can be pruned. */
  stale: BaselineEntry[];
}

/**
 * Hides the findings recorded in the baseline. `inScope` says whether this run could have
 * reproduced an entry (its rule ran, its file was checked or is gone); entries outside the
 * scope of a partial run (`--only`, a subfolder) are not called stale.
 */
export function applyBaseline(
  findings: readonly Finding[],
  entries: readonly BaselineEntry[],
  inScope: (entry: BaselineEntry) => boolean,
): BaselineOutcome {
  const key = (e: { ruleId: string; file: string; fingerprint: string }) =>
    `${e.ruleId}\u0000${e.file}\u0000${e.fingerprint}`;
  const recorded = new Set(entries.map(key));
  const seen = new Set<string>();
  const kept: Finding[] = [];
  for (const finding of findings) {
    const k = key(finding);
    if (recorded.has(k)) seen.add(k);
    else kept.push(finding);
  }
  const stale = entries.filter((entry) => !seen.has(key(entry)) && inScope(entry));
  return { kept, hidden: findings.length - kept.length, stale };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
