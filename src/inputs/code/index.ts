/**
 * The `code` input: every TS/JS file, parsed into a ts-morph SourceFile on first use and then
 * kept for the run, without the type checker (a full type-check of a large repo costs tens of
 * seconds; what rules need is syntactic). Lazy on purpose: the routes input walks every file,
 * but text-first rules (secrets, N+1, timeouts) pre-filter by content and parse only the few
 * files that can matter; ts-morph itself loads only when the first file is parsed. Files are
 * parsed from the TextFile's content, so node offsets are the offsets every Origin uses.
 */
import type { Project, SourceFile, ts as TypeScript } from 'ts-morph';
import type { TextFile } from '../../model/files.js';
import type { CodeFile, CodeModel } from '../../model/code.js';
import type { InputEnv } from '../env.js';

export type { CodeFile, CodeModel } from '../../model/code.js';
import { parseWithinLimits } from './nesting.js';
import { loadTsMorph } from './ts-morph.js';
import { createRuntimeJudge } from './runtime.js';
import { workPulse } from '../../util/work-pulse.js';

export function buildCodeModel(env: InputEnv): CodeModel {
  let parser: { project: Project; ts: typeof TypeScript } | undefined;
  const load = () => (parser ??= createParser());

  const parse = (path: string, text: TextFile): SourceFile => {
    // Parsing a large tree blocks the event loop for seconds: let a watcher look in between files.
    workPulse();
    const { project, ts } = load();
    const fileName = `/${path.replace(/^(\.\.\/)+/, '__up__/')}`;
    // `overwrite` only when a tree of that name exists: ts-morph's overwrite path first reads the file from its
    // (empty) in-memory file system, which throws and catches a FileNotFoundError per file (issue 22).
    const options = { overwrite: project.getSourceFile(fileName) !== undefined, scriptKind: scriptKindOf(path, ts) };
    const parsed = parseWithinLimits(() => project.createSourceFile(fileName, text.content, options), ts);
    if ('problem' in parsed) {
      // An empty tree instead: rules and later walks never meet a tree that would overflow the stack.
      const at = parsed.problem.offset;
      env.report({
        ruleId: 'core/parse-error',
        message: parsed.problem.message,
        origin: at === undefined ? { file: text.path } : { file: text.path, range: { start: at, end: at + 1 } },
        related: [],
        source: 'typescript',
      });
      return project.createSourceFile(fileName, '', { ...options, overwrite: true });
    }
    reportSyntaxError(env, text, parsed.sourceFile);
    return parsed.sourceFile;
  };

  const judge = createRuntimeJudge(env.fileSet, env.text, env.cwd);
  const files: CodeFile[] = [];
  for (const discovered of env.fileSet.files) {
    if (discovered.kind !== 'code') continue;
    const text = env.text.get(discovered.path);
    if (!text) continue;
    let tree: SourceFile | undefined;
    let runtime: CodeFile['runtime'] | undefined;
    files.push({
      path: discovered.path,
      text,
      get sourceFile() {
        return (tree ??= parse(discovered.path, text));
      },
      get runtime() {
        return (runtime ??= judge.runtimeOf(discovered, text.content));
      },
    });
  }
  const byPath = new Map(files.map((file) => [file.path, file]));
  return {
    files,
    get: (path) => byPath.get(path),
    get project() {
      return load().project;
    },
    get ts() {
      return load().ts;
    },
  };
}

function createParser(): { project: Project; ts: typeof TypeScript } {
  const { Project, ts } = loadTsMorph();
  const project = new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: true, jsx: ts.JsxEmit.Preserve, target: ts.ScriptTarget.Latest, noLib: true },
  });
  return { project, ts };
}

function scriptKindOf(path: string, ts: typeof TypeScript): TypeScript.ScriptKind {
  if (/\.tsx$/i.test(path)) return ts.ScriptKind.TSX;
  if (/\.(c|m)?ts$/i.test(path)) return ts.ScriptKind.TS;
  if (/\.jsx$/i.test(path)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

/** The parser's first syntax error becomes one `core/parse-error`; the file is still used as parsed (TS recovers). */
function reportSyntaxError(env: InputEnv, text: TextFile, sourceFile: SourceFile): void {
  // parseDiagnostics is the parser's own list: no program or type checker needed to read it.
  const diagnostics = (
    sourceFile.compilerNode as unknown as {
      parseDiagnostics?: Array<{ start?: number; length?: number; messageText: unknown }>;
    }
  ).parseDiagnostics;
  const first = diagnostics?.[0];
  if (!first) return;
  const message =
    typeof first.messageText === 'string'
      ? first.messageText
      : String((first.messageText as { messageText?: string }).messageText ?? 'syntax error');
  const start = first.start ?? 0;
  env.report({
    ruleId: 'core/parse-error',
    message: `TypeScript syntax error: ${message}${diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : ''}`,
    origin: { file: text.path, range: { start, end: start + (first.length ?? 0) } },
    related: [],
    source: 'typescript',
  });
}
