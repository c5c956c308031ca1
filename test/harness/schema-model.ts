/** End to end through the engine: files on disk → the schema model (captured by a test rule) and the findings. */
import { rules } from '../../rules/index.js';
import { lint } from '../../src/engine/run.js';
import type { ArchlintConfig } from '../../src/model/config.js';
import type { SchemaModel } from '../../src/model/schema.js';
import { defineRule } from '../../src/rule-api.js';
import { useTempTrees } from './tree.js';

/** Call at module level: returns `build(files, config?, rulesToRun?)` over fresh temporary trees. */
export function useSchemaBuilds(prefix: string) {
  const tree = useTempTrees(prefix);
  return async (files: Record<string, string>, config: ArchlintConfig = {}, alsoRun: string[] = []) => {
    const dir = tree(files);
    let model: SchemaModel | undefined;
    const capture = defineRule({
      meta: { ...rules.find((r) => r.meta.id === 'db/primary-keys')!.meta, id: 'test/capture' },
      check(ctx) {
        model = ctx.schema;
      },
    });
    const { result } = await lint({
      cwd: dir,
      paths: ['.'],
      loaded: { config, baseDir: dir },
      rules: [...rules, capture],
      only: ['test/capture', ...alsoRun],
    });
    return { model: model!, findings: result.findings };
  };
}
