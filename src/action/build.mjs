#!/usr/bin/env node
/**
 * Builds dist/ for the GitHub Action. The action installs only the production dependencies
 * (`npm ci --omit=dev --ignore-scripts`: no test tools, about half the download), so `tsc`, a
 * devDependency, is not there; ts-morph, a production dependency, ships the TypeScript compiler
 * API (`import { ts } from 'ts-morph'`). Types are not checked here (`npm test` does that): with
 * `isolatedModules` and `verbatimModuleSyntax` the emitted JavaScript does not depend on them.
 *
 * Usage: node src/action/build.mjs [outDir]   (default: the outDir of tsconfig.build.json, dist/)
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ts } from 'ts-morph';

const root = fileURLToPath(new URL('../../', import.meta.url));
const overrides = { declaration: false, ...(process.argv[2] ? { outDir: resolve(process.argv[2]) } : {}) };
const host = {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic(diagnostic) {
    throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  },
};
const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.build.json'), overrides, host);
if (!config) throw new Error('cannot read tsconfig.build.json');
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
const { emitSkipped } = program.emit();
if (emitSkipped) {
  process.stderr.write('archlint action: building dist/ failed\n');
  process.exitCode = 1;
}
