// Rewrites the files generated from rule meta: the README's rules table and archlint.schema.json.
// Run through `npm run generate` (which builds first); test/docs.test.ts fails when they are stale.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const { allRuleMetas } = await import(new URL('dist/src/cli/catalogue.js', root).href);
const { precisionByRule, withRulesTable } = await import(new URL('dist/src/docs/readme.js', root).href);
const { renderSchemaFile } = await import(new URL('dist/src/config/schema.js', root).href);

const metas = allRuleMetas();
const readme = new URL('README.md', root);
const precisionFile = new URL('bench/realworld/precision.json', root);
const precision = precisionByRule(existsSync(precisionFile) ? readFileSync(precisionFile, 'utf8') : undefined);
writeFileSync(readme, withRulesTable(readFileSync(readme, 'utf8'), metas, precision));
writeFileSync(new URL('archlint.schema.json', root), renderSchemaFile(metas.map((m) => m.id)));
console.log(`generated the README rules table and archlint.schema.json for ${metas.length} rules`);
