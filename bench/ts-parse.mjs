#!/usr/bin/env node
// The `ts-service` baseline: the bare TypeScript parser (bench/node_modules/typescript) reading every
// .ts/.tsx/.js file under the folders given into syntax trees, nothing else. Prints {files, statements} as JSON.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const roots = process.argv.slice(2);
if (roots.length === 0) {
  console.error('usage: node ts-parse.mjs <folder>...');
  process.exit(2);
}
let files = 0;
let statements = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(path);
    } else if (/\.[cm]?[jt]sx?$/.test(entry.name)) {
      const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
      statements += source.statements.length;
      files += 1;
    }
  }
};
for (const root of roots) walk(root);
process.stdout.write(`${JSON.stringify({ files, statements })}\n`);
