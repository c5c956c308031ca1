import {
  dialectRecord,
  defineRule,
  formatTableName,
  ormJoinTableOf,
  type Index,
  type Located,
  type Schema,
  type Table,
} from '../../src/rule-api.js';

/** Something on the table that can serve an index lookup: an index, the primary key or a unique constraint. */
interface Lookup {
  label: string;
  columns: ReadonlyArray<string | null>;
  unique: boolean;
  /** Undefined for a full index; the canonical predicate of a partial one. */
  predicate?: string;
  /** A partial index whose predicate could not be read: it covers nothing we can compare. */
  unknownPredicate?: boolean;
  /** Access method; undefined is the default B-tree. */
  method?: string;
  /** Per element, a collation or operator class of its own (Index.elementOptions): another ordering, other lookups. */
  options?: ReadonlyArray<string | undefined>;
  at: Located;
  /** Position among the table's indexes (constraints come first, at -1): of two equal indexes, the later is the copy. */
  order: number;
}

function indexLabel(index: Index): string {
  // InnoDB's own index for a foreign key (MySQL): made by the engine, named after the key.
  if (index.implicit) return `the index InnoDB made for foreign key ${index.name}`;
  return index.name ? `index ${index.name}` : 'an unnamed index';
}

function lookups(table: Table): Lookup[] {
  return [
    ...(table.primaryKey
      ? [{ label: 'the primary key', columns: table.primaryKey.columns, unique: true, at: table.primaryKey, order: -1 }]
      : []),
    ...table.uniques.map((unique) => ({
      label: unique.name ? `unique constraint ${unique.name}` : 'a unique constraint',
      columns: unique.columns,
      unique: true,
      at: unique,
      order: -1,
    })),
    ...table.indexes.map((index, order) => ({
      label: indexLabel(index),
      columns: index.columns,
      unique: index.unique,
      ...(index.predicate !== undefined ? { predicate: index.predicate } : {}),
      ...(index.partial && index.predicate === undefined ? { unknownPredicate: true } : {}),
      ...(index.method !== undefined ? { method: index.method } : {}),
      ...(index.elementOptions !== undefined ? { options: index.elementOptions } : {}),
      at: index,
      order,
    })),
  ];
}

/** Key elements: columns, and the collation or operator class each was given, if any. */
interface Keys {
  columns: ReadonlyArray<string | null>;
  options?: ReadonlyArray<string | undefined>;
}
/** The same column with the same collation and operator class: the same order, the same lookups. */
const sameElement = (a: Keys, b: Keys, i: number) => a.columns[i] === b.columns[i] && a.options?.[i] === b.options?.[i];
const sameColumns = (a: Keys, b: Keys) =>
  a.columns.length === b.columns.length && a.columns.every((_, i) => sameElement(a, b, i));
const isPrefix = (short: Keys, long: Keys) =>
  short.columns.length < long.columns.length && short.columns.every((_, i) => sameElement(short, long, i));

/**
 * What makes `index` redundant, if anything: another lookup with the same method and predicate whose
 * columns equal it, or (B-tree only: other methods do not search by leading columns) start with it.
 * A unique index enforces something a wider or non-unique index does not, so only an equal unique
 * key (or the primary key) makes it redundant. Of two identical indexes, the later one is reported.
 */
function coveringLookup(index: Index, order: number, all: Lookup[]): { by: Lookup; duplicate: boolean } | undefined {
  if (index.expression || (index.partial && index.predicate === undefined)) return undefined;
  const keys: Keys = { columns: index.columns, ...(index.elementOptions ? { options: index.elementOptions } : {}) };
  for (const other of all) {
    if (other.order === order || other.method !== index.method || other.predicate !== index.predicate) continue;
    if (other.columns.some((c) => c === null) || other.unknownPredicate) continue;
    if (sameColumns(keys, other)) {
      // Identical: the non-unique one is the copy; between equals, the one declared later.
      if (index.unique && !other.unique) continue;
      if (index.unique === other.unique && other.order > order) continue;
      return { by: other, duplicate: true };
    }
    if (!index.unique && index.method === undefined && isPrefix(keys, other)) return { by: other, duplicate: false };
  }
  return undefined;
}

function dropStatement(schema: Schema, table: Table, index: Index): string | undefined {
  return index.name ? dialectRecord(schema.dialect).dropIndex(index.name, table.name) : undefined;
}

export default defineRule({
  meta: {
    id: 'db/redundant-indexes',
    title: 'No index is a leading prefix or a copy of another index on the same table',
    severity: 'note',
    requires: ['schema'],
    tags: ['database', 'performance'],
    why:
      'A B-tree index on (a, b) serves every lookup and sort an index on (a) alone would serve, so the shorter one ' +
      'only costs: every INSERT, UPDATE and DELETE maintains it, it takes disk and memory the useful indexes need, ' +
      'and it gives the planner one more wrong choice. Copies of an index (same columns, often added by a later ' +
      'migration that did not know about the first) cost the same for nothing. The check runs on the state after ' +
      'every migration. Not reported: the join table TypeORM generates for a `@ManyToMany` relation (only the two ' +
      "key columns, each a foreign key, with one `IDX_<hash>` index per side): its indexes are the ORM's, and one " +
      'dropped there comes back with the next generated migration. Nor is an index whose column has a collation or ' +
      'operator class of its own (`name COLLATE "C"`, `name text_pattern_ops`) compared with one that has not: it ' +
      "sorts and compares otherwise, so it serves other queries (`LIKE 'abc%'` under a non-C locale, byte order).",
    fix:
      'Drop the redundant index (`DROP INDEX CONCURRENTLY name` on a busy PostgreSQL table) in a new migration. ' +
      'Keep it if it is unique (a unique index enforces a rule the wider index does not — it is never reported ' +
      'against a non-unique one), if it is much smaller and the hot path needs exactly it, or if the wider index ' +
      'is partial or of another kind (GIN, hash): those are not compared.',
    examples: {
      bad: [
        {
          description:
            'orders_status_idx (status) is the leading prefix of orders_status_created_at_idx (status, created_at)',
          files: {
            'db/migrations/001_orders.sql': [
              'CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, created_at timestamptz NOT NULL);',
              'CREATE INDEX orders_status_idx ON orders (status);',
              '',
            ].join('\n'),
            'db/migrations/002_list_index.sql':
              'CREATE INDEX CONCURRENTLY orders_status_created_at_idx ON orders (status, created_at);\n',
          },
        },
      ],
      good: [
        {
          description:
            'A unique index is not redundant to a wider non-unique one; the other order of columns is another index',
          files: {
            'db/migrations/001_users.sql': [
              'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, tenant_id bigint NOT NULL);',
              'CREATE UNIQUE INDEX users_email_key ON users (email);',
              'CREATE INDEX users_email_tenant_idx ON users (email, tenant_id);',
              'CREATE INDEX users_tenant_email_idx ON users (tenant_id, email);',
              '',
            ].join('\n'),
          },
        },
      ],
    },
    messages: {
      prefix:
        '{{index}} on {{table}}({{columns}}) is redundant: its columns lead {{other}} ({{otherColumns}}), which serves the same lookups',
      duplicate: '{{index}} on {{table}}({{columns}}) duplicates {{other}} on the same columns',
    },
  },
  check(ctx) {
    for (const schema of ctx.schema.schemas) {
      for (const table of schema.tables) {
        // The ORM's join table: its indexes are regenerated from the relation, not the team's to drop.
        if (ormJoinTableOf(table)) continue;
        const all = lookups(table);
        // A constraint's index carries the constraint's name: `CREATE INDEX IF NOT EXISTS <that name>` created nothing.
        const constraintNames = new Set(
          [table.primaryKey?.name, ...table.uniques.map((u) => u.name)].filter((n) => n !== undefined),
        );
        table.indexes.forEach((index, order) => {
          if (index.name !== undefined && constraintNames.has(index.name)) return;
          // InnoDB's index for a foreign key goes by itself once another index serves the key: never the team's to drop.
          if (index.implicit) return;
          const found = coveringLookup(index, order, all);
          if (!found) return;
          const { by, duplicate } = found;
          const drop = dropStatement(schema, table, index);
          ctx.report({
            at: index,
            messageId: duplicate ? 'duplicate' : 'prefix',
            data: {
              index: `${index.unique ? 'Unique index' : 'Index'} ${index.name ?? '(unnamed)'}`,
              table: formatTableName(table.name),
              columns: index.columns.join(', '),
              other: by.label,
              otherColumns: by.columns.join(', '),
            },
            ...(drop
              ? { fix: { description: `Drop ${indexLabel(index)}: ${by.label} serves its lookups`, text: drop } }
              : {}),
            related: [{ at: by.at, message: `${by.label} (${by.columns.join(', ')}) is declared here` }],
          });
        });
      }
    }
  },
});
