/**
 * The command line end to end: in-process through main() for most cases, and through the real
 * bin/archlint.js (built by `npm test` / `npm install`) for exit codes and streams.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { allRuleMetas } from '../src/cli/catalogue.js';
import { runCli as cli } from './harness/cli.js';
import { useTempTrees } from './harness/tree.js';

const tree = useTempTrees('cli');

const BIN = new URL('../bin/archlint.js', import.meta.url).pathname;
const ROOT = new URL('..', import.meta.url).pathname;

/** A tree with one unused suppression (a note) and one naming an unknown rule (a note). */
const NOTES = {
  'src/app.ts': '// archlint-disable-next-line\nexport const port = 8080;\n',
  'db/001.sql': '-- archlint-disable-next-line db/no-such-rule\nCREATE TABLE t (id int PRIMARY KEY);\n',
};

describe('exit codes', () => {
  it('exits 0 when nothing is at the fail level, 1 when something is, per --fail-on', async () => {
    const dir = tree(NOTES);
    expect((await cli(['--format', 'json'], dir)).code).toBe(0);
    expect((await cli(['--fail-on', 'note'], dir)).code).toBe(1);
    expect((await cli(['--fail-on', 'note', '--rule', 'core/unused-suppression=off'], dir)).code).toBe(0);
    expect((await cli(['--fail-on', 'never', '--rule', 'core/unused-suppression=error'], dir)).code).toBe(0);
    expect((await cli(['--rule', 'core/unused-suppression=error'], dir)).code).toBe(1);
  });

  it.each([
    [['--bogus'], "archlint: unknown option '--bogus'"],
    [['lint', 'missing-folder'], 'archlint: path not found: missing-folder'],
    [
      ['--rule', 'zz/no-such-thing=warning'],
      'archlint: --rule: unknown rule id "zz/no-such-thing"; "archlint rules" lists them',
    ],
    [
      ['--rule', 'core/parse-error=loud'],
      'archlint: --rule core/parse-error=loud: severity must be off, note, warning or error',
    ],
    [
      ['--only', 'core/unused-supression'],
      'archlint: --only: unknown rule id "core/unused-supression" (did you mean "core/unused-suppression"?); "archlint rules" lists them',
    ],
    [['--format', 'xml'], 'archlint: unknown format "xml" (use pretty, json, sarif, github, markdown)'],
    [
      ['-f', 'json', '-f', 'sarif'],
      'archlint: json and sarif would both go to standard output; give all but one a file (--format sarif=<file>)',
    ],
    [
      ['--fail-on', 'sometimes'],
      "archlint: option '--fail-on <level>' argument 'sometimes' is invalid. Allowed choices are error, warning, note, never.",
    ],
    [['--config', 'nope.json'], 'archlint: config file not found: nope.json'],
    [['explain', 'zz/no-such-thing'], 'archlint: unknown rule id "zz/no-such-thing"; "archlint rules" lists them'],
    [
      ['explain', 'core/parse-eror'],
      'archlint: unknown rule id "core/parse-eror" (did you mean "core/parse-error"?); "archlint rules" lists them',
    ],
  ])('exits 2 with one line for %j', async (argv, line) => {
    const { code, stdout, stderr } = await cli(argv, tree(NOTES));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${line}\n`);
  });

  it('exits 2 naming the key for an unknown config key and an unknown rule id in config', async () => {
    const badKey = await cli([], tree({ ...NOTES, 'archlint.config.json': '{ "rulez": {} }' }));
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toBe('archlint: archlint.config.json: unknown key "rulez" at / (did you mean "rules"?)\n');
    const badId = await cli([], tree({ ...NOTES, 'archlint.config.yaml': 'rules:\n  core/parse-eror: off\n' }));
    expect(badId.code).toBe(2);
    expect(badId.stderr).toBe(
      'archlint: archlint.config.yaml: unknown rule id "core/parse-eror" in rules (did you mean "core/parse-error"?)\n',
    );
  });
});

describe('reports', () => {
  it('writes several reports from one run, each to its own place', async () => {
    const dir = tree(NOTES);
    const { code, stdout } = await cli(
      [
        '-f',
        'pretty',
        '-f',
        'json=out/report.json',
        '-f',
        'sarif=out/archlint.sarif',
        '-f',
        'markdown=summary.md',
        '-f',
        'github=gh.txt',
      ],
      dir,
    );
    expect(code).toBe(0);
    expect(stdout).toContain('2 problems (0 errors, 0 warnings, 2 notes)');
    const json = JSON.parse(readFileSync(join(dir, 'out/report.json'), 'utf8')) as {
      findings: Array<{ file: string; line: number; ruleId: string }>;
    };
    expect(json.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual([
      'db/001.sql:1 core/unused-suppression',
      'src/app.ts:1 core/unused-suppression',
    ]);
    const sarif = JSON.parse(readFileSync(join(dir, 'out/archlint.sarif'), 'utf8')) as {
      runs: Array<{ results: unknown[] }>;
    };
    expect(sarif.runs[0]!.results).toHaveLength(2);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('| `core/unused-suppression` |');
    expect(
      readFileSync(join(dir, 'gh.txt'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('::notice file=')),
    ).toHaveLength(2);
  });

  it('sends the report to --output, and -o to the first format that has no file of its own', async () => {
    const dir = tree(NOTES);
    expect(await cli(['-f', 'sarif', '-o', 'archlint.sarif'], dir)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((JSON.parse(readFileSync(join(dir, 'archlint.sarif'), 'utf8')) as { version: string }).version).toBe(
      '2.1.0',
    );
    const both = await cli(['-f', 'json=r.json', '-f', 'markdown', '-o', 'r.md'], dir);
    expect(both.stdout).toBe('');
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toMatch(/^## archlint/);
    expect((await cli(['-f', 'json=x.json', '-o', 'y.json'], dir)).stderr).toBe(
      'archlint: --output given, but every --format already names its own file\n',
    );
  });

  it('reports paths relative to the current directory with / separators', async () => {
    const dir = tree(NOTES);
    const { stdout } = await cli(['-f', 'json', 'src'], join(dir));
    expect((JSON.parse(stdout) as { findings: Array<{ file: string }> }).findings.map((f) => f.file)).toEqual([
      'src/app.ts',
    ]);
    const fromSub = await cli(['-f', 'json', '.'], join(dir, 'src'));
    expect((JSON.parse(fromSub.stdout) as { findings: Array<{ file: string }> }).findings.map((f) => f.file)).toEqual([
      'app.ts',
    ]);
  });

  it('--quiet keeps only findings at or above the fail level; --only runs just those rules', async () => {
    const dir = tree(NOTES);
    const quiet = JSON.parse((await cli(['-f', 'json', '--quiet'], dir)).stdout) as {
      findings: unknown[];
      summary: { notes: number };
    };
    expect(quiet.findings).toEqual([]);
    expect(quiet.summary.notes).toBe(0);
    const loud = JSON.parse((await cli(['-f', 'json', '--quiet', '--fail-on', 'note'], dir)).stdout) as {
      findings: unknown[];
    };
    expect(loud.findings).toHaveLength(2);
  });

  it('uses overrides from a config found upward from the current directory', async () => {
    const dir = tree({
      ...NOTES,
      'archlint.config.yaml': 'overrides:\n  - files: ["db"]\n    rules:\n      core/unused-suppression: "off"\n',
    });
    const { stdout } = await cli(['-f', 'json', '..'], join(dir, 'src'));
    expect((JSON.parse(stdout) as { findings: Array<{ file: string }> }).findings.map((f) => f.file)).toEqual([
      'app.ts',
    ]);
  });

  it('gives a byte-identical report on two runs (apart from the duration)', async () => {
    const dir = tree(NOTES);
    const strip = (text: string) => text.replace(/"durationMs": \d+/, '');
    expect(strip((await cli(['-f', 'json'], dir)).stdout)).toBe(strip((await cli(['-f', 'json'], dir)).stdout));
  });
});

describe('rules, explain, init', () => {
  it('lists the rules as JSON with exactly the documented keys', async () => {
    const { code, stdout } = await cli(['rules', '--format', 'json'], tree({}));
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.id)).toEqual(allRuleMetas().map((m) => m.id));
    for (const row of rows) expect(Object.keys(row)).toEqual(['id', 'title', 'severity', 'requires', 'tags']);
  });

  it('prints a table of rules and explains one, without colour when not a terminal', async () => {
    const table = await cli(['rules'], tree({}));
    expect(table.stdout.split('\n')[0]).toMatch(/^RULE +SEVERITY +READS +CHECKS THAT$/);
    expect(table.stdout).toContain('core/unused-suppression');
    const explained = await cli(['explain', 'core/unused-suppression'], tree({}));
    expect(explained.code).toBe(0);
    expect(explained.stdout).not.toContain('\u001b');
    expect(explained.stdout).toContain('Why\n  A suppression that matches no finding');
    expect(explained.stdout).toContain('✗ bad');
    expect(explained.stdout).toContain('✓ good');
  });

  it('init writes a config that loads cleanly and refuses to overwrite one', async () => {
    const dir = tree({});
    expect(await cli(['init'], dir)).toEqual({
      code: 0,
      stdout: `Wrote ${join(dir, 'archlint.config.yaml')}\n`,
      stderr: '',
    });
    const loaded = await loadConfig({ cwd: dir, knownRuleIds: allRuleMetas().map((m) => m.id) });
    expect(loaded.file).toBe(join(dir, 'archlint.config.yaml'));
    expect(await cli(['init'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'archlint: archlint.config.yaml already exists (use --force to overwrite)\n',
    });
    expect((await cli(['init', '--force'], dir)).code).toBe(0);
    const other = tree({ 'archlint.config.json': '{}' });
    expect((await cli(['init'], other)).stderr).toBe(
      'archlint: archlint.config.json already configures archlint here; edit it instead\n',
    );
  });
});

describe('bin/archlint.js', () => {
  const run = (args: string[], cwd: string) =>
    spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  it('is built (npm test builds it first)', () => {
    expect(existsSync(join(ROOT, 'dist/src/cli/main.js'))).toBe(true);
  });

  it('prints the version and exits 0', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = run(['--version'], ROOT);
    expect([result.status, result.stdout, result.stderr]).toEqual([0, `${pkg.version}\n`, '']);
  });

  it('exits 1 with findings at the fail level, 2 on a bad flag, 0 on an empty folder', () => {
    const dir = tree(NOTES);
    expect(run(['--fail-on', 'note'], dir).status).toBe(1);
    const bad = run(['--nope'], dir);
    expect([bad.status, bad.stderr]).toEqual([2, "archlint: unknown option '--nope'\n"]);
    const empty = run(['lint'], tree({}));
    expect([empty.status, empty.stdout]).toEqual([
      0,
      `✔ no problems · 0 files in ${/in (\d+) ms/.exec(empty.stdout)![1]} ms\n`,
    ]);
  });
});
