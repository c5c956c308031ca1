#!/usr/bin/env node
// Runs the compiled CLI (npm install builds it through the "prepare" script): the bundle in
// dist/bundle (scripts/bundle.mjs), which starts faster, unless it is missing or older than dist/src
// (a bare `tsc` rebuilt only dist/src; the GitHub Action builds no bundle).
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
const bundle = fileURLToPath(new URL('../dist/bundle/archlint.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('archlint: not built yet; run "npm install" (or "npm run build") in the archlint folder.\n');
  process.exit(2);
}
const bundled = existsSync(bundle) && statSync(bundle).mtimeMs >= statSync(entry).mtimeMs;
const { main } = bundled ? createRequire(import.meta.url)(bundle) : await import(new URL('../dist/src/cli/main.js', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
