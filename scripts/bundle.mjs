#!/usr/bin/env node
/**
 * Bundles the compiled CLI (dist/src, from tsc) into dist/bundle: one CommonJS file for the
 * command line and one per worker thread, plus chunks for what they share and for the commands
 * and inputs loaded on demand. bin/archlint.js runs it when it is there and not older than dist/src.
 *
 * Why: Node's ESM loader resolves, reads (asynchronously) and links each of the ~120 modules a
 * run loads; that was ~70 ms of every run, a quarter of a run over a folder of migrations.
 * `require` of a few files is ~15 ms. CommonJS, because Node's ESM loader also pays per module.
 *
 * The bundle keeps dist/src's layout-independent behaviour: `import.meta.url` becomes the chunk's
 * own file URL, so the worker scripts (`new URL('./read-worker.js', import.meta.url)`) resolve to
 * their bundled entries here, all in one folder. A package.json with "type": "commonjs" makes
 * Node read the `.js` files of this folder as CommonJS.
 *
 * Not bundled: the large or lazily loaded dependencies (ts-morph, libpg-query and its WASM file,
 * yaml, js-yaml, node-sql-parser, swagger-parser, ajv); they load from node_modules as before.
 *
 * Usage: node scripts/bundle.mjs (run by `npm run build` after tsc)
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = fileURLToPath(new URL('../', import.meta.url));
const src = `${root}dist/src/`;
const out = `${root}dist/bundle`;

if (!existsSync(`${src}cli/main.js`)) {
  process.stderr.write('bundle: dist/src/cli/main.js is missing; run tsc first (npm run build does both)\n');
  process.exit(1);
}

/** Loaded from node_modules at run time, as in dist/src. */
const EXTERNAL =
  /^(?:node:|ts-morph$|typescript$|libpg-query$|yaml$|js-yaml$|node-sql-parser(?:\/|$)|@apidevtools\/swagger-parser(?:\/|$)|ajv$)/;

rmSync(out, { recursive: true, force: true });
const build = await rolldown({
  input: {
    archlint: `${src}cli/main.js`,
    'read-worker': `${src}inputs/sql/read-worker.js`,
    'file-rules-worker': `${src}engine/file-rules-worker.js`,
  },
  platform: 'node',
  external: (id) => EXTERNAL.test(id),
  logLevel: 'warn',
});
await build.write({ dir: out, format: 'cjs', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' });
await build.close();
writeFileSync(`${out}/package.json`, `${JSON.stringify({ type: 'commonjs', private: true }, null, 2)}\n`);
