/**
 * The GitHub Action end to end, without GitHub: the files a checkout of the action has (action.yml,
 * the committed bundle in action/, package.json) are copied to a folder outside this repository
 * (so no node_modules is within reach), then action.yml's `runs.main` is started with `node` as the
 * runner starts a JavaScript action — every input as INPUT_<NAME> with action.yml's defaults — in a
 * temporary git repository with a base commit and a pull-request commit, with a simulated GITHUB_*
 * environment (event file, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUT_DEFAULTS, inputVariable, type InputName } from '../src/action/inputs.js';
import { main } from '../src/cli/main.js';
import { GIT_ENV, tempRepo, type TempRepo } from './harness/git.js';

const ROOT = new URL('..', import.meta.url).pathname;
/** Outside the repository: the bundle must not find this checkout's node_modules. */
const ACTION_PATH = mkdtempSync(join(tmpdir(), 'archlint-action-'));

interface ActionYml {
  inputs: Record<string, { default: string; description: string }>;
  outputs: Record<string, { description: string; value?: string }>;
  runs: { using: string; main: string; steps?: unknown };
}
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;

/** Old finding on main, the same file with lines added above it and one new finding on the branch. */
const OLD = 'export const a = 1;\n// archlint-disable-next-line\nexport const port = 8080;\n';
const NEW = `// added above the old finding\n\n${OLD}// archlint-disable-next-line db/no-such-rule\nexport const b = 2;\n`;
const NEW_LINE = 6;
const OLD_LINE = 4;

let repo: TempRepo;
let base: string;

beforeAll(async () => {
  for (const file of ['action.yml', 'action', 'package.json', 'LICENSE'])
    cpSync(join(ROOT, file), join(ACTION_PATH, file), { recursive: true });

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
  /** Wall time of the whole step, start of node to exit. */
  ms: number;
  outputs: Record<string, string>;
  summary: string;
  sarif?: {
    runs: Array<{
      results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region?: { startLine: number } } }> }>;
    }>;
  };
}

/** Starts action.yml's `runs.main` as the runner does: node, every input as INPUT_<NAME> (defaults from action.yml), cwd = workspace. */
function runAction(
  inputs: Partial<Record<InputName, string>>,
  event: { name: string; payload: object },
  workspace = repo.dir,
): StepRun {
  const home = join(ACTION_PATH, `run-${Math.random().toString(36).slice(2)}`);
  mkdirSync(home, { recursive: true });
  const files = { event: join(home, 'event.json'), output: join(home, 'output'), summary: join(home, 'summary.md') };
  writeFileSync(files.event, JSON.stringify(event.payload));
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '# Earlier step\n');
  rmSync(join(repo.dir, 'archlint.sarif'), { force: true });

  // The runner: `INPUT_` + the name upper-cased, spaces as `_` (actions/toolkit getInput); hyphens stay.
  const inputEnv = Object.fromEntries(
    Object.entries(action.inputs).map(([name, input]) => [
      `INPUT_${name.replace(/ /g, '_').toUpperCase()}`,
      inputs[name as InputName] ?? input.default,
    ]),
  );
  const started = performance.now();
  const result = spawnSync(process.execPath, [join(ACTION_PATH, action.runs.main)], {
    cwd: workspace,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: home,
      ...GIT_ENV,
      NO_COLOR: '1',
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTION_PATH: ACTION_PATH,
      GITHUB_WORKSPACE: workspace,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_EVENT_NAME: event.name,
      GITHUB_EVENT_PATH: files.event,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      ...inputEnv,
    },
  });
  const ms = performance.now() - started;
  const sarifPath = join(repo.dir, 'archlint.sarif');
  return {
    code: result.status,
    stdout: result.stdout + result.stderr,
    ms,
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

const annotations = (stdout: string) =>
  stdout.split('\n').filter((line) => /^::(error|warning|notice) file=/.test(line));
const sarifLines = (run: StepRun) =>
  run.sarif!.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.region?.startLine);

describe('action.yml', () => {
  it("runs the committed bundle with the runner's Node.js 24, and declares every input the entry point reads", () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'action/dist/main.js' });
    expect(Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default]))).toEqual(
      INPUT_DEFAULTS,
    );
    expect(inputVariable('fail-on')).toBe('INPUT_FAIL-ON');
    expect(Object.keys(action.outputs)).toEqual(['errors', 'warnings', 'notes', 'sarif-file', 'from-fork']);
    // A JavaScript action's outputs come from GITHUB_OUTPUT; `value` is for composite actions only.
    for (const output of Object.values(action.outputs)) expect(output.value).toBeUndefined();
  });

  it('starts from a fresh checkout without installing anything, and a run over an empty workspace takes well under 3 s', () => {
    expect(existsSync(join(ACTION_PATH, 'node_modules'))).toBe(false);
    const empty = mkdtempSync(join(tmpdir(), 'archlint-action-empty-'));
    try {
      const run = runAction({}, { name: 'workflow_dispatch', payload: {} }, empty);
      expect(run.stdout).toContain('archlint: no problems in 0 files.');
      expect(run.code).toBe(0);
      expect(run.ms).toBeLessThan(3_000);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('the action in a pull request', () => {
  it('with only-changed: annotates, summarises and fails on the new finding only; SARIF keeps every finding', () => {
    const run = runAction(
      { 'only-changed': 'true', 'fail-on': 'note' },
      { name: 'pull_request', payload: pullRequestEvent(false) },
    );
    expect(run.code).toBe(1);
    expect(annotations(run.stdout)).toEqual([
      `::notice file=src/app.ts,line=${NEW_LINE},col=4,endLine=${NEW_LINE},endColumn=45,title=core/unused-suppression::This archlint-disable-next-line names "db/no-such-rule", which is not an archlint rule.`,
    ]);
    expect(run.outputs).toEqual({
      errors: '0',
      warnings: '0',
      notes: '1',
      'sarif-file': 'archlint.sarif',
      'from-fork': 'false',
    });
    expect(run.summary.startsWith('# Earlier step\n## archlint\n')).toBe(true);
    expect(run.summary).toContain(`1 not on lines changed since \`main (${base.slice(0, 7)})\``);
    expect(run.summary).toContain(`\`src/app.ts:${NEW_LINE}\``);
    expect(run.summary).not.toContain(`src/app.ts:${OLD_LINE}`);
    expect(sarifLines(run)).toEqual([OLD_LINE, NEW_LINE]);
    expect(run.stdout).toContain('archlint: failing because findings are at or above the fail-on level "note".');
    expect(run.stdout).not.toContain('fork');
  });

  it('with map and only-changed: the summary ends with the collapsed map of what the change touches', () => {
    const run = runAction(
      { 'only-changed': 'true', map: 'true' },
      { name: 'pull_request', payload: pullRequestEvent(false) },
    );
    expect(run.summary).toContain(
      '<details><summary>Architecture map: the change touches no service route or table</summary>',
    );
    const plain = runAction({ 'only-changed': 'true' }, { name: 'pull_request', payload: pullRequestEvent(false) });
    expect(plain.summary).not.toContain('Architecture map');
  });

  it('from a fork: the same report, and the from-fork output that skips the SARIF upload', () => {
    const run = runAction(
      { 'only-changed': 'true', 'fail-on': 'note' },
      { name: 'pull_request', payload: pullRequestEvent(true) },
    );
    expect(run.code).toBe(1);
    expect(annotations(run.stdout)).toHaveLength(1);
    expect(run.outputs['from-fork']).toBe('true');
    expect(run.summary).toContain(`\`src/app.ts:${NEW_LINE}\``);
    expect(run.stdout).toContain('this pull request comes from a fork, whose token is read-only: skip upload-sarif');
  });

  it('with a baseline: reports only the finding the baseline does not record, though its lines moved', () => {
    const run = runAction(
      { baseline: '.archlint-baseline.json', 'fail-on': 'note' },
      { name: 'pull_request', payload: pullRequestEvent(false) },
    );
    expect(run.code).toBe(1);
    expect(annotations(run.stdout).map((line) => line.split(',')[1])).toEqual([`line=${NEW_LINE}`]);
    expect(run.outputs.notes).toBe('1');
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
    const run = runAction(
      { annotations: 'false', summary: 'false', 'sarif-file': '' },
      { name: 'pull_request', payload: pullRequestEvent(false) },
    );
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
    expect(run.stdout).toContain(
      '::notice title=archlint::only-changed: a "workflow_dispatch" event has nothing to compare with, so every line is checked.',
    );
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
    expect(run.stdout).toContain(
      '::error title=archlint::archlint: --changed-since: unknown git ref "0123456789abcdef0123456789abcdef01234567" (a shallow clone needs its history: actions/checkout with fetch-depth: 0)',
    );
  });
});

describe('the action in a monorepo service (working-directory, category)', () => {
  it('reads SQL, TypeScript, a YAML description and a YAML config with the vendored parsers; annotations, SARIF and its output path are from the repository root', () => {
    const mono = tempRepo();
    try {
      mono.commit('service', {
        'services/orders/db/001.sql':
          'CREATE TABLE customers (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers(id));\n',
        'services/orders/src/app.ts':
          "import express from 'express';\nconst app = express();\napp.get('/orders', async (req, res) => { res.json(await db.order.findMany()); });\napp.listen(3000);\n",
        'services/orders/archlint.config.yaml': 'rules:\n  db/indexed-foreign-keys: error\n',
        // A YAML description: its value through js-yaml, the finding's line through the line scan.
        'services/orders/openapi.yaml':
          'openapi: 3.0.3\ninfo: { title: Orders, version: "1" }\npaths:\n  /v1/invoices:\n    get:\n      responses:\n        "200":\n          description: all invoices\n          content:\n            application/json:\n              schema: { type: array, items: { type: object } }\n',
      });
      const run = runAction(
        { 'working-directory': 'services/orders', category: 'orders' },
        { name: 'push', payload: {} },
        mono.dir,
      );
      expect(run.code).toBe(1);
      const files = annotations(run.stdout).map((line) => /file=([^,]+),/.exec(line)![1]);
      expect(files).toContain('services/orders/db/001.sql');
      expect(files).toContain('services/orders/src/app.ts');
      expect(
        annotations(run.stdout).find(
          (line) => line.includes('services/orders/openapi.yaml') && line.includes('api/paginated-lists'),
        ),
      ).toMatch(/,line=5,/);
      expect(annotations(run.stdout).find((line) => line.includes('db/indexed-foreign-keys'))).toMatch(
        /^::error file=services\/orders\/db\/001\.sql,line=2,/,
      );
      expect(run.outputs['sarif-file']).toBe('services/orders/archlint.sarif');
      const sarif = JSON.parse(readFileSync(join(mono.dir, 'services/orders/archlint.sarif'), 'utf8')) as {
        runs: Array<{
          automationDetails: { id: string };
          results: Array<{
            ruleId: string;
            locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
          }>;
        }>;
      };
      expect(sarif.runs[0]!.automationDetails).toEqual({ id: 'orders/' });
      const uris = sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
      expect(uris.every((uri) => uri.startsWith('services/orders/'))).toBe(true);
      expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toEqual(
        expect.arrayContaining(['db/indexed-foreign-keys', 'api/paginated-lists']),
      );
    } finally {
      mono.remove();
    }
  });

  it('exits 2 with one error annotation when working-directory is not a folder of the workspace', () => {
    const run = runAction({ 'working-directory': 'no/such/service' }, { name: 'push', payload: {} });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe(
      '::error title=archlint::archlint: input working-directory: no folder no/such/service in the workspace\n',
    );
  });

  it('exits 2 with one error annotation, before linting, when the SARIF file cannot be written', () => {
    writeFileSync(join(repo.dir, 'blocker'), 'a file where the SARIF folder would go\n');
    try {
      const run = runAction({ 'sarif-file': 'blocker/archlint.sarif' }, { name: 'push', payload: {} });
      expect(run.code).toBe(2);
      expect(run.stdout).toMatch(
        /^::error title=archlint::archlint: cannot write the SARIF file .*blocker\/archlint\.sarif: .*blocker is a file, not a folder\n$/,
      );
    } finally {
      rmSync(join(repo.dir, 'blocker'));
    }
  });
});
