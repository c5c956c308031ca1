/**
 * The `code` input: every TS/JS file, parsed into TypeScript's own syntax tree on first use and
 * then kept for the run, without the type checker (a full type-check of a large repo costs tens of
 * seconds; what rules need is syntactic). Lazy on purpose: the routes input walks the files a router
 * can reach, and text-first rules (secrets, N+1, timeouts) pre-filter by content and parse only the
 * few files that can matter; TypeScript itself loads only when the first file is parsed. Files are
 * parsed from the TextFile's content, so node offsets are the offsets every Origin uses.
 *
 * Raw compiler trees, not ts-morph's: ts-morph's createSourceFile parses the same tree, then
 * registers it in a document registry and a virtual file system and wraps it (issue 22: 2.5× the
 * bare parse for the routes input, and most of the memory of a large lint). A ts-morph wrapper is
 * made only for a rule that asks for `sourceFile`.
 */
import { posix } from 'node:path';
import type { Project, SourceFile, ts as TypeScript } from 'ts-morph';
import type { TextFile } from '../../model/files.js';
import type { CodeFile, CodeModel } from '../../model/code.js';
import type { InputEnv } from '../env.js';

export type { CodeFile, CodeModel } from '../../model/code.js';
import { parseWithinLimits } from './nesting.js';
import { loadTsMorph, loadTypeScript } from './ts-morph.js';
import { createRuntimeJudge } from './runtime.js';
import { judgeReach } from './reach.js';
import { judgeRemoteRepositories } from './repositories.js';
import { judgeSynchronousStatics } from './synchronous-statics.js';
import { judgeUnnamedStatics, unnamedStaticKey } from './unnamed-statics.js';
import {
  judgeLoopbackImports,
  loopbackImportKey,
  originPathImportKey,
  relativePathImportKey,
} from './loopback-imports.js';
import {
  axiosOriginBasePackageKey,
  axiosTimeoutPackageKey,
  judgeClientSettings,
  originPathSettingKey,
} from './client-settings.js';
import { workPulse } from '../../util/work-pulse.js';
import { syntaxErrorsOf, type CarriedTrees, type SyntaxErrors } from './carried-trees.js';
import { isConcatFragment } from './concat-fragments.js';
import { isBundle } from '../../model/bundles.js';

/** A workspace package of scripts or tools (`scripts/package.json`, `packages/tools/package.json`): CodeFile.toolsPackage. */
const TOOLS_PACKAGE = /^(?:scripts?|tools|tooling|dev-?tools)$/i;

export function buildCodeModel(env: InputEnv): CodeModel {
  let project: Project | undefined;

  /**
   * A file's tree and its syntax error reported (once: a file is parsed or checked once per run). `keep`: the tree
   * is for the rules (parents set, returned); otherwise the file is only checked and nothing is returned. In a
   * long-running process (InputEnv.carriedTrees) a file whose text did not change since the last run is not parsed
   * again: its kept tree, or the errors found when it was checked, are used.
   */
  function parse(path: string, text: TextFile, keep: true): TypeScript.SourceFile;
  function parse(path: string, text: TextFile, keep: false): undefined;
  function parse(path: string, text: TextFile, keep: boolean): TypeScript.SourceFile | undefined {
    const ts = loadTypeScript();
    const fileName = treeFileName(path);
    const kind = scriptKindOf(path, ts);
    const carried = env.carriedTrees;
    const known = carried && !keep ? carried.errors(path, text.content) : undefined;
    let parsed = carried && keep ? carried.outcome(path, text.content, true) : known?.problem;
    if (!parsed && !known) {
      // Parsing a large tree blocks the event loop for seconds: let a watcher look in between files.
      workPulse();
      // A tree only checked for errors needs no parents (setting them does not change parseDiagnostics); a kept one
      // gets them from the walk that measures its depth (nesting.ts), not from a second walk of TypeScript's.
      parsed = parseWithinLimits(() => ts.createSourceFile(fileName, text.content, options(ts), false, kind), ts, keep);
      carried?.keep(path, text.content, parsed, keep, keep);
    }
    if (parsed && 'problem' in parsed) {
      // An empty tree instead: rules and later walks never meet a tree that would overflow the stack.
      const at = parsed.problem.offset;
      // TypeScript reads Flow's annotations as something else, and can nest what it recovers without end.
      if (isFlowFile(text))
        env.log(`code: ${text.path} is a Flow file TypeScript cannot read: ${parsed.problem.message}`);
      else
        env.report({
          ruleId: 'core/parse-error',
          message: parsed.problem.message,
          origin: at === undefined ? { file: text.path } : { file: text.path, range: { start: at, end: at + 1 } },
          related: [],
          source: 'typescript',
        });
      return keep ? ts.createSourceFile(fileName, '', options(ts), true, kind) : undefined;
    }
    reportSyntaxError(env, text, parsed ? syntaxErrorsOf(parsed.tree) : known?.errors, () => {
      const file = env.fileSet.files.find((candidate) => candidate.path === path);
      return file ? judge.syntaxExtensionsOf(file) : [];
    });
    return keep ? parsed!.tree : undefined;
  }

  const judge = createRuntimeJudge(env.fileSet, env.text, env.cwd);
  /** Whether a rule still to run will read the file's tree (InputEnv.treesWanted). */
  const wanted = (file: CodeFile): boolean => env.treesWanted?.(file) ?? false;
  /** Files whose syntax check waits for a rule to parse them (checkPending checks those it did not). */
  const pending: CodeFile[] = [];
  const files: Array<CodeFile & { release(): number }> = [];
  /** Files whose errors were reported: parsed for good, or checked by checkUnparsed. */
  const seen = new Set<string>();
  /** Trees let go by releaseTrees, given again while something else keeps them alive. */
  const released = new WeakMap<CodeFile, WeakRef<TypeScript.SourceFile>>();
  for (const discovered of env.fileSet.files) {
    if (discovered.kind !== 'code') continue;
    const text = env.text.get(discovered.path);
    if (!text) continue;
    let tree: TypeScript.SourceFile | undefined;
    let wrapped: SourceFile | undefined;
    let runtime: CodeFile['runtime'] | undefined;
    let reach: CodeFile['reach'] | undefined;
    let bundle: boolean | undefined;
    const file: CodeFile & { release(): number } = {
      path: discovered.path,
      text,
      get tree() {
        if (tree) return tree;
        const kept = released.get(file)?.deref();
        if (kept) return (tree = kept);
        // Checked already (or parsed, then released): parse again, without reporting the errors a second time.
        const report = !seen.has(discovered.path);
        seen.add(discovered.path);
        return (tree = report
          ? parse(discovered.path, text, true)
          : quietParse(discovered.path, text, env.carriedTrees));
      },
      release() {
        // The trees a rule still to run will read stay: letting them go only to parse them again costs more
        // time than the memory saved.
        if (!tree || wanted(file)) return 0;
        released.set(file, new WeakRef(tree));
        tree = undefined;
        wrapped = undefined;
        return text.content.length;
      },
      get sourceFile() {
        return (wrapped ??= loadTsMorph().createWrappedNode(this.tree) as SourceFile);
      },
      get runtime() {
        return (runtime ??= judge.runtimeOf(discovered, text.content));
      },
      get platformLimit() {
        return judge.platformLimitOf(discovered);
      },
      get packageDataLayers() {
        return judge.dataLayersOf(discovered);
      },
      get packageEmbeddedDatabase() {
        return judge.embeddedDatabaseOf(discovered);
      },
      get reach() {
        return (reach ??= reachOf(discovered.path));
      },
      isLoopbackImport(name) {
        return (loopback ??= judgeTreeUrls()).has(loopbackImportKey(discovered.path, name));
      },
      isUnnamedStatic(name) {
        return (loopback ??= judgeTreeUrls()).has(unnamedStaticKey(discovered.path, name));
      },
      isOriginPathImport(name) {
        return (loopback ??= judgeTreeUrls()).has(originPathImportKey(discovered.path, name));
      },
      get bundle() {
        return (bundle ??= isBundle(discovered.path, text.content));
      },
      get toolsPackage() {
        const dir = judge.packageDirOf(discovered);
        return dir !== undefined && dir !== '.' && TOOLS_PACKAGE.test(posix.basename(dir));
      },
      isRelativePathImport(name) {
        return (loopback ??= judgeTreeUrls()).has(relativePathImportKey(discovered.path, name));
      },
      isOriginPathSetting(name) {
        return (loopback ??= judgeTreeUrls()).has(originPathSettingKey(name));
      },
      axiosDefaultTimeout() {
        const judged = (loopback ??= judgeTreeUrls());
        const dir = judge.packageDirOf(discovered);
        return dir !== undefined && judged.has(axiosTimeoutPackageKey(dir));
      },
      axiosOriginBase() {
        const judged = (loopback ??= judgeTreeUrls());
        const dir = judge.packageDirOf(discovered);
        return dir !== undefined && judged.has(axiosOriginBasePackageKey(dir));
      },
    };
    files.push(file);
  }
  const byPath = new Map(files.map((file) => [file.path, file]));
  /**
   * Judged over every file of the run on first use; a batch of files checked apart (worker threads, the
   * per-file cache) is given the judgement made over the whole tree (InputEnv.codeReach).
   */
  let reaches: ReadonlyMap<string, CodeFile['reach']> | undefined = env.codeReach;
  const reachOf = (path: string): CodeFile['reach'] =>
    (reaches ??= judgeReach(model, env.fileSet, env.text, env.carriedReach)).get(path) ?? 'unknown';
  let remote: ReadonlySet<string> | undefined = env.remoteRepositories;
  let loopback: ReadonlySet<string> | undefined = env.loopbackImports;
  /**
   * The loopback and same-origin imports (loopback-imports.ts) and the HTTP client settings of the tree
   * (client-settings.ts): one set of keys, judged over the whole tree and given to a batch checked apart.
   */
  const judgeTreeUrls = (): ReadonlySet<string> => {
    const imports = judgeLoopbackImports(model, env.fileSet, env.text);
    const settings = judgeClientSettings(
      files,
      env.fileSet,
      env.text,
      (path, name) => imports.has(originPathImportKey(path, name)),
      (file) => judge.packageDirOf(file.text),
    );
    // Static members no code names (unnamed-statics.ts): whole-tree keys, carried to a batch with the others.
    return new Set([...imports, ...settings, ...judgeUnnamedStatics(files)]);
  };
  const model: CodeModel = {
    files,
    get: (path) => byPath.get(path),
    get project() {
      return (project ??= createProject());
    },
    get ts() {
      return loadTypeScript();
    },
    releaseTrees() {
      let characters = 0;
      for (const file of files) characters += file.release();
      return characters;
    },
    checkUnparsed(some) {
      for (const file of some) {
        if (seen.has(file.path)) continue;
        // A file a rule will read is checked when that rule parses it (its errors reported then), not
        // parsed twice; checkPending checks it if no rule did.
        if (wanted(file)) {
          pending.push(file);
          continue;
        }
        seen.add(file.path);
        parse(file.path, file.text, false);
      }
    },
    checkPending() {
      for (const file of pending.splice(0)) {
        if (seen.has(file.path)) continue;
        seen.add(file.path);
        parse(file.path, file.text, false);
      }
    },
    reachMap() {
      return (reaches ??= judgeReach(model, env.fileSet, env.text, env.carriedReach));
    },
    remoteRepositories() {
      // Repositories with no database behind them, and static methods that answer from memory (`Table.findOne`).
      return (remote ??= new Set([...judgeRemoteRepositories(model), ...judgeSynchronousStatics(model)]));
    },
    loopbackImports() {
      return (loopback ??= judgeTreeUrls());
    },
  };
  return model;
}

/** The tree of a file whose errors were already reported (a file checked before a rule wanted it). */
function quietParse(path: string, text: TextFile, carried: CarriedTrees | undefined): TypeScript.SourceFile {
  const ts = loadTypeScript();
  let parsed = carried?.outcome(path, text.content, true);
  if (!parsed) {
    parsed = parseWithinLimits(
      () => ts.createSourceFile(treeFileName(path), text.content, options(ts), false, scriptKindOf(path, ts)),
      ts,
      true,
    );
    carried?.keep(path, text.content, parsed, true, true);
  }
  return 'problem' in parsed
    ? ts.createSourceFile(treeFileName(path), '', options(ts), true, scriptKindOf(path, ts))
    : parsed.tree;
}

/**
 * How files are parsed: the latest syntax, and JSDoc comments left as comments. No rule or input reads
 * JSDoc nodes (a type checker would), and their errors are never parse errors (jsDocDiagnostics).
 */
function options(ts: typeof TypeScript): TypeScript.CreateSourceFileOptions {
  return { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
}

/** The file name a tree is given (routes/modules.ts finds a tree's file by it). */
export function treeFileName(path: string): string {
  return `/${path.replace(/^(\.\.\/)+/, '__up__/')}`;
}

function createProject(): Project {
  const { Project, ts } = loadTsMorph();
  return new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: true, jsx: ts.JsxEmit.Preserve, target: ts.ScriptTarget.Latest, noLib: true },
  });
}

function scriptKindOf(path: string, ts: typeof TypeScript): TypeScript.ScriptKind {
  if (/\.tsx$/i.test(path)) return ts.ScriptKind.TSX;
  if (/\.(c|m)?ts$/i.test(path)) return ts.ScriptKind.TS;
  if (/\.jsx$/i.test(path)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

/** `@flow` (or `@noflow`) in the comments before a JavaScript file's first statement: Flow's pragma. */
const LEADING_COMMENTS = /^(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/;

function isFlowFile(text: TextFile): boolean {
  if (!/\.(?:[cm]?js|jsx)$/.test(text.path)) return false;
  // flow-typed's folder of library definitions (`declare module 'x' { … }`), written for Flow with or without a pragma.
  if (/(?:^|\/)flow-typed\//.test(text.path)) return true;
  const comments = LEADING_COMMENTS.exec(text.content.slice(0, 4000))?.[0] ?? '';
  return /@(?:no)?flow\b/.test(comments);
}

/** An EJS tag (`<%= x %>`, `<%- JSON.stringify(x) %>`, `<% if (a) { %>`). */
const EJS_TAG = /<%[-=_#]?[\s\S]{0,2000}?[-_]?%>/;

/**
 * A server-side template named `.js` (etherpad's `padBootstrap.js`, rendered by EJS before it reaches
 * the browser): its first syntax error is on a line with an EJS tag, which no JavaScript holds.
 */
function isTemplateError(text: TextFile, start: number): boolean {
  if (!/\.(?:[cm]?js|jsx)$/.test(text.path) || !EJS_TAG.test(text.content)) return false;
  const lineStart = text.content.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.content.indexOf('\n', start);
  return text.content.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).includes('<%');
}

/**
 * The parser's first syntax error becomes one `core/parse-error`; the file is still used as parsed (TS recovers).
 * `syntaxExtensions`: the Babel plugins for syntax TypeScript does not read that the file's package builds with
 * (asked only when there is an error: most files have none).
 */
function reportSyntaxError(
  env: InputEnv,
  text: TextFile,
  errors: SyntaxErrors | undefined,
  syntaxExtensions: () => readonly string[],
): void {
  if (!errors) return;
  const { first } = errors;
  // A Flow file (`// @flow` in its opening comments) has type casts and annotations TypeScript's
  // grammar reads differently: its errors are not the author's. Its tree is still used as far as it goes.
  if (isFlowFile(text)) {
    env.log(`code: ${text.path} is a Flow file: TypeScript's syntax errors in it not reported`);
    return;
  }
  const isJavaScript = /\.(?:[cm]?js|jsx)$/.test(text.path);
  const extensions = isJavaScript ? syntaxExtensions() : [];
  if (extensions.length > 0) {
    env.log(
      `code: ${text.path}: syntax errors not reported: its package builds JavaScript with ${extensions.join(', ')}`,
    );
    return;
  }
  if (isJavaScript && isConcatFragment(env.fileSet, env.text, text.path)) {
    env.log(`code: ${text.path} is a fragment its build concatenates with other files: its syntax errors not reported`);
    return;
  }
  if (isTemplateError(text, first.start ?? 0)) {
    env.log(`code: ${text.path} is an EJS template named .js: its syntax errors not reported`);
    return;
  }
  // syntaxErrorsOf gives a chain of messages by its head.
  const message = String(first.messageText);
  const start = first.start ?? 0;
  env.report({
    ruleId: 'core/parse-error',
    message: `TypeScript syntax error: ${message}${errors.count > 1 ? ` (and ${errors.count - 1} more)` : ''}`,
    origin: { file: text.path, range: { start, end: start + (first.length ?? 0) } },
    related: [],
    source: 'typescript',
  });
}
