/**
 * One Sequelize migration (`up(queryInterface, Sequelize)`) as schema events: the QueryInterface
 * calls of `up()` in source order — createTable, addColumn, removeColumn, changeColumn,
 * renameColumn, renameTable, dropTable, addIndex, removeIndex, addConstraint, removeConstraint —
 * read from the syntax tree (the migration is never run), plus where its raw SQL strings
 * (`queryInterface.sequelize.query('CREATE INDEX …')`) sit, for the SQL reader to parse in place.
 * A call whose table or columns are not literals (a loop variable, a computed name) is not read:
 * `unread` counts them.
 */
import type { ts as TypeScript } from 'ts-morph';
import type { Origin } from '../../../model/finding.js';
import type { ColumnDefinition, ConstraintDefinition, SchemaEvent, SqlDialect } from '../../../model/schema.js';
import type { BuilderMigration } from './builder-migrations.js';
import {
  columnOf,
  constraintOf,
  type Context,
  defaultIndexName,
  indexOf,
  literal,
  tableNameOf,
  unwrap,
} from './sequelize-attributes.js';
import { literalSql } from './js-escapes.js';
import { type FunctionLike, propertyName, upFunction } from './ts-syntax.js';
import { declaredTableEvents } from './table-events.js';

type Ts = typeof TypeScript;

/** `queryInterface.createTable(` somewhere, and an `up` to run it. */
export const SEQUELIZE_MIGRATION =
  /\bup\b[\s\S]*\.\s*(?:createTable|addColumn|addIndex|addConstraint|removeColumn|changeColumn|renameColumn|removeIndex|dropTable|renameTable|removeConstraint)\s*\(/;

/** `:teamId` (not a `::type` cast) or `$1`: a query with replacements or binds. */
const REPLACEMENT = /(?<![:\w]):[A-Za-z_]\w*|\$\d/;

export function readSequelizeMigration(
  ts: Ts,
  path: string,
  sourceFile: TypeScript.SourceFile,
  dialect: SqlDialect,
): BuilderMigration | undefined {
  const up = upFunction(ts, sourceFile);
  if (!up) return undefined;
  const qi = queryInterfaceName(ts, up);
  if (!qi) return undefined;
  const out: BuilderMigration = { events: [], sqlStrings: [], unread: 0, uncertainAt: [] };
  const constants = stringConstants(ts, sourceFile);
  const origin = (node: TypeScript.Node): Origin => ({
    file: path,
    range: { start: node.getStart(sourceFile), end: node.getEnd() },
  });
  const context: Context = { ts, dialect, constants, origin, out };

  const visit = (node: TypeScript.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = unwrap(ts, node.expression);
      if (ts.isPropertyAccessExpression(callee)) {
        const target = unwrap(ts, callee.expression);
        if (ts.isIdentifier(target) && target.text === qi) readCall(context, callee.name.text, node);
        // `queryInterface.sequelize.query('…')`
        else if (
          callee.name.text === 'query' &&
          ts.isPropertyAccessExpression(target) &&
          target.name.text === 'sequelize' &&
          ts.isIdentifier(unwrap(ts, target.expression)) &&
          (unwrap(ts, target.expression) as TypeScript.Identifier).text === qi
        ) {
          const sql = node.arguments[0] && unwrap(ts, node.arguments[0]);
          // Sequelize fills `:name` replacements and `$1` binds in before the database sees the query:
          // such a string is not SQL as written, and what it does depends on values it is given.
          if (
            sql &&
            (ts.isStringLiteral(sql) || ts.isNoSubstitutionTemplateLiteral(sql)) &&
            !REPLACEMENT.test(sql.text)
          )
            out.sqlStrings.push(literalSql(sourceFile, sql));
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  if (up.body) visit(up.body);
  return out;
}

const SCHEMA_CALLS = new Set([
  'createTable',
  'addColumn',
  'removeColumn',
  'changeColumn',
  'renameColumn',
  'renameTable',
  'dropTable',
  'addIndex',
  'removeIndex',
  'addConstraint',
  'removeConstraint',
]);

function readCall(c: Context, method: string, call: TypeScript.CallExpression): void {
  if (!SCHEMA_CALLS.has(method)) return;
  const events = eventsOf(c, method, call);
  if (events === undefined) c.out.unread++;
  else c.out.events.push(...events);
}

function eventsOf(c: Context, method: string, call: TypeScript.CallExpression): SchemaEvent[] | undefined {
  const { ts } = c;
  const args = call.arguments;
  const table = tableNameOf(c, args[0]);
  if (!table) return undefined;
  const origin = c.origin(call);
  const text = (i: number) => literal(c, args[i]);
  switch (method) {
    case 'createTable': {
      const attributes = args[1] && unwrap(ts, args[1]);
      if (!attributes || !ts.isObjectLiteralExpression(attributes)) return undefined;
      const columns: ColumnDefinition[] = [];
      const constraints: ConstraintDefinition[] = [];
      let partlyKnown = false;
      const primary: string[] = [];
      for (const property of attributes.properties) {
        const name = ts.isPropertyAssignment(property) ? propertyName(ts, property.name) : undefined;
        const column =
          name !== undefined && ts.isPropertyAssignment(property)
            ? columnOf(c, name, property.initializer, c.origin(property))
            : undefined;
        if (!column) {
          partlyKnown = true;
          continue;
        }
        columns.push(column.definition);
        if (column.primary) primary.push(name!);
      }
      if (primary.length > 0) constraints.push({ kind: 'primary-key', columns: primary, origin });
      return declaredTableEvents({ table, columns, constraints, partlyKnown, origin });
    }
    case 'addColumn': {
      const name = text(1);
      const column = name !== undefined && args[2] ? columnOf(c, name, args[2], origin) : undefined;
      return column
        ? [{ kind: 'add-column', table, column: column.definition, ifNotExists: false, origin }]
        : undefined;
    }
    case 'removeColumn': {
      const name = text(1);
      return name !== undefined ? [{ kind: 'drop-column', table, column: name, origin }] : undefined;
    }
    case 'renameColumn': {
      const [from, to] = [text(1), text(2)];
      return from !== undefined && to !== undefined ? [{ kind: 'rename-column', table, from, to, origin }] : undefined;
    }
    case 'renameTable': {
      const to = tableNameOf(c, args[1]);
      return to ? [{ kind: 'rename-table', table, to, origin }] : undefined;
    }
    case 'dropTable':
      return [{ kind: 'drop-table', table, ifExists: false, origin }];
    case 'changeColumn': {
      const name = text(1);
      const column = name !== undefined && args[2] ? columnOf(c, name, args[2], origin) : undefined;
      if (!column) return undefined;
      const events: SchemaEvent[] = [
        {
          kind: 'alter-column',
          table,
          column: name!,
          type: column.definition.type,
          nullable: column.definition.nullable,
          origin,
        },
      ];
      for (const constraint of column.definition.constraints)
        if (constraint.kind === 'foreign-key')
          events.push({ kind: 'add-constraint', table, constraint: { ...constraint, columns: [name!] }, origin });
      return events;
    }
    case 'addIndex': {
      const index = indexOf(c, table, args, origin);
      return index ? [{ kind: 'create-index', index, origin }] : undefined;
    }
    case 'removeIndex': {
      const second = args[1] && unwrap(ts, args[1]);
      const named = text(1);
      if (named !== undefined) return [{ kind: 'drop-index', name: named, table, ifExists: false, origin }];
      if (second && ts.isArrayLiteralExpression(second)) {
        const fields = second.elements.map((e) => literal(c, e));
        if (fields.some((f) => f === undefined)) return undefined;
        return [
          { kind: 'drop-index', name: defaultIndexName(table, fields as string[]), table, ifExists: false, origin },
        ];
      }
      return undefined;
    }
    case 'addConstraint': {
      const constraint = constraintOf(c, args, origin);
      return constraint ? [{ kind: 'add-constraint', table, constraint, origin }] : undefined;
    }
    case 'removeConstraint': {
      const name = text(1);
      return name !== undefined ? [{ kind: 'drop-constraint', table, name, origin }] : undefined;
    }
  }
  return undefined;
}

/** `const TABLE = 'users'` at the top of the file. */
function stringConstants(ts: Ts, sourceFile: TypeScript.SourceFile): Map<string, string> {
  const constants = new Map<string, string>();
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of statement.declarationList.declarations) {
      const init = d.initializer && unwrap(ts, d.initializer);
      if (ts.isIdentifier(d.name) && init && (ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init)))
        constants.set(d.name.text, init.text);
    }
  }
  return constants;
}

/** The first parameter (`queryInterface`), or `{ context: queryInterface }` (umzug). */
function queryInterfaceName(ts: Ts, fn: FunctionLike): string | undefined {
  const first = fn.parameters[0]?.name;
  if (!first) return undefined;
  if (ts.isIdentifier(first)) return first.text;
  if (ts.isObjectBindingPattern(first)) {
    const context = first.elements.find(
      (e) =>
        (e.propertyName && ts.isIdentifier(e.propertyName)
          ? e.propertyName.text
          : ts.isIdentifier(e.name)
            ? e.name.text
            : '') === 'context',
    );
    if (context && ts.isIdentifier(context.name)) return context.name.text;
  }
  return undefined;
}
