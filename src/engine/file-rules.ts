/**
 * Rules whose findings about a file depend on that file alone (`meta.scope: 'file'`: secrets,
 * N+1 queries, HTTP client timeouts) can run on parts of the tree separately, which pays twice:
 * - with `--cache`, only on the files whose content changed since the last run; what they found
 *   in the others comes from the per-file store (file-cache.ts);
 * - with more than one thread and a tree large enough to pay for a worker's start-up, in worker
 *   threads batch by batch — each worker reading and parsing its own files — while the calling
 *   thread builds the cross-file models (routes, schema, OpenAPI) for the other rules, and joins
 *   in when it is done.
 * Findings are data, so they cross threads and go into the store; everything after (placing,
 * suppressing, fingerprints, order) happens once, on the calling thread, exactly as in a serial run.
 * Otherwise these rules run with the others and share their syntax trees.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rules as shipped } from '../../rules/index.js';
import type { LoadedConfig } from '../model/config.js';
import type { CodeReach } from '../model/code.js';
import type { DiscoveredFile, FileSet } from '../model/files.js';
import type { RawFinding } from '../model/finding.js';
import type { InputEnv } from '../inputs/registry.js';
import { createTextFiles } from '../inputs/text/index.js';
import { loadTextFile } from '../inputs/text/text-files.js';
import { YamlDocuments } from '../inputs/yaml/documents.js';
import type { Rule } from '../rule-api.js';
import type { RunCache } from './cache.js';
import type { CarriedFileResults, FileResults } from './carried-file-results.js';
import type { CarriedTrees } from '../inputs/code/carried-trees.js';
import type { TextFile, TextFileFacts, TextFiles } from '../model/files.js';
import { isRuntimeManifest } from '../inputs/code/runtime.js';
import { InputCache } from './input-cache.js';
import { startParallel, type ParallelRun } from '../util/parallel.js';
import { runRules } from './rules-runner.js';

/** What every thread needs to run the rules on its batches (plain data: it is copied to workers). */
export interface FileRulesSetup {
  cwd: string;
  roots: string[];
  /** FileSet.folderRoots: what path-based judgements are made below. */
  folderRoots?: string[];
  config: LoadedConfig;
  ruleIds: string[];
  options: Record<string, Record<string, unknown>>;
  rootLabel: string;
  /**
   * Where each code file is reached from (CodeFile.reach), judged over the whole tree on the calling
   * thread: a batch sees only its own files, not their importers.
   */
  codeReach?: Array<[string, CodeReach]>;
  /** CodeModel.remoteRepositories judged over the whole tree (a batch cannot see the classes its files call). */
  remoteRepositories?: string[];
  /** CodeModel.loopbackImports judged over the whole tree (a batch cannot see the modules its files import). */
  loopbackImports?: string[];
  /** TextFiles.facts judged over the whole tree (a batch cannot read the files beside its own). */
  textFacts?: Array<[string, TextFileFacts]>;
}

const WORKER = new URL('./file-rules-worker.js', import.meta.url);
/** Files per batch: a batch builds its own text and code inputs, so not too few. */
const BATCH_SIZE = 100;
/**
 * Below this many files a worker's start-up (modules, then TypeScript again when a batch needs a
 * syntax tree: ~300 ms together) costs more than the rules' work it takes over.
 */
const MIN_FILES = 1500;

/** Whether a rule may run apart from the others: file-scoped, and one a worker can load (a shipped rule). */
function runsPerFile(rule: Rule): boolean {
  return rule.meta.scope === 'file' && shipped.includes(rule);
}

export interface FileRulesPlan {
  /** The rules the calling thread runs the ordinary way (all of them when nothing runs apart). */
  rulesHere: Rule[];
  /** The findings of the rules run apart, once the calling thread is free (it may take batches too). */
  collect(): Promise<RawFinding[]>;
}

export interface FileRulesContext {
  fileSet: FileSet;
  threads: number;
  setup: { cwd: string; config: LoadedConfig; options(ruleId: string): Record<string, unknown>; rootLabel: string };
  log(message: string): void;
  /** --cache: reuse what the rules found in each unchanged file; check only the others. */
  cache?: RunCache;
  /**
   * A long-running process (`archlint lsp`, `--watch`): the same reuse from memory (carried-file-results.ts), the
   * files checked read from the run's text (the editor's unsaved documents) with the carried syntax trees.
   */
  carried?: { results: CarriedFileResults; text: TextFiles; trees: CarriedTrees };
  /** CodeFile.reach of every code file, judged over the whole tree (built by the code input). */
  codeReach(): Promise<ReadonlyMap<string, CodeReach>>;
  /** CodeModel.remoteRepositories, judged over the whole tree (built by the code input). */
  remoteRepositories(): Promise<ReadonlySet<string>>;
  /** CodeModel.loopbackImports, judged over the whole tree (built by the code input). */
  loopbackImports(): Promise<ReadonlySet<string>>;
  /** TextFiles.facts of the run's text, judged over the whole tree. */
  textFacts(): ReadonlyMap<string, TextFileFacts>;
}

/**
 * Decides where the file-scoped rules run: apart from the others when the per-file cache can spare
 * them files or worker threads pay, else with the others (sharing their syntax trees).
 */
export async function planFileRules(enabled: readonly Rule[], context: FileRulesContext): Promise<FileRulesPlan> {
  const { fileSet, threads, log } = context;
  const rules = enabled.filter(runsPerFile);
  const ids = rules.map((rule) => rule.meta.id);
  const apart =
    rules.length > 0 && (context.cache !== undefined || context.carried !== undefined || willOffload(fileSet, threads));
  // Judged before the batches are cut: a batch cannot see who imports its files.
  const needsCode = apart && rules.some((rule) => rule.meta.requires.includes('code'));
  const reach = needsCode
    ? [...(await context.codeReach())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    : undefined;
  const remote = needsCode ? [...(await context.remoteRepositories())].sort() : undefined;
  const loopback = needsCode ? [...(await context.loopbackImports())].sort() : undefined;
  const textFacts = apart ? [...context.textFacts()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : undefined;
  const setup: Omit<FileRulesSetup, 'roots' | 'folderRoots'> = {
    cwd: context.setup.cwd,
    config: context.setup.config,
    rootLabel: context.setup.rootLabel,
    ruleIds: ids,
    options: Object.fromEntries(ids.map((id) => [id, context.setup.options(id)])),
    ...(reach ? { codeReach: reach } : {}),
    ...(remote ? { remoteRepositories: remote } : {}),
    ...(loopback ? { loopbackImports: loopback } : {}),
    ...(textFacts ? { textFacts } : {}),
  };
  const store: FileResults | undefined =
    rules.length === 0
      ? undefined
      : context.cache
        ? context.cache.fileResults(ids, reach, remote, loopback, textFacts)
        : context.carried
          ? carriedStore(context.carried, fileSet, { ...setup, reach, remote, loopback, textFacts })
          : undefined;
  const reused: RawFinding[] = [];
  const toCheck = store
    ? fileSet.files.filter((file) => {
        const stored = store.get(file.path);
        if (stored) reused.push(...stored);
        return stored === undefined;
      })
    : fileSet.files;
  if (store)
    log(
      `cache: ${ids.join(', ')}: ${fileSet.files.length - toCheck.length} unchanged file(s) reused, ${toCheck.length} to check`,
    );
  const offloaded = startFileRules(rules, { ...fileSet, files: toCheck }, threads, setup);
  if (!store && !offloaded) return { rulesHere: [...enabled], collect: async () => [] };

  return {
    rulesHere: enabled.filter((rule) => !rules.includes(rule)),
    async collect() {
      let perFile: RawFinding[][] = [];
      if (offloaded) {
        const done = await offloaded.join();
        log(`rules ${ids.join(', ')}: ${toCheck.length} file(s) in ${done.threads} thread(s)`);
        perFile = done.results;
      } else if (toCheck.length > 0) {
        perFile = await checkFiles(
          toCheck,
          {
            ...setup,
            roots: fileSet.roots,
            ...(fileSet.folderRoots ? { folderRoots: fileSet.folderRoots } : {}),
          },
          context.carried,
        );
      }
      toCheck.forEach((file, i) => {
        store?.set(file.path, perFile[i] ?? []);
      });
      return [...reused, ...perFile.flat()];
    },
  };
}

/**
 * The carried per-file findings for this run, under a key covering what --cache's per-file store's key covers
 * (cache.ts fileResults) but the archlint version and the folder, which a process does not change.
 */
function carriedStore(
  carried: NonNullable<FileRulesContext['carried']>,
  fileSet: FileSet,
  judged: Omit<FileRulesSetup, 'roots' | 'folderRoots'> & {
    reach: unknown;
    remote: unknown;
    loopback: unknown;
    textFacts: unknown;
  },
): FileResults {
  const manifests = fileSet.files
    .filter((file) => isRuntimeManifest(file.path))
    .map((file) => [file.path, carried.text.get(file.path)?.content ?? null]);
  const key = JSON.stringify([
    judged.ruleIds,
    judged.options,
    judged.config,
    judged.rootLabel,
    fileSet.roots,
    fileSet.folderRoots ?? null,
    manifests,
    judged.reach ?? null,
    judged.remote ?? null,
    judged.loopback ?? null,
    judged.textFacts ?? null,
  ]);
  return carried.results.forRun(
    key,
    (path) => carried.text.get(path)?.content,
    fileSet.files.map((file) => file.path),
  );
}

/**
 * Starts the workers for `rules` when that pays (more than one thread, a large tree, a built worker
 * script); undefined when the rules should run on the calling thread.
 */
function startFileRules(
  rules: readonly Rule[],
  fileSet: FileSet,
  threads: number,
  setup: Omit<FileRulesSetup, 'roots' | 'folderRoots'>,
): ParallelRun<RawFinding[]> | undefined {
  if (rules.length === 0 || !willOffload(fileSet, threads)) return undefined;
  return startParallel({
    items: fileSet.files,
    handle: checkFiles,
    setup: { ...setup, roots: fileSet.roots, ...(fileSet.folderRoots ? { folderRoots: fileSet.folderRoots } : {}) },
    worker: WORKER,
    threads,
    batchSize: BATCH_SIZE,
  });
}

/** Whether worker threads pay: more than one thread, a large tree, a built worker script. */
function willOffload(fileSet: FileSet, threads: number): boolean {
  return threads > 1 && fileSet.files.length >= MIN_FILES && existsSync(fileURLToPath(WORKER));
}

/**
 * Runs the setup's rules on one batch of files, with inputs built from those files alone.
 * Returns the findings per file of the batch (a finding about no file of the batch goes with the first).
 * `shared`: on the calling thread of a long-running process, the run's text (unsaved documents included) and the
 * carried syntax trees, instead of reading and parsing the files again.
 */
export async function checkFiles(
  files: DiscoveredFile[],
  setup: FileRulesSetup,
  shared?: { text: TextFiles; trees: CarriedTrees },
): Promise<RawFinding[][]> {
  const fileSet: FileSet = {
    roots: setup.roots,
    ...(setup.folderRoots ? { folderRoots: setup.folderRoots } : {}),
    files,
    skipped: [],
  };
  const text = shared
    ? batchText(shared.text, files)
    : createTextFiles(fileSet, undefined, undefined, new Map(setup.textFacts ?? []));
  const raw: RawFinding[] = [];
  const inputs = new InputCache(() => {});
  const env: InputEnv = {
    cwd: setup.cwd,
    fileSet,
    text,
    yaml: new YamlDocuments(text),
    config: setup.config,
    threads: 1,
    report: (finding) => raw.push(finding),
    log: () => {},
    input: (name) => inputs.get(name) as never,
    ...(setup.codeReach ? { codeReach: new Map(setup.codeReach) } : {}),
    ...(setup.remoteRepositories ? { remoteRepositories: new Set(setup.remoteRepositories) } : {}),
    ...(setup.loopbackImports ? { loopbackImports: new Set(setup.loopbackImports) } : {}),
    ...(shared ? { carriedTrees: shared.trees } : {}),
  };
  inputs.bind(env);
  const rules = setup.ruleIds.map((id) => shipped.find((rule) => rule.meta.id === id)!);
  await runRules(rules, {
    inputs,
    raw,
    log: () => {},
    rootLabel: setup.rootLabel,
    options: (id) => setup.options[id] ?? {},
  });

  const slot = new Map(files.map((file, i) => [file.path, i]));
  const perFile = files.map((): RawFinding[] => []);
  for (const finding of raw) perFile[slot.get(finding.origin.file) ?? 0]!.push(finding);
  return perFile;
}

/**
 * The run's text seen as a batch's own (createTextFiles over the batch gives no other file): the rules read these
 * files' text as the run has it (an editor's unsaved document), and nothing of the other files.
 */
function batchText(text: TextFiles, files: readonly DiscoveredFile[]): TextFiles {
  const inBatch = new Set(files.map((file) => file.path));
  return {
    get: (path) => (inBatch.has(path) ? text.get(path) : undefined),
    load: (path, absPath) => (inBatch.has(path) ? text.get(path) : loadTextFile(path, absPath, 'openapi-candidate')),
    all: () => files.map((file) => text.get(file.path)).filter((t): t is TextFile => t !== undefined),
    each: () => files.map((file) => text.get(file.path)).filter((t): t is TextFile => t !== undefined),
    // Judged over the run's whole tree, as a batch in a worker is handed them.
    facts: () => text.facts(),
  };
}

/**
 * A file parsed on both sides (by the routes model here, for a secret there) has its syntax error
 * reported twice; a serial run parses it once. Keeps the first of identical core diagnostics.
 */
export function withoutRepeatedDiagnostics(raw: RawFinding[]): RawFinding[] {
  const seen = new Set<string>();
  return raw.filter((finding) => {
    if (!finding.ruleId.startsWith('core/')) return true;
    const key = JSON.stringify([finding.ruleId, finding.origin, finding.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
