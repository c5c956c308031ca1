// The files the recall oracles (routes-recall.mjs, tables-recall.mjs) read: a tree's source files outside
// dependencies, build output, tests, fixtures and examples — what archlint itself leaves out of a service.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const SKIP_DIR =
  /^(node_modules|dist|build|\.next|\.git|coverage|test|tests|__tests__|e2e|fixtures|examples?|__mocks__)$/;

/** Every file below `dir` (hidden and skipped folders left out) whose name `accept` takes. */
export function* oracleFiles(dir, accept) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIR.test(entry.name) && !entry.name.startsWith('.')) yield* oracleFiles(full, accept);
    } else if (accept(entry.name)) yield full;
  }
}

/** The 1-based line of an offset in a text. */
export const lineAt = (text, index) => text.slice(0, index).split('\n').length;
