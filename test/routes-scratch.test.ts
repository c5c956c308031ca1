// SCRATCH (deleted before hand-off): runs staged code fixtures against scratch rule copies, with http merged with routes at run time.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../src/engine/run.js';
import { inputProviders } from '../src/inputs/registry.js';
import { expectedFindings, findingKey, key } from './harness/fixtures.js';
import paginated from '../.archlint-tmp/rules/api/paginated-lists.js';
import versioned from '../.archlint-tmp/rules/api/versioned-routes.js';
import structured from '../.archlint-tmp/rules/api/structured-errors.js';
import health from '../.archlint-tmp/rules/ops/health-endpoints.js';

const original = inputProviders.http;
(inputProviders as any).http = async (env: any) => {
  const base = await original(env);
  const routes = await env.input('routes');
  return { services: [...base.services, ...routes.services], endpoints: [...base.endpoints, ...routes.endpoints] };
};
const ROOT = '/tmp/code-fixtures/out';
const rules = { 'api/paginated-lists': paginated, 'api/versioned-routes': versioned, 'api/structured-errors': structured, 'ops/health-endpoints': health } as any;
for (const ruleId of Object.keys(rules)) {
  describe(ruleId, () => {
    for (const kind of ['bad', 'good']) {
      const dir = join(ROOT, ruleId, kind);
      for (const name of readdirSync(dir).sort()) {
        const caseDir = join(dir, name);
        if (!statSync(caseDir).isDirectory()) continue;
        it(`${kind}/${name}`, async () => {
          const { result } = await lint({ cwd: caseDir, paths: ['.'], loaded: { config: {}, baseDir: caseDir }, rules: [rules[ruleId]], only: [ruleId] });
          const got = result.findings.map((f) => `${findingKey(f)} :: ${f.message}`).sort();
          const want = expectedFindings(caseDir).map(key).sort();
          if (process.env.SHOW) console.log(got.join("\n")); expect(got.map((g) => g.split(" :: ")[0])).toEqual(want);
        });
      }
    }
  });
}
