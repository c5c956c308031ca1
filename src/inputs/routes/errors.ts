/**
 * Error sites: every place a service sends an error status or throws an HTTP exception, in the
 * six frameworks, with what the body carries (see ErrorBody). The input describes; the rule
 * (api/structured-errors) judges. Bodies built by a project helper are followed into the helper,
 * so `res.status(400).json(apiError('BAD_INPUT', '…'))` is seen as `{ error: { code, message } }`.
 */
import type { ts } from 'ts-morph';
import { loadTsMorph } from '../code/ts-morph.js';
import type { ErrorBody, ErrorSite } from '../../model/code-http.js';
import type { CodeFile } from '../code/index.js';
import type { Modules } from './modules.js';
import type { HttpExceptions } from './frameworks/adapter.js';
import { ERROR_HELPERS as FRAMEWORK_ERROR_HELPERS, HTTP_EXCEPTIONS } from './frameworks/index.js';
import { returnedExpressions } from './functions.js';
import { origin } from './origins.js';
import { literalStatus } from './route-args.js';
import { type Evaluator, findProperty, propertyName, unwrap } from './values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTsMorph().ts;

/** Packages of `createError`-style helpers: http-errors (Express, Koa), and the frameworks' own. */
const ERROR_HELPERS = new Set(['http-errors', ...FRAMEWORK_ERROR_HELPERS]);
const ERROR_NAME = /^(err|error|e|ex|exc|exception|cause)$/i;
/** A cheap filter: files that cannot contain an error site are not walked. */
const MAY_HAVE_ERRORS =
  /\.(status|code|sendStatus|throw|text|json)\s*\(|Exception|new\s+(Next)?Response|createError|\.status\s*=/;

export class ErrorSites {
  private readonly sites: ErrorSite[] = [];

  constructor(
    private readonly modules: Modules,
    private readonly evaluator: Evaluator,
  ) {}

  collect(files: readonly CodeFile[]): ErrorSite[] {
    for (const file of files) {
      if (!MAY_HAVE_ERRORS.test(file.text.content)) continue;
      const visit = (node: ts.Node): void => {
        if (typescript.isCallExpression(node)) this.call(file, node);
        else if (typescript.isNewExpression(node)) this.construct(file, node);
        else if (typescript.isBlock(node) || typescript.isSourceFile(node) || typescript.isCaseClause(node))
          this.koaStatus(file, node.statements);
        typescript.forEachChild(node, visit);
      };
      visit(file.sourceFile.compilerNode);
    }
    return this.sites;
  }

  private add(
    file: CodeFile,
    at: ts.Node,
    via: string,
    status: number | undefined,
    body: ErrorBody,
    exception?: ErrorSite['exception'],
  ): void {
    const central = inCentralErrorHandler(at);
    const caught = exception !== undefined && caughtLocally(at);
    const fallback = central && this.afterCodedErrors(at);
    this.sites.push({
      via,
      ...(status !== undefined ? { status } : {}),
      body,
      ...(exception ? { exception } : {}),
      ...(central ? { centralHandler: true } : {}),
      ...(caught ? { caughtLocally: true } : {}),
      ...(fallback ? { afterCodedErrors: true } : {}),
      origin: origin(file, at),
      source: 'typescript',
    });
  }

  private call(file: CodeFile, call: ts.CallExpression): void {
    const callee = call.expression;
    if (typescript.isPropertyAccessExpression(callee)) {
      const name = callee.name.text;
      const receiver = unwrap(callee.expression);
      // res.status(500).send(…) / .json(…) / .end(), reply.code(400).send(…)
      if (
        (name === 'send' || name === 'json' || name === 'end') &&
        typescript.isCallExpression(receiver) &&
        typescript.isPropertyAccessExpression(receiver.expression)
      ) {
        const setter = receiver.expression.name.text;
        if (setter === 'status' || setter === 'code') {
          const status = literalStatus(receiver.arguments[0]);
          // In a central error handler the status is the error's (`err.statusCode ?? 500`): an error, whatever its number.
          if ((status !== undefined && status >= 400) || (status === undefined && inCentralErrorHandler(call))) {
            const body =
              name === 'end' && !call.arguments[0] ? { kind: 'none' as const } : this.body(call.arguments[0]);
            this.add(file, call, `${receiver.expression.expression.getText()}.${setter}().${name}`, status, body);
          }
          return;
        }
      }
      if (name === 'sendStatus') {
        const status = literalStatus(call.arguments[0]);
        if (status !== undefined && status >= 400)
          this.add(file, call, `${callee.expression.getText()}.sendStatus`, status, { kind: 'none' });
        return;
      }
      // Hono: c.text('…', 500), c.json({…}, 400), c.body(null, 500)
      if ((name === 'text' || name === 'json' || name === 'body') && call.arguments.length >= 2) {
        const status = literalStatus(call.arguments[1]) ?? initStatus(call.arguments[1]);
        if (status !== undefined && status >= 400)
          this.add(file, call, `${calleeLabel(callee)}`, status, this.body(call.arguments[0]));
        return;
      }
      // Koa: ctx.throw(500), ctx.throw(400, 'bad'), ctx.throw('bad', 400)
      if (name === 'throw' && /^ctx$|context$/i.test(callee.expression.getText())) {
        const [a, b] = call.arguments;
        const status = literalStatus(a) ?? literalStatus(b);
        const message = literalStatus(a) !== undefined ? b : a;
        this.add(
          file,
          call,
          `${callee.expression.getText()}.throw`,
          status,
          message ? this.body(message) : { kind: 'none' },
        );
        return;
      }
    }
    // http-errors: createError(500), createError(404, 'Order 7 was not found')
    if (typescript.isIdentifier(callee) || typescript.isPropertyAccessExpression(callee)) {
      const ref = this.evaluator.externalRef(callee);
      // `isHttpError(err)` is a type guard of the same package: it answers a question and sends nothing.
      if (ref && ERROR_HELPERS.has(ref.module) && !/^is[A-Z]/.test(ref.path.at(-1) ?? '')) {
        // createError(404, 'msg') or the named form createError.NotFound('msg')
        const named = ref.path.length > 0;
        const status = named ? undefined : literalStatus(call.arguments[0]);
        const message = named ? call.arguments[0] : call.arguments[1];
        this.add(file, call, 'createError', status, message ? this.body(message) : { kind: 'none' }, {
          className: 'HttpError',
          framework: true,
          carriesCode: false,
        });
      }
    }
  }

  private construct(file: CodeFile, node: ts.NewExpression): void {
    const callee = node.expression;
    const args = node.arguments ?? [];
    const ref = this.evaluator.externalRef(callee);
    const family = ref ? HTTP_EXCEPTIONS.find((f) => f.fromModule(ref.module)) : undefined;
    if (ref && family) {
      const className = ref.path.join('.');
      if (Object.hasOwn(family.statuses, className)) {
        const { status, message, unknownBody } = family.read(className, args, this.evaluator);
        this.add(
          file,
          node,
          `new ${className}`,
          status,
          message ? this.body(message) : unknownBody ? { kind: 'unknown' } : { kind: 'none' },
          { className, framework: true, carriesCode: false },
        );
        return;
      }
      if (family.exclusive) return;
    }
    // fetch API: new Response('Error', { status: 500 }), new NextResponse(null, { status: 404 })
    if (typescript.isIdentifier(callee) && /^(Next)?Response$/.test(callee.text) && args[1]) {
      const status = initStatus(args[1]);
      if (status !== undefined && status >= 400) this.add(file, node, `new ${callee.text}`, status, this.body(args[0]));
      return;
    }
    // A project exception class built on a framework one: class OrderNotFound extends NotFoundException.
    if (typescript.isIdentifier(callee)) {
      const binding = this.modules.lookup(callee);
      if (binding?.kind !== 'class') return;
      const base = this.frameworkBase(binding.node, 0);
      if (!base) return;
      const messageArg = args.find(
        (a) => typescript.isStringLiteralLike(unwrap(a)) || typescript.isTemplateExpression(unwrap(a)),
      );
      this.add(
        file,
        node,
        `new ${callee.text}`,
        base.family.statuses[base.className],
        messageArg ? this.body(messageArg) : { kind: 'unknown' },
        {
          className: callee.text,
          framework: false,
          carriesCode: classCarriesCode(binding.node),
        },
      );
    }
  }

  /** The framework HTTP exception a project class extends, through project classes. */
  private frameworkBase(
    cls: ts.ClassLikeDeclaration,
    depth: number,
  ): { family: HttpExceptions; className: string } | undefined {
    if (depth > 5) return undefined;
    const heritage = cls.heritageClauses?.find((h) => h.token === typescript.SyntaxKind.ExtendsKeyword)?.types[0];
    if (!heritage) return undefined;
    const ref = this.evaluator.externalRef(heritage.expression);
    const className = ref?.path.join('.') ?? '';
    const family = ref
      ? HTTP_EXCEPTIONS.find((f) => f.fromModule(ref.module) && Object.hasOwn(f.statuses, className))
      : undefined;
    if (family) return { family, className };
    const base = unwrap(heritage.expression);
    if (!typescript.isIdentifier(base)) return undefined;
    const binding = this.modules.lookup(base);
    return binding?.kind === 'class' ? this.frameworkBase(binding.node, depth + 1) : undefined;
  }

  /** Koa: `ctx.status = 404; ctx.body = 'Not found'` in one block (or the status alone). */
  private koaStatus(file: CodeFile, statements: readonly ts.Statement[]): void {
    statements.forEach((statement, index) => {
      const status = assignment(statement, 'status');
      if (!status) return;
      const code = literalStatus(status.right);
      if (code === undefined || code < 400) return;
      const target = status.left.expression.getText();
      const next = statements
        .slice(index + 1)
        .map((s) => assignment(s, 'body'))
        .find((a) => a && a.left.expression.getText() === target);
      if (next) this.add(file, next, `${target}.body =`, code, this.body(next.right));
      else this.add(file, status, `${target}.status =`, code, { kind: 'none' });
    });
  }

  /** What a body expression carries. */
  body(expression: ts.Expression | undefined, depth = 0): ErrorBody {
    if (!expression || depth > 5) return { kind: expression ? 'unknown' : 'none' };
    const node = unwrap(expression);
    if (node.kind === typescript.SyntaxKind.NullKeyword || (typescript.isIdentifier(node) && node.text === 'undefined'))
      return { kind: 'none' };
    if (typescript.isStringLiteralLike(node) || typescript.isTemplateExpression(node))
      return { kind: 'text', text: literalText(node) };
    const leak = this.leak(node);
    if (leak)
      return typescript.isIdentifier(node) ? { kind: 'raw-error', leaked: leak } : { kind: 'text', leaked: leak };
    if (typescript.isObjectLiteralExpression(node)) return this.objectBody(node);
    if (typescript.isIdentifier(node)) {
      const binding = this.modules.lookup(node);
      if (binding?.kind === 'value') return this.body(binding.node, depth + 1);
      return { kind: 'unknown' };
    }
    if (typescript.isCallExpression(node)) {
      const name = typescript.isIdentifier(node.expression)
        ? node.expression.text
        : typescript.isPropertyAccessExpression(node.expression)
          ? node.expression.name.text
          : undefined;
      const fn = this.projectFunction(node.expression);
      if (fn && name) {
        const object = returnedExpressions(fn)
          .map((e) => unwrap(e))
          .find(typescript.isObjectLiteralExpression);
        if (object) return { ...this.objectBody(object), builtBy: name };
      }
      return { kind: 'unknown' };
    }
    if (typescript.isNewExpression(node) && typescript.isIdentifier(node.expression)) {
      const binding = this.modules.lookup(node.expression);
      if (binding?.kind === 'class')
        return { kind: 'object', properties: classFields(binding.node), builtBy: node.expression.text };
    }
    return { kind: 'unknown' };
  }

  private objectBody(object: ts.ObjectLiteralExpression): ErrorBody {
    const properties: string[] = [];
    const stringProperties: Record<string, string> = {};
    let nestedErrorProperties: string[] | undefined;
    let leaked: string | undefined;
    let hidden = false;
    for (const property of object.properties) {
      // `{statusCode, ...mapIssue(error)}`: properties archlint cannot list (a spread it does not resolve to an object).
      if (typescript.isSpreadAssignment(property)) {
        const spread = this.spreadObject(property.expression);
        if (spread) properties.push(...spread);
        else hidden = true;
        continue;
      }
      const name = property.name ? propertyName(property.name) : undefined;
      if (!name) continue;
      properties.push(name);
      const value = typescript.isPropertyAssignment(property)
        ? unwrap(property.initializer)
        : typescript.isShorthandPropertyAssignment(property)
          ? property.name
          : undefined;
      if (!value) continue;
      if (typescript.isStringLiteralLike(value) || typescript.isTemplateExpression(value))
        stringProperties[name] = literalText(value);
      leaked ??= this.leak(value);
      // `{error: {code, message}}`, and the list of error objects of GraphQL and JSON:API: `{errors: [{message, path}]}`.
      const nested =
        name === 'error' && typescript.isObjectLiteralExpression(value)
          ? value
          : name === 'errors' &&
              typescript.isArrayLiteralExpression(value) &&
              value.elements[0] &&
              typescript.isObjectLiteralExpression(unwrap(value.elements[0]))
            ? (unwrap(value.elements[0]) as ts.ObjectLiteralExpression)
            : undefined;
      if (nested) {
        nestedErrorProperties = nested.properties.flatMap((p) => {
          const n = p.name ? propertyName(p.name) : undefined;
          return n ? [n] : [];
        });
      }
    }
    // What the spread adds is not known: it may be the code and the message. A leak is still one.
    if (hidden && !leaked) return { kind: 'unknown' };
    return {
      kind: 'object',
      properties,
      stringProperties,
      ...(nestedErrorProperties ? { nestedErrorProperties } : {}),
      ...(leaked ? { leaked } : {}),
    };
  }

  /** The property names a spread adds, when it spreads an object literal (directly or through a constant). */
  private spreadObject(expression: ts.Expression): string[] | undefined {
    let node = unwrap(expression);
    if (typescript.isIdentifier(node)) {
      const binding = this.modules.lookup(node);
      if (binding?.kind !== 'value') return undefined;
      node = unwrap(binding.node);
    }
    if (!typescript.isObjectLiteralExpression(node)) return undefined;
    const names: string[] = [];
    for (const property of node.properties) {
      if (typescript.isSpreadAssignment(property)) return undefined;
      const name = property.name ? propertyName(property.name) : undefined;
      if (name) names.push(name);
    }
    return names;
  }

  /**
   * Whether, in the block that holds this site, an earlier `if (error instanceof ProjectError)` answers the
   * project's own errors, of a class that carries a code: the site is the handler's answer to everything else.
   */
  private afterCodedErrors(node: ts.Node): boolean {
    let child: ts.Node = node;
    for (let p: ts.Node | undefined = node.parent; p && !typescript.isSourceFile(p); child = p, p = p.parent) {
      if (typescript.isBlock(p)) {
        for (const statement of p.statements) {
          if (statement === child) break;
          if (typescript.isIfStatement(statement) && this.testsCodedClass(statement.expression)) return true;
        }
      }
      if (typescript.isFunctionLike(p)) break;
    }
    return false;
  }

  private testsCodedClass(condition: ts.Expression): boolean {
    const e = unwrap(condition);
    if (!typescript.isBinaryExpression(e)) return false;
    if (e.operatorToken.kind === typescript.SyntaxKind.BarBarToken)
      return this.testsCodedClass(e.left) || this.testsCodedClass(e.right);
    if (e.operatorToken.kind !== typescript.SyntaxKind.InstanceOfKeyword) return false;
    const right = unwrap(e.right);
    const binding = typescript.isIdentifier(right) ? this.modules.lookup(right) : undefined;
    return binding?.kind === 'class' && classCarriesCode(binding.node);
  }

  /**
   * A caught error passed into a response (see leakOf), unless the code has narrowed it to one of the
   * project's own error classes (`if (err instanceof WebhookUrlValidationError)`, or an early return when it
   * is not one): their messages are written for the client, not internals.
   */
  private leak(node: ts.Expression): string | undefined {
    const leaked = leakOf(node);
    if (!leaked) return undefined;
    const name = leaked.split(/[.(]/)[0]!;
    return this.narrowedToProjectError(node, name) ? undefined : leaked;
  }

  private narrowedToProjectError(node: ts.Node, name: string): boolean {
    const isProjectCheck = (condition: ts.Expression, negated: boolean): boolean => {
      const e = unwrap(condition);
      if (typescript.isPrefixUnaryExpression(e) && e.operator === typescript.SyntaxKind.ExclamationToken)
        return isProjectCheck(e.operand, !negated);
      if (typescript.isBinaryExpression(e)) {
        const op = e.operatorToken.kind;
        if (op === typescript.SyntaxKind.InstanceOfKeyword) {
          const left = unwrap(e.left);
          const right = unwrap(e.right);
          // A SyntaxError answered on purpose is the parser's word on the client's own malformed body.
          return (
            !negated &&
            typescript.isIdentifier(left) &&
            left.text === name &&
            typescript.isIdentifier(right) &&
            (right.text === 'SyntaxError' || this.modules.lookup(right)?.kind === 'class')
          );
        }
        // `a && b` holds both; `!(a || b)` neither: only the first narrows.
        if (op === typescript.SyntaxKind.AmpersandAmpersandToken && !negated)
          return isProjectCheck(e.left, false) || isProjectCheck(e.right, false);
      }
      return false;
    };
    let child: ts.Node = node;
    for (let p: ts.Node | undefined = node.parent; p && !typescript.isSourceFile(p); child = p, p = p.parent) {
      if (typescript.isIfStatement(p) && child === p.thenStatement && isProjectCheck(p.expression, false)) return true;
      if (typescript.isConditionalExpression(p) && child === p.whenTrue && isProjectCheck(p.condition, false))
        return true;
      // `if (!(err instanceof ProjectError)) return …;` earlier in the same block.
      if (typescript.isBlock(p)) {
        for (const statement of p.statements) {
          if (statement === child) break;
          if (
            typescript.isIfStatement(statement) &&
            !statement.elseStatement &&
            exits(statement.thenStatement) &&
            isProjectCheck(statement.expression, true)
          )
            return true;
        }
      }
      if (typescript.isFunctionLike(p)) break;
    }
    return false;
  }

  private projectFunction(callee: ts.Expression): ts.FunctionLikeDeclaration | undefined {
    const node = unwrap(callee);
    if (!typescript.isIdentifier(node)) return undefined;
    const binding = this.modules.lookup(node);
    if (binding?.kind === 'function') return binding.node;
    if (binding?.kind === 'value') {
      const value = unwrap(binding.node);
      if (typescript.isArrowFunction(value) || typescript.isFunctionExpression(value)) return value;
    }
    return undefined;
  }
}

/** A statement that leaves the block: `return …`, `throw …`, or a block ending in one. */
function exits(statement: ts.Statement): boolean {
  if (typescript.isReturnStatement(statement) || typescript.isThrowStatement(statement)) return true;
  return (
    typescript.isBlock(statement) &&
    statement.statements.length > 0 &&
    exits(statement.statements[statement.statements.length - 1]!)
  );
}

/** `{ status: 500 }` (a ResponseInit). */
function initStatus(expression: ts.Expression | undefined): number | undefined {
  const node = expression ? unwrap(expression) : undefined;
  if (!node || !typescript.isObjectLiteralExpression(node)) return undefined;
  return literalStatus(findProperty(node, 'status'));
}

function literalText(node: ts.StringLiteralLike | ts.TemplateExpression): string {
  if (typescript.isStringLiteralLike(node)) return node.text;
  return (
    node.head.text + node.templateSpans.map((span) => `\${${span.expression.getText()}}${span.literal.text}`).join('')
  );
}

/** A caught error (or its message / stack) passed into a response: the expression, or undefined. */
function leakOf(node: ts.Expression): string | undefined {
  const target = unwrap(node);
  if (typescript.isIdentifier(target) && ERROR_NAME.test(target.text) && isErrorVariable(target)) return target.text;
  if (typescript.isPropertyAccessExpression(target) && ['message', 'stack'].includes(target.name.text)) {
    const base = unwrap(target.expression);
    if (typescript.isIdentifier(base) && ERROR_NAME.test(base.text) && isErrorVariable(base)) return target.getText();
  }
  if (
    typescript.isCallExpression(target) &&
    typescript.isPropertyAccessExpression(target.expression) &&
    target.expression.name.text === 'toString'
  ) {
    return leakOf(target.expression.expression) ? target.getText() : undefined;
  }
  return undefined;
}

/** A catch clause variable, or an error-handler / callback parameter named like one. */
function isErrorVariable(id: ts.Identifier): boolean {
  for (let p: ts.Node | undefined = id.parent; p; p = p.parent) {
    if (
      typescript.isCatchClause(p) &&
      p.variableDeclaration &&
      typescript.isIdentifier(p.variableDeclaration.name) &&
      p.variableDeclaration.name.text === id.text
    )
      return true;
    if (
      typescript.isFunctionLike(p) &&
      p.parameters.some((param) => typescript.isIdentifier(param.name) && param.name.text === id.text)
    )
      return true;
  }
  return false;
}

function assignment(
  statement: ts.Statement,
  property: string,
): (ts.BinaryExpression & { left: ts.PropertyAccessExpression }) | undefined {
  if (!typescript.isExpressionStatement(statement)) return undefined;
  const e = statement.expression;
  if (!typescript.isBinaryExpression(e) || e.operatorToken.kind !== typescript.SyntaxKind.EqualsToken) return undefined;
  if (!typescript.isPropertyAccessExpression(e.left) || e.left.name.text !== property) return undefined;
  return e as ts.BinaryExpression & { left: ts.PropertyAccessExpression };
}

function calleeLabel(callee: ts.PropertyAccessExpression): string {
  return `${callee.expression.getText()}.${callee.name.text}`;
}

/** Fields of a class: declared properties, constructor parameter properties, `this.x =` assignments. */
function classFields(cls: ts.ClassLikeDeclaration): string[] {
  const out = new Set<string>();
  for (const member of cls.members) {
    if (typescript.isPropertyDeclaration(member) && member.name) {
      const name = propertyName(member.name);
      if (name) out.add(name);
    }
    if (typescript.isConstructorDeclaration(member)) {
      for (const param of member.parameters)
        if (param.modifiers?.length && typescript.isIdentifier(param.name)) out.add(param.name.text);
      member.body?.forEachChild(function visit(node): void {
        if (
          typescript.isBinaryExpression(node) &&
          typescript.isPropertyAccessExpression(node.left) &&
          node.left.expression.kind === typescript.SyntaxKind.ThisKeyword
        )
          out.add(node.left.name.text);
        node.forEachChild(visit);
      });
    }
  }
  return [...out];
}

function classCarriesCode(cls: ts.ClassLikeDeclaration): boolean {
  if (classFields(cls).some((f) => /^(code|errorCode|error_code|type)$/.test(f))) return true;
  // super({ code: 'X', message }) / super({ error: { code } }, 400)
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (typescript.isCallExpression(node) && node.expression.kind === typescript.SyntaxKind.SuperKeyword) {
      found = node.arguments.some((a) => /\bcode\b|error_code|errorCode/.test(a.getText()));
    }
    typescript.forEachChild(node, visit);
  };
  for (const member of cls.members) if (typescript.isConstructorDeclaration(member) && member.body) visit(member.body);
  return found;
}

/**
 * Whether a thrown exception is caught on its way out and not thrown on: `throw new ConflictException(e)`
 * inside a `try` (of its own function, or of the function that awaits the call it is a callback of —
 * `try { await prisma.$transaction(async (tx) => { … throw … }) } catch { return E.left(CODE) }`) whose
 * `catch` throws nothing. Such an exception only aborts work; the framework never answers with it.
 */
function caughtLocally(node: ts.Node): boolean {
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
function inCentralErrorHandler(node: ts.Node): boolean {
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
