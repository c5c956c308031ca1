/**
 * The Action runs the bundle committed in action/ (action.yml `runs.main`). It must be what
 * scripts/bundle-action.mjs makes from today's sources: this rebuilds it from dist/src (which
 * `npm test` builds first) into a temporary folder and compares every file, byte for byte.
 * When it fails: `npm run build:action` and commit action/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'archlint-action-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

describe('the committed action bundle', () => {
  it('is exactly what scripts/bundle-action.mjs builds from the current sources (else: npm run build:action)', () => {
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts/bundle-action.mjs'), out], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    const committed = join(ROOT, 'action');
    expect(listFiles(committed), 'action/ has other files than a fresh build: run "npm run build:action"').toEqual(
      listFiles(out),
    );
    for (const file of listFiles(out)) {
      const same = readFileSync(join(out, file)).equals(readFileSync(join(committed, file)));
      expect(same, `action/${file} is stale: run "npm run build:action" and commit action/`).toBe(true);
    }
  }, 120_000);
});
