/**
 * Where the set a loop walks comes from. perf/no-n-plus-one warns for a loop over a traced set and notes one over
 * an unknown set, whose size archlint cannot judge (measured: bench/realworld/README.md "The scope of an N+1 loop's
 * source query"):
 *
 *   'query'    the rows of a data-layer read (`await prisma.order.findMany()`, `const [rows] = await pool.query(…)`,
 *              `result.rows`), or a filtered/mapped/sorted copy of them, with the read's scope (query-scope.ts);
 *   'relation' one row's related rows (`user.memberships`, `order.items`): the children of one parent (`one` when
 *              that parent is a single row read by key — `findUnique`, `findById`, `.first()` —, not an element of rows);
 *   'request'  an array sent by the client (`req.body.ids`, a `@Body()` / `@Query()` parameter, tRPC `input.ids`);
 *   'caller'   a parameter that a caller, one level up, fills with one of those (only when callers are given).
 *
 * Anything else — a list written in the code, a configuration value, `this.x`, the result of a call archlint does
 * not read, a parameter whose callers it cannot see — is unknown (undefined).
 */
import type { ts as TypeScript } from 'ts-morph';
import { functionName } from './bulk-operations.js';
import { chainAt } from './call-chains.js';
import { dataCall, type FileFacts } from './data-calls.js';
import { unwrapExpression } from './qualified-names.js';
import { queryScope, type QueryScope } from './query-scope.js';

export type SetSource = 'query' | 'relation' | 'request' | 'caller';

/** Where a loop's set comes from and, for a query's rows, how the query narrows them (see query-scope.ts). */
export interface SetOrigin {
  from: SetSource;
  /** For the rows of a query (or a caller passing them): the query's scope. */
  scope?: QueryScope;
  /**
   * 'query': the read returns one row (`findUnique`, `findOne`, `findById`, knex `.first()`); 'relation': the list is
   * a relation of such a row (`(await prisma.plan.findUnique(…)).prices`): the children of one parent, not of many.
   */
  one?: true;
}

/** Reads that answer with one row, whatever the filter: their result's lists belong to that one row. */
const ONE_ROW_READ =
  /^(findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|findOne|findOneBy|findOneOrFail|findOneByOrFail|findById|findByPk|findByIdAndUpdate|first|single|maybeSingle|executeTakeFirst|executeTakeFirstOrThrow)$/;

/** Properties of a query's result that are its rows, not a relation of one row. */
const ROWS_PROPERTY =
  /^(rows|data|records|results?|docs|recordset|items|Items|hits|value|body|list|nodes|edges|entities|raw)$/;

/** Call sites of a function or method by name, anywhere archlint reads code: each call and its file's facts. */
export type CallersOf = (name: string) => ReadonlyArray<{ call: TypeScript.CallExpression; facts: FileFacts }>;

/** Array operations whose result holds (some of) the receiver's elements. */
const SAME_ELEMENTS = new Set([
  'filter',
  'map',
  'flatMap',
  'flat',
  'slice',
  'sort',
  'toSorted',
  'reverse',
  'toReversed',
  'concat',
  'values',
  'keys',
  'entries',
]);
const WRAPPERS = /^(Object\.(values|keys|entries)|Array\.from|_\.(uniq|uniqBy|compact|flatten|chunk)|uniq|compact)$/;
const REQUEST_OBJECT = /^(req|request|ctx\.request|context\.request|c\.req|event)\.(body|query|params)\b/;
/** Hono's validated payload: `c.req.valid('json')`. */
const VALIDATED_REQUEST = /^(c|ctx|context)\.req\.valid$/;
const REQUEST_DECORATOR = /^(Body|Query|Param|Args)$/;

export function iteratedSetSource(
  ts: typeof TypeScript,
  expression: TypeScript.Expression,
  facts: FileFacts,
  callersOf?: CallersOf,
): SetOrigin | undefined {
  return sourceOf(ts, expression, facts, callersOf, new Set(), 0);
}

function sourceOf(
  ts: typeof TypeScript,
  node: TypeScript.Expression,
  facts: FileFacts,
  callersOf: CallersOf | undefined,
  seen: Set<TypeScript.Node>,
  depth: number,
): SetOrigin | undefined {
  if (depth > 8 || seen.has(node)) return undefined;
  seen.add(node);
  const value = unwrapExpression(ts, node);
  const again = (next: TypeScript.Expression) => sourceOf(ts, next, facts, callersOf, seen, depth + 1);
  if (ts.isAwaitExpression(value)) return again(value.expression);
  if (ts.isCallExpression(value)) {
    const chain = chainAt(ts, value);
    if (chain && dataCall(ts, chain, facts)) {
      const one = chain.segments.some((segment) => segment.args !== undefined && ONE_ROW_READ.test(segment.name));
      return { from: 'query', scope: queryScope(ts, chain), ...(one ? { one: true as const } : {}) };
    }
    const callee = value.expression;
    if (VALIDATED_REQUEST.test(callee.getText())) return { from: 'request' };
    if (ts.isPropertyAccessExpression(callee) && SAME_ELEMENTS.has(callee.name.text)) return again(callee.expression);
    // `await Promise.all(xs.map(…))`: one result per element of xs.
    if (/^Promise\.(all|allSettled)$/.test(callee.getText()) && value.arguments[0]) return again(value.arguments[0]);
    const text = callee.getText();
    if (WRAPPERS.test(text) && value.arguments[0]) return again(value.arguments[0]);
    return undefined;
  }
  // `cond ? rows.filter(…) : rows`: either branch's evidence.
  if (ts.isConditionalExpression(value)) return again(value.whenTrue) ?? again(value.whenFalse);
  if (ts.isNewExpression(value)) {
    // new Set(ids), new Map(rows.map(…))
    return value.arguments?.[0] ? again(value.arguments[0]) : undefined;
  }
  if (ts.isArrayLiteralExpression(value)) {
    for (const element of value.elements)
      if (ts.isSpreadElement(element)) {
        const inner = again(element.expression);
        if (inner) return inner;
      }
    return undefined;
  }
  if (ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value)) {
    if (REQUEST_OBJECT.test(value.getText())) return { from: 'request' };
    if (value.expression.kind === ts.SyntaxKind.ThisKeyword) return undefined;
    const inner = again(value.expression);
    // `rows[0]`, `result.rows`: the rows themselves; `user.memberships`, `order.items`: one row's related rows.
    const rows = ts.isElementAccessExpression(value) || ROWS_PROPERTY.test(value.name.text);
    if (inner && !rows && inner.from === 'query')
      return inner.one ? { from: 'relation', one: true } : { from: 'relation' };
    return inner;
  }
  if (ts.isIdentifier(value)) return identifierSource(ts, value, facts, callersOf, seen, depth);
  return undefined;
}

function identifierSource(
  ts: typeof TypeScript,
  id: TypeScript.Identifier,
  facts: FileFacts,
  callersOf: CallersOf | undefined,
  seen: Set<TypeScript.Node>,
  depth: number,
): SetOrigin | undefined {
  const declaration = declarationOf(ts, id);
  if (!declaration) return undefined;
  const again = (next: TypeScript.Expression) => sourceOf(ts, next, facts, callersOf, seen, depth + 1);
  // Walk up binding patterns: `const { data } = await q`, `const [rows] = await pool.query(…)`.
  let holder: TypeScript.Node = declaration;
  while (ts.isBindingElement(holder) || ts.isObjectBindingPattern(holder) || ts.isArrayBindingPattern(holder))
    holder = holder.parent;
  if (ts.isVariableDeclaration(holder)) {
    if (holder.initializer) {
      const fromInit = again(holder.initializer);
      if (fromInit) return fromInit;
    }
    // `for (const order of orders)`: the element of a large set; its own lists (order.items) are relation rows.
    const list = holder.parent;
    const loop = list?.parent;
    if (list && ts.isVariableDeclarationList(list) && loop && (ts.isForOfStatement(loop) || ts.isForInStatement(loop)))
      return again(loop.expression);
    return undefined;
  }
  if (ts.isParameter(holder)) return parameterSource(ts, holder, facts, callersOf, seen, depth);
  return undefined;
}

function parameterSource(
  ts: typeof TypeScript,
  parameter: TypeScript.ParameterDeclaration,
  facts: FileFacts,
  callersOf: CallersOf | undefined,
  seen: Set<TypeScript.Node>,
  depth: number,
): SetOrigin | undefined {
  // A NestJS `@Body() dto` / `@Query() q` parameter: the client's payload.
  const decorators = ts.canHaveDecorators(parameter) ? (ts.getDecorators(parameter) ?? []) : [];
  for (const decorator of decorators) {
    const expr = decorator.expression;
    const name = ts.isCallExpression(expr) ? expr.expression.getText() : expr.getText();
    if (REQUEST_DECORATOR.test(name)) return { from: 'request' };
  }
  const fn = parameter.parent;
  const index = fn.parameters.indexOf(parameter);
  // tRPC / server-action style `({ input })`: the client's payload.
  if (ts.isObjectBindingPattern(parameter.name) && /\binput\b/.test(parameter.name.getText()))
    return { from: 'request' };
  const call = fn.parent;
  // `query.then((rows) => …)`, Mongoose `query.exec((err, rows) => …)`: the rows the data call resolves to.
  if (
    call &&
    ts.isCallExpression(call) &&
    call.arguments.includes(fn as never) &&
    ts.isPropertyAccessExpression(call.expression) &&
    ((call.expression.name.text === 'then' && index === 0) || (call.expression.name.text === 'exec' && index === 1))
  ) {
    // The whole chain (`prisma.order.findMany(…).then(cb)`): its receiver alone is an inner link, not a chain top.
    const whole = chainAt(ts, call);
    if (whole && dataCall(ts, whole, facts)) return { from: 'query', scope: queryScope(ts, whole) };
  }
  // The callback of an array method over a large set (`orders.forEach((o) => o.items…)`): an element of it.
  if (
    (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
    call &&
    ts.isCallExpression(call) &&
    call.arguments[0] === fn &&
    ts.isPropertyAccessExpression(call.expression) &&
    index === 0
  ) {
    return sourceOf(ts, call.expression.expression, facts, callersOf, seen, depth + 1);
  }
  // One level up: what callers pass in this position (only what they show directly, no further up).
  if (!callersOf || depth > 4) return undefined;
  const name = functionName(ts, fn);
  if (!name) return undefined;
  for (const caller of callersOf(name)) {
    const argument = caller.call.arguments[index];
    if (!argument || ts.isSpreadElement(argument)) continue;
    const source = sourceOf(ts, argument, caller.facts, undefined, new Set(), depth + 1);
    if (source?.from === 'query' || source?.from === 'request') return { from: 'caller', scope: source.scope };
  }
  return undefined;
}

/** The declaration (variable, binding element or parameter) a name refers to, by walking enclosing scopes. */
export function declarationOf(ts: typeof TypeScript, id: TypeScript.Identifier): TypeScript.Node | undefined {
  const name = id.text;
  const found = (binding: TypeScript.BindingName): TypeScript.Node | undefined => {
    if (ts.isIdentifier(binding)) return binding.text === name ? binding.parent : undefined;
    for (const element of binding.elements) {
      if (ts.isOmittedExpression(element)) continue;
      const hit = found(element.name);
      if (hit) return hit;
    }
    return undefined;
  };
  for (let scope: TypeScript.Node | undefined = id.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope)) {
      for (const p of scope.parameters) {
        const hit = found(p.name);
        if (hit) return hit;
      }
    }
    if ((ts.isForOfStatement(scope) || ts.isForInStatement(scope)) && ts.isVariableDeclarationList(scope.initializer))
      for (const d of scope.initializer.declarations) {
        const hit = found(d.name);
        if (hit) return hit;
      }
    if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope)) {
      for (const statement of scope.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        for (const d of statement.declarationList.declarations) {
          const hit = found(d.name);
          if (hit) return hit;
        }
      }
    }
  }
  return undefined;
}

/**
 * The set is a list held by one object the function was handed (`input.lines`, `params.rules`, `workflow.steps`,
 * `table.views.views`, possibly filtered or defaulted: `(token.projects ?? []).filter(…)`): the parts of one thing a
 * caller built — an order's lines, a rule group's rules, a table's views. Asked only when the set's origin is not
 * traced (iteratedSetSource is undefined): a request's payload or a query's rows passed in are traced there first.
 * The callback element of an array method (`orders.map((o) => o.items)`) is not such a parameter, and a result set
 * handed on (`page.items`, `result.rows`) is rows, not parts.
 */
export function partsOfHandedObject(ts: typeof TypeScript, expression: TypeScript.Expression, depth = 0): boolean {
  let value = unwrapExpression(ts, expression);
  for (let step = 0; step < 6; step++) {
    // `xs ?? []`, `xs || []`
    const operator = ts.isBinaryExpression(value) ? value.operatorToken.kind : undefined;
    if (
      ts.isBinaryExpression(value) &&
      (operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.BarBarToken)
    ) {
      value = unwrapExpression(ts, value.left);
      continue;
    }
    if (
      ts.isCallExpression(value) &&
      ts.isPropertyAccessExpression(value.expression) &&
      SAME_ELEMENTS.has(value.expression.name.text)
    ) {
      value = unwrapExpression(ts, value.expression.expression);
      continue;
    }
    break;
  }
  if (depth < 3 && ts.isIdentifier(value)) {
    const declaration = declarationOf(ts, value);
    // `for (const { steps } of pack.triggers) for (const s of steps)`: a part of a part. A const holding a handed
    // object's list (`const ids = input.recordIds`) is not followed: a request's ids, reordered rows, are no parts.
    const loop = declaration && elementOfLoop(ts, declaration);
    return loop !== undefined && partsOfHandedObject(ts, loop.expression, depth + 1);
  }
  // `page.items`, `result.rows`: a result set handed on, not the parts of one thing.
  if (!ts.isPropertyAccessExpression(value) || ROWS_PROPERTY.test(value.name.text)) return false;
  // Down the property path to its root: `table.views.views` → `table`.
  let root: TypeScript.Expression = value;
  while (ts.isPropertyAccessExpression(root) || ts.isNonNullExpression(root))
    root = unwrapExpression(ts, root.expression);
  if (!ts.isIdentifier(root)) return false;
  const declaration = declarationOf(ts, root);
  // `for (const tableSpec of pack.tables) for (const field of tableSpec.fields)`: the parts of a part of the handed
  // object are still that one object's (a pack's tables' fields), as large as what the caller built.
  const loop = declaration && elementOfLoop(ts, declaration);
  if (loop) return depth < 3 && partsOfHandedObject(ts, loop.expression, depth + 1);
  if (!declaration || !ts.isParameter(declaration) || !ts.isIdentifier(declaration.name)) return false;
  const fn = declaration.parent;
  // `xs.forEach((x) => x.children…)`: the element of another set, whose origin iteratedSetSource judges.
  const call = fn.parent;
  const callbackOfArrayMethod =
    (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
    call !== undefined &&
    ts.isCallExpression(call) &&
    call.arguments.includes(fn as never) &&
    ts.isPropertyAccessExpression(call.expression);
  return !callbackOfArrayMethod;
}

/** The for-of loop whose element the declaration binds (`for (const spec of specs)`, destructured too), if any. */
function elementOfLoop(ts: typeof TypeScript, declaration: TypeScript.Node): TypeScript.ForOfStatement | undefined {
  let node: TypeScript.Node | undefined = declaration;
  while (node && (ts.isBindingElement(node) || ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)))
    node = node.parent;
  if (!node || !ts.isVariableDeclaration(node)) return undefined;
  const list = node.parent;
  const loop = list?.parent;
  return loop && ts.isForOfStatement(loop) && loop.initializer === list ? loop : undefined;
}
