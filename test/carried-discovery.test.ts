/**
 * Discovery carried between the runs of a long-running process (`archlint lsp`, `--watch`): the walk and each file's
 * read are reused while the disk says nothing changed, and a file created, deleted or edited on disk — with no
 * editor or watcher telling — is seen at the next run, whose findings are those of a cold run.
 */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CarriedInputs } from '../src/engine/carried-inputs.js';
import { lintLines } from './harness/carried-lint.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const run = (dir: string, carried?: CarriedInputs) => lintLines(dir, carried ? { carried } : {});

function write(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

const TABLES =
  'CREATE TABLE customers (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));\n';

describe('carried discovery', () => {
  it('reuses the walk while nothing changed, and sees files created, edited and deleted on disk unannounced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'archlint-discovery-'));
    made.push(dir);
    write(dir, 'db/migrations/001_tables.sql', TABLES);
    write(dir, 'src/config.ts', 'export const port = 3000;\n');
    const carried = new CarriedInputs();
    const first = await run(dir, carried);
    expect(first).toEqual(await run(dir));
    expect(first.some((f) => f.includes('db/indexed-foreign-keys'))).toBe(true);
    expect(carried.discovery.walks).toBe(1);

    // Nothing changed: the walk and every file's text are reused, and no model is dropped.
    expect(await run(dir, carried)).toEqual(first);
    expect(carried.discovery.walks).toBe(1);
    expect(carried.discovery.changed).toEqual([]);
    expect(carried.names()).toContain('schema');

    // A later migration created in the folder (no invalidate call): walked again, the key indexed.
    write(dir, 'db/migrations/002_index.sql', 'CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n');
    const created = await run(dir, carried);
    expect(created).toEqual(await run(dir));
    expect(created.some((f) => f.includes('db/indexed-foreign-keys'))).toBe(false);
    expect(carried.discovery.walks).toBe(2);
    expect(carried.discovery.changed).toEqual(['db/migrations/002_index.sql']);

    // A file edited in place (same folder, so no walk): read again because its stat changed.
    write(dir, 'src/config.ts', "export const githubToken = 'ghp_8sX2kLq9VbN4mZr7Tc1Yw6Pd3Hf5Jg0AeQuI';\n");
    const edited = await run(dir, carried);
    expect(edited).toEqual(await run(dir));
    expect(edited.some((f) => f.startsWith('src/config.ts'))).toBe(true);
    expect(carried.discovery.walks).toBe(2);
    expect(carried.discovery.changed).toEqual(['src/config.ts']);

    // The index deleted: the finding is back.
    unlinkSync(join(dir, 'db/migrations/002_index.sql'));
    const deleted = await run(dir, carried);
    expect(deleted).toEqual(await run(dir));
    expect(deleted.some((f) => f.includes('db/indexed-foreign-keys'))).toBe(true);
    expect(carried.discovery.changed).toEqual(['db/migrations/002_index.sql']);

    // A .gitignore written: its folder changed, so the walk is made again and ignores what it says.
    write(dir, '.gitignore', 'src/\n');
    const ignored = await run(dir, carried);
    expect(ignored).toEqual(await run(dir));
    expect(ignored.some((f) => f.startsWith('src/'))).toBe(false);
  }, 60_000);

  it('reads a file the editor or watcher names again, even when its stat is the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'archlint-discovery-'));
    made.push(dir);
    write(dir, 'src/config.ts', 'export const port = 3000;\n');
    const carried = new CarriedInputs();
    await run(dir, carried);
    carried.invalidate(['src/config.ts']);
    await run(dir, carried);
    expect(carried.discovery.changed).toEqual(['src/config.ts']);
    expect(carried.discovery.walks).toBe(1);
  }, 60_000);
});
