/**
 * Every rule archlint runs, in one explicit list (a test checks it against the files under rules/).
 * Adding a rule: one file rules/<domain>/<name>.ts, one line here, fixtures under fixtures/<domain>/<name>/.
 */
import type { Rule } from '../src/rule-api.js';
import paginatedLists from './api/paginated-lists.js';
import structuredErrors from './api/structured-errors.js';
import versionedRoutes from './api/versioned-routes.js';
import resourceNaming from './api/resource-naming.js';
import authenticatedOperations from './api/authenticated-operations.js';
import rateLimitResponses from './api/rate-limit-responses.js';
import specMatchesCode from './api/spec-matches-code.js';
import healthEndpoints from './ops/health-endpoints.js';
import indexedForeignKeys from './db/indexed-foreign-keys.js';
import moneyAsDecimal from './db/money-as-decimal.js';
import primaryKeys from './db/primary-keys.js';
import timestampsWithTimeZone from './db/timestamps-with-time-zone.js';
import redundantIndexes from './db/redundant-indexes.js';
import sharedTables from './arch/shared-tables.js';
import noHardcodedSecrets from './security/no-hardcoded-secrets.js';
import noNPlusOne from './perf/no-n-plus-one.js';
import httpClientTimeouts from './resilience/http-client-timeouts.js';

export const rules: readonly Rule[] = [
  paginatedLists,
  structuredErrors,
  versionedRoutes,
  resourceNaming,
  authenticatedOperations,
  rateLimitResponses,
  specMatchesCode,
  healthEndpoints,
  indexedForeignKeys,
  moneyAsDecimal,
  primaryKeys,
  timestampsWithTimeZone,
  redundantIndexes,
  sharedTables,
  noHardcodedSecrets,
  noNPlusOne,
  httpClientTimeouts,
];
