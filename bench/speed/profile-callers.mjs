#!/usr/bin/env node
// Who calls a function in a V8 .cpuprofile (node --cpu-prof): its inclusive time grouped by the chain of callers
// above its innermost frame, e.g. which walks asked for the parses.   node bench/speed/profile-callers.mjs run.cpuprofile parse [depth=4]
import { readFileSync } from 'node:fs';
const [path, fn, depthArg] = process.argv.slice(2);
const depth = Number(depthArg ?? 4);
const p = JSON.parse(readFileSync(path, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = new Map();
for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
const lab = (n) => `${n.callFrame.functionName || '(anon)'}@${(n.callFrame.url || '').split('/').slice(-1)[0]}:${n.callFrame.lineNumber + 1}`;
const agg = new Map();
for (const [id, t] of dt) {
  // The innermost frame of that name.
  let cur = id, hit;
  while (cur !== undefined) { const n = byId.get(cur); if (n.callFrame.functionName === fn) { hit = cur; break; } cur = parent.get(cur); }
  if (hit === undefined) continue;
  const chain = [];
  let c = parent.get(hit);
  while (c !== undefined && chain.length < depth) { chain.push(lab(byId.get(c))); c = parent.get(c); }
  const k = chain.join(' < ');
  agg.set(k, (agg.get(k) ?? 0) + t);
}
const rows = [...agg].sort((a, b) => b[1] - a[1]).slice(0, 25);
for (const [k, t] of rows) console.log(`${Math.round(t / 1000)} ms  ${k}`);
