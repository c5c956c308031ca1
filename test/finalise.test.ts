/**
 * The last step of a run: the same finding reached twice (a base entity folded into the schema of each
 * package that imports it) is reported once; findings that differ in anything the user sees stay.
 */
import { describe, expect, it } from 'vitest';
import { finalise } from '../src/engine/finalise.js';
import type { Locator } from '../src/engine/locate.js';
import type { PlacedFinding } from '../src/engine/placed-finding.js';
import type { RawFinding } from '../src/model/finding.js';

const locator = {
  place: () => ({ region: { line: 1, column: 1, endLine: 1, endColumn: 1 }, fileLevel: true, sourceText: '' }),
} as unknown as Locator;

function placed(message: string, line: number, severity: PlacedFinding['severity'] = 'note'): PlacedFinding {
  const raw = {
    ruleId: 'db/timestamps-with-time-zone',
    message,
    origin: { file: 'packages/core/src/entity/base.entity.ts' },
    related: [],
    source: 'sql',
  } as unknown as RawFinding;
  return {
    raw,
    placement: { region: { line, column: 5, endLine: line, endColumn: 20 }, fileLevel: false, sourceText: 'createdAt' },
    severity,
  };
}

describe('finalise', () => {
  it('reports a finding reached more than once once', () => {
    const found = finalise(
      [placed('createdAt has no time zone', 12), placed('createdAt has no time zone', 12)],
      locator,
    );
    expect(found.map((f) => `${f.line} ${f.message}`)).toEqual(['12 createdAt has no time zone']);
  });

  it('keeps findings that differ in place, message or level', () => {
    const found = finalise(
      [
        placed('createdAt has no time zone', 12),
        placed('updatedAt has no time zone', 12),
        placed('createdAt has no time zone', 13),
        placed('createdAt has no time zone', 12, 'warning'),
      ],
      locator,
    );
    expect(found).toHaveLength(4);
    expect(new Set(found.map((f) => f.fingerprint)).size).toBe(4);
  });
});
