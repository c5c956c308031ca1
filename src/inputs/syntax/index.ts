/**
 * The `syntax` input: TS/JS files parsed one at a time, on request, for rules that look closely at
 * a few files they picked from the text (security/no-hardcoded-secrets parses only files holding a
 * secret-like literal). The `code` input parses every file up front — 2–3 s on 5,000 files — which a
 * text-first rule must not pay; the parser itself is loaded only when the first file is asked for.
 *
 * Syntax errors are not reported here: the `code` input reports them (once) when a rule needs it,
 * and a tree with errors is still usable (TypeScript recovers).
 */
import { createRequire } from 'node:module';
import type { Project, ts as TypeScript } from 'ts-morph';
import type { CodeFile } from '../code/index.js';
import type { InputEnv } from '../registry.js';
import { parseWithinLimits } from '../code/nesting.js';

export interface SyntaxTrees {
  /** The file parsed (once per run), or undefined when it is not a discovered TS/JS text file. */
  parse(path: string): Promise<CodeFile | undefined>;
  /** The TypeScript namespace the trees come from (SyntaxKind, forEachChild, …); loads the parser. */
  typescript(): Promise<typeof TypeScript>;
}

export function createSyntaxTrees(env: Pick<InputEnv, 'fileSet' | 'text'>): SyntaxTrees {
  const kinds = new Map(env.fileSet.files.map((file) => [file.path, file.kind]));
  const parsed = new Map<string, CodeFile | undefined>();
  let parser: { project: Project; ts: typeof TypeScript } | undefined;

  const load = () => {
    if (parser) return parser;
    // require, not import(): Node's ESM loader would first scan the 9 MB CommonJS bundle for its
    // export names (cjs-module-lexer), about 100 ms on top of compiling it.
    const { Project, ts } = createRequire(import.meta.url)('ts-morph') as typeof import('ts-morph');
    const project = new Project({
      useInMemoryFileSystem: true,
      skipLoadingLibFiles: true,
      skipFileDependencyResolution: true,
      compilerOptions: { allowJs: true, jsx: ts.JsxEmit.Preserve, target: ts.ScriptTarget.Latest, noLib: true },
    });
    return (parser = { project, ts });
  };

  return {
    async parse(path) {
      if (parsed.has(path)) return parsed.get(path);
      const text = kinds.get(path) === 'code' ? env.text.get(path) : undefined;
      let file: CodeFile | undefined;
      if (text) {
        const { project, ts } = load();
        const fileName = `/${path.replace(/^(\.\.\/)+/, '__up__/')}`;
        const parsed = parseWithinLimits(() => project.createSourceFile(fileName, text.content, { overwrite: true, scriptKind: scriptKindOf(path, ts) }), ts);
        // Nested too deeply to walk safely: not handed out (the `code` input reports it when a rule needs it).
        if ('sourceFile' in parsed) file = { path, text, sourceFile: parsed.sourceFile };
        else {
          const left = project.getSourceFile(fileName);
          if (left) project.removeSourceFile(left);
        }
      }
      parsed.set(path, file);
      return file;
    },
    typescript: async () => load().ts,
  };
}

/** Same mapping as the `code` input: the extension decides TS vs JS and JSX. */
function scriptKindOf(path: string, ts: typeof TypeScript): TypeScript.ScriptKind {
  if (/\.tsx$/i.test(path)) return ts.ScriptKind.TSX;
  if (/\.(c|m)?ts$/i.test(path)) return ts.ScriptKind.TS;
  if (/\.jsx$/i.test(path)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}
