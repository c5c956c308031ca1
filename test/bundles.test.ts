/**
 * Vendored bundles (a committed yarn release, a minified library, webpack output) are not the project's code:
 * the N+1 and timeout rules leave them alone, while the same code as a module of the project is reported.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isBundle } from '../src/model/bundles.js';
import { runCli } from './harness/cli.js';

const LOOP =
  "import { prisma } from './db';\nexport async function load(ids) {\n  for (const id of ids) {\n    await prisma.user.findUnique({ where: { id } });\n  }\n  return fetch('https://api.example.com/x');\n}\n";
/** The same code, padded to a bundle's size: one minified line, or a webpack runtime head. */
const MINIFIED = `${LOOP.replace(/\n/g, ' ')}${' var a=1;'.repeat(3_000)}\n`;
const WEBPACK = `var __webpack_modules__ = {};\n${LOOP}${'// filler line of a built file\n'.repeat(800)}`;

const temps: string[] = [];
function tree(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'archlint-bundles-')));
  temps.push(root);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function rulesAt(root: string): Promise<string[]> {
  const run = await runCli(
    ['lint', '.', '--format', 'json', '--only', 'perf/no-n-plus-one,resilience/http-client-timeouts'],
    root,
  );
  const report = JSON.parse(run.stdout) as { findings: Array<{ ruleId: string; file: string }> };
  return report.findings.map((f) => `${f.ruleId} ${f.file}`).sort();
}

describe('bundles', () => {
  it('tells a minified or webpack-built file of 20 KB or more from a module', () => {
    expect(isBundle('vendor/lib.min.js', MINIFIED)).toBe(true);
    expect(isBundle('public/app.js', WEBPACK)).toBe(true);
    expect(isBundle('src/load.js', LOOP)).toBe(false);
    // TypeScript is never a bundle: long lines there are generated data.
    expect(isBundle('src/data.ts', MINIFIED)).toBe(false);
  });

  it('the N+1 and timeout rules judge the module, not the same code in a bundle', async () => {
    const root = tree({
      'package.json': '{"name":"svc","scripts":{"start":"node src/server.js"}}',
      'src/server.js':
        "require('./load');\nrequire('../.yarn/releases/yarn-4.3.0.cjs');\nrequire('../vendor/app.js');\n",
      'src/db.js': 'export const prisma = {};\n',
      'src/load.js': LOOP,
      '.yarn/releases/yarn-4.3.0.cjs': MINIFIED,
      'vendor/app.js': WEBPACK,
    });
    expect(await rulesAt(root)).toEqual([
      'perf/no-n-plus-one src/load.js',
      'resilience/http-client-timeouts src/load.js',
    ]);
  });
});
