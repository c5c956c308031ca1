/**
 * Queries in a loop that are not an N+1 to fix, because they cannot be one batch:
 *
 *   sequential by necessity  each query needs the previous one's result: walking a parent chain
 *                            (`while (id) { row = find(id); id = row.parentId }`), inserts linked to
 *                            the previous row, searching until a free value is found;
 *   per-row writes           an `update` / `upsert` of one row by its key with that row's own values
 *                            (no ORM batches different values per row), a create with nested relations
 *                            (createMany cannot), an insert whose returned row feeds further writes of
 *                            that element (its children, its audit entry);
 *   runs once                a call guarded by `if (i === 0)` / the last index, or one after which the
 *                            iteration always leaves the loop (`return`, `throw`, `break`): the loop looks
 *                            for the element to query, and queries once (the first variant whose
 *                            conditions pass, then returns what it found);
 *   error path               a call in the `catch` of the element's own `try`: it records or undoes that
 *                            element's failure (an invite whose email bounced), and runs only for the
 *                            elements that fail;
 *   records an outbound call an insert or update after the element's own awaited send, upload or copy
 *                            (an email, a message, a stored file) that records it: the outbound call
 *                            is the per-element cost, and the row can only be written once it succeeded.
 *
 * An update that writes the same values on every element IS batchable (`updateMany` / one
 * `update … where id in (…)`) and stays reported, as does one that writes only the element's position
 * (`data: { orderIndex: index + 1 }`: the list's order, one `UPDATE … FROM (… row_number() …)`), as does one that
 * resets columns on a condition and otherwise keeps them (`image: bad ? null : link.image`: one `updateMany` per
 * column, filtered by the condition), as does `updateMany` itself — unless it is
 * filtered by the element's key alone (`where: { id: row.id }`): then it is an update of one row.
 */
import type { ts as TypeScript } from 'ts-morph';
import { isValueWrapper, unwrapExpression } from '../../../src/rule-api.js';
import { chainAt, type Segment } from './chains.js';
import { dataCall, type DataCall, type FileFacts } from './data-calls.js';
import type { Iteration } from './iteration.js';

/** Single-row writes by key whose values may differ per row. */
const ROW_UPDATES = new Set(['update', 'upsert', 'updateOne', 'findByIdAndUpdate', 'findOneAndUpdate', 'replaceOne']);
/** Writes that create a row (whose generated key the element's further writes may need). */
const ROW_CREATES = new Set(['create', 'insert', 'save', 'insertOne', 'values']);
/** Prisma nested writes on a relation: createMany takes scalar fields only. */
const NESTED_WRITES = new Set(['create', 'createMany', 'connectOrCreate', 'upsert']);

/** The names bound once per element: the loop variables, the callback's parameters and what the body declares. */
export function perElementNames(ts: typeof TypeScript, iteration: Iteration): Set<string> {
  const names = new Set<string>();
  const bind = (name: TypeScript.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  const declared = (node: TypeScript.Node): void => {
    if (ts.isVariableDeclaration(node) || ts.isParameter(node)) bind(node.name);
    ts.forEachChild(node, declared);
  };
  declared(iteration.callback?.fn ?? iteration.node);
  return names;
}

/**
 * The per-element names less the callback's position parameter (`(coll, index) => update({ where: { id:
 * coll.id }, data: { orderIndex: index + 1 } })`): a value computed from the position alone is the
 * order of the list, not a value of the row, and one statement writes all of them (`UPDATE … FROM
 * (SELECT id, row_number() OVER (ORDER BY …))`, or a list of values).
 */
function withoutPosition(ts: typeof TypeScript, iteration: Iteration, names: ReadonlySet<string>): Set<string> {
  const fn = iteration.callback?.fn;
  const position =
    fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))
      ? fn.parameters[iteration.kind === 'reduce' ? 2 : 1]?.name
      : undefined;
  const out = new Set(names);
  if (position && ts.isIdentifier(position)) out.delete(position.text);
  return out;
}

/** Whether `node` reads any of `names` (as a value, not as a property name). */
export function mentions(
  ts: typeof TypeScript,
  node: TypeScript.Node | undefined,
  names: ReadonlySet<string>,
): boolean {
  if (!node) return false;
  if (ts.isIdentifier(node)) {
    const parent = node.parent;
    if (parent && ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
    if (parent && ts.isPropertyAssignment(parent) && parent.name === node) return false;
    return names.has(node.text);
  }
  return !!ts.forEachChild(node, (child) => (mentions(ts, child, names) ? true : undefined));
}

/** Why the call in this iteration cannot be batched, or undefined when it can. */
export function unbatchable(
  ts: typeof TypeScript,
  node: TypeScript.Node,
  call: DataCall,
  iteration: Iteration,
  facts: FileFacts,
):
  | 'row-specific write'
  | 'nested create'
  | 'claim'
  | 'feeds further writes'
  | 'per-table statement'
  | 'per-element statement'
  | 'memoised'
  | 'sequential'
  | 'runs once'
  | 'error path'
  | 'records an outbound call'
  | 'applies an operation log'
  | undefined {
  const names = perElementNames(ts, iteration);
  if (
    isRowSpecificUpdate(ts, call.operation, withoutPosition(ts, iteration, names)) ||
    savesElementChanges(ts, node, call, iteration, names)
  )
    return 'row-specific write';
  if (isNestedCreate(ts, call.operation)) return 'nested create';
  if (isClaim(ts, node, call, iteration, names)) return 'claim';
  if (feedsFurtherWrites(ts, node, call, iteration, facts) || isChildOfCreated(ts, call, iteration, facts))
    return 'feeds further writes';
  if (namesElementTable(ts, node, names)) return 'per-table statement';
  if (runsElementStatement(ts, node, iteration)) return 'per-element statement';
  if (fillsCache(ts, node, iteration)) return 'memoised';
  if (isLoopCarried(ts, node, iteration, names)) return 'sequential';
  if (runsOnce(ts, node, iteration) || leavesLoopAfter(ts, node, iteration)) return 'runs once';
  if (inCatchOfElement(ts, node, iteration)) return 'error path';
  if (recordsOutboundCall(ts, node, call, iteration, facts, names)) return 'records an outbound call';
  if (appliesOperationLog(ts, node, iteration, facts, names)) return 'applies an operation log';
  return undefined;
}

/** Writes that add or change a row, and writes that take one away. */
const ADDING_WRITE = /^(create|insert|upsert|save|values|add|set|put|replace)/i;
const REMOVING_WRITE = /^(delete|destroy|remove|del|unset|softDelete|softRemove)/i;

/** Whether a data call adds rows, removes them, or neither (a read): from its whole chain (`insertInto(…)…execute()`). */
function writeKind(segments: readonly Segment[]): 'adds' | 'removes' | undefined {
  for (const segment of segments) {
    if (segment.args === undefined) continue;
    if (REMOVING_WRITE.test(segment.name)) return 'removes';
    if (ADDING_WRITE.test(segment.name) || /^update/i.test(segment.name)) return 'adds';
  }
  return undefined;
}

/**
 * An operation log applied in order: each element says what to do (`if (op.type === Op.ADD) insert… else if
 * (op.type === Op.REMOVE) delete…`, a `switch (event.action)`), and the branches add and remove rows. Batching
 * the inserts and the deletes apart reorders an add and a later remove of the same row: replaying a stream of
 * changes (a subscription, a change feed) one by one is its semantics, not an N+1.
 */
function appliesOperationLog(
  ts: typeof TypeScript,
  node: TypeScript.Node,
  iteration: Iteration,
  facts: FileFacts,
  names: ReadonlySet<string>,
): boolean {
  const own = chainAt(ts, node);
  const kind = own && writeKind(own.segments);
  if (!kind) return false;
  const body = iteration.callback?.fn ?? iteration.node;
  for (let current = node.parent; current && current !== body; current = current.parent) {
    const dispatch: TypeScript.IfStatement | TypeScript.SwitchStatement | undefined = ts.isIfStatement(current)
      ? outermostIf(ts, current)
      : ts.isCaseClause(current) && ts.isSwitchStatement(current.parent.parent)
        ? current.parent.parent
        : undefined;
    if (!dispatch || !testsElementKind(ts, dispatch, names)) continue;
    // Another branch of the same dispatch writes the other way.
    const other = kind === 'adds' ? 'removes' : 'adds';
    const branches = branchesOf(ts, dispatch).filter((branch) => !containsNode(branch, node));
    let found = false;
    const visit = (n: TypeScript.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n)) {
        const chain = chainAt(ts, n);
        const otherCall = chain && dataCall(ts, chain, facts);
        if (chain && otherCall && writeKind(chain.segments) === other) found = true;
      }
      if (!found) ts.forEachChild(n, visit);
    };
    for (const branch of branches) visit(branch);
    if (found) return true;
  }
  return false;
}

function containsNode(outer: TypeScript.Node, inner: TypeScript.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end;
}

/** The first `if` of an `if … else if …` chain. */
function outermostIf(ts: typeof TypeScript, statement: TypeScript.IfStatement): TypeScript.IfStatement {
  let current = statement;
  while (ts.isIfStatement(current.parent) && current.parent.elseStatement === current) current = current.parent;
  return current;
}

/** The branches of an `if … else if … else` chain (each `then`, and the last `else`) or of a `switch` (its clauses). */
function branchesOf(
  ts: typeof TypeScript,
  dispatch: TypeScript.IfStatement | TypeScript.SwitchStatement,
): TypeScript.Node[] {
  if (ts.isSwitchStatement(dispatch)) return [...dispatch.caseBlock.clauses];
  const branches: TypeScript.Node[] = [];
  let current: TypeScript.Statement | undefined = dispatch;
  while (current && ts.isIfStatement(current)) {
    branches.push(current.thenStatement);
    current = current.elseStatement;
  }
  if (current) branches.push(current);
  return branches;
}

/**
 * The dispatch compares the element's kind with a named constant: `op.type === MuteOperation_Type.ADD`,
 * `action === 'delete'` (every test of the chain), `switch (op.kind) { case Kind.Remove: … }`.
 */
function testsElementKind(
  ts: typeof TypeScript,
  dispatch: TypeScript.IfStatement | TypeScript.SwitchStatement,
  names: ReadonlySet<string>,
): boolean {
  const isConstant = (e: TypeScript.Expression): boolean =>
    ts.isStringLiteralLike(e) ||
    ts.isNumericLiteral(e) ||
    (ts.isPropertyAccessExpression(e) && /^[A-Z]/.test(e.expression.getText()));
  const subject = (e: TypeScript.Expression): string | undefined =>
    (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) && mentions(ts, e, names) ? e.getText() : undefined;
  if (ts.isSwitchStatement(dispatch)) {
    return (
      subject(dispatch.expression) !== undefined &&
      dispatch.caseBlock.clauses.every((clause) => !ts.isCaseClause(clause) || isConstant(clause.expression))
    );
  }
  let tested: string | undefined;
  let count = 0;
  for (
    let current: TypeScript.Statement | undefined = dispatch;
    current && ts.isIfStatement(current);
    current = current.elseStatement
  ) {
    const test = current.expression;
    if (!ts.isBinaryExpression(test)) return false;
    const op = test.operatorToken.kind;
    if (op !== ts.SyntaxKind.EqualsEqualsEqualsToken && op !== ts.SyntaxKind.EqualsEqualsToken) return false;
    const [left, right] = isConstant(test.right) ? [test.left, test.right] : [test.right, test.left];
    const name = subject(left);
    if (!name || !isConstant(right) || (tested !== undefined && tested !== name)) return false;
    tested = name;
    count++;
  }
  return count >= 2;
}

/** Builder segments whose first argument names the table the statement reads or writes. */
const TABLE_SEGMENTS =
  /^(knex|trx|table|from|into|withSchema|insertInto|updateTable|deleteFrom|selectFrom|replaceInto|mergeInto)$/;
/** Raw-SQL segments whose first argument is the statement. */
const RAW_SQL_SEGMENTS = /^(\$queryRawUnsafe|\$executeRawUnsafe|query|raw|execute|unsafe)$/;
/** SQL text just before an interpolated table name: `FROM "${table}"`, `UPDATE ${table}`. */
const BEFORE_TABLE = /\b(from|into|update|table|join)\s+["`]?$/i;

/**
 * `for (const table of tables) await knex(table).update(…)`, `$executeRawUnsafe(sql)` with
 * `const sql = knex(copyOf(table))….toQuery()`, ``query(`DELETE FROM "${table}" …`)``: the statement
 * names a table taken from the element. Each iteration reads or writes a different table, and no
 * statement handles several tables' rows at once: one statement per table is the least there is.
 */
function namesElementTable(
  ts: typeof TypeScript,
  node: TypeScript.Node,
  names: ReadonlySet<string>,
  depth = 0,
): boolean {
  const chain = chainAt(ts, node);
  if (!chain || depth > 2) return false;
  for (const segment of chain.segments) {
    const first = segment.args?.[0];
    if (!first) continue;
    if (TABLE_SEGMENTS.test(segment.name) && mentions(ts, first, names)) return true;
    if (!RAW_SQL_SEGMENTS.test(segment.name)) continue;
    if (
      ts.isTemplateExpression(first) &&
      first.templateSpans.some(
        (span, i) =>
          BEFORE_TABLE.test(i === 0 ? first.head.text : first.templateSpans[i - 1]!.literal.text) &&
          mentions(ts, span.expression, names),
      )
    ) {
      return true;
    }
    // The statement built just before, into a const: `const sql = knex(table)….toQuery()`.
    const built = ts.isIdentifier(first) ? constInit(ts, first) : undefined;
    if (built && namesElementTable(ts, built, names, depth + 1)) return true;
  }
  return false;
}

/** The initializer of the `const` this identifier names, in an enclosing block. */
function constInit(ts: typeof TypeScript, id: TypeScript.Identifier): TypeScript.Expression | undefined {
  for (let scope: TypeScript.Node | undefined = id.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === id.text && declaration.initializer) {
          return unwrapExpression(ts, declaration.initializer, { await: true });
        }
      }
    }
  }
  return undefined;
}

/** The element itself: the variable of a `for…of` / `for…in`, or the first parameter of an array callback. */
function elementNames(ts: typeof TypeScript, iteration: Iteration): Set<string> {
  const names = new Set<string>();
  const loop = iteration.node;
  let binding: TypeScript.BindingName | undefined;
  if (
    iteration.callback &&
    (ts.isArrowFunction(iteration.callback.fn) || ts.isFunctionExpression(iteration.callback.fn))
  )
    binding = iteration.callback.fn.parameters[0]?.name;
  else if ((ts.isForOfStatement(loop) || ts.isForInStatement(loop)) && ts.isVariableDeclarationList(loop.initializer))
    binding = loop.initializer.declarations[0]?.name;
  if (binding && ts.isIdentifier(binding)) names.add(binding.text);
  return names;
}

/**
 * `for (const statement of statements) await prisma.$executeRawUnsafe(statement)`: the element IS the
 * SQL text (the statements of a seed or migration file, run in order). Each is a different statement,
 * not one statement per row: nothing to batch.
 */
function runsElementStatement(ts: typeof TypeScript, node: TypeScript.Node, iteration: Iteration): boolean {
  const names = elementNames(ts, iteration);
  const chain = chainAt(ts, node);
  if (!chain) return false;
  const isElementText = (arg: TypeScript.Expression): boolean => {
    const value = unwrapExpression(ts, arg);
    if (ts.isIdentifier(value)) return names.has(value.text);
    if (ts.isPropertyAccessExpression(value))
      return (
        /^(sql|statement|query|text)$/i.test(value.name.text) &&
        ts.isIdentifier(value.expression) &&
        names.has(value.expression.text)
      );
    if (ts.isConditionalExpression(value)) return isElementText(value.whenTrue) && isElementText(value.whenFalse);
    // `${statement};`: the element with a terminator, and no SQL of its own.
    if (ts.isTemplateExpression(value)) {
      return (
        value.head.text.trim() === '' &&
        value.templateSpans.every((span) => /^\s*;?\s*$/.test(span.literal.text) && isElementText(span.expression))
      );
    }
    if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      return isElementText(value.left) && ts.isStringLiteralLike(value.right) && /^\s*;?\s*$/.test(value.right.text);
    }
    return false;
  };
  return (
    chain.segments.some(
      (segment) =>
        RAW_SQL_SEGMENTS.test(segment.name) &&
        !!segment.args?.[0] &&
        isElementText(segment.args[0] as TypeScript.Expression),
    ) && splitFromText(ts, iteration)
  );
}

/**
 * The iterated statements were cut out of a script's text (`sql.split(/;\s*\n/)`, through local
 * consts), not built one per row by a query builder (`rows.map((r) => knex(t).update(…).toQuery())`
 * is one UPDATE per row: reported).
 */
function splitFromText(ts: typeof TypeScript, iteration: Iteration): boolean {
  const loop = iteration.node;
  let source: TypeScript.Node | undefined = iteration.callback
    ? ts.isCallExpression(loop) && ts.isPropertyAccessExpression(loop.expression)
      ? loop.expression.expression
      : undefined
    : ts.isForOfStatement(loop)
      ? loop.expression
      : undefined;
  for (let depth = 0; source && depth < 4; depth++) {
    const text = source.getText();
    if (/toQuery|toSQL|toSql|knex|\.(insert|update|delete|select)\(/.test(text)) return false;
    if (/\.split\(/.test(text)) return true;
    source = ts.isIdentifier(source) ? constInit(ts, source) : undefined;
  }
  return false;
}

/**
 * `let template = cache.get(id); if (!template) { template = await db.template.findUnique(…); cache.set(id, template) }`:
 * the query runs on a cache miss only, once per distinct key, and its row is kept for the elements
 * that share the key (a memoised lookup). Seen as: the call sits in the `then` branch of an `if`
 * that tests a value read from a Map/cache (`!x` where `x = m.get(k)`, `!m.has(k)`, `!(k in m)`), and
 * the branch stores into that Map.
 */
function fillsCache(ts: typeof TypeScript, node: TypeScript.Node, iteration: Iteration): boolean {
  const boundary = iteration.callback?.fn ?? iteration.node;
  for (
    let child: TypeScript.Node = node, parent = node.parent;
    parent && parent !== boundary;
    child = parent, parent = parent.parent
  ) {
    if (!ts.isIfStatement(parent) || parent.thenStatement !== child) continue;
    const cache = missedCache(ts, parent.expression);
    if (cache && storesInto(ts, parent.thenStatement, cache)) return true;
  }
  return false;
}

/** The Map a miss test reads: `!m.has(k)` → m; `!x` / `x === undefined` with `const|let x = m.get(k)` or `m[k]` → m. */
function missedCache(ts: typeof TypeScript, condition: TypeScript.Expression): string | undefined {
  let tested: TypeScript.Expression | undefined;
  if (ts.isPrefixUnaryExpression(condition) && condition.operator === ts.SyntaxKind.ExclamationToken)
    tested = condition.operand;
  else if (
    ts.isBinaryExpression(condition) &&
    /^(===|==)$/.test(condition.operatorToken.getText()) &&
    /^(undefined|null)$/.test(condition.right.getText())
  )
    tested = condition.left;
  if (!tested) return undefined;
  while (ts.isParenthesizedExpression(tested)) tested = tested.expression;
  const mapOf = (e: TypeScript.Expression): string | undefined => {
    if (
      ts.isCallExpression(e) &&
      ts.isPropertyAccessExpression(e.expression) &&
      /^(has|get)$/.test(e.expression.name.text)
    )
      return e.expression.expression.getText();
    if (ts.isElementAccessExpression(e)) return e.expression.getText();
    return undefined;
  };
  const direct = mapOf(tested);
  if (direct) return direct;
  if (!ts.isIdentifier(tested)) return undefined;
  // The value was read from the Map just before, in an enclosing block.
  const name = tested.text;
  for (let scope: TypeScript.Node | undefined = condition.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer)
          return mapOf(declaration.initializer);
      }
    }
    if (ts.isFunctionLike(scope.parent)) break;
  }
  return undefined;
}

/** `cache.set(k, v)` or `cache[k] = v` inside the branch. */
function storesInto(ts: typeof TypeScript, branch: TypeScript.Node, cache: string): boolean {
  let found = false;
  const visit = (n: TypeScript.Node): void => {
    if (found) return;
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === 'set' &&
      n.expression.expression.getText() === cache
    )
      found = true;
    else if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isElementAccessExpression(n.left) &&
      n.left.expression.getText() === cache
    )
      found = true;
    else ts.forEachChild(n, visit);
  };
  visit(branch);
  return found;
}

/** Writes that record something: a new row or a changed one (not a delete). */
const RECORDING_WRITE = /^(create|insert|update|upsert|save|values)/i;
/** Calls that send or transfer something out of the process: a mail or message, an upload, a storage copy. */
const OUTBOUND = /^(send|deliver|publish|upload|copy|transfer)([A-Z]\w*)?$/;

/**
 * `const { messageId } = await mailer.send(…); await prisma.email.create({ data: { messageId } })`,
 * `await storage.copy(from, to); await db.insertInto('attachments')…`: the write follows an awaited
 * outbound call of the same element (before it in the iteration, outside nested functions) that is
 * not itself a data call.
 */
function recordsOutboundCall(
  ts: typeof TypeScript,
  node: TypeScript.Node,
  call: DataCall,
  iteration: Iteration,
  facts: FileFacts,
  names: ReadonlySet<string>,
): boolean {
  // The whole chain: a builder's write is named before its `execute()` (`db.insertInto(t).values(…).execute()`).
  const segments = (chainAt(ts, node)?.segments ?? call.operation).filter((segment) => segment.args !== undefined);
  const called = segments.map((segment) => segment.name);
  if (
    !called.some((name) => RECORDING_WRITE.test(name)) ||
    called.some((name) => /^(delete|destroy|remove)/i.test(name))
  )
    return false;
  // It records this element's values (besides the key it is found by): the same values on every row are one updateMany.
  const written = segments.flatMap((segment) => (/^where/i.test(segment.name) ? [] : (segment.args ?? [])));
  const recordsElement = written.some((arg) =>
    ts.isObjectLiteralExpression(arg)
      ? arg.properties.some((p) => nameOf(ts, p) !== 'where' && mentions(ts, p, names))
      : mentions(ts, arg, names),
  );
  // Or it marks the element's own row (found by the element's key) after a message to it: written
  // right after each send, the mark survives a crash half-way through the loop, so a rerun does not
  // send the earlier elements' messages twice. One update after the loop would lose that; a copy or
  // an upload repeated is harmless, so after those the same values on every row stay one updateMany.
  const keys = segments.flatMap((segment) =>
    /^where/i.test(segment.name)
      ? (segment.args ?? [])
      : (segment.args ?? []).flatMap((arg) =>
          ts.isObjectLiteralExpression(arg) ? [property(ts, arg, 'where')].filter((w) => w !== undefined) : [],
        ),
  );
  const marksElement = keys.some((key) => mentions(ts, key, names));
  if (!recordsElement && !marksElement) return false;
  const boundary =
    iteration.callback?.fn ?? (ts.isIterationStatement(iteration.node, false) ? iteration.node.statement : undefined);
  if (!boundary) return false;
  let found = false;
  const visit = (n: TypeScript.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    const awaited = ts.isAwaitExpression(n) ? skipParens(ts, n.expression) : undefined;
    if (
      awaited &&
      ts.isCallExpression(awaited) &&
      isOutbound(ts, awaited, facts) &&
      (recordsElement || isMessage(ts, awaited))
    ) {
      found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  // The statements run before the write's on its own path: earlier siblings of the blocks around it
  // (not the other branch of an `if`).
  for (let current: TypeScript.Node = node; current !== boundary && current.parent; current = current.parent) {
    if (ts.isFunctionLike(current)) return false;
    const parent = current.parent;
    if (ts.isBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent)) {
      for (const statement of parent.statements) {
        if (statement === current) break;
        visit(statement);
      }
      if (found) return true;
    }
  }
  return false;
}

/** A message to someone (`sendMail`, `send`, `deliver`, `publish`), not a transfer of a file. */
function isMessage(ts: typeof TypeScript, call: TypeScript.CallExpression): boolean {
  const callee = call.expression;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  return /^(send|deliver|publish)([A-Z]\w*)?$/.test(name);
}

function isOutbound(ts: typeof TypeScript, call: TypeScript.CallExpression, facts: FileFacts): boolean {
  const callee = call.expression;
  const name = ts.isPropertyAccessExpression(callee)
    ? callee.name.text
    : ts.isIdentifier(callee)
      ? callee.text
      : undefined;
  if (!name || !OUTBOUND.test(name)) return false;
  const chain = chainAt(ts, call);
  return !(chain && dataCall(ts, chain, facts));
}

function skipParens(ts: typeof TypeScript, node: TypeScript.Expression): TypeScript.Expression {
  return ts.isParenthesizedExpression(node) ? skipParens(ts, node.expression) : node;
}

/**
 * `role.permissions = role.permissions.filter(…); await repo.save(role)`: the element itself, a row
 * loaded before the loop, saved after the iteration set its fields from its own values (an entity
 * save writes that row's changes: an update by key with that row's values). When every element gets
 * the same value (`modification.payment = payment`) one update of all the keys does it: reported.
 */
function savesElementChanges(
  ts: typeof TypeScript,
  node: TypeScript.Node,
  call: DataCall,
  iteration: Iteration,
  names: ReadonlySet<string>,
): boolean {
  const save = call.operation.find((segment) => segment.name === 'save' && segment.args?.length === 1);
  const saved = save?.args?.[0];
  if (!saved || !ts.isIdentifier(saved) || !elementNames(ts, iteration).has(saved.text)) return false;
  const own = new Set([...names].filter((name) => name !== saved.text));
  let rowValues = false;
  const visit = (n: TypeScript.Node): void => {
    if (rowValues || n.pos >= node.pos || ts.isFunctionLike(n)) return;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(n.left) &&
      ts.isIdentifier(n.left.expression) &&
      n.left.expression.text === saved.text
    ) {
      // The value depends on this element: its own fields, or a value computed for it in the body.
      if (mentions(ts, n.right, own) || mentions(ts, n.right, new Set([saved.text]))) rowValues = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  const body =
    iteration.callback?.fn ?? (ts.isIterationStatement(iteration.node, false) ? iteration.node.statement : undefined);
  if (body) ts.forEachChild(body, visit);
  return rowValues;
}

/**
 * `update({ where: { id: row.id }, data: { name: row.name } })`, `update(t).set({ … row … }).where(…)`,
 * `repo.update(row.id, { … row … })`: one row by its key, with values of this element.
 */
function isRowSpecificUpdate(
  ts: typeof TypeScript,
  operation: readonly Segment[],
  names: ReadonlySet<string>,
): boolean {
  const op = operation.find(
    (segment) =>
      (ROW_UPDATES.has(segment.name) || (segment.name === 'updateMany' && byElementKey(ts, segment, names))) &&
      segment.args,
  );
  if (!op?.args) return false;
  // Drizzle / Knex builders: update(t).set(values).where(…) or where(…).update(values)
  const set = operation.find((segment) => segment.name === 'set' && segment.args);
  const hasWhere = operation.some((segment) => segment.name === 'where' && segment.args);
  if (set) return hasWhere && set.args!.some((arg) => writesOwnValues(ts, arg, names));
  const [first, second] = op.args;
  if (first && ts.isObjectLiteralExpression(first)) {
    // upsert({ where, create, update: {} }) only inserts what is missing: createMany({ skipDuplicates: true }) batches it.
    const update = property(ts, first, 'update');
    if (op.name === 'upsert' && update && ts.isObjectLiteralExpression(update) && update.properties.length === 0)
      return false;
    const data = ['data', 'update', 'create', '$set']
      .map((key) => property(ts, first, key))
      .filter((v) => v !== undefined);
    if (property(ts, first, 'where') !== undefined && data.length > 0)
      return data.some((value) => writesOwnValues(ts, value, names));
  }
  // TypeORM repo.update(criteria, values), Mongoose updateOne(filter, update), Knex where(…).update(values)
  if (second) return writesOwnValues(ts, second, names);
  return hasWhere && !!first && writesOwnValues(ts, first, names);
}

/**
 * Whether written values come from the element. A column reset on a condition, `image: link.image === 'unavailable'
 * ? null : link.image`, writes one constant or leaves the row's value as it is: the rows to reset can be picked by a
 * filter and reset in one `updateMany` per column, so that is not a value of the row's own.
 */
function writesOwnValues(ts: typeof TypeScript, node: TypeScript.Node, names: ReadonlySet<string>): boolean {
  const value = ts.isExpression(node) ? unwrapExpression(ts, node) : node;
  if (!ts.isObjectLiteralExpression(value)) return mentions(ts, value, names);
  return value.properties.some((p) => {
    const key = nameOf(ts, p);
    if (ts.isPropertyAssignment(p) && key !== undefined && resetsOrKeeps(ts, p.initializer, key, names)) return false;
    return mentions(ts, p, names);
  });
}

/** `key: cond ? null : el.key` (or the other way round): a constant on a condition, or the row's own value kept. */
function resetsOrKeeps(
  ts: typeof TypeScript,
  node: TypeScript.Expression,
  key: string,
  names: ReadonlySet<string>,
): boolean {
  const value = unwrapExpression(ts, node);
  if (!ts.isConditionalExpression(value)) return false;
  const keeps = (branch: TypeScript.Expression) => {
    const b = unwrapExpression(ts, branch);
    return (
      ts.isPropertyAccessExpression(b) &&
      b.name.text === key &&
      ts.isIdentifier(b.expression) &&
      names.has(b.expression.text)
    );
  };
  const constant = (branch: TypeScript.Expression) => {
    const b = unwrapExpression(ts, branch);
    return (
      b.kind === ts.SyntaxKind.NullKeyword ||
      b.kind === ts.SyntaxKind.TrueKeyword ||
      b.kind === ts.SyntaxKind.FalseKeyword ||
      ts.isStringLiteralLike(b) ||
      ts.isNumericLiteral(b) ||
      (ts.isIdentifier(b) && b.text === 'undefined')
    );
  };
  return (constant(value.whenTrue) && keeps(value.whenFalse)) || (keeps(value.whenTrue) && constant(value.whenFalse));
}

/**
 * `updateMany({ where: { id: row.id }, … })`: filtered by this element's key alone, it updates one
 * row, like `update` (Prisma's `updateMany` does not throw when the row is gone, hence its use).
 */
function byElementKey(ts: typeof TypeScript, segment: Segment, names: ReadonlySet<string>): boolean {
  const first = segment.args?.[0];
  if (!first || !ts.isObjectLiteralExpression(first)) return false;
  const where = property(ts, first, 'where');
  if (!where || !ts.isObjectLiteralExpression(where) || where.properties.length !== 1) return false;
  const key = property(ts, where, 'id');
  return key !== undefined && mentions(ts, key, names);
}

/**
 * `const claimed = await prisma.run.updateMany({ where: { id: run.id, status: 'running' }, data });
 * if (claimed.count === 0) continue;`: a guarded update of the element's own row whose count says
 * whether this element won it (a compare-and-set claim). One statement over all the elements returns
 * one total count, not each element's outcome, so the claim cannot be batched.
 */
function isClaim(
  ts: typeof TypeScript,
  node: TypeScript.Node,
  call: DataCall,
  iteration: Iteration,
  names: ReadonlySet<string>,
): boolean {
  const op = call.operation[0];
  const first = op?.args?.[0];
  if (op?.name !== 'updateMany' || !first || !ts.isObjectLiteralExpression(first)) return false;
  const where = property(ts, first, 'where');
  const key = where && ts.isObjectLiteralExpression(where) ? property(ts, where, 'id') : undefined;
  if (!key || !mentions(ts, key, names)) return false;
  // The guard: a condition on the row's state (`status: 'running'`, `lockedAt: null`, `version: { lt: 3 }`),
  // not just more of its key (`{ nwid, id }` names one row and wins nothing).
  const guarded = (where as TypeScript.ObjectLiteralExpression).properties.some((p) => {
    if (!ts.isPropertyAssignment(p) || nameOf(ts, p) === 'id') return false;
    const value = p.initializer;
    return (
      ts.isStringLiteral(value) ||
      ts.isNumericLiteral(value) ||
      ts.isObjectLiteralExpression(value) ||
      value.kind === ts.SyntaxKind.NullKeyword ||
      value.kind === ts.SyntaxKind.TrueKeyword ||
      value.kind === ts.SyntaxKind.FalseKeyword
    );
  });
  if (!guarded) return false;
  const declaration = boundTo(ts, node);
  if (!declaration || !ts.isIdentifier(declaration.name)) return false;
  const result = declaration.name.text;
  let read = false;
  const visit = (n: TypeScript.Node): void => {
    if (read) return;
    if (
      ts.isPropertyAccessExpression(n) &&
      n.name.text === 'count' &&
      ts.isIdentifier(n.expression) &&
      n.expression.text === result
    )
      read = true;
    else ts.forEachChild(n, visit);
  };
  visit(iteration.callback?.fn ?? iteration.node);
  return read;
}

/**
 * Prisma `create({ data: { …, items: { create: [...] } } })`, or an `upsert` whose `create` holds
 * such a nested write: createMany (and `createMany({ skipDuplicates })`, the batch form of an
 * insert-if-missing upsert) takes scalar fields only.
 */
function isNestedCreate(ts: typeof TypeScript, operation: readonly Segment[]): boolean {
  const op = operation[0];
  const first = op?.args?.[0];
  if (!op || (op.name !== 'create' && op.name !== 'upsert') || !first || !ts.isObjectLiteralExpression(first))
    return false;
  const data = property(ts, first, op.name === 'create' ? 'data' : 'create');
  if (!data || !ts.isObjectLiteralExpression(data)) return false;
  return data.properties.some((p) => {
    const value = ts.isPropertyAssignment(p) ? p.initializer : undefined;
    return (
      !!value &&
      ts.isObjectLiteralExpression(value) &&
      value.properties.some((inner) => NESTED_WRITES.has(nameOf(ts, inner) ?? ''))
    );
  });
}

/**
 * `const [created] = await tx.insert(t).values(…).returning(); await writeAudit(tx, created)`: the
 * created row feeds further writes of the same element (children, links, audit) — a parent
 * written with its children, which a multi-row insert cannot pair back.
 */
function feedsFurtherWrites(
  ts: typeof TypeScript,
  node: TypeScript.Node,
  call: DataCall,
  iteration: Iteration,
  facts: FileFacts,
): boolean {
  if (!isCreate(call)) return false;
  const declaration = boundTo(ts, node);
  if (!declaration) return false;
  const created = new Set<string>();
  collectNames(ts, declaration.name, created);
  const body = iteration.callback?.fn ?? iteration.node;
  // `createFolders(folder.children, created.id)`: the function the loop is in, called again with the
  // created row — it writes that row's children (a tree written level by level, each child needing
  // its parent's generated key).
  const recursion = enclosingFunctionName(ts, iteration.node);
  let found = false;
  const visit = (n: TypeScript.Node): void => {
    // Callbacks passed on the spot (`Promise.all(prices.map((p) => tx.price.create({ … created.id … })))`) run here too.
    if (found || (ts.isFunctionLike(n) && n !== body && !isCallbackArgument(ts, n))) return;
    if (n.pos >= declaration.end && ts.isCallExpression(n) && n.arguments.some((arg) => mentions(ts, arg, created))) {
      const chain = chainAt(ts, n);
      const callee = ts.isIdentifier(n.expression)
        ? n.expression.text
        : ts.isPropertyAccessExpression(n.expression) && n.expression.expression.kind === ts.SyntaxKind.ThisKeyword
          ? n.expression.name.text
          : undefined;
      const isWrite =
        (chain && dataCall(ts, chain, facts)) ||
        n.arguments.some((arg) => ts.isIdentifier(arg) && arg.text === call.root) ||
        (!!recursion && callee === recursion);
      if (isWrite) found = true;
    }
    // A data call whose chain holds the created row (`tx.insert(links).values({ parentId: created.id })`).
    if (n.pos >= declaration.end && (ts.isCallExpression(n) || ts.isTaggedTemplateExpression(n))) {
      const chain = chainAt(ts, n);
      const later = chain && dataCall(ts, chain, facts);
      if (later?.operation.some((segment) => segment.args?.some((arg) => mentions(ts, arg, created)))) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

/** An arrow function or function expression passed as an argument of a call: `xs.map((x) => …)`. */
function isCallbackArgument(ts: typeof TypeScript, fn: TypeScript.Node): boolean {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  const parent = fn.parent;
  return !!parent && ts.isCallExpression(parent) && parent.arguments.includes(fn);
}

/** The name of the function around the node: `function f`, `const f = async () =>`, a method `f() {}`. */
function enclosingFunctionName(ts: typeof TypeScript, node: TypeScript.Node): string | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    if (
      (ts.isFunctionDeclaration(current) || ts.isMethodDeclaration(current) || ts.isFunctionExpression(current)) &&
      current.name &&
      ts.isIdentifier(current.name)
    )
      return current.name.text;
    const parent = current.parent;
    if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
    return undefined;
  }
  return undefined;
}

/** `tx.insert(links).values({ reportId: created.id })` where `created` was inserted for this same element: its children. */
function isChildOfCreated(ts: typeof TypeScript, call: DataCall, iteration: Iteration, facts: FileFacts): boolean {
  if (!isCreate(call)) return false;
  const created = new Set<string>();
  const visit = (n: TypeScript.Node): void => {
    if (ts.isVariableDeclaration(n) && n.initializer) {
      const init = unwrapExpression(ts, n.initializer, { await: true });
      const chain = chainAt(ts, init);
      const parent = chain && dataCall(ts, chain, facts);
      if (parent && isCreate(parent)) collectNames(ts, n.name, created);
    }
    ts.forEachChild(n, visit);
  };
  visit(iteration.callback?.fn ?? iteration.node);
  return created.size > 0 && call.operation.some((segment) => segment.args?.some((arg) => mentions(ts, arg, created)));
}

function isCreate(call: DataCall): boolean {
  return call.operation.some((segment) => ROW_CREATES.has(segment.name) && segment.args !== undefined);
}

/** The declaration the call's (awaited) result is stored in: `const x = await …`, `const [x] = await …`. */
function boundTo(ts: typeof TypeScript, node: TypeScript.Node): TypeScript.VariableDeclaration | undefined {
  let current = node;
  while (current.parent && isValueWrapper(ts, current.parent, { await: true })) current = current.parent;
  return current.parent && ts.isVariableDeclaration(current.parent) && current.parent.initializer === current
    ? current.parent
    : undefined;
}

/**
 * The query depends on the previous element's query: in a `while` / `do` loop, a variable of the
 * condition is reassigned in the body (a parent chain, a search for a free slug); in any loop, the
 * call reads a variable declared outside the loop and reassigned inside it from this element's
 * values (`previousId = created.id`).
 */
function isLoopCarried(
  ts: typeof TypeScript,
  node: TypeScript.Node,
  iteration: Iteration,
  names: ReadonlySet<string>,
): boolean {
  if (iteration.callback) return false;
  const loop = iteration.node;
  const body =
    ts.isWhileStatement(loop) ||
    ts.isDoStatement(loop) ||
    ts.isForOfStatement(loop) ||
    ts.isForInStatement(loop) ||
    ts.isForStatement(loop)
      ? loop.statement
      : undefined;
  if (!body) return false;
  const reassigned = new Map<string, TypeScript.Expression>();
  const visit = (n: TypeScript.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(n.left) &&
      !isStep(ts, n.left.text, n.right)
    ) {
      reassigned.set(n.left.text, n.right);
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  if (reassigned.size === 0) return false;
  if (ts.isWhileStatement(loop) || ts.isDoStatement(loop)) {
    if (mentions(ts, loop.expression, new Set(reassigned.keys()))) return true;
  }
  const carried = new Set(
    [...reassigned].filter(([name, value]) => !names.has(name) && mentions(ts, value, names)).map(([name]) => name),
  );
  return carried.size > 0 && mentions(ts, node, carried);
}

/** `i = i + 1`: a counter stepping through a collection, not a value the next query needs. */
function isStep(ts: typeof TypeScript, name: string, value: TypeScript.Expression): boolean {
  return (
    ts.isBinaryExpression(value) &&
    ts.isIdentifier(value.left) &&
    value.left.text === name &&
    (value.operatorToken.kind === ts.SyntaxKind.PlusToken || value.operatorToken.kind === ts.SyntaxKind.MinusToken)
  );
}

/** `if (i === 0) { … }` / `if (index === rows.length - 1)`: runs for one element only. */
function runsOnce(ts: typeof TypeScript, node: TypeScript.Node, iteration: Iteration): boolean {
  const boundary = iteration.callback?.fn ?? iteration.node;
  for (let child = node, parent = node.parent; parent && parent !== boundary; child = parent, parent = parent.parent) {
    if (ts.isIfStatement(parent) && parent.thenStatement === child && isOneIndex(ts, parent.expression)) return true;
  }
  return false;
}

/**
 * After the call, does every path of this iteration leave the loop? Followed from the call's
 * statement up to the loop body: at each level the statements after it must reach a `return`,
 * `throw` or `break` of this loop before any `continue` could start the next element. Loops only: a
 * callback's `return` ends one element, not the iteration.
 */
function leavesLoopAfter(ts: typeof TypeScript, node: TypeScript.Node, iteration: Iteration): boolean {
  if (iteration.callback) return false;
  const loop = iteration.node;
  const body = ts.isIterationStatement(loop, false) ? loop.statement : undefined;
  if (!body) return false;
  // A `return` inside a callback run in place (`$transaction(async (tx) => …)`) ends the callback, not the loop.
  for (let up = node.parent; up && up !== body; up = up.parent)
    if (ts.isFunctionLike(up) || ts.isIterationStatement(up, false)) return false;
  let current: TypeScript.Node = node;
  while (current !== body && current.parent) {
    const parent: TypeScript.Node = current.parent;
    if (ts.isReturnStatement(current) || ts.isThrowStatement(current)) return true;
    if (ts.isBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent)) {
      // In a switch's clause a `break` leaves the switch, not the loop.
      const inSwitch = !ts.isBlock(parent);
      const statements = parent.statements;
      if (endsIteration(ts, statements.slice(statements.indexOf(current as TypeScript.Statement) + 1), inSwitch))
        return true;
    }
    current = parent;
  }
  return false;
}

/** Is the call in a `catch` clause inside the iteration (of a `try` the element's own work runs in)? */
function inCatchOfElement(ts: typeof TypeScript, node: TypeScript.Node, iteration: Iteration): boolean {
  const boundary = iteration.callback?.fn ?? iteration.node;
  for (let up = node.parent; up && up !== boundary; up = up.parent) if (ts.isCatchClause(up)) return true;
  return false;
}

/** Statements run in order: does one leave the loop before any may `continue` to the next element? */
function endsIteration(ts: typeof TypeScript, statements: readonly TypeScript.Statement[], inSwitch: boolean): boolean {
  for (const statement of statements) {
    if (continuesLoop(ts, statement)) return false;
    if (exits(ts, statement, inSwitch)) return true;
  }
  return false;
}

/** A statement that always leaves the loop: `return`, `throw`, `break` (not a switch's), or a block / if-else ending so. */
function exits(ts: typeof TypeScript, statement: TypeScript.Statement, inSwitch: boolean): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBreakStatement(statement)) return !inSwitch && !statement.label;
  if (ts.isBlock(statement)) return endsIteration(ts, statement.statements, inSwitch);
  if (ts.isIfStatement(statement))
    return (
      !!statement.elseStatement &&
      exits(ts, statement.thenStatement, inSwitch) &&
      exits(ts, statement.elseStatement, inSwitch)
    );
  return false;
}

/** Whether the statement may go on to the next element: a `continue` of this loop inside it (not of a loop or function nested in it). */
function continuesLoop(ts: typeof TypeScript, statement: TypeScript.Node): boolean {
  if (ts.isContinueStatement(statement)) return true;
  if (ts.isFunctionLike(statement) || ts.isIterationStatement(statement, false)) return false;
  return !!ts.forEachChild(statement, (child) => (continuesLoop(ts, child) ? true : undefined));
}

function isOneIndex(ts: typeof TypeScript, condition: TypeScript.Expression): boolean {
  if (!ts.isBinaryExpression(condition)) return false;
  const op = condition.operatorToken.kind;
  if (op === ts.SyntaxKind.AmpersandAmpersandToken)
    return isOneIndex(ts, condition.left) || isOneIndex(ts, condition.right);
  if (op !== ts.SyntaxKind.EqualsEqualsEqualsToken && op !== ts.SyntaxKind.EqualsEqualsToken) return false;
  const isZero = (e: TypeScript.Expression) => ts.isNumericLiteral(e) && e.text === '0';
  const isLast = (e: TypeScript.Expression) =>
    ts.isBinaryExpression(e) &&
    e.operatorToken.kind === ts.SyntaxKind.MinusToken &&
    /\.length$/.test(e.left.getText()) &&
    ts.isNumericLiteral(e.right) &&
    e.right.text === '1';
  const { left, right } = condition;
  return (
    (ts.isIdentifier(left) && (isZero(right) || isLast(right))) ||
    (ts.isIdentifier(right) && (isZero(left) || isLast(left)))
  );
}

function property(
  ts: typeof TypeScript,
  object: TypeScript.ObjectLiteralExpression,
  key: string,
): TypeScript.Node | undefined {
  for (const p of object.properties) {
    if (nameOf(ts, p) !== key) continue;
    if (ts.isPropertyAssignment(p)) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p)) return p.name;
  }
  return undefined;
}

function nameOf(ts: typeof TypeScript, p: TypeScript.ObjectLiteralElementLike): string | undefined {
  return p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
}

function collectNames(ts: typeof TypeScript, name: TypeScript.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collectNames(ts, element.name, into);
}
