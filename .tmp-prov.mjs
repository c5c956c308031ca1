import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
const { PROVIDER_FORMATS } = await import('./dist/rules/security/_lib/providers.js');
const files = [];
(function walk(d){ for (const e of readdirSync(d,{withFileTypes:true})) { const p=join(d,e.name); if (e.isDirectory()) walk(p); else files.push(p);} })(process.argv[2]);
const contents = files.map(f=>readFileSync(f,'utf8'));
const rows=[];
for (const f of PROVIDER_FORMATS) { let t=performance.now(); let hinted=0;
  for (const c of contents) { const h = typeof f.hint==='string'? c.includes(f.hint): f.hint.test(c); if (h) { hinted++; f.pattern.lastIndex=0; for (const m of c.matchAll(f.pattern)); } }
  rows.push([f.label, hinted, (performance.now()-t).toFixed(1)]); }
console.table(rows);
