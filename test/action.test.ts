/**
 * The GitHub Action end to end, without GitHub: dist/ is built the way action.yml builds it
 * (src/action/build.mjs) into a stand-in action folder, then action.yml's "Run archlint" step is
 * run with bash as the runner would (its `${{ inputs.* }}` filled in), in a temporary git
 * repository with a base commit and a pull-request commit, with a simulated GITHUB_* environment.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUT_DEFAULTS, inputVariable, type InputName } from '../src/action/inputs.js';
import { main } from '../src/cli/main.js';
import { GIT_ENV, tempRepo, type TempRepo } from './harness/git.js';

const ROOT = new URL('..', import.meta.url).pathname;
/** Inside the repository, so the built files find node_modules as they do in the real action folder. */
const ACTION_PATH = join(ROOT, '.archlint-tmp', `action-${process.pid}`);

interface Step {
  id?: string;
  name: string;
  shell: string;
  run: string;
  env?: Record<string, string>;
}
interface ActionYml {
  inputs: Record<string, { default: string; description: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;
const runStep = action.runs.steps.find((step) => step.id === 'archlint')!;

/** Old finding on main, the same file with lines added above it and one new finding on the branch. */
const OLD = 'export const a = 1;\n// archlint-disable-next-line\nexport const port = 8080;\n';
const NEW = `// added above the old finding\n\n${OLD}// archlint-disable-next-line db/no-such-rule\nexport const b = 2;\n`;
const NEW_LINE = 6;
const OLD_LINE = 4;

let repo: TempRepo;
let base: string;

beforeAll(async () => {
  rmSync(ACTION_PATH, { recursive: true, force: true });
  execFileSync(process.execPath, [join(ROOT, 'src/action/build.mjs'), join(ACTION_PATH, 'dist')], { stdio: 'pipe' });

  repo = tempRepo();
  repo.commit('base', { 'src/app.ts': OLD, 'lib/util.ts': 'export const u = 1;\n' });
  // The team accepted today's findings on main.
  expect(await execArchlint(['--write-baseline', '.archlint-baseline.json'], repo.dir)).toBe(0);
  base = repo.commit('baseline');
  repo.git('checkout', '-q', '-b', 'feature');
  repo.commit('feature', { 'src/app.ts': NEW });
});

afterAll(() => {
  repo?.remove();
  rmSync(ACTION_PATH, { recursive: true, force: true });
});

async function execArchlint(argv: string[], cwd: string): Promise<number> {
  const quiet = { write: () => true, isTTY: false };
  return main(argv, { cwd, env: {}, stdout: quiet, stderr: quiet });
}

function pullRequestEvent(fromFork: boolean) {
  return {
    action: 'synchronize',
    number: 7,
    repository: { full_name: 'acme/shop' },
    pull_request: {
      base: { ref: 'main', sha: base, repo: { full_name: 'acme/shop' } },
      head: { ref: 'feature', sha: 'feedface', repo: { full_name: fromFork ? 'someone/shop' : 'acme/shop' } },
    },
  };
}

interface StepRun {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  sarif?: { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region?: { startLine: number } } }> }> }> };
}

/** Runs action.yml's "Run archlint" step as the runner does: bash, inputs in its env, cwd = workspace. */
function runAction(inputs: Partial<Record<InputName, string>>, event: { name: string; payload: object }): StepRun {
  const home = join(ACTION_PATH, `run-${Math.random().toString(36).slice(2)}`);
  mkdirSync(home, { recursive: true });
  const files = { event: join(home, 'event.json'), output: join(home, 'output'), summary: join(home, 'summary.md') };
  writeFileSync(files.event, JSON.stringify(event.payload));
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '# Earlier step\n');
  rmSync(join(repo.dir, 'archlint.sarif'), { force: true });

  const stepEnv = Object.fromEntries(
    Object.entries(runStep.env ?? {}).map(([name, value]) => [
      name,
      value.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, input: string) => inputs[input as InputName] ?? action.inputs[input]!.default),
    ]),
  );
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', runStep.run], {
    cwd: repo.dir,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: home,
      ...GIT_ENV,
      NO_COLOR: '1',
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTION_PATH: ACTION_PATH,
      GITHUB_WORKSPACE: repo.dir,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_EVENT_NAME: event.name,
      GITHUB_EVENT_PATH: files.event,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      ...stepEnv,
    },
  });
  const sarifPath = join(repo.dir, 'archlint.sarif');
  return {
    code: result.status,
    stdout: result.stdout + result.stderr,
    outputs: parseOutputs(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    ...(existsSync(sarifPath) ? { sarif: JSON.parse(readFileSync(sarifPath, 'utf8')) as StepRun['sarif'] } : {}),
  };
}

/** $GITHUB_OUTPUT in both of GitHub's forms: `name=value` and `name<<DELIMITER` … `DELIMITER`. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([\w-]+)<<(.+)$/.exec(lines[i]!);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i]!.includes('=')) {
      const at = lines[i]!.indexOf('=');
      outputs[lines[i]!.slice(0, at)] = lines[i]!.slice(at + 1);
    }
  }
  return outputs;
}

const annotations = (stdout: string) => stdout.split('\n').filter((line) => /^::(error|warning|notice) file=/.test(line));
const sarifLines = (run: StepRun) => run.sarif!.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.region?.startLine);

describe('action.yml', () => {
  it('is a composite action whose run step passes every input and sets every output', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default]))).toEqual(INPUT_DEFAULTS);
    expect(runStep.env).toEqual(
      Object.fromEntries(Object.keys(INPUT_DEFAULTS).map((name) => [inputVariable(name as InputName), `\${{ inputs.${name} }}`])),
    );
    expect(Object.entries(action.outputs).map(([name, output]) => [name, output.value])).toEqual(
      ['errors', 'warnings', 'notes', 'sarif-file', 'from-fork'].map((name) => [name, `\${{ steps.archlint.outputs.${name} }}`]),
    );
    expect(runStep.run).toBe('node "$GITHUB_ACTION_PATH/dist/src/action/main.js"');
    // The install step builds with the script this test builds with.
    expect(action.runs.steps[0]!.run).toContain('npm ci --omit=dev --ignore-scripts');
    expect(action.runs.steps[0]!.run).toContain('node src/action/build.mjs');
  });

  it('installs with --ignore-scripts, which only works while no production dependency has an install script', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; hasInstallScript?: boolean }>;
    };
    const needScripts = Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript && !p.dev).map(([name]) => name);
    expect(needScripts).toEqual([]);
  });
});

describe('the action in a pull request', () => {
  it('with only-changed: annotates, summarises and fails on the new finding only; SARIF keeps every finding', () => {
    const run = runAction({ 'only-changed': 'true', 'fail-on': 'note' }, { name: 'pull_request', payload: pullRequestEvent(false) });
    expect(run.code).toBe(1);
    expect(annotations(run.stdout)).toEqual([
      `::notice file=src/app.ts,line=${NEW_LINE},col=4,endLine=${NEW_LINE},endColumn=45,title=core/unused-suppression::This archlint-disable-next-line names "db/no-such-rule", which is not an archlint rule.`,
    ]);
    expect(run.outputs).toEqual({ errors: '0', warnings: '0', notes: '1', 'sarif-file': 'archlint.sarif', 'from-fork': 'false' });
    expect(run.summary.startsWith('# Earlier step\n## archlint\n')).toBe(true);
    expect(run.summary).toContain(`1 not on lines changed since \`main (${base.slice(0, 7)})\``);
    expect(run.summary).toContain(`\`src/app.ts:${NEW_LINE}\``);
    expect(run.summary).not.toContain(`src/app.ts:${OLD_LINE}`);
    expect(sarifLines(run)).toEqual([OLD_LINE, NEW_LINE]);
    expect(run.stdout).toContain('archlint: failing because findings are at or above the fail-on level "note".');
    expect(run.stdout).not.toContain('fork');
  });

  it('from a fork: the same report, and the from-fork output that skips the SARIF upload', () => {
    const run = runAction({ 'only-changed': 'true', 'fail-on': 'note' }, { name: 'pull_request', payload: pullRequestEvent(true) });
    expect(run.code).toBe(1);
    expect(annotations(run.stdout)).toHaveLength(1);
    expect(run.outputs['from-fork']).toBe('true');
    expect(run.summary).toContain(`\`src/app.ts:${NEW_LINE}\``);
    expect(run.stdout).toContain('this pull request comes from a fork, whose token is read-only: skip upload-sarif');
  });

  it('with a baseline: reports only the finding the baseline does not record, though its lines moved', () => {
    const run = runAction({ baseline: '.archlint-baseline.json', 'fail-on': 'note' }, { name: 'pull_request', payload: pullRequestEvent(false) });
    expect(run.code).toBe(1);
    expect(annotations(run.stdout).map((line) => line.split(',')[1])).toEqual([`line=${NEW_LINE}`]);
    expect(run.outputs['notes']).toBe('1');
    expect(run.summary).toContain('1 in the baseline');
    // Code scanning gets what the baseline does not accept.
    expect(sarifLines(run)).toEqual([NEW_LINE]);
  });

  it('without filters: every finding, and success when none is at the fail-on level', () => {
    const run = runAction({}, { name: 'pull_request', payload: pullRequestEvent(false) });
    expect(run.code).toBe(0);
    expect(annotations(run.stdout)).toHaveLength(2);
    expect(run.outputs).toMatchObject({ notes: '2', errors: '0' });
    expect(run.stdout).toContain('2 problems (0 errors, 0 warnings, 2 notes)');
  });

  it('writes nothing that is switched off', () => {
    const run = runAction({ annotations: 'false', summary: 'false', 'sarif-file': '' }, { name: 'pull_request', payload: pullRequestEvent(false) });
    expect(run.code).toBe(0);
    expect(annotations(run.stdout)).toEqual([]);
    expect(run.summary).toBe('# Earlier step\n');
    expect(run.sarif).toBeUndefined();
    expect(run.outputs['sarif-file']).toBe('');
  });
});

describe('the action elsewhere', () => {
  it('checks every line when the event has nothing to compare with', () => {
    const run = runAction({ 'only-changed': 'true' }, { name: 'workflow_dispatch', payload: {} });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('::notice title=archlint::only-changed: a "workflow_dispatch" event has nothing to compare with, so every line is checked.');
    expect(annotations(run.stdout)).toHaveLength(2);
  });

  it('compares a push with the commit before it', () => {
    const run = runAction({ 'only-changed': 'true' }, { name: 'push', payload: { before: base, after: 'x' } });
    expect(annotations(run.stdout)).toHaveLength(1);
  });

  it.each([
    [{ 'fail-on': 'sometimes' }, 'archlint: input fail-on: "sometimes" is not one of error, warning, note, never'],
    [{ summary: 'yes' }, 'archlint: input summary: "yes" is not true or false'],
    [{ baseline: 'nope.json' }, 'archlint: baseline not found: nope.json (create it with --write-baseline nope.json)'],
  ])('exits 2 with one error annotation for %j', (inputs, message) => {
    const run = runAction(inputs, { name: 'pull_request', payload: pullRequestEvent(false) });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe(`::error title=archlint::${message}\n`);
    expect(run.outputs).toEqual({});
  });

  it('exits 2 naming the missing history when the base commit is not in a shallow clone', () => {
    const payload = pullRequestEvent(false);
    payload.pull_request.base.sha = '0123456789abcdef0123456789abcdef01234567';
    const run = runAction({ 'only-changed': 'true' }, { name: 'pull_request', payload });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('::error title=archlint::archlint: --changed-since: unknown git ref "0123456789abcdef0123456789abcdef01234567" (a shallow clone needs its history: actions/checkout with fetch-depth: 0)');
  });
});
