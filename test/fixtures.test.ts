/** Every rule's bad and good fixture cases: the exact set of findings, nothing more, nothing less. */
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { coreRuleMetas, INTERNAL_ERROR } from '../src/engine/core-rules.js';
import { expectedFindings, findingKey, fixtureCases, key, runCase } from './harness/fixtures.js';

const ruleIds = [...rules.map((rule) => rule.meta.id), ...coreRuleMetas.map((meta) => meta.id)];
const cases = ruleIds.flatMap((id) => fixtureCases(id));

describe.each(cases.map((c) => [`${c.ruleId} ${c.kind}/${c.name}`, c] as const))('%s', (_label, testCase) => {
  it(testCase.kind === 'bad' ? 'reports exactly the expected findings' : 'reports nothing', async () => {
    const findings = await runCase(testCase, rules);
    expect(findings.filter((f) => f.ruleId === INTERNAL_ERROR).map((f) => f.message)).toEqual([]);
    const actual = findings.filter((f) => f.ruleId === testCase.ruleId).map(findingKey).sort();
    const expected = expectedFindings(testCase.dir).map(key).sort();
    if (testCase.kind === 'good') expect(expected, 'a good case must not expect findings').toEqual([]);
    else expect(expected.length, 'a bad case must expect at least one finding').toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });
});
