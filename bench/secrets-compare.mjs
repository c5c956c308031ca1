#!/usr/bin/env node
// What archlint's security/no-hardcoded-secrets finds next to secretlint with its recommended
// preset, on the same trees: every secretlint finding must be found by archlint too, or be one
// that archlint leaves out on purpose (a placeholder, or a file it skips by design), each listed
// with its reason; and what archlint finds that secretlint does not, by kind.
//
//   node bench/secrets-compare.mjs [dir...]     default: fixtures/ and ../shared/corpus (if present)
//                                               and a generated 5,000-file TypeScript tree
//   --json                                      machine-readable result
//
// Exit code 1 when secretlint finds something archlint misses without a reason. Needs a built
// archlint (npm run build) and the peers (cd bench && npm ci).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeTsTree } from './ts-tree.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(benchDir, '..');
const lib = (name) => import(pathToFileURL(join(repoRoot, 'dist', 'rules', 'security', '_lib', `${name}.js`)).href);
const { skipReason } = await lib('skip');
const { notSecretReason } = await lib('values');
const { isSampleFile, isUnderExampleKey, isCommentLine } = await lib('examples');
const { failsChecksum } = await lib('checksums');
const { createTextFile } = await import(
  pathToFileURL(join(repoRoot, 'dist', 'src', 'inputs', 'text', 'index.js')).href
);

const args = process.argv.slice(2);
const json = args.includes('--json');
const scratch = mkdtempSync(join(tmpdir(), 'archlint-secrets-compare-'));

try {
  let dirs = args.filter((a) => !a.startsWith('--'));
  if (dirs.length === 0) {
    const corpus = resolve(repoRoot, '..', 'shared', 'corpus');
    const tree = join(scratch, 'ts-tree');
    writeTsTree(tree);
    dirs = [join(repoRoot, 'fixtures'), ...(existsSync(corpus) ? [corpus] : []), tree];
  }
  const results = dirs.map((dir) => compare(resolve(dir)));
  if (json) console.log(JSON.stringify(results, null, 2));
  else for (const r of results) print(r);
  process.exitCode = results.some((r) => r.missed.length > 0) ? 1 : 0;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

function compare(dir) {
  const archlint = runArchlint(dir);
  const secretlint = runSecretlint(dir);
  const matched = [];
  const deliberate = [];
  const missed = [];
  for (const s of secretlint) {
    // Same secret = an archlint finding on a line secretlint's match covers (secretlint reports a
    // URL from its scheme, a GCP credentials file as a whole; archlint points at the secret).
    if (archlint.some((f) => f.file === s.file && f.line >= s.line && f.line <= s.endLine)) matched.push(s);
    else {
      const reason = whyNot(dir, s);
      (reason ? deliberate : missed).push({ ...s, reason });
    }
  }
  const only = archlint.filter(
    (f) => !secretlint.some((s) => f.file === s.file && f.line >= s.line && f.line <= s.endLine),
  );
  const byKind = {};
  for (const f of only) byKind[kindOf(f.message)] = (byKind[kindOf(f.message)] ?? 0) + 1;
  return {
    dir: relative(process.cwd(), dir) || '.',
    archlintFindings: archlint.length,
    secretlintFindings: secretlint.length,
    matched: matched.length,
    deliberate: deliberate.map(({ file, line, rule, reason }) => ({ file, line, rule, reason })),
    missed: missed.map(({ file, line, rule }) => ({ file, line, rule })),
    archlintOnly: { total: only.length, byKind },
  };
}

function runArchlint(dir) {
  const out = join(scratch, 'archlint.json');
  const res = spawnSync(
    process.execPath,
    [join(repoRoot, 'bin', 'archlint.js'), '--only', 'security/no-hardcoded-secrets', '-f', `json=${out}`, dir],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
  if (res.status === 2 || !existsSync(out)) throw new Error(`archlint failed on ${dir}: ${res.stderr}`);
  return JSON.parse(readFileSync(out, 'utf8'))
    .findings.filter((f) => f.ruleId === 'security/no-hardcoded-secrets')
    .map((f) => ({ file: resolve(dir, f.file), line: f.line, message: f.message }));
}

function runSecretlint(dir) {
  const rc = join(scratch, '.secretlintrc.json');
  writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
  const bin = join(benchDir, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
  if (!existsSync(bin)) throw new Error('secretlint is not installed: cd bench && npm ci');
  const res = spawnSync(
    process.execPath,
    [bin, '--secretlintrc', rc, '--format', 'json', '--no-color', `${dir}/**/*`],
    {
      cwd: scratch,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  if (res.status === 2) throw new Error(`secretlint failed on ${dir}: ${res.stderr}`);
  const out = [];
  for (const file of JSON.parse(res.stdout)) {
    const content = readFileSync(file.filePath, 'utf8');
    for (const m of file.messages) {
      out.push({
        file: file.filePath,
        line: m.loc.start.line,
        endLine: m.loc.end.line,
        rule: m.ruleId.replace('@secretlint/secretlint-rule-', ''),
        value: content.slice(m.range[0], m.range[1]),
      });
    }
  }
  return out;
}

/** Why archlint does not report a secretlint finding on purpose, or undefined (a miss). */
function whyNot(dir, s) {
  const text = createTextFile({ path: relative(dir, s.file), absPath: s.file, kind: 'text' }, readFileSync(s.file));
  const skipped = text && skipReason(text);
  if (skipped) return `file skipped: ${skipped}`;
  // The secret part of what secretlint matched: a URL's password, a webhook path, a token.
  const credential =
    /^[a-z+]+:\/\/[^:@/]*:([^@/]+)@/i.exec(s.value)?.[1] ??
    /hooks\.slack\.com\/\w+\/(.+)$/.exec(s.value)?.[1] ??
    s.value;
  const reason =
    notSecretReason(credential) ??
    notSecretReason(credential.replace(/^[A-Za-z]+[_.-]?(?:[a-z]+[_-])?/, '')) ??
    (failsChecksum('GitHub token', credential) || failsChecksum('npm access token', credential)
      ? 'fails its format checksum (never issued)'
      : undefined) ??
    sampleReason(text, s);
  return reason ? `${reason} (${credential.slice(0, 4)}…, ${credential.length} characters)` : undefined;
}

/** A private key, connection string or URL password written as a sample (documentation, an example value): an illustration. */
function sampleReason(text, s) {
  if (!text || /^(?:github|npm)$/.test(s.rule)) return undefined;
  const offset = text.offsetAt(s.line, 1);
  if (isSampleFile(text.path)) return 'sample file (documentation, examples folder)';
  if (isCommentLine(text, offset)) return 'comment line';
  if (isUnderExampleKey(text, text.offsetAt(s.line, text.lineText(s.line).search(/\S/) + 1)))
    return 'example value of a schema';
  return undefined;
}

function kindOf(message) {
  if (/passed to/.test(message)) return 'sink';
  if (/Literal fallback|as the fallback/.test(message)) return 'fallback';
  if (/is assigned a literal secret/.test(message)) return 'generic (name + random literal)';
  if (/URL/.test(message)) return 'URL credential';
  return 'provider format';
}

function print(r) {
  console.log(`\n${r.dir}`);
  console.log(`  secretlint ${r.secretlintFindings} findings, archlint ${r.archlintFindings}`);
  console.log(`  secretlint findings archlint also reports: ${r.matched}`);
  console.log(`  left out on purpose: ${r.deliberate.length}`);
  for (const d of r.deliberate) console.log(`    ${relative(process.cwd(), d.file)}:${d.line} [${d.rule}] ${d.reason}`);
  console.log(`  MISSED: ${r.missed.length}`);
  for (const m of r.missed) console.log(`    ${relative(process.cwd(), m.file)}:${m.line} [${m.rule}]`);
  console.log(`  archlint only: ${r.archlintOnly.total} ${JSON.stringify(r.archlintOnly.byKind)}`);
}
