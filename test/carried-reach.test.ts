/**
 * The reach judgement (CodeFile.reach) carried between the runs of a long-running process (`archlint lsp`,
 * `--watch`): an edit that keeps every file's imports and entry-point text reuses it; one that changes what a file
 * imports, or adds or deletes a file, judges again — and either way the judgement and the findings are those of a
 * cold run on the same text.
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

async function run(dir: string, options: { carried?: CarriedInputs; overlay?: Map<string, string> } = {}) {
  let reach: Array<[string, string]> = [];
  const findings = await lintLines(dir, {
    ...options,
    inspect: async ({ input }) => {
      reach = [...(await input('code')).reachMap()].sort(([a], [b]) => (a < b ? -1 : 1));
    },
  });
  return { findings, reach };
}

const USERS = [
  "import { Router } from 'express';",
  'export const users = Router();',
  "users.get('/users', async (req, res) => res.json(await db.user.findMany()));",
  '',
].join('\n');

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'archlint-reach-'));
  made.push(dir);
  const files: Record<string, string> = {
    'package.json': '{ "dependencies": { "express": "5.0.0", "axios": "1.7.0" } }\n',
    'src/app.ts': [
      "import express from 'express';",
      "import { users } from './routes/users';",
      'const app = express();',
      "app.use('/api', users);",
      'app.listen(3000);',
      '',
    ].join('\n'),
    'src/routes/users.ts': USERS,
    // Imported by nothing at first: unreached, so its call without a timeout is judged as such.
    'src/lib/fetch.ts': "import axios from 'axios';\nexport const get = (url: string) => axios.get(url);\n",
  };
  for (const [path, text] of Object.entries(files)) write(dir, path, text);
  return dir;
}

function write(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

describe('carried reach judgement', () => {
  it('is reused while imports stay, judged again when they change, and always equals a cold run', async () => {
    const dir = tree();
    const carried = new CarriedInputs();
    expect(await run(dir, { carried })).toEqual(await run(dir));
    expect(carried.reach.judged).toBe(1);

    // A new route and a string in the router's body: no import or entry point changed.
    const body = `${USERS}users.post('/users/:id', (req, res) => res.json({ path: './somewhere/else' }));\n`;
    carried.invalidate(['src/routes/users.ts']);
    const kept = await run(dir, { carried, overlay: new Map([['src/routes/users.ts', body]]) });
    write(dir, 'src/routes/users.ts', body);
    expect(kept).toEqual(await run(dir));
    expect(carried.reach.judged).toBe(1);
    expect(new Map(kept.reach).get('src/lib/fetch.ts')).toBe('unreached');

    // The router now imports the client: the client is reached from the server.
    const importing = `import { get } from '../lib/fetch';\n${body}users.get('/proxy', async (req, res) => res.json(await get('http://x')));\n`;
    carried.invalidate(['src/routes/users.ts']);
    const changed = await run(dir, { carried, overlay: new Map([['src/routes/users.ts', importing]]) });
    write(dir, 'src/routes/users.ts', importing);
    const cold = await run(dir);
    expect(changed).toEqual(cold);
    expect(carried.reach.judged).toBe(2);
    expect(new Map(changed.reach).get('src/lib/fetch.ts')).toBe('server');

    // A file created on disk (a worker that starts itself), then one deleted: judged again, as a cold run judges.
    write(dir, 'src/jobs/poll.ts', "import { get } from '../lib/fetch';\nsetInterval(() => get('http://y'), 1000);\n");
    carried.invalidate(['src/jobs/poll.ts']);
    expect(await run(dir, { carried })).toEqual(await run(dir));
    expect(carried.reach.judged).toBe(3);
    unlinkSync(join(dir, 'src/lib/fetch.ts'));
    carried.invalidate(['src/lib/fetch.ts']);
    expect(await run(dir, { carried })).toEqual(await run(dir));
    expect(carried.reach.judged).toBe(4);
  }, 60_000);
});
