#!/usr/bin/env node
// Spot-checks that OpenAPI findings on the real descriptions of ../shared/corpus/openapi point at
// the right file and line: runs the built CLI (dist/, `npx tsc -p tsconfig.build.json` first) with
// the four API rules over each description and checks, for every finding, that the source line it
// names holds what the message is about. Exits 1 on a crash, an internal error or a misplaced
// finding; skips cleanly (exit 0) when the corpus is absent.
//
//   node scripts/openapi-spotcheck.mjs [--verbose]

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = resolve(repoRoot, '..', 'shared', 'corpus', 'openapi');
const RULES = ['api/paginated-lists', 'api/versioned-routes', 'ops/health-endpoints', 'api/structured-errors'];
const DESCRIPTIONS = [
  'octokit-openapi/generated/api.github.com.json',
  'rest-api-description-2020/descriptions/api.github.com/api.github.com.yaml',
  'kubernetes-client-python/kubernetes/swagger.json',
  'digitalocean-openapi/specification/DigitalOcean-public.v2.yaml',
];
const verbose = process.argv.includes('--verbose');

if (!existsSync(corpus)) {
  console.log(`openapi-spotcheck: ${corpus} is absent; nothing to check`);
  process.exit(0);
}

const lines = new Map();
function lineText(file, line) {
  if (!lines.has(file))
    lines.set(
      file,
      readFileSync(resolve(repoRoot, file), 'utf8')
        .replace(/^\uFEFF/, '')
        .split(/\r\n|\n|\r/),
    );
  return lines.get(file)[line - 1] ?? '';
}

/** Whether a line is the first key of its file: where a whole-file operation or response is reported. */
function isFirstKey(file, line) {
  const all = lines.get(file) ?? [];
  const first = all.findIndex((text) => /^["']?[\w$-]+["']?\s*:/.test(text));
  return first + 1 === line;
}

const keyOn = (text, key) =>
  new RegExp(`(^|[\\s{,])["']?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*:`).test(text);

/** What must be on the finding's line, judged from its rule and message. */
function check(finding) {
  const text = lineText(finding.file, finding.line);
  const wholeFile = isFirstKey(finding.file, finding.line);
  switch (finding.ruleId) {
    case 'api/paginated-lists':
      return keyOn(text, 'get') || wholeFile;
    case 'api/versioned-routes': {
      // The whole service: at where its base path would be declared.
      if (/has no API version(?:ing scheme| anywhere)/.test(finding.message))
        return ['servers', 'basePath', 'host', 'paths'].some((k) => keyOn(text, k));
      // One route, or the first of several declared in one file ("N routes declared in this file … (e.g. GET /logs; …").
      const declared = (/^[A-Z, ]+ (\S+) has no API version/.exec(finding.message) ??
        /\(e\.g\. [A-Z, ]+ ([^;\s]+);/.exec(finding.message))?.[1];
      return declared !== undefined && text.includes(declared.split('/').filter(Boolean).at(-1) ?? '/');
    }
    case 'ops/health-endpoints':
      return keyOn(text, 'paths');
    case 'api/structured-errors': {
      const status = /^Error response (\S+) of/.exec(finding.message)?.[1] ?? '';
      // an inline response is reported at its status key; a shared one at its component name or file
      return keyOn(text, status) || /^\s*["']?[\w.-]+["']?\s*:/.test(text) || wholeFile;
    }
    default:
      return true;
  }
}

let failed = false;
for (const description of DESCRIPTIONS) {
  const path = join(corpus, description);
  if (!existsSync(path)) {
    console.log(`skip ${description}: absent`);
    continue;
  }
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [join(repoRoot, 'bin', 'archlint.js'), '--only', RULES.join(','), '--format', 'json', '--fail-on', 'never', path],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    },
  );
  const ms = Math.round(performance.now() - started);
  if (run.status !== 0) {
    console.log(`FAIL ${description}: exit ${run.status}\n${run.stderr}`);
    failed = true;
    continue;
  }
  const { findings } = JSON.parse(run.stdout);
  const counts = {};
  const wrong = [];
  for (const finding of findings) {
    counts[finding.ruleId] = (counts[finding.ruleId] ?? 0) + 1;
    if (finding.ruleId === 'core/internal-error' || !check(finding)) wrong.push(finding);
  }
  const summary = Object.entries(counts)
    .map(([id, n]) => `${id} ${n}`)
    .join(', ');
  console.log(`${wrong.length === 0 ? 'ok  ' : 'FAIL'} ${description} (${ms} ms): ${summary || 'no findings'}`);
  for (const finding of wrong.slice(0, 10)) {
    console.log(
      `     misplaced: ${finding.file}:${finding.line} ${finding.ruleId}: ${finding.message}\n       line: ${lineText(finding.file, finding.line).trim().slice(0, 120)}`,
    );
  }
  if (verbose)
    for (const finding of findings.filter((f) => f.ruleId === 'core/parse-error'))
      console.log(`     ${finding.file}:${finding.line} ${finding.message}`);
  if (wrong.length > 0) failed = true;
}
process.exit(failed ? 1 : 0);
