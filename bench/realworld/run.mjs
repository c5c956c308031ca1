#!/usr/bin/env node
// Runs archlint on every repository of repos.json (laid out by prepare.mjs) and measures it
// against the labels: precision per rule (TRUE / labelled), the true findings of the first
// labelling that are still reported, and the known misses now found.
//
//   node run.mjs [--trees DIR] [--only a,b] [--set dev,seen,holdout] [--reports DIR] [--reuse]
//                [--todo N] [--json]
//
// --reports DIR  keep each repository's JSON report there (default: a temp folder); with --reuse,
//                read them from there instead of running archlint again.
// --save-precision  write precision.json (per rule, all levels together, per set), which
//                `npm run generate` puts in the README's rules table (held-out figures).
// --todo N       write labels/<name>.todo.json: up to N unlabelled findings per rule, chosen by a
//                hash of the finding (so the sample is stable), for a person to label.
// A repository whose tree is missing is skipped with a line saying so.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(process.env.ARCHLINT_BIN ?? join(here, '..', '..', 'bin', 'archlint.js'));
const { values } = parseArgs({
  options: {
    trees: { type: 'string' },
    only: { type: 'string' },
    set: { type: 'string' },
    reports: { type: 'string' },
    reuse: { type: 'boolean', default: false },
    todo: { type: 'string' },
    json: { type: 'boolean', default: false },
    'save-precision': { type: 'boolean', default: false },
  },
});
const trees = resolve(values.trees ?? process.env.ARCHLINT_REALWORLD_TREES ?? join(here, 'trees'));
const reports = resolve(values.reports ?? mkdtempSync(join(tmpdir(), 'archlint-realworld-')));
mkdirSync(reports, { recursive: true });
const only = values.only ? new Set(values.only.split(',')) : undefined;
const { repos } = JSON.parse(readFileSync(join(here, 'repos.json'), 'utf8'));

/** Label key: rule, file and line identify a finding at a pinned commit. */
export const keyOf = (f) => `${f.ruleId} ${f.file}:${f.line}`;
const hash = (s) => createHash('sha1').update(s).digest('hex');

const perRule = new Map(); // `${set}\0${rule}\0${severity}` → counts (a rule may grade its findings: secrets)
const count = (set, rule, severity) => {
  const k = `${set}\u0000${rule}\u0000${severity}`;
  if (!perRule.has(k))
    perRule.set(k, { set, rule, severity, reported: 0, labelled: 0, truePositives: 0, falsePositives: 0 });
  return perRule.get(k);
};
const lost = [];
const misses = [];
const falses = [];
let keptBase = 0;
let trueBase = 0;
const ran = [];

for (const repo of repos) {
  if (only && !only.has(repo.name)) continue;
  if (values.set && !values.set.split(',').includes(repo.set)) continue;
  const tree = join(trees, repo.name);
  const reportFile = join(reports, `${repo.name}.json`);
  if (!(values.reuse && existsSync(reportFile))) {
    if (!existsSync(tree)) {
      console.error(`${repo.name}: no tree at ${tree} (run prepare.mjs); skipped`);
      continue;
    }
    const started = Date.now();
    const r = spawnSync(
      process.execPath,
      [bin, 'lint', '--fail-on', 'never', '-f', `json=${reportFile}`, ...(repo.paths ?? ['.'])],
      {
        cwd: tree,
        encoding: 'utf8',
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    if (r.status !== 0) {
      console.error(`${repo.name}: archlint exited ${r.status}: ${r.stderr.trim().split('\n')[0]}`);
      continue;
    }
    if (!values.json) console.error(`${repo.name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  ran.push(repo.name);
  // Parse errors count like any rule: a user sees them (at error level) and a wrong one fails their CI.
  const findings = JSON.parse(readFileSync(reportFile, 'utf8')).findings;
  const labelFile = join(here, 'labels', `${repo.name}.json`);
  const labels = existsSync(labelFile) ? JSON.parse(readFileSync(labelFile, 'utf8')) : { findings: {}, misses: [] };
  const reported = new Set(findings.map(keyOf));
  // One cause, one finding: a place now listed among a finding's related locations (the other sites of one
  // habit, the routes of a service without versioning) is still reported.
  for (const f of findings) for (const r of f.related ?? []) reported.add(`${f.ruleId} ${r.file}:${r.line}`);
  const todo = {};
  for (const f of findings) {
    const c = count(repo.set, f.ruleId, f.severity);
    c.reported++;
    const label = labels.findings[keyOf(f)];
    if (!label) continue;
    c.labelled++;
    if (label.label === 'TRUE') c.truePositives++;
    else {
      c.falsePositives++;
      falses.push({ repo: repo.name, key: keyOf(f), reason: label.reason });
    }
  }
  // A finding reported at its new place (carry-labels.mjs: "moved from <old key>: …") keeps its old one.
  for (const [key, label] of Object.entries(labels.findings)) {
    const from = /^moved from (.+?): /.exec(label.reason ?? '')?.[1];
    if (from && reported.has(key)) reported.add(from);
  }
  for (const [key, label] of Object.entries(labels.findings)) {
    // A repeat restates a cause labelled once already: it is kept when that one is.
    if (label.label !== 'TRUE' || label.since !== 'v0' || label.repeat) continue;
    trueBase++;
    if (reported.has(key)) keptBase++;
    else lost.push({ repo: repo.name, key, reason: label.reason });
  }
  for (const miss of labels.misses ?? []) {
    const found = findings.some(
      (f) => f.ruleId === miss.ruleId && f.file === miss.file && Math.abs(f.line - miss.line) <= 3,
    );
    misses.push({ repo: repo.name, ...miss, found });
  }
  if (values.todo) {
    const limit = Number(values.todo);
    const byRule = new Map();
    for (const f of findings) {
      if (!byRule.has(f.ruleId)) byRule.set(f.ruleId, []);
      byRule.get(f.ruleId).push(f);
    }
    for (const [rule, list] of byRule) {
      const labelledHere = list.filter((f) => labels.findings[keyOf(f)]).length;
      const unlabelled = list
        .filter((f) => !labels.findings[keyOf(f)])
        .sort((a, b) => hash(keyOf(a)).localeCompare(hash(keyOf(b))));
      for (const f of unlabelled.slice(0, Math.max(0, limit - labelledHere))) {
        todo[keyOf(f)] = { label: '', reason: '', message: f.message, rule };
      }
    }
    writeFileSync(
      join(here, 'labels', `${repo.name}.todo.json`),
      `${JSON.stringify({ repo: repo.repo, commit: repo.commit, findings: todo }, null, 2)}\n`,
    );
  }
}

const rows = [...perRule.values()].sort(
  (a, b) => a.set.localeCompare(b.set) || a.rule.localeCompare(b.rule) || a.severity.localeCompare(b.severity),
);
const precision = (t, f) => (t + f === 0 ? null : t / (t + f));
const totals = (set) => {
  const r = rows.filter((x) => set === undefined || x.set === set);
  const t = r.reduce((s, x) => s + x.truePositives, 0);
  const f = r.reduce((s, x) => s + x.falsePositives, 0);
  return {
    reported: r.reduce((s, x) => s + x.reported, 0),
    labelled: t + f,
    truePositives: t,
    falsePositives: f,
    precision: precision(t, f),
  };
};
const result = {
  repositories: ran,
  rules: rows.map((r) => ({ ...r, precision: precision(r.truePositives, r.falsePositives) })),
  totals: {
    ...Object.fromEntries([...new Set(rows.map((r) => r.set))].sort().map((set) => [set, totals(set)])),
    all: totals(undefined),
  },
  keptTrueFindings: { kept: keptBase, of: trueBase, lost },
  misses,
  falsePositives: falses,
  reports,
};
if (values['save-precision']) {
  const bySet = (set) => {
    const out = {};
    for (const r of rows.filter((x) => set === undefined || x.set === set)) {
      const o = (out[r.rule] ??= { reported: 0, labelled: 0, truePositives: 0, falsePositives: 0 });
      o.reported += r.reported;
      o.labelled += r.labelled;
      o.truePositives += r.truePositives;
      o.falsePositives += r.falsePositives;
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  };
  const saved = {
    '//': 'Written by `node bench/realworld/run.mjs --save-precision`: findings and labels per rule on the dev (tuned against), seen (held out at first, then read while fixing) and holdout (only measured) repositories of repos.json, and all of them together. The README rules table shows the holdout and all figures.',
    archlintVersion: JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8')).version,
    repositories: ran,
    dev: bySet('dev'),
    seen: bySet('seen'),
    holdout: bySet('holdout'),
    all: bySet(undefined),
    keptTrueFindings: { kept: keptBase, of: trueBase },
  };
  writeFileSync(join(here, 'precision.json'), `${JSON.stringify(saved, null, 2)}\n`);
}
if (values.json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const pct = (p) => (p === null ? '   —' : `${(p * 100).toFixed(0).padStart(3)}%`);
  console.log(
    `\n${'set'.padEnd(8)} ${'rule'.padEnd(34)} ${'level'.padEnd(7)} ${'reported'.padStart(8)} ${'labelled'.padStart(8)} ${'TRUE'.padStart(5)} ${'FALSE'.padStart(5)} precision`,
  );
  for (const r of result.rules) {
    console.log(
      `${r.set.padEnd(8)} ${r.rule.padEnd(34)} ${r.severity.padEnd(7)} ${String(r.reported).padStart(8)} ${String(r.labelled).padStart(8)} ${String(r.truePositives).padStart(5)} ${String(r.falsePositives).padStart(5)} ${pct(r.precision)}`,
    );
  }
  for (const [set, t] of Object.entries(result.totals)) {
    console.log(
      `${set.padEnd(8)} ${'(all rules)'.padEnd(34)} ${''.padEnd(7)} ${String(t.reported).padStart(8)} ${String(t.labelled).padStart(8)} ${String(t.truePositives).padStart(5)} ${String(t.falsePositives).padStart(5)} ${pct(t.precision)}`,
    );
  }
  console.log(
    `\ntrue findings of the first labelling still reported: ${keptBase}/${trueBase}${trueBase ? ` (${((keptBase / trueBase) * 100).toFixed(0)}%)` : ''}`,
  );
  for (const l of lost) console.log(`  lost  ${l.repo}  ${l.key}  (${l.reason})`);
  const found = misses.filter((m) => m.found).length;
  console.log(`known misses now found: ${found}/${misses.length}`);
  for (const m of misses)
    console.log(`  ${m.found ? 'found ' : 'missed'}  ${m.repo}  ${m.ruleId} ${m.file}:${m.line}  (${m.why})`);
  console.log(`reports in ${reports}`);
}
