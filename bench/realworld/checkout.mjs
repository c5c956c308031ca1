#!/usr/bin/env node
// Lays out the tree of one commit of a bare git mirror into a folder, skipping blobs the mirror
// lacks (snapshots from the search tool's `fetch` leave out files of 4 MiB and more, and LFS
// content; `git archive` stops at the first missing blob).
// Usage: node checkout.mjs <git-dir> <commit> <dest>
import { spawnSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [gitDir, commit, dest] = process.argv.slice(2);
if (!gitDir || !commit || !dest) {
  console.error('usage: node checkout.mjs <git-dir> <commit> <dest>');
  process.exit(2);
}
const ls = spawnSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', commit], { maxBuffer: 1 << 30 });
if (ls.status !== 0) {
  console.error(ls.stderr.toString().trim());
  process.exit(2);
}
const entries = ls.stdout
  .toString('utf8')
  .split('\0')
  .filter(Boolean)
  .map((line) => {
    const tab = line.indexOf('\t');
    const [mode, type, sha] = line.slice(0, tab).split(' ');
    return { mode, type, sha, path: line.slice(tab + 1) };
  })
  .filter((e) => e.type === 'blob' && e.mode !== '120000');

// One `git cat-file --batch` process for every blob: "<sha> blob <size>\n<bytes>\n" or "<sha> missing\n".
const cat = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
let buffer = Buffer.alloc(0);
let index = 0;
let missing = 0;
cat.stdout.on('data', (chunk) => {
  buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
  for (;;) {
    const nl = buffer.indexOf(10);
    if (nl < 0) return;
    const header = buffer.subarray(0, nl).toString();
    if (header.endsWith(' missing')) {
      missing++;
      index++;
      buffer = buffer.subarray(nl + 1);
      continue;
    }
    const size = Number(header.split(' ')[2]);
    if (buffer.length < nl + 1 + size + 1) return;
    const entry = entries[index++];
    const file = join(dest, entry.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, buffer.subarray(nl + 1, nl + 1 + size));
    buffer = buffer.subarray(nl + 1 + size + 1);
  }
});
cat.on('close', () => {
  console.log(
    `${entries.length - missing} files written to ${dest}${missing ? `, ${missing} missing from the mirror` : ''}`,
  );
});
cat.stdin.end(`${entries.map((e) => e.sha).join('\n')}\n`);
if (!existsSync(dest)) mkdirSync(dest, { recursive: true });
