/**
 * Conventions of other linters that teams expect: quoted globs as paths, --max-warnings,
 * --color/--no-color with FORCE_COLOR and NO_COLOR, --no-ignore, the lint options in the top-level
 * --help, and the pre-commit hook definition.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { useColor } from '../src/cli/color.js';
import { expandGlobs } from '../src/cli/globs.js';
import { runCli as cli } from './harness/cli.js';
import { useTempTrees } from './harness/tree.js';

const tree = useTempTrees('cli-conventions');
const ROOT = new URL('..', import.meta.url).pathname;

/** Each file holds one core/unused-suppression note (a suppression naming no rule). */
const note = '-- archlint-disable-next-line db/no-such-rule\nSELECT 1;\n';
const files = (json: string) => (JSON.parse(json) as { findings: Array<{ file: string }> }).findings.map((f) => f.file);

describe('globs as paths', () => {
  const layout = {
    'db/a.sql': note,
    'db/nested/b.sql': note,
    'db/readme.txt': 'archlint-disable-next-line db/no-such-rule\n',
    'other/c.sql': note,
    'db/ignored/d.sql': note,
    'db/.gitignore': 'ignored/\n',
    'we[ir]d/e.sql': note,
  };

  it('walks the static part and keeps what the pattern matches, .gitignore still applying', async () => {
    const dir = tree(layout);
    const run = await cli(['db/**/*.sql', '-f', 'json'], dir);
    expect(run.stderr).toBe('');
    expect(files(run.stdout)).toEqual(['db/a.sql', 'db/nested/b.sql']);
    expect(files((await cli(['*/*.sql', 'other', '-f', 'json'], dir)).stdout)).toEqual([
      'db/a.sql',
      'other/c.sql',
      'we[ir]d/e.sql',
    ]);
  });

  it('takes an existing path literally, glob characters and all', async () => {
    const dir = tree(layout);
    expect(files((await cli(['we[ir]d', '-f', 'json'], dir)).stdout)).toEqual(['we[ir]d/e.sql']);
    expect(expandGlobs(['we[ir]d', 'db'], dir)).toEqual({ paths: ['we[ir]d', 'db'] });
  });

  it('a glob over a missing folder is a usage error naming the folder', async () => {
    const run = await cli(['nope/**/*.sql'], tree(layout));
    expect(run).toMatchObject({ code: 2, stderr: 'archlint: path not found: nope\n' });
  });
});

describe('--no-ignore', () => {
  it('lints what .gitignore and the config ignore; the always-skipped folders stay skipped', async () => {
    const dir = tree({
      'a.sql': note,
      'generated/b.sql': note,
      'legacy/c.sql': note,
      'node_modules/pkg/d.sql': note,
      '.gitignore': 'generated/\n',
      'archlint.config.json': '{ "ignore": ["legacy/"] }\n',
    });
    expect(files((await cli(['-f', 'json'], dir)).stdout)).toEqual(['a.sql']);
    expect(files((await cli(['-f', 'json', '--no-ignore'], dir)).stdout)).toEqual([
      'a.sql',
      'generated/b.sql',
      'legacy/c.sql',
    ]);
  });
});

describe('--max-warnings', () => {
  const warnings = {
    'db/001.sql':
      'CREATE TABLE customers (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers(id));\n',
  };

  it('exits 1 when more warnings than allowed are reported, with one line on standard error', async () => {
    const dir = tree(warnings);
    const base = ['--only', 'db/indexed-foreign-keys', '-f', 'json'];
    const counted = JSON.parse((await cli(base, dir)).stdout) as { summary: { warnings: number; errors: number } };
    expect(counted.summary).toMatchObject({ warnings: 1, errors: 0 });
    expect((await cli([...base, '--max-warnings', '1'], dir)).code).toBe(0);
    const over = await cli([...base, '--max-warnings', '0'], dir);
    expect(over.code).toBe(1);
    expect(over.stderr).toBe('archlint: 1 warning reported, more than --max-warnings 0\n');
    // Warnings the baseline hides are not reported, so they do not count.
    await cli(['--only', 'db/indexed-foreign-keys', '--write-baseline', 'b.json'], dir);
    expect((await cli([...base, '--max-warnings', '0', '--baseline', 'b.json'], dir)).code).toBe(0);
  });

  it('refuses a value that is not a whole number', async () => {
    const run = await cli(['--max-warnings', 'many'], tree({}));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "archlint: option '--max-warnings <n>' argument 'many' is invalid. expected a whole number of warnings (0 or more), got \"many\"\n",
    );
  });
});

describe('colour', () => {
  const io = (env: NodeJS.ProcessEnv, isTTY: boolean) => ({
    cwd: '/',
    env,
    stdout: { write: () => true, isTTY },
    stderr: { write: () => true },
  });

  it('--color and --no-color win; then FORCE_COLOR; then NO_COLOR; else only on a terminal', () => {
    expect(useColor(true, io({ NO_COLOR: '1' }, false))).toBe(true);
    expect(useColor(false, io({ FORCE_COLOR: '1' }, true))).toBe(false);
    expect(useColor(undefined, io({ FORCE_COLOR: '1', NO_COLOR: '1' }, false))).toBe(true);
    expect(useColor(undefined, io({ FORCE_COLOR: '' }, false))).toBe(true);
    expect(useColor(undefined, io({ FORCE_COLOR: '0' }, true))).toBe(false);
    expect(useColor(undefined, io({ FORCE_COLOR: 'false' }, true))).toBe(false);
    expect(useColor(undefined, io({ NO_COLOR: '1' }, true))).toBe(false);
    expect(useColor(undefined, io({}, false))).toBe(false);
  });

  it('reaches the pretty report from the command line and the environment', async () => {
    const dir = tree({ 'a.sql': note });
    const ansi = /\u001b\[/;
    expect((await cli(['--color'], dir)).stdout).toMatch(ansi);
    expect((await cli([], dir, { FORCE_COLOR: '1' })).stdout).toMatch(ansi);
    expect((await cli(['--no-color'], dir, { FORCE_COLOR: '1' })).stdout).not.toMatch(ansi);
    expect((await cli([], dir)).stdout).not.toMatch(ansi);
    expect((await cli(['rules', '--color'], dir)).stdout).toMatch(ansi);
  });
});

describe('archlint --help', () => {
  it('lists the lint options beside the commands', async () => {
    const help = (await cli(['--help'], tree({}))).stdout;
    expect(help).toContain('Lint options (archlint [paths...] is archlint lint [paths...]):');
    for (const option of [
      '--format',
      '--fail-on',
      '--max-warnings',
      '--color',
      '--no-color',
      '--no-ignore',
      '--category',
      '--changed-since',
      '--baseline',
      '--threads',
    ]) {
      expect(help).toMatch(new RegExp(`\\n  (-\\w, )?${option}\\b`));
    }
  });
});

describe('.pre-commit-hooks.yaml', () => {
  it('defines an archlint hook that runs on the whole tree (cross-file rules) through the package bin', () => {
    const hooks = parse(readFileSync(`${ROOT}.pre-commit-hooks.yaml`, 'utf8')) as Array<Record<string, unknown>>;
    const hook = hooks.find((h) => h.id === 'archlint')!;
    expect(hook).toMatchObject({ entry: 'archlint', language: 'node', pass_filenames: false, always_run: true });
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(pkg.bin)).toContain(hook.entry);
  });
});
