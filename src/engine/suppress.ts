/**
 * Applies suppressions to placed findings, counts what they hid, and turns the ones that hid
 * nothing into `core/unused-suppression` findings.
 */
import type { TextFiles } from '../model/files.js';
import type { RawFinding } from '../model/finding.js';
import type { YamlDocuments } from '../inputs/yaml/documents.js';
import { coreRuleMetas, INTERNAL_ERROR, UNUSED_SUPPRESSION } from './core-rules.js';
import { didYouMean } from '../config/suggest.js';
import { formatMessage } from './messages.js';
import type { PlacedFinding } from './placed-finding.js';
import { commentSuppressions, covers, objectSuppressions, type Suppression } from './suppressions.js';

export function collectSuppressions(text: TextFiles, yaml: YamlDocuments): Suppression[] {
  const found: Suppression[] = [];
  for (const file of text.all()) {
    found.push(...commentSuppressions(file));
    if (file.kind === 'openapi-candidate' && file.content.includes('x-archlint-ignore')) {
      const doc = yaml.get(file.path);
      if (doc) found.push(...objectSuppressions(file.path, doc));
    }
  }
  return found;
}

export interface SuppressionOutcome {
  kept: PlacedFinding[];
  suppressed: number;
  /** `core/unused-suppression` findings, not yet placed. */
  unused: RawFinding[];
}

export function applySuppressions(
  placed: PlacedFinding[],
  suppressions: Suppression[],
  context: {
    knownRuleIds: ReadonlySet<string>;
    /** Whether a rule ran on a file in this run: a suppression for a rule that did not run is not "unused". */
    ranFor(ruleId: string, file: string): boolean;
  },
): SuppressionOutcome {
  const index = indexSuppressions(suppressions);
  const used = new Map<Suppression, Set<string>>();

  const kept: PlacedFinding[] = [];
  let suppressed = 0;
  for (const finding of placed) {
    const inFile = index.get(finding.raw.origin.file);
    const candidates = inFile ? [...inFile.wholeFile, ...(inFile.byLine.get(finding.placement.region.line) ?? [])] : [];
    // archlint's own failures are never hidden: a crashed rule must stay visible.
    const target = {
      ruleId: finding.raw.ruleId,
      file: finding.raw.origin.file,
      line: finding.placement.region.line,
      fileLevel: finding.placement.fileLevel,
      ...(finding.placement.startOffset !== undefined ? { startOffset: finding.placement.startOffset } : {}),
    };
    const hit = target.ruleId === INTERNAL_ERROR ? [] : candidates.filter((s) => covers(s, target));
    if (hit.length === 0) {
      kept.push(finding);
      continue;
    }
    suppressed++;
    for (const s of hit) used.set(s, (used.get(s) ?? new Set()).add(target.ruleId));
  }

  const messages = coreRuleMetas.find((m) => m.id === UNUSED_SUPPRESSION)!.messages as Record<string, string>;
  const unused: RawFinding[] = [];
  const report = (s: Suppression, messageId: 'unused' | 'unknownRule', rule: string) =>
    unused.push({
      ruleId: UNUSED_SUPPRESSION,
      message: formatMessage(messages[messageId]!, {
        directive: s.text,
        rule,
        hint: messageId === 'unknownRule' ? didYouMean(rule, context.knownRuleIds) : '',
      }),
      origin: s.origin,
      related: [],
      source: 'core',
    });
  for (const s of suppressions) {
    const hits = used.get(s);
    if (s.ruleIds.length === 0) {
      if (!hits) report(s, 'unused', 'any rule');
      continue;
    }
    for (const id of s.ruleIds) {
      if (!context.knownRuleIds.has(id)) report(s, 'unknownRule', id);
      else if (!hits?.has(id) && context.ranFor(id, s.file)) report(s, 'unused', id);
    }
  }
  return { kept, suppressed, unused };
}

interface FileSuppressions {
  /** File and object suppressions: few per file, checked against every finding. */
  wholeFile: Suppression[];
  /** Line suppressions by the line they cover: a file with thousands of them stays linear. */
  byLine: Map<number, Suppression[]>;
}

function indexSuppressions(suppressions: readonly Suppression[]): Map<string, FileSuppressions> {
  const index = new Map<string, FileSuppressions>();
  for (const s of suppressions) {
    let entry = index.get(s.file);
    if (!entry) index.set(s.file, (entry = { wholeFile: [], byLine: new Map() }));
    if (s.fromLine === undefined || s.toLine === undefined) {
      entry.wholeFile.push(s);
      continue;
    }
    for (let line = s.fromLine; line <= s.toLine; line++) {
      const atLine = entry.byLine.get(line);
      if (atLine) atLine.push(s);
      else entry.byLine.set(line, [s]);
    }
  }
  return index;
}
