#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof) as text: self time by function and by file, and
// inclusive time of the heaviest frames, so a flame graph's findings can be kept in bench/ without the
// multi-megabyte profile.   node bench/speed/profile-summary.mjs run.cpuprofile [top=30]
import { readFileSync } from 'node:fs';

const [path, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(path, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...dt.values()].reduce((a, b) => a + b, 0);
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n) => {
  const f = n.callFrame;
  const file = (f.url || '').replace(/^.*\/(node_modules\/[^/]+|dist\/[^/]+|src)\//, '$1/');
  return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
};
const self = new Map();
const selfFile = new Map();
const inclusive = new Map();
for (const [id, t] of dt) {
  const n = byId.get(id);
  self.set(label(n), (self.get(label(n)) ?? 0) + t);
  const file = (n.callFrame.url || '(native)').replace(/^.*\//, '');
  selfFile.set(file, (selfFile.get(file) ?? 0) + t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur));
    if (seen.has(l)) continue;
    seen.add(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + t);
  }
}
const ms = (t) => `${(t / 1000).toFixed(0).padStart(6)} ms ${((t / total) * 100).toFixed(1).padStart(5)} %`;
const print = (title, map) => {
  console.log(`\n## ${title}`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(v)}  ${k}`);
};
console.log(`total sampled: ${(total / 1000).toFixed(0)} ms`);
print('self time by function', self);
print('self time by file', selfFile);
print('inclusive time by function', inclusive);
