/**
 * The names PostgreSQL gives unnamed indexes and constraints (ChooseRelationName / makeObjectName),
 * so that a later `DROP INDEX orders_customer_id_idx` or `DROP CONSTRAINT orders_pkey` finds what
 * an unnamed `CREATE INDEX … ON orders (customer_id)` or inline `PRIMARY KEY` created.
 */
const NAMEDATALEN = 63;

export type NameSuffix = 'idx' | 'key' | 'pkey' | 'fkey';

/** `<table>_<col>_<col>_<suffix>`, shortened the way PostgreSQL shortens it to fit 63 bytes. Expressions count as `expr`. */
export function defaultIndexName(table: string, columns: ReadonlyArray<string | null>, suffix: NameSuffix): string {
  const label = suffix === 'pkey' ? undefined : columns.map((column) => column ?? 'expr').join('_');
  return makeObjectName(table, label, suffix);
}

function makeObjectName(name1: string, name2: string | undefined, label: string): string {
  const overhead = label.length + 1 + (name2 !== undefined ? 1 : 0);
  const available = NAMEDATALEN - overhead;
  let keep1 = name1.length;
  let keep2 = name2?.length ?? 0;
  while (keep1 + keep2 > available) {
    if (keep1 > keep2) keep1--;
    else keep2--;
  }
  return `${name1.slice(0, keep1)}${name2 !== undefined ? `_${name2.slice(0, keep2)}` : ''}_${label}`;
}
