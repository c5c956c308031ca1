/**
 * Every rule's bad and good fixture cases: the exact set of findings, nothing more, nothing less
 * (the inline `expect:` markers), and how each reads to the user (the case's rendered snapshot,
 * `fixtures/<rule-id>/<kind>/<case>.snap`; `npm run fixtures:update` rewrites them).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { coreRuleMetas, INTERNAL_ERROR } from '../src/engine/core-rules.js';
import type { Finding } from '../src/model/finding.js';
import {
  expectedFindings,
  findingKey,
  FIXTURES_ROOT,
  fixtureCases,
  type FixtureCase,
  key,
  runCase,
} from './harness/fixtures.js';
import { readSnapshot, renderSnapshot, snapshotFiles, snapshotPath, UPDATE_SNAPSHOTS } from './harness/snapshots.js';

const ruleIds = [...rules.map((rule) => rule.meta.id), ...coreRuleMetas.map((meta) => meta.id)];
const cases = ruleIds.flatMap((id) => fixtureCases(id));

/** A path as the repository names it, for messages. */
const shown = (path: string) => relative(join(FIXTURES_ROOT, '..'), path);

/** One run per case, shared by the marker test and the snapshot test. */
const runs = new Map<FixtureCase, Promise<Finding[]>>();
function findingsOf(testCase: FixtureCase): Promise<Finding[]> {
  let run = runs.get(testCase);
  if (!run) runs.set(testCase, (run = runCase(testCase, rules)));
  return run;
}

describe.each(cases.map((c) => [`${c.ruleId} ${c.kind}/${c.name}`, c] as const))('%s', (_label, testCase) => {
  it(testCase.kind === 'bad' ? 'reports exactly the expected findings' : 'reports nothing', async () => {
    const findings = await findingsOf(testCase);
    expect(findings.filter((f) => f.ruleId === INTERNAL_ERROR).map((f) => f.message)).toEqual([]);
    const actual = findings
      .filter((f) => f.ruleId === testCase.ruleId)
      .map(findingKey)
      .sort();
    const expected = expectedFindings(testCase.dir).map(key).sort();
    if (testCase.kind === 'good') expect(expected, 'a good case must not expect findings').toEqual([]);
    else expect(expected.length, 'a bad case must expect at least one finding').toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('reads as its snapshot', async () => {
    const rendered = renderSnapshot(testCase, await findingsOf(testCase));
    const path = snapshotPath(testCase);
    if (UPDATE_SNAPSHOTS) writeFileSync(path, rendered);
    const stored = readSnapshot(testCase);
    expect(stored, `${shown(path)} is missing: run \`npm run fixtures:update\` and review it`).toBeDefined();
    expect(
      rendered,
      `${shown(path)} differs: if the change is meant, run \`npm run fixtures:update\` and review the diff`,
    ).toBe(stored);
  });
});

describe('fixture snapshots', () => {
  it('each belong to a case', () => {
    const expected = new Set(cases.map(snapshotPath));
    const orphans = () => snapshotFiles(FIXTURES_ROOT).filter((path) => !expected.has(path));
    if (UPDATE_SNAPSHOTS) for (const path of orphans()) rmSync(path);
    expect(
      orphans().map(shown),
      'snapshots without a case folder: delete them, or run `npm run fixtures:update`',
    ).toEqual([]);
  });
});
