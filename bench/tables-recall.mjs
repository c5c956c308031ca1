#!/usr/bin/env node
// Tables seen vs declared (issue 17's bar: "tables seen ≥ 95 % of those declared") on laid-out trees.
//
// An oracle that shares no code with archlint: table declarations found by text patterns — Drizzle
// `pgTable('name'` / `mysqlTable(` / `sqliteTable(`, Prisma `model X {` (its `@@map("name")` when
// given) in .prisma files, TypeORM `@Entity('name')` (or the class name) — compared with the tables of
// `archlint map --format json` by name (case, `_` and a plural `s` ignored), whatever the file that
// declares them (migrations win over a schema file when both exist).
//
//   node bench/tables-recall.mjs [--trees /work/rw] --only a,b [--archlint bin/archlint.js] [--misses N]
//
// Files under test/, tests/, __tests__, e2e, fixtures, examples, node_modules, dist are skipped.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { lineAt, oracleFiles } from './oracle-files.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    trees: { type: 'string' },
    only: { type: 'string' },
    archlint: { type: 'string' },
    misses: { type: 'string' },
  },
});
const trees = resolve(values.trees ?? process.env.ARCHLINT_REALWORLD_TREES ?? '/work/rw');
const archlint = resolve(values.archlint ?? join(here, '../bin/archlint.js'));
if (!values.only) throw new Error('--only a,b: the trees to measure');
const showMisses = Number(values.misses ?? 8);

const CODE = /\.[cm]?[jt]sx?$/;
const DRIZZLE = /\b(?:pg|mysql|sqlite)Table\s*\(\s*['"`]([^'"`]+)['"`]/g;
const PRISMA_MODEL = /^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm;
const TYPEORM =
  /@Entity\s*\(\s*(?:['"`]([^'"`]+)['"`]|\{[^}]*?\bname\s*:\s*['"`]([^'"`]+)['"`][^}]*\})?[^)]*\)\s*(?:@\w+(?:\([^)]*\))?\s*)*(?:export\s+)?(?:default\s+)?(?:abstract\s+)?class\s+(\w+)/g;

const key = (name) => name.toLowerCase().replace(/[_"`]/g, '').replace(/s$/, '');

function declared(root) {
  const out = [];
  for (const file of oracleFiles(root, (name) => CODE.test(name) || name.endsWith('.prisma'))) {
    if (statSync(file).size > 1_000_000) continue;
    const rel = relative(root, file);
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.prisma')) {
      for (const m of text.matchAll(PRISMA_MODEL)) {
        const mapped = /@@map\(\s*(?:name\s*:\s*)?"([^"]+)"/.exec(m[2]);
        out.push({ kind: 'prisma', name: mapped ? mapped[1] : m[1], file: rel, line: lineAt(text, m.index) });
      }
      continue;
    }
    if (/drizzle-orm/.test(text))
      for (const m of text.matchAll(DRIZZLE))
        out.push({ kind: 'drizzle', name: m[1], file: rel, line: lineAt(text, m.index) });
    if (/from\s+['"]typeorm['"]/.test(text))
      for (const m of text.matchAll(TYPEORM))
        out.push({ kind: 'typeorm', name: m[1] ?? m[2] ?? m[3], file: rel, line: lineAt(text, m.index) });
  }
  return out;
}

function seenTables(root) {
  const out = execFileSync(process.execPath, [archlint, 'map', root, '--format', 'json'], {
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out).schemas.flatMap((s) => s.tables.map((t) => t.name));
}

for (const name of values.only.split(',')) {
  const root = join(trees, name);
  const decls = declared(root);
  if (decls.length === 0) {
    console.log(`${name.padEnd(20)} no Drizzle/Prisma/TypeORM declarations`);
    continue;
  }
  const seen = new Set(seenTables(root).map(key));
  const byKind = new Map();
  const misses = [];
  for (const d of decls) {
    const entry = byKind.get(d.kind) ?? { declared: 0, seen: 0 };
    entry.declared++;
    if (seen.has(key(d.name))) entry.seen++;
    else misses.push(d);
    byKind.set(d.kind, entry);
  }
  const parts = [...byKind].map(
    ([kind, e]) => `${kind} ${e.seen}/${e.declared} (${((100 * e.seen) / e.declared).toFixed(1)} %)`,
  );
  console.log(`${name.padEnd(20)} ${parts.join('  ')}`);
  for (const miss of misses.slice(0, showMisses))
    console.log(`    miss ${miss.kind.padEnd(8)} ${miss.name}  ${miss.file}:${miss.line}`);
  if (misses.length > showMisses) console.log(`    … ${misses.length - showMisses} more`);
}
