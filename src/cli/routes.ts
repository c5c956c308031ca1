/**
 * `archlint routes [paths]`: the HTTP inventory archlint believes the repository serves — every
 * endpoint with method, full path, where it is declared and which service it belongs to — so users
 * can check what the API rules will look at, and the role each endpoint has (the API rules judge
 * `resource` endpoints), and for code routes the auth archlint sees in front of them (`auth`: the guards, the
 * opt-out, or "unknown"). JSON: `{"routes": [{method, path, file, line, source, service, role, roleReason, auth?}]}`.
 */
import { Chalk } from 'chalk';
import { rules } from '../../rules/index.js';
import { loadConfig, parseSize } from '../config/index.js';
import { discover } from '../discover/index.js';
import { coreRuleMetas } from '../engine/core-rules.js';
import { Locator } from '../engine/locate.js';
import { defaultThreads } from '../util/parallel.js';
import type { InputEnv } from '../inputs/registry.js';
import { inputProviders } from '../inputs/registry.js';
import { createTextFiles } from '../inputs/text/index.js';
import { YamlDocuments } from '../inputs/yaml/documents.js';
import type { RawFinding } from '../model/finding.js';
import type { Endpoint, EndpointRole, HttpModel, HttpSource } from '../model/http.js';
import type { InputMap, InputName } from '../rule-api.js';
import { useColor } from './color.js';
import { printable } from '../util/printable.js';
import type { CliIo } from './io.js';

export interface RoutesFlags {
  format: 'pretty' | 'json';
  config?: string;
  color?: boolean;
}

export interface RouteRow {
  method: string;
  path: string;
  file: string;
  line: number;
  source: HttpSource;
  service: string;
  role: EndpointRole;
  roleReason: string;
  /** Why the route's only clients are the project's own (Endpoint.firstParty); absent when not known to be so. */
  firstParty?: string;
  /**
   * Authentication archlint sees in front of a code route (the guards that run before its handler, wherever
   * they come from: middleware, a Next.js middleware.ts whose matcher covers it, a check in the handler; or the
   * explicit opt-out), 'unknown' when it cannot tell. Absent for described operations (their `security` says it).
   */
  auth?: { guards: string[]; optOut?: string } | 'unknown';
  /** Not in the JSON contract: marks rows whose path or method could not be fully resolved. */
  lowConfidence: boolean;
}

export async function runRoutes(paths: string[], flags: RoutesFlags, io: CliIo): Promise<number> {
  const knownRuleIds = [...coreRuleMetas.map((m) => m.id), ...rules.map((r) => r.meta.id)];
  const loaded = await loadConfig({ cwd: io.cwd, ...(flags.config ? { configPath: flags.config } : {}), knownRuleIds });
  const maxFileSize = loaded.config.maxFileSize !== undefined ? parseSize(loaded.config.maxFileSize) : undefined;
  const fileSet = await discover(paths.length > 0 ? paths : ['.'], {
    cwd: io.cwd,
    ignore: loaded.config.ignore ?? [],
    ignoreBaseDir: loaded.baseDir,
    ...(maxFileSize !== undefined ? { maxFileSize } : {}),
  });
  const text = createTextFiles(fileSet);
  const yaml = new YamlDocuments(text);
  const problems: RawFinding[] = [];
  const built = new Map<InputName, Promise<unknown>>();
  const env: InputEnv = {
    cwd: io.cwd,
    fileSet,
    text,
    yaml,
    config: loaded,
    threads: defaultThreads(),
    // Only the files the graph parses are checked: the count below is of files that may hide routes.
    checkSyntax: false,
    report: (finding) => problems.push(finding),
    log: () => {},
    input: <K extends InputName>(name: K) => {
      let pending = built.get(name);
      if (!pending) built.set(name, (pending = Promise.resolve(inputProviders[name](env))));
      return pending as Promise<InputMap[K]>;
    },
  };
  const model: HttpModel = await env.input('http');
  const rows = routeRows(model, new Locator(text, yaml));

  if (flags.format === 'json') {
    const routesJson = rows.map(
      ({ method, path, file, line, source, service, role, roleReason, firstParty, auth }) => ({
        method,
        path,
        file,
        line,
        source,
        service,
        role,
        roleReason,
        ...(firstParty ? { firstParty } : {}),
        ...(auth ? { auth } : {}),
      }),
    );
    io.stdout.write(`${JSON.stringify({ routes: routesJson }, null, 2)}\n`);
  } else {
    io.stdout.write(renderTable(rows, model, useColor(flags.color, io)));
  }
  const unparsable = new Set(problems.filter((p) => p.ruleId === 'core/parse-error').map((p) => p.origin.file));
  if (unparsable.size > 0) {
    io.stderr.write(
      `archlint: ${unparsable.size} file(s) could not be parsed and may hide routes; "archlint lint" shows where\n`,
    );
  }
  return 0;
}

export function routeRows(model: HttpModel, locator: Locator): RouteRow[] {
  const rows = model.endpoints.map((endpoint: Endpoint) => ({
    method: endpoint.allMethods ? 'ALL' : endpoint.method.toUpperCase(),
    path: endpoint.path,
    file: endpoint.origin.file,
    line: locator.place(endpoint.origin).region.line,
    source: endpoint.source,
    service: endpoint.serviceId,
    role: endpoint.role,
    roleReason: endpoint.roleReason,
    ...(endpoint.firstParty ? { firstParty: endpoint.firstParty } : {}),
    ...(endpoint.source === 'typescript' ? { auth: endpoint.auth ?? ('unknown' as const) } : {}),
    lowConfidence: endpoint.confidence === 'low',
  }));
  return rows.sort(
    (a, b) =>
      compare(a.service, b.service) ||
      compare(a.path, b.path) ||
      compare(a.method, b.method) ||
      compare(a.file, b.file) ||
      a.line - b.line,
  );
}

function renderTable(rows: RouteRow[], model: HttpModel, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  if (rows.length === 0) return `No HTTP routes found (${model.services.length} service(s)).\n`;
  const out: string[] = [];
  const services = new Map(model.services.map((s) => [s.id, s]));
  const methodWidth = Math.max(6, ...rows.map((r) => printable(r.method).length));
  const pathWidth = Math.min(70, Math.max(4, ...rows.map((r) => printable(r.path).length + (r.lowConfidence ? 2 : 0))));
  const roleWidth = Math.max(
    0,
    ...rows.filter((r) => r.role !== 'resource' || r.firstParty).map((r) => roleLabel(r).length),
  );
  let current: string | undefined;
  // Paths, file names and service names come from the repository: escaped before padding, so widths stay true.
  rows = rows.map((r) => ({ ...r, method: printable(r.method), path: printable(r.path), file: printable(r.file) }));
  for (const row of rows) {
    if (row.service !== current) {
      current = row.service;
      const service = services.get(row.service);
      const count = rows.filter((r) => r.service === row.service).length;
      const label = service
        ? `${printable(service.id)} (${service.framework ?? row.source})`
        : `${printable(row.service)} (not mounted in any service found)`;
      if (out.length > 0) out.push('');
      out.push(c.bold(`${label} — ${count} route${count === 1 ? '' : 's'}`));
    }
    const path = row.lowConfidence ? `${row.path} ?` : row.path;
    // Only roles other than `resource` are named: they are the endpoints the API rules leave alone.
    // A first-party resource route is judged, but not by the rules about clients deployed apart from it (versions).
    const role =
      row.role !== 'resource'
        ? c.yellow(row.role.padEnd(roleWidth))
        : row.firstParty
          ? c.dim(roleLabel(row).padEnd(roleWidth))
          : ''.padEnd(roleWidth);
    const auth = authLabel(row);
    out.push(
      `  ${c.cyan(row.method.padEnd(methodWidth))}  ${path.padEnd(pathWidth)}  ${role}  ${c.dim(`${row.file}:${row.line}`)}${auth ? `  ${c.dim(printable(auth))}` : ''}`,
    );
  }
  const low = rows.filter((r) => r.lowConfidence).length;
  const roles = new Map<string, number>();
  for (const row of rows) if (row.role !== 'resource') roles.set(row.role, (roles.get(row.role) ?? 0) + 1);
  out.push('');
  if (roles.size > 0) {
    const counts = [...roles]
      .sort(([a], [b]) => compare(a, b))
      .map(([role, n]) => `${n} ${role}`)
      .join(', ');
    out.push(`Not judged as resource API: ${counts}. Why:`);
    // Each distinct reason once, with how many routes it covers: what makes a route first-party, a protocol, a probe.
    const reasons = new Map<string, { role: string; reason: string; count: number }>();
    for (const row of rows) {
      if (row.role === 'resource') continue;
      const key = `${row.role} ${row.roleReason}`;
      const entry = reasons.get(key) ?? { role: row.role, reason: row.roleReason, count: 0 };
      reasons.set(key, { ...entry, count: entry.count + 1 });
    }
    for (const { role, reason, count } of [...reasons.values()].sort(
      (a, b) => compare(a.role, b.role) || b.count - a.count || compare(a.reason, b.reason),
    )) {
      out.push(`  ${String(count).padStart(4)} ${c.yellow(role)}: ${printable(reason)}`);
    }
  }
  const firstParty = new Map<string, number>();
  for (const row of rows)
    if (row.role === 'resource' && row.firstParty)
      firstParty.set(row.firstParty, (firstParty.get(row.firstParty) ?? 0) + 1);
  for (const [reason, count] of firstParty)
    out.push(`  ${String(count).padStart(4)} ${c.dim('first-party')} resource route(s): ${printable(reason)}`);
  out.push(
    `${rows.length} route${rows.length === 1 ? '' : 's'} in ${new Set(rows.map((r) => r.service)).size} service(s)${low ? `; ${low} marked ? could not be fully resolved (a prefix or method computed at run time, or a router mounted where archlint cannot see)` : ''}.`,
  );
  return `${out.join('\n')}\n`;
}

/** The auth evidence of a code route, when there is some to show: its guards, its opt-out, or that it is not known. */
function authLabel(row: RouteRow): string | undefined {
  if (row.auth === undefined) return undefined;
  if (row.auth === 'unknown') return 'auth: ?';
  if (row.auth.guards.length > 0) return `auth: ${row.auth.guards.join(', ')}`;
  return row.auth.optOut ? `public: ${row.auth.optOut}` : undefined;
}

const roleLabel = (row: RouteRow) => (row.role === 'resource' && row.firstParty ? 'first-party' : row.role);

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
