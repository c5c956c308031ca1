/** Temporary mini-repos for tests: written from a path → content map, removed after each test. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';

/** Writes `files` (path → content) under `dir`, creating folders as needed. */
export function writeTree(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** Call at module level: returns `tree(files)`, which makes a fresh folder that is removed after each test. */
export function useTempTrees(prefix: string): (files: Record<string, string | Uint8Array>) => string {
  let dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    dirs = [];
  });
  return (files) => {
    const dir = mkdtempSync(join(tmpdir(), `archlint-${prefix}-`));
    dirs.push(dir);
    writeTree(dir, files);
    return dir;
  };
}
