import { readFileSync } from 'node:fs';
const { looksLikeSecret } = await import('./dist/rules/security/_lib/values.js');
const c = readFileSync(process.argv[2], 'utf8');
const re = /(["'`])([^"'`\s\\]{8,4096})\1/g;
for (const m of c.matchAll(re)) if (looksLikeSecret(m[2], 'sink')) console.log(JSON.stringify(m[2]), JSON.stringify(c.slice(Math.max(0,m.index-160), m.index).slice(-60)));
