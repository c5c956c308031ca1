/**
 * The table callbacks of a knex migration (`createTable('t', (table) => { … })`, `alterTable`/`table`):
 * each statement on the callback's parameter — column builders with their modifiers (`primary`,
 * `unique`, `index`, `references().inTable().onDelete()`, `notNullable`, `alter`) and the table's keys
 * (`primary`, `unique`, `index`, `foreign`, `dropForeign`, `dropIndex`, `dropUnique`, `dropColumn`, …)
 * — as schema events, with knex's own default names (`<table>_<columns>_index|unique|foreign`) so a
 * later drop by columns finds them.
 */
import { DIALECTS } from '../../../model/dialects.js';
import type { ts as TypeScript } from 'ts-morph';
import type { Origin } from '../../../model/finding.js';
import type {
  ColumnDefinition,
  ConstraintDefinition,
  IndexDefinition,
  SchemaEvent,
  TableName,
} from '../../../model/schema.js';
import { chainFrom } from './builder-migrations.js';
import { type BuilderContext, origin, qualified, text, uncertain } from './builder-context.js';
import { booleanOf, columnTypeOf, isColumnBuilder, temporal } from './knex-types.js';
import { property, referentialAction, unwrap } from './ts-syntax.js';
import { declaredTableEvents } from './table-events.js';

type Call = TypeScript.CallExpression;

/** The table callback `(table) => { … }` and the name of its parameter. */
function callbackOf(
  c: BuilderContext,
  expression: TypeScript.Expression | undefined,
): { body: TypeScript.Node; param: string } | undefined {
  const { ts } = c;
  const fn = expression && unwrap(c.ts, expression);
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  const param = fn.parameters[0]?.name;
  return param && ts.isIdentifier(param) ? { body: fn.body, param: param.text } : undefined;
}

/** One statement of a table callback: `table.integer('a').unsigned().references('id').inTable('users')`. */
interface Statement {
  method: string;
  args: TypeScript.NodeArray<TypeScript.Expression>;
  modifiers: Array<{ method: string; args: TypeScript.NodeArray<TypeScript.Expression> }>;
  origin: Origin;
}

function statementsOf(c: BuilderContext, body: TypeScript.Node, param: string): Statement[] {
  const { ts } = c;
  const out: Statement[] = [];
  const visit = (node: TypeScript.Node): void => {
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === param &&
      node.parent &&
      ts.isCallExpression(node.parent) &&
      node.parent.expression === node
    ) {
      const { calls } = chainFrom(ts, node.expression);
      const [head, ...rest] = calls;
      if (head)
        out.push({
          method: head.method,
          args: head.call.arguments,
          modifiers: rest.map((r) => ({ method: r.method, args: r.call.arguments })),
          origin: origin(c, node.expression, calls[calls.length - 1]!.call),
        });
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return out;
}

interface TableParts {
  table: TableName;
  columns: ColumnDefinition[];
  constraints: ConstraintDefinition[];
  /** Events after the table's own (indexes; in alterTable every change). */
  events: SchemaEvent[];
  partlyKnown: boolean;
  altering: boolean;
}

export function createTable(
  c: BuilderContext,
  table: TableName,
  callback: TypeScript.Expression | undefined,
  at: Origin,
  ifNotExists: boolean,
): void {
  const fn = callbackOf(c, callback);
  const parts: TableParts = {
    table,
    columns: [],
    constraints: [],
    events: [],
    partlyKnown: fn === undefined,
    altering: false,
  };
  if (fn) for (const statement of statementsOf(c, fn.body, fn.param)) readStatement(c, parts, statement);
  const { columns, constraints, partlyKnown } = parts;
  c.out.events.push(
    ...declaredTableEvents({ table, columns, constraints, ifNotExists, partlyKnown, origin: at }),
    ...parts.events,
  );
}

export function alterTable(
  c: BuilderContext,
  table: TableName,
  callback: TypeScript.Expression | undefined,
  call: Call,
): void {
  const fn = callbackOf(c, callback);
  if (!fn) return uncertain(c, call);
  const parts: TableParts = { table, columns: [], constraints: [], events: [], partlyKnown: false, altering: true };
  const unread = c.out.unread;
  for (const statement of statementsOf(c, fn.body, fn.param)) readStatement(c, parts, statement);
  // A change of this table that could not be read (a column named at run time): the table is not fully known after it.
  if (c.out.unread > unread) c.out.uncertainAt.push(call.getStart(c.sourceFile));
  c.out.events.push(...parts.events);
}

/** Table methods that change nothing archlint models. */
const IGNORED = new Set([
  'comment',
  'engine',
  'charset',
  'collate',
  'inherits',
  'queryContext',
  'check',
  'checkPositive',
  'checkNegative',
  'checkIn',
  'checkNotIn',
  'checkBetween',
  'checkLength',
  'checkRegex',
  'dropChecks',
  'setNullable',
  'dropNullable',
  'dropDefault',
]);

function readStatement(c: BuilderContext, parts: TableParts, s: Statement): void {
  const { table } = parts;
  const at = s.origin;
  const arg = (i: number) => text(c, s.args[i]);
  const cols = (i: number) => columnList(c, s.args[i]);
  const push = (event: SchemaEvent): void => void parts.events.push(event);
  if (isColumnBuilder(s.method)) return readColumn(c, parts, s);
  switch (s.method) {
    case 'primary': {
      const columns = cols(0);
      if (!columns) return void c.out.unread++;
      const name = nameOption(c, s.args[1], 'constraintName');
      const constraint: ConstraintDefinition = {
        kind: 'primary-key',
        columns,
        ...(name ? { name } : { name: `${table.name}_pkey` }),
        origin: at,
      };
      return parts.altering
        ? push({ kind: 'add-constraint', table, constraint, origin: at })
        : void parts.constraints.push(constraint);
    }
    case 'unique': {
      const columns = cols(0);
      if (!columns) return void c.out.unread++;
      const name = nameOption(c, s.args[1], 'indexName') ?? defaultName(table, columns, 'unique');
      const constraint: ConstraintDefinition = { kind: 'unique', columns, name, origin: at };
      return parts.altering
        ? push({ kind: 'add-constraint', table, constraint, origin: at })
        : void parts.constraints.push(constraint);
    }
    case 'index': {
      const columns = cols(0);
      if (!columns) return void c.out.unread++;
      return push({ kind: 'create-index', index: indexOf(c, table, columns, s.args[1], s.args[2], at), origin: at });
    }
    case 'foreign': {
      const columns = cols(0);
      const fk = columns ? foreignKey(c, table, columns, s.modifiers, text(c, s.args[1]), at) : undefined;
      if (!fk) return void c.out.unread++;
      return parts.altering
        ? push({ kind: 'add-constraint', table, constraint: fk, origin: at })
        : void parts.constraints.push(fk);
    }
    case 'dropColumn':
    case 'dropColumns': {
      for (const a of s.args) {
        const name = text(c, a);
        if (name === undefined) c.out.unread++;
        else push({ kind: 'drop-column', table, column: name, origin: at });
      }
      return;
    }
    case 'dropTimestamps': {
      const camel = booleanOf(c.ts, s.args[0]) === true;
      for (const name of camel ? ['createdAt', 'updatedAt'] : ['created_at', 'updated_at'])
        push({ kind: 'drop-column', table, column: name, origin: at });
      return;
    }
    case 'renameColumn': {
      const [from, to] = [arg(0), arg(1)];
      if (from === undefined || to === undefined) return void c.out.unread++;
      return push({ kind: 'rename-column', table, from, to, origin: at });
    }
    case 'dropForeign':
    case 'dropUnique':
    case 'dropIndex': {
      const explicit = arg(1);
      const columns = cols(0);
      const kind = s.method === 'dropForeign' ? 'foreign' : s.method === 'dropUnique' ? 'unique' : 'index';
      const name = explicit ?? (columns ? defaultName(table, columns, kind) : undefined);
      if (name === undefined) return void c.out.unread++;
      if (s.method === 'dropIndex') return push({ kind: 'drop-index', name, table, ifExists: false, origin: at });
      return push({ kind: 'drop-constraint', table, name, origin: at });
    }
    case 'dropPrimary': {
      const name = arg(0);
      return push({
        kind: 'drop-constraint',
        table,
        ...(name
          ? { name }
          : DIALECTS[c.dialect].postgresKeyNaming
            ? { name: `${table.name}_pkey` }
            : { constraint: 'primary-key' }),
        origin: at,
      });
    }
  }
  if (!IGNORED.has(s.method)) {
    c.out.unread++;
    if (!parts.altering) parts.partlyKnown = true;
  }
}

/** A column builder and its modifiers. */
function readColumn(c: BuilderContext, parts: TableParts, s: Statement): void {
  const { ts } = c;
  const { table } = parts;
  const at = s.origin;
  if (s.method === 'timestamps') {
    // timestamps([useTimestamps], [defaultToNow], [useCamelCase]) or ({ useTimestamps, defaultToNow, useCamelCase })
    const options =
      s.args[0] && ts.isObjectLiteralExpression(unwrap(ts, s.args[0]))
        ? (unwrap(ts, s.args[0]) as TypeScript.ObjectLiteralExpression)
        : undefined;
    const flag = (i: number, key: string) => booleanOf(ts, options ? property(ts, options, key) : s.args[i]) === true;
    const type = flag(0, 'useTimestamps')
      ? temporal(c.ts, c.dialect, 'timestamp', undefined)
      : temporal(c.ts, c.dialect, 'datetime', undefined);
    const nullable = !flag(1, 'defaultToNow');
    for (const name of flag(2, 'useCamelCase') ? ['createdAt', 'updatedAt'] : ['created_at', 'updated_at'])
      addColumn(c, parts, { name, type, nullable, constraints: [], origin: at }, false, at);
    return;
  }
  const increments = s.method === 'increments' || s.method === 'bigIncrements';
  const name = increments && s.args.length === 0 ? 'id' : text(c, s.args[0]);
  const type = columnTypeOf(c.ts, c.dialect, s.method, s.args, (e) => text(c, e));
  if (name === undefined || !type) {
    c.out.unread++;
    if (!parts.altering) parts.partlyKnown = true;
    return;
  }
  const constraints: ConstraintDefinition[] = [];
  let nullable = !increments;
  let alter = false;
  let primary = false;
  if (increments) {
    const options = s.args[1] && unwrap(ts, s.args[1]);
    primary = !(
      options &&
      ts.isObjectLiteralExpression(options) &&
      booleanOf(ts, property(ts, options, 'primaryKey')) === false
    );
  }
  const indexes: IndexDefinition[] = [];
  for (const m of s.modifiers) {
    if (m.method === 'notNullable' || m.method === 'notNull') nullable = false;
    else if (m.method === 'nullable') nullable = true;
    else if (m.method === 'alter') alter = true;
    else if (m.method === 'primary') primary = true;
    else if (m.method === 'unique')
      constraints.push({
        kind: 'unique',
        columns: [],
        name: nameOption(c, m.args[0], 'indexName') ?? defaultName(table, [name], 'unique'),
        origin: at,
      });
    else if (m.method === 'index') indexes.push(indexOf(c, table, [name], m.args[0], m.args[1], at));
  }
  const referenced = s.modifiers.findIndex((m) => m.method === 'references');
  if (referenced >= 0) {
    const fk = foreignKey(c, table, [], s.modifiers.slice(referenced), undefined, at, name);
    if (!fk) c.out.unread++;
    else constraints.push(fk);
  }
  if (primary) nullable = false;
  const definition: ColumnDefinition = { name, type, nullable, constraints, origin: at };
  if (alter) {
    parts.events.push({ kind: 'alter-column', table, column: name, type, nullable, origin: at });
    for (const constraint of constraints)
      parts.events.push({ kind: 'add-constraint', table, constraint: { ...constraint, columns: [name] }, origin: at });
    // `.primary().alter()`: knex adds the key.
    if (primary)
      parts.events.push({
        kind: 'add-constraint',
        table,
        constraint: {
          kind: 'primary-key',
          columns: [name],
          ...(DIALECTS[c.dialect].postgresKeyNaming ? { name: `${table.name}_pkey` } : {}),
          origin: at,
        },
        origin: at,
      });
  } else addColumn(c, parts, definition, primary, at);
  for (const index of indexes) parts.events.push({ kind: 'create-index', index, origin: at });
}

function addColumn(c: BuilderContext, parts: TableParts, column: ColumnDefinition, primary: boolean, at: Origin): void {
  const key: ConstraintDefinition = {
    kind: 'primary-key',
    columns: [column.name],
    ...(DIALECTS[c.dialect].postgresKeyNaming ? { name: `${parts.table.name}_pkey` } : {}),
    origin: at,
  };
  if (parts.altering) {
    parts.events.push({ kind: 'add-column', table: parts.table, column, ifNotExists: false, origin: at });
    if (primary) parts.events.push({ kind: 'add-constraint', table: parts.table, constraint: key, origin: at });
    return;
  }
  parts.columns.push(column);
  if (primary) parts.constraints.push(key);
}

/** `.references('id').inTable('users').onDelete('CASCADE')`, `.references('users.id')`, `.withKeyName('fk')`. */
function foreignKey(
  c: BuilderContext,
  table: TableName,
  columns: string[],
  modifiers: Statement['modifiers'],
  explicitName: string | undefined,
  at: Origin,
  column?: string,
): ConstraintDefinition | undefined {
  let target: { table?: TableName; columns: string[] } | undefined;
  let name = explicitName;
  let onDelete: ConstraintDefinition['onDelete'] = 'no-action';
  for (const m of modifiers) {
    if (m.method === 'references') {
      const list = columnList(c, m.args[0]);
      if (!list) return undefined;
      // `'users.id'`: table and column in one.
      if (list.length === 1 && list[0]!.includes('.')) {
        const parts = list[0]!.split('.');
        const col = parts.pop()!;
        target = { table: qualified(c, parts.join('.')), columns: [col] };
      } else target = { ...target, columns: list };
      const options = m.args[1] && unwrap(c.ts, m.args[1]);
      if (options && c.ts.isObjectLiteralExpression(options))
        name = text(c, property(c.ts, options, 'foreignKeyConstraintName')) ?? name;
    } else if (m.method === 'inTable') {
      const t = text(c, m.args[0]);
      if (t === undefined || !target) return undefined;
      target.table = qualified(c, t);
    } else if (m.method === 'onDelete') {
      const written = text(c, m.args[0]);
      onDelete = written === undefined ? undefined : referentialAction(written);
    } else if (m.method === 'withKeyName') name = text(c, m.args[0]) ?? name;
  }
  if (!target?.table) return undefined;
  const own = column ? [column] : columns;
  return {
    kind: 'foreign-key',
    columns,
    name: name ?? defaultName(table, own, 'foreign'),
    references: { table: target.table, columns: target.columns },
    ...(onDelete ? { onDelete } : {}),
    origin: at,
  };
}

/** `table.index(['a', 'b'], 'name', 'gin')`, `table.index('a', { indexName, indexType, predicate })`. */
function indexOf(
  c: BuilderContext,
  table: TableName,
  columns: string[],
  second: TypeScript.Expression | undefined,
  third: TypeScript.Expression | undefined,
  at: Origin,
): IndexDefinition {
  const { ts } = c;
  const options =
    second && ts.isObjectLiteralExpression(unwrap(ts, second))
      ? (unwrap(ts, second) as TypeScript.ObjectLiteralExpression)
      : undefined;
  const name = options ? text(c, property(ts, options, 'indexName')) : text(c, second);
  const type = options ? text(c, property(ts, options, 'indexType')) : text(c, third);
  const predicate = options ? property(ts, options, 'predicate') : undefined;
  const method = type?.toLowerCase();
  return {
    name: name ?? defaultName(table, columns, 'index'),
    table,
    columns,
    unique: method === 'unique',
    partial: predicate !== undefined,
    // Compared, never shown: two indexes with the same predicate builder serve the same rows.
    ...(predicate ? { predicate: `knex:${predicate.getText().replace(/\s+/g, '')}` } : {}),
    ...(method && method !== 'btree' && method !== 'unique' ? { method } : {}),
    ifNotExists: false,
    concurrently: false,
    origin: at,
  };
}

/** knex's own names: `<table>_<columns>_<kind>`, lower case, dots and dashes as underscores. */
function defaultName(table: TableName, columns: string[], kind: 'index' | 'unique' | 'foreign'): string {
  return `${table.name.replace(/[.-]/g, '_')}_${columns.join('_')}_${kind}`.toLowerCase();
}

/** `'idx'` or `{ [key]: 'idx' }`. */
function nameOption(c: BuilderContext, expression: TypeScript.Expression | undefined, key: string): string | undefined {
  const e = expression && unwrap(c.ts, expression);
  if (e && c.ts.isObjectLiteralExpression(e)) return text(c, property(c.ts, e, key));
  return text(c, e);
}

/** `'a'` or `['a', 'b']`. */
function columnList(c: BuilderContext, expression: TypeScript.Expression | undefined): string[] | undefined {
  const e = expression && unwrap(c.ts, expression);
  if (!e) return undefined;
  if (c.ts.isArrayLiteralExpression(e)) {
    const names = e.elements.map((element) => text(c, element));
    return names.length > 0 && names.every((n) => n !== undefined) ? (names as string[]) : undefined;
  }
  const one = text(c, e);
  return one === undefined ? undefined : [one];
}
