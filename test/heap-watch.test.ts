import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { heapHint, heapWatching, nearLimit, oldSpaceFlag } from '../src/cli/heap-watch.js';
import { useTempTrees } from './harness/tree.js';

const tree = useTempTrees('heap');
const BIN = fileURLToPath(new URL('../bin/archlint.js', import.meta.url));
import type { ProgressSink } from '../src/engine/progress.js';

const MB = 1024 * 1024;

describe('heapWatching', () => {
  it('looks at the heap on progress calls (at most every everyMs), says once when it nears the limit, and passes every call on', () => {
    const readings = [100, 500, 700, 800, 900].map((used) => ({ used: used * MB, limit: 1064 * MB }));
    const written: string[] = [];
    const calls: string[] = [];
    const inner: ProgressSink = {
      phase: (name) => calls.push(`phase ${name}`),
      count: (done) => calls.push(`count ${done}`),
    };
    let clock = 0;
    const sink = heapWatching(inner, (text) => written.push(text), {
      everyMs: 10,
      now: () => clock,
      read: () => readings.shift() ?? { used: 1000 * MB, limit: 1064 * MB },
    });
    sink.phase('reading');
    sink.count(1, 9, 'files'); // same instant: no look
    expect(readings).toHaveLength(4);
    for (let done = 2; done <= 4; done++) {
      clock += 10;
      sink.count(done, 9, 'files');
    }
    expect(written).toEqual([]);
    clock += 10;
    sink.count(5, 9, 'files');
    expect(written).toEqual([
      `archlint: the heap is nearly full (900 MB in use; Node's limit for this run: 1064 MB); if the run stops with "JavaScript heap out of memory", give Node more (NODE_OPTIONS=--max-old-space-size=4096) or lint less at once (a subfolder, or "ignore" in the config)\n`,
    ]);
    clock += 10;
    sink.count(6, 9, 'files');
    expect(written).toHaveLength(1);
    expect(calls).toEqual(['phase reading', 'count 1', 'count 2', 'count 3', 'count 4', 'count 5', 'count 6']);
  });

  it('judges against the room data has (the limit less the young generation), and suggests twice a large heap', () => {
    // --max-old-space-size=60 reads as a 108 MiB limit; such a run dies when the old generation holds 60 MiB.
    expect(nearLimit({ used: 50 * MB, limit: 108 * MB, oldSpace: 60 * MB }, 0.85)).toBe(false);
    expect(nearLimit({ used: 52 * MB, limit: 108 * MB, oldSpace: 60 * MB }, 0.85)).toBe(true);
    // Not given: the limit less the young generation's 48 MiB.
    expect(nearLimit({ used: 3400 * MB, limit: 4144 * MB }, 0.85)).toBe(false);
    expect(nearLimit({ used: 3500 * MB, limit: 4144 * MB }, 0.85)).toBe(true);
    expect(heapHint({ used: 3900 * MB, limit: 4144 * MB })).toContain('--max-old-space-size=9216');
  });
});

describe('the heap hint in a real run', () => {
  /** 200 Express routers of 40 routes each (2.4 MB): ~250 MB of heap to lint, most of it while files are parsed. */
  function bigService(): Record<string, string> {
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'big', dependencies: { express: '^4.19.0' } }),
    };
    for (let i = 0; i < 200; i++) {
      let text = `import { Router } from 'express';\nexport const r${i} = Router();\n`;
      for (let j = 0; j < 40; j++) {
        text += `r${i}.get('/items${j}/:id', async (req, res) => { const rows = await db.query('select * from t${j} where id = $1', [req.params.id]); for (const row of rows) { await db.query('select 1 from u where a = $1', [row.a]); } res.json({ data: rows, next: null }); });\n`;
      }
      files[`src/f${i}.ts`] = text;
    }
    return files;
  }

  it('is said on standard error before V8 gives up, and not with the default heap', () => {
    const dir = tree(bigService());
    const run = (nodeOptions: string) =>
      spawnSync(process.execPath, [BIN, '.', '-f', 'json', '-o', 'report.json'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: nodeOptions },
      });
    const small = run('--max-old-space-size=64');
    expect(small.stderr).toMatch(
      /^archlint: the heap is nearly full \(\d+ MB in use; Node's limit for this run: \d+ MB\); if the run stops with "JavaScript heap out of memory", give Node more \(NODE_OPTIONS=--max-old-space-size=4096\)/m,
    );
    const roomy = run('');
    expect(roomy.status).toBe(0);
    expect(roomy.stderr).not.toContain('heap is nearly full');
  }, 120_000);

  it('reads --max-old-space-size from the command line and NODE_OPTIONS', () => {
    expect(oldSpaceFlag(['--max-old-space-size=512'], undefined)).toBe(512);
    expect(oldSpaceFlag([], '--inspect --max_old_space_size=2048')).toBe(2048);
    expect(oldSpaceFlag(['--max-old-space-size', '300'], '')).toBe(300);
    expect(oldSpaceFlag(['--stack-size=900'], '--max-semi-space-size=64')).toBeUndefined();
  });
});
