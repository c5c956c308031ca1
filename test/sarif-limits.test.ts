/**
 * SARIF for GitHub code scanning beyond the reporter's shape: the category (automationDetails),
 * paths relative to the repository root whatever folder archlint runs in (SARIF and annotations),
 * and GitHub's upload limits — a deterministic cut by severity, a one-line warning, the count in
 * the summary — up to a 30,000-finding run checked by Microsoft's validator with GitHub's rules.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Log } from 'sarif';
import { describe, expect, it } from 'vitest';
import { sarifFor } from '../src/cli/lint.js';
import { GITHUB_LIMITS, sarifWithinLimits } from '../src/reporters/sarif.js';
import type { Finding } from '../src/model/finding.js';
import { runCli } from './harness/cli.js';
import { useTempTrees } from './harness/tree.js';
import { manyFindings, sampleFindings, sampleRun } from './reporters/sample-run.js';

const tree = useTempTrees('sarif-limits');

const inFile = (findings: Finding[], file: string) => findings.map((f) => ({ ...f, file }));
const results = (text: string) => (JSON.parse(text) as Log).runs[0]!.results!;

describe('SARIF category', () => {
  it('becomes automationDetails.id (GitHub reads the category up to the last "/"), and is absent when not given', () => {
    const withCategory = sarifWithinLimits(sampleRun(), { category: 'orders-service' }).log.runs[0]!;
    expect(withCategory.automationDetails).toEqual({ id: 'orders-service/' });
    expect(sarifWithinLimits(sampleRun(), { category: 'shop/orders/' }).log.runs[0]!.automationDetails).toEqual({
      id: 'shop/orders/',
    });
    expect(sarifWithinLimits(sampleRun()).log.runs[0]).not.toHaveProperty('automationDetails');
  });

  it('is a CLI option, refused when empty', async () => {
    const dir = tree({ 'db/001.sql': '-- archlint-disable-next-line db/nope\nSELECT 1;\n' });
    const run = await runCli(['-f', 'sarif', '--category', 'billing'], dir);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Log).runs[0]!.automationDetails).toEqual({ id: 'billing/' });
    const bad = await runCli(['-f', 'sarif', '--category', ' '], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^archlint: option '--category <name>' argument ' ' is invalid/);
  });
});

describe('paths relative to the repository root', () => {
  const files = {
    'services/orders/db/001.sql': '-- archlint-disable-next-line db/nope\nSELECT 1;\n',
    'services/orders/.gitkeep': '',
  };

  it('from a sub-folder of a git tree: SARIF URIs and annotations name the file from the top level; pretty stays relative to the cwd', async () => {
    const repo = tree({ ...files, '.git/HEAD': 'ref: refs/heads/main\n' });
    const cwd = join(repo, 'services/orders');
    const sarif = await runCli(['-f', 'sarif'], cwd);
    const run = (JSON.parse(sarif.stdout) as Log).runs[0]!;
    expect(run.results!.map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri)).toEqual([
      'services/orders/db/001.sql',
    ]);
    expect(run.originalUriBaseIds!['%SRCROOT%']!.uri).toBe(`file://${repo}/`);
    const github = await runCli(['-f', 'github'], cwd);
    expect(github.stdout).toMatch(/^::notice file=services\/orders\/db\/001\.sql,line=1,/);
    expect((await runCli(['-f', 'pretty', '--no-color'], cwd)).stdout).toMatch(/^db\/001\.sql\n/);
  });

  it('a worktree or submodule (.git is a file) is a top level too; a lint path elsewhere is resolved from the cwd', async () => {
    const repo = tree({ ...files, '.git': 'gitdir: /elsewhere\n', 'tools/.keep': '' });
    const github = await runCli(['-f', 'github', '../services/orders'], join(repo, 'tools'));
    expect(github.stdout).toMatch(/^::notice file=services\/orders\/db\/001\.sql,/);
  });

  it('outside a git tree: relative to the lint root (the first path)', async () => {
    const dir = tree(files);
    const github = await runCli(['-f', 'github', 'services/orders'], dir);
    expect(github.stdout).toMatch(/^::notice file=db\/001\.sql,/);
  });
});

describe("GitHub's upload limits", () => {
  it('keeps errors, then warnings, then notes up to 25,000 results, in report order, and says what it left out', () => {
    const errors = inFile(manyFindings(1_000, 'error'), 'a.ts');
    const notes = inFile(manyFindings(10_000, 'note'), 'b.ts');
    const warnings = inFile(manyFindings(20_000, 'warning'), 'c.ts');
    const run = sampleRun([...errors, ...notes, ...warnings]);
    let stderr = '';
    const io = {
      cwd: run.cwd,
      env: {},
      stdout: { write: () => true },
      stderr: { write: (t: string) => (stderr += t) },
    };
    const { text, cut } = sarifFor(run, {}, io);
    const kept = results(text);
    expect(kept).toHaveLength(GITHUB_LIMITS.resultsPerRun);
    const count = (level: string) => kept.filter((r) => r.level === level).length;
    expect([count('error'), count('warning'), count('note')]).toEqual([1_000, 20_000, 4_000]);
    // The first 4,000 notes in report order, and the file order kept: a.ts, b.ts, c.ts.
    expect(kept[1_000]!.message.text).toBe('Finding number 1.');
    expect(kept[4_999]!.message.text).toBe('Finding number 4000.');
    expect(kept[5_000]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('c.ts');
    expect(cut).toEqual({ results: 6_000, relatedLocations: 0 });
    expect(stderr).toBe(
      "archlint: warning: the SARIF report holds 25000 of 31000 findings (the rest are the lowest severities) to stay within GitHub code scanning's upload limits (25000 results per run, 10 MB gzipped); the other reports have every finding.\n",
    );
    // The same input gives the same file.
    expect(sarifFor(run, {}, io).text).toBe(text);
  });

  it('keeps at most 1,000 related locations per result', () => {
    const related = Array.from({ length: 1_500 }, (_, i) => ({
      file: 'x.ts',
      line: i + 1,
      column: 1,
      endLine: i + 1,
      endColumn: 2,
      message: `use ${i}`,
    }));
    const report = sarifWithinLimits(sampleRun([{ ...sampleFindings[1]!, related }]));
    expect(report.log.runs[0]!.results![0]!.relatedLocations).toHaveLength(1_000);
    expect(report.cut).toEqual({ results: 0, relatedLocations: 500 });
  });

  it('cuts below 25,000 results when the gzipped file would pass 10 MB', () => {
    // Long random messages compress badly: 12,000 of them are well over 10 MB gzipped.
    let seed = 7;
    const noise = () =>
      Array.from({ length: 1_200 }, () => {
        seed = (seed * 48271) % 2147483647;
        return String.fromCharCode(33 + (seed % 90));
      }).join('');
    const findings = inFile(manyFindings(12_000, 'warning'), 'big.ts').map((f) => ({ ...f, message: noise() }));
    const report = sarifWithinLimits(sampleRun(findings));
    const kept = report.log.runs[0]!.results!.length;
    expect(kept).toBeLessThan(12_000);
    expect(kept).toBeGreaterThan(5_000);
    expect(report.cut.results).toBe(12_000 - kept);
  });

  it('a summary line counts what SARIF left out', async () => {
    const run = {
      ...sampleRun(),
      summary: { ...sampleRun().summary, sarifCut: { results: 6_000, relatedLocations: 0 } },
    };
    const { pretty } = await import('../src/reporters/pretty.js');
    const { markdown } = await import('../src/reporters/markdown.js');
    expect(pretty(run, { color: false })).toContain("6000 left out of the SARIF report (GitHub's limits)");
    expect(markdown(run, { color: false })).toContain("6000 left out of the SARIF report (GitHub's limits)");
  });

  it("a 30,000-finding run: at most 25,000 results, the warning on standard error, and the validator with GitHub's rules is clean", async () => {
    // 30 migrations of 1,000 suppressions naming no rule: 30,000 core/unused-suppression notes.
    const files: Record<string, string> = {};
    for (let f = 0; f < 30; f++) {
      files[`db/${String(f).padStart(2, '0')}.sql`] = Array.from(
        { length: 1_000 },
        (_, i) => `-- archlint-disable-next-line db/no-such-rule-${i}\nSELECT ${i};\n`,
      ).join('');
    }
    const dir = tree(files);
    const run = await runCli(['-f', 'sarif=out.sarif', '-f', 'pretty', '--no-color'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      "archlint: warning: the SARIF report holds 25000 of 30000 findings (the rest are the lowest severities) to stay within GitHub code scanning's upload limits",
    );
    expect(run.stdout).toContain(
      "30000 problems (0 errors, 0 warnings, 30000 notes) · 5000 left out of the SARIF report (GitHub's limits)",
    );
    expect(results(readFileSync(join(dir, 'out.sarif'), 'utf8'))).toHaveLength(25_000);

    const require = createRequire(import.meta.url);
    const binary = join(dirname(require.resolve('@microsoft/sarif-multitool-linux/package.json')), 'Sarif.Multitool');
    chmodSync(binary, 0o755);
    mkdirSync(join(dir, 'validated'));
    const output = join(dir, 'validated/out.sarif');
    const proc = spawnSync(
      binary,
      [
        'validate',
        '--rule-kind',
        'Gh;Sarif',
        '--level',
        'Error;Warning',
        '--max-file-size-in-kb',
        '100000',
        '--output',
        output,
        join(dir, 'out.sarif'),
      ],
      { encoding: 'utf8', env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } },
    );
    expect(proc.status, `${proc.stdout}\n${proc.stderr}`).toBe(0);
    const problems = (JSON.parse(readFileSync(output, 'utf8')) as Log).runs[0]!.results ?? [];
    expect(problems.map((r) => `${r.ruleId}: ${r.message.text ?? JSON.stringify(r.message.arguments)}`)).toEqual([]);
    writeFileSync(join(dir, 'done'), '');
  }, 400_000);
});
