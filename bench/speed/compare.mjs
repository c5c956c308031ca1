#!/usr/bin/env node
// Speed and sameness of `archlint routes` and a whole lint on laid-out real-world trees (issue 22).
// For each tree: wall time and peak RSS (/usr/bin/time -v) of `archlint routes --format json` and of
// `archlint lint --format json --verbose` (whose per-input timings are kept), and of the bare TypeScript
// parser over the same folder (bench/ts-parse.mjs). Reports are written to --out; with --baseline <dir>
// (an earlier --out) the JSON reports are compared and any difference fails the run.
//
//   node bench/speed/compare.mjs --trees /work/rw --only outline,novu --out /tmp/after [--baseline /tmp/before]
//     [--archlint /path/to/bin/archlint.js] [--skip-lint]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const trees = opt('trees', '/work/rw');
const only = (opt('only', '') || '').split(',').filter(Boolean);
const out = resolve(opt('out', '/tmp/archlint-speed'));
const baseline = opt('baseline');
const archlint = resolve(opt('archlint', join(here, '../../bin/archlint.js')));
const skipLint = args.includes('--skip-lint');
const skipParse = args.includes('--skip-parse');
mkdirSync(out, { recursive: true });

function timed(argv, cwd) {
  const r = spawnSync('/usr/bin/time', ['-v', ...argv], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  // CPU seconds too: on a shared machine the wall clock says more about the neighbours than about archlint.
  const cpu = Math.round((Number(user?.[1]) + Number(sys?.[1])) * 100) / 100;
  return { stdout: r.stdout, stderr: r.stderr, seconds, cpu, rssMb: rss ? Math.round(Number(rss[1]) / 1024) : NaN };
}

/** Per-input timings printed by --verbose (lines like "input routes 1234 ms"), kept as they are. */
function inputTimings(stderr) {
  return stderr.split('\n').filter((l) => /\binput\b|\bms\b/.test(l) && !/^\s*(Command|User|System|Elapsed)/.test(l)).slice(0, 40);
}

const rows = [];
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
let differences = 0;
for (const name of only) {
  const cwd = join(trees, name);
  if (!existsSync(cwd)) {
    console.error(`${name}: no tree at ${cwd}`);
    continue;
  }
  const row = { tree: name, load: load() };
  const routes = timed(['node', archlint, 'routes', '--format', 'json'], cwd);
  writeFileSync(join(out, `${name}.routes.json`), routes.stdout);
  row.routes = { seconds: routes.seconds, cpu: routes.cpu, rssMb: routes.rssMb };
  if (!skipLint) {
    const lint = timed(['node', archlint, 'lint', '--format', 'json', '--verbose', '--fail-on', 'never'], cwd);
    writeFileSync(join(out, `${name}.lint.json`), lint.stdout);
    writeFileSync(join(out, `${name}.lint.verbose.txt`), lint.stderr);
    row.lint = { seconds: lint.seconds, cpu: lint.cpu, rssMb: lint.rssMb };
  }
  if (!skipParse) {
    const parse = timed(['node', join(here, '../ts-parse.mjs'), cwd], here);
    row.bareParse = { seconds: parse.seconds, cpu: parse.cpu, rssMb: parse.rssMb, ...JSON.parse(parse.stdout || '{}') };
    row.routesOverParse = Math.round((row.routes.cpu / parse.cpu) * 100) / 100;
  }
  if (baseline) {
    for (const kind of skipLint ? ['routes'] : ['routes', 'lint']) {
      const before = join(baseline, `${name}.${kind}.json`);
      if (!existsSync(before)) continue;
      const same = normalise(readFileSync(before, 'utf8')) === normalise(readFileSync(join(out, `${name}.${kind}.json`), 'utf8'));
      row[`${kind}Same`] = same;
      if (!same) differences++;
    }
  }
  rows.push(row);
  console.log(JSON.stringify(row));
}
writeFileSync(join(out, 'summary.json'), `${JSON.stringify(rows, null, 2)}\n`);
if (differences > 0) {
  console.error(`${differences} report(s) differ from ${baseline}`);
  process.exit(1);
}

/** A report without what changes from run to run (timings, durations). */
function normalise(text) {
  try {
    return JSON.stringify(strip(JSON.parse(text)));
  } catch {
    return text;
  }
}
function strip(value) {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    const o = {};
    for (const [k, v] of Object.entries(value)) if (!/^(durationMs|elapsedMs|timings?|generatedAt)$/.test(k)) o[k] = strip(v);
    return o;
  }
  return value;
}
