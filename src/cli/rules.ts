/**
 * `archlint rules`: the rules grouped by domain (the part of the id before `/`), or their JSON form,
 * a flat array `[{id, title, severity, requires, tags}]` sorted by id.
 */
import { Chalk } from 'chalk';
import { addTo } from '../util/multimap.js';
import type { RuleMeta } from '../rule-api.js';
import { allRuleMetas } from './catalogue.js';
import type { CliIo } from './io.js';
import { useColor } from './color.js';

/** What each domain covers, shown next to its heading; a domain not listed is shown by its name alone. */
const DOMAIN_TITLES: Record<string, string> = {
  api: 'API design',
  arch: 'architecture and service boundaries',
  core: "archlint's own diagnostics",
  db: 'database design',
  ops: 'operations',
  perf: 'performance',
  resilience: 'failure handling',
  security: 'secrets and access',
};

export function domainOf(id: string): string {
  return id.slice(0, id.indexOf('/'));
}

/** Rules by domain, domains in alphabetical order with archlint's own `core` last; rules by id within each. */
export function groupByDomain(metas: readonly RuleMeta[]): Array<{ domain: string; metas: RuleMeta[] }> {
  const groups = new Map<string, RuleMeta[]>();
  for (const meta of metas) addTo(groups, domainOf(meta.id), meta);
  const rank = (domain: string) => (domain === 'core' ? 1 : 0);
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([domain, list]) => ({ domain, metas: list }));
}

export async function runRules(flags: { format: 'pretty' | 'json'; color?: boolean }, io: CliIo): Promise<number> {
  const metas = allRuleMetas();
  if (flags.format === 'json') {
    const rows = metas.map(({ id, title, severity, requires, tags }) => ({ id, title, severity, requires, tags }));
    io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const c = new Chalk({ level: useColor(flags.color, io) ? 1 : 0 });
  const header = ['RULE', 'SEVERITY', 'READS', 'CHECKS THAT'];
  const cells = (m: RuleMeta) => [m.id, m.severity, m.requires.join(', ') || '-', m.title];
  // One set of column widths for every group, so the columns line up down the whole list.
  const widths = header.slice(0, 3).map((h, i) => Math.max(h.length, ...metas.map((m) => cells(m)[i]!.length)));
  const line = (row: string[], paint: (severity: string) => string = (s) => s) =>
    row
      .map((cell, i) => (i === 1 ? paint(cell.padEnd(widths[i]!)) : i < 3 ? cell.padEnd(widths[i]!) : cell))
      .join('  ')
      .trimEnd();
  const out = [c.bold(line(header))];
  for (const { domain, metas: group } of groupByDomain(metas)) {
    const title = DOMAIN_TITLES[domain];
    out.push('', `${c.bold(domain)}${title ? c.dim(` — ${title}`) : ''} ${c.dim(`(${group.length})`)}`);
    for (const meta of group) {
      const paint = meta.severity === 'error' ? c.red : meta.severity === 'warning' ? c.yellow : c.cyan;
      out.push(line(cells(meta), paint));
    }
  }
  out.push('', c.dim('Run "archlint explain <rule>" for why a rule matters and how to fix what it finds.'));
  io.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
