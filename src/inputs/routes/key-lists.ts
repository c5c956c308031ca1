/**
 * Reads that look rows up by a list of their keys (`where: { id: { in: ids } }`, `In(ids)`, `$in`, `whereIn('id', ids)`,
 * `inArray(t.id, ids)`): at most one row per id of the list, so the list bounds the answer, not the table (data-reads.ts).
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { Segment } from '../../model/call-chains.js';
import { unwrap } from './values.js';

const typescript = loadTypeScript();

/**
 * A lookup of the rows whose key is in a list: `findMany({ where: { id: { in: ids } } })`, `findBy({ id: In(ids) })`,
 * `find({ _id: { $in: ids } })`. At most one row per id of the list (the ids a client sends, the ones a page holds):
 * the list bounds the answer, not the table. A foreign key in a list (`projectId: { in: … }`) selects every row of
 * those parents: not this.
 */
const KEY = /^(id|_id|uuid)$/;
export function byKeyList(segment: Segment): boolean {
  return (segment.args ?? []).some((arg) => {
    const options = unwrap(arg as ts.Expression);
    if (!typescript.isObjectLiteralExpression(options)) return false;
    const where = propertyValue(options, 'where');
    const filters = [options, where && unwrap(where)].filter(
      (n): n is ts.ObjectLiteralExpression => n !== undefined && typescript.isObjectLiteralExpression(n),
    );
    return filters.some((filter) => {
      const value = keyFilter(filter);
      return value !== undefined && isListMatch(value);
    });
  });
}

/** The value given to the key (`id`, `_id`, `uuid`) in a filter object. */
function keyFilter(filter: ts.ObjectLiteralExpression): ts.Expression | undefined {
  for (const p of filter.properties) {
    if (typescript.isPropertyAssignment(p) && KEY.test(p.name.getText().replace(/['"]/g, '')))
      return unwrap(p.initializer);
  }
  return undefined;
}

/** `{ in: ids }`, `{ $in: ids }`, `In(ids)`: the key matches a list. */
function isListMatch(value: ts.Expression): boolean {
  if (typescript.isObjectLiteralExpression(value))
    return value.properties.some(
      (p) => typescript.isPropertyAssignment(p) && /^['"]?\$?in['"]?$/.test(p.name.getText()),
    );
  if (typescript.isCallExpression(value)) {
    const callee = unwrap(value.expression);
    return typescript.isIdentifier(callee) && callee.text === 'In';
  }
  return false;
}

function propertyValue(node: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  const found = node.properties.find(
    (p): p is ts.PropertyAssignment => typescript.isPropertyAssignment(p) && p.name.getText() === key,
  );
  return found?.initializer;
}

/** A builder filtered by its key in a list: Knex `whereIn('id', ids)`, Drizzle `where(inArray(t.id, ids))`. */
export function whereKeyInList(segment: Segment): boolean {
  const args = segment.args ?? [];
  if (segment.name === 'whereIn' && args.length === 2) {
    const column = unwrap(args[0] as ts.Expression);
    return typescript.isStringLiteralLike(column) && KEY.test(column.text.replace(/^.*\./, ''));
  }
  if (segment.name !== 'where' || args.length !== 1) return false;
  const condition = unwrap(args[0] as ts.Expression);
  if (!typescript.isCallExpression(condition) || condition.arguments.length !== 2) return false;
  const callee = unwrap(condition.expression);
  const column = unwrap(condition.arguments[0]!);
  return (
    typescript.isIdentifier(callee) &&
    callee.text === 'inArray' &&
    typescript.isPropertyAccessExpression(column) &&
    KEY.test(column.name.text)
  );
}
