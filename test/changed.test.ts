/**
 * --changed-since: the diff parser on hand-written patches, the filter on hand-made findings,
 * and the CLI end to end in temporary git repositories.
 */
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changesSince, parseUnifiedDiff, partitionByChanges, unquoteC, type Changes } from '../src/cli/changed.js';
import type { Finding } from '../src/model/finding.js';
import { GIT_ENV, tempRepo, type TempRepo } from './harness/git.js';
import { runCli as cli } from './harness/cli.js';

let repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos) repo.remove();
  repos = [];
});
function repo(): TempRepo {
  const created = tempRepo();
  repos.push(created);
  return created;
}

/** Findings of a JSON report as "file:line ruleId". */
function found(stdout: string): string[] {
  const report = JSON.parse(stdout) as { findings: Array<{ file: string; line: number; ruleId: string }> };
  return report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);
}

describe('parseUnifiedDiff', () => {
  it('reads added and changed line ranges per new path, skipping hunk bodies by their counts', () => {
    const patch = [
      'diff --git a/src/app.ts b/src/app.ts',
      'index 1111111..2222222 100644',
      '--- a/src/app.ts',
      '+++ b/src/app.ts',
      '@@ -0,0 +1,2 @@',
      '+// top',
      '+++ b/evil.ts',
      '@@ -5 +7 @@ export const a = 1;',
      '-old',
      '+new',
      '@@ -9,2 +10,0 @@',
      '-gone',
      '-gone too',
      '@@ -20 +21,3 @@',
      '-x',
      '+a',
      '+b',
      '+c',
      '\\ No newline at end of file',
      'diff --git a/old.sql b/old.sql',
      'deleted file mode 100644',
      '--- a/old.sql',
      '+++ /dev/null',
      '@@ -1,2 +0,0 @@',
      '-CREATE TABLE t ();',
      '-+++ b/not-a-header.sql',
      'diff --git "a/caf\\303\\251 x.ts" "b/caf\\303\\251 x.ts"',
      '--- "a/caf\\303\\251 x.ts"',
      '+++ "b/caf\\303\\251 x.ts"',
      '@@ -1 +1 @@',
      '-a',
      '+b',
      'diff --git a/my dir/a b.ts b/my dir/a b.ts',
      '--- a/my dir/a b.ts\t',
      '+++ b/my dir/a b.ts\t',
      '@@ -3,0 +4 @@',
      '+added',
      '',
    ].join('\n');
    expect(Object.fromEntries(parseUnifiedDiff(patch))).toEqual({
      'src/app.ts': [
        { start: 1, end: 2 },
        { start: 7, end: 7 },
        { start: 21, end: 23 },
      ],
      'café x.ts': [{ start: 1, end: 1 }],
      'my dir/a b.ts': [{ start: 4, end: 4 }],
    });
  });

  it('unquotes git C-style paths', () => {
    expect(unquoteC('"b/a\\tb\\"c\\\\d\\303\\251"')).toBe('b/a\tb"c\\dé');
  });
});

describe('partitionByChanges', () => {
  const finding = (file: string, line: number, endLine = line, extra: Partial<Finding> = {}): Finding => ({
    ruleId: 'api/paginated-lists',
    severity: 'warning',
    message: 'm',
    file,
    line,
    column: 3,
    endLine,
    endColumn: 4,
    fileLevel: false,
    source: 'openapi',
    fingerprint: `${file}:${line}`,
    related: [],
    ...extra,
  });
  const changes: Changes = {
    ref: 'main',
    base: 'abc',
    cwdFromTop: 'svc',
    notes: [],
    top: '/no/such/top',
    cwd: '/no/such/top/svc',
    files: new Map([
      ['svc/api.yaml', { all: false, lines: [{ start: 10, end: 12 }] }],
      ['svc/moved.ts', { all: false, lines: [] }],
      ['svc/new.ts', { all: true, lines: [] }],
    ]),
  };

  it('keeps findings whose lines meet a changed range, file-level findings of changed files, and internal errors', () => {
    const findings = [
      finding('api.yaml', 9),
      finding('api.yaml', 5, 10),
      finding('api.yaml', 12),
      finding('api.yaml', 13),
      finding('api.yaml', 8, 10, { endColumn: 1 }),
      finding('moved.ts', 1, 1, { fileLevel: true }),
      finding('moved.ts', 4),
      finding('new.ts', 40),
      finding('other.ts', 1, 1, { fileLevel: true }),
      finding('.', 1, 1, { ruleId: 'core/internal-error', fileLevel: true }),
      finding('../outside.ts', 10),
    ];
    const { kept, hidden } = partitionByChanges(findings, changes);
    expect(kept.map((f) => f.fingerprint)).toEqual(['api.yaml:5', 'api.yaml:12', 'moved.ts:1', 'new.ts:40', '.:1']);
    expect(hidden).toBe(6);
  });
});

/** A base commit on main with an old finding, and a feature branch that adds a new one. */
const OLD = 'export const a = 1;\n// archlint-disable-next-line\nexport const port = 8080;\n';
const NEW =
  '// two lines added above the old finding\n// do not bring it back\n' +
  OLD +
  '// archlint-disable-next-line db/no-such-rule\nexport const b = 2;\n';

function featureRepo(): TempRepo {
  const r = repo();
  r.commit('base', { 'src/app.ts': OLD, 'lib/util.ts': 'export const u = 1;\n' });
  r.git('checkout', '-q', '-b', 'feature');
  r.commit('feature', { 'src/app.ts': NEW });
  return r;
}

/** A repository whose second commit adds a submodule `modules/lib` (util.ts: OLD). */
function repoWithSubmodule(): TempRepo {
  const lib = repo();
  lib.commit('lib base', { 'util.ts': OLD });
  const r = repo();
  r.commit('base', { 'src/app.ts': OLD });
  r.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', lib.dir, 'modules/lib');
  r.git('commit', '-q', '-m', 'add lib');
  return r;
}

describe('archlint --changed-since', () => {
  it('reports only findings on lines changed since the merge base, and says how many it hid', async () => {
    const r = featureRepo();
    const all = await cli(['-f', 'json'], r.dir);
    expect(found(all.stdout)).toEqual(['src/app.ts:4 core/unused-suppression', 'src/app.ts:6 core/unused-suppression']);

    const json = await cli(['-f', 'json', '--changed-since', 'main', '--fail-on', 'note'], r.dir);
    expect(json.code).toBe(1);
    expect(found(json.stdout)).toEqual(['src/app.ts:6 core/unused-suppression']);
    // The JSON contract keeps its keys; the counts follow the filter.
    expect(JSON.parse(json.stdout).summary).toMatchObject({ notes: 1 });

    const pretty = await cli(['--changed-since', 'main'], r.dir);
    expect(pretty.stdout).toContain('1 not on lines changed since main');
    const markdown = await cli(['-f', 'markdown', '--changed-since', 'main'], r.dir);
    expect(markdown.stdout).toContain('1 not on lines changed since `main`');
  });

  it('compares the merge base, not the tip of the ref, with the working tree', async () => {
    const r = featureRepo();
    // main moves on after the branch point: its new commits are not this branch's changes.
    r.git('checkout', '-q', 'main');
    r.commit('main moves on', { 'lib/late.ts': '// archlint-disable-next-line\nexport const late = 1;\n' });
    r.git('checkout', '-q', 'feature');
    // Uncommitted edits and untracked files are changes too.
    writeFileSync(join(r.dir, 'lib/util.ts'), '// archlint-disable-next-line\nexport const u = 1;\n');
    writeFileSync(join(r.dir, 'draft.ts'), '// archlint-disable-next-line\nexport const d = 1;\n');
    const { stdout } = await cli(['-f', 'json', '--changed-since', 'main'], r.dir);
    expect(found(stdout)).toEqual([
      'draft.ts:1 core/unused-suppression',
      'lib/util.ts:1 core/unused-suppression',
      'src/app.ts:6 core/unused-suppression',
    ]);
  });

  it('maps paths from the repository top to the current directory', async () => {
    const r = featureRepo();
    const { stdout } = await cli(['-f', 'json', '--changed-since', 'main', '.'], join(r.dir, 'src'));
    expect(found(stdout)).toEqual(['app.ts:6 core/unused-suppression']);
  });

  it('counts renamed files as changed files, with only their edited lines', async () => {
    const r = repo();
    r.commit('base', { 'src/old.ts': OLD });
    renameSync(join(r.dir, 'src/old.ts'), join(r.dir, 'src/renamed.ts'));
    r.commit('rename');
    const changes = changesSince('HEAD~1', r.dir);
    expect([...changes.files]).toEqual([['src/renamed.ts', { all: false, lines: [] }]]);
    expect(changes.base).toBe(r.git('rev-parse', 'HEAD~1').trim());
    const { stdout } = await cli(['-f', 'json', '--changed-since', 'HEAD~1'], r.dir);
    expect(found(stdout)).toEqual([]);
  });

  it.each([
    [
      ['--changed-since', 'no-such-branch'],
      'archlint: --changed-since: unknown git ref "no-such-branch" (a shallow clone needs its history: actions/checkout with fetch-depth: 0)',
    ],
    [['--changed-since', '--output=x'], 'archlint: --changed-since: "--output=x" is not a git ref'],
  ])('exits 2 with one line for %j', async (argv, line) => {
    const r = featureRepo();
    const result = await cli(argv, r.dir);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
  });

  it('diffs inside submodules against the commit the superproject recorded at the base', async () => {
    const r = repoWithSubmodule();
    r.git('checkout', '-q', '-b', 'feature');
    // The feature branch moves the submodule to a commit that adds a finding inside it.
    const inside = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: join(r.dir, 'modules/lib'),
        encoding: 'utf8',
        env: { ...process.env, ...GIT_ENV },
      });
    writeFileSync(join(r.dir, 'modules/lib/util.ts'), NEW);
    inside('commit', '-q', '-am', 'lib change');
    r.git('commit', '-q', '-am', 'bump lib');
    const all = await cli(['-f', 'json'], r.dir);
    expect(found(all.stdout)).toContain('modules/lib/util.ts:6 core/unused-suppression');
    const { stdout, stderr } = await cli(['-f', 'json', '--changed-since', 'main'], r.dir);
    expect(found(stdout)).toEqual(['modules/lib/util.ts:6 core/unused-suppression']);
    expect(stderr).toBe('');
    // A submodule added since the base is new as a whole.
    const added = await cli(['-f', 'json', '--changed-since', 'HEAD~2'], r.dir);
    expect(found(added.stdout)).toEqual([
      'modules/lib/util.ts:4 core/unused-suppression',
      'modules/lib/util.ts:6 core/unused-suppression',
    ]);
  });

  it('says so, instead of hiding findings silently, when a submodule lacks its base commit', async () => {
    const r = repoWithSubmodule();
    // The recorded commit exists nowhere the submodule can reach (a shallow or partial fetch).
    r.git('update-index', '--cacheinfo', `160000,${'1'.repeat(40)},modules/lib`);
    r.git('commit', '-q', '-m', 'point lib at a commit not fetched');
    r.git('checkout', '-q', '-b', 'feature');
    r.commit('feature', { 'src/app.ts': NEW });
    const { stderr } = await cli(['-f', 'json', '--changed-since', 'main'], r.dir);
    expect(stderr).toBe(
      `archlint: --changed-since: submodule modules/lib does not have its base commit ${'1'.repeat(12)} (fetch it, e.g. actions/checkout with submodules: recursive and fetch-depth: 0); its findings are not shown\n`,
    );
  });

  it('keeps findings reached through an in-repository directory symlink, whose changes git records under the target', async () => {
    const r = repo();
    r.commit('base', { 'real/app.ts': OLD });
    symlinkSync('real', join(r.dir, 'linked'));
    r.commit('link');
    r.git('checkout', '-q', '-b', 'feature');
    r.commit('feature', { 'real/app.ts': NEW });
    const { stdout } = await cli(['-f', 'json', '--changed-since', 'main', 'linked'], r.dir);
    expect(found(stdout)).toEqual(['linked/app.ts:6 core/unused-suppression']);
  });

  it('exits 2 outside a git repository', async () => {
    const r = repo();
    rmSync(join(r.dir, '.git'), { recursive: true, force: true });
    const result = await cli(['--changed-since', 'main'], r.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^archlint: --changed-since: .* is not inside a git repository\n$/);
  });
});
