// What the engine oracles share (scripts/sql-oracle.mjs for PostgreSQL with PGlite,
// scripts/sql-oracle-sqlite.mjs for SQLite with sql.js): archlint's folded schema of a folder, its
// items as comparable keys, the comparison by multisets of keys, and line bookkeeping.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('..', import.meta.url));
export const KINDS = ['tables', 'pks', 'fks', 'indexes'];

/**
 * The oracles' command line: `--verbose` (every rejected statement), `--json` (the result as JSON),
 * `--trees DIR` (laid-out real-world repositories; default ARCHLINT_RW_TREES, else /work/rw), and
 * the shared corpus's SQL folder.
 */
export function oracleArgs(argv = process.argv.slice(2)) {
  const treesAt = argv.indexOf('--trees');
  return {
    corpus: join(repo, '..', 'shared', 'corpus', 'sql'),
    verbose: argv.includes('--verbose'),
    asJson: argv.includes('--json'),
    trees: treesAt >= 0 ? argv[treesAt + 1] : (process.env.ARCHLINT_RW_TREES ?? '/work/rw'),
  };
}

/** Exit 1, naming them, when histories agree with the engine below `min`. */
export function failBelow(label, histories, min) {
  const below = histories.filter((h) => h.agreement < min);
  if (below.length === 0) return;
  console.error(`${label}: agreement below ${min * 100} % on ${below.map((h) => h.name).join(', ')}`);
  process.exit(1);
}

const dist = (path) => import(new URL(`dist/${path}`, `file://${repo}/`).href);

/** The built lint(), the rules and the statement splitter (dist/: `npm run build` first). */
export async function loadArchlint() {
  const { lint } = await dist('src/engine/run.js');
  const { rules } = await dist('rules/index.js');
  const { splitStatements } = await dist('src/inputs/sql/split.js');
  return { lint, rules, splitStatements };
}

/** The SchemaModel of a folder, through the same lint() the CLI runs, with its unparsed statements. */
export async function archlintModel({ lint, rules }, dir, config = {}) {
  const sink = {};
  const capture = {
    meta: { ...rules.find((rule) => rule.meta.id === 'db/primary-keys').meta, id: 'oracle/capture-schema' },
    check(ctx) {
      sink.model = ctx.schema;
    },
  };
  await lint({
    cwd: dir,
    paths: ['.'],
    loaded: { config, baseDir: dir },
    rules: [...rules, capture],
    only: ['oracle/capture-schema'],
  });
  return sink.model;
}

/** A table's name as the comparison writes it: `name`, or `schema.name` outside the default schema. */
export const tableKey = (name) => (name.schema ? `${name.schema}.${name.name}` : name.name);
export const list = (columns) => `(${columns.map((c) => (c === null ? '<expr>' : c)).join(', ')})`;

/**
 * archlint's tables, primary keys, foreign keys and indexes (unique constraints among them) as
 * comparison keys. `fold` maps each key (SQLite and MySQL compare names without case).
 */
export function archlintItems(schema, fold = (key) => key) {
  const items = { tables: [], pks: [], fks: [], indexes: [] };
  for (const table of schema.tables) {
    const t = tableKey(table.name);
    items.tables.push({ key: fold(t), origin: table.origin, declared: table.declared });
    if (table.primaryKey)
      items.pks.push({ key: fold(`${t} ${list(table.primaryKey.columns)}`), origin: table.primaryKey.origin });
    for (const fk of table.foreignKeys) {
      let refs = fk.references.columns;
      if (refs.length === 0) refs = schema.table(fk.references.table)?.primaryKey?.columns ?? [];
      items.fks.push({
        key: fold(`${t} ${list(fk.columns)} -> ${tableKey(fk.references.table)} ${refs.length ? list(refs) : '(?)'}`),
        origin: fk.origin,
        name: fk.name,
      });
    }
    for (const index of table.indexes) {
      items.indexes.push({
        key: fold(`${t} ${index.unique ? 'unique ' : ''}${list(index.columns)}${index.partial ? ' where …' : ''}`),
        origin: index.origin,
        name: index.name,
      });
    }
    for (const unique of table.uniques)
      items.indexes.push({
        key: fold(`${t} unique ${list(unique.columns)}`),
        origin: unique.origin,
        name: unique.name,
      });
  }
  return items;
}

/** Per kind: the items both have, those only archlint has, those only the engine has. */
export function compare(a, e) {
  const out = {};
  for (const kind of KINDS) {
    const pool = new Map();
    for (const item of e[kind]) {
      if (!pool.has(item.key)) pool.set(item.key, []);
      pool.get(item.key).push(item);
    }
    const matched = [];
    const onlyArchlint = [];
    for (const item of a[kind]) {
      const candidates = pool.get(item.key);
      if (candidates?.length) matched.push([item, candidates.shift()]);
      else onlyArchlint.push(item);
    }
    const onlyEngine = [...pool.values()].flat();
    out[kind] = { matched, onlyArchlint, onlyEngine };
  }
  return out;
}

export function lineOf(content, offset) {
  let line = 1;
  for (let i = 0; i < offset; i++) if (content.charCodeAt(i) === 10) line++;
  return line;
}

/** The 1-based line of an archlint origin. */
const lineCache = new Map();
export function originLine(dir, origin) {
  if (origin.position) return origin.position.line;
  if (!origin.range) return undefined;
  const path = join(dir, origin.file);
  let text = lineCache.get(path);
  if (text === undefined) lineCache.set(path, (text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '')));
  return lineOf(text, origin.range.start);
}

/**
 * Every difference with its category. An item only archlint has, made by a statement the engine
 * rejected, is not held against the fold (the engine is no oracle for a statement it did not run);
 * every other difference counts, unless `engineOnlyReason` gives an engine-only item a known cause.
 */
export function explain(result, run, dir, unparsed, rejectionCategory, engineOnlyReason = () => undefined) {
  const differences = [];
  for (const kind of KINDS) {
    for (const item of result[kind].onlyArchlint) {
      const line = originLine(dir, item.origin);
      const at = `${item.origin.file}:${line ?? '?'}`;
      const rejected =
        line !== undefined &&
        run.rejected.find((r) => r.file === item.origin.file && r.line <= line && line <= r.endLine);
      if (rejected)
        differences.push({
          kind,
          side: 'archlint',
          key: item.key,
          at,
          counted: false,
          category: `engine rejected the statement (${rejectionCategory(rejected)})`,
          detail: `${rejected.code ?? ''} ${rejected.message}`.trim(),
        });
      else if (item.declared === false)
        differences.push({
          kind,
          side: 'archlint',
          key: item.key,
          at,
          counted: true,
          category: 'archlint placeholder: a table only altered or indexed here, never created',
        });
      else
        differences.push({
          kind,
          side: 'archlint',
          key: item.key,
          at,
          counted: true,
          category: 'unexplained: archlint folds it, the engine does not have it',
        });
    }
    for (const item of result[kind].onlyEngine) {
      const reason = engineOnlyReason(kind, item);
      if (reason) {
        differences.push({
          kind,
          side: 'engine',
          key: item.key,
          at: item.name ?? '',
          counted: false,
          category: reason,
        });
        continue;
      }
      const hint =
        unparsed > 0
          ? ` (archlint could not parse ${unparsed} statement(s) of this history: see its core/parse-error findings)`
          : '';
      differences.push({
        kind,
        side: 'engine',
        key: item.key,
        at: item.name ?? '',
        counted: true,
        category: `unexplained: the engine has it, archlint missed it${hint}`,
      });
    }
  }
  return differences;
}

/** A history's figures for the printed table and the JSON. */
export function summarise(name, applied, run, result, differences, unparsed, ms) {
  const matched = KINDS.reduce((n, kind) => n + result[kind].matched.length, 0);
  const counted = differences.filter((d) => d.counted).length;
  return {
    name,
    files: applied.length,
    statements: run.statements,
    unparsed,
    rejected: run.rejected,
    standIns: run.standIns ?? [],
    transactionControl: run.skippedControl,
    templated: run.templated ?? false,
    counts: Object.fromEntries(
      KINDS.map((kind) => [
        kind,
        {
          matched: result[kind].matched.length,
          onlyArchlint: result[kind].onlyArchlint.length,
          onlyEngine: result[kind].onlyEngine.length,
        },
      ]),
    ),
    differences,
    agreement: matched + counted === 0 ? 1 : matched / (matched + counted),
    rawAgreement: matched + differences.length === 0 ? 1 : matched / (matched + differences.length),
    ms,
  };
}

export const pct = (x) => `${(100 * x).toFixed(1)} %`;

/** The per-history table and the list of differences, as both oracles print them. */
export function printHistories(histories, header) {
  const cell = (c) => `${c.matched}/${c.onlyArchlint}/${c.onlyEngine}`.padStart(11);
  console.log(`${header}; cells are matched/only archlint/only engine\n`);
  console.log(
    `${'history'.padEnd(66)} ${'files'.padStart(5)} ${'applied/stmts'.padStart(13)} ${'tables'.padStart(11)} ${'PKs'.padStart(11)} ${'FKs'.padStart(11)} ${'indexes'.padStart(11)}  agreement (all items)`,
  );
  for (const h of histories) {
    const stmts = `${h.statements - h.rejected.length}/${h.statements}`;
    console.log(
      `${h.name.padEnd(66)} ${String(h.files).padStart(5)} ${stmts.padStart(13)} ${KINDS.map((kind) => cell(h.counts[kind])).join(' ')}  ${pct(h.agreement).padStart(8)}  (${pct(h.rawAgreement)})`,
    );
  }
  console.log(
    '\nDifferences (counted ones lower the agreement; an item made by a statement the engine rejected is listed, not counted):',
  );
  let any = false;
  for (const h of histories) {
    for (const d of h.differences) {
      any = true;
      console.log(
        `  ${h.name}: ${d.kind} only in ${d.side}: ${d.key}  [${d.at}]\n      ${d.counted ? 'COUNTED' : 'not counted'} — ${d.category}${d.detail ? `: ${d.detail}` : ''}`,
      );
    }
  }
  if (!any) console.log('  none');
}

/** The statements the engine rejected, grouped by reason. */
export function printRejected(histories, rejectionCategory, verbose) {
  console.log('\nStatements the engine did not apply (each is skipped and the history goes on), by reason:');
  for (const h of histories) {
    if (h.rejected.length === 0) continue;
    const byCategory = new Map();
    for (const r of h.rejected)
      byCategory.set(rejectionCategory(r), [...(byCategory.get(rejectionCategory(r)) ?? []), r]);
    console.log(`  ${h.name}: ${h.rejected.length} of ${h.statements}`);
    for (const [category, rs] of byCategory) {
      const data = rs.filter((r) => /^\s*(INSERT|UPDATE|DELETE)\b/i.test(r.text)).length;
      console.log(
        `    ${String(rs.length).padStart(4)}  ${category}${data ? ` (${data} of them INSERT/UPDATE/DELETE)` : ''}`,
      );
      for (const r of verbose ? rs : rs.slice(0, 2))
        console.log(`            ${r.file}:${r.line} ${r.code ?? ''} ${r.message} :: ${r.text}`);
    }
  }
}
