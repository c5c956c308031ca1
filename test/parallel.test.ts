/**
 * Parallel parsing: worker threads may make a run faster, never different. The pool is tested on
 * its own (order, uneven batches, failing and missing workers), and the built CLI is run over a
 * tree large enough to start workers, serially and with several threads, comparing whole reports.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mapParallel, startParallel } from '../src/util/parallel.js';
import { useTempTrees } from './harness/tree.js';

const BIN = new URL('../bin/archlint.js', import.meta.url).pathname;
/** The built pool (bin/archlint.js runs dist/; `npm test` builds first): workers must load JS. */
const BUILT_POOL = pathToFileURL(new URL('../dist/src/util/parallel.js', import.meta.url).pathname).href;
const tree = useTempTrees('parallel');

function workerScript(dir: string, perItem: string): URL {
  const file = join(dir, 'worker.mjs');
  writeFileSync(
    file,
    `import { serveBatches } from ${JSON.stringify(BUILT_POOL)};\nawait serveBatches((batch, setup) => batch.map(${perItem}));\n`,
  );
  return pathToFileURL(file);
}

const items = Array.from({ length: 101 }, (_, i) => i);
const perItem = (f: (n: number) => number) => (batch: number[]) => batch.map(f);

/** Keeps the calling thread busy (not yielding) before it joins: workers claim batches meanwhile. */
function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('mapParallel', () => {
  it('returns results in item order, whatever thread computed them; every thread gets the setup', async () => {
    const dir = tree({});
    // Workers negate their results, so the test sees that they took part (and which items they did).
    const worker = workerScript(dir, '(n) => -n * setup.factor');
    // The calling thread is slow on purpose (60 ms a batch), so workers that start late on a loaded machine still claim batches.
    const slowly = (batch: number[], setup: { factor: number }) => {
      busy(60);
      return batch.map((n) => n * setup.factor);
    };
    const job = { items, handle: slowly, setup: { factor: 3 }, worker };
    const run = startParallel({ ...job, threads: 3, batchSize: 4 });
    busy(300);
    const { results, threads } = await run.join();
    expect(threads).toBe(3);
    expect(results.map(Math.abs)).toEqual(items.map((n) => n * 3));
    expect(results.some((r) => r < 0)).toBe(true);
  });

  it('lets workers go on while the calling thread is busy, and the caller join in later', async () => {
    const dir = tree({});
    const worker = workerScript(dir, '(n) => -n');
    const run = startParallel({ items, handle: perItem((n) => n), setup: undefined, worker, threads: 2, batchSize: 1 });
    // Busy without yielding to the event loop: the worker must not wait for this thread.
    busy(1000);
    const { results } = await run.join();
    expect(results).toEqual(items.map((n) => -n));
  });

  it('runs on the calling thread alone with 1 thread, or without a worker script', async () => {
    const dir = tree({});
    const worker = workerScript(dir, '(n) => -n');
    for (const options of [
      { threads: 1, worker },
      { threads: 4, worker: pathToFileURL(join(dir, 'missing.mjs')) },
    ]) {
      const { results, threads } = await mapParallel({
        items,
        handle: perItem((n) => n),
        setup: undefined,
        batchSize: 4,
        ...options,
      });
      expect(threads).toBe(1);
      expect(results).toEqual(items);
    }
  });

  it('redoes on the calling thread the batches of a worker that throws or dies', async () => {
    const dir = tree({});
    const throwing = workerScript(dir, '(n) => { if (n === 37) throw new Error("boom"); return -n; }');
    const job = { items, handle: perItem((n) => n), setup: undefined, threads: 2, batchSize: 3 };
    const throwingRun = startParallel({ ...job, worker: throwing });
    busy(500);
    const thrown = await throwingRun.join();
    // The worker did everything but the batch of 36–38, which the calling thread redid.
    expect(thrown.results).toEqual(items.map((n) => (n >= 36 && n <= 38 ? n : -n)));

    const dying = workerScript(dir, '(n) => { if (n === 50) process.exit(3); return -n; }');
    const dyingRun = startParallel({ ...job, worker: dying });
    busy(500);
    const died = await dyingRun.join();
    // The worker delivered 0–47 and died in the batch of 48–50; the rest fell to the calling thread.
    expect(died.results).toEqual(items.map((n) => (n < 48 ? -n : n)));
  });
});

/**
 * A repository big enough for both kinds of worker (src/inputs/sql/index.ts, src/engine/file-rules.ts):
 * over 2 MB of migrations (wide tables with FKs, indexes, broken statements, a MySQL folder) and
 * 1,600 TS files (secrets in sinks, fetch without timeout, queries in loops, a syntax error in a file
 * both the routes model and the secrets scan parse), with a route or two for the cross-file rules.
 */
function repository(): Record<string, string> {
  const files: Record<string, string> = {};
  const columns = Array.from(
    { length: 220 },
    (_, c) => `  c${c} ${c % 3 ? 'text' : 'integer'} NOT NULL DEFAULT ${c % 3 ? `'value ${c}'` : c}`,
  ).join(',\n');
  for (let i = 0; i < 260; i++) {
    const n = String(i).padStart(4, '0');
    const parent = i === 0 ? '' : `,\n  parent_id bigint REFERENCES t${i - 1}(id)`;
    const index = i % 3 === 0 ? `\nCREATE INDEX t${i}_parent ON t${i} (parent_id);` : '';
    const broken = i % 50 === 7 ? '\nCREATE TABL oops (id int);' : '';
    files[`db/migrations/${n}_t${i}.sql`] =
      `CREATE TABLE t${i} (\n  id bigserial PRIMARY KEY,\n  price float,\n  at timestamp,\n${columns}${parent}\n);${index}${broken}\n`;
  }
  for (let i = 0; i < 30; i++) {
    files[`legacy/migrations/V${i + 1}__m${i}.sql`] =
      `CREATE TABLE m${i} (id int PRIMARY KEY, owner_id int, FOREIGN KEY (owner_id) REFERENCES m0(id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n`;
  }
  // The server loads its modules by folder: they run in it (CodeFile.reach), judged on the calling thread and handed to the workers.
  files['src/app.ts'] =
    "import express from 'express';\nimport requireDirectory from 'require-directory';\nrequireDirectory(module, './modules');\n" +
    "const app = express();\napp.get('/orders', (req, res) => res.json([]));\napp.listen(3000);\n";
  for (let i = 0; i < 1600; i++) {
    const kind = i % 40;
    const body =
      kind === 1
        ? `import jwt from 'jsonwebtoken';\nexport const token = (p: object) => jwt.sign(p, 'q${i}Zr8Lw2Xv9Kp4Tn7Bm3Hd6Fs1Gj5Yc');\n`
        : kind === 2
          ? `export async function pull${i}(url: string) {\n  return (await fetch(url)).json();\n}\n`
          : kind === 3
            ? `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function load${i}(ids: string[]) {\n  for (const id of ids) await prisma.order.findUnique({ where: { id } });\n}\n`
            : kind === 4 && i < 200
              ? `export const secret = 'x${i}Qw8Er4Ty6Ui2Op0As';\nexport function broken( {\n`
              : `export function f${i}(a: number, b: number): number {\n  return a * ${i} + b;\n}\n`;
    files[`src/modules/m${String(i).padStart(4, '0')}.ts`] = body;
  }
  return files;
}

function run(cwd: string, threads: number, sarif: string) {
  const result = spawnSync(
    process.execPath,
    [BIN, '--threads', String(threads), '--verbose', '-f', 'json', '-f', `sarif=${sarif}`, '.'],
    {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  const report = JSON.parse(result.stdout) as { summary: { durationMs?: number }; findings: unknown[] };
  delete report.summary.durationMs;
  return { status: result.status, report, stderr: result.stderr };
}

describe('archlint --threads', () => {
  it('reports exactly the same findings serially and in parallel', () => {
    const dir = tree(repository());
    const sarif = join(tree({}), 'out.sarif');
    const serial = run(dir, 1, sarif);
    expect(serial.stderr).toMatch(/sql: 2 migration folder\(s\), 290 file\(s\) parsed in \d+ ms on 1 thread\(s\)/);
    expect(serial.stderr).not.toMatch(/in \d thread\(s\)$/m);
    const serialSarif = readFileSync(sarif, 'utf8');
    for (const threads of [2, 3]) {
      const parallel = run(dir, threads, sarif);
      // Both kinds of worker really ran.
      expect(parallel.stderr).toMatch(new RegExp(`290 file\\(s\\) parsed in \\d+ ms on ${threads} thread\\(s\\)`));
      expect(parallel.stderr).toMatch(
        new RegExp(
          `rules perf/no-n-plus-one, resilience/http-client-timeouts, security/no-hardcoded-secrets: \\d+ file\\(s\\) in ${threads} thread\\(s\\)`,
        ),
      );
      expect(parallel.status).toBe(serial.status);
      expect(parallel.report).toEqual(serial.report);
      expect(readFileSync(sarif, 'utf8')).toBe(serialSarif);
    }
    // The repository is not trivial: every kind of finding the workers and the calling thread make is there.
    const counts = new Map<string, number>();
    for (const f of serial.report.findings as Array<{ ruleId: string }>)
      counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toMatchObject({
      'db/indexed-foreign-keys': 173,
      'perf/no-n-plus-one': 40,
      'resilience/http-client-timeouts': 40,
      'security/no-hardcoded-secrets': 45,
      'core/parse-error': 6 + 5,
    });
  });

  it('rejects a thread count that is not a positive whole number', () => {
    const dir = tree({});
    for (const bad of ['0', '-2', 'two', '1.5']) {
      const result = spawnSync(process.execPath, [BIN, '--threads', bad, '.'], { cwd: dir, encoding: 'utf8' });
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/--threads/);
    }
  });
});
