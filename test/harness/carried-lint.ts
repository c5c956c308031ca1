/**
 * One whole run with every rule on one thread, for the tests that compare a run carrying models from an earlier one
 * (`archlint lsp`, `--watch`) with a cold run: its findings as sorted `file:line:column rule message` lines.
 */
import { rules } from '../../rules/index.js';
import { lint } from '../../src/engine/run.js';

type LintOptions = Parameters<typeof lint>[0];

export async function lintLines(dir: string, options: Partial<LintOptions> = {}): Promise<string[]> {
  const { result } = await lint({
    cwd: dir,
    paths: ['.'],
    loaded: { config: {}, baseDir: dir },
    rules,
    threads: 1,
    ...options,
  } as LintOptions);
  return result.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.message}`).sort();
}
