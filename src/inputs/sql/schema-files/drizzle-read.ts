/**
 * Drizzle ORM schema files as schema events: `pgTable` / `mysqlTable` / `sqliteTable` (and
 * `pgSchema('s').table`) declarations with their columns, inline `.primaryKey()`, `.unique()`,
 * `.notNull()` and `.references(() => other.id)`, and the table's extra-config callback
 * (`index().on()`, `uniqueIndex()`, `unique().on()`, `primaryKey({ columns })`,
 * `foreignKey({ columns, foreignColumns })`). Read from the syntax tree only — the project's code
 * is never run — so what cannot be read statically (a column built by a helper function, a
 * reference to a table of another package) is left out rather than guessed. The table as read and
 * its events: drizzle-tables.ts.
 */
import type { ts as TypeScript } from 'ts-morph';
import { property, propertyName, referentialAction, stringValue, unwrap } from './ts-syntax.js';
import type { Origin } from '../../../model/finding.js';
import type { ColumnDefinition, ColumnType, ReferentialAction, SqlDialect } from '../../../model/schema.js';
import { DIALECTS } from '../../../model/dialects.js';
import type { DrizzleTable } from './drizzle-tables.js';

type Ts = typeof TypeScript;

/** Files that import a Drizzle dialect core module (the only files read). */
export const DRIZZLE_CORE_IMPORT = /['"]drizzle-orm\/(?:pg|mysql|sqlite|singlestore)-core['"]/;

const TABLE_FACTORIES: Record<string, SqlDialect> = {
  pgTable: 'postgres',
  mysqlTable: 'mysql',
  sqliteTable: 'sqlite',
  singlestoreTable: 'mysql',
};
const SCHEMA_FACTORIES = new Set(['pgSchema', 'mysqlSchema']);
const INDEX_BUILDERS = new Set(['index', 'uniqueIndex', 'unique', 'primaryKey', 'foreignKey']);
/** What an index element may chain on its column: order, null order, operator class. */
const COLUMN_MODIFIERS = new Set(['asc', 'desc', 'nullsFirst', 'nullsLast', 'op']);

export interface ReadOptions {
  /** drizzle-kit's `casing: 'snake_case'`: a column without a name is named after its key in snake case. */
  snakeCase: boolean;
  /**
   * What an identifier imported from another module of the project is: a helper that returns a
   * column builder (`export const id = (name: string) => varchar(name, { length: 256 })`), or an
   * object of columns spread into tables (`...lifecycleDates`). Undefined when it cannot be found.
   */
  resolve?: (identifier: string, fromFile: string) => ResolvedHelper | undefined;
}

export interface ResolvedHelper {
  /** What the helper returns (a builder chain), or the object literal of columns. */
  expression: TypeScript.Expression;
  /** The helper's parameter names, in order (a column name is often the first). */
  parameters: string[];
  /** The Drizzle names the helper's module imports. */
  imports: Map<string, string>;
  file: string;
}

/** Identifiers of a file, for resolving what it imports. */
export function fileImports(ts: Ts, sourceFile: TypeScript.SourceFile): Map<string, string> {
  return drizzleImports(ts, sourceFile);
}

/** Every table declared in one file. */
export function readDrizzleFile(
  ts: Ts,
  path: string,
  sourceFile: TypeScript.SourceFile,
  options: ReadOptions,
): DrizzleTable[] {
  const imports = drizzleImports(ts, sourceFile);
  if (imports.size === 0) return [];
  const schemas = new Map<string, string>();
  const tables: DrizzleTable[] = [];
  const origin = (node: TypeScript.Node): Origin => ({
    file: path,
    range: { start: node.getStart(sourceFile), end: node.getEnd() },
  });

  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
      const call = unwrap(ts, declaration.initializer);
      if (!ts.isCallExpression(call)) continue;
      // `export const auth = pgSchema('auth')`
      if (ts.isIdentifier(call.expression) && SCHEMA_FACTORIES.has(imports.get(call.expression.text) ?? '')) {
        const name = stringValue(ts, call.arguments[0]);
        if (name !== undefined) schemas.set(declaration.name.text, name);
        continue;
      }
      const table = tableCall(ts, call, imports, schemas);
      if (!table) continue;
      const [nameArg, columnsArg, extraArg] = call.arguments;
      const tableName = stringValue(ts, nameArg);
      if (tableName === undefined || !columnsArg || !ts.isObjectLiteralExpression(columnsArg)) continue;
      const read: DrizzleTable = {
        file: path,
        variable: declaration.name.text,
        name: table.schema ? { schema: table.schema, name: tableName } : { name: tableName },
        dialect: table.dialect,
        origin: origin(call),
        columnsByKey: new Map(),
        columns: [],
        constraints: [],
        indexes: [],
        pendingReferences: [],
        partlyKnown: false,
      };
      const context: ColumnContext = { imports, file: path, options, origin };
      for (const property of columnsArg.properties) readColumnProperty(ts, property, read, context, 0);
      if (extraArg) readExtraConfig(ts, extraArg, read, origin);
      tables.push(read);
    }
  }
  return tables;
}

/** Local name → imported name, for what the file imports from a Drizzle core module. */
function drizzleImports(ts: Ts, sourceFile: TypeScript.SourceFile): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (!DRIZZLE_CORE_IMPORT.test(`'${statement.moduleSpecifier.text}'`)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) names.set(element.name.text, (element.propertyName ?? element.name).text);
  }
  return names;
}

function tableCall(
  ts: Ts,
  call: TypeScript.CallExpression,
  imports: Map<string, string>,
  schemas: Map<string, string>,
): { dialect: SqlDialect; schema?: string } | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) {
    const dialect = TABLE_FACTORIES[imports.get(callee.text) ?? ''];
    return dialect ? { dialect } : undefined;
  }
  // `auth.table('users', …)` on a `pgSchema('auth')`
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'table' && ts.isIdentifier(callee.expression)) {
    const schema = schemas.get(callee.expression.text);
    if (schema === undefined) return undefined;
    const factory = [...imports.values()].find((name) => SCHEMA_FACTORIES.has(name));
    return { dialect: factory === 'mysqlSchema' ? 'mysql' : 'postgres', schema };
  }
  return undefined;
}

interface ColumnContext {
  imports: Map<string, string>;
  file: string;
  options: ReadOptions;
  origin: (node: TypeScript.Node) => Origin;
}

/** One property of the columns object, or a spread of columns declared elsewhere. */
function readColumnProperty(
  ts: Ts,
  property: TypeScript.ObjectLiteralElementLike,
  table: DrizzleTable,
  context: ColumnContext,
  depth: number,
): void {
  if (ts.isSpreadAssignment(property)) {
    const spread = unwrap(ts, property.expression);
    const helper =
      ts.isIdentifier(spread) && depth < 3 ? context.options.resolve?.(spread.text, context.file) : undefined;
    const object = helper && unwrap(ts, helper.expression);
    if (!helper || !object || !ts.isObjectLiteralExpression(object)) {
      table.partlyKnown = true;
      return;
    }
    // Columns of the spread object, read in its own module; findings point at the spread.
    const inner: ColumnContext = {
      ...context,
      imports: helper.imports,
      file: helper.file,
      origin: () => context.origin(property),
    };
    for (const element of object.properties) readColumnProperty(ts, element, table, inner, depth + 1);
    return;
  }
  if (!ts.isPropertyAssignment(property)) {
    table.partlyKnown = true;
    return;
  }
  const key = propertyName(ts, property.name);
  if (key === undefined || !readColumn(ts, key, property.initializer, table, context, context.origin(property)))
    table.partlyKnown = true;
}

/** `workspaceId: integer('workspace_id').notNull().references(() => workspace.id)`; false when it cannot be read. */
function readColumn(
  ts: Ts,
  key: string,
  initializer: TypeScript.Expression,
  table: DrizzleTable,
  context: ColumnContext,
  at: Origin,
): boolean {
  const { options } = context;
  let { imports, origin } = context;
  const chain = callChain(ts, initializer);
  if (!chain) return false;
  let { base, calls } = chain;
  let nameArg: TypeScript.Expression | undefined = base.arguments[0];
  if (!imports.has(base.expression.text)) {
    // A helper of the project that returns a builder: read what it returns, in its own module.
    const helper = options.resolve?.(base.expression.text, context.file);
    const inner = helper && callChain(ts, helper.expression);
    if (!helper || !inner || !helper.imports.has(inner.base.expression.text)) return false;
    // The column's name: the string the table passes (`tsvector('fts_vector')`, `id('workspace_id')`),
    // else the one the helper writes itself (`bigint('pk')`).
    const innerName = inner.base.arguments[0];
    const parameterIndex = innerName && ts.isIdentifier(innerName) ? helper.parameters.indexOf(innerName.text) : -1;
    nameArg =
      stringValue(ts, base.arguments[0]) !== undefined
        ? base.arguments[0]
        : parameterIndex >= 0
          ? base.arguments[parameterIndex]
          : innerName;
    base = inner.base;
    calls = [...inner.calls, ...calls];
    // What the helper's own code declares is reported at the column that uses it.
    imports = helper.imports;
    origin = () => at;
  }
  const builder = imports.get(base.expression.text) ?? base.expression.text;
  const explicitName = stringValue(ts, nameArg);
  const name = explicitName ?? (options.snakeCase ? snakeCase(key) : key);
  const column: ColumnDefinition = {
    name,
    type: columnType(
      ts,
      builder,
      base.arguments,
      calls.some((c) => c.name === 'array'),
      table.dialect,
    ),
    nullable: true,
    constraints: [],
    origin: at,
  };
  for (const call of calls) {
    if (call.name === 'notNull') column.nullable = false;
    else if (call.name === 'primaryKey') {
      column.nullable = false;
      column.constraints.push({ kind: 'primary-key', columns: [], origin: origin(call.node) });
    } else if (call.name === 'unique') {
      const uniqueName = stringValue(ts, call.node.arguments[0]);
      column.constraints.push({
        kind: 'unique',
        columns: [],
        ...(uniqueName ? { name: uniqueName } : {}),
        origin: origin(call.node),
      });
    } else if (call.name === 'references') {
      const target = referencedColumn(ts, call.node.arguments[0]);
      const onDelete = referenceAction(ts, call.node.arguments[1], 'onDelete');
      if (target)
        table.pendingReferences.push({
          column,
          columns: [name],
          target: [target],
          ...(onDelete ? { onDelete } : {}),
          origin: origin(call.node),
        });
    }
  }
  // serial columns are NOT NULL by definition.
  if (/^(?:small|big)?serial$/.test(builder)) column.nullable = false;
  table.columnsByKey.set(key, name);
  table.columns.push(column);
  return true;
}

/** `(t) => [index('i').on(t.a), primaryKey({ columns: [t.a, t.b] })]` or the older object form. */
function readExtraConfig(
  ts: Ts,
  extra: TypeScript.Expression,
  table: DrizzleTable,
  origin: (node: TypeScript.Node) => Origin,
): void {
  if (!ts.isArrowFunction(extra) && !ts.isFunctionExpression(extra)) return;
  const parameter = extra.parameters[0];
  const own = parameter && ts.isIdentifier(parameter.name) ? parameter.name.text : undefined;
  let body: TypeScript.Node | undefined = extra.body;
  if (ts.isBlock(body)) body = body.statements.find(ts.isReturnStatement)?.expression;
  if (!body) return;
  body = unwrap(ts, body as TypeScript.Expression);
  const items = ts.isArrayLiteralExpression(body)
    ? [...body.elements]
    : ts.isObjectLiteralExpression(body)
      ? body.properties.flatMap((p) => (ts.isPropertyAssignment(p) ? [p.initializer] : []))
      : [];
  // A column of this table, by the callback's parameter (`t.workspaceId`) or the table's own variable.
  const ownColumn = (expression: TypeScript.Expression): string | null => {
    let e = unwrap(ts, expression);
    // `t.teamId.asc().nullsLast().op('uuid_ops')`: the column with its order and operator class.
    while (
      ts.isCallExpression(e) &&
      ts.isPropertyAccessExpression(e.expression) &&
      COLUMN_MODIFIERS.has(e.expression.name.text)
    ) {
      e = unwrap(ts, e.expression.expression);
    }
    if (
      ts.isPropertyAccessExpression(e) &&
      ts.isIdentifier(e.expression) &&
      (e.expression.text === own || e.expression.text === table.variable)
    ) {
      return table.columnsByKey.get(e.name.text) ?? null;
    }
    return null;
  };
  for (const item of items) {
    const chain = callChain(ts, item);
    if (!chain || !INDEX_BUILDERS.has(chain.base.expression.text)) continue;
    const kind = chain.base.expression.text;
    const name = stringValue(ts, chain.base.arguments[0]);
    const at = origin(item);
    if (kind === 'primaryKey' || kind === 'foreignKey') {
      const config = chain.base.arguments[0];
      const options = config && ts.isObjectLiteralExpression(config) ? config : undefined;
      const listed = options ? arrayProperty(ts, options, 'columns') : [...chain.base.arguments];
      const columns = listed.map(ownColumn);
      if (columns.length === 0 || columns.some((c) => c === null)) continue;
      const constraintName = options ? stringValue(ts, property(ts, options, 'name')) : undefined;
      if (kind === 'primaryKey') {
        table.constraints.push({
          kind: 'primary-key',
          columns: columns as string[],
          ...(constraintName ? { name: constraintName } : {}),
          origin: at,
        });
        continue;
      }
      const targets = (options ? arrayProperty(ts, options, 'foreignColumns') : []).map((e) => referencedColumn(ts, e));
      if (targets.length !== columns.length || targets.some((t) => t === undefined)) continue;
      // `foreignKey({ … }).onDelete('cascade')`; Drizzle writes NO ACTION when no call says otherwise.
      const onDeleteCall = chain.calls.find((c) => c.name === 'onDelete');
      const action = onDeleteCall ? stringValue(ts, onDeleteCall.node.arguments[0]) : 'no action';
      const onDelete = action === undefined ? undefined : referentialAction(action);
      table.pendingReferences.push({
        columns: columns as string[],
        target: targets as Array<{ variable: string; key: string }>,
        ...(constraintName ? { name: constraintName } : {}),
        ...(onDelete ? { onDelete } : {}),
        origin: at,
      });
      continue;
    }
    const on = chain.calls.find((c) => c.name === 'on' || c.name === 'using');
    if (!on) continue;
    const elements = on.name === 'using' ? on.node.arguments.slice(1) : [...on.node.arguments];
    const columns = elements.map(ownColumn);
    if (columns.length === 0) continue;
    if (kind === 'unique') {
      if (columns.some((c) => c === null)) continue;
      table.constraints.push({ kind: 'unique', columns: columns as string[], ...(name ? { name } : {}), origin: at });
      continue;
    }
    const method = on.name === 'using' ? stringValue(ts, on.node.arguments[0]) : undefined;
    table.indexes.push({
      ...(name ? { name } : {}),
      table: table.name,
      columns,
      unique: kind === 'uniqueIndex',
      partial: chain.calls.some((c) => c.name === 'where'),
      ...(method && method !== 'btree' ? { method } : {}),
      ifNotExists: false,
      concurrently: chain.calls.some((c) => c.name === 'concurrently'),
      origin: at,
    });
  }
}

/**
 * `{ onDelete: 'set null' }` → the action, when written as a string literal; `no-action` (Drizzle's
 * default) when no options or a literal without the key are given; undefined when it cannot be read.
 */
function referenceAction(
  ts: Ts,
  options: TypeScript.Expression | undefined,
  key: 'onDelete',
): ReferentialAction | undefined {
  if (!options) return 'no-action';
  if (!ts.isObjectLiteralExpression(options)) return undefined;
  for (const property of options.properties) {
    if (ts.isSpreadAssignment(property)) return undefined;
    if (!ts.isPropertyAssignment(property) || property.name.getText() !== key) continue;
    const value = stringValue(ts, property.initializer);
    return value === undefined ? undefined : referentialAction(value);
  }
  return 'no-action';
}

/** `() => users.id` → the variable and the key. */
function referencedColumn(
  ts: Ts,
  expression: TypeScript.Expression | undefined,
): { variable: string; key: string } | undefined {
  if (!expression) return undefined;
  let e = unwrap(ts, expression);
  if (ts.isArrowFunction(e) && !ts.isBlock(e.body)) e = unwrap(ts, e.body);
  // `(): AnyPgColumn => users.id` has the same body.
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression))
    return { variable: e.expression.text, key: e.name.text };
  return undefined;
}

/** `text('name').notNull().primaryKey()` → the builder call and the calls chained on it, in order. */
function callChain(
  ts: Ts,
  expression: TypeScript.Expression,
):
  | {
      base: TypeScript.CallExpression & { expression: TypeScript.Identifier };
      calls: Array<{ name: string; node: TypeScript.CallExpression }>;
    }
  | undefined {
  const calls: Array<{ name: string; node: TypeScript.CallExpression }> = [];
  let e = unwrap(ts, expression);
  while (ts.isCallExpression(e)) {
    const callee = e.expression;
    if (ts.isIdentifier(callee))
      return { base: e as TypeScript.CallExpression & { expression: TypeScript.Identifier }, calls: calls.reverse() };
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    calls.push({ name: callee.name.text, node: e });
    e = unwrap(ts, callee.expression);
  }
  return undefined;
}

/** The column type as the SQL input names it (`timestamp` without a zone, `timestamptz`, `integer`, …). */
function columnType(
  ts: Ts,
  builder: string,
  args: TypeScript.NodeArray<TypeScript.Expression>,
  array: boolean,
  dialect: SqlDialect,
): ColumnType {
  const options = args.find((a): a is TypeScript.ObjectLiteralExpression => ts.isObjectLiteralExpression(a));
  const lower = builder.toLowerCase();
  let name = lower;
  if (lower === 'timestamp' && DIALECTS[dialect].engine.zonedTimestampType)
    name = options && booleanProperty(ts, options, 'withTimezone') ? 'timestamptz' : 'timestamp';
  else if (lower === 'serial' || lower === 'integer' || lower === 'int') name = 'integer';
  else if (lower === 'bigserial') name = 'bigint';
  else if (lower === 'smallserial') name = 'smallint';
  else if (lower === 'doubleprecision' || lower === 'double') name = 'double precision';
  else if (lower === 'decimal') name = 'numeric';
  return { name, array };
}

function booleanProperty(ts: Ts, object: TypeScript.ObjectLiteralExpression, key: string): boolean {
  const value = property(ts, object, key);
  return value !== undefined && value.kind === ts.SyntaxKind.TrueKeyword;
}

function arrayProperty(ts: Ts, object: TypeScript.ObjectLiteralExpression, key: string): TypeScript.Expression[] {
  const value = property(ts, object, key);
  return value && ts.isArrayLiteralExpression(value) ? [...value.elements] : [];
}

function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
