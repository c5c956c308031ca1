/** Baselines: the file format, matching by fingerprint, stale entries, and the CLI end to end. */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyBaseline, formatBaseline, parseBaseline } from '../src/engine/baseline.js';
import { UsageError } from '../src/errors.js';
import type { Finding } from '../src/model/finding.js';
import { runCli as cli } from './harness/cli.js';
import { useTempTrees, writeTree } from './harness/tree.js';

const tree = useTempTrees('baseline');

function found(stdout: string): string[] {
  const report = JSON.parse(stdout) as { findings: Array<{ file: string; line: number; ruleId: string }> };
  return report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);
}

const finding = (file: string, fingerprint: string, ruleId = 'core/unused-suppression'): Finding => ({
  ruleId,
  severity: 'note',
  message: `message for ${fingerprint}`,
  file,
  line: 1,
  column: 1,
  endLine: 1,
  endColumn: 2,
  fileLevel: false,
  source: 'text',
  fingerprint,
  related: [],
});

describe('baseline file', () => {
  it('is stable JSON: sorted by file, rule, message, fingerprint, without lines', () => {
    const text = formatBaseline([finding('b.ts', 'f2'), finding('a.ts', 'f9', 'api/x'), finding('b.ts', 'f1')]);
    expect(text).toBe(formatBaseline([finding('b.ts', 'f1'), finding('b.ts', 'f2'), finding('a.ts', 'f9', 'api/x')]));
    expect(JSON.parse(text)).toEqual({
      version: 1,
      tool: 'archlint',
      findings: [
        { ruleId: 'api/x', file: 'a.ts', fingerprint: 'f9', message: 'message for f9' },
        { ruleId: 'core/unused-suppression', file: 'b.ts', fingerprint: 'f1', message: 'message for f1' },
        { ruleId: 'core/unused-suppression', file: 'b.ts', fingerprint: 'f2', message: 'message for f2' },
      ],
    });
    expect(text.endsWith('}\n')).toBe(true);
    expect(parseBaseline(text, 'b.json')).toHaveLength(3);
  });

  it.each([
    ['not json', 'baseline b.json is not valid JSON; write it with --write-baseline b.json'],
    ['[]', 'baseline b.json has no "findings" list; write it with --write-baseline b.json'],
    ['{"version": 2, "findings": []}', 'baseline b.json has version 2; this archlint reads version 1'],
    [
      '{"version": 1, "findings": [{"ruleId": "x"}]}',
      'baseline b.json: findings[0] needs string "ruleId", "file" and "fingerprint"',
    ],
  ])('rejects %j with a usage error', (text, message) => {
    expect(() => parseBaseline(text, 'b.json')).toThrow(new UsageError(message));
  });

  it('hides recorded findings and lists the entries in scope that no longer occur', () => {
    const entries = parseBaseline(
      formatBaseline([finding('a.ts', 'f1'), finding('a.ts', 'gone'), finding('elsewhere.ts', 'g')]),
      'b',
    );
    const outcome = applyBaseline([finding('a.ts', 'f1'), finding('a.ts', 'new')], entries, (e) => e.file === 'a.ts');
    expect(outcome.kept.map((f) => f.fingerprint)).toEqual(['new']);
    expect(outcome.hidden).toBe(1);
    expect(outcome.stale.map((e) => e.fingerprint)).toEqual(['gone']);
  });
});

/** An unused suppression is a note: the only findings a rule-less archlint can make. */
const OLD = 'export const a = 1;\n// archlint-disable-next-line\nexport const port = 8080;\n';

describe('archlint --write-baseline / --baseline', () => {
  it("accepts today's findings, then reports only new ones, even after lines move", async () => {
    const dir = tree({ 'src/app.ts': OLD, 'lib/util.ts': '// archlint-disable-next-line\nexport const u = 1;\n' });
    const written = await cli(['--write-baseline', 'archlint-baseline.json', '--fail-on', 'note'], dir);
    expect(written.code).toBe(0);
    expect(written.stderr).toBe('archlint: wrote 2 findings to the baseline archlint-baseline.json\n');
    expect(written.stdout).toContain('no problems · 2 in the baseline');
    const baseline = readFileSync(join(dir, 'archlint-baseline.json'), 'utf8');
    expect(parseBaseline(baseline, 'b').map((e) => e.file)).toEqual(['lib/util.ts', 'src/app.ts']);

    const clean = await cli(['-f', 'json', '--baseline', 'archlint-baseline.json', '--fail-on', 'note'], dir);
    expect(clean.code).toBe(0);
    expect(found(clean.stdout)).toEqual([]);

    // Lines added above the old finding do not bring it back; a new suppression is reported.
    writeTree(dir, {
      'src/app.ts': `// header\n\n${OLD}// archlint-disable-next-line -- left over\nexport const b = 2;\n`,
    });
    const fresh = await cli(['-f', 'json', '--baseline', 'archlint-baseline.json', '--fail-on', 'note'], dir);
    expect(fresh.code).toBe(1);
    expect(found(fresh.stdout)).toEqual(['src/app.ts:6 core/unused-suppression']);

    // Rewriting after the move gives the same entries for the old findings: no churn in review.
    await cli(['--write-baseline', 'again.json'], dir);
    const again = parseBaseline(readFileSync(join(dir, 'again.json'), 'utf8'), 'again');
    const before = parseBaseline(baseline, 'b');
    expect(again.filter((e) => before.some((b) => b.fingerprint === e.fingerprint))).toEqual(before);
  });

  it('says how many entries no longer occur, counting only what this run could see', async () => {
    const dir = tree({
      'src/app.ts': OLD,
      'lib/util.ts': '// archlint-disable-next-line\nexport const u = 1;\n',
      'old/gone.ts': OLD,
    });
    await cli(['--write-baseline', 'b.json'], dir);
    writeTree(dir, { 'src/app.ts': 'export const a = 1;\n' });
    rmSync(join(dir, 'old'), { recursive: true });

    const pretty = await cli(['--baseline', 'b.json'], dir);
    expect(pretty.stdout).toContain('no problems · 1 in the baseline');
    expect(pretty.stdout).toContain(
      '2 entries of the baseline b.json no longer occur; rewrite it with --write-baseline to drop stale entries.',
    );
    const markdown = await cli(['-f', 'markdown', '--baseline', 'b.json'], dir);
    expect(markdown.stdout).toContain('(1 in the baseline)');
    expect(markdown.stdout).toContain('2 entries of the baseline `b.json` no longer occur');

    // Linting only lib/: the fixed src/app.ts entry is out of scope; the deleted file is stale anyway.
    const partial = await cli(['--baseline', 'b.json', 'lib'], dir);
    expect(partial.stdout).toContain('1 entry of the baseline b.json no longer occurs;');
  });

  it.each([
    [
      ['--baseline', 'missing.json'],
      'archlint: baseline not found: missing.json (create it with --write-baseline missing.json)',
    ],
    [
      ['--baseline', 'a.json', '--write-baseline', 'a.json'],
      'archlint: --write-baseline records every finding of the run; it cannot be combined with --baseline',
    ],
    [
      ['--changed-since', 'main', '--write-baseline', 'a.json'],
      'archlint: --write-baseline records every finding of the run; it cannot be combined with --changed-since',
    ],
  ])('exits 2 with one line for %j', async (argv, line) => {
    const result = await cli(argv, tree({ 'src/app.ts': OLD }));
    expect(result).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
  });
});
