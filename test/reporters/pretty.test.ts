import { describe, expect, it } from 'vitest';
import { pretty } from '../../src/reporters/pretty.js';
import { sampleRun } from './sample-run.js';

describe('pretty reporter', () => {
  it('uses no ANSI codes without colour, and some with it', () => {
    expect(pretty(sampleRun(), { color: false })).not.toContain('\x1b');
    expect(pretty(sampleRun(), { color: true })).toContain('\x1b');
  });

  it('colours but otherwise prints the same text', () => {
    const stripped = pretty(sampleRun(), { color: true }).replace(/\x1b\[[0-9;]*m/g, '');
    expect(stripped).toBe(pretty(sampleRun(), { color: false }));
  });

  it('shows control characters from the repository instead of sending them to the terminal', () => {
    const run = sampleRun([{ ...sampleRun().findings[2]!, message: 'evil \x1b[2J name' }]);
    const out = pretty(run, { color: false });
    expect(out).not.toContain('\x1b');
    expect(out).toContain('evil \\u001b[2J name');
  });

  it('aligns the columns of a file', () => {
    const rows = pretty(sampleRun(), { color: false })
      .split('\n')
      .filter((l) => /^ {2}\d/.test(l));
    expect(rows.length).toBe(3);
    for (const row of rows) expect(row).toMatch(/^ {2}\S+ {2}(error|warning|note) {2}/);
  });

  it('summarises with correct plurals and a hint naming the first rule', () => {
    const out = pretty(sampleRun(), { color: false });
    expect(
      out.endsWith(
        '✖ 4 problems (2 errors, 1 warning, 1 note) · 2 suppressed · 42 files in 310 ms\n' +
          'Run "archlint explain security/no-hardcoded-secrets" for why and how to fix.\n',
      ),
    ).toBe(true);
  });

  it('says "no problems" and gives no hint when there are no findings', () => {
    const run = sampleRun([], 0);
    run.summary.files = 1;
    expect(pretty(run, { color: false })).toBe('✔ no problems · 1 file in 310 ms\n');
  });
});
