/**
 * Every rule archlint runs, in one explicit list (a test checks it against the files under rules/).
 * Adding a rule: one file rules/<domain>/<name>.ts, one line here, fixtures under fixtures/<domain>/<name>/.
 */
import type { Rule } from '../src/rule-api.js';

export const rules: readonly Rule[] = [];
