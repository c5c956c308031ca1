/**
 * Syntax trees carried from one run to the next (`archlint lsp`, `--watch`): after a code edit only the
 * edited file is parsed again, and the findings — cross-file ones included (a router mounted in another
 * file) — are those of a cold run on the same text.
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

const run = (dir: string, options: { carried?: CarriedInputs; overlay?: Map<string, string> } = {}) =>
  lintLines(dir, options);

const APP = [
  "import express from 'express';",
  "import { users } from './routes/users';",
  'const app = express();',
  "app.use('/api', users);",
  'app.listen(3000);',
  '',
].join('\n');
const USERS = [
  "import { Router } from 'express';",
  'export const users = Router();',
  "users.get('/users', async (req, res) => res.json(await db.user.findMany()));",
  '',
].join('\n');

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'archlint-trees-'));
  made.push(dir);
  const files: Record<string, string> = {
    'package.json': '{ "dependencies": { "express": "5.0.0", "axios": "1.7.0" } }\n',
    'src/app.ts': APP,
    'src/routes/users.ts': USERS,
    'src/lib/fetch.ts': "import axios from 'axios';\nexport const get = (url: string) => axios.get(url);\n",
    // A finding of a file-scoped rule in a file never edited: reused, never reported twice.
    'src/config.ts': "export const githubToken = 'ghp_8sX2kLq9VbN4mZr7Tc1Yw6Pd3Hf5Jg0AeQuI';\n",
    // Only checked for its syntax error (no router reaches it): its error must come back at every run.
    'src/broken.ts': 'export const = ;\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('carried syntax trees', () => {
  it('parses only the edited file again, and finds what a cold run finds after each edit', async () => {
    const dir = tree();
    const carried = new CarriedInputs();
    expect(await run(dir, { carried })).toEqual(await run(dir));
    const treeOf = (path: string, text: string) => {
      const outcome = carried.trees.outcome(path, text, true);
      return outcome && 'tree' in outcome ? outcome.tree : undefined;
    };
    const appTree = treeOf('src/app.ts', APP);
    expect(appTree).toBeDefined();
    expect(treeOf('src/routes/users.ts', USERS)).toBeDefined();

    const edits = [
      // A second route, a hard-coded key and an outbound call without a timeout, in the mounted router.
      `${USERS}users.post('/users/:id/avatar', (req, res) => res.sendStatus(201));\nconst stripeKey = 'sk_live_4eC39HqLyjWDarjtT1zdp7dcQx';\n`,
      // A syntax error, then fixed again.
      `${USERS}users.get('/broken', (req, res) => {\n`,
      USERS,
    ];
    for (const text of edits) {
      carried.invalidate(['src/routes/users.ts']);
      const edited = await run(dir, { carried, overlay: new Map([['src/routes/users.ts', text]]) });
      writeFileSync(join(dir, 'src/routes/users.ts'), text);
      expect(edited).toEqual(await run(dir));
      // The other files' trees are the ones parsed at the first run; the edited one's is of its new text.
      expect(treeOf('src/app.ts', APP)).toBe(appTree);
      expect(treeOf('src/routes/users.ts', text)?.text).toBe(text);
      // What the file-scoped rules found is kept for every file (the edited one checked again, from its new text).
      expect(carried.fileResults.size()).toBe(6);
    }
    // The key removed from the file never edited before: gone, though other files' findings were reused.
    carried.invalidate(['src/config.ts']);
    const removed = await run(dir, {
      carried,
      overlay: new Map([['src/config.ts', 'export const githubToken = process.env.GITHUB_TOKEN;\n']]),
    });
    writeFileSync(join(dir, 'src/config.ts'), 'export const githubToken = process.env.GITHUB_TOKEN;\n');
    expect(removed).toEqual(await run(dir));
    expect(removed.some((f) => f.startsWith('src/config.ts'))).toBe(false);
    expect(await run(dir, { carried })).toContain(
      'src/broken.ts:1:14 core/parse-error TypeScript syntax error: Variable declaration expected.',
    );

    // A deleted file's tree goes: the cache holds the files of the last run only.
    const before = carried.trees.size();
    unlinkSync(join(dir, 'src/lib/fetch.ts'));
    carried.invalidate(['src/lib/fetch.ts']);
    expect(await run(dir, { carried })).toEqual(await run(dir));
    const after = carried.trees.size();
    expect(after.trees + after.checked).toBe(before.trees + before.checked - 1);
  }, 60_000);

  it('keeps one entry per file however many times it is edited', async () => {
    const dir = tree();
    const carried = new CarriedInputs();
    await run(dir, { carried });
    const size = carried.trees.size();
    for (let i = 0; i < 5; i++) {
      carried.invalidate(['src/routes/users.ts']);
      await run(dir, { carried, overlay: new Map([['src/routes/users.ts', `${USERS}// edit ${i}\n`]]) });
    }
    expect(carried.trees.size()).toEqual(size);
  }, 60_000);
});
