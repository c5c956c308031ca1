/**
 * The progress line: only on a terminal, never with --quiet, silent for short runs, one line
 * redrawn in place and erased at the end; and the phases the engine reports.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { main } from '../src/cli/main.js';
import { createProgress } from '../src/cli/progress.js';
import { loadConfig } from '../src/config/index.js';
import { lint } from '../src/engine/run.js';

const CLEAR = '\r\u001b[2K';

function fakeStream(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, ...(columns ? { columns } : {}), write: (text: string) => writes.push(text) } };
}

function clock(start = 1000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('createProgress', () => {
  it('is off when standard error is not a terminal, and with --quiet', () => {
    expect(createProgress(fakeStream(false).stream, { quiet: false })).toBeUndefined();
    expect(createProgress({ write: () => true }, { quiet: false })).toBeUndefined();
    expect(createProgress(fakeStream(true).stream, { quiet: true })).toBeUndefined();
    expect(createProgress(fakeStream(true).stream, { quiet: false })).toBeDefined();
  });

  it('prints nothing for a run shorter than half a second, not even the erase', () => {
    const { writes, stream } = fakeStream(true);
    const time = clock();
    const progress = createProgress(stream, { quiet: false, now: time.now })!;
    progress.phase('discovering');
    time.advance(300);
    progress.phase('running db/primary-keys', { done: 3, total: 10, unit: 'rules' });
    progress.end();
    expect(writes).toEqual([]);
  });

  it('redraws one line in place after the delay, throttles counts, and erases it at the end', () => {
    const { writes, stream } = fakeStream(true);
    const time = clock();
    const progress = createProgress(stream, { quiet: false, now: time.now })!;
    progress.phase('discovering');
    time.advance(600);
    progress.phase('building code');
    progress.count(1, 5000, 'files');
    progress.count(2, 5000, 'files');
    time.advance(100);
    progress.count(900, 5000, 'files');
    progress.count(5000, 5000, 'files');
    progress.phase('running db/primary-keys', { done: 3, total: 10, unit: 'rules' });
    progress.end();
    progress.phase('late');
    expect(writes).toEqual([
      `${CLEAR}archlint: building code`,
      `${CLEAR}archlint: building code (900/5000 files)`,
      `${CLEAR}archlint: building code (5000/5000 files)`,
      `${CLEAR}archlint: running db/primary-keys (3/10 rules)`,
      CLEAR,
    ]);
    expect(writes.join('')).not.toContain('\n');
  });

  it('fits the line into the terminal width', () => {
    const { writes, stream } = fakeStream(true, 20);
    const time = clock();
    const progress = createProgress(stream, { quiet: false, now: time.now })!;
    time.advance(1000);
    progress.phase('running security/no-hardcoded-secrets');
    expect(writes).toEqual([`${CLEAR}archlint: running s`]);
  });
});

describe('progress in a run', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function tree(files: Record<string, string>): string {
    dir = mkdtempSync(join(tmpdir(), 'archlint-progress-'));
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    return dir;
  }

  const FILES = {
    'db/001.sql': 'CREATE TABLE t (id int);\n',
    'src/app.ts': "import express from 'express';\nconst app = express();\napp.get('/users', (_q, r) => r.json([]));\n",
  };

  it('the engine reports discovering, building each input, running each rule, and files read', async () => {
    const cwd = tree(FILES);
    const events: string[] = [];
    const loaded = await loadConfig({ cwd, knownRuleIds: rules.map((rule) => rule.meta.id) });
    await lint({
      cwd,
      paths: ['.'],
      loaded,
      rules,
      only: ['db/primary-keys', 'api/versioned-routes'],
      progress: {
        phase: (name, count) => events.push(count ? `${name} ${count.done}/${count.total} ${count.unit}` : name),
        count: (done, total, unit) => events.push(`${done}/${total} ${unit}`),
      },
    });
    expect(events[0]).toBe('discovering');
    expect(events).toContain('building schema');
    expect(events).toContain('building http');
    expect(events).toContain('running api/versioned-routes 0/2 rules');
    expect(events).toContain('running db/primary-keys 1/2 rules');
    expect(events).toContain('2/2 files');
  });

  it('a short CLI run on a terminal writes nothing to standard error', async () => {
    const cwd = tree(FILES);
    let stderr = '';
    let stdout = '';
    await main(['-f', 'json'], {
      cwd,
      env: {},
      stdout: { write: (text: string) => (stdout += text), isTTY: false },
      stderr: { write: (text: string) => (stderr += text), isTTY: true },
    });
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toHaveProperty('findings');
  });
});
