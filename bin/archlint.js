#!/usr/bin/env node
// Runs the compiled CLI (npm install builds it through the "prepare" script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('archlint: not built yet; run "npm install" (or "npm run build") in the archlint folder.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
