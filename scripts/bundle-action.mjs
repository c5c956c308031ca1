#!/usr/bin/env node
/**
 * Builds the GitHub Action's committed bundle in action/ from the compiled sources (dist/src, from
 * tsc): action/dist/main.js and the worker scripts, with every dependency inlined, so the runner
 * starts it with `node` and nothing else — no `npm ci` (114 MB) and no compile on each job.
 *
 * Five packages are required by name at run time, where no bundler sees them: @ts-morph/common (the
 * TypeScript compiler, for raw syntax trees), ts-morph, yaml and js-yaml (src/inputs/code/ts-morph.ts,
 * src/inputs/yaml/lib.ts and src/inputs/yaml/fast-value.ts load them on demand, the first two through
 * the code cache) and libpg-query (src/inputs/sql/pg-wasm.ts
 * resolves the package and loads its Emscripten module and .wasm file next to it). Each goes to
 * action/node_modules/<name>, where Node's resolution from action/dist finds it: ts-morph, yaml
 * and js-yaml bundled into one file each, libpg-query's files copied as they are.
 *
 * The output is deterministic (same sources, same bytes): test/action-bundle.test.ts rebuilds it
 * into a temporary folder and fails when the committed files differ.
 *
 * Usage: node scripts/bundle-action.mjs [outDir]   (default: action/; run by `npm run build:action`)
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = fileURLToPath(new URL('../', import.meta.url));
const src = join(root, 'dist/src');
const out = resolve(process.argv[2] ?? join(root, 'action'));

if (!existsSync(join(src, 'action/main.js'))) {
  process.stderr.write('bundle-action: dist/src/action/main.js is missing; run "npm run build" first\n');
  process.exit(1);
}

const require = createRequire(import.meta.url);
rmSync(join(out, 'dist'), { recursive: true, force: true });
rmSync(join(out, 'node_modules'), { recursive: true, force: true });
const build = await rolldown({
  input: {
    main: join(src, 'action/main.js'),
    'read-worker': join(src, 'inputs/sql/read-worker.js'),
    'file-rules-worker': join(src, 'engine/file-rules-worker.js'),
  },
  platform: 'node',
  external: (id) => /^(?:node:|libpg-query$)/.test(id),
  logLevel: 'silent',
});
await build.write({
  dir: join(out, 'dist'),
  format: 'cjs',
  entryFileNames: '[name].js',
  chunkFileNames: '[name]-[hash].js',
  minify: true,
  comments: { legal: false },
});
await build.close();
writeFileSync(join(out, 'package.json'), `${JSON.stringify({ private: true, type: 'commonjs' }, null, 2)}\n`);

/**
 * A package bundled into node_modules/<name>/index.js with a package.json whose main is that file;
 * `externals` stay `require`d by name (each vendored on its own).
 */
async function vendorBundled(name, externals = []) {
  const pkgDir = dirname(require.resolve(`${name}/package.json`));
  const pkgJson = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const dir = join(out, 'node_modules', name);
  const bundle = await rolldown({
    input: { index: require.resolve(name) },
    platform: 'node',
    external: (id) => id.startsWith('node:') || externals.includes(id),
    logLevel: 'silent',
  });
  await bundle.write({
    dir,
    format: 'cjs',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    minify: true,
    comments: { legal: false },
    exports: 'named',
  });
  await bundle.close();
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name, version: pkgJson.version, license: pkgJson.license, main: 'index.js' }, null, 2)}\n`,
  );
}
// @ts-morph/common (with the TypeScript compiler it bundles) on its own: the code model loads it
// without ts-morph (src/inputs/code/ts-morph.ts, loadTypeScript), and ts-morph requires the same copy.
await vendorBundled('@ts-morph/common');
await vendorBundled('ts-morph', ['@ts-morph/common']);
await vendorBundled('yaml');
await vendorBundled('js-yaml');

// libpg-query: its entry (for require.resolve), the Emscripten module, the WebAssembly file, its licence.
const pg = dirname(require.resolve('libpg-query/package.json'));
const pgOut = join(out, 'node_modules/libpg-query');
const pkg = JSON.parse(readFileSync(join(pg, 'package.json'), 'utf8'));
for (const file of ['LICENSE', 'wasm/index.cjs', 'wasm/libpg-query.js', 'wasm/libpg-query.wasm']) {
  mkdirSync(dirname(join(pgOut, file)), { recursive: true });
  copyFileSync(join(pg, file), join(pgOut, file));
}
writeFileSync(
  join(pgOut, 'package.json'),
  `${JSON.stringify({ name: pkg.name, version: pkg.version, license: pkg.license, main: pkg.main }, null, 2)}\n`,
);
