// `node scripts/sql-corpus-report.mjs [--json]`: the SQL input and the db rules over every folder of
// ../shared/corpus/sql. Per folder: migration histories found, dialects, statements parsed / split
// (the parse share), foreign keys in the final state and how many db/indexed-foreign-keys flags,
// and the other db rules' counts. Exits 1 on a core/internal-error or a crash; skips cleanly when
// the corpus is absent. Runs the built code (dist/): `npx tsc -p tsconfig.build.json` first.
// `--dirs a,b` reads those folders instead (real histories outside the corpus: laid-out trees). The
// "by dialect" column counts each file once per dialect it is read in (a file shared by a root's
// postgres/ and mysql/ histories, or a TypeORM class with a branch per engine, counts in each).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const corpus = join(repo, '..', 'shared', 'corpus', 'sql');
const asJson = process.argv.includes('--json');
const dirsArg = process.argv.indexOf('--dirs');
const dirs = dirsArg >= 0 ? process.argv[dirsArg + 1].split(',').filter(Boolean) : undefined;

if (!dirs && !existsSync(corpus)) {
  console.log(`sql corpus: ${corpus} not found; skipping.`);
  process.exit(0);
}

const { lint } = await import(new URL('dist/src/engine/run.js', `file://${repo}/`).href);
const { rules } = await import(new URL('dist/rules/index.js', `file://${repo}/`).href);
const DB_RULES = ['db/indexed-foreign-keys', 'db/primary-keys', 'db/money-as-decimal', 'db/timestamps-with-time-zone'];

/** A rule that only keeps the model it was given, so the report can read the files' statement counts. */
function capture(sink) {
  return {
    meta: { ...rules.find((rule) => rule.meta.id === 'db/primary-keys').meta, id: 'report/capture-schema' },
    check(ctx) {
      sink.model = ctx.schema;
    },
  };
}

const rows = [];
let failed = false;
const targets = dirs
  ? dirs.map((dir) => [dir, dir])
  : readdirSync(corpus)
      .filter((entry) => statSync(join(corpus, entry)).isDirectory())
      .sort()
      .map((name) => [name, join(corpus, name)]);
for (const [name, dir] of targets) {
  const sink = {};
  const started = performance.now();
  let result;
  try {
    ({ result } = await lint({
      cwd: dir,
      paths: ['.'],
      loaded: { config: {}, baseDir: dir },
      rules: [...rules, capture(sink)],
      only: [...DB_RULES, 'report/capture-schema'],
    }));
  } catch (error) {
    console.error(`${name}: crashed: ${error instanceof Error ? error.stack : error}`);
    failed = true;
    continue;
  }
  const ms = Math.round(performance.now() - started);
  const count = (id) => result.findings.filter((finding) => finding.ruleId === id).length;
  const internal = result.findings.filter((finding) => finding.ruleId === 'core/internal-error');
  for (const finding of internal) console.error(`${name}: ${finding.message}`);
  if (internal.length > 0) failed = true;
  const schemas = sink.model?.schemas ?? [];
  const files = schemas.flatMap((schema) => schema.files);
  const unique = new Map(files.map((file) => [file.path, file]));
  const statements = [...unique.values()].reduce((n, file) => n + file.statements, 0);
  const parsed = [...unique.values()].reduce((n, file) => n + file.parsed, 0);
  const byDialect = new Map();
  for (const schema of schemas)
    for (const file of schema.files)
      byDialect.set(`${schema.dialect}\u0000${file.path}`, { dialect: schema.dialect, file });
  const perDialect = {};
  for (const { dialect, file } of byDialect.values()) {
    const d = (perDialect[dialect] ??= { parsed: 0, statements: 0 });
    d.parsed += file.parsed;
    d.statements += file.statements;
  }
  const foreignKeys = sink.model ? sink.model.foreignKeys().filter(({ table }) => table.declared).length : 0;
  rows.push({
    folder: name,
    histories: schemas.length,
    dialects: [...new Set(schemas.map((schema) => `${schema.dialect} (${schema.dialectSource})`))].join(', '),
    files: unique.size,
    statements,
    parsed,
    share: statements === 0 ? 1 : parsed / statements,
    perDialect,
    parseErrors: count('core/parse-error'),
    foreignKeys,
    flagged: count('db/indexed-foreign-keys'),
    noPrimaryKey: count('db/primary-keys'),
    moneyAsFloat: count('db/money-as-decimal'),
    timestampWithoutZone: count('db/timestamps-with-time-zone'),
    ms,
  });
}

if (asJson) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const columns = [
    ['folder', (r) => r.folder],
    ['histories', (r) => r.histories],
    ['dialect (why)', (r) => r.dialects],
    ['files', (r) => r.files],
    ['parsed/statements', (r) => `${r.parsed}/${r.statements}`],
    ['share', (r) => `${(r.share * 100).toFixed(2)}%`],
    [
      'by dialect',
      (r) =>
        Object.entries(r.perDialect)
          .sort()
          .map(([d, n]) => `${d} ${n.parsed}/${n.statements}`)
          .join('; '),
    ],
    ['FKs', (r) => r.foreignKeys],
    ['FKs flagged', (r) => r.flagged],
    ['no PK', (r) => r.noPrimaryKey],
    ['money float', (r) => r.moneyAsFloat],
    ['ts w/o tz', (r) => r.timestampWithoutZone],
    ['ms', (r) => r.ms],
  ];
  const table = [columns.map(([title]) => title), ...rows.map((row) => columns.map(([, get]) => String(get(row))))];
  const widths = columns.map((_, i) => Math.max(...table.map((line) => line[i].length)));
  for (const [index, line] of table.entries()) {
    console.log(
      line.map((cell, i) => (i === 0 || i === 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '),
    );
    if (index === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}
process.exit(failed ? 1 : 0);
