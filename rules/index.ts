/**
 * Every rule archlint runs, in one explicit list (a test checks it against the files under rules/).
 * Adding a rule: one file rules/<domain>/<name>.ts, one line here, fixtures under fixtures/<domain>/<name>/.
 */
import type { Rule } from '../src/rule-api.js';
import paginatedLists from './api/paginated-lists.js';
import structuredErrors from './api/structured-errors.js';
import versionedRoutes from './api/versioned-routes.js';
import healthEndpoints from './ops/health-endpoints.js';
import indexedForeignKeys from './db/indexed-foreign-keys.js';
import moneyAsDecimal from './db/money-as-decimal.js';
import primaryKeys from './db/primary-keys.js';
import timestampsWithTimeZone from './db/timestamps-with-time-zone.js';
import noHardcodedSecrets from './security/no-hardcoded-secrets.js';

export const rules: readonly Rule[] = [
  paginatedLists,
  structuredErrors,
  versionedRoutes,
  healthEndpoints,
  indexedForeignKeys,
  moneyAsDecimal,
  primaryKeys,
  timestampsWithTimeZone,
  noHardcodedSecrets,
];
