import {
  defineRule,
  dialectRecord,
  formatTableName,
  type Located,
  type Schema,
  type SqlDialect,
  type TableName,
  addTo,
} from '../../src/rule-api.js';

type Action = 'creates' | 'alters' | 'drops' | 'renames' | 'indexes';

/** What one service's migrations do to one table: the first statement that touches it, and its first CREATE. */
interface Use {
  first: { action: Action; at: Located };
  /** Position of that first statement among the service's statements: findings follow the history's order. */
  order: number;
  created?: Located;
  statements: number;
  /** It alters, drops or renames the table (more than creating it and its indexes). */
  changes: boolean;
  /** The table's columns (see `shape`) as first created and as left after this service's migrations. */
  shapes: Set<string>;
}

interface ServiceTables {
  /** The migration folder root, as the schema model gives it. */
  root: string;
  uses: Map<string, Use>;
  names: Map<string, TableName>;
}

/**
 * Folder names that hold one database engine's copy of the same migrations (`db/postgresql/…` next
 * to `db/mysql/…`): alternatives for one service, not two services.
 */
const DIALECT_FOLDER = /^(postgres|postgresql|pg|psql|cockroach|cockroachdb|mysql|mariadb|sqlite|sqlite3)$/i;

/** Two dialects that can be one database: MySQL and MariaDB. Tables in different databases cannot be shared. */
const family = (dialect: SqlDialect) => dialectRecord(dialect).family;

/** PostgreSQL keeps quoted names' case; MySQL and SQLite compare names without it. Compared without case either way. */
const tableKey = (name: TableName) => formatTableName(name).toLowerCase();

/** The table an event is about, and what it does to it; undefined for events with no table (`DROP INDEX name`). */
function touched(event: Schema['events'][number]): { table: TableName; action: Action } | undefined {
  switch (event.kind) {
    case 'create-table':
      return { table: event.table, action: 'creates' };
    case 'drop-table':
      return { table: event.table, action: 'drops' };
    case 'rename-table':
      return { table: event.table, action: 'renames' };
    case 'create-index':
      return { table: event.index.table, action: 'indexes' };
    case 'drop-index':
    case 'rename-index':
      return event.table ? { table: event.table, action: 'indexes' } : undefined;
    default:
      return { table: event.table, action: 'alters' };
  }
}

function serviceOf(schemas: Schema[]): ServiceTables {
  const service: ServiceTables = { root: schemas[0]!.root, uses: new Map(), names: new Map() };
  let order = 0;
  for (const schema of schemas) {
    for (const event of schema.events) {
      const touch = touched(event);
      if (!touch) continue;
      const key = tableKey(touch.table);
      const use = service.uses.get(key) ?? {
        first: { action: touch.action, at: event },
        order: order++,
        statements: 0,
        changes: false,
        shapes: new Set<string>(),
      };
      use.statements++;
      if (touch.action === 'alters' || touch.action === 'drops' || touch.action === 'renames') use.changes = true;
      if (touch.action === 'creates' && !use.created && event.kind === 'create-table')
        use.shapes.add(shape(event.columns));
      if (touch.action === 'creates') use.created ??= event;
      service.uses.set(key, use);
      if (!service.names.has(key)) service.names.set(key, touch.table);
      // The renamed table lives on under its new name, still this service's.
      if (event.kind === 'rename-table') {
        const to = tableKey(event.to);
        if (!service.uses.has(to))
          service.uses.set(to, {
            first: { action: 'creates', at: event },
            order: order++,
            created: event,
            statements: 0,
            changes: true,
            shapes: new Set(),
          });
        if (!service.names.has(to)) service.names.set(to, event.to);
      }
    }
  }
  for (const [key, use] of service.uses) {
    for (const schema of schemas) {
      const table = schema.table(service.names.get(key)!);
      if (table?.declared) use.shapes.add(shape(table.columns));
    }
  }
  return service;
}

/** A table's columns by name and type, in name order: two histories that write the same table agree on it. */
function shape(columns: ReadonlyArray<{ name: string; type: { name: string; array: boolean } }>): string {
  return columns
    .map((column) => `${column.name.toLowerCase()} ${column.type.name}${column.type.array ? '[]' : ''}`)
    .sort()
    .join(', ');
}

/**
 * Two histories that create the table with the same columns (as first created or as left at the end),
 * where one of them never changes it, are one schema written twice — a stale migration folder from an
 * earlier set-up, or a dump generated from the ORM's schema — not two owners. archlint cannot tell
 * which is live, and that is no shared table: it says nothing.
 */
function isCopy(a: Use, b: Use): boolean {
  if (!a.created || !b.created || (a.changes && b.changes)) return false;
  for (const shapeOfA of a.shapes) if (shapeOfA !== '' && b.shapes.has(shapeOfA)) return true;
  return false;
}

/**
 * Two folders that each create most of the same tables (at least three, and most of the smaller
 * folder's) are one schema written twice — a generated per-table dump next to the ORM's migration
 * history, or an old history left beside the new one, each drifted from the other — not two services
 * that each own a copy: services that share a database share a few tables, not their whole schema.
 */
function isSameSchema(a: ServiceTables, b: ServiceTables): boolean {
  const createdBy = (service: ServiceTables) => [...service.uses].filter(([, use]) => use.created).map(([key]) => key);
  const ofA = createdBy(a);
  const ofB = new Set(createdBy(b));
  const both = ofA.filter((key) => ofB.has(key)).length;
  return both >= 3 && both * 2 > Math.min(ofA.length, ofB.size);
}

/** The part of each root below the folder every root shares: judged for dialect folders. */
function relativeRoots(roots: string[]): Map<string, string[]> {
  const split = roots.map((root) => root.split('/').filter((s) => s !== '' && s !== '.'));
  let common = 0;
  while (split.every((parts) => parts.length > common && parts[common] === split[0]![common]) && split.length > 1)
    common++;
  return new Map(roots.map((root, i) => [root, split[i]!.slice(common)]));
}

/** One service per migration root, dialect folders folded together (`db/mysql/migrations` ≡ `db/postgresql/migrations`). */
function serviceKey(segments: string[]): string {
  return segments.filter((s) => !DIALECT_FOLDER.test(s)).join('/');
}

const PHRASE: Record<Action, string> = {
  creates: 'also creates it',
  alters: 'alters it',
  drops: 'drops it',
  renames: 'renames it',
  indexes: 'changes its indexes',
};

export default defineRule({
  meta: {
    id: 'arch/shared-tables',
    title: 'Each table is owned by the migrations of one service',
    severity: 'warning',
    requires: ['schema'],
    tags: ['architecture', 'database', 'service-boundaries'],
    why:
      'When two services create, alter or drop the same table, neither owns it: a column one renames breaks the ' +
      'other at run time, deploys must be coordinated, each migration history describes only part of the table, ' +
      'and the two services are one system in disguise. Services that own their data can change it alone.',
    fix:
      'Give the table one owner: keep its migrations in that service only, and let the others read and write the ' +
      "data through the owner's API or events (or a read-only view the owner publishes). If both services really " +
      'are one, merge their migration folders. A service is a deployable unit: the nearest folder above the ' +
      'migrations holding a build manifest (package.json, go.mod, pom.xml, build.gradle, Cargo.toml, pyproject.toml…), ' +
      'else the migration folder root — two migration folders of one package (a core and an enterprise folder run ' +
      "by one migrator) are one service. Each pair of services is reported once, naming every table they share. Copies of one service's " +
      'migrations for another database engine (`db/mysql/…` next to `db/postgresql/…`), test schemas, and a ' +
      'second copy of the same tables (a stale migration folder or a generated schema dump that creates them with ' +
      'the same columns and never changes them, or two folders that each create most of the same tables, drifted ' +
      'apart) are not other services.',
    examples: {
      bad: [
        {
          description: "The billing service adds a column to the orders service's table",
          files: {
            'services/orders/migrations/001_orders.sql':
              'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12, 2) NOT NULL);\n',
            'services/billing/migrations/001_invoices.sql': [
              'CREATE TABLE invoices (id bigint PRIMARY KEY, order_id bigint NOT NULL);',
              'ALTER TABLE orders ADD COLUMN invoiced_at timestamptz;',
              '',
            ].join('\n'),
          },
        },
      ],
      good: [
        {
          description: 'Each service changes only its own tables; billing keeps the order id it was given',
          files: {
            'services/orders/migrations/001_orders.sql':
              'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12, 2) NOT NULL);\n',
            'services/billing/migrations/001_invoices.sql':
              'CREATE TABLE invoices (id bigint PRIMARY KEY, order_id bigint NOT NULL, invoiced_at timestamptz);\n',
          },
        },
      ],
    },
    messages: {
      shared:
        'Table {{table}} is created by the migrations in {{owner}}, but {{service}} {{action}}{{more}}{{others}}: a table should belong to one service',
    },
  },
  check(ctx) {
    // Tables in different database engines cannot be the same table: compare schemas of one dialect family.
    const byFamily = new Map<string, Schema[]>();
    for (const schema of ctx.schema.schemas) addTo(byFamily, family(schema.dialect), schema);
    for (const schemas of byFamily.values()) {
      // A service is a deployable unit (the package holding the migrations), not a folder: a core and an
      // enterprise migration folder of one package run in one migrator, on one database.
      const unitOf = (schema: Schema) => schema.buildUnit ?? schema.root;
      const relative = relativeRoots([...new Set(schemas.map(unitOf))]);
      const grouped = new Map<string, Schema[]>();
      for (const schema of schemas) {
        // Test copies of a schema (`test/fixtures/…`) never reach here: the SQL input leaves test folders out.
        const key = serviceKey(relative.get(unitOf(schema))!);
        addTo(grouped, key, schema);
      }
      if (grouped.size < 2) continue;
      const services = [...grouped.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, group]) => serviceOf(group));
      const tables = new Set(services.flatMap((service) => [...service.uses.keys()]));
      // One finding per pair of services (one cause: one service reaching into another's data), naming every table.
      const pairs = new Map<string, { owner: ServiceTables; service: ServiceTables; keys: string[] }>();
      for (const key of [...tables].sort()) {
        // The owner is the first service (by folder) that creates the table; a table nobody here creates has no known owner.
        const owner = services.find((service) => service.uses.get(key)?.created);
        if (!owner) continue;
        for (const service of services) {
          const use = service.uses.get(key);
          if (service === owner || !use) continue;
          // A copy of any history here that creates the table (the owner's, or one the owner copies) is no second owner.
          if (
            services.some(
              (other) => other !== service && other.uses.get(key)?.created && isCopy(other.uses.get(key)!, use),
            )
          )
            continue;
          if (
            use.created &&
            services.some((other) => other !== service && other.uses.get(key)?.created && isSameSchema(other, service))
          )
            continue;
          const pairKey = `${owner.root}\u0000${service.root}`;
          const pair = pairs.get(pairKey) ?? { owner, service, keys: [] };
          pair.keys.push(key);
          pairs.set(pairKey, pair);
        }
      }
      for (const { owner, service, keys } of pairs.values()) {
        const [key, ...rest] = keys.sort((a, b) => service.uses.get(a)!.order - service.uses.get(b)!.order) as [
          string,
          ...string[],
        ];
        const use = service.uses.get(key)!;
        const name = (k: string) => formatTableName(owner.names.get(k)!);
        const more = use.statements > 1 ? ` (${use.statements} statements)` : '';
        const others =
          rest.length === 0 ? '' : `; it also touches ${rest.length} more of its tables (${rest.map(name).join(', ')})`;
        ctx.report({
          at: use.first.at,
          messageId: 'shared',
          data: {
            table: name(key),
            owner: owner.root,
            service: service.root,
            action: PHRASE[use.first.action],
            more,
            others,
          },
          related: [
            { at: owner.uses.get(key)!.created!, message: `${owner.root} creates ${name(key)} here` },
            ...rest.map((k) => ({
              at: service.uses.get(k)!.first.at,
              message: `${service.root} ${PHRASE[service.uses.get(k)!.first.action].replace(/ it$/, '')} ${name(k)} here, which ${owner.root} creates`,
            })),
          ],
        });
      }
    }
  },
});
