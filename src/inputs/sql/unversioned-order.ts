/**
 * Files whose names carry no version (`patch-add-status-page.sql`) say nothing about when they run;
 * the order they are sorted in (first, by path) is archlint's guess, and another program decides the
 * real one (uptime-kuma's database.js lists its patches). What a file does says part of it: a file
 * that alters, indexes or plainly drops (no `IF EXISTS`) a table runs after the file that creates it.
 * An unversioned file that needs a table only later files create is moved after the last of them;
 * nothing else moves, so an order that was possible stays as it was.
 */
import type { SchemaEvent, TableName } from '../../model/schema.js';

export interface OrderedFile {
  /** The file's name carries no version: its place is a guess. */
  unversioned: boolean;
  events: readonly SchemaEvent[];
}

const key = (table: TableName) => `${table.schema?.toLowerCase() ?? ''}.${table.name.toLowerCase()}`;

/** Tables the file creates (or renames into being), and the tables it needs before it creates any of its own. */
function tablesOf(events: readonly SchemaEvent[]): { creates: Set<string>; needs: Set<string> } {
  const creates = new Set<string>();
  const needs = new Set<string>();
  const need = (table: TableName | undefined) => {
    if (table && !creates.has(key(table))) needs.add(key(table));
  };
  for (const event of events) {
    switch (event.kind) {
      case 'create-table':
        creates.add(key(event.table));
        break;
      case 'rename-table':
        need(event.table);
        creates.add(key(event.to));
        break;
      case 'drop-table':
        if (!event.ifExists) need(event.table);
        break;
      case 'add-column':
      case 'drop-column':
      case 'rename-column':
      case 'alter-column':
      case 'add-constraint':
      case 'drop-constraint':
        need(event.table);
        break;
      case 'create-index':
        need(event.index.table);
        break;
      default:
        break;
    }
  }
  return { creates, needs };
}

/** The files in the order they can run: the given one, with each unversioned file that needs a later file's table moved after it. */
export function orderByNeeds<T extends OrderedFile>(files: readonly T[]): T[] {
  const facts = files.map((file) => tablesOf(file.events));
  const order = files.map((_, i) => i);
  for (let i = 0; i < files.length; i++) {
    if (!files[i]!.unversioned) continue;
    const position = order.indexOf(i);
    let after = -1;
    for (const table of facts[i]!.needs) {
      const before = order.slice(0, position).some((j) => facts[j]!.creates.has(table));
      if (before) continue;
      for (let p = position + 1; p < order.length; p++)
        if (facts[order[p]!]!.creates.has(table)) after = Math.max(after, p);
    }
    if (after < 0) continue;
    order.splice(position, 1);
    order.splice(after, 0, i);
  }
  return order.map((i) => files[i]!);
}
