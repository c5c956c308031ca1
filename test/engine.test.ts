/** The engine with small purpose-built rules: placement, fingerprints, errors, laziness, suppressions, severities. */
import { describe, expect, it } from 'vitest';
import { rules as shipped } from '../rules/index.js';
import { kindsReadWhole, lint } from '../src/engine/run.js';
import { inputProviders } from '../src/inputs/registry.js';
import type { ArchlintConfig } from '../src/model/config.js';
import type { Finding } from '../src/model/finding.js';
import { defineRule, type Rule } from '../src/rule-api.js';
import { useTempTrees } from './harness/tree.js';

const meta = {
  severity: 'warning' as const,
  tags: ['test'],
  why: 'Test rule.',
  fix: 'None.',
  examples: { bad: [], good: [] },
};

/** Reports every "TODO" in text files, at its exact range. */
const todoRule = defineRule({
  meta: { ...meta, id: 'test/todo', title: 'No TODO', requires: ['text'], messages: { todo: 'TODO left in {{file}}' } },
  check(ctx) {
    for (const file of ctx.text.all()) {
      for (const match of file.content.matchAll(/TODO/g)) {
        ctx.report({
          at: { file: file.path, range: { start: match.index, end: match.index + 4 } },
          messageId: 'todo',
          data: { file: file.path },
        });
      }
    }
  },
});

/** Reports at a JSON pointer in every YAML/JSON file that has /paths/~1orders/get. */
const pointerRule = defineRule({
  meta: { ...meta, id: 'test/pointer', title: 'Pointer origins', requires: ['files'], messages: { op: 'GET /orders' } },
  check(ctx) {
    for (const file of ctx.files.files) {
      if (file.kind === 'openapi-candidate')
        ctx.report({ at: { origin: { file: file.path, pointer: '/paths/~1orders/get' } }, messageId: 'op' });
    }
  },
});

const throwingRule = defineRule({
  meta: { ...meta, id: 'test/throws', title: 'Throws always', requires: [], messages: { never: 'never' } },
  check() {
    throw new TypeError('boom at line 1\nsecond line of the message');
  },
});

const undeclaredInputRule = defineRule({
  meta: {
    ...meta,
    id: 'test/undeclared',
    title: 'Reads what it did not declare',
    requires: [],
    messages: { never: 'never' },
  },
  check(ctx) {
    void ctx.text.all();
  },
});

const allTestRules: Rule[] = [todoRule, pointerRule, throwingRule, undeclaredInputRule];

const tree = useTempTrees('engine');

async function run(
  dir: string,
  options: {
    rules?: Rule[];
    only?: string[];
    config?: ArchlintConfig;
    cliRules?: Record<string, 'off' | 'note' | 'warning' | 'error'>;
  } = {},
) {
  const { result } = await lint({
    cwd: dir,
    paths: ['.'],
    loaded: { config: options.config ?? {}, baseDir: dir },
    rules: options.rules ?? [todoRule, pointerRule],
    ...(options.only ? { only: options.only } : {}),
    ...(options.cliRules ? { cliRules: options.cliRules } : {}),
  });
  return result;
}

const brief = (f: Finding) => `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.ruleId}`;

describe('placement', () => {
  it('gives 1-based line/column in UTF-16 units through BOM, CRLF, lone CR and tabs', async () => {
    const dir = tree({
      'bom-crlf.ts': '\uFEFF// first\r\n\tconst a = 1; // TODO\r\nx',
      'cr.txt': 'one\rtwo TODO\r',
      'emoji.md': '😀 TODO',
    });
    const result = await run(dir, { rules: [todoRule] });
    expect(result.findings.map(brief)).toEqual([
      'bom-crlf.ts:2:18-2:22 test/todo',
      'cr.txt:2:5-2:9 test/todo',
      'emoji.md:1:4-1:8 test/todo',
    ]);
  });

  it('maps a JSON pointer to the key in YAML and in JSON, and to the file when it does not resolve', async () => {
    const dir = tree({
      'api.yaml': 'openapi: 3.0.3\npaths:\n  /orders:\n    get:\n      responses: {}\n',
      'api.json': '{\n  "paths": {\n    "/orders": {\n      "get": {}\n    }\n  }\n}\n',
      'other.yml': 'a: 1\n',
    });
    const result = await run(dir, { rules: [pointerRule] });
    expect(result.findings.map((f) => `${brief(f)} ${f.fileLevel}`)).toEqual([
      'api.json:4:7-4:12 test/pointer false',
      'api.yaml:4:5-4:8 test/pointer false',
      'other.yml:1:1-1:1 test/pointer true',
    ]);
  });
});

describe('fingerprints and order', () => {
  it('keeps fingerprints when lines are added above, and tells identical findings apart by occurrence', async () => {
    const before = await run(tree({ 'a.ts': '// TODO\n// TODO\n' }), { rules: [todoRule] });
    const after = await run(tree({ 'a.ts': '\n\nconst x = 1;\n//   TODO\n// TODO\n' }), { rules: [todoRule] });
    expect(before.findings.map((f) => f.line)).toEqual([1, 2]);
    expect(after.findings.map((f) => f.line)).toEqual([4, 5]);
    expect(after.findings.map((f) => f.fingerprint)).toEqual(before.findings.map((f) => f.fingerprint));
    expect(new Set(before.findings.map((f) => f.fingerprint)).size).toBe(2);
    expect(before.findings[0]!.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('sorts by file, line, column, rule and gives identical output on two runs', async () => {
    const dir = tree({ 'b.ts': 'x TODO TODO\n', 'a.ts': '\nTODO\n', 'sub/c.ts': 'TODO' });
    const first = await run(dir, { rules: [todoRule] });
    const second = await run(dir, { rules: [todoRule] });
    expect(first.findings.map(brief)).toEqual([
      'a.ts:2:1-2:5 test/todo',
      'b.ts:1:3-1:7 test/todo',
      'b.ts:1:8-1:12 test/todo',
      'sub/c.ts:1:1-1:5 test/todo',
    ]);
    expect(JSON.stringify(second.findings)).toBe(JSON.stringify(first.findings));
  });
});

describe('failures', () => {
  it('turns a throwing rule into core/internal-error naming it, and the other rules still run', async () => {
    const result = await run(tree({ 'a.ts': 'TODO' }), { rules: allTestRules, only: ['test/throws', 'test/todo'] });
    expect(result.findings.map((f) => `${f.ruleId} ${f.severity} ${f.message}`)).toEqual([
      'core/internal-error error Rule test/throws failed: boom at line 1',
      'test/todo warning TODO left in a.ts',
    ]);
    expect(result.findings[0]!.fileLevel).toBe(true);
    expect(result.findings[0]!.file).toBe('.');
  });

  it('tells a rule author which input was read without being declared', async () => {
    const result = await run(tree({ 'a.ts': '' }), { rules: allTestRules, only: ['test/undeclared'] });
    expect(result.findings.map((f) => f.message)).toEqual([
      'Rule test/undeclared failed: rule test/undeclared reads the "text" input but does not list it in meta.requires',
    ]);
  });
});

describe('inputs', () => {
  it('builds an input only when an enabled rule requires it, and once per run', async () => {
    const original = inputProviders.text;
    let calls = 0;
    inputProviders.text = (env) => {
      calls++;
      return original(env);
    };
    try {
      const dir = tree({ 'a.ts': 'TODO' });
      await run(dir, { rules: [pointerRule] });
      expect(calls).toBe(0);
      const second = defineRule({ ...todoRule, meta: { ...todoRule.meta, id: 'test/todo-again' } });
      await run(dir, { rules: [todoRule, second] });
      expect(calls).toBe(1);
    } finally {
      inputProviders.text = original;
    }
  });

  it("has discovery read ahead the kinds of file the enabled rules' inputs read every one of", () => {
    const byId = (...ids: string[]) => ids.map((id) => shipped.find((rule) => rule.meta.id === id)!);
    expect([...kindsReadWhole(byId('db/indexed-foreign-keys', 'db/primary-keys'), 1)]).toEqual(['sql']);
    expect([...kindsReadWhole(byId('api/paginated-lists'), 1)].sort()).toEqual(['code', 'openapi-candidate']);
    expect([...kindsReadWhole(byId('security/no-hardcoded-secrets'), 1)]).toEqual(['code']);
    expect([...kindsReadWhole([todoRule], 1)]).toEqual([]); // `text` alone reads what its rules ask for
    // Worker threads read the files they check themselves.
    expect([...kindsReadWhole(byId('db/indexed-foreign-keys'), 2)]).toEqual([]);
  });
});

describe('suppressions', () => {
  it('honours next-line, line and file directives in each comment syntax and counts what they hid', async () => {
    const dir = tree({
      'a.ts':
        '// archlint-disable-next-line test/todo -- tracked in JIRA-1\nTODO\nTODO // archlint-disable-line test/todo\nTODO\n',
      'b.sql': '-- archlint-disable-file test/todo\nSELECT 1; -- TODO\n',
      'c.yaml': '# archlint-disable-next-line test/todo, test/pointer\nkey: TODO\n',
      'd.ts': '/* archlint-disable-next-line */\nconst x = "TODO";\n',
    });
    const result = await run(dir, { rules: [todoRule, pointerRule], only: ['test/todo'] });
    expect(result.findings.map(brief)).toEqual(['a.ts:4:1-4:5 test/todo']);
    expect(result.summary.suppressed).toBe(5);
  });

  it('honours x-archlint-ignore on an object, including findings at its key', async () => {
    const dir = tree({
      'api.yaml': 'paths:\n  /orders:\n    get:\n      x-archlint-ignore: [test/pointer]\n      responses: {}\n',
      'api.json': '{"paths": {"/orders": {"get": {"x-archlint-ignore": "test/other"}}}}',
    });
    const other = defineRule({ ...pointerRule, meta: { ...pointerRule.meta, id: 'test/other' } });
    const result = await run(dir, { rules: [pointerRule, other] });
    expect(result.findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual([
      'api.json test/pointer',
      'api.yaml test/other',
    ]);
    expect(result.summary.suppressed).toBe(2);
  });

  it('reports suppressions that hide nothing, unless their rule did not run', async () => {
    const dir = tree({
      'a.ts':
        '// archlint-disable-next-line test/todo\nconst clean = 1;\n// archlint-disable-next-line test/pointer\nconst other = 2;\n// archlint-disable-next-line test/nope\nconst x = 3;\n',
    });
    const result = await run(dir, { rules: [todoRule, pointerRule], only: ['test/todo'] });
    expect(result.findings.map((f) => `${f.line} ${f.ruleId} ${f.severity} ${f.message}`)).toEqual([
      '1 core/unused-suppression note This archlint-disable-next-line suppresses nothing for test/todo.',
      '5 core/unused-suppression note This archlint-disable-next-line names "test/nope", which is not an archlint rule (did you mean "test/todo"?).',
    ]);
  });

  it('never hides core/internal-error', async () => {
    const result = await run(tree({ 'a.ts': '' }), { rules: allTestRules, only: ['test/throws'] });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['core/internal-error']);
  });
});

describe('severities', () => {
  it('applies config rules, overrides by glob (later wins) and --rule on top', async () => {
    const dir = tree({ 'src/a.ts': 'TODO', 'test/a.test.ts': 'TODO', 'scripts/x.sh': '# TODO' });
    const config: ArchlintConfig = {
      rules: { 'test/todo': 'error' },
      overrides: [
        { files: ['test/**'], rules: { 'test/todo': 'note' } },
        { files: ['*.sh'], rules: { 'test/todo': 'off' } },
      ],
    };
    const result = await run(dir, { rules: [todoRule], config });
    expect(result.findings.map((f) => `${f.file} ${f.severity}`)).toEqual(['src/a.ts error', 'test/a.test.ts note']);
    expect(result.summary).toMatchObject({ errors: 1, warnings: 0, notes: 1, suppressed: 0 });
    const viaCli = await run(dir, { rules: [todoRule], config, cliRules: { 'test/todo': 'off' } });
    expect(viaCli.findings).toEqual([]);
  });

  it('lists in the result the meta of every rule that ran and of core diagnostics that fired', async () => {
    const result = await run(tree({ 'a.ts': '// archlint-disable-next-line test/nope\nx\n' }), {
      rules: [todoRule, pointerRule],
      only: ['test/todo'],
    });
    expect([...result.rules.keys()]).toEqual(['core/unused-suppression', 'test/todo']);
  });
});
