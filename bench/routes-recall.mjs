#!/usr/bin/env node
// Route recall on real trees (issue 17's bar: "≥ 95 % route recall with the full path").
//
// An oracle that does not share archlint's code: route registration sites found by text patterns
// in server files (a file that imports a server framework, or a Next.js route module), compared
// with the routes `archlint routes --format json` reports at the same file and line. A site the
// oracle finds and archlint does not is a miss; the misses are printed so a reviewer can tell the
// oracle's mistakes (a client call that looks like a registration) from archlint's.
//
//   node bench/routes-recall.mjs [--trees /work/rw] [--only a,b] [--archlint bin/archlint.js]
//                                [--misses N] [--json FILE]
//
// Patterns (one site per match, line of the method token):
//   NestJS      @Get( @Post( @Put( @Patch( @Delete( @Options( @Head( @All(
//   routers     x.get|post|put|patch|delete|options|head|all('/…' or "/…" or `/…` or '' …)
//   Fastify     x.route({ … method … url|path … })
//   Next.js     app/**/route.(ts|js) exporting GET/POST/…; pages/api/** default export (one site per file)
//   tRPC        `key: someProcedure…` entries in a file that imports @trpc/server or a local trpc module
//               (one site per procedure key; a procedure kept in a variable and listed by name is not seen)
//   ts-rest     `method: 'GET'` entries of a contract in a file that imports @ts-rest/core
//   React Router / Remix resource routes: a module under app/routes/ exporting a loader or action and no
//               default export (one site per file)
// Files qualify when they import a server framework or belong to a package that depends on one.
// Files under test/, tests/, __tests__, e2e, fixtures, examples, and *.test/*.spec files are skipped
// (archlint skips them too; routes defined there are not the service's).
//
// A route archlint reports with its mount prefix marked unknown (`<…>` in the path) counts as found
// but "without the full path"; the recall with the full path excludes them.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { lineAt, oracleFiles } from './oracle-files.mjs';
import { CORPUS } from './speed/corpus-list.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    trees: { type: 'string' },
    only: { type: 'string' },
    archlint: { type: 'string' },
    misses: { type: 'string' },
    json: { type: 'string' },
  },
});
const trees = resolve(values.trees ?? process.env.ARCHLINT_REALWORLD_TREES ?? '/work/rw');
const archlint = resolve(values.archlint ?? join(here, '../bin/archlint.js'));
const names = values.only ? values.only.split(',') : CORPUS.map(([name]) => name);
const showMisses = Number(values.misses ?? 8);

const SKIP_FILE = /\.(test|spec|e2e-spec|d)\.[cm]?[jt]sx?$/;
const CODE = /\.[cm]?[jt]sx?$/;
const SERVER_IMPORT =
  /(?:from\s+|require\(\s*)['"](?:express|fastify|hono|hono\/[\w-]+|koa|@koa\/router|koa-router|@nestjs\/common|router|express-promise-router|@hono\/zod-openapi)['"]/;
const SERVER_DEPENDENCY =
  /^(express|fastify|hono|koa|@koa\/router|koa-router|@nestjs\/core|@overnightjs\/core|restify)$/;
const METHODS = 'get|post|put|patch|delete|options|head|all';
const DECORATOR = new RegExp(`@(${'Get|Post|Put|Patch|Delete|Options|Head|All'})\\(`, 'g');
const ROUTER_CALL = new RegExp(`\\b[\\w$]+\\s*\\.\\s*(${METHODS})\\s*\\(\\s*(['"\`])(/|\\2)`, 'g');
const FASTIFY_ROUTE = /\b[\w$]+\s*\.\s*route\s*\(\s*\{/g;
const TRPC_IMPORT = /(?:from\s+|require\(\s*)['"](?:@trpc\/server|[./@~][^'"]*trpc[^'"]*)['"]/;
const TRPC_PROCEDURE = /^[ \t]*['"]?[\w$-]+['"]?\s*:\s*[\w$]*[pP]rocedure\b/gm;
/** `export const getUserRoute = adminProcedure.input(…).query(…)`: a procedure defined alone, listed in a router by name. */
const TRPC_DEFINED = /^[ \t]*(?:export\s+)?const\s+([\w$]+)\s*=\s*[\w$.]*[pP]rocedure\b/gm;
const TRPC_RESOLVER = /\.(?:query|mutation|subscription)\s*\(/;
const TS_REST_IMPORT = /(?:from\s+|require\(\s*)['"]@ts-rest\/core['"]/;
const TS_REST_METHOD = /\bmethod\s*:\s*['"](?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)['"]/g;
const RR_RESOURCE = /export\s+(?:async\s+)?(?:function|const|let)\s+(?:loader|action)\b/;
const NEXT_APP_EXPORT = /export\s+(?:async\s+)?(?:function|const)\s+(GET|POST|PUT|PATCH|DELETE|OPTIONS|HEAD)\b/g;

/** Whether the nearest package.json above `file` (inside `root`) depends on a server framework. */
const serverPackages = new Map();
function inServerPackage(root, file) {
  for (let dir = dirname(file); dir.startsWith(root); dir = dirname(dir)) {
    if (serverPackages.has(dir)) return serverPackages.get(dir);
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    const deps = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies });
    const server = deps.some((d) => SERVER_DEPENDENCY.test(d));
    serverPackages.set(dir, server);
    return server;
  }
  return false;
}

/** Registration sites of one tree: [{file (relative to the tree), line, kind}]. */
function oracle(root) {
  const sites = [];
  for (const file of oracleFiles(root, (name) => CODE.test(name) && !SKIP_FILE.test(name))) {
    const rel = relative(root, file);
    if (statSync(file).size > 400_000) continue;
    const text = readFileSync(file, 'utf8');
    if (/(^|\/)app\/(.*\/)?route\.[cm]?[jt]s$/.test(rel)) {
      for (const m of text.matchAll(NEXT_APP_EXPORT))
        sites.push({ file: rel, line: lineAt(text, m.index), kind: 'next-app' });
      continue;
    }
    if (/(^|\/)pages\/api\//.test(rel)) {
      if (/export\s+default\b/.test(text)) sites.push({ file: rel, line: 0, kind: 'next-pages' });
      continue;
    }
    if (/(^|\/)app\/routes\//.test(rel) && RR_RESOURCE.test(text) && !/export\s+default\b/.test(text)) {
      sites.push({ file: rel, line: 0, kind: 'rr-resource' });
      continue;
    }
    if (TRPC_IMPORT.test(text)) {
      for (const m of text.matchAll(TRPC_PROCEDURE))
        sites.push({ file: rel, line: lineAt(text, m.index), kind: 'trpc' });
      // A builder (`export const protectedProcedure = t.procedure.use(…)`) is not a procedure.
      if (TRPC_RESOLVER.test(text))
        for (const m of text.matchAll(TRPC_DEFINED))
          if (!/[pP]rocedure$/.test(m[1])) sites.push({ file: rel, line: lineAt(text, m.index), kind: 'trpc' });
    }
    if (TS_REST_IMPORT.test(text))
      for (const m of text.matchAll(TS_REST_METHOD))
        sites.push({ file: rel, line: lineAt(text, m.index), kind: 'ts-rest' });
    // A registration file may import only types (the app arrives as a parameter): the package's
    // dependencies decide then. Front-end packages calling `api.get('/users')` depend on no server.
    if (!SERVER_IMPORT.test(text) && !inServerPackage(root, file)) continue;
    for (const m of text.matchAll(DECORATOR)) sites.push({ file: rel, line: lineAt(text, m.index), kind: 'nest' });
    for (const m of text.matchAll(ROUTER_CALL)) sites.push({ file: rel, line: lineAt(text, m.index), kind: 'router' });
    for (const m of text.matchAll(FASTIFY_ROUTE)) {
      const body = text.slice(m.index, m.index + 600);
      if (/\bmethod\s*:/.test(body) && /\b(url|path)\s*:/.test(body))
        sites.push({ file: rel, line: lineAt(text, m.index), kind: 'fastify-route' });
    }
  }
  return sites;
}

function archlintRoutes(root) {
  const out = execFileSync(process.execPath, [archlint, 'routes', root, '--format', 'json'], {
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out).routes.filter((r) => r.source !== 'openapi');
}

const results = [];
let allSites = 0;
let allFound = 0;
let allFull = 0;
for (const name of names) {
  const root = join(trees, name);
  try {
    statSync(root);
  } catch {
    console.log(`${name}: no tree at ${root} (bench/realworld/prepare.mjs lays it out); skipped`);
    continue;
  }
  const sites = oracle(root);
  const routes = archlintRoutes(root).map((r) => ({ ...r, file: relative(root, resolve(r.file)) }));
  const byFile = new Map();
  for (const r of routes) {
    if (!byFile.has(r.file)) byFile.set(r.file, []);
    byFile.get(r.file).push(r);
  }
  const misses = [];
  let found = 0;
  let full = 0;
  for (const site of sites) {
    const inFile = byFile.get(site.file) ?? [];
    // A decorator sits a line or two above the method archlint may point at; a call's line is exact.
    const match =
      site.line === 0
        ? inFile[0]
        : inFile.find(
            (r) =>
              // A contract entry's key (archlint's line) may stand a few lines above its `method:`.
              r.line >= site.line - (site.kind === 'ts-rest' ? 8 : 1) &&
              r.line <= site.line + (site.kind === 'nest' ? 3 : 1),
          );
    if (!match) {
      misses.push(site);
      continue;
    }
    found++;
    if (!/<[^>]*>/.test(match.path)) full++;
  }
  allSites += sites.length;
  allFound += found;
  allFull += full;
  const pct = (n) => (sites.length ? `${((100 * n) / sites.length).toFixed(1)} %` : '—');
  console.log(
    `${name.padEnd(20)} sites ${String(sites.length).padStart(4)}  found ${String(found).padStart(4)} (${pct(found)})  full path ${pct(full)}  archlint routes ${routes.length}`,
  );
  for (const miss of misses.slice(0, showMisses))
    console.log(`    miss ${miss.kind.padEnd(13)} ${miss.file}:${miss.line}`);
  if (misses.length > showMisses) console.log(`    … ${misses.length - showMisses} more`);
  results.push({ name, sites: sites.length, found, full, routes: routes.length, misses });
}
const pct = (n) => (allSites ? `${((100 * n) / allSites).toFixed(1)} %` : '—');
console.log(
  `\nall: ${allSites} sites, found ${allFound} (${pct(allFound)}), with the full path ${allFull} (${pct(allFull)})`,
);
if (values.json) writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
