import { describe, expect, it } from 'vitest';
import { isTestPath } from '../src/model/test-paths.js';

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
    'packages/server/lib/utils/tests.ts',
    'src/helpers/testing.ts',
    'vitest.config.ts',
    'src/setupTests.ts',
    'api-tests/users.ts',
    'internal/store_test.go',
    '.env.test',
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
  ])('%s is not test code', (path) => expect(isTestPath(path)).toBe(false));
});
