/** Files generated from rule meta are up to date (`npm run generate` rewrites them). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allRuleMetas } from '../src/cli/catalogue.js';
import { renderSchemaFile } from '../src/config/schema.js';
import { renderRulesTable, withRulesTable } from '../src/docs/readme.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('generated files', () => {
  it('README.md has the current rules table', () => {
    const readme = read('README.md');
    expect(readme, 'README rules table is stale: run "npm run generate"').toBe(withRulesTable(readme, allRuleMetas()));
    for (const meta of allRuleMetas()) expect(renderRulesTable(allRuleMetas())).toContain(`| \`${meta.id}\` |`);
  });

  it('archlint.schema.json matches the current rule ids', () => {
    expect(read('archlint.schema.json'), 'archlint.schema.json is stale: run "npm run generate"').toBe(renderSchemaFile(allRuleMetas().map((m) => m.id)));
  });
});
