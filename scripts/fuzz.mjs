// `node scripts/fuzz.mjs --minutes N [--seed S] [--out DIR] [--timeout-ms T] [--max-bytes B]`
//
// Mutates real input files — ../shared/corpus (when present) and fixtures/ — and runs the whole
// engine with every rule over each mutant, in a mini-repo of its own. Mutations: byte flips,
// truncation, duplicated ranges, and insertions of quotes, dollar quotes, brackets, `$ref`s (to
// http URLs, to ../ and absolute paths outside the repo, to themselves), NULs, BOMs and CRLFs.
// A canary file with a unique string sits beside every mini-repo, outside its root.
//
// Reported, with the seed and the input saved under --out for reproduction:
//   crash  an exception escaping lint() or a reporter, or a core/internal-error finding
//   hang   a run over --timeout-ms (the engine runs in a worker thread that is then terminated)
//   leak   the canary's string in any report format
// Exits 1 when any was found. Needs the built CLI (`npx tsc -p tsconfig.build.json`).
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const CANARY = 'ARCHLINT-FUZZ-CANARY-b41d7e0c';

// ---------------------------------------------------------------------------------------------
// Worker: lint one mini-repo per message, render every report format, answer with what happened.

async function runWorker() {
  const { lint } = await import(join(repoRoot, 'dist/src/engine/run.js'));
  const { rules } = await import(join(repoRoot, 'dist/rules/index.js'));
  const { reporters, FORMAT_NAMES } = await import(join(repoRoot, 'dist/src/reporters/index.js'));
  parentPort.on('message', async ({ id, dir }) => {
    try {
      const { result } = await lint({ cwd: dir, paths: ['.'], loaded: { config: {}, baseDir: dir }, rules });
      const internal = result.findings.filter((f) => f.ruleId === 'core/internal-error').map((f) => f.message);
      const leaked = FORMAT_NAMES.filter((format) => reporters[format](result, { color: false }).includes(CANARY));
      parentPort.postMessage({ id, ok: true, internal, leaked, findings: result.findings.length });
    } catch (error) {
      parentPort.postMessage({
        id,
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  });
  parentPort.postMessage({ ready: true });
}

// ---------------------------------------------------------------------------------------------
// Main thread: choose, mutate, run with a time limit, record.

async function runFuzzer() {
  const args = parseArgs(process.argv.slice(2));
  const minutes = Number(args.minutes ?? 1);
  const seed = Number(args.seed ?? Date.now() % 2 ** 31);
  const timeoutMs = Number(args['timeout-ms'] ?? 30_000);
  const maxBytes = Number(args['max-bytes'] ?? 512 * 1024);
  const out = args.out ?? join(tmpdir(), `archlint-fuzz-${seed}`);
  if (!existsSync(join(repoRoot, 'dist/src/engine/run.js'))) {
    console.error('fuzz: dist/ is missing; build first with `npx tsc -p tsconfig.build.json`.');
    process.exit(2);
  }

  const sources = inputFiles(maxBytes);
  if (sources.length === 0) {
    console.error('fuzz: no input files found.');
    process.exit(2);
  }
  const random = mulberry32(seed);
  const work = join(tmpdir(), `archlint-fuzz-work-${process.pid}`);
  mkdirSync(out, { recursive: true });
  console.log(
    `fuzz: seed ${seed}, ${minutes} min, ${sources.length} source files, timeout ${timeoutMs} ms, findings saved to ${out}`,
  );

  const worker = new EngineWorker(timeoutMs);
  const deadline = Date.now() + minutes * 60_000;
  const counts = { tried: 0, crashes: 0, hangs: 0, leaks: 0, findings: 0 };
  const slowest = { ms: 0, input: '' };
  try {
    while (Date.now() < deadline) {
      const source = sources[Math.floor(random() * sources.length)];
      const original = readFileSync(source.abs);
      const { bytes, steps } = mutate(original, random, source.rel, outsideRefs(source.rel));
      const n = counts.tried++;
      const dir = join(work, `case-${n}`);
      const repo = join(dir, 'repo');
      const inRepo = join(repo, source.rel);
      mkdirSync(dirname(inRepo), { recursive: true });
      writeFileSync(inRepo, bytes);
      // Outside the root: nothing may ever read it. Inside: a $ref target a mutation may point at.
      writeFileSync(
        join(dir, 'canary.yaml'),
        `description: ${CANARY}\ncontent: {application/json: {schema: {type: object, properties: {${CANARY}: {type: array, items: {type: string}}}}}}\n`,
      );
      // A link inside the repo that leads to it: discovery must skip it and no $ref may follow it.
      symlinkSync(join(dir, 'canary.yaml'), join(repo, 'link.yaml'));
      const started = performance.now();
      const outcome = await worker.run(repo);
      const ms = Math.round(performance.now() - started);
      if (ms > slowest.ms) Object.assign(slowest, { ms, input: `${source.rel} (${steps.join(', ')})` });
      const problems = [];
      if (outcome.hang) problems.push(['hang', `no result after ${timeoutMs} ms`]);
      else if (!outcome.ok) problems.push(['crash', outcome.error]);
      else {
        counts.findings += outcome.findings;
        if (outcome.internal.length > 0)
          problems.push(['crash', `core/internal-error: ${outcome.internal.join(' | ')}`]);
        if (outcome.leaked.length > 0) problems.push(['leak', `canary in ${outcome.leaked.join(', ')}`]);
      }
      for (const [kind, detail] of problems) {
        counts[kind === 'crash' ? 'crashes' : kind === 'hang' ? 'hangs' : 'leaks']++;
        const saved = join(out, `${kind}-${seed}-${n}`);
        mkdirSync(dirname(join(saved, source.rel)), { recursive: true });
        writeFileSync(join(saved, source.rel), bytes);
        writeFileSync(
          join(saved, 'REPORT.txt'),
          `${kind}: ${detail}\nseed ${seed}, input #${n}\nsource ${source.abs}\nmutations: ${steps.join(', ')}\n`,
        );
        console.log(
          `fuzz: ${kind} on input #${n} (${source.rel}; ${steps.join(', ')}): ${String(detail).split('\n')[0]} — saved to ${saved}`,
        );
      }
      rmSync(dir, { recursive: true, force: true });
      if (counts.tried % 50 === 0)
        console.log(
          `fuzz: ${counts.tried} inputs, ${counts.crashes} crashes, ${counts.hangs} hangs, ${counts.leaks} leaks`,
        );
    }
  } finally {
    await worker.close();
    rmSync(work, { recursive: true, force: true });
  }
  console.log(
    `\nfuzz: seed ${seed}: ${counts.tried} inputs tried, ${counts.crashes} crashes, ${counts.hangs} hangs, ${counts.leaks} leaks ` +
      `(${counts.findings} findings in all; slowest ${slowest.ms} ms: ${slowest.input})`,
  );
  process.exit(counts.crashes + counts.hangs + counts.leaks > 0 ? 1 : 0);
}

/** One worker thread at a time; one that runs over the limit is terminated and replaced. */
class EngineWorker {
  constructor(timeoutMs) {
    this.timeoutMs = timeoutMs;
    this.next = 0;
  }

  async start() {
    this.worker = new Worker(fileURLToPath(import.meta.url));
    this.pending = new Map();
    this.worker.on('message', (message) => this.pending.get(message.id)?.(message));
    this.worker.on('error', (error) => {
      for (const resolve of this.pending.values())
        resolve({ ok: false, error: `worker died: ${error.stack ?? error}` });
      this.pending.clear();
      this.worker = undefined;
    });
    await new Promise((resolve) => this.worker.once('message', resolve));
  }

  async run(dir) {
    if (!this.worker) await this.start();
    const id = this.next++;
    return new Promise((resolve) => {
      const timer = setTimeout(async () => {
        this.pending.delete(id);
        const worker = this.worker;
        this.worker = undefined;
        await worker?.terminate();
        resolve({ hang: true });
      }, this.timeoutMs);
      this.pending.set(id, (message) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(message);
      });
      this.worker.postMessage({ id, dir });
    });
  }

  async close() {
    await this.worker?.terminate();
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs and mutations.

function inputFiles(maxBytes) {
  const roots = [join(repoRoot, 'fixtures'), join(repoRoot, '..', 'shared', 'corpus')].filter((dir) => existsSync(dir));
  const files = [];
  const walk = (dir, root) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git') walk(abs, root);
      } else if (
        entry.isFile() &&
        /\.(ya?ml|json|sql|[cm]?[jt]sx?|env)$/i.test(entry.name) &&
        statSync(abs).size <= maxBytes
      ) {
        // Keep the last two folders: a migration stays in a `migrations` folder, a route file in `src/`.
        files.push({ abs, rel: relative(root, abs).split('/').slice(-3).join('/') });
      }
    }
  };
  for (const root of roots) walk(root, root);
  return files;
}

const INSERTIONS = [
  "'",
  '"',
  '`',
  '$$',
  '$tag$',
  "E'",
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ';',
  '\n',
  '\r\n',
  '\r',
  '\0',
  '\uFEFF',
  '\t',
  '\n$ref: "http://127.0.0.1:9/x.yaml"\n',
  '{"$ref": "../canary.yaml"}',
  '$ref: "../canary.yaml"',
  '{$ref: "#/"}',
  '$ref: "#"',
  '$ref: "%ZZ"',
  `{"$ref": "${'/'}..${'/'}..${'/'}canary.yaml#/description"}`,
  '*alias',
  '&anchor ',
  '<<: *a\n',
  '-- archlint-disable-next-line\n',
  '// archlint-disable-file\n',
  '/*',
  '*/',
  '--',
  '${',
  '\\',
  '\u202e',
  '\x1b[2J',
];

/** From the mutated file's folder: the canary beside the repo (relative and absolute), the link to it, a remote URL. */
function outsideRefs(rel) {
  const up = '../'.repeat(rel.split('/').length - 1);
  return [
    `${up}../canary.yaml`,
    `${up}link.yaml`,
    `${up}../canary.yaml#/content`,
    '/etc/hostname',
    'https://127.0.0.1:9/r.yaml',
    'file:///etc/hostname',
  ];
}

/** 1–4 mutation steps; each is named, so a saved case says how it was made. */
function mutate(original, random, rel, refs) {
  let bytes = Buffer.from(original);
  const steps = [];
  const count = 1 + Math.floor(random() * 4);
  const at = () => Math.floor(random() * (bytes.length + 1));
  for (let i = 0; i < count; i++) {
    const kind = Math.floor(random() * 7);
    if (kind === 0 && bytes.length > 0) {
      const n = 1 + Math.floor(random() * 8);
      for (let k = 0; k < n; k++) bytes[Math.min(at(), bytes.length - 1)] = Math.floor(random() * 256);
      steps.push(`flip ${n} bytes`);
    } else if (kind === 1) {
      const cut = at();
      bytes = bytes.subarray(0, cut);
      steps.push(`truncate at ${cut}`);
    } else if (kind === 2 && bytes.length > 0) {
      const start = at();
      const end = Math.min(bytes.length, start + Math.floor(random() * 2000));
      const times = 1 + Math.floor(random() * (random() < 0.1 ? 500 : 5));
      const where = at();
      bytes = Buffer.concat([
        bytes.subarray(0, where),
        ...Array(times).fill(bytes.subarray(start, end)),
        bytes.subarray(where),
      ]);
      steps.push(`duplicate ${end - start} bytes ×${times}`);
    } else if (kind === 3) {
      const text = INSERTIONS[Math.floor(random() * INSERTIONS.length)];
      const times = random() < 0.15 ? 1 + Math.floor(random() * 5000) : 1;
      const where = at();
      bytes = Buffer.concat([bytes.subarray(0, where), Buffer.from(text.repeat(times)), bytes.subarray(where)]);
      steps.push(`insert ${JSON.stringify(text)}${times > 1 ? ` ×${times}` : ''}`);
    } else if (kind === 4) {
      bytes = Buffer.from(bytes.toString('latin1').replace(/\n/g, '\r\n'), 'latin1');
      steps.push('LF → CRLF');
    } else if (kind === 5) {
      bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
      steps.push('BOM');
    } else {
      // An outside reference where a YAML/JSON value goes, in the file's own syntax.
      const ref = refs[Math.floor(random() * refs.length)];
      const text = /\.json$/i.test(rel) ? `{"$ref": ${JSON.stringify(ref)}}` : `{$ref: ${JSON.stringify(ref)}}`;
      const where = nearValue(bytes, at());
      bytes = Buffer.concat([bytes.subarray(0, where), Buffer.from(text), bytes.subarray(where)]);
      steps.push(`$ref ${ref}`);
    }
  }
  return { bytes, steps };
}

/** Just after the next `: ` (YAML) or `":` (JSON) from `from`, so an inserted $ref often lands as a value. */
function nearValue(bytes, from) {
  const colon = bytes.indexOf(':', from);
  return colon < 0 ? from : colon + 1;
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([\w-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) continue;
    args[match[1]] = match[2] ?? argv[++i];
  }
  return args;
}

// Last, so the class and helpers above are initialised before either side starts.
if (!isMainThread) await runWorker();
else await runFuzzer();
