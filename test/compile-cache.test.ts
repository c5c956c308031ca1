/**
 * The code cache for TypeScript's compiler (src/inputs/code/compile-cache.ts): written after a run
 * that parsed code, taken by the next run, rewritten when V8 rejects it, never in the way of the
 * findings, and off with Node's own switch. Runs the built CLI with TMPDIR pointed at a temp folder.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempTrees } from './harness/tree.js';

const BIN = new URL('../bin/archlint.js', import.meta.url).pathname;
const tree = useTempTrees('compile-cache');

/** Node 22.1+ has its own compile cache, which archlint then uses instead of this one. */
const ownCache = Number(process.versions.node.split('.')[0]) < 22;

function lint(cwd: string, tmp: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, '-f', 'json', '.'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: tmp, ...env },
  });
  const report = JSON.parse(result.stdout) as { summary: { durationMs?: number }; findings: unknown[] };
  delete report.summary.durationMs;
  return report;
}

const folder = (tmp: string) => join(tmp, `archlint-compile-cache-${process.getuid?.() ?? 'user'}`);

function entries(tmp: string): string[] {
  try {
    const root = folder(tmp);
    return readdirSync(root).flatMap((version) =>
      readdirSync(join(root, version)).map((name) => join(root, version, name)),
    );
  } catch {
    return [];
  }
}

// A file whose text has a literal worth a syntax tree: the secrets rule parses it, so TypeScript loads.
const code = {
  'src/auth.ts':
    "import jwt from 'jsonwebtoken';\nexport const sign = (p: object) => jwt.sign(p, 'q7Zr8Lw2Xv9Kp4Tn7Bm3Hd6Fs1Gj5Yc');\n",
};

describe.runIf(ownCache)('compile cache (Node 20)', () => {
  it('is written by the first run, used by the next, and rewritten when V8 rejects it', () => {
    const dir = tree(code);
    const tmp = tree({});
    const first = lint(dir, tmp);
    const written = entries(tmp);
    // @ts-morph/common and the TypeScript compiler it bundles: the code model works on raw
    // TypeScript trees, so ts-morph's own wrapper library is not loaded for this run.
    expect(written.filter((path) => path.endsWith('.bin'))).toHaveLength(2);
    const stamps = written.map((path) => statSync(path).mtimeMs);

    expect(lint(dir, tmp)).toEqual(first);
    expect(entries(tmp).map((path) => statSync(path).mtimeMs)).toEqual(stamps);

    const damaged = written[0]!;
    writeFileSync(damaged, 'not a code cache');
    expect(lint(dir, tmp)).toEqual(first);
    expect(readFileSync(damaged).length).toBeGreaterThan(1000);
    expect(first.findings.length).toBeGreaterThan(0);
  });

  it('is not used from a folder others can write to (code cache is code)', () => {
    const dir = tree(code);
    const tmp = tree({});
    mkdirSync(folder(tmp), { mode: 0o777 });
    chmodSync(folder(tmp), 0o777);
    const report = lint(dir, tmp);
    expect(entries(tmp)).toEqual([]);
    expect(report.findings.length).toBeGreaterThan(0);
  });

  it('is not written for a run that parses no code, nor with NODE_DISABLE_COMPILE_CACHE', () => {
    const tmp = tree({});
    lint(tree({ 'db/migrations/001_init.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n' }), tmp);
    expect(entries(tmp)).toEqual([]);
    lint(tree(code), tmp, { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(entries(tmp)).toEqual([]);
  });
});
