/**
 * Readers of a route registration's arguments that several frameworks share: the HTTP method
 * names, paths (a string, an array, a RegExp), query schemas declared with the route, validator
 * middleware and the "hidden from docs" flag.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { HttpMethod } from '../../model/http.js';
import { findProperty, unwrap, type Evaluator, type StringValue } from './values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** Method names that register a route (`del` is Express's old alias of `delete`), in the order they are read. */
export const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all', 'del']);
/** The empty prefix: mounted at the parent's own path. */
export const EMPTY: StringValue = { value: '', exact: true };

/** A path argument: a string, an array of strings (Express/Hono), or a RegExp (kept as written, low confidence). */
export function readPaths(evaluator: Evaluator, expression: ts.Expression): StringValue[] {
  const node = unwrap(expression);
  if (typescript.isArrayLiteralExpression(node)) return node.elements.map((e) => evaluator.stringOrText(e));
  const looped = loopValues(evaluator, node);
  if (looped) return looped.map((e) => evaluator.stringOrText(e));
  return [evaluator.stringOrText(node)];
}

/**
 * The values a loop variable takes when the loop walks a list written in the code:
 * `for (const method of ['get', 'post']) app.route({ method, … })`, `METHODS.forEach((m) => router[m](…))`
 * over a constant array. Undefined for anything else (the caller reads the expression itself).
 */
export function loopValues(evaluator: Evaluator, expression: ts.Expression): ts.Expression[] | undefined {
  const node = unwrap(expression);
  if (!typescript.isIdentifier(node)) return undefined;
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    let list: ts.Expression | undefined;
    if (typescript.isForOfStatement(at) && typescript.isVariableDeclarationList(at.initializer)) {
      const [declaration] = at.initializer.declarations;
      if (declaration && typescript.isIdentifier(declaration.name) && declaration.name.text === node.text)
        list = at.expression;
    } else if (
      (typescript.isArrowFunction(at) || typescript.isFunctionExpression(at)) &&
      at.parameters[0] &&
      typescript.isIdentifier(at.parameters[0].name) &&
      at.parameters[0].name.text === node.text &&
      typescript.isCallExpression(at.parent) &&
      typescript.isPropertyAccessExpression(at.parent.expression) &&
      /^(forEach|map|flatMap)$/.test(at.parent.expression.name.text) &&
      at.parent.arguments[0] === at
    )
      list = at.parent.expression.expression;
    if (list) {
      const value = unwrap(evaluator.valueOf(list));
      return typescript.isArrayLiteralExpression(value) && value.elements.length > 0 ? [...value.elements] : undefined;
    }
    // A function declared with that name as its own parameter or variable: the loop is not the one that binds it.
    if (typescript.isFunctionLike(at) && at.parameters.some((p) => p.name.getText() === node.text)) return undefined;
  }
  return undefined;
}

/** A method argument (`'GET'`, `['GET', 'POST']`): each method, or `all` marked uncertain when it cannot be read. */
export function readMethods(
  evaluator: Evaluator,
  expression: ts.Expression,
): Array<{ method: HttpMethod | 'all'; uncertain?: boolean }> {
  const node = unwrap(expression);
  const items = typescript.isArrayLiteralExpression(node)
    ? [...node.elements]
    : (loopValues(evaluator, node) ?? [node]);
  return items.map((item) => {
    const value = evaluator.string(item);
    const method = value?.exact ? value.value.toLowerCase() : undefined;
    if (method && (HTTP_METHODS.has(method) || method === 'trace'))
      return { method: method === 'del' ? 'delete' : (method as HttpMethod | 'all') };
    return { method: 'all' as const, uncertain: true };
  });
}

/** A status written as a number literal. */
export function literalStatus(expression: ts.Expression | undefined): number | undefined {
  if (!expression) return undefined;
  const node = unwrap(expression);
  return typescript.isNumericLiteral(node) ? Number(node.text) : undefined;
}

/** The elements of an array literal, or the expression itself. */
export function spreadArray(expression: ts.Expression): ts.Expression[] {
  const node = unwrap(expression);
  return typescript.isArrayLiteralExpression(node) ? [...node.elements] : [expression];
}

/** A route's own guards, plus a public marker read from its options when it has none of its own. */
export function withOptOut<T extends { optOut?: string }>(guards: T, optOut: string | undefined): T {
  return optOut && !guards.optOut ? { ...guards, optOut } : guards;
}

/** What a route's options tell the generated API docs about it. */
export interface DocFlags {
  hiddenFromDocs?: true;
  deprecated?: true;
}

/**
 * `schema: { hide: true }` (Fastify swagger), `hide: true` (Hono createRoute): the route is left out of the
 * generated docs on purpose. `deprecated: true` in the same places (Hono createRoute, Fastify swagger's
 * `schema`): the docs mark the operation deprecated, as an OpenAPI description would.
 */
export function hiddenIn(options: ts.ObjectLiteralExpression | undefined): DocFlags {
  if (!options) return {};
  const isTrue = (value: ts.Expression | undefined) =>
    value !== undefined && unwrap(value).kind === typescript.SyntaxKind.TrueKeyword;
  const schema = findProperty(options, 'schema');
  const nested = schema ? unwrap(schema) : undefined;
  const flag = (name: string) =>
    isTrue(findProperty(options, name)) ||
    (nested !== undefined && typescript.isObjectLiteralExpression(nested) && isTrue(findProperty(nested, name)));
  return {
    ...(flag('hide') ? { hiddenFromDocs: true as const } : {}),
    ...(flag('deprecated') ? { deprecated: true as const } : {}),
  };
}

/** `schema: { querystring }` (Fastify), `request: { query }` (Hono createRoute), `querystring` / `query` directly. */
export function querySchemasIn(options: ts.ObjectLiteralExpression | undefined): ts.Expression[] {
  if (!options) return [];
  const out: ts.Expression[] = [];
  for (const key of ['querystring', 'query']) {
    const direct = findProperty(options, key);
    if (direct) out.push(direct);
  }
  for (const key of ['schema', 'request']) {
    const nested = findProperty(options, key);
    const object = nested ? unwrap(nested) : undefined;
    if (object && typescript.isObjectLiteralExpression(object)) out.push(...querySchemasIn(object));
  }
  return out;
}

/** Validator middleware between path and handler: `zValidator('query', schema)`, `validator('query', …)`. */
export function validatorSchemas(middle: readonly ts.Expression[]): ts.Expression[] {
  const out: ts.Expression[] = [];
  for (const arg of middle) {
    const node = unwrap(arg);
    if (!typescript.isCallExpression(node)) continue;
    const [target, schema] = node.arguments;
    if (target && schema && typescript.isStringLiteralLike(target) && target.text === 'query') out.push(schema);
  }
  return out;
}

/**
 * `describeRoute({ security: [] })` (hono-openapi), `createRoute({ …, security: [] })`: the route's own OpenAPI
 * operation overrides the API's security with none — public on purpose, as in a description. Read from the
 * route's options object or from a call among its middleware that takes one.
 */
export function declaredNoSecurity(evaluator: Evaluator, nodes: readonly ts.Expression[]): string | undefined {
  for (const node of nodes) {
    const value = unwrap(node);
    const options = typescript.isCallExpression(value)
      ? value.arguments.map((a) => evaluator.objectLiteralOf(a)).find((o) => o !== undefined)
      : evaluator.objectLiteralOf(value);
    const security = options ? findProperty(options, 'security') : undefined;
    const list = security ? unwrap(security) : undefined;
    if (list && typescript.isArrayLiteralExpression(list) && list.elements.length === 0)
      return typescript.isCallExpression(value) ? `${value.expression.getText()}({ security: [] })` : 'security: []';
  }
  return undefined;
}
