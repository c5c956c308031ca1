// `node bench/sql-parsers.mjs [--runs N] [--trees DIR] [--json]` (from the repository root, after
// `npm run build` and `cd bench && npm install`): node-sql-parser, which archlint uses for MySQL,
// MariaDB and SQLite, against the candidates of issue 16 on the MySQL and SQLite statements of real
// migration histories — ../shared/corpus/sql, and the laid-out real-world trees (`--trees`, default
// /work/rw) of the repositories listed below. Per parser and dialect: statements parsed (coverage),
// what locations its tree gives, and the time to parse them all (median of N runs after one warm-up).
// Statements are split by archlint's own splitter, as archlint reads them. Also printed: what archlint
// itself parses (node-sql-parser plus its script handling: prepared DDL, procedures, fallbacks).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '..');
const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const RUNS = Number(arg('--runs', 3));
const trees = arg('--trees', process.env.ARCHLINT_RW_TREES ?? '/work/rw');
const asJson = process.argv.includes('--json');
const REAL_WORLD = ['karakeep/packages/db', 'homarr/packages/db/migrations', 'unkey/pkg/mysql', 'fastify-demo'];

// dt-sql-parser's build imports directories (bundler style): complete them for Node's ESM loader.
register('./sql-parsers-resolve.mjs', import.meta.url);

const { lint } = await import(new URL('dist/src/engine/run.js', `file://${repo}/`).href);
const { rules } = await import(new URL('dist/rules/index.js', `file://${repo}/`).href);
const { splitStatements } = await import(new URL('dist/src/inputs/sql/split.js', `file://${repo}/`).href);

// ---------------------------------------------------------------------------------------------
// The statements: every applied file of every MySQL/MariaDB/SQLite history archlint finds.

async function histories(dir) {
  const sink = {};
  const capture = {
    meta: { ...rules.find((r) => r.meta.id === 'db/primary-keys').meta, id: 'bench/capture' },
    check: (ctx) => void (sink.model = ctx.schema),
  };
  await lint({
    cwd: dir,
    paths: ['.'],
    loaded: { config: {}, baseDir: dir },
    rules: [...rules, capture],
    only: ['bench/capture'],
  });
  return sink.model?.schemas ?? [];
}

const dirs = [];
const corpus = join(repo, '..', 'shared', 'corpus', 'sql');
if (existsSync(corpus))
  for (const name of readdirSync(corpus).sort())
    if (statSync(join(corpus, name)).isDirectory()) dirs.push({ name, dir: join(corpus, name) });
for (const path of REAL_WORLD)
  if (existsSync(join(trees, path))) dirs.push({ name: `realworld ${path}`, dir: join(trees, path) });

const statements = { mysql: [], sqlite: [] };
const archlintShare = { mysql: { parsed: 0, statements: 0 }, sqlite: { parsed: 0, statements: 0 } };
const sources = { mysql: new Set(), sqlite: new Set() };
for (const { name, dir } of dirs) {
  for (const schema of await histories(dir)) {
    const dialect = schema.dialect === 'sqlite' ? 'sqlite' : schema.dialect === 'postgres' ? undefined : 'mysql';
    if (!dialect) continue;
    for (const file of schema.files) {
      if (!/\.sql$/i.test(file.path)) continue;
      sources[dialect].add(name);
      archlintShare[dialect].parsed += file.parsed;
      archlintShare[dialect].statements += file.statements;
      const content = readFileSync(join(dir, file.path), 'utf8').replace(/^\uFEFF/, '');
      for (const { start, end } of splitStatements(content, 'mysql')) {
        const text = content.slice(start, end).trim();
        if (text.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|#[^\n]*|[\s;]/g, '') === '') continue;
        statements[dialect].push(text);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The parsers. `parse(sql, dialect)` throws or returns false on a statement it rejects.

const { default: NodeSqlParser } = await import('node-sql-parser');
const nsp = new NodeSqlParser.Parser();
const { init: initSqlparserTs, parse: sqlparserTs } = await import('@guanmingchiu/sqlparser-ts');
await initSqlparserTs();
const { parse: cstParse } = await import('sql-parser-cst');
const { MySQL: DtMySQL } = await import('dt-sql-parser');
const dtMysql = new DtMySQL();

const nspPackage = JSON.parse(readFileSync(join(here, 'node_modules', 'node-sql-parser', 'package.json'), 'utf8'));
const version = (name) =>
  JSON.parse(readFileSync(join(here, 'node_modules', ...name.split('/'), 'package.json'), 'utf8')).version;

const PARSERS = [
  {
    name: `node-sql-parser ${nspPackage.version}`,
    dialects: { mysql: 'MySQL', sqlite: 'Sqlite' },
    parse: (sql, d) => nsp.astify(sql, { database: d, parseOptions: { includeLocations: true } }),
    locations: 'MySQL: offsets on column references and definitions only (includeLocations); SQLite build: none',
  },
  {
    name: `@guanmingchiu/sqlparser-ts ${version('@guanmingchiu/sqlparser-ts')} (sqlparser-rs, WASM)`,
    dialects: { mysql: 'mysql', sqlite: 'sqlite' },
    parse: (sql, d) => sqlparserTs(sql, d),
    locations: 'line/column spans on identifiers (not on constraints or statements)',
  },
  {
    name: `sql-parser-cst ${version('sql-parser-cst')}`,
    dialects: { mysql: 'mysql', sqlite: 'sqlite' },
    parse: (sql, d) => cstParse(sql, { dialect: d, includeRange: true }),
    locations: 'offset range on every node (includeRange)',
  },
  {
    name: `dt-sql-parser ${version('dt-sql-parser')} (ANTLR 4)`,
    dialects: { mysql: 'mysql' },
    parse: (sql) => dtMysql.validate(sql).length === 0,
    locations: 'ANTLR parse tree: token positions on every node, no typed AST; no SQLite grammar',
  },
];

function attempt(parser, sql, d) {
  try {
    return parser.parse(sql, d) !== false;
  } catch {
    return false;
  }
}

const results = [];
for (const parser of PARSERS) {
  for (const dialect of ['mysql', 'sqlite']) {
    const d = parser.dialects[dialect];
    const list = statements[dialect];
    if (!d || list.length === 0) {
      results.push({ parser: parser.name, dialect, supported: Boolean(d), statements: list.length });
      continue;
    }
    let parsed = 0;
    const failures = [];
    for (const sql of list) {
      if (attempt(parser, sql, d)) parsed++;
      else if (failures.length < 5) failures.push(sql.replace(/\s+/g, ' ').slice(0, 90));
    }
    const times = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      for (const sql of list) attempt(parser, sql, d);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    results.push({
      parser: parser.name,
      dialect,
      supported: true,
      statements: list.length,
      parsed,
      share: parsed / list.length,
      ms: Math.round(times[Math.floor(times.length / 2)]),
      locations: parser.locations,
      failures,
    });
  }
}

if (asJson) {
  console.log(
    JSON.stringify(
      {
        runs: RUNS,
        sources: Object.fromEntries(Object.entries(sources).map(([k, v]) => [k, [...v]])),
        archlint: archlintShare,
        results,
      },
      null,
      2,
    ),
  );
} else {
  const pct = (x) => `${(100 * x).toFixed(1)} %`;
  for (const dialect of ['mysql', 'sqlite']) {
    console.log(
      `\n${dialect === 'mysql' ? 'MySQL/MariaDB' : 'SQLite'}: ${statements[dialect].length} statements from ${[...sources[dialect]].join(', ') || 'nothing'}`,
    );
    const a = archlintShare[dialect];
    if (a.statements)
      console.log(
        `  archlint itself (node-sql-parser + script handling): ${a.parsed}/${a.statements} (${pct(a.parsed / a.statements)})`,
      );
    for (const r of results.filter((x) => x.dialect === dialect)) {
      if (!r.supported) {
        console.log(`  ${r.parser.padEnd(58)} no ${dialect} grammar`);
        continue;
      }
      if (r.statements === 0) continue;
      console.log(
        `  ${r.parser.padEnd(58)} ${`${r.parsed}/${r.statements}`.padStart(11)} ${pct(r.share).padStart(8)} ${`${r.ms} ms`.padStart(9)} (median of ${RUNS})`,
      );
      for (const f of r.failures.slice(0, 3)) console.log(`      rejects e.g.: ${f}`);
    }
  }
  console.log('\nLocations:');
  for (const p of PARSERS) console.log(`  ${p.name}: ${p.locations}`);
}
