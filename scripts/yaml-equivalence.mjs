// Issue 24's check on real descriptions: every YAML file of ../shared/corpus read through the fast
// path (js-yaml values, a line scan for positions) must give what the `yaml` Document gives — the
// same value, the same range for every pointer the scan answers — and archlint's report on each
// OpenAPI project of the corpus must be identical either way (the old way also compiling the
// OpenAPI schemas at run time, as swagger-parser does, instead of the build-time validators).
// Part of `npm run corpus` (needs `npm run build`); skips when the corpus is absent.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { createRequire } from 'node:module';

const repo = fileURLToPath(new URL('..', import.meta.url));
const corpus = join(repo, '..', 'shared', 'corpus');
if (!existsSync(corpus)) {
  console.log(`yaml-equivalence: ${corpus} not found; skipping.`);
  process.exit(0);
}
const dist = (path) => import(new URL(`../dist/${path}`, import.meta.url).href);
const { fastYamlValue } = await dist('src/inputs/yaml/fast-value.js');
const { BlockLocator, UNKNOWN } = await dist('src/inputs/yaml/block-locator.js');
const { MAX_ALIAS_COUNT, parsePointer, rangeAtPointer } = await dist('src/inputs/yaml/documents.js');
const { lint } = await dist('src/engine/run.js');
const { rules } = await dist('rules/index.js');
const Y = createRequire(import.meta.url)('yaml');

function yamlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/i.test(entry.name) ? [path] : [];
  });
}

const escapeToken = (t) => t.replace(/~/g, '~0').replace(/\//g, '~1');
let files = 0;
let fastValues = 0;
let answered = 0;
let asked = 0;
const failures = [];
for (const file of yamlFiles(corpus)) {
  files++;
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const doc = Y.parseDocument(text, { uniqueKeys: false, strict: false });
  const fast = fastYamlValue(text, 256);
  const shown = relative(corpus, file);
  if (doc.errors.length > 0) {
    if (fast) failures.push(`${shown}: the fast path reads a file the Document rejects`);
    continue;
  }
  if (fast) {
    fastValues++;
    if (!isDeepStrictEqual(fast.value, doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })))
      failures.push(`${shown}: values differ`);
  }
  const locator = new BlockLocator(text);
  const walk = (node, at) => {
    const children = Y.isMap(node)
      ? node.items
          .filter((pair) => Y.isScalar(pair.key))
          .map((pair) => [`${at}/${escapeToken(String(pair.key.value))}`, pair.value])
      : Y.isSeq(node)
        ? node.items.map((item, i) => [`${at}/${i}`, item])
        : [];
    for (const [pointer, child] of children) {
      for (const target of ['key', 'value']) {
        asked++;
        const mine = locator.rangeOf(parsePointer(pointer), target);
        if (mine === UNKNOWN) continue;
        answered++;
        const reference = rangeAtPointer(doc, pointer, target);
        if (JSON.stringify(mine) !== JSON.stringify(reference))
          failures.push(`${shown} ${target} ${pointer}: ${JSON.stringify(mine)} vs ${JSON.stringify(reference)}`);
      }
      walk(child, pointer);
    }
  };
  walk(doc.contents, '');
}
console.log(
  `yaml-equivalence: ${files} YAML files, ${fastValues} read by the fast path; ${answered} of ${asked} pointers located by the line scan, all as the Document does${failures.length ? ' — except:' : ''}`,
);

// Whole reports, fast path vs the old path (the Document, OpenAPI schemas compiled by
// swagger-parser at run time instead of the build-time validators), on each OpenAPI project.
const openapi = join(corpus, 'openapi');
for (const name of existsSync(openapi) ? readdirSync(openapi).sort() : []) {
  const project = join(openapi, name);
  if (!statSync(project).isDirectory()) continue;
  const run = (old) =>
    lint({
      cwd: repo,
      paths: [relative(repo, project)],
      loaded: { config: {}, baseDir: repo },
      rules,
      yamlDocumentsOnly: old,
      runtimeSchemaValidators: old,
    }).then(({ result }) => result.findings);
  const [fast, reference] = [await run(false), await run(true)];
  const same = isDeepStrictEqual(fast, reference);
  console.log(
    `yaml-equivalence: ${name}: ${fast.length} findings, ${same ? 'identical to' : 'DIFFERENT from'} the old path (Document, runtime schemas)`,
  );
  if (!same) failures.push(`${name}: reports differ`);
}
for (const failure of failures.slice(0, 20)) console.log(`  ${failure}`);
process.exit(failures.length > 0 ? 1 : 0);
