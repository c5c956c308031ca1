/**
 * Error sites (errors.ts): where an error goes — caught on its way out, or into the function every error of an
 * app goes through (an Express error middleware, `setErrorHandler`/`onError`, a Nest `@Catch()` filter).
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import { ERROR_NAME } from './error-values.js';
import { unwrap } from './values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** A statement that leaves the block: `return …`, `throw …`, or a block ending in one. */
export function exits(statement: ts.Statement): boolean {
  if (typescript.isReturnStatement(statement) || typescript.isThrowStatement(statement)) return true;
  return (
    typescript.isBlock(statement) &&
    statement.statements.length > 0 &&
    exits(statement.statements[statement.statements.length - 1]!)
  );
}

/**
 * Whether a thrown exception is caught on its way out and not thrown on: `throw new ConflictException(e)`
 * inside a `try` (of its own function, or of the function that awaits the call it is a callback of —
 * `try { await prisma.$transaction(async (tx) => { … throw … }) } catch { return E.left(CODE) }`) whose
 * `catch` throws nothing. Such an exception only aborts work; the framework never answers with it.
 */
export function caughtLocally(node: ts.Node): boolean {
  let thrown: ts.Node = node;
  while (
    thrown.parent &&
    (typescript.isParenthesizedExpression(thrown.parent) || typescript.isAsExpression(thrown.parent))
  )
    thrown = thrown.parent;
  if (!thrown.parent || !typescript.isThrowStatement(thrown.parent)) return false;
  let child: ts.Node = thrown.parent;
  for (let p: ts.Node | undefined = child.parent; p; child = p, p = p.parent) {
    if (typescript.isTryStatement(p) && child === p.tryBlock) {
      // With no catch, or a catch that throws (rethrows, wraps), the error goes on.
      return p.catchClause !== undefined && !throwsIn(p.catchClause.block);
    }
    if (typescript.isFunctionLike(p)) {
      // A callback awaited where it is passed (`await run(async () => { … })`) throws into its caller.
      const call = p.parent;
      if (
        !(typescript.isArrowFunction(p) || typescript.isFunctionExpression(p)) ||
        !call ||
        !typescript.isCallExpression(call) ||
        !call.arguments.includes(p as ts.Expression)
      )
        return false;
      if (!call.parent || !typescript.isAwaitExpression(call.parent)) return false;
    }
  }
  return false;
}

/** A `throw` in a block, outside the functions declared in it. */
function throwsIn(block: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || typescript.isFunctionLike(node)) return;
    if (typescript.isThrowStatement(node)) found = true;
    else typescript.forEachChild(node, visit);
  };
  typescript.forEachChild(block, visit);
  return found;
}

/** `await next()` directly in a block: the rest of the middleware chain runs inside it. */
function awaitsNext(block: ts.Block): boolean {
  return block.statements.some((statement) => {
    if (!typescript.isExpressionStatement(statement)) return false;
    const e = statement.expression;
    if (!typescript.isAwaitExpression(e)) return false;
    const call = e.expression;
    return (
      typescript.isCallExpression(call) &&
      typescript.isIdentifier(call.expression) &&
      call.expression.text === 'next' &&
      call.arguments.length === 0
    );
  });
}

/** Calls that register an app's error handler: Fastify `setErrorHandler(fn)`, Hono `app.onError(fn)`. */
const ERROR_HANDLER_CALLS = new Set(['setErrorHandler', 'onError']);

/**
 * Whether a node sits in the function every error of an app goes through: an Express error middleware
 * (`(err, req, res, next) => …`), a Fastify `setErrorHandler` or Hono `onError` callback, or the `catch`
 * method of a NestJS exception filter (`@Catch()`). The innermost function decides.
 */
export function inCentralErrorHandler(node: ts.Node): boolean {
  let fn: ts.Node | undefined = node.parent;
  while (fn && !typescript.isFunctionLike(fn)) {
    // Koa/Hono middleware `try { await next(); } catch (error) { … }`: every error of the routes after it lands here.
    if (typescript.isCatchClause(fn) && typescript.isTryStatement(fn.parent) && awaitsNext(fn.parent.tryBlock))
      return true;
    fn = fn.parent;
  }
  if (!fn || !typescript.isFunctionLike(fn)) return false;
  const parameters = fn.parameters;
  const first = parameters[0]?.name;
  if (parameters.length === 4 && first && typescript.isIdentifier(first) && ERROR_NAME.test(first.text)) return true;
  const parent = fn.parent;
  if (
    parent &&
    typescript.isCallExpression(parent) &&
    typescript.isPropertyAccessExpression(parent.expression) &&
    ERROR_HANDLER_CALLS.has(parent.expression.name.text)
  )
    return true;
  if (typescript.isMethodDeclaration(fn) && fn.name.getText() === 'catch' && typescript.isClassLike(fn.parent)) {
    return (typescript.getDecorators(fn.parent) ?? []).some((d) => /^Catch\b/.test(d.expression.getText()));
  }
  return false;
}

/** The NestJS exception filter (a class decorated `@Catch(…)`) a node sits in, if any. */
export function enclosingCatchFilter(node: ts.Node): ts.ClassDeclaration | undefined {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (
      typescript.isClassDeclaration(p) &&
      (typescript.getDecorators(p) ?? []).some((d) => /^Catch\b/.test(d.expression.getText()))
    )
      return p;
  }
  return undefined;
}

/** A text without its comments (`//` to the end of the line, not after a `:` as in URLs; `/* … *\/`). */
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');

/**
 * Whether no code names an exception filter class but the class itself. Nest runs a filter only where it is
 * registered — `@UseFilters(X)`, `app.useGlobalFilters(new X())`, an `APP_FILTER` provider — each of which names
 * the class; one that no code names (a registration commented out is no registration) answers no request.
 */
export function unregisteredFilter(
  filter: ts.ClassDeclaration,
  files: ReadonlyArray<{ text: { content: string }; tree: ts.SourceFile }>,
): boolean {
  const name = filter.name?.text;
  if (!name) return false;
  const word = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`);
  const own = filter.getSourceFile();
  return !files.some((file) => {
    const text = file.text.content;
    if (!text.includes(name)) return false;
    if (file.tree !== own) return word.test(withoutComments(text));
    // In its own file, outside the class (a module that registers the filter it declares).
    return word.test(withoutComments(text.slice(0, filter.getStart()) + text.slice(filter.getEnd())));
  });
}

/**
 * The classes a Nest exception filter's `catch(exception, host)` method is given, when `name` is its exception
 * parameter: the arguments of the class's `@Catch(A, B)` (none: `@Catch()` catches everything).
 */
export function caughtClasses(fn: ts.Node, name: string): ts.Expression[] {
  if (!typescript.isMethodDeclaration(fn) || fn.name.getText() !== 'catch' || !typescript.isClassLike(fn.parent))
    return [];
  const parameter = fn.parameters[0]?.name;
  if (!parameter || !typescript.isIdentifier(parameter) || parameter.text !== name) return [];
  const decorator = (typescript.getDecorators(fn.parent) ?? []).find((d) => /^Catch\b/.test(d.expression.getText()));
  const call = decorator?.expression;
  return call && typescript.isCallExpression(call) ? [...call.arguments] : [];
}

/** `switch (error.message)` (or `err.message`): its cases compare the message with texts the code names. */
export function switchesOnMessage(statement: ts.Node, name: string): boolean {
  if (!typescript.isSwitchStatement(statement)) return false;
  const subject = unwrap(statement.expression);
  return (
    typescript.isPropertyAccessExpression(subject) &&
    subject.name.text === 'message' &&
    typescript.isIdentifier(unwrap(subject.expression)) &&
    (unwrap(subject.expression) as ts.Identifier).text === name
  );
}

/**
 * Whether the innermost function around a node (a handler, a callback, a method) checks a webhook sender's
 * signature (HandlerRoles.answersWebhookSender): what it sends answers the sender.
 */
export function inSignatureCheck(node: ts.Node, verifies: (fn: ts.FunctionLikeDeclaration) => boolean): boolean {
  const fn = enclosingFunction(node);
  return fn !== undefined && verifies(fn);
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let p = node.parent; p && !typescript.isSourceFile(p); p = p.parent) {
    if (
      typescript.isFunctionDeclaration(p) ||
      typescript.isFunctionExpression(p) ||
      typescript.isArrowFunction(p) ||
      typescript.isMethodDeclaration(p) ||
      typescript.isConstructorDeclaration(p)
    )
      return p;
  }
  return undefined;
}
