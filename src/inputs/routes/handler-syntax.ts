/**
 * The syntax a route handler's reading (handler.ts) rests on: which argument hands over the request or its query,
 * which expression is the query object, the paging-like properties of a call argument, a query schema's property
 * names, array types, builder chains, and whether a `return` is the handler's own.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { Modules } from './modules.js';
import { findProperty, propertyName, unwrap } from './values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

const PAGING_ARGS = new Set([
  'take',
  'skip',
  'limit',
  'offset',
  'cursor',
  'first',
  'after',
  'before',
  'page',
  'perPage',
  'per_page',
  'pageSize',
  'page_size',
]);

/** An argument that hands over the request (`req`, `ctx`) or its query (`req.query`). */
export function passesRequest(argument: ts.Expression, own: Set<string>): boolean {
  const node = unwrap(argument);
  if (typescript.isIdentifier(node)) return own.has(node.text);
  return (
    isQueryObject(node) &&
    typescript.isPropertyAccessExpression(node) &&
    typescript.isIdentifier(unwrap(node.expression)) &&
    own.has((unwrap(node.expression) as ts.Identifier).text)
  );
}

export function isQueryObject(node: ts.Node): boolean {
  const target = typescript.isExpression(node) ? unwrap(node) : node;
  return (
    typescript.isPropertyAccessExpression(target) &&
    (target.name.text === 'query' || target.name.text === 'searchParams') &&
    !typescript.isCallExpression(target.parent)
  );
}

/** `c.req.query()`, `c.req.valid('query')`. */
export function isQueryCall(call: ts.CallExpression): boolean {
  if (!typescript.isPropertyAccessExpression(call.expression)) return false;
  const name = call.expression.name.text;
  if (name === 'query' || name === 'queries') return call.arguments.length === 0;
  return (
    name === 'valid' &&
    !!call.arguments[0] &&
    typescript.isStringLiteralLike(call.arguments[0]) &&
    call.arguments[0].text === 'query'
  );
}

/** Object literal properties named like paging arguments, anywhere inside a call argument. */
export function pagingProperties(argument: ts.Expression, into: Set<string>): void {
  const node = unwrap(argument);
  if (!typescript.isObjectLiteralExpression(node)) return;
  for (const property of node.properties) {
    const name = property.name ? propertyName(property.name) : undefined;
    if (name && PAGING_ARGS.has(name) && name !== 'page' && name !== 'first') into.add(name);
    if (typescript.isPropertyAssignment(property)) pagingProperties(property.initializer, into);
    if (typescript.isSpreadAssignment(property)) {
      const spread = unwrap(property.expression);
      if (typescript.isConditionalExpression(spread)) {
        pagingProperties(spread.whenTrue, into);
        pagingProperties(spread.whenFalse, into);
      } else pagingProperties(spread, into);
    }
  }
}

/** Property names of a query schema: `{ properties: { limit } }`, `z.object({ limit })`, `Type.Object({ limit })`. */
export function schemaProperties(expression: ts.Expression, modules: Modules, depth = 0): string[] {
  if (depth > 4) return [];
  const node = unwrap(expression);
  if (typescript.isIdentifier(node)) {
    const binding = modules.lookup(node);
    return binding?.kind === 'value' ? schemaProperties(binding.node, modules, depth + 1) : [];
  }
  if (typescript.isCallExpression(node)) {
    const out: string[] = [];
    for (const arg of node.arguments) out.push(...schemaProperties(arg, modules, depth + 1));
    if (typescript.isPropertyAccessExpression(node.expression))
      out.push(...schemaProperties(node.expression.expression, modules, depth + 1));
    return out;
  }
  if (typescript.isObjectLiteralExpression(node)) {
    const properties = findProperty(node, 'properties');
    if (properties) return schemaProperties(properties, modules, depth + 1);
    return node.properties.flatMap((p) => {
      const name = p.name ? propertyName(p.name) : undefined;
      return name && name !== 'type' && name !== 'required' ? [name] : [];
    });
  }
  return [];
}

export function isArrayType(type: ts.TypeNode): boolean {
  if (typescript.isArrayTypeNode(type)) return true;
  if (typescript.isTypeReferenceNode(type)) {
    const name = type.typeName.getText();
    if (name === 'Array' || name === 'ReadonlyArray') return true;
    if (name === 'Promise' && type.typeArguments?.[0]) return isArrayType(type.typeArguments[0]);
  }
  return false;
}

export function chainHas(expression: ts.Expression, names: string[]): boolean {
  let node: ts.Expression = unwrap(expression);
  for (let i = 0; i < 20; i++) {
    if (typescript.isCallExpression(node)) {
      const callee = node.expression;
      if (typescript.isPropertyAccessExpression(callee)) {
        if (names.includes(callee.name.text)) return true;
        node = unwrap(callee.expression);
        continue;
      }
      if (typescript.isIdentifier(callee) && names.includes(callee.text)) return true;
      return false;
    }
    if (typescript.isPropertyAccessExpression(node)) {
      node = unwrap(node.expression);
      continue;
    }
    return false;
  }
  return false;
}

export function identifierDeclaration(node: ts.Identifier): ts.ParameterDeclaration | undefined {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (typescript.isFunctionLike(p)) {
      return p.parameters.find((param) => typescript.isIdentifier(param.name) && param.name.text === node.text);
    }
  }
  return undefined;
}

/** A return of the handler itself, not of a callback inside it. */
export function isOwnReturn(node: ts.ReturnStatement, fn: ts.FunctionLikeDeclaration): boolean {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) if (typescript.isFunctionLike(p)) return p === fn;
  return false;
}
