import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Log } from 'sarif';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/reporters/types.js';
import { ruleName, sarif, toUriReference } from '../../src/reporters/sarif.js';
import { sampleFindings, sampleRun } from './sample-run.js';

const opts = { color: false };

function parse(run: RunResult): Log {
  return JSON.parse(sarif(run, opts)) as Log;
}

describe('sarif reporter', () => {
  it('describes every rule, sorted by id, and points each result at its rule', () => {
    const log = parse(sampleRun());
    const run = log.runs[0]!;
    const rules = run.tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual([
      'api/paginated-lists',
      'db/indexed-foreign-keys',
      'security/no-hardcoded-secrets',
    ]);
    expect(run.results).toHaveLength(sampleFindings.length);
    for (const result of run.results!) expect(rules[result.ruleIndex!]!.id).toBe(result.ruleId);
  });

  it('adds a descriptor for a rule that has no metadata, so its ruleIndex is valid', () => {
    const run = parse(sampleRun([{ ...sampleFindings[0]!, ruleId: 'core/parse-error' }])).runs[0]!;
    const index = run.results![0]!.ruleIndex!;
    expect(run.tool.driver.rules![index]).toEqual({ id: 'core/parse-error', name: 'ParseError' });
  });

  it('gives security rules a security-severity and examples as fenced code', () => {
    const rules = parse(sampleRun()).runs[0]!.tool.driver.rules!;
    const secrets = rules.find((r) => r.id === 'security/no-hardcoded-secrets')!;
    expect(secrets.properties).toEqual({
      tags: ['security', 'secrets'],
      precision: 'high',
      'security-severity': '8.0',
    });
    expect(secrets.help!.markdown).toContain("```typescript\nconst key = 'sk_live_0123456789';\n```");
    expect(rules.find((r) => r.id === 'api/paginated-lists')!.properties).not.toHaveProperty('security-severity');
  });

  it('encodes paths as URI references, omits the region of a file-level finding, carries fixes in the message', () => {
    expect(toUriReference('docs/a b#c%d?.md')).toBe('docs/a%20b%23c%25d%3F.md');
    expect(toUriReference('c:x/ü.ts')).toBe('c%3Ax/%C3%BC.ts');
    expect(ruleName('db/indexed-foreign-keys')).toBe('IndexedForeignKeys');
    const run = parse(sampleRun()).runs[0]!;
    const [fileLevel, withRelated, withSpace] = run.results!;
    expect(fileLevel!.locations![0]!.physicalLocation!.region).toBeUndefined();
    expect(withSpace!.locations![0]!.physicalLocation!.artifactLocation).toEqual({
      uri: 'config/app%20settings.ts',
      uriBaseId: '%SRCROOT%',
    });
    expect(withSpace!.message.text).toBe("Hard-coded Stripe secret key 'sk_l…89'. Fix: Read the key from process.env.");
    expect(withRelated!.relatedLocations).toHaveLength(1);
    expect(withRelated!.partialFingerprints).toEqual({ primaryLocationLineHash: 'a1b2c3d4e5f60718' });
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///home/dev/shop/' } });
  });
});

/** Microsoft's SARIF validator with GitHub's upload rules ("Gh") and SARIF's own ("Sarif"). */
describe('sarif reporter output passes Sarif.Multitool validate', () => {
  const require = createRequire(import.meta.url);
  const binary = join(dirname(require.resolve('@microsoft/sarif-multitool-linux/package.json')), 'Sarif.Multitool');
  const dir = mkdtempSync(join(tmpdir(), 'archlint-sarif-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function validate(name: string, run: RunResult): Log {
    // npm 11 skips the package's install script that would make the binary executable.
    chmodSync(binary, 0o755);
    const input = join(dir, `${name}.sarif`);
    const output = join(dir, `${name}.out.sarif`);
    writeFileSync(input, sarif(run, opts));
    const proc = spawnSync(
      binary,
      ['validate', '--rule-kind', 'Gh;Sarif', '--level', 'Error;Warning;Note', '--output', output, input],
      { encoding: 'utf8', env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } },
    );
    expect(proc.error, String(proc.error)).toBeUndefined();
    expect(proc.status, `${proc.stdout}\n${proc.stderr}`).toBe(0);
    return JSON.parse(readFileSync(output, 'utf8')) as Log;
  }

  function describeResult(r: NonNullable<Log['runs'][number]['results']>[number]): string {
    return `${r.ruleId}: ${JSON.stringify(r.message.arguments ?? r.message.text)}`;
  }

  function errors(log: Log): string[] {
    return (log.runs[0]!.results ?? []).filter((r) => r.level === 'error').map(describeResult);
  }

  /**
   * Warnings other than SARIF2017, which asks for a region even on whole-file results; a
   * file-level finding has none to give (the engine knows no line count), and SARIF §3.29.3
   * defines an absent region as "the whole artifact".
   */
  function unexpectedWarnings(log: Log): string[] {
    return (
      (log.runs[0]!.results ?? [])
        // A result without a level is a warning (SARIF §3.27.10).
        .filter((r) => (r.level ?? 'warning') === 'warning' && r.ruleId !== 'SARIF2017')
        .map(describeResult)
    );
  }

  it.each([
    ['sample', () => sampleRun()],
    ['empty', () => sampleRun([], 0)],
  ])('%s run: no errors, no unexpected warnings', (name, makeRun) => {
    const log = validate(name, makeRun());
    const problems = errors(log);
    expect(problems, problems.join('\n')).toEqual([]);
    const warnings = unexpectedWarnings(log);
    expect(warnings, warnings.join('\n')).toEqual([]);
  });
});
