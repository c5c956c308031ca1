/**
 * Per-finding severity: a rule may grade each finding (ReportDescriptor.severity), the engine uses
 * that grade as the finding's default, and a severity the user sets for the rule — config `rules`,
 * `overrides`, `--rule` — wins for every finding of the rule. security/no-hardcoded-secrets grades
 * sure credentials `error` and guesses `warning`; its meta (what `archlint rules` shows) stays `error`.
 * SARIF carries each result's own level, checked by Microsoft's validator.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Log } from 'sarif';
import { afterAll, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { lint } from '../src/engine/run.js';
import type { ArchlintConfig } from '../src/model/config.js';
import type { Finding, SeveritySetting } from '../src/model/finding.js';
import { sarif } from '../src/reporters/sarif.js';
import { defineRule, type Rule } from '../src/rule-api.js';
import { FIXTURES_ROOT } from './harness/fixtures.js';

const RULE = 'security/no-hardcoded-secrets';
const caseDir = (kind: 'bad' | 'good', name: string) => join(FIXTURES_ROOT, RULE, kind, name);

async function run(
  dir: string,
  options: {
    config?: ArchlintConfig;
    cliRules?: Record<string, SeveritySetting>;
    rules?: readonly Rule[];
    only?: string[];
  } = {},
) {
  const { result } = await lint({
    cwd: dir,
    paths: ['.'],
    loaded: { config: options.config ?? {}, baseDir: dir },
    rules: options.rules ?? rules,
    only: options.only ?? [RULE],
    ...(options.cliRules ? { cliRules: options.cliRules } : {}),
  });
  return result;
}

/** "file:line severity", sorted. */
const graded = (findings: Finding[]) => findings.map((f) => `${f.file}:${f.line} ${f.severity}`).sort();

describe('security/no-hardcoded-secrets grades its findings', () => {
  it('keeps the rule default at error (archlint rules, README, SARIF defaultConfiguration)', () => {
    expect(rules.find((rule) => rule.meta.id === RULE)!.meta.severity).toBe('error');
  });

  it('provider formats and private keys are errors; JWTs and Stripe test-mode keys (reported as fallbacks only) are warnings', async () => {
    const { findings } = await run(caseDir('bad', 'providers'));
    const warnings = findings
      .filter((f) => f.severity === 'warning')
      .map((f) => f.message.split(' ').slice(0, 3).join(' '));
    expect(warnings.sort()).toEqual(['JSON Web Token']);
    const fallbacks = await run(caseDir('bad', 'code-fallbacks'));
    expect(
      fallbacks.findings.filter((f) => f.message.startsWith('Stripe')).map((f) => `${f.severity} ${f.message}`),
    ).toEqual([
      'warning Stripe secret key sk_t… (40 characters) is committed as the fallback for process.env.STRIPE_KEY: a test-mode key reaches test data only',
    ]);
    expect(findings.filter((f) => f.severity === 'error').length).toBeGreaterThanOrEqual(28);
    expect(findings.find((f) => f.message.startsWith('private key'))?.severity).toBe('error');
    for (const f of findings)
      expect(f.message).toMatch(f.severity === 'error' ? /is committed$/ : /is committed: whether it grants access/);
  });

  it('a literal signing key is an error; a secret-like name with a random value is a warning', async () => {
    const sinks = await run(caseDir('bad', 'code-sinks'));
    expect(new Set(sinks.findings.map((f) => f.severity))).toEqual(new Set(['error']));
    const names = await run(caseDir('bad', 'generic'));
    expect(new Set(names.findings.map((f) => f.severity))).toEqual(new Set(['warning']));
    for (const f of names.findings) expect(f.message).toMatch(/is assigned a literal secret/);
  });

  it('a URL password to another machine is an error (one to this machine is not reported)', async () => {
    const { findings } = await run(caseDir('bad', 'url-credentials'));
    expect(graded(findings)).toEqual([
      '.env:3 error',
      '.env:5 error',
      '.env:7 error',
      'src/db.ts:3 error',
      'src/db.ts:5 error',
    ]);
    for (const f of findings) expect(f.message).toMatch(/URL to another machine$/);
  });

  it('the user setting wins for every finding of the rule: rules, overrides, --rule', async () => {
    // Errors (provider keys) and a warning (a JWT) in one case.
    const dir = caseDir('bad', 'providers');
    const all = async (options: Parameters<typeof run>[1]) =>
      new Set((await run(dir, options)).findings.map((f) => f.severity));
    expect(await all({})).toEqual(new Set(['error', 'warning']));
    expect(await all({ config: { rules: { [RULE]: 'error' } } })).toEqual(new Set(['error']));
    expect(await all({ config: { rules: { [RULE]: ['note', {}] } } })).toEqual(new Set(['note']));
    expect(await all({ cliRules: { [RULE]: 'warning' } })).toEqual(new Set(['warning']));
    // An override sets the severity in its files only; elsewhere the findings keep their own.
    const own = await run(dir);
    const overridden = await run(dir, { config: { overrides: [{ files: ['config/**'], rules: { [RULE]: 'note' } }] } });
    expect(graded(overridden.findings)).toEqual(
      graded(own.findings).map((f) => (f.startsWith('config/') ? f.replace(/ \w+$/, ' note') : f)),
    );
    expect(overridden.findings.some((f) => !f.file.startsWith('config/'))).toBe(true);
    // Off is off, whatever the findings' own grades.
    expect((await run(dir, { config: { rules: { [RULE]: 'off' } } })).findings).toEqual([]);
  });
});

describe('per-finding severity in the engine', () => {
  // A rule of its own: the engine must not know security/no-hardcoded-secrets.
  const graderRule = defineRule<'graded'>({
    meta: {
      id: 'test/graded',
      title: 'Grades each finding',
      severity: 'error',
      requires: ['text'],
      tags: [],
      why: 'test',
      fix: 'test',
      examples: { bad: [], good: [] },
      messages: { graded: 'graded {{n}}' },
    },
    check(ctx) {
      for (const file of ctx.text.all()) {
        ctx.report({
          at: { file: file.path, range: { start: 0, end: 1 } },
          messageId: 'graded',
          data: { n: 1 },
          severity: 'note',
        });
        ctx.report({ at: { file: file.path, range: { start: 0, end: 1 } }, messageId: 'graded', data: { n: 2 } });
      }
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'archlint-graded-'));
  writeFileSync(join(dir, 'a.txt'), 'x\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the reported severity, else the rule default, and the user setting over both', async () => {
    const sev = async (config: ArchlintConfig = {}) =>
      (await run(dir, { rules: [graderRule], only: ['test/graded'], config })).findings
        .map((f) => `${f.message} ${f.severity}`)
        .sort();
    expect(await sev()).toEqual(['graded 1 note', 'graded 2 error']);
    expect(await sev({ rules: { 'test/graded': 'warning' } })).toEqual(['graded 1 warning', 'graded 2 warning']);
    const { result } = await lint({
      cwd: dir,
      paths: ['.'],
      loaded: { config: {}, baseDir: dir },
      rules: [graderRule],
      only: ['test/graded'],
    });
    expect(result.summary).toMatchObject({ errors: 1, warnings: 0, notes: 1 });
  });
});

/** Microsoft's SARIF validator, as in test/reporters/sarif.test.ts. */
describe('SARIF carries each finding its own level', () => {
  const require = createRequire(import.meta.url);
  const binary = join(dirname(require.resolve('@microsoft/sarif-multitool-linux/package.json')), 'Sarif.Multitool');
  const dir = mkdtempSync(join(tmpdir(), 'archlint-sarif-levels-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('result levels follow the findings, the rule default stays error, and the log validates', async () => {
    const result = await run(caseDir('bad', 'providers'));
    const text = sarif(result, { color: false });
    const log = JSON.parse(text) as Log;
    const sarifRun = log.runs[0]!;
    const levels = sarifRun.results!.map((r) => r.level);
    expect(levels).toEqual(result.findings.map((f) => f.severity));
    expect(new Set(levels)).toEqual(new Set(['error', 'warning']));
    const descriptor = sarifRun.tool.driver.rules!.find((r) => r.id === RULE)!;
    expect(descriptor.defaultConfiguration?.level).toBe('error');

    chmodSync(binary, 0o755);
    const input = join(dir, 'levels.sarif');
    const output = join(dir, 'levels.out.sarif');
    writeFileSync(input, text);
    const proc = spawnSync(
      binary,
      ['validate', '--rule-kind', 'Gh;Sarif', '--level', 'Error;Warning;Note', '--output', output, input],
      {
        encoding: 'utf8',
        env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
      },
    );
    expect(proc.error, String(proc.error)).toBeUndefined();
    expect(proc.status, `${proc.stdout}\n${proc.stderr}`).toBe(0);
    const problems = (JSON.parse(readFileSync(output, 'utf8')) as Log).runs[0]!.results ?? [];
    // SARIF2017 asks for a region on whole-file results; every result here has one.
    expect(
      problems
        .filter((r) => r.level === 'error' || (r.level ?? 'warning') === 'warning')
        .map((r) => `${r.ruleId}: ${JSON.stringify(r.message)}`),
    ).toEqual([]);
  });
});
