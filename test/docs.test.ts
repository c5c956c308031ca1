/** Files generated from rule meta are up to date (`npm run generate` rewrites them). */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allRuleMetas } from '../src/cli/catalogue.js';
import { renderSchemaFile } from '../src/config/schema.js';
import { precisionByRule, renderRulesTable, withRulesTable } from '../src/docs/readme.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('generated files', () => {
  it('README.md has the current rules table, with the precision measured on real code', () => {
    const readme = read('README.md');
    const precision = precisionByRule(
      existsSync(new URL('../bench/realworld/precision.json', import.meta.url))
        ? read('bench/realworld/precision.json')
        : undefined,
    );
    expect(readme, 'README rules table is stale: run "npm run generate"').toBe(
      withRulesTable(readme, allRuleMetas(), precision),
    );
    for (const meta of allRuleMetas()) expect(renderRulesTable(allRuleMetas())).toContain(`| \`${meta.id}\` |`);
  });

  it("shows a rule's measured precision, and a dash where nothing was labelled", () => {
    const json = JSON.stringify({
      holdout: { 'api/paginated-lists': { truePositives: 9, falsePositives: 1 } },
      all: {
        'api/paginated-lists': { truePositives: 30, falsePositives: 10 },
        'db/money-as-decimal': { truePositives: 4, falsePositives: 0 },
      },
    });
    const table = renderRulesTable(allRuleMetas(), precisionByRule(json));
    expect(table).toMatch(/\| `api\/paginated-lists` \|.*\| 90 % of 10 · 75 % of 40 \|/);
    expect(table).toMatch(/\| `db\/money-as-decimal` \|.*\| — · 100 % of 4 \|/);
    expect(table).toMatch(/\| `db\/primary-keys` \|.*\| — \|/);
    expect(precisionByRule('not json')).toEqual({ holdout: {}, all: {} });
  });

  it('archlint.schema.json matches the current rule ids', () => {
    expect(read('archlint.schema.json'), 'archlint.schema.json is stale: run "npm run generate"').toBe(
      renderSchemaFile(allRuleMetas().map((m) => m.id)),
    );
  });
});
