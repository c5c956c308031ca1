import { describe, expect, it } from 'vitest';
import type { RawFinding } from '../src/model/finding.js';
import { defineRule } from '../src/rule-api.js';
import type { InputCache } from '../src/engine/input-cache.js';
import { runRules } from '../src/engine/rules-runner.js';

const ruleNeeding = (id: string, requires: Array<'http' | 'schema'>) =>
  defineRule({
    meta: {
      id,
      title: id,
      severity: 'warning',
      requires,
      tags: [],
      why: 'test',
      fix: 'test',
      examples: { bad: [], good: [] },
      messages: { m: 'm' },
    },
    check() {},
  });

describe('runRules', () => {
  it('reports an input that failed once, naming every rule it stopped, while the other rules run', async () => {
    const ran: string[] = [];
    const inputs = {
      require: async (names: readonly string[]) =>
        names.includes('http')
          ? { ok: false as const, failed: 'http', message: 'Debug Failure' }
          : { ok: true as const, values: {} },
    } as unknown as InputCache;
    const raw: RawFinding[] = [];
    await runRules(
      [
        ruleNeeding('test/a', ['http']),
        ruleNeeding('test/b', ['schema']),
        ruleNeeding('test/c', ['http']),
        ruleNeeding('test/d', ['http']),
      ],
      {
        inputs,
        options: () => ({}),
        rootLabel: '.',
        raw,
        log: () => {},
        afterRule: (rule) => void ran.push(rule.meta.id),
      },
    );
    expect(raw.map((finding) => `${finding.ruleId} ${finding.message}`)).toEqual([
      'core/internal-error Reading the http input failed, so test/a, test/c and test/d did not run: Debug Failure',
    ]);
    expect(ran).toEqual(['test/a', 'test/b', 'test/c', 'test/d']);
  });
});
