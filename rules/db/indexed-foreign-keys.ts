import {
  dialectRecord,
  addTo,
  defineRule,
  formatTableName,
  mayReadForKeyUse,
  mayReadForSqlKeyUse,
  sqlIdentifier,
  sqlTableName,
  tableMentions,
  type ForeignKey,
  type Index,
  type RemovedIndex,
  type Schema,
  type Table,
  type TableMentions,
} from '../../src/rule-api.js';

/**
 * The key lists that can serve a lookup by the foreign key: primary key, unique constraints, full
 * indexes, and partial indexes whose predicate only asks that some of the key's columns be non-null
 * (`WHERE parent_id IS NOT NULL`): every lookup by the key compares its columns with a value, which
 * implies they are not null, so the predicate holds for every row it looks for.
 */
function keyLists(table: Table, fk: ForeignKey): Array<ReadonlyArray<string | null>> {
  const serves = (index: Index) =>
    !index.partial || (index.predicateNotNull?.every((column) => fk.columns.includes(column)) ?? false);
  return [
    ...(table.primaryKey ? [table.primaryKey.columns] : []),
    ...table.uniques.map((unique) => unique.columns),
    ...table.indexes.filter(serves).map((index) => index.columns),
  ];
}

/**
 * The foreign key's columns are the leading columns of `keys`, in any order (an expression element
 * never matches). The lookups a foreign key causes — the referencing rows of one parent, on its
 * delete or key update, and a join from parent to children — compare every key column for equality,
 * and a B-tree serves an equality on all its leading columns whatever their order: PK
 * (project_id, conversation_id, seq) serves FK (conversation_id, project_id).
 */
function leads(keys: ReadonlyArray<string | null>, fk: ForeignKey): boolean {
  if (fk.columns.length === 0 || keys.length < fk.columns.length) return false;
  const leading = new Set(keys.slice(0, fk.columns.length));
  return fk.columns.every((column) => leading.has(column)) && new Set(fk.columns).size === fk.columns.length;
}

/**
 * Who created, changed or brought in a row, kept as history: `created_by`, `updated_by`,
 * `deleted_by_user_id`, `createdById`, `addedBy`, `scannedById`, `inviter_id`,
 * `subscriptionCreatedByUserId` … (compared without case or underscores).
 */
const AUDIT_COLUMN =
  /(?:(?:created|updated|modified|deleted|edited|changed|archived|approved|reviewed|published|invited|impersonated|added|scanned)by|^inviter)(?:user)?(?:id|uid)?$/;

/**
 * An audit reference: one column naming the user who created, changed or brought in the row, whose
 * foreign key is known not to cascade (`SET NULL`, `NO ACTION`, `RESTRICT`; an action archlint cannot
 * read counts as unknown, and the key is reported). The row
 * does not go away with that user, so it belongs to something else (a project, a team, a list) and is
 * looked up by that; the reference only records history. The one lookup this key causes is on the
 * rare deletion of a user, so an index on it would cost every insert for nothing. Rows deleted with
 * their user (`CASCADE`) belong to the user, and are looked up by them: reported.
 */
function isAuditReference(fk: ForeignKey): boolean {
  return (
    fk.onDelete !== undefined &&
    fk.onDelete !== 'cascade' &&
    fk.columns.length === 1 &&
    AUDIT_COLUMN.test(fk.columns[0]!.toLowerCase().replace(/_/g, ''))
  );
}

/**
 * Columns that scope every row of the schema (a tenant or account key): they lead composite foreign
 * keys to two or more tables, or sit in more than half the tables of a schema of four or more.
 * One value of such a column covers a large share of a table, so an index led by it alone does not
 * make a composite key's lookup cheap.
 */
function scopeColumns(schema: Schema): Set<string> {
  const targets = new Map<string, string[]>();
  const tablesWith = new Map<string, number>();
  const declared = schema.tables.filter((table) => table.declared);
  for (const table of declared) {
    for (const column of new Set(table.columns.map((c) => c.name.toLowerCase())))
      tablesWith.set(column, (tablesWith.get(column) ?? 0) + 1);
    for (const fk of table.foreignKeys) {
      if (fk.columns.length < 2) continue;
      addTo(targets, fk.columns[0]!.toLowerCase(), formatTableName(fk.references.table).toLowerCase());
    }
  }
  const scope = new Set<string>();
  for (const [column, referenced] of targets) if (new Set(referenced).size >= 2) scope.add(column);
  if (declared.length >= 4)
    for (const [column, count] of tablesWith) if (count * 2 > declared.length) scope.add(column);
  return scope;
}

/**
 * The referenced column is the parent's own identifier: its single-column primary or unique key, or
 * its `id` (which leads a composite key like (id, user_id) kept for the composite references).
 */
function isParentIdentifier(parent: Table | undefined, column: string | undefined): boolean {
  if (!parent || column === undefined) return false;
  const alone = (keys: ReadonlyArray<string | null>) => keys.length === 1 && keys[0] === column;
  return (
    column.toLowerCase() === 'id' ||
    (parent.primaryKey !== undefined && alone(parent.primaryKey.columns)) ||
    parent.uniques.some((unique) => alone(unique.columns))
  );
}

/**
 * A composite key (a, b…) one of whose columns leads a full index, where that column names one parent
 * row — a uuid, a column that is a foreign key of its own, or one that references the parent's
 * identifier — and does not scope the whole schema: the index narrows the lookup to one parent's few
 * rows, and nobody would add a second index for it. Any column of the key will do, not only the first:
 * in (workspace_id, router_id) → routers(workspace_id, id), an index on router_id finds the children of
 * one router whatever the column order of the key.
 */
function ledBySelectiveColumn(schema: Schema, table: Table, fk: ForeignKey, scope: Set<string>): boolean {
  if (fk.columns.length < 2) return false;
  const lists = keyLists(table, fk);
  const parent = schema.table(fk.references.table);
  return fk.columns.some((lead, position) => {
    if (scope.has(lead.toLowerCase())) return false;
    if (!lists.some((keys) => keys[0] === lead)) return false;
    const column = table.columns.find((c) => c.name === lead);
    const ownKey = table.foreignKeys.some((other) => other.columns.length === 1 && other.columns[0] === lead);
    return ownKey || column?.type.name === 'uuid' || isParentIdentifier(parent, fk.references.columns[position]);
  });
}

/**
 * The primary key or a unique constraint of the child lies wholly within the key's columns: the
 * lookup a foreign key causes compares every key column with a value, so that key finds the one row
 * that can match. Project(preview_asset_id, id) → Asset(id, project_id) is served by Project's `id`.
 */
function uniqueWithinKey(table: Table, fk: ForeignKey): boolean {
  const keys = [
    ...(table.primaryKey ? [table.primaryKey.columns] : []),
    ...table.uniques.map((unique) => unique.columns),
    ...table.indexes.filter((index) => index.unique && !index.partial).map((index) => index.columns),
  ];
  return keys.some(
    (columns) => columns.length > 0 && columns.every((column) => column !== null && fk.columns.includes(column)),
  );
}

const REMOVED_KIND: Record<RemovedIndex['kind'], string> = {
  index: 'index',
  'primary-key': 'primary key',
  unique: 'unique constraint',
};

function createIndexStatement(schema: Schema, fk: ForeignKey): string {
  const base = `${fk.table.name}_${fk.columns.join('_')}`.slice(0, 59);
  const name = sqlIdentifier(`${base}_idx`, schema.dialect);
  const columns = fk.columns.map((column) => sqlIdentifier(column, schema.dialect)).join(', ');
  return `CREATE INDEX ${dialectRecord(schema.dialect).onlineIndex}${name} ON ${sqlTableName(fk.table, schema.dialect)} (${columns});`;
}

export default defineRule({
  meta: {
    id: 'db/indexed-foreign-keys',
    title: 'Foreign key columns are the leading columns of an index',
    severity: 'warning',
    requires: ['schema', 'files', 'text'],
    tags: ['database', 'performance'],
    why:
      'Every DELETE or key UPDATE on the referenced row makes the database look for referencing rows. Without an ' +
      'index that starts with the foreign key columns that lookup scans the whole child table, under a lock, once per ' +
      'parent row — and joins from parent to children scan too. PostgreSQL and SQLite never create this index for ' +
      'you (MySQL InnoDB does, so MySQL schemas are exempt). The check runs on the state after every migration, so ' +
      'an index added later counts and one dropped later does not. A composite key (a, b) counts as served by an ' +
      'index led by one of its columns alone when that column names one parent row — a uuid, a foreign key of its ' +
      "own, or a reference to the parent's identifier (its `id`, or its single-column key): the index narrows the lookup to that parent's few rows. It does not when the column scopes the whole " +
      'schema (a tenant or account key that leads the composite keys to several tables, or sits in most tables): ' +
      "one tenant is a large share of the table, and the lookup still scans it. The key's columns may lead the index " +
      'in any order: its lookups compare every key column for equality, which a B-tree serves whatever the order. An ' +
      'audit reference is not reported: a single column recording who created, changed or brought in the row ' +
      '(`created_by`, `updated_by_user_id`, `createdById`, `addedBy`, `inviter_id` …) whose key does not cascade ' +
      '(`SET NULL`, `NO ACTION`, `RESTRICT`) — the row does not go away with that user and is never looked up by ' +
      'them; only the rare deletion of a user scans for it. (With `ON DELETE CASCADE` the rows belong to the user ' +
      'and are reported.) An index serves two things, lookups of the children by the key and the deletes of parent ' +
      "rows; when archlint reads the code's queries of both tables (Prisma Client, named by a schema.prisma in " +
      'the tree; Drizzle, by the variables holding its tables; or, for a schema no ORM model names, raw SQL text and ' +
      "builders called with a table's name — Knex, Kysely, supabase-js) and sees neither — no `where`, include, " +
      'relation filter, `with`, `_count`, join or raw SQL on the key, and no ' +
      'delete of a parent row, by itself or by a cascade — the key is not reported: the index would cost every insert ' +
      'for nothing. The queries of a command a person runs by hand (a package script that starts no server: a ' +
      'backfill, a purge, a one-off copy) are not counted, neither its lookups and deletes nor the tables it names at ' +
      "run time: the index is judged by the service's own workload. A Drizzle view read with `.from(view)` and a " +
      'table in the fields a query selects (`db.select({ post: posts })`) are read there, not handed on. A Drizzle query that ' +
      "only selects the key's column, or joins the parent on it from the child's rows " +
      '(`.from(posts).leftJoin(users, eq(users.id, posts.authorId))`: the parent is found by its own key), does not look ' +
      'the children up by the key; a join that brings in the child (`.from(users).innerJoin(posts, eq(posts.authorId, ' +
      'users.id))`) does. A Drizzle table the code never touches at all ' +
      '(no query, no hand-over to a library, no SQL naming it) is a leftover or a lookup table only the migrations fill, ' +
      'and does not stand for deletes archlint cannot see: as a child its rows are never looked up by the key. When the ' +
      "code queries more than half of the schema's tables (so the code that would use them is in the run), such a table " +
      'as a parent is never deleted by the service (only a lookup of the children by the key is asked about), and as a ' +
      "child it does not grow — nothing the service runs writes it — so its parent's deletes probe a table of fixed size. " +
      "Supabase Auth's `auth.users` counts as deleted only when the code calls `auth.admin.deleteUser` " +
      '(or runs `DELETE FROM auth.users`): its server never deletes a user by itself. A row-level security policy ' +
      'that names the key (`USING (auth.uid() = user_id)`) filters every query of its table by it, as does a function ' +
      'or view body of the migrations: each counts as a lookup by the key. Whenever the code might do ' +
      'either unseen (no schema names, a table named at run time such as `FROM ${table}` or `supabase.from(resource)`, ' +
      'a builder handed on unfinished, a table an ORM of another kind or a source of another language names — a program in ' +
      "another language counts only when it shows a database at all (SQL text, a driver's, an ORM's or a database's name): " +
      'an image renderer whose comments say `assets` queries no table —, ' +
      'a table the code never calls itself ' +
      "such as an auth adapter's, a filter built where archlint cannot read it, `prisma[model]`) the key is reported; " +
      "Auth.js's own models (Account by provider account, Session and VerificationToken by token) are known: the " +
      'library reads them by those keys alone and never deletes a user, so they hide neither. ' +
      "The same holds for an auth library's tables: Auth.js/NextAuth's adapter reads `Account` by (provider, " +
      'providerAccountId) and `Session` by its token, so their `userId` needs an index when the application (or a ' +
      'library that does, like better-auth) looks them up by user, not for the cascade of a rare user deletion alone. ' +
      'A key of a table no source file names is not reported: when the code beside the schema (in any language) ' +
      'names more than half of its tables but never this one — by its name, with or without the prefix most tables share, or ' +
      'by its ORM model or relation fields — nothing reads or writes its rows (a legacy table, one a dump re-created, ' +
      "a feature never built), so the index would serve nothing; archlint cannot know that when the schema's code " +
      "is not in the run, and then reports, as it does for the newest migration's tables (their code may come in a " +
      'later change). Nor is a key that holds the whole primary or unique key of its own ' +
      'table (`(preview_asset_id, id)` beside `PRIMARY KEY (id)`): its lookups compare every key column, and that ' +
      'key finds the one row.',
    fix:
      'Create an index whose leading columns are the foreign key columns (a primary key or unique ' +
      'constraint that starts with them also works; in a multi-tenant schema, the tenant column followed by the ' +
      "key's other columns). A partial index counts only when its predicate just asks that key columns be non-null (`WHERE parent_id IS NOT NULL`: every lookup by the key implies it); other partial (`WHERE`) and expression indexes do not count. On a " +
      'busy PostgreSQL table use `CREATE INDEX CONCURRENTLY` in a migration of its own.',
    examples: {
      bad: [
        {
          description: 'order_items(order_id) references orders, and nothing indexes order_id',
          files: {
            'db/migrations/001_orders.sql': [
              'CREATE TABLE orders (id bigint PRIMARY KEY);',
              'CREATE TABLE order_items (',
              '  id bigint PRIMARY KEY,',
              '  order_id bigint NOT NULL REFERENCES orders (id)',
              ');',
              '',
            ].join('\n'),
          },
        },
      ],
      good: [
        {
          description: 'An index created in a later migration covers it',
          files: {
            'db/migrations/001_orders.sql': [
              'CREATE TABLE orders (id bigint PRIMARY KEY);',
              'CREATE TABLE order_items (',
              '  id bigint PRIMARY KEY,',
              '  order_id bigint NOT NULL REFERENCES orders (id)',
              ');',
              '',
            ].join('\n'),
            'db/migrations/002_index.sql':
              'CREATE INDEX CONCURRENTLY order_items_order_id_idx ON order_items (order_id);\n',
          },
        },
      ],
    },
    messages: {
      unindexed:
        'Foreign key {{table}}({{columns}}) → {{references}} has no index whose leading columns are ({{columns}})',
    },
  },
  // schema.keyUse reads the trees of the files that may call Prisma, a table-name builder or run raw SQL.
  codeTrees: (file) => mayReadForKeyUse(file) || mayReadForSqlKeyUse(file),

  check(ctx) {
    const scopes = new Map<Schema, Set<string>>();
    const mentions = new Map<Schema, TableMentions | undefined>();
    for (const { schema, table, foreignKey } of ctx.schema.foreignKeys()) {
      // InnoDB creates an index for every foreign key that lacks one.
      if (schema.engine.indexesForeignKeys) continue;
      // A table no migration here creates may have indexes we cannot see.
      if (!table.declared) continue;
      if (isAuditReference(foreignKey)) continue;
      if (keyLists(table, foreignKey).some((keys) => leads(keys, foreignKey))) continue;
      if (uniqueWithinKey(table, foreignKey)) continue;
      // The code never looks the children up by this key and never deletes a parent row: the index would
      // serve nothing. Only when archlint reads the code's queries of both tables; otherwise reported.
      if (schema.keyUse?.(foreignKey) === 'idle') continue;
      // No code names the child table: nothing looks its rows up by the key or writes any, so a parent's
      // delete probes what the migrations left. Asked only when the code beside the schema names most
      // of its tables (otherwise that code is not here, and archlint cannot know).
      if (!mentions.has(schema)) mentions.set(schema, tableMentions(ctx.files, ctx.text, schema));
      if (mentions.get(schema)?.named(table) === false) continue;
      if (foreignKey.columns.length > 1) {
        let scope = scopes.get(schema);
        if (!scope) scopes.set(schema, (scope = scopeColumns(schema)));
        if (ledBySelectiveColumn(schema, table, foreignKey, scope)) continue;
      }
      const referenced =
        foreignKey.references.columns.length > 0 ? `(${foreignKey.references.columns.join(', ')})` : '';
      const statement = createIndexStatement(schema, foreignKey);
      ctx.report({
        at: foreignKey,
        messageId: 'unindexed',
        data: {
          table: formatTableName(table.name),
          columns: foreignKey.columns.join(', '),
          references: `${formatTableName(foreignKey.references.table)}${referenced}`,
        },
        fix: {
          description:
            schema.declaredBy === 'drizzle'
              ? `Declare an index on ${formatTableName(table.name)} led by (${foreignKey.columns.join(', ')}) in its Drizzle table (index().on(...) in the extra config); drizzle-kit then writes this statement`
              : schema.declaredBy === 'prisma'
                ? `Declare an index on ${formatTableName(table.name)} led by (${foreignKey.columns.join(', ')}) in its model (@@index([...])); Prisma then writes this statement`
                : schema.declaredBy === 'typeorm'
                  ? `Declare an index on ${formatTableName(table.name)} led by (${foreignKey.columns.join(', ')}) in its entity (@Index() on the relation, or @Index([...]) on the class); TypeORM then writes this statement`
                  : `Create an index on ${formatTableName(table.name)} led by (${foreignKey.columns.join(', ')})`,
          text: statement,
        },
        related: table.removedIndexes
          .filter((removed) => !removed.partial && leads(removed.columns, foreignKey))
          .map((removed) => ({
            at: removed.removedAt,
            message: `${REMOVED_KIND[removed.kind]}${removed.name ? ` ${removed.name}` : ''} covered this foreign key until it was dropped here`,
          })),
      });
    }
  },
});
