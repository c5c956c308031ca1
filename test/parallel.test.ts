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
import { mapParallel } from '../src/engine/parallel.js';
import { useTempTrees } from './harness/tree.js';

const BIN = new URL('../bin/archlint.js', import.meta.url).pathname;
/** The built pool (bin/archlint.js runs dist/; `npm test` builds first): workers must load JS. */
const BUILT_POOL = pathToFileURL(new URL('../dist/src/engine/parallel.js', import.meta.url).pathname).href;
const tree = useTempTrees('parallel');

function workerScript(dir: string, body: string): URL {
  const file = join(dir, 'worker.mjs');
  writeFileSync(file, `import { serveBatches } from ${JSON.stringify(BUILT_POOL)};\nserveBatches(${body});\n`);
  return pathToFileURL(file);
}

const items = Array.from({ length: 101 }, (_, i) => i);

describe('mapParallel', () => {
  it('returns results in item order, whatever thread computed them', async () => {
    const dir = tree({});
    // The worker tags its results, so the test sees that workers really took part.
    const worker = workerScript(dir, '(n) => `w${n * n}`');
    const { results, threads } = await mapParallel({ items, handle: (n) => `w${n * n}`, worker, threads: 3, batchSize: 4, minItemsForWorkers: 10 });
    expect(threads).toBe(3);
    expect(results).toEqual(items.map((n) => `w${n * n}`));
  });

  it('uses workers: a worker that answers differently shows up in the results', async () => {
    const dir = tree({});
    const worker = workerScript(dir, '(n) => -n');
    const { results } = await mapParallel({ items, handle: (n) => n, worker, threads: 2, batchSize: 2, minItemsForWorkers: 10 });
    expect(results.some((r) => r < 0)).toBe(true);
    expect(results.map(Math.abs)).toEqual(items);
  });

  it('runs on the calling thread alone below the threshold, with 1 thread, or without a worker script', async () => {
    const dir = tree({});
    const worker = workerScript(dir, '(n) => -n');
    for (const options of [
      { threads: 4, minItemsForWorkers: 1000, worker },
      { threads: 1, minItemsForWorkers: 0, worker },
      { threads: 4, minItemsForWorkers: 0, worker: pathToFileURL(join(dir, 'missing.mjs')) },
    ]) {
      const { results, threads } = await mapParallel({ items, handle: (n) => n, batchSize: 4, ...options });
      expect(threads).toBe(1);
      expect(results).toEqual(items);
    }
  });

  it('redoes on the calling thread the batches of a worker that throws or dies', async () => {
    const dir = tree({});
    const throwing = workerScript(dir, '(n) => { if (n === 37) throw new Error("boom"); return -n; }');
    const thrown = await mapParallel({ items, handle: (n) => n, worker: throwing, threads: 2, batchSize: 3, minItemsForWorkers: 0 });
    expect(thrown.results.map(Math.abs)).toEqual(items);
    expect(thrown.results[37]).toBe(37);

    const dying = workerScript(dir, '(n) => { if (n === 50) process.exit(3); return -n; }');
    const died = await mapParallel({ items, handle: (n) => n, worker: dying, threads: 2, batchSize: 3, minItemsForWorkers: 0 });
    expect(died.results.map(Math.abs)).toEqual(items);
    expect(died.results[50]).toBe(50);
  });
});

/** A migration history big enough to start workers: tables with FKs, indexes, a bad statement, a MySQL folder. */
function migrationTree(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < 260; i++) {
    const n = String(i).padStart(4, '0');
    const parent = i === 0 ? '' : `,\n  parent_id bigint REFERENCES t${i - 1}(id)`;
    const index = i % 3 === 0 ? `\nCREATE INDEX t${i}_parent ON t${i} (parent_id);` : '';
    const broken = i % 50 === 7 ? '\nCREATE TABL oops (id int);' : '';
    files[`db/migrations/${n}_t${i}.sql`] = `CREATE TABLE t${i} (\n  id bigserial PRIMARY KEY,\n  price float,\n  at timestamp${parent}\n);${index}${broken}\n`;
  }
  for (let i = 0; i < 30; i++) {
    files[`legacy/migrations/V${i + 1}__m${i}.sql`] =
      `CREATE TABLE m${i} (id int PRIMARY KEY, owner_id int, FOREIGN KEY (owner_id) REFERENCES m0(id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n`;
  }
  return files;
}

function run(cwd: string, threads: number, sarif: string) {
  const result = spawnSync(process.execPath, [BIN, '--threads', String(threads), '--verbose', '-f', 'json', '-f', `sarif=${sarif}`, '.'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const report = JSON.parse(result.stdout) as { summary: { durationMs?: number }; findings: unknown[] };
  delete report.summary.durationMs;
  return { status: result.status, report, stderr: result.stderr };
}

describe('archlint --threads', () => {
  it('reports exactly the same findings serially and in parallel', () => {
    const dir = tree(migrationTree());
    const sarif = join(tree({}), 'out.sarif');
    const serial = run(dir, 1, sarif);
    expect(serial.stderr).toMatch(/sql: 2 migration folder\(s\), 290 file\(s\) read on 1 thread\(s\)/);
    const serialSarif = readFileSync(sarif, 'utf8');
    for (const threads of [2, 3]) {
      const parallel = run(dir, threads, sarif);
      expect(parallel.stderr).toMatch(new RegExp(`290 file\\(s\\) read on ${threads} thread\\(s\\)`));
      expect(parallel.status).toBe(serial.status);
      expect(parallel.report).toEqual(serial.report);
      expect(readFileSync(sarif, 'utf8')).toBe(serialSarif);
    }
    // The tree is not trivial: foreign keys, money, timestamps and the broken statements are all there.
    const rules = new Set((serial.report.findings as Array<{ ruleId: string }>).map((f) => f.ruleId));
    expect([...rules].sort()).toEqual(['core/parse-error', 'db/indexed-foreign-keys', 'db/money-as-decimal', 'db/timestamps-with-time-zone']);
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
