#!/usr/bin/env node
// Runs the CLI: the bundle in dist/bundle (scripts/bundle.mjs; `npm run build` writes it, and the
// published package ships only it), which starts faster than the ~120 modules of dist/src. In a
// checkout where only `tsc` ran (no bundle yet), dist/src itself. Never chosen by timestamps:
// installs and archive extraction set file times as they please.
// CommonJS (bin/package.json), so that Node starts it without setting up its ESM loader (~7 ms).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const bundle = join(__dirname, '../dist/bundle/archlint.js');
const entry = join(__dirname, '../dist/src/cli/main.js');
let loaded;
if (existsSync(bundle)) loaded = Promise.resolve(require(bundle));
else if (existsSync(entry)) loaded = import(pathToFileURL(entry).href);
else {
  process.stderr.write('archlint: not built yet; run "npm run build" in the archlint folder.\n');
  process.exit(2);
}
loaded
  .then(({ main }) => main(process.argv.slice(2)))
  .then((code) => {
    process.exitCode = code;
  });
