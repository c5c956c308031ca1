/**
 * Where code runs once per element: loop bodies (`for`, `for…of`, `for…in`, `while`, `do…while`)
 * and the callbacks of `forEach` / `map` / `flatMap` / `reduce`. A function defined inside a loop
 * is not run by the loop (it runs whenever it is called), except an IIFE and the callbacks that
 * run on the spot: `.then/.catch/.finally`, `$transaction(cb)`, `transaction(cb)`, `new Promise(cb)`.
 */
import type { ts as TypeScript } from 'ts-morph';
import {
  calleeName,
  countedLoopBound,
  importBindings,
  isShadowed,
  isValueWrapper,
  unwrapExpression,
  writtenBound,
} from '../../../src/rule-api.js';

/**
 * At most this many elements, by a bound the code writes (`xs.slice(0, 20)`, `for (let i = 0; i < 3; i++)`): a few
 * dozen round trips at worst, whatever the data — a fixed list in effect, not one that grows with the rows.
 */
const SMALL_BOUND = 50;
const small = (bound: number | undefined) => bound !== undefined && bound <= SMALL_BOUND;

export type IterationKind = 'for' | 'for-of' | 'for-in' | 'while' | 'do' | 'forEach' | 'map' | 'flatMap' | 'reduce';

export interface Iteration {
  node: TypeScript.Node;
  kind: IterationKind;
  /** The loop header or the array call, for messages: `for (const order of orders)`, `ids.map(…)`. */
  label: string;
  /** Walks fixed-size chunks (`for (const chunk of chunks)`, `i += BATCH_SIZE`): one call per chunk is the cure. */
  chunked: boolean;
  /** A retry loop (`attempt < 3`): runs the same call again, not once per element. */
  retry: boolean;
  /**
   * `for (const role of ['admin', 'user'])`: a fixed list written in the code, not rows (or a list cut to a small
   * written bound: `xs.slice(0, 20)`, `for (let i = 0; i < 3; i++)`); or one the
   * deployment configures (`env.DEFAULT_ORG_IDS`, and the rows looked up by those ids); or the integrations
   * and providers an owner connected.
   */
  fixedList: boolean;
  /** `for (;;)`, `while (true)`: searches, polls or pages until a condition; it walks no collection. */
  open: boolean;
  /**
   * The body waits a fixed time on each turn (`await sleep(ms)`, `await new Promise((r) => setTimeout(r, ms))`):
   * a poll that re-reads a row until it changes, or a loop paced on purpose (throttled). Its turns
   * are seconds apart, so the queries are not a burst of round trips that one batch would save.
   */
  paced: boolean;
  /** For array-method callbacks: the callback, and whether the results are gathered by Promise.all/allSettled. */
  callback?: { fn: TypeScript.Node; gathered: boolean };
  /** The expression whose elements the loop walks (`orders` in `for (const o of orders)`, `xs` in `i < xs.length`), when one is written. */
  iterated?: TypeScript.Expression;
}

const PER_ELEMENT_METHODS = new Map<string, IterationKind>([
  ['forEach', 'forEach'],
  ['map', 'map'],
  ['flatMap', 'flatMap'],
  ['reduce', 'reduce'],
  ['reduceRight', 'reduce'],
]);
const CHUNKED = /chunk|batch|partition/i;
/** Array methods whose result holds at most the receiver's elements (in any order). */
const SUBSET_METHODS = new Set(['filter', 'slice', 'sort', 'toSorted', 'reverse', 'toReversed']);
const RETRY = /attempt|retr(y|ies)|tries|backoff/i;
/** Callbacks run where they are passed (so they stay inside the loop that passes them). */
const RUNS_IN_PLACE = new Set([
  'then',
  'catch',
  'finally',
  '$transaction',
  'transaction',
  'withTransaction',
  'runInTransaction',
]);

export function loopIteration(
  ts: typeof TypeScript,
  node: TypeScript.Node,
  file: TypeScript.SourceFile,
): Iteration | undefined {
  const text = (n: TypeScript.Node | undefined) => (n ? n.getText(file) : '');
  if (ts.isForOfStatement(node) || ts.isForInStatement(node)) {
    const of = ts.isForOfStatement(node);
    const header = `for${of && node.awaitModifier ? ' await' : ''} (${text(node.initializer)} ${of ? 'of' : 'in'} ${text(node.expression)})`;
    const expression = unwrapExpression(ts, node.expression);
    return {
      node,
      kind: of ? 'for-of' : 'for-in',
      label: short(header),
      chunked: CHUNKED.test(text(node.expression)) || CHUNKED.test(text(node.initializer)),
      retry: false,
      fixedList:
        isFixedList(ts, expression) ||
        (!of && writtenKeys(ts, expression)) ||
        isConfiguredList(ts, expression) ||
        isOwnerConfigured(ts, expression) ||
        small(writtenBound(ts, expression)),
      open: false,
      paced: pauses(ts, node.statement),
      iterated: node.expression,
    };
  }
  if (ts.isForStatement(node)) {
    const header = `for (${text(node.initializer)}; ${text(node.condition)}; ${text(node.incrementor)})`;
    return {
      node,
      kind: 'for',
      label: short(header),
      chunked: CHUNKED.test(header) || steps(ts, node.incrementor),
      retry: RETRY.test(header),
      fixedList: small(countedLoopBound(ts, node)),
      open: !node.condition || node.condition.kind === ts.SyntaxKind.TrueKeyword,
      paced: pauses(ts, node.statement),
      iterated: lengthBound(ts, node.condition),
    };
  }
  if (ts.isWhileStatement(node) || ts.isDoStatement(node)) {
    const condition = text(node.expression);
    const kind = ts.isWhileStatement(node) ? 'while' : 'do';
    return {
      node,
      kind,
      label: short(kind === 'while' ? `while (${condition})` : `do … while (${condition})`),
      chunked: CHUNKED.test(condition),
      retry: RETRY.test(condition),
      fixedList: false,
      open: node.expression.kind === ts.SyntaxKind.TrueKeyword,
      paced: pauses(ts, node.statement),
    };
  }
  return undefined;
}

/**
 * An array literal or a constant (`DEFAULT_ROLES`, `Object.values(PLANS)`), an enum's values
 * (`Object.values(Role)`), or a local `const` holding one of these: a list written in the code, not rows.
 */
function isFixedList(ts: typeof TypeScript, node: TypeScript.Expression, depth = 0): boolean {
  // `[...rows]` copies a collection: only elements written one by one make a fixed list, or the
  // spread of a fixed list (`[...new Set([planLimit, DEFAULT_LIMIT])]`: a fixed list de-duplicated).
  if (ts.isArrayLiteralExpression(node)) {
    return node.elements.every(
      (element) =>
        !ts.isSpreadElement(element) ||
        (depth < 3 && isFixedList(ts, unwrapSet(ts, unwrapExpression(ts, element.expression)), depth + 1)),
    );
  }
  // `[{ item: 'logo' }, { item: 'wordmark' }].filter(…)`: a subset of a fixed list is still a fixed list.
  const subsetOf = subsetSource(ts, node);
  if (subsetOf && depth < 3) return isFixedList(ts, subsetOf, depth + 1);
  // `Array.from({ length: 5 }, (_, i) => …)`: a list the code generates, of a length it writes.
  if (ts.isCallExpression(node) && node.expression.getText() === 'Array.from' && node.arguments[0]) {
    const source = unwrapExpression(ts, node.arguments[0]);
    return (
      ts.isObjectLiteralExpression(source) &&
      source.properties.some(
        (p) =>
          ts.isPropertyAssignment(p) &&
          p.name.getText() === 'length' &&
          ts.isNumericLiteral(unwrapExpression(ts, p.initializer)),
      )
    );
  }
  if (
    ts.isCallExpression(node) &&
    /^Object\.(keys|values|entries)$/.test(node.expression.getText()) &&
    node.arguments[0]
  ) {
    const of = unwrapExpression(ts, node.arguments[0]);
    if (isFixedList(ts, of, depth + 1) || ts.isObjectLiteralExpression(of)) return true;
    // Object.values(Role), Object.keys(Prisma.Plan): a PascalCase name is an enum or a const object of the code.
    const name = ts.isIdentifier(of) ? of.text : ts.isPropertyAccessExpression(of) ? of.name.text : '';
    return /^[A-Z][a-z0-9]+([A-Z][a-z0-9]*)*$/.test(name);
  }
  if (ts.isIdentifier(node) && depth < 3) {
    // `const sources = Object.values(DataSource)`, `const roles = ['admin', 'user']`: followed to what it holds.
    const init = localConst(ts, node);
    if (init && isFixedList(ts, unwrapExpression(ts, init), depth + 1)) return true;
    if (importsDefaults(ts, node)) return true;
  }
  const name = ts.isIdentifier(node) ? node.text : ts.isPropertyAccessExpression(node) ? node.name.text : '';
  return /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$|^[A-Z]{2,}[0-9]*$/.test(name);
}

/** Lists named for the defaults the code ships: `defaultSliders`, `defaultModelPrices`, `builtInRoles`, `presetThemes`. */
const DEFAULTS_NAME = /^(default|builtIn|builtin|preset)[A-Z]\w*$/;
const importsOf = new WeakMap<TypeScript.SourceFile, ReadonlyMap<string, unknown>>();

/**
 * `import { defaultSliders } from '@server/constants/discover'`: the defaults the code ships, imported by name
 * from the module that writes them. A list an operator or user builds would not be named for the defaults.
 */
function importsDefaults(ts: typeof TypeScript, id: TypeScript.Identifier): boolean {
  if (!DEFAULTS_NAME.test(id.text)) return false;
  const file = id.getSourceFile();
  let bindings = importsOf.get(file);
  if (!bindings) {
    bindings = importBindings(ts, file);
    importsOf.set(file, bindings);
  }
  return bindings.has(id.text) && !isShadowed(ts, id, id.text);
}

/** `new Set(xs)` → `xs`; anything else as it is. */
function unwrapSet(ts: typeof TypeScript, node: TypeScript.Expression): TypeScript.Expression {
  if (
    ts.isNewExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'Set' &&
    node.arguments?.[0]
  )
    return unwrapExpression(ts, node.arguments[0]);
  return node;
}

/** `env.X`, `process.env.X`, `this.config.env.X`: a value the deployment sets. */
const ENV_READ = /(^|\.)env\.\w+$|^env\.\w+$/;

/**
 * A list the deployment configures: read from the environment (`env.DEFAULT_PROJECT_IDS`,
 * `process.env.ADMINS.split(',')`, with `?? []` fallbacks), a local const holding one, or the rows
 * looked up by such ids (`findMany({ where: { id: { in: defaultIds } } })`). An operator writes it
 * by hand: it holds a handful of entries, not rows that grow with use.
 */
function isConfiguredList(ts: typeof TypeScript, node: TypeScript.Expression, depth = 0): boolean {
  if (depth > 8) return false;
  const value = unwrapExpression(ts, ts.isAwaitExpression(node) ? node.expression : node);
  if (ts.isPropertyAccessExpression(value) && ENV_READ.test(value.getText())) return true;
  if (
    ts.isBinaryExpression(value) &&
    (value.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      value.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  ) {
    return isConfiguredList(ts, value.left, depth + 1) && isEmptyOrConfigured(ts, value.right, depth + 1);
  }
  if (ts.isConditionalExpression(value)) {
    return (
      isEmptyOrConfigured(ts, value.whenTrue, depth + 1) &&
      isEmptyOrConfigured(ts, value.whenFalse, depth + 1) &&
      !(isEmptyList(ts, value.whenTrue) && isEmptyList(ts, value.whenFalse))
    );
  }
  if (ts.isIdentifier(value)) {
    const init = localConst(ts, value);
    return !!init && isConfiguredList(ts, init, depth + 1);
  }
  if (ts.isCallExpression(value)) {
    // `process.env.IDS.split(',')`, `ids.filter(Boolean)`: the configured list, reshaped.
    if (
      ts.isPropertyAccessExpression(value.expression) &&
      /^(split|map|filter|slice|flatMap)$/.test(value.expression.name.text)
    ) {
      if (isConfiguredList(ts, unwrapExpression(ts, value.expression.expression), depth + 1)) return true;
    }
    // The rows looked up by configured ids: as many as the ids.
    return value.arguments.some((arg) => selectsByConfiguredIds(ts, arg, depth + 1));
  }
  return false;
}

/** `list.filter(…)`, `list.slice(…)` (SUBSET_METHODS): the list a subset is taken of, unwrapped; else undefined. */
function subsetSource(ts: typeof TypeScript, node: TypeScript.Expression): TypeScript.Expression | undefined {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
  if (!SUBSET_METHODS.has(node.expression.name.text)) return undefined;
  return unwrapExpression(ts, node.expression.expression);
}

/**
 * The integrations or providers an owner connected (`integrations`, `data.alertIntegrations`, `linkedIntegrationIds`,
 * `providers`, or a filtered subset of them): one per external service or target, set up by hand, so a handful —
 * the same configuration api/paginated-lists does not ask to page.
 */
const OWNER_CONFIGURED = /(integrations?Ids|integrations|providers)$/i;

function isOwnerConfigured(ts: typeof TypeScript, node: TypeScript.Expression, depth = 0): boolean {
  const value = unwrapExpression(ts, ts.isAwaitExpression(node) ? node.expression : node);
  const subsetOf = subsetSource(ts, value);
  if (subsetOf && depth < 3) return isOwnerConfigured(ts, subsetOf, depth + 1);
  const name = ts.isIdentifier(value) ? value.text : ts.isPropertyAccessExpression(value) ? value.name.text : '';
  return OWNER_CONFIGURED.test(name);
}

/** `[]`, or a string literal (the fallback of a comma-separated setting: `(env.IDS ?? '').split(',')`). */
function isEmptyList(ts: typeof TypeScript, node: TypeScript.Expression): boolean {
  const value = unwrapExpression(ts, node);
  return (ts.isArrayLiteralExpression(value) && value.elements.length === 0) || ts.isStringLiteralLike(value);
}

function isEmptyOrConfigured(ts: typeof TypeScript, node: TypeScript.Expression, depth: number): boolean {
  return isEmptyList(ts, node) || isConfiguredList(ts, node, depth);
}

/** A query argument with `{ in: <configured list> }` somewhere in it (`where: { id: { in: ids } }`). */
function selectsByConfiguredIds(ts: typeof TypeScript, node: TypeScript.Node, depth: number): boolean {
  const value = unwrapExpression(ts, node);
  if (!ts.isObjectLiteralExpression(value)) return false;
  return value.properties.some((property) => {
    if (!ts.isPropertyAssignment(property)) return false;
    if (property.name.getText() === 'in') return isConfiguredList(ts, property.initializer, depth);
    return selectsByConfiguredIds(ts, property.initializer, depth);
  });
}

/** The initializer of a `const` with this name in an enclosing block or the file. */
/**
 * `for (const key in orderFields)` over `const orderFields = { order_list: …, order_manage: … }`: the keys of an
 * object the code writes, one by one (no spread, no computed name), are a fixed list like an array literal's.
 */
function writtenKeys(ts: typeof TypeScript, expression: TypeScript.Expression): boolean {
  const init = ts.isIdentifier(expression) ? localConst(ts, expression) : expression;
  const object = init && unwrapExpression(ts, init);
  return (
    object !== undefined &&
    ts.isObjectLiteralExpression(object) &&
    object.properties.every(
      (p) =>
        (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isMethodDeclaration(p)) &&
        !ts.isComputedPropertyName(p.name),
    )
  );
}

function localConst(ts: typeof TypeScript, id: TypeScript.Identifier): TypeScript.Expression | undefined {
  for (let scope: TypeScript.Node | undefined = id.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === id.text) return declaration.initializer;
      }
    }
  }
  return undefined;
}

/**
 * Calls that wait: `sleep(ms)`, `delay(ms)`, `this.wait(ms)`, `setTimeout` (promisified, or in a
 * `new Promise`), and helpers that wait for something to finish (`waitForLevelCompletion`, `waitUntilReady`).
 */
const PAUSE = /^(sleep|delay|wait|pause|setTimeout)$|^wait(For|Until)[A-Z]\w*$/;

/**
 * Whether the loop body (or callback) awaits a pause on its own path, outside functions defined in
 * it (the executor of `new Promise((resolve) => setTimeout(resolve, ms))` counts: it runs on the spot).
 */
function pauses(ts: typeof TypeScript, body: TypeScript.Node): boolean {
  const isPause = (node: TypeScript.Expression): boolean => {
    const value = unwrapExpression(ts, node);
    if (ts.isCallExpression(value)) return PAUSE.test(calleeName(ts, value) ?? '');
    if (ts.isNewExpression(value) && ts.isIdentifier(value.expression) && value.expression.text === 'Promise') {
      const executor = value.arguments?.[0];
      if (!executor || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor))) return false;
      let found = false;
      const visit = (n: TypeScript.Node): void => {
        if (found) return;
        if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'setTimeout') found = true;
        else ts.forEachChild(n, visit);
      };
      visit(executor.body);
      return found;
    }
    return false;
  };
  let found = false;
  const visit = (n: TypeScript.Node): void => {
    if (found || (ts.isFunctionLike(n) && n !== body)) return;
    if (ts.isAwaitExpression(n) && isPause(n.expression)) {
      found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  if (ts.isFunctionLike(body)) ts.forEachChild(body, visit);
  else visit(body);
  return found;
}

/** `for (…; …; i += size)` / `i = i + size`: a step other than 1 walks chunks. */
function steps(ts: typeof TypeScript, incrementor: TypeScript.Expression | undefined): boolean {
  if (!incrementor || !ts.isBinaryExpression(incrementor)) return false;
  const isOne = (n: TypeScript.Expression) => ts.isNumericLiteral(n) && n.text === '1';
  if (incrementor.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) return !isOne(incrementor.right);
  if (incrementor.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isBinaryExpression(incrementor.right)) {
    const sum = incrementor.right;
    return sum.operatorToken.kind === ts.SyntaxKind.PlusToken && !isOne(sum.right) && !isOne(sum.left);
  }
  return false;
}

/** `xs.map(async (x) => …)`: the per-element callback of an array method call, or undefined. */
export function callbackIteration(
  ts: typeof TypeScript,
  call: TypeScript.CallExpression,
  file: TypeScript.SourceFile,
): Iteration | undefined {
  if (!ts.isPropertyAccessExpression(call.expression)) return undefined;
  const kind = PER_ELEMENT_METHODS.get(call.expression.name.text);
  const fn = call.arguments[0];
  if (!kind || !fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  const receiver = call.expression.expression.getText(file);
  return {
    node: call,
    kind,
    label: short(`${receiver}.${call.expression.name.text}(…)`),
    chunked: CHUNKED.test(receiver),
    retry: false,
    fixedList:
      isFixedList(ts, unwrapExpression(ts, call.expression.expression)) ||
      isConfiguredList(ts, unwrapExpression(ts, call.expression.expression)) ||
      isOwnerConfigured(ts, unwrapExpression(ts, call.expression.expression)) ||
      small(writtenBound(ts, call.expression.expression)),
    open: false,
    paced: pauses(ts, fn),
    callback: { fn, gathered: kind !== 'forEach' && gathered(ts, call, file) },
    iterated: call.expression.expression,
  };
}

/** `i < xs.length`: the array the counter walks. */
function lengthBound(
  ts: typeof TypeScript,
  condition: TypeScript.Expression | undefined,
): TypeScript.Expression | undefined {
  const c = condition && unwrapExpression(ts, condition);
  if (!c || !ts.isBinaryExpression(c)) return undefined;
  const right = unwrapExpression(ts, c.right);
  return ts.isPropertyAccessExpression(right) && right.name.text === 'length' ? right.expression : undefined;
}

/** The array call's promises are awaited together: `Promise.all(xs.map(…))`, `Promise.all([...xs.map(…)])`, or through a variable. */
function gathered(ts: typeof TypeScript, call: TypeScript.CallExpression, file: TypeScript.SourceFile): boolean {
  let node: TypeScript.Node = call;
  let parent = node.parent;
  while (
    parent &&
    (ts.isParenthesizedExpression(parent) ||
      ts.isSpreadElement(parent) ||
      ts.isArrayLiteralExpression(parent) ||
      ts.isAsExpression(parent))
  ) {
    node = parent;
    parent = parent.parent;
  }
  if (
    parent &&
    ts.isCallExpression(parent) &&
    parent.arguments.includes(node as TypeScript.Expression) &&
    isPromiseGather(parent.expression.getText(file))
  )
    return true;
  // const lookups = ids.map(…); … await Promise.all(lookups)
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
    const scope = enclosingFunction(ts, parent) ?? file;
    const name = parent.name.text.replace(/\$/g, '\\$');
    return new RegExp(`Promise\\.(all|allSettled)\\(\\s*(\\[\\s*\\.\\.\\.\\s*)?${name}\\b`).test(scope.getText(file));
  }
  return false;
}

function isPromiseGather(callee: string): boolean {
  return /^(Promise|Bluebird|P)\.(all|allSettled)$/.test(callee);
}

/**
 * How a function met inside an iteration runs: 'inherit' when it runs right there (IIFE, `.then`,
 * transaction callbacks, `new Promise`), 'detached' when it runs whenever it is called.
 */
export function functionRuns(ts: typeof TypeScript, fn: TypeScript.Node): 'inherit' | 'detached' {
  let node = fn;
  let parent = fn.parent;
  while (parent && ts.isParenthesizedExpression(parent)) {
    node = parent;
    parent = parent.parent;
  }
  if (!parent) return 'detached';
  if (ts.isCallExpression(parent) && parent.expression === node) return 'inherit';
  if (ts.isNewExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === 'Promise')
    return 'inherit';
  if (ts.isCallExpression(parent) && parent.arguments.includes(node as TypeScript.Expression)) {
    const callee = parent.expression;
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    if (RUNS_IN_PLACE.has(name)) return 'inherit';
  }
  return 'detached';
}

/** Calls that run their callback as one database transaction. */
const TRANSACTION_CALLS = new Set(['$transaction', 'transaction', 'withTransaction', 'runInTransaction']);

/**
 * `for (const w of workspaces) await prisma.$transaction(async (tx) => { … })`: the callback of a
 * transaction opened inside the iteration, once per element. The author made each element its own
 * unit of work — its reads and writes commit or roll back together and apart from the other
 * elements', and its locks are held briefly (a count that numbers the element's invoice, a claim
 * checked then written). Batching across the elements would merge those transactions into one, so
 * the queries inside are not an N+1 to fix; a loop inside the callback still is.
 */
export function isPerElementTransaction(ts: typeof TypeScript, fn: TypeScript.Node): boolean {
  let node = fn;
  let parent = fn.parent;
  while (parent && ts.isParenthesizedExpression(parent)) {
    node = parent;
    parent = parent.parent;
  }
  if (!parent || !ts.isCallExpression(parent) || !parent.arguments.includes(node as TypeScript.Expression))
    return false;
  const callee = parent.expression;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  return TRANSACTION_CALLS.has(name);
}

/** Whether `node` is awaited on its way up to `boundary` (the callback): `await x`, `await Promise.all([x, y])`. */
export function awaitedWithin(
  ts: typeof TypeScript,
  node: TypeScript.Node,
  boundary: TypeScript.Node | undefined,
): boolean {
  for (let current = node.parent; current && current !== boundary; current = current.parent) {
    if (ts.isAwaitExpression(current)) return true;
    if (ts.isFunctionLike(current)) return false;
  }
  return false;
}

/** `return query` / `(x) => query`: the value of the function it is in. */
export function isReturned(ts: typeof TypeScript, node: TypeScript.Node): boolean {
  let child = node;
  let parent = node.parent;
  while (parent && isValueWrapper(ts, parent)) {
    child = parent;
    parent = parent.parent;
  }
  return !!parent && (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === child));
}

function enclosingFunction(ts: typeof TypeScript, node: TypeScript.Node): TypeScript.Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) return current;
  return undefined;
}

function short(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 70 ? `${oneLine.slice(0, 67)}…` : oneLine;
}
