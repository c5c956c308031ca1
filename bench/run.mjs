#!/usr/bin/env node
// Speed benchmark: archlint against a peer tool on the same input, in one run, as a ratio.
//
//   node bench/run.mjs <target> [--runs N] [--json] [--save]
//   node bench/run.mjs --list
//
// Each tool gets one warm-up run, then N measured runs, in alternation (A B A B ...), so that
// drift in machine load hits every tool alike. Wall time is process.hrtime.bigint() around
// spawnSync; peak RSS and CPU time (user + system) come from GNU time (/usr/bin/time -f
// '%M %U %S') wrapped around every tool alike, or are "n/a" when /usr/bin/time is missing.
// A target may compare archlint with the sum of its peers (compare: 'sum'): each peer checks
// its own slice of one tree, and together they are what a team runs today. Plain Node, no
// dependencies.

import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, platform, arch, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PEERS, targets } from './targets.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(benchDir, '..');
const corpusRoot = resolve(repoRoot, '..', 'shared', 'corpus');
// ARCHLINT_BIN points at another archlint.js (e.g. a second checkout) to measure that instead.
const archlintBin = process.env.ARCHLINT_BIN ? resolve(process.env.ARCHLINT_BIN) : join(repoRoot, 'bin', 'archlint.js');
const TIME = '/usr/bin/time';
/** GNU time's report: peak RSS in KB, user CPU seconds, system CPU seconds. */
const TIME_FORMAT = '%M %U %S';
const TIME_LINE = /^(\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/;

const USAGE = `usage: node bench/run.mjs <target> [--runs N] [--json] [--save] [--keep-extra-ca-certs]
       node bench/run.mjs --list

  --runs N   measured runs per tool (default 7), after one warm-up each
  --json     print the result as JSON instead of a table
  --save     also write the JSON result to bench/results/<target>-<timestamp>.json
  --keep-extra-ca-certs
             run the tools with NODE_EXTRA_CA_CERTS as set here (by default it is unset: see below)`;

/**
 * Node 20 reads and parses the certificate bundle named by NODE_EXTRA_CA_CERTS at every start,
 * before any JavaScript runs (nodejs/node#40524). A machine that points it at the whole system
 * bundle (this project's sandbox does) adds ~35 ms to every Node process — archlint, ESLint,
 * Spectral, secretlint, Redocly alike — but not to squawk, a native binary. No tool measured here
 * opens a TLS connection, so by default every tool runs without it; the report says so.
 */
const EXTRA_CA_CERTS = 'NODE_EXTRA_CA_CERTS';

class Failure extends Error {}

function parseArgs(argv) {
  const opts = { target: undefined, runs: 7, json: false, save: false, list: false, keepExtraCaCerts: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs' || a.startsWith('--runs=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!v || !/^[1-9]\d*$/.test(v))
        usageError(`--runs needs a positive integer, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
      opts.runs = Number(v);
    } else if (a === '--json') opts.json = true;
    else if (a === '--save') opts.save = true;
    else if (a === '--list') opts.list = true;
    else if (a === '--keep-extra-ca-certs') opts.keepExtraCaCerts = true;
    else if (a === '-h' || a === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else if (a.startsWith('-')) usageError(`unknown option ${a}`);
    else if (opts.target === undefined) opts.target = a;
    else usageError(`unexpected argument ${a}`);
  }
  return opts;
}

function usageError(msg) {
  console.error(`bench: ${msg}\n\n${USAGE}\n\n${listTargets()}`);
  process.exit(2);
}

function listTargets() {
  const w = Math.max(...Object.keys(targets).map((k) => k.length));
  return `targets:\n${Object.entries(targets)
    .map(([k, t]) => `  ${k.padEnd(w)}  ${t.description}`)
    .join('\n')}`;
}

// ---------------------------------------------------------------------------------------------

/** Where a peer's command is: [executable, ...leading args]. */
function peerCommand(name) {
  const peer = PEERS[name];
  if (!peer) throw new Failure(`unknown peer ${name} (known: ${Object.keys(PEERS).join(', ')})`);
  const pkgDir = join(benchDir, 'node_modules', ...peer.pkg.split('/'));
  const pkgJson = join(pkgDir, 'package.json');
  if (!existsSync(pkgJson)) {
    throw new Failure(`peer ${name} (${peer.pkg}) is not installed: run \`cd bench && npm ci\` first`);
  }
  if (peer.native) {
    // npm puts the platform binary in @<scope>/<platform>-<arch>, an optional dependency.
    const nativeDir = join(benchDir, 'node_modules', `@${peer.pkg}`, `${platform()}-${arch()}`, 'bin');
    const exe = join(nativeDir, platform() === 'win32' ? `${peer.native}.exe` : peer.native);
    if (existsSync(exe)) return { command: exe, prefix: [], version: readVersion(pkgJson) };
  }
  const manifest = JSON.parse(readFileSync(pkgJson, 'utf8'));
  const rel = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[peer.bin];
  if (!rel) throw new Failure(`peer ${name}: ${peer.pkg} has no bin "${peer.bin}"`);
  // Run the peer's JS entry with the same node as archlint, not through a shebang and PATH lookup.
  return { command: process.execPath, prefix: [realpathSync(join(pkgDir, rel))], version: manifest.version };
}

function archlintVersion() {
  // The package.json next to bin/ (ARCHLINT_BIN may live in another checkout).
  try {
    return readVersion(join(dirname(dirname(realpathSync(archlintBin))), 'package.json'));
  } catch {
    return undefined;
  }
}

function readVersion(pkgJson) {
  return JSON.parse(readFileSync(pkgJson, 'utf8')).version;
}

function makeContext(scratch) {
  const tmpdirs = [];
  const ctx = {
    repoRoot,
    benchDir,
    corpus(rel) {
      const p = rel ? join(corpusRoot, rel) : corpusRoot;
      return existsSync(p) ? p : undefined;
    },
    tmpdir() {
      const d = mkdtempSync(join(tmpdir(), 'archlint-bench-'));
      tmpdirs.push(d);
      return d;
    },
    mkdir(d) {
      mkdirSync(d, { recursive: true });
    },
    archlint(args, opts = {}) {
      return {
        name: 'archlint',
        version: archlintVersion(),
        command: process.execPath,
        args: [archlintBin, ...args],
        cwd: opts.cwd ?? scratch,
        env: {},
        failCodes: [2],
      };
    },
    peer(name, args, opts = {}) {
      const { command, prefix, version } = peerCommand(name);
      return {
        name,
        version,
        command,
        args: [...prefix, ...args],
        cwd: opts.cwd ?? scratch,
        env: PEERS[name].env ?? {},
        failCodes: PEERS[name].failCodes ?? [],
      };
    },
    cleanup() {
      for (const d of tmpdirs) rmSync(d, { recursive: true, force: true });
    },
  };
  return ctx;
}

// ---------------------------------------------------------------------------------------------

function timeAvailable() {
  if (platform() !== 'linux' && platform() !== 'darwin') return false;
  if (!existsSync(TIME)) return false;
  // GNU time understands -f/-o; BSD time (macOS) does not.
  const probe = spawnSync(TIME, ['-f', TIME_FORMAT, '-o', '/dev/null', 'true'], { stdio: 'ignore' });
  return probe.status === 0;
}

/** One run of one tool. Returns { ms, rssKb, cpuS, status, stdoutBytes } or throws Failure. */
function runOnce(tool, io, useTime) {
  const out = openSync(io.stdout, 'w');
  const err = openSync(io.stderr, 'w');
  const [command, args] = useTime
    ? [TIME, ['-f', TIME_FORMAT, '-o', io.rss, tool.command, ...tool.args]]
    : [tool.command, tool.args];
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...tool.env };
  if (!io.keepExtraCaCerts) delete env[EXTRA_CA_CERTS];
  let res;
  const t0 = process.hrtime.bigint();
  try {
    res = spawnSync(command, args, { cwd: tool.cwd, env, stdio: ['ignore', out, err] });
  } finally {
    closeSync(out);
    closeSync(err);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;

  const fail = (why) => {
    const tail = readTail(io.stderr, 1500);
    throw new Failure(
      `${tool.name} ${why}\n  command: ${[tool.command, ...tool.args].map(shellQuote).join(' ')}\n  cwd: ${tool.cwd}${tail ? `\n  stderr (tail):\n${indent(tail, '    ')}` : ''}`,
    );
  };
  if (res.error)
    fail(
      res.error.code === 'ENOENT'
        ? `could not be started: ${command} not found`
        : `could not be started: ${res.error.message}`,
    );

  let status = res.status;
  let signal = res.signal;
  let rssKb;
  let cpuS;
  if (useTime) {
    const report = existsSync(io.rss) ? readFileSync(io.rss, 'utf8') : '';
    const sig = /Command terminated by signal (\d+)/.exec(report);
    if (sig) signal = `signal ${sig[1]}`;
    const exited = /Command exited with non-zero status (\d+)/.exec(report);
    if (exited) status = Number(exited[1]);
    // The figures are the last line in TIME_FORMAT; notes such as "Command exited ..." come before it.
    const figures = report
      .trim()
      .split('\n')
      .map((l) => TIME_LINE.exec(l.trim()))
      .filter(Boolean)
      .pop();
    if (figures) {
      const kb = Number(figures[1]);
      rssKb = kb > 0 ? kb : undefined;
      cpuS = Number(figures[2]) + Number(figures[3]);
    }
    // GNU time exits 127 / 126 itself when the command cannot be found / executed.
    if (!sig && !exited && (res.status === 127 || res.status === 126))
      fail(`could not be started (exit ${res.status}): ${tool.command}`);
  }
  if (signal) fail(`crashed: killed by ${signal}`);
  if (status === 127 || status === 126) fail(`could not be started (exit ${status})`);
  if (tool.failCodes.includes(status))
    fail(`failed with exit code ${status} (for ${tool.name} that means an error, not findings)`);
  return { ms, rssKb, cpuS, status, stdoutBytes: statSync(io.stdout).size };
}

function readTail(file, n) {
  try {
    const s = readFileSync(file, 'utf8');
    return s.length > n ? `…${s.slice(-n)}` : s.trim();
  } catch {
    return '';
  }
}

const indent = (s, pad) =>
  s
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
const shellQuote = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round = (x, d = 1) => (x === undefined ? undefined : Math.round(x * 10 ** d) / 10 ** d);

/** The figures of one tool over its measured runs, and what its last report said (if the target can read it). */
function summariseTool(t, runs, io) {
  const ms = runs.map((s) => s.ms);
  const rss = runs.map((s) => s.rssKb).filter((x) => x !== undefined);
  const cpu = runs.map((s) => s.cpuS).filter((x) => x !== undefined);
  const result = {
    name: t.name,
    version: t.version,
    command: [t.command, ...t.args],
    medianMs: round(median(ms)),
    minMs: round(Math.min(...ms)),
    maxMs: round(Math.max(...ms)),
    samplesMs: ms.map((x) => round(x)),
    // CPU time = user + system of the process and the children it waited for (GNU time %U + %S).
    medianCpuS: cpu.length === runs.length ? round(median(cpu), 2) : null,
    samplesCpuS: cpu.map((x) => round(x, 2)),
    peakRssMb: rss.length ? round(Math.max(...rss) / 1024) : null,
    exitCodes: [...new Set(runs.map((s) => s.status))],
    stdoutBytes: runs[runs.length - 1].stdoutBytes,
  };
  if (t.summarize) {
    // A report the benchmark cannot read is shown as such: a peer that did not do its job must be visible.
    try {
      result.reported = t.summarize(readFileSync(io.stdout, 'utf8'), readFileSync(io.stderr, 'utf8'));
    } catch (e) {
      result.reported = `could not read its report: ${e.message}`;
    }
  }
  return result;
}

/** archlint / other, for wall time (median and min), CPU time and peak RSS; below 1 archlint uses less. */
function ratiosOf(a, p) {
  return {
    medianRatio: round(a.medianMs / p.medianMs, 3),
    minRatio: round(a.minMs / p.minMs, 3),
    cpuRatio: a.medianCpuS && p.medianCpuS ? round(a.medianCpuS / p.medianCpuS, 3) : null,
    rssRatio: a.peakRssMb && p.peakRssMb ? round(a.peakRssMb / p.peakRssMb, 3) : null,
  };
}

/**
 * The peers run one after another, each on its slice of the tree: wall and CPU times add up,
 * and the memory a machine needs is the largest peak among them.
 */
function peersSum(peers) {
  const sum = (xs) => xs.reduce((s, x) => s + x, 0);
  const cpu = peers.map((p) => p.medianCpuS);
  const rss = peers.map((p) => p.peakRssMb);
  return {
    name: "peers' sum",
    peers: peers.map((p) => p.name),
    medianMs: round(sum(peers.map((p) => p.medianMs))),
    minMs: round(sum(peers.map((p) => p.minMs))),
    medianCpuS: cpu.includes(null) ? null : round(sum(cpu), 2),
    peakRssMb: rss.includes(null) ? null : Math.max(...rss),
  };
}

/** A target's goals for archlint (max wall ms, max peak RSS MB, min speed-up over the peers' sum), checked. */
function checkGoals(goals, a, sum) {
  const out = [];
  if (goals.maxWallMs !== undefined) {
    out.push({
      goal: `median wall time at most ${goals.maxWallMs / 1000} s`,
      measured: `${(a.medianMs / 1000).toFixed(2)} s`,
      met: a.medianMs <= goals.maxWallMs,
    });
  }
  if (goals.maxRssMb !== undefined) {
    out.push({
      goal: `peak RSS at most ${goals.maxRssMb} MB`,
      measured: a.peakRssMb === null ? 'n/a' : `${a.peakRssMb} MB`,
      met: a.peakRssMb === null ? null : a.peakRssMb <= goals.maxRssMb,
    });
  }
  if (goals.minSpeedup !== undefined && sum) {
    const speedup = sum.medianMs / a.medianMs;
    out.push({
      goal: `at least ${goals.minSpeedup}× faster than the peers' sum`,
      measured: `${speedup.toFixed(2)}×`,
      met: speedup >= goals.minSpeedup,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.list) {
    console.log(listTargets());
    return 0;
  }
  if (!opts.target) usageError('which target?');
  const target = targets[opts.target];
  if (!target) usageError(`unknown target ${JSON.stringify(opts.target)}`);

  if (!existsSync(archlintBin)) {
    console.error(`bench: ${archlintBin} does not exist yet, so there is no archlint to measure.`);
    return 1;
  }

  const scratch = mkdtempSync(join(tmpdir(), 'archlint-bench-'));
  const ctx = makeContext(scratch);
  try {
    const plan = target.prepare(ctx);
    if (plan.skip) {
      if (opts.json) console.log(JSON.stringify({ target: opts.target, skipped: plan.skip }, null, 2));
      else console.log(`bench: skipping ${opts.target}: ${plan.skip}`);
      return 0;
    }
    const tools = [plan.archlint, ...plan.peers];
    const useTime = timeAvailable();
    const io = tools.map((t, i) => ({
      stdout: join(scratch, `${i}-${t.name}.out`),
      stderr: join(scratch, `${i}-${t.name}.err`),
      rss: join(scratch, `${i}-${t.name}.rss`),
      keepExtraCaCerts: opts.keepExtraCaCerts,
    }));
    const samples = tools.map(() => []);

    if (!opts.json) {
      console.log(`target  ${opts.target}: ${target.description}`);
      console.log(`input   ${plan.input}`);
      console.log(`runs    ${opts.runs} per tool, alternating, after 1 warm-up each`);
    }
    // Warm-up: once each, in the same order (fills the OS file cache, compiles nothing for later).
    tools.forEach((t, i) => {
      runOnce(t, io[i], useTime);
    });
    for (let r = 0; r < opts.runs; r++) {
      tools.forEach((t, i) => {
        samples[i].push(runOnce(t, io[i], useTime));
        if (!opts.json) process.stderr.write('.');
      });
    }
    if (!opts.json) process.stderr.write('\n');

    const results = tools.map((t, i) => summariseTool(t, samples[i], io[i]));
    const a = results[0];
    const ratios = results.slice(1).map((p) => ({ peer: p.name, ...ratiosOf(a, p) }));
    const report = {
      target: opts.target,
      description: target.description,
      input: plan.input,
      runs: opts.runs,
      warmup: 1,
      order: 'alternating',
      date: new Date().toISOString(),
      environment: {
        node: process.version,
        platform: platform(),
        arch: arch(),
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model?.trim(),
        rss: useTime ? `${TIME} %M` : 'n/a',
        cpu: useTime ? `${TIME} %U + %S` : 'n/a',
        extraCaCerts: process.env[EXTRA_CA_CERTS]
          ? opts.keepExtraCaCerts
            ? `kept (${process.env[EXTRA_CA_CERTS]})`
            : `unset for every tool (was ${process.env[EXTRA_CA_CERTS]})`
          : 'not set',
      },
      compare: plan.compare === 'sum' ? 'sum' : 'each',
      tools: results,
      ratios,
    };
    if (plan.compare === 'sum') {
      report.peersSum = peersSum(results.slice(1));
      report.sumRatio = ratiosOf(a, report.peersSum);
    }
    if (plan.goals) report.goals = checkGoals(plan.goals, a, report.peersSum);

    if (opts.json) console.log(JSON.stringify(report, null, 2));
    else printTable(report, useTime);
    if (opts.save) {
      const dir = join(benchDir, 'results');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${opts.target}-${report.date.replace(/[:.]/g, '-')}.json`);
      writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
      if (!opts.json) console.log(`saved   ${file}`);
    }
    return 0;
  } finally {
    ctx.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  }
}

function printTable(report, useTime) {
  const a = report.tools[0];
  const num = (x, d) => (x === null ? 'n/a' : x.toFixed(d));
  const row = (t, ratio) => [
    t.name,
    t.version ?? '',
    num(t.medianMs, 1),
    num(t.minMs, 1),
    num(t.medianCpuS, 2),
    num(t.peakRssMb, 1),
    t.exitCodes?.join(',') ?? '',
    ratio,
  ];
  const rows = [['tool', 'version', 'median ms', 'min ms', 'CPU s', 'peak RSS MB', 'exit', 'archlint/peer']];
  for (const t of report.tools) rows.push(row(t, t === a ? '' : `${(a.medianMs / t.medianMs).toFixed(2)}×`));
  const sum = report.peersSum;
  if (sum) rows.push(row(sum, `${report.sumRatio.medianRatio.toFixed(2)}×`));
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  console.log('');
  for (const [i, r] of rows.entries()) {
    if (sum && i === rows.length - 1) console.log(rule);
    console.log(
      r
        .map((cell, c) => (c === 0 || c === 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
        .join('  ')
        .trimEnd(),
    );
    if (i === 0) console.log(rule);
  }
  console.log('');
  const reported = report.tools.filter((t) => t.reported);
  if (reported.length) {
    const w = Math.max(...reported.map((t) => t.name.length));
    console.log('what each tool reported (last run):');
    for (const t of reported) console.log(`  ${t.name.padEnd(w)}  ${t.reported}`);
    console.log('');
  }
  if (sum) {
    const r = report.sumRatio;
    console.log(
      `archlint vs the peers' sum (${sum.peers.join(' + ')}): wall ${r.medianRatio.toFixed(2)}× ` +
        `(archlint ${(sum.medianMs / a.medianMs).toFixed(2)}× faster), CPU ${r.cpuRatio === null ? 'n/a' : `${r.cpuRatio.toFixed(2)}×`}, ` +
        `peak RSS ${r.rssRatio === null ? 'n/a' : `${r.rssRatio.toFixed(2)}×`}`,
    );
  }
  for (const g of report.goals ?? [])
    console.log(`goal    ${g.goal}: ${g.measured} ${g.met === null ? '(not measured)' : g.met ? 'met' : 'NOT met'}`);
  if (sum || report.goals?.length) console.log('');
  console.log(
    `node ${report.environment.node}, ${report.environment.platform} ${report.environment.arch}, ${report.environment.cpus} × ${report.environment.cpuModel}`,
  );
  if (report.environment.extraCaCerts !== 'not set')
    console.log(
      `${EXTRA_CA_CERTS}: ${report.environment.extraCaCerts} (Node parses that bundle at every start; --keep-extra-ca-certs keeps it)`,
    );
  console.log(
    'ratio = archlint median / peer median (below 1: archlint is faster). Exit 1 from a linter means it found problems.',
  );
  console.log('CPU s = median user + system time. Peak RSS = the largest of the runs.');
  if (sum)
    console.log(
      "peers' sum = the peers run one after another: medians and CPU times added up, peak RSS the largest of them.",
    );
  if (!useTime)
    console.log(`peak RSS and CPU n/a: ${TIME} (GNU time) is missing; install it with \`apt-get install time\`.`);
}

try {
  process.exitCode = main();
} catch (e) {
  if (e instanceof Failure) {
    console.error(`\nbench: ${e.message}`);
    process.exitCode = 1;
  } else throw e;
}
