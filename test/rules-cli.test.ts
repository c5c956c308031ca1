/**
 * `archlint rules` groups the rules by domain (pretty output) and stays a flat array in JSON;
 * `archlint explain` works for every rule archlint knows.
 */
import { describe, expect, it } from 'vitest';
import { allRuleMetas } from '../src/cli/catalogue.js';
import { domainOf, groupByDomain } from '../src/cli/rules.js';
import { runCli as cli } from './harness/cli.js';

const metas = allRuleMetas();

describe('archlint rules', () => {
  it('prints one heading per domain, core last, each rule once under its own domain', async () => {
    const { code, stdout, stderr } = await cli(['rules']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^RULE +SEVERITY +READS +CHECKS THAT$/);
    const headings = lines.flatMap((line, index) =>
      /^[a-z]+( — .*)? \(\d+\)$/.test(line) ? [{ index, domain: line.split(' ')[0]! }] : [],
    );
    const domains = [...new Set(metas.map((m) => domainOf(m.id)))];
    expect(headings.map((h) => h.domain)).toEqual([...domains.filter((d) => d !== 'core').sort(), 'core']);
    for (const [i, heading] of headings.entries()) {
      const end = headings[i + 1]?.index ?? lines.length;
      const ids = lines
        .slice(heading.index + 1, end)
        .flatMap((line) => (/^[a-z0-9-]+\/[a-z0-9-]+ /.test(line) ? [line.split(' ')[0]!] : []));
      const expected = metas.filter((m) => domainOf(m.id) === heading.domain).map((m) => m.id);
      expect(ids, heading.domain).toEqual(expected);
      expect(lines[heading.index]).toContain(`(${expected.length})`);
    }
    expect(stdout).not.toContain('\u001b');
  });

  it('keeps the columns aligned across groups', async () => {
    const { stdout } = await cli(['rules']);
    const rows = stdout.split('\n').filter((line) => /^[a-z0-9-]+\/[a-z0-9-]+ /.test(line));
    const severityColumn = new Set(rows.map((row) => row.search(/ (error|warning|note) /)));
    expect(severityColumn.size).toBe(1);
  });

  it('keeps JSON a flat array of every rule, sorted by id', async () => {
    const { code, stdout } = await cli(['rules', '--format', 'json']);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(Array.isArray(rows)).toBe(true);
    expect(rows.map((r) => r.id)).toEqual(metas.map((m) => m.id));
    for (const row of rows) expect(Object.keys(row)).toEqual(['id', 'title', 'severity', 'requires', 'tags']);
  });

  it('groups core after the checklist domains', () => {
    const groups = groupByDomain(metas);
    expect(groups.at(-1)?.domain).toBe('core');
    expect(groups.flatMap((g) => g.metas).length).toBe(metas.length);
  });
});

describe.each(metas.map((meta) => [meta.id, meta] as const))('archlint explain %s', (id, meta) => {
  it('explains the rule: id, title, why, how to fix, examples', async () => {
    const { code, stdout, stderr } = await cli(['explain', id]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    expect(lines[0]!.startsWith(`${id}  ${meta.severity}`)).toBe(true);
    expect(lines[1]).toBe(meta.title);
    expect(stdout).toContain('\nWhy\n  ');
    expect(stdout).toContain('\nHow to fix\n  ');
    expect(stdout).toContain(`archlint-disable-next-line ${id} -- <reason>`);
    if (meta.examples.bad.length > 0) expect(stdout).toContain('✗ bad');
    if (meta.examples.good.length > 0) expect(stdout).toContain('✓ good');
    for (const example of [...meta.examples.bad, ...meta.examples.good]) {
      for (const path of Object.keys(example.files)) expect(stdout).toContain(`── ${path}`);
    }
  });
});
