import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI end-to-end tests spawn node; the SARIF validator is a .NET binary that takes ~1 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The JSON results let .ci/run print a plain "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: '.archlint-tmp/test-results.json' },
  },
});
