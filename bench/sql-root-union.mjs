// `node bench/sql-root-union.mjs --trees /work/rw --only flowise,homarr,traduora:api`: issue 16's bar
// "a root run of a multi-dialect repository reports exactly what the per-folder runs report". For each
// repository (a laid-out tree), archlint lints the root once and each folder once (by default every
// folder named for a SQL dialect that holds migrations — `migrations/mysql/`, `prisma/sqlite/`…; or the
// folders given after a colon, `+`-separated), from the tree's root so paths compare. The SQL findings
// (db/*, core/parse-error and core/skipped-file on SQL or migration files) of the root run under those
// folders are compared with the union of the folder runs': it prints both counts, every finding only in
// one of them, and the wrong-dialect parse errors (a message naming a grammar other than the folder's).
// Exits 1 when a repository differs. Runs the built CLI (bin/archlint.js): `npm run build` first.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'bin', 'archlint.js');
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const trees = option('--trees') ?? '/work/rw';
const only = (option('--only') ?? '').split(',').filter(Boolean);
if (only.length === 0) {
  console.error('usage: node bench/sql-root-union.mjs --trees <dir> --only name[:folder+folder],…');
  process.exit(2);
}

const DIALECT_DIR =
  /^(postgres|postgresql|pg|pgsql|cockroachdb|mysql|mariadb|planetscale|sqlite3?|clickhouse|mssql|sqlserver|oracle)$/i;
const MIGRATION_FILE = /\.sql$|(?:^|\/)migrations?\/.*\.[cm]?[jt]s$/i;
const GRAMMAR = { PostgreSQL: 'postgres', MySQL: 'mysql', MariaDB: 'mariadb', SQLite: 'sqlite' };

/** Folders named for a dialect that hold migration files, below `dir` (node_modules and dot folders skipped). */
function dialectFolders(root, dir = root, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (!statSync(path).isDirectory()) continue;
    if (DIALECT_DIR.test(name) && holdsMigrations(path, root)) out.push(relative(root, path));
    else dialectFolders(root, path, out);
  }
  return out;
}

function holdsMigrations(dir, root) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && holdsMigrations(path, root)) return true;
    } else if (MIGRATION_FILE.test(relative(root, path).split('\\').join('/'))) return true;
  }
  return false;
}

function lint(cwd, target) {
  const child = spawnSync(process.execPath, [bin, 'lint', '--format', 'json', '--fail-on', 'never', target], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (child.status !== 0)
    throw new Error(`archlint ${target} in ${cwd} exited ${child.status}: ${child.stderr.slice(0, 400)}`);
  return JSON.parse(child.stdout).findings;
}

const isSql = (f) =>
  (f.ruleId.startsWith('db/') || f.ruleId === 'core/parse-error' || f.ruleId === 'core/skipped-file') &&
  f.file &&
  MIGRATION_FILE.test(f.file) &&
  !/Not a valid (?:Swagger|OpenAPI)/.test(f.message);
const key = (f) => `${f.ruleId} ${f.file}:${f.line ?? ''} ${f.message}`;
const under = (file, folders) => folders.some((folder) => file === folder || file.startsWith(`${folder}/`));

let failed = false;
for (const item of only) {
  const [name, given] = item.split(':');
  const root = join(trees, name);
  if (!existsSync(root)) {
    console.log(`${name}: no tree at ${root}; skipped`);
    continue;
  }
  const folders = given ? given.split('+') : dialectFolders(root);
  const started = performance.now();
  const whole = lint(root, '.').filter((f) => isSql(f) && under(f.file, folders));
  const parts = folders.flatMap((folder) => lint(root, folder).filter(isSql));
  const ms = Math.round(performance.now() - started);
  const a = new Set(whole.map(key));
  const b = new Set(parts.map(key));
  const onlyRoot = [...a].filter((k) => !b.has(k)).sort();
  const onlyParts = [...b].filter((k) => !a.has(k)).sort();
  // A parse error naming a grammar other than the one its folder is named for.
  const wrongDialect = whole.filter((f) => {
    if (f.ruleId !== 'core/parse-error') return false;
    const grammar = Object.keys(GRAMMAR).find((g) => f.message.startsWith(`${g} `));
    const folder = f.file.split('/').find((segment) => DIALECT_DIR.test(segment));
    if (!grammar || !folder) return false;
    const want = folder
      .toLowerCase()
      .replace(/^(postgresql|pg|pgsql|cockroachdb)$/, 'postgres')
      .replace(/^planetscale$/, 'mysql')
      .replace(/^sqlite3$/, 'sqlite');
    return GRAMMAR[grammar] !== want;
  });
  const same = onlyRoot.length === 0 && onlyParts.length === 0;
  if (!same) failed = true;
  console.log(
    `${name}: ${folders.length} folder(s) [${folders.join(', ')}]; root ${a.size} SQL finding(s), folders ${b.size}; ` +
      `${same ? 'same' : 'DIFFERENT'}; parse errors ${whole.filter((f) => f.ruleId === 'core/parse-error').length} ` +
      `(wrong grammar ${wrongDialect.length}); ${ms} ms`,
  );
  for (const k of onlyRoot) console.log(`  only in the root run:    ${k}`);
  for (const k of onlyParts) console.log(`  only in a folder's run:  ${k}`);
  for (const f of wrongDialect) console.log(`  wrong grammar: ${key(f)}`);
}
process.exit(failed ? 1 : 0);
