/**
 * One lint run: discover files, build the inputs enabled rules need (lazily, once), run the rules,
 * then place, suppress, grade, fingerprint and sort the findings for the reporters.
 */
import { relative, sep } from 'node:path';
import { resolveRuleSettings } from '../config/severity.js';
import { discover } from '../discover/index.js';
import { createTextFiles } from '../inputs/text/index.js';
import { inputFileKinds, type InputEnv } from '../inputs/registry.js';
import { YamlDocuments } from '../inputs/yaml/documents.js';
import type { CodeFile, CodeReach } from '../model/code.js';
import type { LoadedConfig } from '../model/config.js';
import type { FileKind, FileSet, TextFileFacts, TextFiles } from '../model/files.js';
import type { Finding, RawFinding, SeveritySetting } from '../model/finding.js';
import type { RunResult } from '../reporters/types.js';
import type { InputMap, Rule, RuleMeta } from '../rule-api.js';
import { packageInfo } from '../version.js';
import { coreRuleMetas, UNUSED_SUPPRESSION } from './core-rules.js';
import { compare, finalise } from './finalise.js';
import { planFileRules, withoutRepeatedDiagnostics } from './file-rules.js';
import type { CarriedInputs } from './carried-inputs.js';
import type { CarriedDiscovery } from '../discover/carried.js';
import type { CarriedTextStore } from '../inputs/text/text-files.js';
import { InputCache } from './input-cache.js';
import { defaultThreads } from '../util/parallel.js';
import { collectIfHeapGrew } from '../util/collect-garbage.js';
import { runRules } from './rules-runner.js';
import { Locator } from './locate.js';
import type { CachedFindings, RunCache } from './cache.js';
import { countReads, type ProgressSink } from './progress.js';
import { applySuppressions, collectSuppressions } from './suppress.js';

export interface LintOptions {
  /** Absolute current directory: paths in reports are relative to it. */
  cwd: string;
  paths: string[];
  loaded: LoadedConfig;
  /** Every rule archlint knows (rules/index.ts); which run is decided by config, --rule and --only. */
  rules: readonly Rule[];
  cliRules?: Record<string, SeveritySetting>;
  /** Run only these rule ids (core diagnostics still apply). */
  only?: readonly string[];
  maxFileSize?: number;
  /** Threads for parse steps that can run in parallel, this one included (default 1: see defaultThreads). */
  threads?: number;
  log?: (message: string) => void;
  /** --no-ignore: discovery applies no .gitignore file and no config `ignore` pattern. */
  noIgnore?: boolean;
  /** Glob arguments: a walked file is kept only when this accepts its report path (see DiscoverOptions.include). */
  include?: (reportPath: string) => boolean;
  /** --cache: findings reused when every input is unchanged, stored after a fresh run. */
  cache?: RunCache;
  /** Input models kept between the runs of one process (`--watch`): reused when none of their files changed. */
  carried?: CarriedInputs;
  progress?: ProgressSink;
  /**
   * Read every YAML value and position through the `yaml` Document, as before the fast path
   * (yaml/fast-value.ts, yaml/block-locator.ts). For the tests that compare the two; no flag sets it.
   */
  yamlDocumentsOnly?: boolean;
  /**
   * Let swagger-parser compile the OpenAPI JSON Schemas at every run, as before the precompiled
   * validators (inputs/openapi/schemas.ts). For the tests that compare the two; no flag sets it.
   */
  runtimeSchemaValidators?: boolean;
  /**
   * Where each code file is reached from (CodeFile.reach), as judged over a larger tree than this run's: what a
   * batch checked apart is given (file-rules.ts). For the tests that check a file-scoped rule finds the same over a
   * tree as over each file with that judgement; no flag sets it.
   */
  codeReach?: ReadonlyMap<string, CodeReach>;
  /** CodeModel.remoteRepositories as judged over a larger tree than this run's, like codeReach (tests only). */
  remoteRepositories?: ReadonlySet<string>;
  /** CodeModel.loopbackImports as judged over a larger tree than this run's, like codeReach (tests only). */
  loopbackImports?: ReadonlySet<string>;
  /** TextFiles.facts as judged over a larger tree than this run's, like codeReach (tests only). */
  textFacts?: ReadonlyMap<string, TextFileFacts>;
  /**
   * Text to use instead of what is on disk, by report path: the editor's unsaved documents
   * (`archlint lsp`). Only for files discovery finds; read on the calling thread (threads: 1).
   */
  overlay?: ReadonlyMap<string, string>;
  /**
   * Called once the findings are final, with the run's models and its locator, so a command that
   * shows the models (`archlint map`) reads the same ones the rules read, built once. Not with --cache.
   */
  inspect?: (models: { input: InputEnv['input']; locator: Locator; findings: readonly Finding[] }) => Promise<void>;
}

export interface LintRun {
  result: RunResult;
  fileSet: FileSet;
}

export type { PlacedFinding } from './placed-finding.js';
import type { PlacedFinding } from './placed-finding.js';

export async function lint(options: LintOptions): Promise<LintRun> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const { cwd, loaded } = options;

  const allMetas = new Map<string, RuleMeta>();
  for (const meta of coreRuleMetas) allMetas.set(meta.id, meta);
  for (const rule of options.rules) allMetas.set(rule.meta.id, rule.meta);
  const defaults = new Map<string, SeveritySetting>([...allMetas.values()].map((meta) => [meta.id, meta.severity]));
  const settings = resolveRuleSettings({
    defaults,
    loaded,
    cwd,
    ...(options.cliRules ? { cliRules: options.cliRules } : {}),
  });
  // The same settings without the rules' defaults: 'off' where the user said nothing about a rule.
  const userSettings = resolveRuleSettings({
    defaults: new Map(),
    loaded,
    cwd,
    ...(options.cliRules ? { cliRules: options.cliRules } : {}),
  });

  const only = options.only ? new Set(options.only) : undefined;
  const enabled = options.rules
    .filter((rule) => settings.isEnabled(rule.meta.id) && (!only || only.has(rule.meta.id)))
    .sort((a, b) => compare(a.meta.id, b.meta.id));

  options.progress?.phase('discovering');
  const prefetched = new Map<string, Uint8Array>();
  const fileSet = await discover(options.paths, {
    cwd,
    ignore: loaded.config.ignore ?? [],
    ignoreBaseDir: loaded.baseDir,
    ...(options.maxFileSize !== undefined ? { maxFileSize: options.maxFileSize } : {}),
    log,
    ...(options.noIgnore ? { noIgnore: true } : {}),
    ...(options.include ? { include: options.include } : {}),
    ...(options.carried ? { carried: options.carried.discovery } : {}),
    prefetch: {
      kinds: kindsReadWhole(enabled, options.threads ?? defaultThreads()),
      into: prefetched,
      maxBytes: PREFETCH_MAX_BYTES,
    },
  });
  log(`${fileSet.files.length} files to check, ${fileSet.skipped.length} skipped`);
  log(`rules: ${enabled.map((rule) => rule.meta.id).join(', ') || '(none)'}`);

  // Files created, deleted or changed on disk since the last run, whether or not the editor or watcher said so.
  const discovery = options.carried?.discovery;
  if (discovery && !options.include) options.carried!.drop(discovery.changed);
  for (const [path, content] of options.overlay ?? []) prefetched.set(path, Buffer.from(content, 'utf8'));
  const read = createTextFiles(
    fileSet,
    log,
    prefetched,
    options.textFacts,
    discovery && !options.include ? carriedTexts(discovery, options.overlay) : undefined,
  );
  const counted = options.progress ? countReads(read, fileSet, options.progress) : read;
  const text = options.cache ? options.cache.watch(counted) : counted;
  if (options.cache) options.progress?.phase('reading');
  const reused = options.cache?.lookup(
    fileSet,
    enabled.map((rule) => rule.meta.id),
  );
  const { findings, suppressed } =
    reused ?? (await check({ ...options, fileSet, text, enabled, settings, userSettings, allMetas, log }));
  if (!reused) options.cache?.store({ findings, suppressed });

  const result: RunResult = {
    tool: { name: 'archlint', version: packageInfo.version, informationUri: packageInfo.homepage },
    findings,
    summary: {
      files: fileSet.files.length,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      notes: findings.filter((f) => f.severity === 'note').length,
      suppressed,
      durationMs: Math.round(performance.now() - started),
    },
    rules: metasInResult(allMetas, enabled, findings),
    cwd,
  };
  return { result, fileSet };
}

interface CheckState extends LintOptions {
  fileSet: FileSet;
  text: TextFiles;
  enabled: Rule[];
  settings: ReturnType<typeof resolveRuleSettings>;
  /** What the user set (config, overrides, --rule), without defaults: decides whether a finding's own severity applies. */
  userSettings: ReturnType<typeof resolveRuleSettings>;
  allMetas: Map<string, RuleMeta>;
  log: (message: string) => void;
}

/** Builds the inputs, runs the rules, then places, suppresses and finalises their findings. */
async function check(state: CheckState): Promise<CachedFindings> {
  const { cwd, loaded, fileSet, text, enabled, settings, userSettings, allMetas, log, progress } = state;
  const yaml = new YamlDocuments(text, { fastPath: state.yamlDocumentsOnly !== true });
  const raw: RawFinding[] = [];
  const threads = state.threads ?? defaultThreads();
  const inputs = new InputCache(log, progress && ((name) => progress.phase(`building ${name}`)), state.carried, () =>
    collectIfHeapGrew(log),
  );
  // The rules still to run here that read trees (set once the file-scoped rules are planned: those run
  // apart parse their own; each leaves once it has run). Read when the code model lets trees go.
  let treeReaders: readonly Rule[] = [];
  const answers = new Map<Rule, Map<string, boolean>>();
  const reads = (rule: Rule, file: CodeFile): boolean => {
    let byPath = answers.get(rule);
    if (!byPath) answers.set(rule, (byPath = new Map()));
    let answer = byPath.get(file.path);
    if (answer === undefined) byPath.set(file.path, (answer = rule.codeTrees!(file)));
    return answer;
  };
  const env: InputEnv = {
    cwd,
    fileSet,
    text,
    yaml,
    config: loaded,
    threads,
    report: (finding) => raw.push(finding),
    log,
    input: (name) => inputs.get(name) as never,
    // Not in a long-running process that carries models between runs: an input carried over replays what it
    // reported while built, and a check left to a rule would be missing from it.
    ...(state.carried
      ? { carriedTrees: state.carried.trees, carriedReach: state.carried.reach }
      : { treesWanted: (file: CodeFile) => treeReaders.some((rule) => reads(rule, file)) }),
    ...(state.runtimeSchemaValidators ? { runtimeSchemaValidators: true } : {}),
    ...(state.codeReach ? { codeReach: state.codeReach } : {}),
    ...(state.remoteRepositories ? { remoteRepositories: state.remoteRepositories } : {}),
    ...(state.loopbackImports ? { loopbackImports: state.loopbackImports } : {}),
  };
  inputs.bind(env);
  // The trees of files this run no longer has (deleted, renamed) are let go: only current versions are kept.
  state.carried?.trees.retain(new Set(fileSet.files.map((file) => file.path)));
  const rootLabel = toReportPath(cwd, fileSet.roots[0] ?? cwd);

  // File-scoped rules may run apart (worker threads, per-file cache); the rest run here meanwhile.
  const fileRules = await planFileRules(enabled, {
    fileSet,
    threads,
    codeReach: async () => (await env.input('code')).reachMap(),
    remoteRepositories: async () => (await env.input('code')).remoteRepositories(),
    loopbackImports: async () => (await env.input('code')).loopbackImports?.() ?? new Set<string>(),
    textFacts: () => text.facts(),
    setup: { cwd, config: loaded, options: (id) => settings.options(id), rootLabel },
    log,
    ...(state.cache ? { cache: state.cache } : {}),
    ...(state.carried ? { carried: { results: state.carried.fileResults, text, trees: state.carried.trees } } : {}),
  });
  treeReaders = fileRules.rulesHere.filter((rule) => rule.codeTrees !== undefined);
  /** Acts on the code model if some rule's input built it (one that failed was reported by that rule). */
  const withCode = async (act: (code: InputMap['code']) => void): Promise<void> => {
    if (inputs.has('code')) await env.input('code').then(act, () => undefined);
  };
  await runRules(fileRules.rulesHere, {
    // The trees only this rule was to read go once it has run (the model's own nodes stay).
    afterRule: async (rule) => {
      if (treeReaders.includes(rule)) {
        treeReaders = treeReaders.filter((other) => other !== rule);
        let released = 0;
        await withCode((code) => {
          released = code.releaseTrees();
        });
        log(`trees of ${released} characters of code released after ${rule.meta.id}`);
      }
      // Collected when the heap grew well past what was live at the last collection (collect-garbage.ts): before
      // the next rule grows it on top of what this one let go (V8 would let it grow first: a heap of ~740 MB
      // instead of ~620 MB on the corpus of issue 22 after no-n-plus-one). Not after the last rule.
      if (rule !== fileRules.rulesHere.at(-1)) await collectIfHeapGrew(log);
    },
    inputs,
    raw,
    log,
    rootLabel,
    options: (id) => settings.options(id),
    ...(progress ? { progress } : {}),
  });
  // The syntax checks left to rules that did not parse those files after all.
  await withCode((code) => code.checkPending());
  raw.push(...(await fileRules.collect()));

  const locator = new Locator(text, yaml);
  const placed: PlacedFinding[] = [];
  for (const finding of withoutRepeatedDiagnostics(raw)) {
    const setting = settings.severityFor(finding.ruleId, finding.origin.file);
    if (setting === 'off') continue;
    // A finding graded by its rule keeps its own severity unless the user set the rule's severity there.
    const userSet = userSettings.severityFor(finding.ruleId, finding.origin.file) !== 'off';
    const severity = finding.severity !== undefined && !userSet ? finding.severity : setting;
    placed.push({ raw: finding, placement: locator.place(finding.origin), severity });
  }

  const ran = new Set(enabled.map((rule) => rule.meta.id));
  const suppressions = collectSuppressions(text, yaml);
  const { kept, suppressed, unused } = applySuppressions(placed, suppressions, {
    knownRuleIds: new Set(allMetas.keys()),
    ranFor: (ruleId, file) => ran.has(ruleId) && settings.severityFor(ruleId, file) !== 'off',
  });
  for (const leftover of unused) {
    const severity = settings.severityFor(UNUSED_SUPPRESSION, leftover.origin.file);
    if (severity === 'off') continue;
    kept.push({ raw: leftover, placement: locator.place(leftover.origin), severity });
  }

  const findings = finalise(kept, locator);
  await state.inspect?.({ input: env.input, locator, findings });
  return { findings, suppressed };
}

/**
 * The decoded text of the files discovery found unchanged, reused; the text read this run kept for the next. Never an
 * editor's unsaved text: the file on disk is what is kept.
 */
function carriedTexts(discovery: CarriedDiscovery, overlay: ReadonlyMap<string, string> | undefined): CarriedTextStore {
  return {
    get: (path) => (overlay?.has(path) || !discovery.unchanged.has(path) ? undefined : discovery.texts.get(path)),
    keep: (path, file) => {
      if (overlay?.has(path)) discovery.texts.delete(path);
      else discovery.texts.set(path, file);
    },
  };
}

/** How much discovery may read ahead for the inputs (see Prefetch): the SQL of most repositories, a mid-sized code base. */
const PREFETCH_MAX_BYTES = 32 * 1024 * 1024;

/**
 * What discovery may read on its way: the kinds of file the enabled rules' inputs read every one of.
 * Not with worker threads, which read the files they check themselves.
 */
export function kindsReadWhole(enabled: readonly Rule[], threads: number): Set<FileKind> {
  if (threads > 1) return new Set();
  return new Set(enabled.flatMap((rule) => rule.meta.requires.flatMap((input) => inputFileKinds[input])));
}

/** Rules that ran, plus core diagnostics that produced findings: what SARIF lists as descriptors. */
function metasInResult(
  all: Map<string, RuleMeta>,
  enabled: readonly Rule[],
  findings: Finding[],
): Map<string, RuleMeta> {
  const ids = new Set([...enabled.map((rule) => rule.meta.id), ...findings.map((finding) => finding.ruleId)]);
  return new Map([...ids].sort(compare).flatMap((id) => (all.has(id) ? [[id, all.get(id)!] as const] : [])));
}

export function toReportPath(cwd: string, absPath: string): string {
  const rel = relative(cwd, absPath);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}
