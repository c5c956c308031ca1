/**
 * ts-morph (and the TypeScript compiler it bundles), loaded once and the same way for every module
 * that needs it at run time. `require`, not `import`: Node's ESM loader would first scan the 9 MB
 * CommonJS bundle for its export names (cjs-module-lexer, 70–100 ms); and through the code cache
 * (compile-cache.ts), since loading TypeScript costs more than parsing a few dozen files with it.
 * Modules use `import type { ts } from 'ts-morph'` for types and `loadTypeScript()` for values.
 */
import { createRequire } from 'node:module';
import { requireWithCodeCache } from './compile-cache.js';

let loaded: typeof import('ts-morph') | undefined;
let compiler: typeof import('ts-morph').ts | undefined;

export function loadTsMorph(): typeof import('ts-morph') {
  return (loaded ??= requireWithCodeCache(import.meta.url, 'ts-morph', [
    'ts-morph',
    '@ts-morph/common',
  ]) as typeof import('ts-morph'));
}

/**
 * The TypeScript compiler alone (the one ts-morph bundles, so trees are the same whichever is asked):
 * the code model and the route graph work on its raw syntax trees, and need none of ts-morph's own
 * ~20,000 lines loaded. Resolved from ts-morph's folder: @ts-morph/common is its dependency, not ours.
 */
export function loadTypeScript(): typeof import('ts-morph').ts {
  if (compiler) return compiler;
  if (loaded) return (compiler = loaded.ts);
  const fromTsMorph = createRequire(import.meta.url).resolve('ts-morph');
  const common = requireWithCodeCache(fromTsMorph, '@ts-morph/common', ['@ts-morph/common']) as {
    ts: typeof import('ts-morph').ts;
  };
  return (compiler = common.ts);
}
