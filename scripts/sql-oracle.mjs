// `node scripts/sql-oracle.mjs [--verbose] [--json]`: the PostgreSQL engine as an oracle for the
// folded schema. Every PostgreSQL migration history of ../shared/corpus/sql is applied, file by file
// in the order archlint folds it, statement by statement, to a real PostgreSQL (PGlite: PostgreSQL
// compiled to WASM, in-process); the engine's catalog (tables per schema, primary-key columns,
// foreign keys with their columns and referenced table and columns, indexes with their ordered key
// columns, uniqueness and partiality) is compared with archlint's SchemaModel of the same history.
// Prints per history what matched, what is only in archlint and what only in the engine, with an
// explanation category for every difference, and the statements the engine could not apply.
// Exits 1 when a history's agreement falls below AGREEMENT_MIN (set from the measured figures).
// Skips cleanly when the corpus is absent. Runs the built code (dist/): `npm run build` first.
// SQLite histories have their own oracle (scripts/sql-oracle-sqlite.mjs, sql.js); MySQL is out of scope.
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
  summarise,
  tableKey,
} from './oracle-shared.mjs';

const { corpus, verbose, asJson } = oracleArgs();
/**
 * A history agrees when at least this share of its compared items (tables, primary keys, foreign
 * keys, indexes) matches the engine's catalog. Measured: 100 % on each of the 9 histories (archlint
 * 0.1.0, PGlite 0.5.17). 99 % fails on a regression of one fold rule: with DROP INDEX ignored, 5
 * of the 9 fall below it (kratos 62 %, umami 90 %, Temporal visibility 92 %, trigger.dev 96 %,
 * supabase 97.7 %, which the issue's 95 % would let through).
 */
const AGREEMENT_MIN = 0.99;

if (!existsSync(corpus)) {
  console.log(`sql oracle: ${corpus} not found; skipping.`);
  process.exit(0);
}

const archlint = await loadArchlint();
const { splitStatements } = archlint;
const { PGlite } = await import('@electric-sql/pglite');
// The contrib extensions PGlite ships that real histories create (pgcrypto, uuid-ossp, pg_trgm, …).
const contrib = {};
for (const name of ['pgcrypto', 'uuid_ossp', 'pg_trgm', 'btree_gin', 'btree_gist', 'citext', 'hstore', 'ltree']) {
  contrib[name] = (await import(`@electric-sql/pglite/contrib/${name}`))[name];
}

const started = performance.now();

// ---------------------------------------------------------------------------------------------
// The engine's side.

const CATALOG = `
with rels as (
  select c.oid, n.nspname as schema, c.relname as name, c.relispartition as partition
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%'
    and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
)
select json_build_object(
  'tables', (select coalesce(json_agg(json_build_object('oid', oid, 'schema', schema, 'name', name, 'partition', partition)), '[]') from rels),
  'constraints', (select coalesce(json_agg(json_build_object(
      'table', con.conrelid, 'type', con.contype, 'name', con.conname, 'index', con.conindid, 'ref', con.confrelid,
      'columns', (select json_agg(a.attname order by k.o) from unnest(con.conkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n),
      'refColumns', (select json_agg(a.attname order by k.o) from unnest(con.confkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n)
    )), '[]') from pg_constraint con where con.conrelid in (select oid from rels) and con.contype in ('p', 'f', 'u')),
  'indexes', (select coalesce(json_agg(json_build_object(
      'table', i.indrelid, 'name', ic.relname, 'oid', i.indexrelid, 'unique', i.indisunique, 'primary', i.indisprimary,
      'partial', i.indpred is not null, 'inherited', ic.relispartition,
      'columns', (select json_agg(case when k.n = 0 then null else a.attname end order by k.o)
                  from unnest(i.indkey::int2[]) with ordinality k(n, o) left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.n
                  where k.o <= i.indnkeyatts)
    )), '[]') from pg_index i join pg_class ic on ic.oid = i.indexrelid where i.indrelid in (select oid from rels))
) as catalog`;

async function engineItems(db, defaultSchemas) {
  const { rows } = await db.query(CATALOG);
  const catalog = rows[0].catalog;
  const byOid = new Map(catalog.tables.map((t) => [t.oid, t]));
  const nameOf = (oid) => {
    const t = byOid.get(oid);
    return t
      ? tableKey(defaultSchemas.has(t.schema) ? { name: t.name } : { schema: t.schema, name: t.name })
      : `?${oid}`;
  };
  const items = { tables: [], pks: [], fks: [], indexes: [] };
  for (const t of catalog.tables) items.tables.push({ key: nameOf(t.oid), partition: t.partition });
  for (const c of catalog.constraints) {
    if (c.type === 'p') items.pks.push({ key: `${nameOf(c.table)} ${list(c.columns)}`, name: c.name });
    if (c.type === 'f')
      items.fks.push({
        key: `${nameOf(c.table)} ${list(c.columns)} -> ${nameOf(c.ref)} ${list(c.refColumns)}`,
        name: c.name,
      });
  }
  for (const i of catalog.indexes) {
    if (i.primary) continue;
    // An index a partitioned table's index made on each partition: the engine's propagation, not a statement.
    if (i.inherited) continue;
    items.indexes.push({
      key: `${nameOf(i.table)} ${i.unique ? 'unique ' : ''}${list(i.columns)}${i.partial ? ' where …' : ''}`,
      name: i.name,
    });
  }
  return items;
}

const ROLE_MISSING = /^role "(.+)" does not exist$/;
const SCHEMA_MISSING = /^schema "(.+)" does not exist$/;
const EXTENSION_MISSING = /extension "(.+)" is not available|could not open extension control file/;
const TRANSACTION_CONTROL = /^(?:BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK)(?:\s+(?:WORK|TRANSACTION))?$/i;
const quoteIdent = (name) => `"${name.replace(/"/g, '""')}"`;

/**
 * Applies one history to a fresh engine. Each file starts a new session state (RESET ALL, as
 * archlint's `SET search_path` lasts for the rest of its file). Transaction control is skipped
 * (every statement commits alone, so one rejected statement does not undo its neighbours).
 * A statement rejected only for want of a role or schema gets a stand-in and is retried.
 */
async function applyHistory(db, files, dir) {
  const rejected = [];
  const standIns = [];
  const skippedControl = { count: 0 };
  let statements = 0;
  const texts = files.map((file) => readFileSync(join(dir, file.path), 'utf8').replace(/^\uFEFF/, ''));
  // archlint reads a templated schema as the default one; the deployment that fills the template
  // makes it so too (Supabase: `ALTER ROLE supabase_auth_admin SET search_path = auth`), and so does
  // the engine's session here.
  const templated = texts.some((text) => /\{\{[\s\S]{0,500}?\}\}/.test(text));
  for (const [n, file] of files.entries()) {
    const content = fillTemplates(texts[n]);
    await db.exec(`RESET ALL; RESET ROLE;${templated ? ` SET search_path TO ${TEMPLATE_SCHEMA}, public;` : ''}`);
    for (const { start, end } of splitStatements(content, 'postgres')) {
      const text = content.slice(start, end);
      if (TRANSACTION_CONTROL.test(text.trim())) {
        skippedControl.count++;
        continue;
      }
      statements++;
      for (let attempt = 0; ; attempt++) {
        try {
          await db.exec(text);
          break;
        } catch (error) {
          const message = error?.message ?? String(error);
          const role = ROLE_MISSING.exec(message)?.[1];
          const schemaName = SCHEMA_MISSING.exec(message)?.[1];
          if (attempt < 5 && role !== undefined) {
            await db.exec(`CREATE ROLE ${quoteIdent(role)}`);
            standIns.push(`role ${role} (for ${file.path}:${lineOf(content, start)})`);
            continue;
          }
          if (attempt < 5 && schemaName !== undefined) {
            await db.exec(`CREATE SCHEMA ${quoteIdent(schemaName)}`);
            standIns.push(`schema ${schemaName} (for ${file.path}:${lineOf(content, start)})`);
            continue;
          }
          rejected.push({
            file: file.path,
            line: lineOf(content, start),
            endLine: lineOf(content, end),
            code: error?.code,
            message,
            extension: EXTENSION_MISSING.test(message),
            text: text.replace(/\s+/g, ' ').slice(0, 100),
          });
          // A failed statement can leave a transaction open (a DO block's COMMIT, …): close it.
          await db.exec('ROLLBACK').catch(() => {});
          break;
        }
      }
    }
  }
  return { rejected, standIns, statements, skippedControl: skippedControl.count, templated };
}

/**
 * Go/Jinja template markers (`{{ index .Options "Namespace" }}`) name a schema the deployment
 * chooses (also inside quotes: `table_schema = '{{ … }}'`); archlint reads them as the default
 * schema. The engine gets one real schema name for each, as the template engine would write it;
 * line breaks inside a marker are kept, so line numbers still match archlint's origins. (`${…}`
 * placeholders are left alone: in this corpus they sit inside string literals of data rows.)
 */
const TEMPLATE_SCHEMA = 'auth';
const MARKER = /\{\{[\s\S]{0,500}?\}\}/g;
function fillTemplates(content) {
  if (!content.includes('{{')) return content;
  return content.replace(MARKER, (marker) => TEMPLATE_SCHEMA + marker.replace(/[^\n]/g, ''));
}

// ---------------------------------------------------------------------------------------------

// One engine for every history, emptied between them: a fresh instance costs seconds, a reset milliseconds.
const engineStarted = performance.now();
const db = await PGlite.create({ extensions: contrib });
const startMs = Math.round(performance.now() - engineStarted);
const PG_VERSION = (await db.query('show server_version')).rows[0].server_version;
const baseRoles = new Set((await db.query('select rolname from pg_roles')).rows.map((r) => r.rolname));
async function resetEngine() {
  await db.exec(`RESET ALL; RESET ROLE; DO $$ DECLARE s text; BEGIN
    FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%' LOOP
      EXECUTE format('DROP SCHEMA %I CASCADE', s);
    END LOOP; END $$; CREATE SCHEMA public;`);
  for (const { rolname } of (await db.query('select rolname from pg_roles')).rows) {
    if (!baseRoles.has(rolname))
      await db.exec(`DROP OWNED BY ${quoteIdent(rolname)}; DROP ROLE ${quoteIdent(rolname)}`);
  }
}

/** Why the engine did not apply a statement: the history's layout, the environment, or something else. */
function rejectionCategory(r) {
  if (r.extension) return 'environment: extension not in PGlite';
  if (['42P07', '42701', '42710', '42P06', '42723', '23505'].includes(r.code))
    return 'layout: creates again what an earlier file made';
  if (['42P01', '42703', '42704', '42883', '3F000'].includes(r.code))
    return 'layout: names what an earlier file removed or never made';
  if (r.code === '2BP01') return 'layout: drops what later objects depend on';
  return `other (${r.code}): ${r.message}`;
}

const histories = [];
for (const folder of readdirSync(corpus)
  .filter((entry) => statSync(join(corpus, entry)).isDirectory())
  .sort()) {
  const dir = join(corpus, folder);
  const model = await archlintModel(archlint, dir);
  for (const schema of model?.schemas ?? []) {
    if (schema.dialect !== 'postgres') continue;
    const historyStarted = performance.now();
    await resetEngine();
    const applied = schema.files.filter((file) => file.applied);
    const run = await applyHistory(db, applied, dir);
    const engine = await engineItems(db, new Set(['public', TEMPLATE_SCHEMA]));
    const result = compare(archlintItems(schema), engine);
    const unparsed = applied.reduce((n, file) => n + file.statements - file.parsed, 0);
    const differences = explain(result, run, dir, unparsed, rejectionCategory);
    histories.push(
      summarise(
        schema.root === '.' ? folder : `${folder}/${schema.root}`,
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
await db.close();
const totalMs = Math.round(performance.now() - started);

if (asJson) {
  console.log(
    JSON.stringify(
      { engine: `PostgreSQL ${PG_VERSION} (PGlite)`, agreementMin: AGREEMENT_MIN, totalMs, startMs, histories },
      null,
      2,
    ),
  );
} else {
  printHistories(histories, `sql oracle: archlint's folded schema vs PostgreSQL ${PG_VERSION} (PGlite), per history`);
  printRejected(histories, rejectionCategory, verbose);
  const standIns = histories.filter((h) => h.standIns.length || h.templated || h.transactionControl);
  if (standIns.length) console.log('\nEnvironment given to the engine:');
  for (const h of standIns) {
    const notes = [...h.standIns.map((s) => `stand-in ${s}`)];
    if (h.templated)
      notes.push(
        `template markers filled with the schema "${TEMPLATE_SCHEMA}", search_path ${TEMPLATE_SCHEMA}, public (archlint reads a templated schema as the default one)`,
      );
    if (h.transactionControl)
      notes.push(`${h.transactionControl} BEGIN/COMMIT statements skipped (each statement commits alone)`);
    console.log(`  ${h.name}: ${notes.join('; ')}`);
  }
  const agreeing = histories.filter((h) => h.agreement >= AGREEMENT_MIN).length;
  console.log(
    `\nsql oracle: ${agreeing} of ${histories.length} histories agree with the engine at ≥ ${pct(AGREEMENT_MIN)} of their tables, keys and indexes` +
      ` (${histories.map((h) => pct(h.agreement)).join(', ')}); ${(totalMs / 1000).toFixed(1)} s, of which ${(startMs / 1000).toFixed(1)} s starting the engine` +
      ` and ${(histories.reduce((n, h) => n + h.ms, 0) / 1000).toFixed(1)} s applying and comparing.` +
      ' SQLite histories: scripts/sql-oracle-sqlite.mjs; MySQL histories are not checked.',
  );
}
failBelow('sql oracle', histories, AGREEMENT_MIN);
