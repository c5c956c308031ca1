/**
 * Each format's output for the sample run, compared byte for byte with test/reporters/golden/.
 * After an intended change: `UPDATE_GOLDEN=1 npx vitest run test/reporters`, then review the diff.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES, reporters } from '../../src/reporters/index.js';
import { sampleRun } from './sample-run.js';

const update = process.env.UPDATE_GOLDEN === '1';

describe.each(FORMAT_NAMES)('%s reporter', (format) => {
  it('matches its golden file', () => {
    const goldenPath = fileURLToPath(new URL(`./golden/${format}.txt`, import.meta.url));
    const output = reporters[format](sampleRun(), { color: false });
    if (update) writeFileSync(goldenPath, output);
    expect(output).toBe(readFileSync(goldenPath, 'utf8'));
  });

  it('is deterministic and ends with a newline, with or without findings', () => {
    for (const run of [sampleRun(), sampleRun([], 0)]) {
      const first = reporters[format](run, { color: false });
      expect(reporters[format](run, { color: false })).toBe(first);
      expect(first.endsWith('\n')).toBe(true);
    }
  });
});
