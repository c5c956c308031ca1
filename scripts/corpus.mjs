// `npm run corpus`: archlint over every project in ../shared/corpus, twice each. Fails on a crash
// (exit 2 or a signal), any core/internal-error, output that differs between the two runs, or a run
// over its time budget. Skips cleanly when the corpus is absent (it is data beside the repo, not in it).
// Then the SQL oracle (scripts/sql-oracle.mjs): every PostgreSQL history applied to PGlite and the
// engine's catalog compared with archlint's folded schema; fails when a history's agreement drops.
// Then the same for SQLite (scripts/sql-oracle-sqlite.mjs): every SQLite history, of the corpus and
// of the laid-out real-world trees it lists, applied to sql.js.
// Then the YAML equivalence (scripts/yaml-equivalence.mjs): the fast path against the Document on
// every YAML file and every OpenAPI project of the corpus.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';

const repo = fileURLToPath(new URL('..', import.meta.url));
const corpus = join(repo, '..', 'shared', 'corpus');
const BUDGET_MS = Number(process.env.ARCHLINT_CORPUS_BUDGET_MS ?? 120_000);
const bin = join(repo, 'bin', 'archlint.js');
const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

if (!existsSync(corpus)) {
  console.log(`corpus: ${corpus} not found; skipping.`);
  process.exit(0);
}

const projects = ['openapi', 'sql'].flatMap((group) => {
  const dir = join(corpus, group);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort()
    .map((name) => join(dir, name));
});

function run(project) {
  const args = [bin, 'lint', '--format', 'json', '--fail-on', 'never', relative(repo, project)];
  const command = time ? [time, '-f', '%M', process.execPath, ...args] : [process.execPath, ...args];
  const started = performance.now();
  const child = spawnSync(command[0], command.slice(1), { cwd: repo, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const ms = Math.round(performance.now() - started);
  const rssMb = time ? Math.round(Number(child.stderr.trim().split('\n').pop()) / 1024) : undefined;
  return { child, ms, rssMb };
}

const failures = [];
const rows = [];
for (const project of projects) {
  const name = relative(corpus, project);
  const first = run(project);
  const second = run(project);
  const problems = [];
  for (const [label, r] of [
    ['first', first],
    ['second', second],
  ]) {
    if (r.child.status !== 0)
      problems.push(
        `${label} run exited ${r.child.status ?? r.child.signal}: ${r.child.stderr.split('\n').slice(0, 3).join(' | ')}`,
      );
    if (r.ms > BUDGET_MS) problems.push(`${label} run took ${r.ms} ms (budget ${BUDGET_MS} ms)`);
  }
  let report;
  try {
    report = JSON.parse(first.child.stdout);
  } catch {
    problems.push('the JSON report does not parse');
  }
  const strip = (text) => text.replace(/"durationMs": \d+/, '');
  if (strip(first.child.stdout) !== strip(second.child.stdout)) problems.push('the two runs gave different reports');
  const findings = report?.findings ?? [];
  const internal = findings.filter((f) => f.ruleId === 'core/internal-error');
  for (const f of internal) problems.push(`core/internal-error at ${f.file}: ${f.message}`);
  const byRule = {};
  for (const f of findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  rows.push({ name, files: report?.summary?.files ?? '?', ms: first.ms, rssMb: first.rssMb ?? 'n/a', byRule });
  if (problems.length) failures.push(`${name}:\n  - ${problems.join('\n  - ')}`);
}

for (const row of rows) {
  const counts =
    Object.entries(row.byRule)
      .map(([rule, n]) => `${rule} ${n}`)
      .join(', ') || 'no findings';
  console.log(
    `${row.name.padEnd(48)} ${String(row.files).padStart(5)} files ${String(row.ms).padStart(6)} ms ${String(row.rssMb).padStart(5)} MB  ${counts}`,
  );
}
if (failures.length) {
  console.error(`\ncorpus: ${failures.length} of ${projects.length} projects failed:\n${failures.join('\n')}`);
}

console.log('');
const oracleStarted = performance.now();
const oracle = spawnSync(process.execPath, [join(repo, 'scripts', 'sql-oracle.mjs')], { cwd: repo, stdio: 'inherit' });
console.log(`sql oracle: ${Math.round(performance.now() - oracleStarted)} ms`);
if (oracle.status !== 0) {
  console.error(`\ncorpus: the SQL oracle failed (exit ${oracle.status ?? oracle.signal})`);
  process.exit(1);
}
const sqliteStarted = performance.now();
const sqliteOracle = spawnSync(process.execPath, [join(repo, 'scripts', 'sql-oracle-sqlite.mjs')], {
  cwd: repo,
  stdio: 'inherit',
});
console.log(`sql oracle (SQLite): ${Math.round(performance.now() - sqliteStarted)} ms`);
if (sqliteOracle.status !== 0) {
  console.error(`\ncorpus: the SQLite oracle failed (exit ${sqliteOracle.status ?? sqliteOracle.signal})`);
  process.exit(1);
}
if (failures.length) process.exit(1);
const yamlStarted = performance.now();
const yaml = spawnSync(process.execPath, [join(repo, 'scripts', 'yaml-equivalence.mjs')], {
  cwd: repo,
  stdio: 'inherit',
});
console.log(`yaml equivalence: ${Math.round(performance.now() - yamlStarted)} ms`);
if (yaml.status !== 0) {
  console.error(`\ncorpus: the YAML fast path differs from the Document (exit ${yaml.status ?? yaml.signal})`);
  process.exit(1);
}
console.log(
  `\ncorpus: ${projects.length} projects, each run twice: no crash, no internal error, identical reports; the SQL oracles (PGlite, sql.js) agree; the YAML fast path reads every description as the Document does.`,
);
