#!/usr/bin/env node
// The multi-framework corpus of issue 22: 13 real backends whose routes archlint extracts (Express,
// NestJS, Fastify, Hono, Koa, Next.js; ~6,700 code files), laid out at the commits pinned in
// bench/realworld/repos.json (by bench/realworld/prepare.mjs when a tree is missing). Measures, in one
// invocation over the 13 folders: `archlint lint` (all rules; per-input timings from --verbose) and
// `archlint routes`, each with wall time, CPU time and peak RSS (/usr/bin/time -v), next to the bare
// TypeScript parser over the same folders (bench/ts-parse.mjs). The bar: all rules ≤ 8 s and ≤ 800 MB;
// routes ≤ 1.5× the bare parse.
//
//   node bench/speed/corpus.mjs [--trees /work/rw] [--mirrors /work/.mirror] [--archlint bin/archlint.js]
//     [--out /tmp/archlint-corpus] [--skip-prepare]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CORPUS } from './corpus-list.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    trees: { type: 'string' },
    mirrors: { type: 'string' },
    archlint: { type: 'string' },
    out: { type: 'string' },
    'skip-prepare': { type: 'boolean' },
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
result.load = `${result.load} → ${load()}`;
writeFileSync(join(out, 'corpus.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
