#!/usr/bin/env node
// The multi-framework corpus of issue 22: 13 real backends whose routes archlint extracts (Express,
// NestJS, Fastify, Hono, Koa, Next.js; ~6,700 code files), laid out at the commits pinned in
// bench/realworld/repos.json (by bench/realworld/prepare.mjs when a tree is missing). Measures, in one
// invocation over the 13 folders: `archlint lint` (all rules; per-input timings from --verbose) and
// `archlint routes`, each with wall time, CPU time and peak RSS (/usr/bin/time -v), next to the bare
// TypeScript parser over the same folders (bench/ts-parse.mjs). The bar: all rules ≤ 8 s and ≤ 800 MB;
// routes ≤ 1.5× the bare parse.
//
// Next to them, the peers a team runs on the same folders (bench/package.json; `cd bench && npm ci`): ESLint with
// @typescript-eslint/parser on the code and secretlint (recommend preset) on every file, each once, with their
// summaries, so a peer that linted nothing shows instead of looking fast. `--skip-peers` leaves them out.
//
//   node bench/speed/corpus.mjs [--trees /work/rw] [--mirrors /work/.mirror] [--archlint bin/archlint.js]
//     [--out /tmp/archlint-corpus] [--skip-prepare] [--skip-peers]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CORPUS } from './corpus-list.mjs';
import { summarizeEslint, summarizeSecretlint, writeEslintConfig } from '../scale.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    trees: { type: 'string' },
    mirrors: { type: 'string' },
    archlint: { type: 'string' },
    out: { type: 'string' },
    'skip-prepare': { type: 'boolean' },
    'skip-peers': { type: 'boolean' },
  },
});
export { CORPUS };
const trees = resolve(values.trees ?? process.env.ARCHLINT_REALWORLD_TREES ?? '/work/rw');
const archlint = resolve(values.archlint ?? join(here, '../../bin/archlint.js'));
const out = resolve(values.out ?? '/tmp/archlint-corpus');
mkdirSync(out, { recursive: true });
const names = CORPUS.map(([name]) => name);

if (!values['skip-prepare']) {
  const missing = names.filter((name) => !existsSync(join(trees, name)));
  if (missing.length > 0) {
    const args = [join(here, '../realworld/prepare.mjs'), '--trees', trees, '--only', missing.join(',')];
    if (values.mirrors) args.push('--mirrors', values.mirrors);
    const r = spawnSync('node', args, { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

function timed(argv, cwd) {
  const r = spawnSync('/usr/bin/time', ['-v', ...argv], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  return {
    stdout: r.stdout,
    stderr: r.stderr,
    seconds: wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : Number.NaN,
    cpu: Math.round((Number(user?.[1]) + Number(sys?.[1])) * 100) / 100,
    rssMb: rss ? Math.round(Number(rss[1]) / 1024) : Number.NaN,
  };
}
const strip = ({ stdout, stderr, ...figures }) => figures;
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

const result = { load: load(), trees: names, archlint };
const lint = timed(['node', archlint, 'lint', '--verbose', '--format', 'json', '--fail-on', 'never', ...names], trees);
writeFileSync(join(out, 'corpus.lint.json'), lint.stdout);
writeFileSync(join(out, 'corpus.lint.verbose.txt'), lint.stderr);
result.lint = strip(lint);
// Per-input and per-rule timings, as --verbose prints them ("archlint: input routes: 3652 ms").
result.inputs = {};
for (const match of lint.stderr.matchAll(/^archlint: (input|rule) ([^:]+): (\d+) ms$/gm))
  result.inputs[`${match[1]} ${match[2]}`] = Number(match[3]);
const routes = timed(['node', archlint, 'routes', '--format', 'json', ...names], trees);
writeFileSync(join(out, 'corpus.routes.json'), routes.stdout);
result.routes = strip(routes);
const parse = timed(['node', join(here, '../ts-parse.mjs'), ...names.map((name) => join(trees, name))], here);
result.bareParse = { ...strip(parse), ...JSON.parse(parse.stdout || '{}') };
result.routesOverParse = Math.round((result.routes.cpu / result.bareParse.cpu) * 100) / 100;
if (!values['skip-peers']) result.peers = runPeers();
result.load = `${result.load} → ${load()}`;
writeFileSync(join(out, 'corpus.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));

/** ESLint and secretlint over the same folders, as bench/targets.mjs runs them on the scale tree. */
function runPeers() {
  const benchDir = join(here, '..');
  const bin = (pkg, name) => {
    const manifest = join(benchDir, 'node_modules', pkg, 'package.json');
    if (!existsSync(manifest)) return undefined;
    const { bin: bins } = JSON.parse(readFileSync(manifest, 'utf8'));
    const rel = typeof bins === 'string' ? bins : bins?.[name];
    return rel ? join(dirname(manifest), rel) : undefined;
  };
  const eslint = bin('eslint', 'eslint');
  const secretlint = bin('secretlint', 'secretlint');
  if (!eslint || !secretlint) return { skipped: 'the peers are not installed: run `cd bench && npm ci`' };
  const config = writeEslintConfig(out, benchDir);
  const rc = join(out, '.secretlintrc.json');
  writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
  // ESLint ignores files outside its base path, the working folder when --config is given: run it from the trees.
  const es = timed(
    ['node', eslint, '--config', config, '--format', 'json', '--no-error-on-unmatched-pattern', ...names],
    trees,
  );
  const sl = timed(
    ['node', secretlint, '--secretlintrc', rc, '--format', 'json', '--no-color', ...names.map((n) => `${n}/**/*`)],
    trees,
  );
  const said = (summarize, stdout) => {
    try {
      return summarize(stdout);
    } catch {
      return `no report (${stdout.slice(0, 80)})`;
    }
  };
  const peers = {
    eslint: { ...strip(es), summary: said(summarizeEslint, es.stdout) },
    secretlint: { ...strip(sl), summary: said(summarizeSecretlint, sl.stdout) },
  };
  const sumCpu = peers.eslint.cpu + peers.secretlint.cpu;
  peers.sum = {
    cpu: Math.round(sumCpu * 100) / 100,
    seconds: Math.round((peers.eslint.seconds + peers.secretlint.seconds) * 100) / 100,
    rssMb: Math.max(peers.eslint.rssMb, peers.secretlint.rssMb),
  };
  // Above 1: archlint, all rules, takes less CPU than the two peers it stands beside.
  peers.archlintLintSpeedupCpu = Math.round((sumCpu / result.lint.cpu) * 100) / 100;
  return peers;
}
