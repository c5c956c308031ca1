/**
 * Test code, recognised from its path alone: one answer for every input and rule (the routes input
 * leaves its routes out of the service, security/no-hardcoded-secrets reports only provider tokens
 * there, perf and resilience rules treat it as code a test runner bounds). Three copies of this
 * question used to disagree: a Storybook story or a `*.clienttest.tsx` was test code for one rule
 * and production code for the next.
 *
 * Test code is:
 * - files named for a test runner: `*.test.ts`, `*.spec.ts`, `*.e2e-spec.ts`, `*.e2e.ts`, and any
 *   kind of test (`*.clienttest.tsx`, `*.integration.test.ts`, `*.unit-spec.ts`, `*.test-d.ts`; not `*.latest.ts`),
 *   `*.mock.ts`, `mock.ts`, Storybook stories (`*.stories.tsx`, `*.story.tsx`: components shown
 *   with made-up data), Go's `_test.go`, Python's `test_*.py`, `.env.test`;
 * - folders of tests and their support: `__tests__/`, `__mocks__/`, `__fixtures__/`, `fixtures/`,
 *   `test/`, `tests/`, `spec/`, `e2e/`, `acceptance/`, `testing/`, `mocks/`, `testdata/`, a mock's own
 *   package outside a source tree (`apps/mock-oauth-server/`, `freestyle-mock/`: a server standing in for a vendor in
 *   development and tests; not `src/mock-server/`, a product's feature), the
 *   browser-test suites (`cypress/`, `playwright/`), `test-utils/`, `test-helpers/`, `e2e-support/`,
 *   `api-tests/`, benchmarks (`bench/`, `benchmarks/`: a harness that seeds throwaway data and times it) —
 *   but not a `benchmarks/` feature folder inside a source tree (`apps/api/src/app/endpoints/benchmarks/`:
 *   a finance API's market benchmarks), where the word names the domain, not a harness;
 * - the test runners' setup and config files (`jest.setup.ts`, `vitest.config.ts`,
 *   `setupTests.ts`, `test-setup.ts`) and helper files named for tests (`test-utils.ts`, `testhelp.js`, `tests.ts`,
 *   `testing.ts`; in camelCase after a subject, `ppkTestUtils.ts`, `dbTestHelpers.ts`), and a module of test fixtures
 *   (`fixtures.ts`: the users and data a suite creates);
 * - CI workflows named for tests (`.github/workflows/e2e.yml`, `integration-test.yml`, `tests.yaml`):
 *   their jobs start the stack they test and sign up throwaway accounts on it.
 */
const TEST_FOLDER =
  /(?:^|\/)(?:__tests__|__mocks__|__fixtures__|fixtures|tests?|spec|e2e|acceptance|testing|mocks?|testdata|cypress|playwright|(?:tests?|testing|e2e)[-_][\w-]+|[\w-]+[-_](?:tests?|e2e))\//i;
const TEST_FILE_NAME = new RegExp(
  [
    String.raw`\.(?:(?:unit|int|integration|client|server|component|api|browser|node|dom|e2e|it|functional|smoke|contract|snapshot)[-_]?(?:test|spec)|test|spec|test-d|e2e|mocks?|stories|story)(?:-[\w-]+)?\.[cm]?[jt]sx?$`,
    String.raw`(?:^|/)mocks?\.[cm]?[jt]sx?$`,
    String.raw`(?:^|/)(?:(?:jest|vitest|playwright|cypress)\.(?:setup|config)[\w.-]*|setup-?tests?|tests?-?setup)\.[cm]?[jt]sx?$`,
    // `testhelp.js` (Saltcorn's helpers of its server tests) abbreviates `test-helpers`.
    String.raw`(?:^|/)(?:tests?|testing)[-_]?(?:utils?|help(?:ers?)?|setup|support)\.[cm]?[jt]sx?$`,
    // A module named for tests in the plural (`utils/tests.ts`) or for testing: the helpers a suite imports
    // (a test server, its fetch wrapper). A module named `test.ts` may be a feature's (a test email, a
    // test notification), so the singular is not enough.
    String.raw`(?:^|/)(?:tests|testing)\.[cm]?[jt]sx?$`,
    // Playwright's and the suites' own fixture modules: the accounts and records a test creates.
    String.raw`(?:^|/)(?:test[-_]?)?fixtures\.[cm]?[jt]sx?$`,
    // A CI workflow whose name is a test word standing apart (`e2e.yml`, `upgrade-integration-test.yml`; not `latest.yml`).
    String.raw`(?:^|/)\.github/workflows/(?:[\w.-]*[-_.])?(?:tests?|e2e|playwright|cypress)(?:[-_.][\w.-]*)?\.ya?ml$`,
    String.raw`_test\.(?:go|py|rb|exs?)$`,
    String.raw`(?:^|/)test_[\w-]+\.py$`,
    String.raw`(?:^|/)\.env\.(?:test|ci)$`,
  ].join('|'),
  'i',
);

/**
 * A helper module named in camelCase for a subject's tests (`ppkTestUtils.ts`, `dbTestHelpers.ts`): case-sensitive,
 * so that `latestUtils.ts` (a lower-case `test` inside a word) is not one.
 */
const CAMEL_CASE_TEST_HELPER = /(?:^|\/)[a-z][A-Za-z0-9]*Test(?:Utils?|Helpers?|Setup|Support)\.[cm]?[jt]sx?$/;

/** A benchmark harness folder, test code unless it sits below a source folder (see above). */
const BENCH_FOLDER = /(?:^|\/)(?:bench|benchmarks?)\//i;
const SOURCE_FOLDER = /(?:^|\/)(?:src|lib|app)\//i;

/** Is the file at this (root-relative, `/`-separated) path test code? */
export function isTestPath(path: string): boolean {
  return (
    TEST_FOLDER.test(path) ||
    TEST_FILE_NAME.test(path) ||
    CAMEL_CASE_TEST_HELPER.test(path) ||
    isBenchPath(path) ||
    isMockPackagePath(path)
  );
}

/**
 * A mock's own package (`apps/mock-oauth-server/`, `docker/dependencies/freestyle-mock/`): a server standing in for a
 * vendor in development and tests. Inside a source tree (`src/mock-server/`) the word names a feature of the product
 * (an API client's mock servers), not a test double.
 */
const MOCK_PACKAGE = /(?:^|\/)(?:mocks?[-_][\w-]+|[\w-]+[-_]mocks?)\//i;

function isMockPackagePath(path: string): boolean {
  const mock = MOCK_PACKAGE.exec(path);
  return mock !== null && !SOURCE_FOLDER.test(path.slice(0, mock.index + 1));
}

function isBenchPath(path: string): boolean {
  const bench = BENCH_FOLDER.exec(path);
  return bench !== null && !SOURCE_FOLDER.test(path.slice(0, bench.index + 1));
}

/**
 * A file's path below the lint root it was found under ('/'-separated), or its report path when
 * it lies under none. Test code is judged on this part only: `archlint fixtures/demo` lints the
 * demo as the project the user pointed at, although `fixtures/` above it names test data — judged
 * on the report path, its routes, secrets and migrations all vanished from a run from the
 * repository root.
 */
export function pathBelowRoot(file: { path: string; absPath: string }, roots: readonly string[]): string {
  const abs = file.absPath.replace(/\\/g, '/');
  let best: string | undefined;
  for (const root of roots) {
    const folder = root.replace(/\\/g, '/').replace(/\/$/, '');
    if (abs.startsWith(`${folder}/`) && (best === undefined || folder.length > best.length)) best = folder;
  }
  return best === undefined ? file.path : abs.slice(best.length + 1);
}

/** Is this file test code, judged below its lint root (see pathBelowRoot)? */
export function isTestFile(file: { path: string; absPath: string }, roots: readonly string[]): boolean {
  return isTestPath(pathBelowRoot(file, roots));
}

/** The roots a file's path is judged below (FileSet.folderRoots, else its roots). */
export function judgingRoots(fileSet: {
  roots: readonly string[];
  folderRoots?: readonly string[];
}): readonly string[] {
  return fileSet.folderRoots ?? fileSet.roots;
}

/**
 * A suite's calls at the start of a line (`describe('…', …)`, `it('…', …)`, `test('…', …)`, Mocha's `suite`), and
 * an assertion library the module loads (`assert`, `chai`, `node:test`, Vitest, Jest's globals) or an `expect(…)`.
 */
const SUITE_CALL = /^[ \t]*(?:describe|suite|it|test)(?:\.(?:only|skip|each))?\s*\(\s*['"`]/m;
const ASSERTIONS =
  /\brequire\(\s*['"](?:node:)?(?:assert(?:\/strict)?|chai|node:test|should)['"]\s*\)|\bfrom\s+['"](?:node:)?(?:assert(?:\/strict)?|chai|test|vitest|@jest\/globals|should|ava)['"]|^[ \t]*(?:await\s+)?expect\s*\(/m;

/**
 * Is this module a test suite by what it says, whatever its name (`drivers/sqlserver/test.js` beside the driver it
 * tests, which a path cannot tell from a feature's `test.ts`)? Both a suite's calls and an assertion library: a
 * module that only defines a `test` function is not one.
 */
export function isTestSuiteText(text: string): boolean {
  return SUITE_CALL.test(text) && ASSERTIONS.test(text);
}
