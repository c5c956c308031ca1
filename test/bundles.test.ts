/**
 * Vendored bundles (a committed yarn release, a minified library, webpack output) are not the project's modules:
 * route extraction and the knex configuration search leave them out (model/bundles.ts).
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../src/engine/run.js';
import { isBundle } from '../src/model/bundles.js';
import { filePropertyProbe } from './harness/reach-probe.js';
import { useTempTrees } from './harness/tree.js';

const tree = useTempTrees('bundles');

const MODULE =
  "import { prisma } from './db';\nexport async function load(ids) {\n  for (const id of ids) {\n    await prisma.user.findUnique({ where: { id } });\n  }\n}\n";
/** The same code, padded to a bundle's size: one minified line, or a webpack runtime head. */
const MINIFIED = `${MODULE.replace(/\n/g, ' ')}${' var a=1;'.repeat(3_000)}\n`;
const WEBPACK = `var __webpack_modules__ = {};\n${MODULE}${'// filler line of a built file\n'.repeat(800)}`;

describe('bundles', () => {
  it('tells a minified or webpack-built file of 20 KB or more from a module', () => {
    expect(isBundle('.yarn/releases/yarn-4.3.0.cjs', MINIFIED)).toBe(true);
    expect(isBundle('public/app.js', WEBPACK)).toBe(true);
    expect(isBundle('src/load.js', MODULE)).toBe(false);
    // Under 20 KB a long line is not enough: a small generated module is still the project's.
    expect(isBundle('src/small.js', MINIFIED.slice(0, 10_000))).toBe(false);
    // TypeScript is never a bundle: long lines there are generated data.
    expect(isBundle('src/data.ts', MINIFIED)).toBe(false);
  });
});

describe('CodeFile.bundle', () => {
  /** Reports each code file's CodeFile.bundle. */
  const bundleRule = filePropertyProbe('bundle', (file) => String(file.bundle === true));

  it('marks a minified or webpack-built file, so rules that judge the project code can leave the copy to its source', async () => {
    const dir = tree({
      'src/load.js': MODULE,
      'public/worker.bundle.min.js': MINIFIED,
      'public/app.js': WEBPACK,
      'src/data.ts': MINIFIED,
    });
    const { result } = await lint({
      cwd: dir,
      paths: ['.'],
      loaded: { config: {}, baseDir: dir },
      rules: [bundleRule],
    });
    const bundles = Object.fromEntries(
      result.findings.filter((f) => f.ruleId === 'test/bundle').map((f) => [f.file, f.message]),
    );
    expect(bundles).toEqual({
      'public/app.js': 'true',
      'public/worker.bundle.min.js': 'true',
      'src/data.ts': 'false',
      'src/load.js': 'false',
    });
  });
});
