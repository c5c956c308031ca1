/**
 * Error sites: every place a service sends an error status or throws an HTTP exception, in the
 * six frameworks, with what the body carries (see ErrorBody). The input describes; the rule
 * (api/structured-errors) judges. Bodies built by a project helper are followed into the helper,
 * so `res.status(400).json(apiError('BAD_INPUT', '…'))` is seen as `{ error: { code, message } }`.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { ErrorBody, ErrorSite } from '../../model/code-http.js';
import type { CodeFile } from '../code/index.js';
import type { Modules } from './modules.js';
import type { HttpExceptions } from './frameworks/adapter.js';
import { ERROR_HELPERS as FRAMEWORK_ERROR_HELPERS, HTTP_EXCEPTIONS } from './frameworks/index.js';
import { origin } from './origins.js';
import { secretCheckedIn } from './shared-secret.js';
import { nonJsonAnswerOf } from './plain-answers.js';
import { mcpAnswerOf } from './mcp-answers.js';
import { ErrorBodies } from './error-bodies.js';
import { literalStatus } from './route-args.js';
import { type Evaluator, findProperty, unwrap } from './values.js';
import {
  caughtClasses,
  caughtLocally,
  switchesOnMessage,
  enclosingCatchFilter,
  inSignatureCheck,
  exits,
  inCentralErrorHandler,
  unregisteredFilter,
} from './error-flow.js';
import { assignment, calleeLabel, classCarriesCode, initStatus, leakOf } from './error-values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** Packages of `createError`-style helpers: http-errors (Express, Koa), and the frameworks' own. */
const ERROR_HELPERS = new Set(['http-errors', ...FRAMEWORK_ERROR_HELPERS]);
/**
 * Error classes, a project's or a library's, whose message is written for the client that sent the request:
 * validation errors (`ValidationError` of apollo-server, joi, class-validator…), multer's upload limits, GraphQL's
 * user-input errors. `if (error instanceof ValidationError) return res.status(400).send({ error: error.message })`
 * answers the client's own mistake; nothing internal leaks.
 */
const CLIENT_ERROR_CLASS = /^(\w*ValidationError|MulterError|UserInputError|BadRequestError)$/;

/** What a Koa handler sets a status on: its context (`ctx`, `context`, Koa 1's `this`), or the context's response. */
const KOA_CONTEXT = /^(this|ctx|\w*context)(\.response)?$/i;

const TOO_MANY_REQUESTS = 429;

/**
 * A cheap filter: files that cannot contain an error site are not walked. A 429 counts only as an argument of a `new`
 * (constructTooManyRequests): any mention of the number (status tables, fixtures' data) made files be parsed for nothing,
 * +55 MB peak on the speed corpus.
 */
const MAY_HAVE_ERRORS =
  /\.(status|code|sendStatus|throw|text|json)\s*\(|Exception|new\s+(Next)?Response|createError|\.status\s*=|\bnew\s+[\w$.]+\s*\([^;]{0,300}?\b429\b/;

export class ErrorSites {
  private readonly sites: ErrorSite[] = [];
  private files: readonly CodeFile[] = [];
  /** Exception filters no code registers (see unregisteredFilter): what they send reaches no client. */
  private readonly deadFilters = new Map<ts.ClassDeclaration, boolean>();
  /** What the bodies of error responses carry. */
  private readonly bodies: ErrorBodies;

  constructor(
    private readonly modules: Modules,
    private readonly evaluator: Evaluator,
    private readonly verifiesSignature: (fn: ts.FunctionLikeDeclaration) => boolean = () => false,
  ) {
    this.bodies = new ErrorBodies(modules, (node) => this.leak(node));
  }

  collect(files: readonly CodeFile[]): ErrorSite[] {
    this.files = files;
    for (const file of files) {
      if (!MAY_HAVE_ERRORS.test(file.text.content)) continue;
      const visit = (node: ts.Node): void => {
        if (typescript.isCallExpression(node)) this.call(file, node);
        else if (typescript.isNewExpression(node)) this.construct(file, node);
        else if (typescript.isBlock(node) || typescript.isSourceFile(node) || typescript.isCaseClause(node))
          this.koaStatus(file, node.statements);
        typescript.forEachChild(node, visit);
      };
      visit(file.tree);
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
    const filter = enclosingCatchFilter(at);
    if (filter) {
      let dead = this.deadFilters.get(filter);
      if (dead === undefined) this.deadFilters.set(filter, (dead = unregisteredFilter(filter, this.files)));
      if (dead) return;
    }
    const central = inCentralErrorHandler(at);
    const caught = exception !== undefined && caughtLocally(at);
    const fallback = central && this.afterCodedErrors(at);
    // A thrown exception goes through the framework's error handling; a response object answers where it is used.
    const nonJson =
      exception === undefined ? nonJsonAnswerOf(at, (callee) => this.bodies.projectFunction(callee)) : undefined;
    const mcp = mcpAnswerOf(at);
    this.sites.push({
      via,
      ...(status !== undefined ? { status } : {}),
      body,
      ...(exception ? { exception } : {}),
      ...(central ? { centralHandler: true } : {}),
      ...(caught ? { caughtLocally: true } : {}),
      ...(fallback ? { afterCodedErrors: true } : {}),
      ...(inSignatureCheck(at, this.verifiesSignature) ? { answersWebhookSender: true } : {}),
      ...(inSignatureCheck(at, (fn) => secretCheckedIn(fn) !== undefined) ? { answersSecretHolder: true } : {}),
      ...(nonJson ? { nonJsonAnswer: nonJson } : {}),
      ...(mcp ? { answersMcpClient: mcp } : {}),
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
              name === 'end' && !call.arguments[0] ? { kind: 'none' as const } : this.bodies.of(call.arguments[0]);
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
          this.add(file, call, `${calleeLabel(callee)}`, status, this.bodies.of(call.arguments[0]));
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
          message ? this.bodies.of(message) : { kind: 'none' },
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
        this.add(file, call, 'createError', status, message ? this.bodies.of(message) : { kind: 'none' }, {
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
          message ? this.bodies.of(message) : unknownBody ? { kind: 'unknown' } : { kind: 'none' },
          { className, framework: true, carriesCode: false },
        );
        return;
      }
      if (family.exclusive) return;
    }
    // fetch API: new Response('Error', { status: 500 }), new NextResponse(null, { status: 404 })
    if (typescript.isIdentifier(callee) && /^(Next)?Response$/.test(callee.text) && args[1]) {
      const status = initStatus(args[1]);
      if (status !== undefined && status >= 400)
        this.add(file, node, `new ${callee.text}`, status, this.bodies.of(args[0]));
      return;
    }
    // A project exception class built on a framework one: class OrderNotFound extends NotFoundException.
    if (typescript.isIdentifier(callee)) {
      const binding = this.modules.lookup(callee);
      if (binding?.kind !== 'class') {
        this.constructTooManyRequests(file, node, callee.text, args);
        return;
      }
      const base = this.frameworkBase(binding.node, 0);
      if (!base) {
        this.constructTooManyRequests(file, node, callee.text, args);
        return;
      }
      const messageArg = args.find(
        (a) => typescript.isStringLiteralLike(unwrap(a)) || typescript.isTemplateExpression(unwrap(a)),
      );
      this.add(
        file,
        node,
        `new ${callee.text}`,
        base.family.statuses[base.className],
        messageArg ? this.bodies.of(messageArg) : { kind: 'unknown' },
        {
          className: callee.text,
          framework: false,
          carriesCode: classCarriesCode(binding.node),
        },
      );
    }
  }

  /**
   * `throw new RequestError({ code: 'rate_limited', status: 429 })`, `throw new RateLimitError(429, body)`: an error of
   * a class archlint does not follow (imported from a package, or not a framework exception), thrown with the literal
   * 429 as an argument or as the `status`/`statusCode` of its options. 429 is a limiter's answer whatever class
   * carries it, so the site is kept with that status; other literal numbers passed to an unknown class are not
   * guessed to be statuses.
   */
  private constructTooManyRequests(
    file: CodeFile,
    node: ts.NewExpression,
    className: string,
    args: readonly ts.Expression[],
  ): void {
    if (!typescript.isThrowStatement(node.parent)) return;
    const carries429 = args.some((arg) => {
      const value = unwrap(arg);
      if (typescript.isNumericLiteral(value)) return value.text === '429';
      if (!typescript.isObjectLiteralExpression(value)) return false;
      return ['status', 'statusCode'].some((key) => literalStatus(findProperty(value, key)) === TOO_MANY_REQUESTS);
    });
    if (carries429)
      this.add(
        file,
        node,
        `new ${className}`,
        TOO_MANY_REQUESTS,
        { kind: 'unknown' },
        {
          className,
          framework: false,
          carriesCode: false,
        },
      );
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
      // The response's status is set on the context (`ctx.status`, `this.status`): `connection.status = 500` is a field.
      if (!KOA_CONTEXT.test(target)) return;
      const next = statements
        .slice(index + 1)
        .map((s) => assignment(s, 'body'))
        .find((a) => a && a.left.expression.getText() === target);
      if (next) this.add(file, next, `${target}.body =`, code, this.bodies.of(next.right));
      else this.add(file, status, `${target}.status =`, code, { kind: 'none' });
    });
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
    // `(error as Error).message` names `error`.
    const name = /\w+/.exec(leaked)?.[0] ?? '';
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
            (right.text === 'SyntaxError' ||
              CLIENT_ERROR_CLASS.test(right.text) ||
              this.modules.lookup(right)?.kind === 'class')
          );
        }
        // `error.message === 'Conversation not found'`: the text sent is one the project wrote and named here.
        if (
          !negated &&
          (op === typescript.SyntaxKind.EqualsEqualsEqualsToken || op === typescript.SyntaxKind.EqualsEqualsToken) &&
          ((isMessageOf(e.left, name) && typescript.isStringLiteralLike(unwrap(e.right))) ||
            (isMessageOf(e.right, name) && typescript.isStringLiteralLike(unwrap(e.left))))
        )
          return true;
        // `a && b` holds both; `!(a || b)` neither: only the first narrows.
        if (op === typescript.SyntaxKind.AmpersandAmpersandToken && !negated)
          return isProjectCheck(e.left, false) || isProjectCheck(e.right, false);
      }
      // `error.message.startsWith('Content cannot be')`: only messages the project wrote pass.
      if (
        !negated &&
        typescript.isCallExpression(e) &&
        typescript.isPropertyAccessExpression(e.expression) &&
        /^(startsWith|endsWith|includes)$/.test(e.expression.name.text) &&
        isMessageOf(e.expression.expression, name) &&
        e.arguments[0] !== undefined &&
        typescript.isStringLiteralLike(unwrap(e.arguments[0])) &&
        (unwrap(e.arguments[0]) as ts.StringLiteral).text.trim().length > 0
      )
        return true;
      return false;
    };
    let child: ts.Node = node;
    for (let p: ts.Node | undefined = node.parent; p && !typescript.isSourceFile(p); child = p, p = p.parent) {
      if (typescript.isIfStatement(p) && child === p.thenStatement && isProjectCheck(p.expression, false)) return true;
      if (typescript.isConditionalExpression(p) && child === p.whenTrue && isProjectCheck(p.condition, false))
        return true;
      // `switch (error.message) { case LIMIT_FILE_SIZE: … }`: the message is one the code names, not an unknown text.
      if (typescript.isCaseClause(p) && switchesOnMessage(p.parent.parent, name)) return true;
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
      // A Nest filter's `catch(exception)` under `@Catch(ProjectError)` is given only the project's own errors.
      const caught = typescript.isFunctionLike(p) ? caughtClasses(p, name) : [];
      if (
        caught.length > 0 &&
        caught.every((c) => typescript.isIdentifier(c) && this.modules.lookup(c)?.kind === 'class')
      )
        return true;
      if (typescript.isFunctionLike(p)) break;
    }
    return false;
  }
}

/** `error.message` (also `(error as Error).message`) of the caught error named `name`. */
function isMessageOf(expression: ts.Expression, name: string): boolean {
  const node = unwrap(expression);
  if (!typescript.isPropertyAccessExpression(node) || node.name.text !== 'message') return false;
  const owner = unwrap(node.expression);
  return typescript.isIdentifier(owner) && owner.text === name;
}
