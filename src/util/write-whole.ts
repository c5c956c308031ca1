/**
 * Writes a file whole or not at all: into a temporary file beside it, then renamed over it, so
 * that a reader (another archlint run, another thread) never sees half of it. Creates the folder.
 * Throws when it cannot write, after removing what it wrote.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';

let written = 0;

export function writeWhole(path: string, data: string | NodeJS.ArrayBufferView): void {
  const temporary = `${path}.${process.pid}-${threadId}-${written++}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, data);
    renameSync(temporary, path);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // the folder itself is unusable: nothing was written
    }
    throw error;
  }
}
