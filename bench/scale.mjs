// The scale benchmark's input: a large real TypeScript code base brought onto the machine
// (ARCHLINT_SCALE_TREE; bench/fetch-codebase.sh gets the pinned one) plus ../shared/corpus,
// and the slice of it each peer checks. Also reads each tool's JSON report back, so a peer
// that parsed nothing, or choked on a document, shows in the result instead of looking fast.

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

export const SCALE_TREE_VAR = 'ARCHLINT_SCALE_TREE';

/** Folders archlint never walks (src/discover/walk.ts); the peers are told to skip them too. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'coverage', 'vendor']);

/** The files ESLint lints here: TypeScript with @typescript-eslint/parser, JavaScript with espree. */
const TS_EXTS = ['ts', 'tsx', 'mts', 'cts'];
const JS_EXTS = ['js', 'jsx', 'mjs', 'cjs'];
const CODE_EXTS = new Set([...TS_EXTS, ...JS_EXTS].map((e) => `.${e}`));

/** The code base named by ARCHLINT_SCALE_TREE, or why there is none and how to get one. */
export function scaleTree() {
  const how =
    `set ${SCALE_TREE_VAR} to a large TypeScript code base, e.g. \`bench/fetch-codebase.sh /tmp/medusa\` ` +
    `(a shallow clone of medusajs/medusa at the pinned commit; needs network once), then ` +
    `\`${SCALE_TREE_VAR}=/tmp/medusa node bench/run.mjs <target>\``;
  const value = process.env[SCALE_TREE_VAR];
  if (!value) return { skip: `no code base: ${how}` };
  const tree = resolve(value);
  if (!existsSync(tree) || !statSync(tree).isDirectory())
    return { skip: `${SCALE_TREE_VAR}=${value} is not a folder: ${how}` };
  return { tree };
}

/** Every file under dir, skipping the folders archlint skips. */
function listFiles(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) listFiles(p, out);
    } else if (e.isFile()) out.push(p);
  }
  return out;
}

function countLines(files) {
  let lines = 0;
  for (const f of files) {
    const buf = readFileSync(f);
    for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) lines++;
    if (buf.length && buf[buf.length - 1] !== 10) lines++;
  }
  return lines;
}

const n = (x) => x.toLocaleString('en-US');

/** "N files (M lines)" for a part of the input. */
function part(files) {
  return `${n(files.length)} files (${n(countLines(files))} lines)`;
}

/** The code base: all its files, and the TS/JS ones ESLint lints. */
export function describeCodeBase(tree) {
  const files = listFiles(tree);
  const code = files.filter((f) => CODE_EXTS.has(extname(f)));
  return { files, code, text: `code base ${tree}: ${part(files)}, of which TS/JS ${part(code)}` };
}

/**
 * The OpenAPI root documents under corpus/openapi: files whose top level has an `openapi` or
 * `swagger` key. The other files there are fragments the roots reach through relative $ref.
 */
export function openapiRoots(openapiDir) {
  const files = listFiles(openapiDir);
  const roots = files.filter((f) => {
    const text = readFileSync(f, 'utf8');
    if (f.endsWith('.json')) {
      try {
        const doc = JSON.parse(text);
        return doc !== null && typeof doc === 'object' && !Array.isArray(doc) && ('openapi' in doc || 'swagger' in doc);
      } catch {
        return false;
      }
    }
    return /\.ya?ml$/.test(f) && /^(openapi|swagger)\s*:/m.test(text);
  });
  return { files, roots: roots.sort() };
}

/** The corpus and its slices: all files (secretlint), the OpenAPI roots (Spectral), the PostgreSQL folders (squawk). */
export function describeCorpus(corpus, pgFolders) {
  const files = listFiles(corpus);
  const openapi = openapiRoots(join(corpus, 'openapi'));
  const sql = pgFolders.flatMap((d) => listFiles(d).filter((f) => f.endsWith('.sql')));
  const text =
    `corpus ${corpus}: ${part(files)}; OpenAPI: ${openapi.roots.length} root documents + ${n(openapi.files.length - openapi.roots.length)} files they $ref, ${part(openapi.files)}; ` +
    `PostgreSQL: ${n(sql.length)} .sql files in ${pgFolders.length} folders (${n(countLines(sql))} lines)`;
  return { files, openapiRoots: openapi.roots, sqlFiles: sql, text };
}

/** The deepest folder holding every path: ESLint's base path, since it ignores files outside it. */
export function commonDir(paths) {
  const split = paths.map((p) => resolve(p).split(sep));
  const first = split[0];
  let i = 0;
  while (i < first.length && split.every((s) => s[i] === first[i])) i++;
  return first.slice(0, i).join(sep) || sep;
}

/**
 * A flat config for ESLint: TypeScript through @typescript-eslint/parser, JavaScript (with JSX)
 * through espree, one trivial rule, and the folders archlint skips ignored.
 */
export function writeEslintConfig(dir, benchDir) {
  const parser = createRequire(join(benchDir, 'package.json')).resolve('@typescript-eslint/parser');
  const file = join(dir, 'eslint.config.mjs');
  const ts = `**/*.{${TS_EXTS.join(',')}}`;
  const js = `**/*.{${JS_EXTS.join(',')}}`;
  writeFileSync(
    file,
    `import tsParser from ${JSON.stringify(pathToFileURL(parser).href)};\n` +
      `export default [\n` +
      `  { ignores: ${JSON.stringify([...SKIPPED_DIRS].map((d) => `**/${d}/`))} },\n` +
      `  { files: [${JSON.stringify(js)}], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },\n` +
      `  { files: [${JSON.stringify(ts)}], languageOptions: { parser: tsParser } },\n` +
      `  { files: [${JSON.stringify(js)}, ${JSON.stringify(ts)}], rules: { 'no-debugger': 'error' } },\n` +
      `];\n`,
  );
  return file;
}

// --- What each tool's report says (the last run's stdout) ------------------------------------

const count = (xs, key) => xs.reduce((m, x) => m.set(key(x), (m.get(key(x)) ?? 0) + 1), new Map());
const listCounts = (m) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${n(v)}`)
    .join(', ');

export function summarizeArchlint(stdout) {
  const { summary, findings } = JSON.parse(stdout);
  const parseErrors = findings.filter((f) => f.ruleId === 'core/parse-error').length;
  const rules = count(findings, (f) => f.ruleId).size;
  return `${n(summary.files)} files, ${n(findings.length)} findings from ${rules} rules (${summary.errors} errors, ${summary.warnings} warnings), ${parseErrors} core/parse-error`;
}

export function summarizeEslint(stdout) {
  const results = JSON.parse(stdout);
  const fatal = results.filter((r) => r.messages.some((m) => m.fatal));
  const messages = results.flatMap((r) => r.messages.filter((m) => !m.fatal));
  // The one rule configured; everything else is about the code base's eslint-disable comments
  // (rules of plugins not loaded here, directives left unused).
  const findings = messages.filter((m) => m.ruleId === 'no-debugger').length;
  const byExt = listCounts(count(results, (r) => extname(r.filePath)));
  const example = fatal.length ? ` (e.g. ${fatal[0].filePath}: ${fatal[0].messages.find((m) => m.fatal).message})` : '';
  if (!results.length) return 'NOTHING linted: 0 files in its report';
  return `${n(results.length)} files linted (${byExt}), ${fatal.length} could not be parsed${example}, ${n(findings)} no-debugger findings, ${n(messages.length - findings)} notes on eslint-disable comments`;
}

export function summarizeSecretlint(stdout) {
  const results = JSON.parse(stdout);
  const findings = results.reduce((s, r) => s + r.messages.length, 0);
  if (!results.length) return 'NOTHING scanned: 0 files in its report';
  return `${n(results.length)} files scanned, ${n(findings)} findings (${listCounts(
    count(
      results.flatMap((r) => r.messages),
      (m) => m.ruleId.replace('@secretlint/secretlint-rule-', ''),
    ),
  )})`;
}

export function summarizeSquawk(stdout) {
  const violations = JSON.parse(stdout);
  const files = new Set(violations.map((v) => v.file)).size;
  // squawk reports one syntax-error per token it cannot place: count the files it could not parse.
  const syntax = violations.filter((v) => v.rule_name === 'syntax-error');
  const unparsed = new Set(syntax.map((v) => v.file)).size;
  return `${n(violations.length)} findings in ${n(files)} files; ${n(unparsed)} files with syntax errors (${n(syntax.length)} syntax-error findings)`;
}

/** Spectral: results per root document, with the roots it could not read or recognise called out. */
export function summarizeSpectral(roots) {
  return (stdout) => {
    const results = JSON.parse(stdout);
    const bySource = count(results, (r) => r.source);
    const broken = new Set(
      results.filter((r) => r.code === 'unrecognized-format' || r.code === 'parser').map((r) => r.source),
    );
    const perRoot = roots.map((root) => {
      const mark = broken.has(root)
        ? ' (COULD NOT READ IT: unrecognized-format or parser error)'
        : bySource.has(root)
          ? ''
          : ' (no result at all)';
      return `${basename(root)} ${n(bySource.get(root) ?? 0)}${mark}`;
    });
    const elsewhere = results.filter((r) => !roots.includes(r.source)).length;
    return `${n(results.length)} results: ${perRoot.join(', ')}${elsewhere ? `, ${n(elsewhere)} in $ref'd files` : ''}`;
  };
}
