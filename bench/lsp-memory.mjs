// Memory and check time of a long-running `archlint lsp` over many edits (issue 20's bar: memory stays
// flat over 1,000 edits). Copies a tree (default: fixtures/demo) to a temporary folder, opens one of its
// migrations, and sends `--edits` full-text changes; after every `--every` edits it waits for the
// diagnostics of that edit (so checks really run, not only debounce), and every `--sample` edits it reads
// the server's resident memory (VmRSS of /proc/<pid>/status, Linux). Prints the curve and the median
// check time; `--json` prints them as JSON. A code file (`--file REL.ts`) is edited the same way, every other
// edit adding a hard-coded key (a security/no-hardcoded-secrets finding), so a code edit's cost is measured too.
//
//   node bench/lsp-memory.mjs [--tree DIR] [--file REL.sql|REL.ts] [--edits 1000] [--every 10] [--sample 100]
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const { values } = parseArgs({
  options: {
    tree: { type: 'string', default: join(repo, 'fixtures/demo') },
    file: { type: 'string', default: 'db/migrations/20240129160000_add_refund_lines.sql' },
    edits: { type: 'string', default: '1000' },
    every: { type: 'string', default: '10' },
    sample: { type: 'string', default: '100' },
    json: { type: 'boolean', default: false },
  },
});
const edits = Number(values.edits);
const every = Number(values.every);
const sampleEvery = Number(values.sample);
const bin = process.env.ARCHLINT_BIN ?? join(repo, 'bin/archlint.js');

const dir = mkdtempSync(join(tmpdir(), 'archlint-lsp-memory-'));
cpSync(values.tree, dir, { recursive: true });
const child = spawn(process.execPath, [bin, 'lsp', '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'inherit'] });
const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
let publications = 0;
const waiters = [];
/** The last diagnostics published for each URI. */
const latest = new Map();
connection.onNotification('textDocument/publishDiagnostics', (params) => {
  publications++;
  latest.set(params.uri, params.diagnostics);
  for (const wake of waiters.splice(0)) wake();
});
connection.listen();

const rssMb = () => {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
};
/** The server's CPU time so far (user + system, ms; Linux): on a shared machine, steadier than wall time. */
const cpuMs = () => {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};
/**
 * Resolves once the edited file's diagnostics show edit `i`: a check publishes every file with findings (one
 * notification each), so "the next publication" may be the tail of an earlier check. An edit that adds a finding
 * puts it on a line of its own (the appended lines vary with `i`); one that does not leaves none past the original.
 */
const showsEdit = (uri, firstAppended, line) =>
  new Promise((done) => {
    const check = () => {
      const appended = (latest.get(uri) ?? []).filter((d) => d.range.start.line >= firstAppended);
      const shown = line === undefined ? appended.length === 0 : appended.some((d) => d.range.start.line === line);
      if (shown) done();
      else waiters.push(check);
    };
    waiters.push(check);
  });
/** Resolves at the next publication after `count`. */
const publishedAfter = (count) =>
  new Promise((done) => {
    const check = () => (publications > count ? done() : waiters.push(check));
    check();
  });

await connection.sendRequest('initialize', {
  processId: process.pid,
  rootUri: pathToFileURL(dir).href,
  capabilities: {},
  workspaceFolders: null,
});
await connection.sendNotification('initialized', {});
const uri = pathToFileURL(join(dir, values.file)).href;
const original = readFileSync(join(dir, values.file), 'utf8');
const isSql = values.file.endsWith('.sql');
const count = publications;
await connection.sendNotification('textDocument/didOpen', {
  textDocument: { uri, languageId: isSql ? 'sql' : 'typescript', version: 1, text: original },
});
await publishedAfter(count);

// The check started by `initialized` may still be publishing: let it finish before the first edit.
await new Promise((settled) => setTimeout(settled, 1000));
const originalLines = original.split('\n').length;
const curve = [{ edits: 0, rssMb: rssMb() }];
const checks = [];
const cpus = [];
for (let i = 1; i <= edits; i++) {
  // Alternate between adding a finding (an unindexed foreign key, a hard-coded key) and not, so findings really
  // change; the edits waited for add one, on a line that moves from one waited-for edit to the next.
  const adds = i % 2 === every % 2;
  const line = (i + Math.floor(i / 10)) % 10;
  const padding = '\n'.repeat(line);
  const extra = isSql
    ? adds
      ? `\n${padding}CREATE TABLE bench_${i % 7} (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));\n`
      : `\n-- edit ${i}\n`
    : adds
      ? `\n${padding}export const stripeKey${i % 7} = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc${i % 7}Qx';\n`
      : `\n// edit ${i}\n`;
  const shown = showsEdit(uri, originalLines, adds ? originalLines + line : undefined);
  const started = performance.now();
  const cpuStarted = cpuMs();
  await connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: i + 1 },
    contentChanges: [{ text: original + extra }],
  });
  if (i % every === 0) {
    await shown;
    checks.push(performance.now() - started);
    cpus.push(cpuMs() - cpuStarted);
  }
  if (i % sampleEvery === 0) curve.push({ edits: i, rssMb: rssMb() });
}
connection.dispose();
child.kill();
rmSync(dir, { recursive: true, force: true });

const sorted = [...checks].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
const cpuMedian = [...cpus].sort((a, b) => a - b)[Math.floor(cpus.length / 2)] ?? 0;
const result = {
  tree: values.tree,
  edits,
  checks: checks.length,
  medianCheckMs: Math.round(median),
  medianCheckCpuMs: Math.round(cpuMedian),
  curve,
};
if (values.json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(
    `${edits} edits, ${checks.length} waited-for checks, median edit→diagnostics ${Math.round(median)} ms (server CPU ${Math.round(cpuMedian)} ms)`,
  );
  console.log('edits  RSS MB');
  for (const point of curve) console.log(`${String(point.edits).padStart(5)}  ${point.rssMb.toFixed(1)}`);
}
