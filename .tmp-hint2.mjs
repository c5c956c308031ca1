import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
const files = [];
(function walk(d){ for (const e of readdirSync(d,{withFileTypes:true})) { const p=join(d,e.name); if (e.isDirectory()) walk(p); else files.push(p);} })(process.argv[2]);
const contents = files.map(f=>readFileSync(f,'utf8'));
const H1 = /A(?:KIA|SIA|3T|Iza)|[sS]ecret_?[aA]ccess|SECRET_?ACCESS|gh[pousr]_|github_pat_|gl(?:pat|dt|rt|ptt|ft|soat|cbt|imt|agent|c|sa)[-_]|x(?:ox[baprose]|app)-|hooks\.slack|[sr]k_(?:live|test)_|sk-|whsec_|SG\.|SK[0-9a-f]|npm_|:_(?:auth|password)|gsk_|hf_|lin_api_|ntn_|shp(?:at|ca|pa|ss)_|ops_ey|hv[sbr]\.|vc[pickr]_|dapi|dckr_|figd_|cf(?:k|ut|at)_|tskey-|eyJ|PRIVATE KEY/g;
const H2 = /[_\-.]/g;
const H3 = /[A-Za-z0-9_+\/=-]{20,}/g;
for (let k=0;k<3;k++){
for (const [name,H] of [['H1',H1],['H3',H3]]) {
let t=performance.now(); let n=0;
for (const c of contents) { H.lastIndex=0; for (const m of c.matchAll(H)) n++; }
console.log(name, n, (performance.now()-t).toFixed(1));
}}
