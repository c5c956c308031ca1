import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
const { hasCandidate } = await import('./dist/rules/security/_lib/code.js');
const { findProviderSecrets } = await import('./dist/rules/security/_lib/providers.js');
const { findUrlPasswords } = await import('./dist/rules/security/_lib/urls.js');
const files = [];
(function walk(d){ for (const e of readdirSync(d,{withFileTypes:true})) { const p=join(d,e.name); if (e.isDirectory()) walk(p); else files.push(p);} })(process.argv[2]);
const contents = files.map(f=>readFileSync(f,'utf8'));
let t=performance.now(); let n=0; const ex=[];
for (const c of contents) if (hasCandidate(c)) { n++; if (ex.length<3) ex.push(c); }
console.log('candidates', n, performance.now()-t);
t=performance.now(); for (let i=0;i<contents.length;i++) findProviderSecrets(files[i], contents[i]); console.log('providers', performance.now()-t);
t=performance.now(); for (const c of contents) findUrlPasswords(c); console.log('urls', performance.now()-t);
