import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
const files = [];
(function walk(d){ for (const e of readdirSync(d,{withFileTypes:true})) { const p=join(d,e.name); if (e.isDirectory()) walk(p); else files.push(p);} })(process.argv[2]);
const contents = files.map(f=>readFileSync(f,'utf8'));
const H = /AKIA|ASIA|A3T|secret_?access_?key|AIza|gh[pousr]_|github_pat_|gl(?:pat|dt|rt|ptt|ft|soat|cbt|imt|agent)-|xox[baprose]-|xapp-|hooks\.slack\.com|[sr]k_(?:live|test)_|whsec_|SG\.|SK[0-9a-f]|npm_|:_(?:authToken|auth|password)|sk-|gsk_|hf_|lin_api_|ntn_|shp(?:at|ca|pa|ss)_|gl(?:c|sa)_|ops_ey|hv[sbr]\.|vc[pickr]_|dapi|dckr_pat_|figd_|cf(?:k|ut|at)_|tskey-|eyJ|PRIVATE KEY/gi;
for (let k=0;k<3;k++){
let t=performance.now(); let n=0;
for (const c of contents) { H.lastIndex=0; for (const m of c.matchAll(H)) n++; }
console.log('combined', n, performance.now()-t);
t=performance.now(); n=0;
for (const c of contents) { if (c.includes('://')) n++; }
console.log('includes', n, performance.now()-t);
}
