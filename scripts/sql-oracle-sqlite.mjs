// `node scripts/sql-oracle-sqlite.mjs [--verbose] [--json] [--trees DIR]`: the SQLite engine as an
// oracle for the folded schema, as scripts/sql-oracle.mjs is with PGlite for PostgreSQL. Every SQLite
// migration history — of ../shared/corpus/sql, of the db rules' fixture cases, and of the real-world
// trees (bench/realworld laid-out repositories, `--trees`, default /work/rw, or ARCHLINT_RW_TREES)
// listed in REAL_WORLD — is
// applied, file by file in the order archlint folds it, statement by statement, to a real SQLite
// (sql.js: SQLite compiled to WASM, in-process, no install script); the engine's catalog (tables,
// primary-key columns, foreign keys with their columns and referenced table and columns, indexes
// with their ordered key columns, uniqueness and partiality) is compared with archlint's
// SchemaModel of the same history. Prints per history what matched, what is only in archlint and
// what only in the engine, with a reason for every difference, and the statements the engine could
// not apply. Exits 1 when a history's agreement falls below AGREEMENT_MIN. Histories whose folder is
// absent are skipped (named in the output). Runs the built code (dist/): `npm run build` first.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  archlintItems,
  archlintModel,
  compare,
  explain,
  lineOf,
  list,
  failBelow,
  loadArchlint,
  oracleArgs,
  pct,
  printHistories,
  printRejected,
  repo,
  summarise,
} from './oracle-shared.mjs';

const { corpus, verbose, asJson, trees } = oracleArgs();
/**
 * Real-world SQLite histories: drizzle-kit migration folders of bench/realworld repositories
 * (`node bench/realworld/prepare.mjs --trees DIR --only NAME` lays them out). `dir` is the folder
 * linted, as a user would lint it.
 */
const REAL_WORLD = [
  { name: 'karakeep', dir: 'karakeep/packages/db' },
  { name: 'homarr', dir: 'homarr/packages/db/migrations' },
  // usememos/memos (fetched; not a realworld repository): its `store/` laid out under the trees folder.
  { name: 'memos', dir: 'memos/store/migration' },
];
/** Measured: 100 % on each history (archlint 0.1.0, sql.js 1.16.0 = SQLite 3.54.1); see the README's SQL section. */
const AGREEMENT_MIN = 0.99;

const started = performance.now();
const archlint = await loadArchlint();
const { splitStatements } = archlint;
const initSqlJs = (await import('sql.js')).default;
const engineStarted = performance.now();
const SQL = await initSqlJs();
const startMs = Math.round(performance.now() - engineStarted);
const probe = new SQL.Database();
const SQLITE_VERSION = probe.exec('select sqlite_version()')[0].values[0][0];
probe.close();

// ---------------------------------------------------------------------------------------------
// The engine's side.

/** Rows of a query as objects. */
function rows(db, sql) {
  const [result] = db.exec(sql);
  if (!result) return [];
  return result.values.map((values) => Object.fromEntries(result.columns.map((column, i) => [column, values[i]])));
}
const quoteIdent = (name) => `"${String(name).replace(/"/g, '""')}"`;
const fold = (key) => key.toLowerCase();

function engineItems(db) {
  const items = { tables: [], pks: [], fks: [], indexes: [] };
  const tables = rows(db, 'pragma main.table_list').filter((t) => t.type === 'table' && !/^sqlite_/i.test(t.name));
  const pkOf = (table) =>
    rows(db, `pragma main.table_info(${quoteIdent(table)})`)
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
  for (const { name } of tables) {
    items.tables.push({ key: fold(name) });
    const pk = pkOf(name);
    if (pk.length) items.pks.push({ key: fold(`${name} ${list(pk)}`) });
    const byId = new Map();
    for (const fk of rows(db, `pragma main.foreign_key_list(${quoteIdent(name)})`)) {
      if (!byId.has(fk.id)) byId.set(fk.id, []);
      byId.get(fk.id).push(fk);
    }
    for (const parts of byId.values()) {
      parts.sort((a, b) => a.seq - b.seq);
      const target = parts[0].table;
      let refs = parts.map((p) => p.to);
      // `REFERENCES t` without columns: the referenced table's primary key, when that table exists.
      if (refs.some((r) => r === null))
        refs = tables.some((t) => t.name.toLowerCase() === target.toLowerCase()) ? pkOf(target) : [];
      items.fks.push({
        key: fold(`${name} ${list(parts.map((p) => p.from))} -> ${target} ${refs.length ? list(refs) : '(?)'}`),
      });
    }
    for (const index of rows(db, `pragma main.index_list(${quoteIdent(name)})`)) {
      // The primary key's own index (a PRIMARY KEY that is not the rowid) is the primary key, compared as such.
      if (index.origin === 'pk') continue;
      const columns = rows(db, `pragma main.index_info(${quoteIdent(index.name)})`)
        .sort((a, b) => a.seqno - b.seqno)
        .map((c) => (c.cid === -2 || c.name === null ? null : c.name));
      items.indexes.push({
        key: fold(`${name} ${index.unique ? 'unique ' : ''}${list(columns)}${index.partial ? ' where …' : ''}`),
        name: index.name,
        origin: index.origin,
      });
    }
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Applying a history.

const TRANSACTION_CONTROL =
  /^(?:BEGIN|COMMIT|END|ROLLBACK)(?:\s+(?:DEFERRED|IMMEDIATE|EXCLUSIVE))?(?:\s+TRANSACTION)?$/i;
const TRIGGER_HEAD = /^CREATE\s+(?:TEMP(?:ORARY)?\s+)?TRIGGER\b/i;

/**
 * The statements of a file as the engine takes them: archlint's split (MySQL-style, which is how it
 * reads SQLite), with a trigger's body joined back together (its inner `;` are not terminators).
 */
function engineStatements(content) {
  const pieces = splitStatements(content, 'mysql');
  const out = [];
  for (let i = 0; i < pieces.length; i++) {
    let { start, end } = pieces[i];
    if (TRIGGER_HEAD.test(content.slice(start, end).trim())) {
      while (!/\bEND\s*;?\s*$/i.test(content.slice(start, end)) && i + 1 < pieces.length) end = pieces[++i].end;
    }
    out.push({ start, end });
  }
  return out;
}

/**
 * Applies one history to a fresh in-memory database. Transaction control is skipped (every
 * statement commits alone, so one rejected statement does not undo its neighbours, nor leave a
 * transaction open).
 */
function applyHistory(db, files, dir) {
  const rejected = [];
  let skippedControl = 0;
  let statements = 0;
  for (const file of files) {
    const content = readFileSync(join(dir, file.path), 'utf8').replace(/^\uFEFF/, '');
    for (const { start, end } of engineStatements(content)) {
      const text = content.slice(start, end);
      const bare = text.replace(/^(?:\s|--[^\n]*\n?|\/\*[\s\S]*?\*\/)+/, '').replace(/[\s;]+$/, '');
      if (bare === '') continue;
      if (TRANSACTION_CONTROL.test(bare)) {
        skippedControl++;
        continue;
      }
      statements++;
      try {
        db.exec(text);
      } catch (error) {
        const message = error?.message ?? String(error);
        rejected.push({
          file: file.path,
          line: lineOf(content, start),
          endLine: lineOf(content, end),
          message,
          text: bare.replace(/\s+/g, ' ').slice(0, 100),
        });
      }
    }
  }
  return { rejected, statements, skippedControl };
}

/** Why the engine did not apply a statement: the history's layout, the environment, or something else. */
function rejectionCategory(r) {
  if (/^no such module/.test(r.message)) return 'environment: a virtual-table module sql.js does not build (fts5, …)';
  if (/already exists|duplicate column name/.test(r.message)) return 'layout: creates again what an earlier file made';
  if (/^no such (?:table|column|index)/.test(r.message))
    return 'layout: names what an earlier file removed or never made';
  if (/UNIQUE constraint failed|FOREIGN KEY constraint failed|NOT NULL constraint failed/.test(r.message))
    return 'data: a row the schema rejects';
  return `other: ${r.message}`;
}

/** An engine-only item with a known cause that is not the fold's. */
function engineOnlyReason(_kind, _item) {
  // A table a virtual table made for itself (fts5 `x_data`, …) is not listed as 'table'; nothing here yet.
  return undefined;
}

// ---------------------------------------------------------------------------------------------

const sources = [];
if (existsSync(corpus)) {
  for (const folder of readdirSync(corpus)
    .filter((entry) => statSync(join(corpus, entry)).isDirectory())
    .sort())
    sources.push({ name: folder, dir: join(corpus, folder) });
}
// The db rules' fixture cases (in the repository, so the oracle always has SQLite histories to
// check): each case folder with its case.json config, as the fixture test lints it.
const fixtures = join(repo, 'fixtures', 'db');
if (existsSync(fixtures)) {
  for (const rule of readdirSync(fixtures).sort()) {
    for (const kind of ['bad', 'good']) {
      const kindDir = join(fixtures, rule, kind);
      if (!existsSync(kindDir)) continue;
      for (const name of readdirSync(kindDir).sort()) {
        const dir = join(kindDir, name);
        if (!statSync(dir).isDirectory()) continue;
        const caseFile = join(dir, 'case.json');
        const config = existsSync(caseFile) ? (JSON.parse(readFileSync(caseFile, 'utf8')).config ?? {}) : {};
        sources.push({ name: `fixture db/${rule}/${kind}/${name}`, dir, config });
      }
    }
  }
}
const missing = [];
for (const history of REAL_WORLD) {
  const dir = join(trees, history.dir);
  if (existsSync(dir)) sources.push({ name: `realworld ${history.name}`, dir });
  else missing.push(`${history.name} (${dir})`);
}

const histories = [];
for (const { name, dir, config } of sources) {
  const model = await archlintModel(archlint, dir, config);
  for (const schema of model?.schemas ?? []) {
    if (schema.dialect !== 'sqlite') continue;
    const applied = schema.files.filter((file) => file.applied);
    // A schema read from ORM declarations (drizzle `sqliteTable`, Prisma) has no SQL to apply.
    if (!applied.some((file) => /\.sql$/i.test(file.path))) continue;
    const historyStarted = performance.now();
    const db = new SQL.Database();
    const run = applyHistory(db, applied, dir);
    const engine = engineItems(db);
    db.close();
    const result = compare(archlintItems(schema, fold), engine);
    const unparsed = applied.reduce((n, file) => n + file.statements - file.parsed, 0);
    const differences = explain(result, run, dir, unparsed, rejectionCategory, engineOnlyReason);
    histories.push(
      summarise(
        schema.root === '.' ? name : `${name}/${schema.root}`,
        applied,
        run,
        result,
        differences,
        unparsed,
        Math.round(performance.now() - historyStarted),
      ),
    );
  }
}
const totalMs = Math.round(performance.now() - started);

if (asJson) {
  console.log(
    JSON.stringify(
      {
        engine: `SQLite ${SQLITE_VERSION} (sql.js)`,
        agreementMin: AGREEMENT_MIN,
        totalMs,
        startMs,
        missing,
        histories,
      },
      null,
      2,
    ),
  );
} else {
  printHistories(
    histories,
    `sql oracle (SQLite): archlint's folded schema vs SQLite ${SQLITE_VERSION} (sql.js), per history`,
  );
  printRejected(histories, rejectionCategory, verbose);
  const control = histories.filter((h) => h.transactionControl);
  if (control.length)
    console.log(
      `\nEnvironment given to the engine: BEGIN/COMMIT statements skipped (each statement commits alone): ${control.map((h) => `${h.name} ${h.transactionControl}`).join(', ')}`,
    );
  if (missing.length) console.log(`\nReal-world histories not laid out here (skipped): ${missing.join(', ')}`);
  const agreeing = histories.filter((h) => h.agreement >= AGREEMENT_MIN).length;
  console.log(
    `\nsql oracle (SQLite): ${agreeing} of ${histories.length} histories agree with the engine at ≥ ${pct(AGREEMENT_MIN)} of their tables, keys and indexes` +
      ` (${histories.length ? `lowest ${pct(Math.min(...histories.map((h) => h.agreement)))}; ${histories.filter((h) => h.name.startsWith('fixture ')).length} fixture cases, ${histories.filter((h) => h.name.startsWith('realworld ')).length} real-world` : 'none found'}); ${(totalMs / 1000).toFixed(1)} s, of which ${(startMs / 1000).toFixed(2)} s starting the engine.`,
  );
}
failBelow('sql oracle (SQLite)', histories, AGREEMENT_MIN);
