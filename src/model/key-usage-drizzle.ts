/**
 * What the code does with a foreign key, read from its Drizzle queries: tables are named by the
 * variables that hold them (`db.select().from(posts).where(eq(posts.authorId, id))`, `db.delete(users)`,
 * `db.query.posts.findMany({ where: (p, { eq }) => eq(p.authorId, id), with: { author: true } })`).
 *
 * The same fact as key-usage.ts (KeyUse), read loosely so that a doubt keeps the finding: any reference to
 * the key's column through the child's variable outside its declaration and `relations()` counts as a
 * lookup — except in the fields a query selects or returns (read from the rows found) and in the condition of
 * a join that brings in another table than the child (the query runs from the child's rows) —, any key named
 * in a relational query's arguments does, a relation followed by `with` joins its two tables. It answers
 * `unknown` when a table is reached where archlint cannot follow it: a table passed to a function of the
 * code's own or an adapter (a library's queries), `alias()`, a column by a computed name (`table[column]`),
 * `db.query[name]`, `.from(x)` with a table held elsewhere.
 * A table the code never touches at all is a leftover or a lookup table the migrations fill: never looked up,
 * never deleted and never grown by the service — trusted only when the code queries most of the schema.
 */
import { isBundle } from './bundles.js';
import { posix } from 'node:path';
import type { ts as TypeScript } from 'ts-morph';
import type { CodeModel } from './code.js';
import { formatTableName, type ForeignKey, type KeyUse, type Schema } from './schema.js';
import { deletedByCascade } from './key-usage-cascade.js';
import { calleeName } from './qualified-names.js';
import { isTestPath } from './test-paths.js';
import { byHand, spellingsOf, type SqlKeyUseContext } from './key-usage-sql.js';

/** A Drizzle table as the code names it: its variable, its SQL name, its property key per column. */
export interface DrizzleTableNames {
  variable: string;
  /** The file that declares it. */
  file: string;
  /** Lower-cased formatTableName. */
  table: string;
  columnsByKey: ReadonlyMap<string, string>;
}

interface Seen {
  called: Set<string>;
  deleted: Set<string>;
  /** By table: property keys referenced through its variable or named inside its relational queries. */
  filtered: Map<string, Set<string>>;
  /**
   * By table: property keys referenced only in the condition of a join, with the tables those joins bring in
   * (`.from(comments).leftJoin(users, eq(users.id, comments.authorId))` → comments: authorId → users).
   */
  joinedOn: Map<string, Map<string, Set<string>>>;
  /** Tables a column of which is referenced anywhere (a select list or a join condition too). */
  referenced: Set<string>;
  /** Tables reached where archlint cannot follow (see the module comment). */
  opaque: Set<string>;
  /** Pairs of tables a `with` joins (`a\u0000b`, both orders). */
  joined: Set<string>;
  dynamic: boolean;
}

/** Calls that take a table and are read here, or that only read its shape. */
const QUERY_TAKES_TABLE = new Set([
  'from',
  'insert',
  'update',
  'delete',
  'join',
  'innerJoin',
  'leftJoin',
  'rightJoin',
  'fullJoin',
  'crossJoin',
  '$count',
]);
const SHAPE_ONLY = new Set([
  'relations',
  'getTableColumns',
  'getTableName',
  'getTableConfig',
  'createInsertSchema',
  'createSelectSchema',
  'createUpdateSchema',
  'pgTable',
  'sqliteTable',
  'mysqlTable',
  'count',
  'countDistinct',
  'index',
  'uniqueIndex',
  'foreignKey',
  'primaryKey',
  'isNotNull',
  'isNull',
]);
const QUERY_OPS = /^(findMany|findFirst)$/;
const MODULE_SUFFIXES = ['.ts', '.tsx', '.js', '.svelte.ts', '/index.ts', '/index.js'];
/** Calls that join a table (first argument) on a condition (second). */
const JOINS = new Set(['join', 'innerJoin', 'leftJoin', 'rightJoin', 'fullJoin']);
/** Calls whose fields object names what a query returns. */
const SELECTION = new Set(['select', 'selectDistinct', 'selectDistinctOn', 'returning']);
/** `export const dashOrgStats = pgView('dash_org_stats', …)`: a Drizzle view's variable. */
const DRIZZLE_VIEW = /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:pg|mysql|sqlite)(?:Materialized)?View\s*\(/g;

const cache = new WeakMap<CodeModel, Map<string, Seen>>();
/** By schema (one code model and one reading per schema in a run): whether the code queries most of its tables. */
const codeHereCache = new WeakMap<Schema, boolean>();

export function drizzleKeyUse(
  code: CodeModel,
  tables: readonly DrizzleTableNames[],
  sql: SqlKeyUseContext,
  schema: Schema,
  fk: ForeignKey,
): KeyUse {
  const cacheKey = tables.map((t) => `${t.variable}:${t.table}`).join(',');
  let byTables = cache.get(code);
  if (!byTables) cache.set(code, (byTables = new Map()));
  let seen = byTables.get(cacheKey);
  if (!seen) byTables.set(cacheKey, (seen = gather(code, tables)));
  if (seen.dynamic) return 'unknown';
  const child = formatTableName(fk.table).toLowerCase();
  const parent = formatTableName(fk.references.table).toLowerCase();
  const childNames = tables.filter((t) => t.table === child);
  if (childNames.length === 0 || !tables.some((t) => t.table === parent)) return 'unknown';
  const texts = [...sql.access.texts, ...sql.texts];
  const bare = (table: string) => table.split('.').pop()!;
  // Also named by a source of another language, or an ORM model other than Drizzle's: queried unseen.
  const hidden = (table: string) => spellingsOf(bare(table)).some((word) => sql.unseen.has(word));
  const usable = (table: string) => seen.called.has(table) && !seen.opaque.has(table) && !hidden(table);
  if (sql.dynamic || sql.access.dynamic) return 'unknown';
  // A table the code never touches at all (no query, no hand-over, no SQL text, no other source names it): a
  // library handles a Drizzle table only when the code hands it over, so that one is a leftover nothing uses, or a
  // lookup table whose rows only the migrations insert.
  const untouched = (table: string) =>
    !seen.called.has(table) &&
    !seen.opaque.has(table) &&
    !seen.filtered.has(table) &&
    !seen.referenced.has(table) &&
    !hidden(table) &&
    !texts.some((text) => text.words.has(bare(table)));
  // The service's code is in the run: it queries more than half of the schema's tables. Otherwise a table it never
  // touches says nothing (the code that uses it is elsewhere, or not written yet).
  let codeHere = codeHereCache.get(schema);
  if (codeHere === undefined) {
    const queried = schema.tables.filter((table) => usable(formatTableName(table.name).toLowerCase())).length;
    codeHereCache.set(schema, (codeHere = queried * 2 > schema.tables.length));
  }
  // A child the service never touches (only a hand-run script writes it, or nothing does) is never looked up by the
  // key. A parent it never touches is never deleted by it (a lookup table only migrations fill, a leftover): then only
  // a lookup of the children by the key counts.
  if ((!usable(child) && !untouched(child)) || (!usable(parent) && !(codeHere && untouched(parent)))) return 'unknown';
  // A table referencing the parent that the code never queries: a library may handle it and delete parents unseen.
  // Not one the code never touches at all, which a library could handle only if the code handed it over.
  for (const table of schema.tables) {
    const name = formatTableName(table.name).toLowerCase();
    if (
      table.foreignKeys.some((other) => formatTableName(other.references.table).toLowerCase() === parent) &&
      !usable(name) &&
      !untouched(name)
    )
      return 'unknown';
  }
  const keys = new Set<string>();
  for (const names of childNames)
    for (const [key, column] of names.columnsByKey) if (fk.columns.includes(column)) keys.add(key);
  for (const column of fk.columns) keys.add(column);
  const filtered = seen.filtered.get(child) ?? new Set<string>();
  const joinedOn = seen.joinedOn.get(child);
  const queried =
    [...keys].some((key) => filtered.has(key)) ||
    // A join condition on the key finds the children by it only when the join brings in the child table; a join
    // that brings in the parent (or another table) runs from the child's rows and finds the parent by its own key.
    [...keys].some((key) => joinedOn?.get(key)?.has(child)) ||
    seen.joined.has(`${child}\u0000${parent}`) ||
    seen.joined.has(`${parent}\u0000${child}`) ||
    texts.some(
      (text) =>
        text.words.has(bare(child)) &&
        (text.opaque || fk.columns.some((column) => text.words.has(column.toLowerCase()))),
    );
  if (queried) return 'queried';
  // Nothing the service runs writes a child it never touches: it holds what migrations or a hand-run script left and
  // does not grow, so a parent's delete probes a table of fixed size.
  if (codeHere && untouched(child)) return 'idle';
  const deleted = (table: string) => seen.deleted.has(table) || texts.some((text) => text.deletes.has(bare(table)));
  return deletedByCascade(schema, deleted).has(parent) ? 'parent-deleted' : 'idle';
}

function gather(code: CodeModel, tables: readonly DrizzleTableNames[]): Seen {
  const seen: Seen = {
    called: new Set(),
    deleted: new Set(),
    filtered: new Map(),
    joinedOn: new Map(),
    referenced: new Set(),
    opaque: new Set(),
    joined: new Set(),
    dynamic: false,
  };
  const byVariable = new Map<string, string[]>();
  for (const t of tables) byVariable.set(t.variable, [...(byVariable.get(t.variable) ?? []), t.table]);
  const variables = [...byVariable.keys()];
  if (variables.length === 0) return seen;
  // A table variable used in code: followed by a member access, an argument or list separator, a closing bracket or
  // the end of a statement (`posts.authorId`, `db.delete(posts)`, `relations(posts, …)`, `{ posts }`). The bare
  // word (`users` in a page's text) is not enough: reading every file that says it kept many trees alive for nothing.
  const mentions = new RegExp(`\\b(${variables.map((v) => v.replace(/\$/g, '\\$')).join('|')})\\b\\s*[.,)}\\];]`);
  const ts = code.ts;
  // Relation names: `relations(posts, ({ one }) => ({ author: one(users, …) }))` → author joins posts and users.
  const relationTargets = new Map<string, Array<[string, string]>>();
  const files = code.files.filter(
    (file) =>
      !isTestPath(file.path) &&
      !byHand(file) &&
      // Drizzle runs on a server: a module only a page loads holds a store or a prop of the same name, not a table.
      file.reach !== 'browser' &&
      (mentions.test(file.text.content) || /\.query\s*\[/.test(file.text.content)) &&
      !isBundle(file.path, file.text.content),
  );
  const addFiltered = (table: string, key: string) => {
    let set = seen.filtered.get(table);
    if (!set) seen.filtered.set(table, (set = new Set()));
    set.add(key);
  };
  const addJoinedOn = (table: string, key: string, joined: readonly string[]) => {
    let byKey = seen.joinedOn.get(table);
    if (!byKey) seen.joinedOn.set(table, (byKey = new Map()));
    let tables = byKey.get(key);
    if (!tables) byKey.set(key, (tables = new Set()));
    for (const t of joined) tables.add(t);
  };
  /**
   * Where a column reference stands in its query: in the fields of a `select`/`returning` (`selected`), in the
   * condition of a join (the tables the join brings in), or elsewhere (a filter, an order, an update: a lookup).
   * A join that brings in a table archlint cannot name counts as elsewhere.
   */
  const placeOf = (node: TypeScript.Node, aliases: Map<string, string>): 'selected' | 'elsewhere' | string[] => {
    let inner: TypeScript.Node = node;
    for (let current = node.parent; current; inner = current, current = current.parent) {
      if (ts.isFunctionLike(current) || ts.isStatement(current)) return 'elsewhere';
      if (!ts.isCallExpression(current) || !current.arguments.some((argument) => argument === inner)) continue;
      const name = calleeName(ts, current);
      if (name !== undefined && SELECTION.has(name)) return 'selected';
      if (name !== undefined && JOINS.has(name) && current.arguments[1] === inner) {
        const joined = current.arguments[0] ? tablesOf(current.arguments[0], aliases) : [];
        return joined.length > 0 ? joined : 'elsewhere';
      }
    }
    return 'elsewhere';
  };
  const tablesOf = (node: TypeScript.Node, aliases: Map<string, string>): string[] => {
    if (ts.isIdentifier(node)) {
      const variable = aliases.get(node.text);
      return variable && variable !== '*' ? (byVariable.get(variable) ?? []) : [];
    }
    // `schema.users` through a namespace import.
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      aliases.get(node.expression.text) === '*'
    )
      return byVariable.get(node.name.text) ?? [];
    return [];
  };
  const queryArgs: Array<{ table: string[]; args: TypeScript.NodeArray<TypeScript.Expression> }> = [];
  // Views the code declares (`pgView('dash_org_stats', …)`): `.from(view)` reads a relation archlint knows —
  // its SQL is in the migrations, or its query builder in the declaration, both read for key use — not a
  // table held where archlint cannot follow.
  const views = new Set<string>();
  for (const file of code.files)
    if (/\b(?:pg|mysql|sqlite)(?:Materialized)?View\s*\(/.test(file.text.content))
      for (const match of file.text.content.matchAll(DRIZZLE_VIEW)) views.add(match[1]!);
  for (const file of files) {
    const tree = file.tree;
    // Local name → table variable: the tables this file declares, and those it imports (a same-named
    // import from a module that declares no table, such as a router, is not one).
    const aliases = new Map<string, string>();
    for (const t of tables) if (t.file === file.path) aliases.set(t.variable, t.variable);
    for (const statement of tree.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      if (!mayHoldTables(statement.moduleSpecifier.text, file.path)) continue;
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) aliases.set(bindings.name.text, '*');
      if (bindings && ts.isNamedImports(bindings))
        for (const element of bindings.elements)
          aliases.set(element.name.text, (element.propertyName ?? element.name).text);
    }
    const visit = (node: TypeScript.Node, inShape: boolean): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const name = calleeName(ts, node);
        if (name === 'relations' && node.arguments.length >= 2) readRelations(node, aliases);
        // `db.query.posts.findMany(args)`.
        if (
          name !== undefined &&
          QUERY_OPS.test(name) &&
          ts.isPropertyAccessExpression(callee) &&
          ts.isPropertyAccessExpression(callee.expression) &&
          callee.expression.expression.getText(tree).endsWith('query')
        ) {
          const table = byVariable.get(callee.expression.name.text) ?? [];
          for (const t of table) seen.called.add(t);
          queryArgs.push({ table, args: node.arguments });
        }
        for (const argument of node.arguments) {
          const found = tablesOf(argument, aliases);
          if (found.length === 0) {
            // `.from(table)` with a table held elsewhere (a generic helper's parameter); not `Array.from(x)`.
            if (
              name === 'from' &&
              ts.isPropertyAccessExpression(callee) &&
              !/^[A-Z]/.test(callee.expression.getText(tree)) &&
              ts.isIdentifier(argument) &&
              !localSubquery(argument) &&
              !views.has(argument.text)
            )
              seen.dynamic = true;
            continue;
          }
          if (name !== undefined && QUERY_TAKES_TABLE.has(name)) {
            for (const t of found) seen.called.add(t);
            if (name === 'delete') for (const t of found) seen.deleted.add(t);
          } else if (!inShape && (name === undefined || !SHAPE_ONLY.has(name)))
            for (const t of found) seen.opaque.add(t);
        }
        if (name === 'relations' || name === 'pgTable' || name === 'sqliteTable' || name === 'mysqlTable') {
          ts.forEachChild(node, (child) => visit(child, true));
          return;
        }
      }
      if (ts.isElementAccessExpression(node)) {
        if (ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'query')
          seen.dynamic = true;
        const found = tablesOf(node.expression, aliases);
        if (found.length > 0) {
          if (ts.isStringLiteralLike(node.argumentExpression))
            for (const t of found) addFiltered(t, node.argumentExpression.text);
          else for (const t of found) seen.opaque.add(t);
        }
      }
      if (ts.isPropertyAccessExpression(node) && !inShape) {
        const found = tablesOf(node.expression, aliases);
        const place = found.length > 0 ? placeOf(node, aliases) : 'elsewhere';
        for (const t of found) {
          seen.referenced.add(t);
          // A column in the fields a query selects or returns is read from the rows found, not used to find them.
          if (place === 'selected') continue;
          if (place === 'elsewhere') addFiltered(t, node.name.text);
          else addJoinedOn(t, node.name.text, place);
        }
      }
      // A table held in an object (`{ schema: { users } }`) or an array goes where archlint cannot follow.
      if ((ts.isShorthandPropertyAssignment(node) || ts.isPropertyAssignment(node)) && !inShape && !inSelection(node)) {
        const value = ts.isShorthandPropertyAssignment(node) ? node.name : node.initializer;
        for (const t of tablesOf(value, aliases)) seen.opaque.add(t);
      }
      ts.forEachChild(node, (child) => visit(child, inShape));
    };
    visit(tree, false);
  }
  // Keys named in a relational query's arguments, and the relations its `with` follows.
  for (const { table, args } of queryArgs) {
    const visit = (node: TypeScript.Node): void => {
      if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) {
        const key = node.name.getText().replace(/["'`]/g, '');
        for (const t of table) addFiltered(t, key);
        for (const [a, b] of relationTargets.get(key) ?? []) {
          seen.joined.add(`${a}\u0000${b}`);
          seen.joined.add(`${b}\u0000${a}`);
        }
      }
      if (ts.isPropertyAccessExpression(node)) for (const t of table) addFiltered(t, node.name.text);
      if (ts.isSpreadAssignment(node) || ts.isComputedPropertyName(node)) for (const t of table) seen.opaque.add(t);
      ts.forEachChild(node, visit);
    };
    for (const argument of args) {
      // A query whose arguments are built elsewhere may filter by any key.
      if (!ts.isObjectLiteralExpression(argument)) for (const t of table) seen.opaque.add(t);
      visit(argument);
    }
  }
  return seen;

  function readRelations(node: TypeScript.CallExpression, aliases: Map<string, string>): void {
    const owners = tablesOf(node.arguments[0]!, aliases);
    const visit = (child: TypeScript.Node): void => {
      if (ts.isPropertyAssignment(child) && ts.isCallExpression(child.initializer)) {
        const targets = child.initializer.arguments[0] ? tablesOf(child.initializer.arguments[0], aliases) : [];
        const key = child.name.getText().replace(/["'`]/g, '');
        for (const a of owners)
          for (const b of targets) relationTargets.set(key, [...(relationTargets.get(key) ?? []), [a, b]]);
      }
      ts.forEachChild(child, visit);
    };
    visit(node.arguments[1]!);
  }

  /**
   * A module specifier that may export tables: a package (`@app/db`), or a relative module that declares
   * tables or re-exports (`export * from './schema'`). `./routes/highlights` exporting a router does not.
   */
  function mayHoldTables(specifier: string, from: string): boolean {
    const judge = (candidate: string): boolean | undefined => {
      const target = code.get(candidate);
      if (!target) return undefined;
      return tables.some((t) => t.file === candidate) || /\bexport\s*(\*|\{)[^;]*\bfrom\b/.test(target.text.content);
    };
    if (!specifier.startsWith('.')) {
      if (/^(node:|react|next|hono|express|zod)/.test(specifier)) return false;
      // A path alias of the project (`$lib/utils/store/user`, `@/db/schema`, `~/server/db`): the module whose
      // path ends the same way, when exactly one does; a package otherwise.
      const alias = /^(?:\$\w+|@|~|#)\/(.+)$/.exec(specifier)?.[1]?.replace(/\.(js|ts|mjs|cjs)$/, '');
      if (!alias) return true;
      const found = code.files.filter((file) =>
        MODULE_SUFFIXES.some((suffix) => file.path.endsWith(`/${alias}${suffix}`)),
      );
      return found.length === 1 ? (judge(found[0]!.path) ?? true) : true;
    }
    const base = posix.join(posix.dirname(from), specifier).replace(/\.(js|ts|mjs|cjs)$/, '');
    for (const candidate of [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}.js`, `${base}/index.js`, base]) {
      const judged = judge(candidate);
      if (judged !== undefined) return judged;
    }
    return true;
  }

  /**
   * A property of the fields object a query selects or returns (`db.select({ feed: posts, author: users })`,
   * `.returning({ … })`): a table there stands for its columns, a shape of the result, not a table handed on.
   */
  function inSelection(node: TypeScript.Node): boolean {
    let current: TypeScript.Node = node;
    while (current.parent && (ts.isObjectLiteralExpression(current.parent) || ts.isPropertyAssignment(current.parent)))
      current = current.parent;
    const call = current.parent;
    if (call && ts.isVariableDeclaration(call) && ts.isIdentifier(call.name) && call.initializer === current)
      return onlySelected(call.name);
    return (
      call !== undefined &&
      ts.isCallExpression(call) &&
      call.arguments.some((argument) => argument === current) &&
      SELECTION.has(calleeName(ts, call) ?? '')
    );
  }

  /** `const courseSelect = { course: courses, … }` used only as `.select(courseSelect)`. */
  function onlySelected(name: TypeScript.Identifier): boolean {
    const text = name.getSourceFile().text;
    const word = name.text.replace(/\$/g, '\\$');
    const uses = text.match(new RegExp(`(?<![\\w$])${word}(?![\\w$])`, 'g'))?.length ?? 0;
    const selected =
      text.match(new RegExp(`\\.\\s*(?:${[...SELECTION].join('|')})\\s*\\(\\s*${word}\\s*\\)`, 'g'))?.length ?? 0;
    return selected > 0 && selected === uses - 1;
  }

  /** `const sq = db.select()….as('sq')` or `db.$with('sq')` declared in the file: a subquery, not a table. */
  function localSubquery(name: TypeScript.Identifier): boolean {
    const text = name.getSourceFile().text;
    return new RegExp(`\\b${name.text}\\s*=\\s*[\\s\\S]{0,400}?(\\.as\\(|\\$with\\()`).test(text);
  }
}
