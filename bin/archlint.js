#!/usr/bin/env node
// Runs the compiled CLI (npm install builds it through the "prepare" script): the bundle in
// dist/bundle (scripts/bundle.mjs), which starts faster, unless it is missing or older than dist/src
// (a bare `tsc` rebuilt only dist/src; the GitHub Action builds no bundle).
// CommonJS (bin/package.json), so that Node starts it without setting up its ESM loader (~7 ms).
'use strict';
const { existsSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const entry = join(__dirname, '../dist/src/cli/main.js');
const bundle = join(__dirname, '../dist/bundle/archlint.js');
if (!existsSync(entry)) {
  process.stderr.write('archlint: not built yet; run "npm install" (or "npm run build") in the archlint folder.\n');
  process.exit(2);
}
const bundled = existsSync(bundle) && statSync(bundle).mtimeMs >= statSync(entry).mtimeMs;
const loaded = bundled ? Promise.resolve(require(bundle)) : import(pathToFileURL(entry).href);
loaded
  .then(({ main }) => main(process.argv.slice(2)))
  .then((code) => {
    process.exitCode = code;
  });
