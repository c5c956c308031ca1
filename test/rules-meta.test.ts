/**
 * The rule catalogue is consistent: rules/index.ts lists exactly the rule files, ids equal paths,
 * meta is complete, every rule has fixtures, and the documented examples behave as documented.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { coreRuleMetas, UNUSED_SUPPRESSION } from '../src/engine/core-rules.js';
import { lint } from '../src/engine/run.js';
import { judgeTextFacts } from '../src/inputs/text/text-facts.js';
import { inputProviders } from '../src/inputs/registry.js';
import { SEVERITIES } from '../src/model/finding.js';
import type { CodeReach, RuleExample, RuleMeta } from '../src/rule-api.js';
import type { Finding } from '../src/model/finding.js';
import { fixtureCases, runCase } from './harness/fixtures.js';
import { loopbackImportsProbe, reachProbe, remoteRepositoriesProbe } from './harness/reach-probe.js';

const RULES_DIR = new URL('../rules/', import.meta.url).pathname;

function ruleFiles(dir = RULES_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    // `rules/<domain>/_lib/` holds helper modules a domain's rules share (detector tables, value checks): not rules.
    if (entry.isDirectory()) return entry.name === '_lib' ? [] : ruleFiles(path);
    return entry.isFile() && entry.name.endsWith('.ts') && path !== join(RULES_DIR, 'index.ts') ? [path] : [];
  });
}

describe('rules/index.ts', () => {
  it('lists every rule file exactly once, and each id is its path', async () => {
    const fromFiles = await Promise.all(
      ruleFiles().map(async (path) => {
        const mod = (await import(path)) as { default?: { meta?: RuleMeta } };
        const id = relative(RULES_DIR, path).replace(/\.ts$/, '').split(sep).join('/');
        return { id, meta: mod.default?.meta };
      }),
    );
    for (const { id, meta } of fromFiles)
      expect(meta?.id, `rules/${id}.ts must default-export a rule with id "${id}"`).toBe(id);
    expect(rules.map((rule) => rule.meta.id).sort()).toEqual(fromFiles.map((f) => f.id).sort());
    expect(new Set(rules.map((rule) => rule.meta.id)).size).toBe(rules.length);
  });

  it("uses no id of the engine's own diagnostics", () => {
    for (const rule of rules) expect(rule.meta.id.startsWith('core/')).toBe(false);
  });
});

const allMetas: RuleMeta[] = [...rules.map((rule) => rule.meta), ...coreRuleMetas];
const inputNames = Object.keys(inputProviders);

describe.each(allMetas.map((meta) => [meta.id, meta] as const))('meta of %s', (id, meta) => {
  it('is complete', () => {
    expect(id).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
    expect(meta.title.length).toBeGreaterThan(10);
    expect(meta.why.length).toBeGreaterThan(40);
    expect(meta.fix.length).toBeGreaterThan(20);
    expect(SEVERITIES).toContain(meta.severity);
    for (const name of meta.requires) expect(inputNames).toContain(name);
    expect(meta.tags.length).toBeGreaterThan(0);
    expect(Object.keys(meta.messages).length).toBeGreaterThan(0);
    for (const template of Object.values<string>(meta.messages)) expect(template.trim()).not.toBe('');
  });

  it('reads only per-file inputs when it says its findings depend on each file alone', () => {
    if (meta.scope !== 'file') return;
    for (const name of meta.requires) expect(['files', 'text', 'code']).toContain(name);
  });
});

// The engine's own diagnostics have no check to run on examples; checklist rules must have both.
const checklistMetas = rules.map((rule) => rule.meta);
describe.each(checklistMetas.map((meta) => [meta.id, meta] as const))('documentation of %s', (id, meta) => {
  it('has bad and good examples and fixture cases', () => {
    expect(meta.examples.bad.length).toBeGreaterThan(0);
    expect(meta.examples.good.length).toBeGreaterThan(0);
    const cases = fixtureCases(id);
    expect(cases.filter((c) => c.kind === 'bad').length, `fixtures/${id}/bad/<case>/`).toBeGreaterThan(0);
    expect(cases.filter((c) => c.kind === 'good').length, `fixtures/${id}/good/<case>/`).toBeGreaterThan(0);
  });
});

// Examples are documentation that runs: a bad example must be reported, a good one must not.
const scratch = mkdtempSync(join(tmpdir(), 'archlint-examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function runExample(ruleId: string, example: RuleExample, name: string) {
  const dir = join(scratch, ruleId.replace('/', '__'), name);
  for (const [path, content] of Object.entries(example.files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  // A checklist rule runs alone; a core diagnostic needs the others (an unused suppression names one).
  const only = ruleId.startsWith('core/') ? {} : { only: [ruleId] };
  const { result } = await lint({ cwd: dir, paths: ['.'], loaded: { config: {}, baseDir: dir }, rules, ...only });
  return result.findings.filter((f) => f.ruleId === ruleId);
}

// core/parse-error and core/internal-error examples need inputs that report them; they run once those inputs exist.
const runnable = allMetas.filter((meta) => !meta.id.startsWith('core/') || meta.id === UNUSED_SUPPRESSION);
describe.each(runnable.map((meta) => [meta.id, meta] as const))('examples of %s', (id, meta) => {
  it('every bad example is reported and no good example is', async () => {
    for (const [index, example] of meta.examples.bad.entries()) {
      expect((await runExample(id, example, `bad-${index}`)).length, `examples.bad[${index}]`).toBeGreaterThan(0);
    }
    for (const [index, example] of meta.examples.good.entries()) {
      expect(
        (await runExample(id, example, `good-${index}`)).map((f) => f.message),
        `examples.good[${index}]`,
      ).toEqual([]);
    }
  });
});

/** The files of a case folder, relative to it (case.json is the harness's, not the case's). */
function caseFiles(dir: string, sub = ''): string[] {
  return readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((entry) => {
    const rel = sub ? `${sub}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return caseFiles(dir, rel);
    return entry.name === 'case.json' ? [] : [rel];
  });
}

/** The message of the one finding a probe of the whole code model reports on a case (reach-probe.ts), if any. */
async function caseProbe(dir: string, probe: typeof remoteRepositoriesProbe): Promise<string | undefined> {
  const started = process.cwd();
  process.chdir(dir);
  try {
    const { result } = await lint({ cwd: dir, paths: ['.'], loaded: { config: {}, baseDir: dir }, rules: [probe] });
    return result.findings[0]?.message;
  } finally {
    process.chdir(started);
  }
}

/** The repositories a whole case shows to reach no database: the judgement its parts are given. */
async function caseRemoteRepositories(dir: string): Promise<Set<string>> {
  const message = (await caseProbe(dir, remoteRepositoriesProbe)) ?? '';
  return new Set(message.split(',').filter((name) => name !== ''));
}

/** The loopback imports a whole case shows (CodeModel.loopbackImports): the judgement its parts are given. */
async function caseLoopbackImports(dir: string): Promise<Set<string>> {
  const message = await caseProbe(dir, loopbackImportsProbe);
  return new Set(message === undefined ? [] : (JSON.parse(message) as string[]));
}

/** Reports each code file's reach: the judgement over a whole case that its parts are given. */
async function caseReach(dir: string): Promise<Map<string, CodeReach>> {
  const started = process.cwd();
  process.chdir(dir);
  try {
    const { result } = await lint({
      cwd: dir,
      paths: ['.'],
      loaded: { config: {}, baseDir: dir },
      rules: [reachProbe],
    });
    return new Map(result.findings.map((f) => [f.file, f.message as CodeReach]));
  } finally {
    process.chdir(started);
  }
}

// A file-scoped rule may run on parts of the tree in worker threads (src/engine/file-rules.ts):
// its findings over a whole case must be the union of its findings over each file on its own, each
// given the facts judged over the whole tree that the engine hands every part (CodeFile.reach, CodeModel.remoteRepositories, CodeModel.loopbackImports,
// TextFiles.facts).
const fileScoped = rules.filter((rule) => rule.meta.scope === 'file');
describe.each(fileScoped.map((rule) => [rule.meta.id, rule] as const))('file scope of %s', (id, rule) => {
  it('finds the same over each fixture case as over each of its files alone', async () => {
    for (const testCase of fixtureCases(id)) {
      const whole = await runCase(testCase, [rule]);
      const oneByOne: Finding[] = [];
      const reach = await caseReach(testCase.dir);
      const remote = await caseRemoteRepositories(testCase.dir);
      const loopback = await caseLoopbackImports(testCase.dir);
      const files = caseFiles(testCase.dir);
      const textFacts = judgeTextFacts(files, (path) => readFileSync(join(testCase.dir, path), 'utf8'));
      for (const file of files)
        oneByOne.push(...(await runCase(testCase, [rule], [file], reach, remote, loopback, textFacts)));
      const keys = (findings: Finding[]) =>
        findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.message}`).sort();
      expect(keys(oneByOne), `${testCase.kind}/${testCase.name}`).toEqual(keys(whole));
    }
  });
});
