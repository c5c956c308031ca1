/**
 * The `code` input: every TS/JS file parsed once into a ts-morph SourceFile, without the type
 * checker (a full type-check of a large repo costs tens of seconds; what rules need is syntactic).
 * Files are parsed from the TextFile's content, so node offsets are the offsets every Origin uses.
 */
import type { Node, Project, SourceFile } from 'ts-morph';
import type { TextFile } from '../../model/files.js';
import type { Origin } from '../../model/finding.js';
import type { InputEnv } from '../registry.js';
import { parseWithinLimits } from './nesting.js';

export interface CodeFile {
  path: string;
  text: TextFile;
  sourceFile: SourceFile;
}

export interface CodeModel {
  /** In path order. */
  files: CodeFile[];
  get(path: string): CodeFile | undefined;
  /** The ts-morph project holding every file (in-memory; no type checker unless someone asks for it). */
  project: Project;
}

/** The origin of a node: its range without leading trivia (comments, whitespace). */
export function nodeOrigin(file: CodeFile, node: Node): Origin {
  return { file: file.path, range: { start: node.getStart(), end: node.getEnd() } };
}

export async function buildCodeModel(env: InputEnv): Promise<CodeModel> {
  const { Project, ts } = await import('ts-morph');
  const project = new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: true, jsx: ts.JsxEmit.Preserve, target: ts.ScriptTarget.Latest, noLib: true },
  });
  const files: CodeFile[] = [];
  for (const discovered of env.fileSet.files) {
    if (discovered.kind !== 'code') continue;
    const text = env.text.get(discovered.path);
    if (!text) continue;
    const fileName = `/${discovered.path.replace(/^(\.\.\/)+/, '__up__/')}`;
    const parsed = parseWithinLimits(
      () => project.createSourceFile(fileName, text.content, { overwrite: true, scriptKind: scriptKindOf(discovered.path, ts) }),
      ts,
    );
    if ('problem' in parsed) {
      // Left out of the model: rules and later walks never meet a tree that would overflow the stack.
      const sourceFile = project.getSourceFile(fileName);
      if (sourceFile) project.removeSourceFile(sourceFile);
      const at = parsed.problem.offset;
      env.report({
        ruleId: 'core/parse-error',
        message: parsed.problem.message,
        origin: at === undefined ? { file: text.path } : { file: text.path, range: { start: at, end: at + 1 } },
        related: [],
        source: 'typescript',
      });
      continue;
    }
    const { sourceFile } = parsed;
    files.push({ path: discovered.path, text, sourceFile });
    reportSyntaxError(env, text, sourceFile);
  }
  const byPath = new Map(files.map((file) => [file.path, file]));
  return { files, get: (path) => byPath.get(path), project };
}

function scriptKindOf(path: string, ts: typeof import('ts-morph').ts): import('ts-morph').ts.ScriptKind {
  if (/\.tsx$/i.test(path)) return ts.ScriptKind.TSX;
  if (/\.(c|m)?ts$/i.test(path)) return ts.ScriptKind.TS;
  if (/\.jsx$/i.test(path)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

/** The parser's first syntax error becomes one `core/parse-error`; the file is still used as parsed (TS recovers). */
function reportSyntaxError(env: InputEnv, text: TextFile, sourceFile: SourceFile): void {
  // parseDiagnostics is the parser's own list: no program or type checker needed to read it.
  const diagnostics = (sourceFile.compilerNode as unknown as { parseDiagnostics?: Array<{ start?: number; length?: number; messageText: unknown }> })
    .parseDiagnostics;
  const first = diagnostics?.[0];
  if (!first) return;
  const message = typeof first.messageText === 'string' ? first.messageText : String((first.messageText as { messageText?: string }).messageText ?? 'syntax error');
  const start = first.start ?? 0;
  env.report({
    ruleId: 'core/parse-error',
    message: `TypeScript syntax error: ${message}${diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : ''}`,
    origin: { file: text.path, range: { start, end: start + (first.length ?? 0) } },
    related: [],
    source: 'typescript',
  });
}
