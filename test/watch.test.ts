/**
 * `archlint --watch`, driven as a user runs it: the report once, then only what changed after each save —
 * a foreign key added in one migration appears, and goes away when a later migration indexes it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { difference } from '../src/cli/watch.js';
import type { Finding } from '../src/model/finding.js';

const BIN = new URL('../bin/archlint.js', import.meta.url).pathname;
const made: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The child's output so far, and a way to wait until a pattern shows up in it. */
function collect(child: ChildProcess) {
  const out = { stdout: '', stderr: '' };
  const waiters: Array<() => void> = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on('data', (d: Buffer) => {
    out.stdout += d.toString();
    wake();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out.stderr += d.toString();
    wake();
  });
  const until = (stream: 'stdout' | 'stderr', pattern: RegExp, ms = 20_000) =>
    new Promise<string>((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`timed out waiting for ${pattern} on ${stream}:\n${out[stream]}`)),
        ms,
      );
      const check = () => {
        const match = pattern.exec(out[stream]);
        if (match) {
          clearTimeout(timer);
          done(match[0]);
        } else waiters.push(check);
      };
      check();
    });
  return { out, until };
}

describe('archlint --watch', () => {
  it('prints the report, then the findings each save adds and removes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'archlint-watch-'));
    made.push(dir);
    mkdirSync(join(dir, 'migrations'));
    writeFileSync(
      join(dir, 'migrations', '001_users.sql'),
      'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n',
    );
    const child = spawn(process.execPath, [BIN, '--watch', '--no-color', '--only', 'db/indexed-foreign-keys', '.'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const { out, until } = collect(child);
    await until('stderr', /watching \. for changes/);
    expect(out.stdout).toMatch(/^✔ no problems · 1 file in \d+ ms\n$/);

    writeFileSync(
      join(dir, 'migrations', '002_orders.sql'),
      'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id));\n',
    );
    const added = await until('stdout', /\+ migrations\/002_orders\.sql:1 warning db\/indexed-foreign-keys [^\n]*\n/);
    expect(added).toContain('orders(user_id)');
    expect(out.stdout).toMatch(/migrations\/002_orders\.sql changed: 1 new, 0 gone \(1 in all\)/);

    writeFileSync(join(dir, 'migrations', '003_orders_user.sql'), 'CREATE INDEX orders_user_id ON orders (user_id);\n');
    await until('stdout', /- migrations\/002_orders\.sql:1 gone db\/indexed-foreign-keys [^\n]*\n/);
    expect(out.stdout).toMatch(/migrations\/003_orders_user\.sql changed: 0 new, 1 gone \(0 in all\)/);

    // Deleted: the index is gone, so the finding is back (discovery carried between runs sees the file go).
    const before = out.stdout.length;
    rmSync(join(dir, 'migrations', '003_orders_user.sql'));
    await until('stdout', /migrations\/003_orders_user\.sql changed: 1 new, 0 gone \(1 in all\)/);
    expect(out.stdout.slice(before)).toMatch(/\+ migrations\/002_orders\.sql:1 warning db\/indexed-foreign-keys/);

    // Edited in place: the key dropped from the table, so the finding goes again.
    writeFileSync(join(dir, 'migrations', '002_orders.sql'), 'CREATE TABLE orders (id bigint PRIMARY KEY);\n');
    await until('stdout', /migrations\/002_orders\.sql changed: 0 new, 1 gone \(0 in all\)/);

    child.kill('SIGINT');
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(0);
  }, 60_000);

  it('refuses options that make no sense on a terminal that stays open', async () => {
    const child = spawn(process.execPath, [BIN, '--watch', '-f', 'sarif', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const { out } = collect(child);
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(2);
    expect(out.stderr).toBe(
      'archlint: --watch prints to the terminal: it cannot be combined with --output or a --format other than pretty\n',
    );
  });
});

describe('the difference between two runs', () => {
  const finding = (fingerprint: string, line: number): Finding =>
    ({
      ruleId: 'db/indexed-foreign-keys',
      severity: 'warning',
      file: 'm.sql',
      line,
      message: `fk ${fingerprint}`,
      fingerprint,
    }) as Finding;

  it('matches findings by fingerprint, so one that only moved is neither new nor gone', () => {
    const text = difference([finding('a', 1), finding('b', 2)], [finding('a', 5), finding('c', 7)], ['m.sql']);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] m\.sql changed: 1 new, 1 gone \(2 in all\)$/);
    expect(lines.slice(1)).toEqual([
      '+ m.sql:7 warning db/indexed-foreign-keys fk c',
      '- m.sql:2 gone db/indexed-foreign-keys fk b',
    ]);
  });
});
