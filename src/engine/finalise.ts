/** The last step of a run: related locations placed, fingerprints computed, findings sorted. */
import type { Finding } from '../model/finding.js';
import { fingerprint, fingerprintKey } from './fingerprint.js';
import type { Locator } from './locate.js';
import { printableMessage } from './messages.js';
import type { PlacedFinding } from './placed-finding.js';

/** Places related locations, fingerprints, and sorts: the order and bytes of a report depend only on the input. */
export function finalise(kept: PlacedFinding[], locator: Locator): Finding[] {
  const findings = kept.map(({ raw, placement, severity }) => {
    const { region } = placement;
    const finding: Finding = {
      ruleId: raw.ruleId,
      severity,
      message: printableMessage(raw.message),
      file: raw.origin.file,
      ...region,
      fileLevel: placement.fileLevel,
      source: raw.source,
      fingerprint: fingerprintKey(
        raw.ruleId,
        raw.origin.file,
        raw.fingerprintText ?? (placement.sourceText || raw.message),
      ),
      related: raw.related.map((related) => ({
        file: related.origin.file,
        ...locator.place(related.origin).region,
        message: printableMessage(related.message),
      })),
      ...(raw.fix ? { fix: raw.fix } : {}),
    };
    return finding;
  });
  findings.sort(compareFindings);
  const distinct = withoutRepeats(findings);
  const seen = new Map<string, number>();
  for (const finding of distinct) {
    const occurrence = seen.get(finding.fingerprint) ?? 0;
    seen.set(finding.fingerprint, occurrence + 1);
    finding.fingerprint = fingerprint(finding.fingerprint, occurrence);
  }
  return distinct;
}

/**
 * One finding for one cause: the same finding reached more than once — a base entity folded into the
 * schema of every package that imports it (vendure's cli, core and dev-server), a file read by two
 * inputs — is reported once. Findings are sorted, so repeats are neighbours; everything the user
 * sees (rule, level, place, message, related locations, fix) must be equal.
 */
function withoutRepeats(sorted: Finding[]): Finding[] {
  const kept: Finding[] = [];
  let previous: string | undefined;
  for (const finding of sorted) {
    const { fingerprint: _key, ...shown } = finding;
    const text = JSON.stringify(shown);
    if (text === previous) continue;
    previous = text;
    kept.push(finding);
  }
  return kept;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compare(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    compare(a.ruleId, b.ruleId) ||
    a.endLine - b.endLine ||
    a.endColumn - b.endColumn ||
    compare(a.message, b.message)
  );
}

/** Code-unit order, not locale order: the same on every machine. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
