/**
 * ts-morph (and the TypeScript compiler it bundles), loaded once and the same way for every module
 * that needs it at run time. `require`, not `import`: Node's ESM loader would first scan the 9 MB
 * CommonJS bundle for its export names (cjs-module-lexer, 70–100 ms); and through the code cache
 * (compile-cache.ts), since loading TypeScript costs more than parsing a few dozen files with it.
 * Modules use `import type { ts } from 'ts-morph'` for types and `loadTsMorph().ts` for values.
 */
import { requireWithCodeCache } from './compile-cache.js';

let loaded: typeof import('ts-morph') | undefined;

export function loadTsMorph(): typeof import('ts-morph') {
  return (loaded ??= requireWithCodeCache(import.meta.url, 'ts-morph', [
    'ts-morph',
    '@ts-morph/common',
  ]) as typeof import('ts-morph'));
}
