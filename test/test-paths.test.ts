import { describe, expect, it } from 'vitest';
import { isTestFile, isTestPath, isTestSuiteText, pathBelowRoot } from '../src/model/test-paths.js';

describe('isTestPath: one answer for every input and rule', () => {
  it.each([
    'src/users.test.ts',
    'src/users.spec.tsx',
    'apps/api/test/app.e2e-spec.ts',
    'web/src/features/agent/Activity.clienttest.tsx',
    'src/db.integration.test.ts',
    'src/api/users.test-helpers.ts',
    'src/components/Card.stories.tsx',
    'src/components/Card.story.tsx',
    'src/__tests__/cache.ts',
    'packages/playwright/src/databaseSetup.ts',
    'cypress/support/commands.ts',
    'fixtures/accounts/admin.json',
    'src/test-utils.ts',
    'packages/server/auth/testhelp.js',
    'packages/server/lib/utils/tests.ts',
    'src/helpers/testing.ts',
    'vitest.config.ts',
    'src/setupTests.ts',
    'api-tests/users.ts',
    'internal/store_test.go',
    '.env.test',
    'packages/api/src/fixtures.ts',
    'e2e-app/test-fixtures.ts',
    'packages/benchmarks/src/seed.ts',
    'bench/run.ts',
    '.github/workflows/e2e.yml',
    '.github/workflows/upgrade-integration-test.yml',
    '.github/workflows/tests.yaml',
    '.github/workflows/playwright.yml',
    'apps/mock-oauth-server/src/index.ts',
    'docker/dependencies/freestyle-mock/server.ts',
    'packages/lib/services/e2ee/ppkTestUtils.ts',
    'src/db/dbTestHelpers.js',
  ])('%s is test code', (path) => expect(isTestPath(path)).toBe(true));

  it.each([
    'src/users.ts',
    'src/config.latest.ts',
    'src/contest.ts',
    'src/routes/attestation.ts',
    'src/specification/users.ts',
    'src/testimonials/list.ts',
    'src/server-dev.ts',
    'src/notifications/test.ts',
    'src/latests.ts',
    'src/sports/fixtures-list.ts',
    'src/workbench/editor.ts',
    'apps/api/src/app/endpoints/benchmarks/benchmarks.controller.ts',
    'lib/benchmarks/index.ts',
    '.github/workflows/release-latest.yml',
    '.github/workflows/deploy.yml',
    '.github/workflows/contest.yml',
    'src/hammock-rentals/list.ts',
    'src/mockingbird/index.ts',
    'packages/backend/src/mock-server/mock-server.controller.ts',
    'src/utils/latestUtils.ts',
    'src/ContestHelpers.ts',
  ])('%s is not test code', (path) => expect(isTestPath(path)).toBe(false));
});

describe('test code is judged below the lint root', () => {
  it('ignores folders above the root the user pointed at (`archlint fixtures/demo`), and keeps those below it', () => {
    const roots = ['/repo/fixtures/demo'];
    expect(isTestFile({ path: 'fixtures/demo/src/app.ts', absPath: '/repo/fixtures/demo/src/app.ts' }, roots)).toBe(
      false,
    );
    expect(
      isTestFile({ path: 'fixtures/demo/test/app.test.ts', absPath: '/repo/fixtures/demo/test/app.test.ts' }, roots),
    ).toBe(true);
    expect(
      pathBelowRoot({ path: 'fixtures/demo/src/app.ts', absPath: '/repo/fixtures/demo/src/app.ts' }, [
        '/repo',
        '/repo/fixtures/demo',
      ]),
    ).toBe('src/app.ts');
    // A file under no root (read through a $ref, say) keeps its report path.
    expect(isTestFile({ path: 'fixtures/x.ts', absPath: '/elsewhere/fixtures/x.ts' }, roots)).toBe(true);
  });
});

describe('the lint root decides, not the folders above it', () => {
  it('`archlint fixtures/demo` from the repository root reports what a run inside the demo reports', async () => {
    const { runCli } = await import('./harness/cli.js');
    const repo = new URL('..', import.meta.url).pathname;
    const found = (stdout: string, prefix: string) =>
      (JSON.parse(stdout) as { findings: Array<{ ruleId: string; file: string; line: number }> }).findings
        .map((f) => `${f.file.slice(prefix.length)}:${f.line} ${f.ruleId}`)
        .sort();
    const fromRoot = found((await runCli(['fixtures/demo', '-f', 'json'], repo)).stdout, 'fixtures/demo/');
    const inside = found((await runCli(['.', '-f', 'json'], `${repo}fixtures/demo`)).stdout, '');
    expect(fromRoot.length).toBeGreaterThan(20);
    expect(fromRoot).toEqual(inside);
    // Code, migrations and secrets below fixtures/ are all there.
    expect(fromRoot.some((f) => f.startsWith('src/'))).toBe(true);
  }, 60_000);
});

describe('isTestSuiteText: a module that is a suite by what it says, whatever its name', () => {
  it('is a suite with suite calls and an assertion library', () => {
    const mocha =
      "import assert from 'assert';\ndescribe('driver', () => {\n  it('runs', () => assert.ok(true));\n});\n";
    const vitest = "import { test, expect } from 'vitest';\ntest('adds', () => {\n  expect(1 + 1).toBe(2);\n});\n";
    expect(isTestSuiteText(mocha)).toBe(true);
    expect(isTestSuiteText(vitest)).toBe(true);
  });

  it('is not a suite when only a `test` function is defined or called without assertions', () => {
    const feature = "export async function test(channel) {\n  return channel.send('a test message');\n}\n";
    const called = "test('ping');\nconsole.log('sent');\n";
    expect(isTestSuiteText(feature)).toBe(false);
    expect(isTestSuiteText(called)).toBe(false);
  });
});
