/**
 * What the middleware in front of a route says about it: auth guards and public opt-outs, rate
 * limiters, middleware that cannot be followed, webhook-signature checks, paging middleware and
 * cron-secret checks; and what a registered handler that is a package's request handler is.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { CodeFile } from '../code/index.js';
import type { RouteDecl, RouterNode } from './graph.js';
import { HandlerAnswers } from './handler-answers.js';
import { HandlerRoles } from './handler-roles.js';
import { MiddlewareClassifier, type MiddlewareInfo } from './middleware.js';
import type { Modules } from './modules.js';
import { spreadArray } from './route-args.js';
import type { Evaluator, StringValue } from './values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** A middleware named for paging: `koaPagination`, `paginate`, `withPagination`, `paginationMiddleware`. */
const PAGING_MIDDLEWARE = /^[\w.]*paginat\w*$/i;

export class RouteMiddleware {
  readonly classifier: MiddlewareClassifier;
  readonly handlerRoles: HandlerRoles;
  readonly answers: HandlerAnswers;

  constructor(modules: Modules, evaluator: Evaluator, functionsOf: (e: ts.Expression) => ts.FunctionLikeDeclaration[]) {
    this.classifier = new MiddlewareClassifier(modules, evaluator, functionsOf);
    this.handlerRoles = new HandlerRoles(modules, evaluator, functionsOf);
    this.answers = new HandlerAnswers(functionsOf, (e) => {
      const value = evaluator.string(e);
      return value?.exact ? value.value : undefined;
    });
  }

  /** Records middleware on a node: ordered by where it is registered, unless `ordered` is false (Fastify hooks cover the whole context). */
  add(receiver: RouterNode, arg: ts.Expression, scopes: StringValue[], file: CodeFile, ordered = true): void {
    const scheduled = this.answers.middlewareScheduled(arg);
    const sharedSecret = this.answers.middlewareSecret(arg);
    for (const info of this.classifier.classify(arg)) {
      this.noteLimiter(receiver, info);
      // Optional auth lets anonymous requests through: it protects nothing.
      const kind = info.optional ? 'other' : info.kind;
      for (const scope of scopes) {
        receiver.middleware.push({
          label: info.label,
          kind,
          scope,
          file: file.path,
          ...(ordered ? { order: arg.getStart() } : {}),
          ...(scheduled ? { scheduled } : {}),
          ...(sharedSecret ? { sharedSecret } : {}),
        });
      }
    }
  }

  private noteLimiter(receiver: RouterNode, info: MiddlewareInfo): void {
    if (info.kind === 'rate-limit') receiver.rateLimiters.add(info.package ?? info.label);
  }

  /** The auth middleware in a route's own list (rate limiters there count for the node); optional auth marks the route public. */
  guards(
    receiver: RouterNode,
    middle: readonly ts.Expression[],
  ): Pick<RouteDecl, 'guards' | 'optOut' | 'unknownMiddleware'> {
    const guards: string[] = [];
    let optOut: string | undefined;
    let unknown = false;
    let limiter: string | undefined;
    for (const arg of middle) {
      for (const info of this.classifier.classify(arg)) {
        this.noteLimiter(receiver, info);
        if (info.kind === 'rate-limit') limiter ??= info.label;
        if (info.kind === 'auth' && info.optional) optOut ??= info.label;
        else if (info.kind === 'auth') guards.push(info.label);
        else if (info.kind === 'unknown') unknown = true;
      }
    }
    // A rate limiter of its own and no auth: whoever wrote the route guarded it against anonymous abuse, so it
    // is public on purpose (anonymous telemetry, a public catalog), like an explicit opt-out.
    if (guards.length === 0 && !optOut && limiter) optOut = limiter;
    return {
      ...(guards.length > 0 ? { guards } : {}),
      ...(optOut ? { optOut } : {}),
      ...(unknown ? { unknownMiddleware: true } : {}),
    };
  }

  /** Webhook-signature middleware in a route's own list, and a handler that is a package's request handler. */
  roles(
    middle: readonly ts.Expression[],
    handler: ts.Expression | undefined,
  ): Pick<
    RouteDecl,
    'signatureMiddleware' | 'delegatesTo' | 'pagingMiddleware' | 'scheduledMiddleware' | 'secretMiddleware'
  > {
    const own = middle.flatMap((m) => spreadArray(m));
    const signature = own.some((m) => this.handlerRoles.middlewareVerifies(m));
    const delegatesTo = handler ? this.handlerRoles.delegatesToExpression(handler) : undefined;
    // `router.get('/roles', koaPagination(), …)`: a middleware named for paging reads the page parameters and
    // sets the paging headers for the handler.
    const paging = own
      .map((m) => (typescript.isCallExpression(m) ? m.expression : m))
      .find((m) => PAGING_MIDDLEWARE.test(m.getText()));
    const scheduled = own.some((m) => this.answers.middlewareScheduled(m));
    const secret = own.map((m) => this.answers.middlewareSecret(m)).find((name) => name !== undefined);
    return {
      ...(signature ? { signatureMiddleware: true } : {}),
      ...(delegatesTo ? { delegatesTo } : {}),
      ...(paging ? { pagingMiddleware: paging.getText() } : {}),
      ...(scheduled ? { scheduledMiddleware: true } : {}),
      ...(secret ? { secretMiddleware: secret } : {}),
    };
  }
}
