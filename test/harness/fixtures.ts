/**
 * The fixture harness: `fixtures/<rule-id>/{bad,good}/<case>/` is a mini-repo. Expected findings are
 * written in the files themselves, on their own line, as `expect: <rule-id>` in the file's comment
 * syntax; the expectation is for the next line that is not an expectation. JSON files (no comments)
 * and file-level findings go in the case's `case.json`:
 *   { "expect": [{ "file": "openapi.json", "line": 12, "ruleId": "…" }, { "file": "x.sql", "ruleId": "…" }],
 *     "config": { …archlint config… } }
 * A `line`-less expectation is a file-level finding.
 */
import type { TextFileFacts } from '../../src/model/files.js';
import type { CodeReach } from '../../src/model/code.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { lint } from '../../src/engine/run.js';
import type { ArchlintConfig } from '../../src/model/config.js';
import type { Finding } from '../../src/model/finding.js';
import type { Rule } from '../../src/rule-api.js';

export const FIXTURES_ROOT = new URL('../../fixtures/', import.meta.url).pathname;

export interface FixtureCase {
  ruleId: string;
  kind: 'bad' | 'good';
  name: string;
  dir: string;
}

export interface Expectation {
  ruleId: string;
  file: string;
  /** Undefined for a file-level finding. */
  line?: number;
}

const EXPECT_LINE = /^\s*(?:\/\/|#|--|\/\*|<!--)\s*expect:\s*([a-z0-9-]+\/[a-z0-9-]+)\b/;
const IGNORED_NAMES = new Set(['case.json', 'node_modules']);

/** The cases of one rule, sorted; empty when it has no fixture folder. */
export function fixtureCases(ruleId: string): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const kind of ['bad', 'good'] as const) {
    const dir = join(FIXTURES_ROOT, ruleId, kind);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (statSync(join(dir, name)).isDirectory()) cases.push({ ruleId, kind, name, dir: join(dir, name) });
    }
  }
  return cases;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (IGNORED_NAMES.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

interface CaseFile {
  expect?: Array<{ ruleId: string; file: string; line?: number }>;
  config?: ArchlintConfig;
}

function readCaseFile(dir: string): CaseFile {
  const path = join(dir, 'case.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as CaseFile) : {};
}

/** Expectations from `expect:` comments plus case.json, as sorted "file:line ruleId" keys. */
export function expectedFindings(dir: string): Expectation[] {
  const expectations: Expectation[] = [];
  for (const path of filesUnder(dir)) {
    const file = relative(dir, path).split(sep).join('/');
    const lines = readFileSync(path, 'utf8').split(/\r\n|\n|\r/);
    let pending: string[] = [];
    lines.forEach((text, index) => {
      const match = EXPECT_LINE.exec(text);
      if (match) {
        pending.push(match[1]!);
        return;
      }
      for (const ruleId of pending) expectations.push({ ruleId, file, line: index + 1 });
      pending = [];
    });
    if (pending.length > 0) throw new Error(`${file}: "expect:" on the last line has no line to point at`);
  }
  for (const e of readCaseFile(dir).expect ?? []) expectations.push(e);
  return expectations;
}

export function key(e: { ruleId: string; file: string; line?: number }): string {
  return `${e.file}${e.line === undefined ? '' : `:${e.line}`} ${e.ruleId}`;
}

export function findingKey(f: Finding): string {
  return key({ ruleId: f.ruleId, file: f.file, ...(f.fileLevel ? {} : { line: f.line }) });
}

/** Runs one rule (only) over a case folder (or some of its files) and returns every finding of the run. */
export async function runCase(
  testCase: FixtureCase,
  rules: readonly Rule[],
  paths: string[] = ['.'],
  /** CodeFile.reach as judged over the whole case, for a run over some of its files (see LintOptions.codeReach). */
  codeReach?: ReadonlyMap<string, CodeReach>,
  /** CodeModel.remoteRepositories as judged over the whole case, likewise. */
  remoteRepositories?: ReadonlySet<string>,
  /** CodeModel.loopbackImports as judged over the whole case, likewise. */
  loopbackImports?: ReadonlySet<string>,
  /** TextFiles.facts as judged over the whole case, likewise. */
  textFacts?: ReadonlyMap<string, TextFileFacts>,
): Promise<Finding[]> {
  const { config = {} } = readCaseFile(testCase.dir);
  const isCore = testCase.ruleId.startsWith('core/');
  // Run from inside the case, as `cd <case> && archlint .` does: what a run reports must not depend
  // on the folder the tests start in (src/inputs/routes/frameworks/next-routes.ts names a root Next.js app after
  // process.cwd(), not after the lint's cwd). Tests of a file run one at a time, so this is safe.
  const started = process.cwd();
  process.chdir(testCase.dir);
  try {
    const { result } = await lint({
      cwd: testCase.dir,
      paths,
      loaded: { config, baseDir: testCase.dir },
      rules,
      // Parse errors come from the inputs the rules read: every rule runs for them (only theirs are compared).
      ...(testCase.ruleId === 'core/parse-error' ? {} : { only: isCore ? [] : [testCase.ruleId] }),
      ...(codeReach ? { codeReach } : {}),
      ...(remoteRepositories ? { remoteRepositories } : {}),
      ...(loopbackImports ? { loopbackImports } : {}),
      ...(textFacts ? { textFacts } : {}),
    });
    return result.findings;
  } finally {
    process.chdir(started);
  }
}
