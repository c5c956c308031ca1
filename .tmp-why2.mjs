import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
const { looksLikeSecret } = await import('./dist/rules/security/_lib/values.js');
const files = [];
(function walk(d){ for (const e of readdirSync(d,{withFileTypes:true})) { const p=join(d,e.name); if (e.isDirectory()) walk(p); else files.push(p);} })(process.argv[2]);
const CONTEXT_WORDS = /pass|pwd|secret|token|key|credential|auth|bearer|sign|verify|hmac|cipher|cookie|session|strategy|process\.env|import\.meta\.env|\.env\b|\?\?|\|\|/i; const SINK_WORDS = /secret|pass|key|sign|verify|hmac|cipher|cookie|session|strategy/i;
const counts = {};
for (const f of files) { const c = readFileSync(f,'utf8');
for (const m of c.matchAll(/(["'`])([^"'`\s\\]{8,4096})\1/g)) { let ls=c.lastIndexOf('\n',m.index-1)+1; if (c.slice(ls,m.index).trim()==='') ls=c.lastIndexOf('\n',ls-2)+1; const pre=c.slice(ls,m.index); if (CONTEXT_WORDS.test(pre) && looksLikeSecret(m[2], SINK_WORDS.test(pre)?"sink":"named") && !/(?:\bfrom|\bimport|\brequire\s*\()\s*$/.test(pre)) { const k=pre.trim().slice(-40)+' '+m[2]; counts[k]=(counts[k]||0)+1; break; } } }
console.log(Object.entries(counts).sort((a,b)=>b[1]-a[1]).slice(0,15));
