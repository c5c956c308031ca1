#!/usr/bin/env node
// Lays out every repository of repos.json at its pinned commit under the trees folder.
//   node prepare.mjs [--trees DIR] [--mirrors DIR] [--only a,b]
// With --mirrors, a bare mirror <DIR>/<owner>+<name>/repo is used (as the search tool's `fetch`
// leaves them); otherwise `git clone --filter=blob:none` from GitHub, then a checkout of the commit.
// A tree that already exists is left alone.
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: { trees: { type: 'string' }, mirrors: { type: 'string' }, only: { type: 'string' } },
});
const trees = resolve(values.trees ?? process.env.ARCHLINT_REALWORLD_TREES ?? join(here, 'trees'));
const only = values.only ? new Set(values.only.split(',')) : undefined;
const { repos } = JSON.parse(readFileSync(join(here, 'repos.json'), 'utf8'));

for (const repo of repos) {
  if (only && !only.has(repo.name)) continue;
  const dest = join(trees, repo.name);
  if (existsSync(dest)) {
    console.log(`${repo.name}: ${dest} exists`);
    continue;
  }
  const mirror = values.mirrors && join(values.mirrors, repo.repo.replace('/', '+'), 'repo');
  if (mirror && existsSync(mirror)) {
    run('node', [join(here, 'checkout.mjs'), mirror, repo.commit, dest]);
  } else {
    run('git', [
      'clone',
      '--quiet',
      '--filter=blob:none',
      '--no-checkout',
      `https://github.com/${repo.repo}.git`,
      dest,
    ]);
    run('git', ['-C', dest, 'checkout', '--quiet', repo.commit]);
  }
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
