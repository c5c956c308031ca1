/** `archlint rules`: the rule table, or its JSON form `[{id, title, severity, requires, tags}]`. */
import { Chalk } from 'chalk';
import { allRuleMetas } from './catalogue.js';
import type { CliIo } from './io.js';
import { useColor } from './color.js';

export async function runRules(flags: { format: 'pretty' | 'json'; color: boolean }, io: CliIo): Promise<number> {
  const metas = allRuleMetas();
  if (flags.format === 'json') {
    const rows = metas.map(({ id, title, severity, requires, tags }) => ({ id, title, severity, requires, tags }));
    io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const c = new Chalk({ level: useColor(flags.color, io) ? 1 : 0 });
  const header = ['RULE', 'SEVERITY', 'READS', 'CHECKS THAT'];
  const rows = metas.map((m) => [m.id, m.severity, m.requires.join(', ') || '-', m.title]);
  const widths = header.slice(0, 3).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ').trimEnd();
  const out = [c.bold(line(header))];
  for (const row of rows) {
    const paint = row[1] === 'error' ? c.red : row[1] === 'warning' ? c.yellow : c.cyan;
    const padded = line(row);
    out.push(padded.replace(row[1]!.padEnd(widths[1]!), paint(row[1]!.padEnd(widths[1]!))));
  }
  out.push('', c.dim('Run "archlint explain <rule>" for why a rule matters and how to fix what it finds.'));
  io.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
