/**
 * How far a read query narrows the rows it returns (its scope), read from the query's own arguments:
 *
 *   'owner'     filtered by equality on one parent's or owner's key (`where: { userId }`, `.eq('project_id', id)`,
 *               `where('org_id', id)`, `eq(t.teamId, id)`, `WHERE project_id = $1`): the children of one thing;
 *   'page'      cut to a written page of at most PAGE rows (`take: 20`, `.limit(10)`);
 *   'filtered'  filtered, but on no parent key (`status: 'pending'`, a date): a slice of a whole table;
 *   'unscoped'  no filter at all: every row of the table.
 *
 * Whether the owner's children are few is a fact about the domain (a user's organisations vs a project's events);
 * the scope only says the set is one parent's, which a rule combines with what else it knows.
 */
import type { ts as TypeScript } from 'ts-morph';
import type { Chain } from './call-chains.js';
import { unwrapExpression } from './qualified-names.js';

export type QueryScope = 'owner' | 'page' | 'filtered' | 'unscoped';

/** A written page bound at most this large keeps the set a page. */
const PAGE = 100;
/** A parent's or owner's key: `userId`, `project_id`, `organizationID`, Mongoose refs named for the parent. */
const OWNER_KEY =
  /^(?!id$)(\w*(Id|_id|ID|Uuid|_uuid)|owner|user|author|creator|parent|project|organi[sz]ation|org|team|workspace|account|tenant|space|board|group|guild|channel|site|app|company)$/;
/** Parts of a query's arguments that do not narrow its rows: what it returns, writes, orders or joins. */
const NOT_FILTER = new Set([
  'select',
  'include',
  'data',
  'orderBy',
  'order',
  'populate',
  'relations',
  'attributes',
  'sort',
  'projection',
  'fields',
  'omit',
]);
const WHERE_METHOD = /^(where|andWhere|eq|match|filter|whereRaw|find|findBy|findAll|findMany|findOne|count)$/;
const LIMIT_METHOD = /^(limit|take|top|first)$/;
const LIMIT_KEY = /^(take|limit|first|perPage|per_page|pageSize|top)$/;
const RAW_OWNER = /\bwhere\b[\s\S]*?["`]?\b\w+(_id|Id)["`]?\s*=\s*(\$\d+|\?|:\w+|\$\{|@\w+)/i;
const RAW_WHERE = /\bwhere\b/i;
/** `…By<Parent>Id`, `…By<Parent>Uuid(And…)`: not `findById` (one row). */
const BY_KEY = /By[A-Z]\w*?(Id|Uuid|ID)(And[A-Z]\w*)?$/;
const RAW_LIMIT = /\blimit\s+(\d+)/i;

export function queryScope(ts: typeof TypeScript, chain: Chain): QueryScope {
  let owner = false;
  let filtered = false;
  let page = false;
  const bounded = (node: TypeScript.Node | undefined) => {
    const value = node && unwrapExpression(ts, node as TypeScript.Expression);
    return value !== undefined && ts.isNumericLiteral(value) && Number(value.text) <= PAGE;
  };
  const singleValue = (node: TypeScript.Node): boolean => {
    const value = unwrapExpression(ts, node as TypeScript.Expression);
    if (ts.isObjectLiteralExpression(value))
      return value.properties.some(
        (p) => p.name !== undefined && ts.isIdentifier(p.name) && /^(\$?eq|equals|id|_id)$/.test(p.name.text),
      );
    return !ts.isArrayLiteralExpression(value);
  };
  const readObject = (object: TypeScript.ObjectLiteralExpression, depth: number): void => {
    for (const property of object.properties) {
      if (ts.isShorthandPropertyAssignment(property)) {
        filtered = true;
        if (OWNER_KEY.test(property.name.text)) owner = true;
        continue;
      }
      if (!ts.isPropertyAssignment(property)) continue;
      const key = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : undefined;
      if (key === undefined || NOT_FILTER.has(key)) continue;
      if (LIMIT_KEY.test(key)) {
        if (bounded(property.initializer)) page = true;
        continue;
      }
      if (/^(skip|offset|cursor|distinct)$/.test(key)) continue;
      const value = unwrapExpression(ts, property.initializer);
      if (ts.isObjectLiteralExpression(value) && depth < 4) {
        if (OWNER_KEY.test(key) && singleValue(value)) owner = true;
        readObject(value, depth + 1);
        continue;
      }
      if (ts.isArrayLiteralExpression(value) && depth < 4) {
        // `OR: [{ userId }, { teamId }]`, `$and: […]`
        for (const element of value.elements) {
          const inner = unwrapExpression(ts, element as TypeScript.Expression);
          if (ts.isObjectLiteralExpression(inner)) readObject(inner, depth + 1);
        }
        continue;
      }
      filtered = true;
      if (OWNER_KEY.test(key) && singleValue(value)) owner = true;
    }
  };
  const readText = (text: string) => {
    if (RAW_WHERE.test(text)) filtered = true;
    if (RAW_OWNER.test(text)) owner = true;
    const limit = RAW_LIMIT.exec(text);
    if (limit && Number(limit[1]) <= PAGE) page = true;
  };
  const readNode = (node: TypeScript.Node): void => {
    const value = unwrapExpression(ts, node as TypeScript.Expression);
    if (ts.isObjectLiteralExpression(value)) readObject(value, 0);
    else if (ts.isStringLiteralLike(value) || ts.isTemplateExpression(value)) readText(value.getText());
    else if (ts.isCallExpression(value)) {
      // Drizzle `and(eq(t.userId, id), …)`, `eq(t.projectId, id)`
      const callee = value.expression.getText();
      if (/^(eq|and|or)$/.test(callee)) {
        filtered = true;
        if (callee === 'eq') {
          const column = value.arguments[0];
          const name = column && ts.isPropertyAccessExpression(column) ? column.name.text : undefined;
          if (name && OWNER_KEY.test(name)) owner = true;
        } else value.arguments.forEach(readNode);
      }
    }
  };
  for (const segment of chain.segments) {
    const args = segment.args;
    if (!args) continue;
    if (LIMIT_METHOD.test(segment.name)) {
      if (bounded(args[0])) page = true;
      continue;
    }
    if (WHERE_METHOD.test(segment.name) && args.length >= 2) {
      // knex `.where('user_id', id)`, `.where('user_id', '=', id)`, supabase `.eq('project_id', id)`
      const column = unwrapExpression(ts, args[0] as TypeScript.Expression);
      if (ts.isStringLiteralLike(column)) {
        filtered = true;
        const name = column.text.split('.').pop() ?? '';
        if (OWNER_KEY.test(name) && (args.length === 2 || args[1]!.getText().includes('='))) owner = true;
        continue;
      }
    }
    args.forEach(readNode);
  }
  // A repository method named for its filter: `findAllByUserUuid(uuid)`, `getOrgsByUserId(id)`, `findBySpaceId(id)`.
  const operation = [...chain.segments].reverse().find((segment) => segment.args !== undefined);
  if (operation && BY_KEY.test(operation.name)) owner = true;
  if (owner) return 'owner';
  if (page) return 'page';
  return filtered ? 'filtered' : 'unscoped';
}
