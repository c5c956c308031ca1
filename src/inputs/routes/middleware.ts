/**
 * What a piece of middleware does, as far as the code says: authenticate (api/authenticated-operations
 * needs the guards in front of each route), limit request rates (api/rate-limit-responses), or
 * something else. Decided by the package it comes from, else by its name, else by what a project
 * function's body calls (`jwt.verify`, `request.jwtVerify()`, `res.status(401)`; `res.status(429)` for a limiter).
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { Modules } from './modules.js';
import { packageName, textOf, unwrap, type Evaluator } from './values.js';
import { AUTH_MODULES } from './frameworks/index.js';
import { publicFlag } from './public-flags.js';
import { capabilityCheck } from './capability-checks.js';
import { testsOptionalIdentity } from './optional-identity.js';
import { AUTH_PACKAGES, RATE_LIMIT_PACKAGES } from './middleware-packages.js';
import { forwardsRequest, passesRequestOn } from './request-forwarding.js';
import {
  answeredStatus,
  answersTooManyRequests,
  isErrorHandler,
  labelOf,
  lastName,
  readsCredentialHeader,
  redirectsToSignIn,
  requestCalls,
} from './middleware-calls.js';

export { AUTH_PACKAGES, INBOUND_RATE_LIMIT_PACKAGES, RATE_LIMIT_PACKAGES } from './middleware-packages.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

export interface MiddlewareInfo {
  /** As written, shortened: `requireAuth`, `passport.authenticate('jwt', …)`. */
  label: string;
  /** unknown: a project value the input cannot follow (a parameter, a config property…): it may authenticate. */
  kind: 'auth' | 'rate-limit' | 'other' | 'unknown';
  /** The package it comes from, when it does (`express-rate-limit`). */
  package?: string;
  /**
   * Auth that lets anonymous requests through (`auth.optional`), or lets them in by the object's own key sent in the
   * URL or body (a capability check): a public route, not a protected one.
   */
  optional?: boolean;
}

/** A name that says it authenticates (requireAuth, isLoggedIn, JwtAuthGuard, protect, verifyToken…). */
const AUTH_NAME =
  /auth|jwt|guard|protect|session|token|login|logged_?in|signed_?in|passport|bearer|api_?key|permission|requireUser|currentUser|requireRole|acl\b/i;
/**
 * …unless it says it does something else: a limiter, CSRF or CORS, or counts a language model's tokens
 * (`getMaxTokenParam`, `maxTokens`, `countTokens`, `tokenizer`), which are no credential.
 */
const NOT_AUTH_NAME =
  /throttl|rate_?limit|limiter|csrf|xsrf|cors|max_?tokens?|tokens?_?(count|limit|usage|param|budget)|count_?tokens|tokeniz|(prompt|completion|output|input)_?tokens/i;
/** A guard that tells people from bots (`CaptchaGuard`, `TurnstileGuard`): it limits anonymous callers, it authenticates no one. */
const ANTI_ABUSE_NAME = /captcha|turnstile/i;
const OPTIONAL = /optional/i;
/** The headers a rate limiter answers with (`X-RateLimit-Remaining`, IETF `RateLimit-Limit`, `RateLimit-Policy`). */
const RATE_LIMIT_HEADER = /^(x-)?rate-?limit(-[a-z]+)?$/i;
const ERROR_HANDLER_NAME = /error_?handler|handle_?errors?$|exception_?(handler|filter)|^on_?error$|error_?middleware/i;
const VERIFIES_CREDENTIAL =
  /^(verify|validate|check|authenticate)\w*(signature|token|jwt|session|api_?key|credentials?)$/i;
/** Names of middleware that is plainly something else, even when its value cannot be followed. */
const NOT_AUTH_HINT =
  /log|cors|json|body|pars|compress|helmet|error|static|trac|metric|request_?id|context|cookie|i18n|locale|header|cache|timeout|sentry|swagger|docs|schema|valid|csrf|xsrf|throttl|limit|etag|favicon|morgan|pino|security|not_?found|fallback|proxy|upload|multer|version|tenant|db|database|prisma|redis/i;
/** An error that refuses a request for its credentials (`Unauthorized`, `AccessDenied`, `InvalidJwt`, `Forbidden`). */
const DENIAL =
  /unauthori[sz]ed|unauthenticated|access_?denied|forbidden|invalid_?(jwt|token|api_?key|credentials?|session)|not_?authenticated/i;
/** Globals of the language and runtime a request may be handed to (`JSON.stringify(req)`): not an auth check. */
const BUILT_IN =
  /^(String|Number|Boolean|JSON|Object|Array|Promise|console|Reflect|Math|Date|structuredClone|encodeURI\w*|decodeURI\w*)$/;
/** An error or answer that refuses the caller access (`ForbiddenException`, `forbidden()`, `AccessDenied`). */
const FORBIDDEN = /forbidden|access_?denied/i;
const RATE_LIMIT_NAME = /rate_?limit|throttl|limiter|slow_?down/i;
/** Calls in a body that issue or end credentials, not check them (`jwt.sign`, `authService.login`). */
const ISSUING =
  /sign(?!ed_?in)|login|logout|register|create|issue|generate|refresh|hash|encode|set|clear|destroy|revoke/i;

export class MiddlewareClassifier {
  private readonly bodies = new Map<ts.Node, BodyEvidence>();
  private readonly followedBodies = new Map<ts.Node, BodyEvidence>();
  private readonly handedAuth = new Map<ts.Node, string | null>();

  constructor(
    private readonly modules: Modules,
    private readonly evaluator: Evaluator,
    /** Project functions an expression can call (the router extractor's resolution). */
    private readonly functionsOf: (expression: ts.Expression) => ts.FunctionLikeDeclaration[],
  ) {}

  /** Every middleware an argument holds (arrays and spreads are flattened). */
  classify(expression: ts.Expression, depth = 0): MiddlewareInfo[] {
    if (depth > 5) return [];
    const node = typescript.isSpreadElement(expression) ? unwrap(expression.expression) : unwrap(expression);
    const value = this.evaluator.valueOf(node);
    if (typescript.isArrayLiteralExpression(value)) return value.elements.flatMap((e) => this.classify(e, depth + 1));
    const pkg =
      typescript.isArrowFunction(node) || typescript.isFunctionExpression(node) ? undefined : this.packageOf(node);
    const label = labelOf(node);
    const kind = this.kindOf(node, value);
    // A project middleware that lets the caller in by the object's own key from the URL or body (an edit key, a
    // share token) authorises by capability: like optional auth, the routes behind it are public on purpose.
    const byCapability = kind === 'auth' && !pkg && this.checksCapability(node, value);
    return [
      {
        label,
        kind,
        ...(pkg ? { package: pkg } : {}),
        ...(kind === 'auth' && (OPTIONAL.test(label) || byCapability) ? { optional: true } : {}),
      },
    ];
  }

  /** A project middleware (named, or written inline) whose body makes a capability check (capability-checks.ts). */
  private checksCapability(node: ts.Expression, value: ts.Expression): boolean {
    const fns = typescript.isCallExpression(node) ? [] : this.functionsOf(node);
    if (typescript.isArrowFunction(value) || typescript.isFunctionExpression(value)) fns.push(value);
    return fns.some((fn) => capabilityCheck(fn, this.functionsOf) !== undefined);
  }

  /** A Nest guard (`AuthGuard('jwt')`, `JwtAuthGuard`, `new RolesGuard(reflector)`): auth unless it throttles. */
  guardKind(expression: ts.Expression): MiddlewareInfo['kind'] {
    const node = unwrap(expression);
    const callee = typescript.isCallExpression(node) || typescript.isNewExpression(node) ? node.expression : node;
    const ref = this.evaluator.externalRef(callee);
    if (ref && RATE_LIMIT_PACKAGES.has(packageName(ref.module))) return 'rate-limit';
    // A captcha guard keeps bots off a public route, as a throttler does: the route is public on purpose.
    return RATE_LIMIT_NAME.test(callee.getText()) || ANTI_ABUSE_NAME.test(callee.getText()) ? 'rate-limit' : 'auth';
  }

  /** The package a middleware or guard expression comes from, when it comes from one. */
  packageOf(expression: ts.Expression): string | undefined {
    const node = unwrap(expression);
    const value = this.evaluator.valueOf(node);
    for (const candidate of [node, value]) {
      const target =
        typescript.isCallExpression(candidate) || typescript.isNewExpression(candidate)
          ? candidate.expression
          : candidate;
      const ref = this.evaluator.externalRef(target);
      if (ref) return packageName(ref.module);
    }
    return undefined;
  }

  /** The call in a request handler's body that checks credentials (Next.js handlers check the session themselves). */
  handlerAuthCheck(fn: ts.FunctionLikeDeclaration, strict = false): string | undefined {
    return this.handlerAuth(fn, strict).guard;
  }

  /** A registered route's handler, strictly read; none found (`...createRoute({ handler })` of a factory): not known. */
  routeAuth(fn: ts.FunctionLikeDeclaration | undefined): { guard?: string; optOut?: string; unknown?: true } {
    return fn ? this.handlerAuth(fn, true) : { unknown: true };
  }

  /**
   * What a handler shows about auth: a check in its body, or in a project helper it hands the request to
   * (`const { auth, error } = await parseRequest(request, schema)` → `checkAuth(request)` in the helper, and
   * the helpers that helper hands the request on to, a level further);
   * `optOut` when it asks that helper to skip auth on purpose (`parseRequest(request, schema, { skipAuth: true })`),
   * or limits anonymous callers itself (answers 429 per client: a public route guarded against abuse).
   * `unknown` when it hands the request to a function archlint cannot resolve (a handler looked up in a table,
   * an injected callback): that function may be the auth check, so the route's auth is not known.
   */
  handlerAuth(fn: ts.FunctionLikeDeclaration, strict = false): { guard?: string; optOut?: string; unknown?: true } {
    const evidence = this.bodyKind(fn, false, strict);
    // The caller is let in by the object's own secret from the URL or body (an edit key, a share token): authorised
    // by capability, public on purpose. A 401 it answers for a wrong key is that check, not a login it requires.
    const capability = capabilityCheck(fn, this.functionsOf);
    const byCapability = capability ? { optOut: `capability check (${capability})` } : undefined;
    if (evidence.kind === 'auth')
      return byCapability && evidence.call!.startsWith('401 from the handler')
        ? byCapability
        : { guard: evidence.call! };
    let guard: string | undefined;
    let optOut: string | undefined;
    // It answers 403 itself (or a helper it hands the request to does, below): an access check archlint cannot read.
    let unknown = evidence.kind === 'unknown';
    let credential = this.readsCredential(fn, 1);
    const seen = new Set<ts.FunctionLikeDeclaration>([fn]);
    const follow = (current: ts.FunctionLikeDeclaration, depth: number, prefix: string): void => {
      for (const { call, helpers, passesFirst } of requestCalls(current, this.functionsOf)) {
        if (guard || optOut) return;
        const flag = call.arguments.map((a) => publicFlag(unwrap(a))).find((f) => f !== undefined);
        if (flag && helpers.length > 0) {
          optOut = `${textOf(call.expression)}({ ${flag} })`;
          return;
        }
        if (helpers.length === 0) {
          // Only the request itself (the first parameter) can carry credentials: `send(res, data)` checks nothing.
          if (passesFirst && this.handsToUnknown(call)) unknown = true;
          continue;
        }
        for (const helper of helpers) {
          if (seen.has(helper)) continue;
          seen.add(helper);
          const inner = this.bodyKind(helper, false, strict);
          const label = `${prefix}${textOf(call.expression)}()`;
          if (readsCredentialHeader(helper)) credential = true;
          if (inner.kind === 'auth') {
            guard = `${label} → ${inner.call}`;
            return;
          }
          if (inner.kind === 'unknown') unknown = true;
          if (depth < 2) follow(helper, depth + 1, `${label} → `);
          if (guard) return;
        }
      }
    };
    follow(fn, 1, '');
    if (guard) return { guard };
    if (optOut) return { optOut };
    if (byCapability) return byCapability;
    // It forwards the caller's credentials to another server (a reverse proxy), or passes the request on to what is
    // registered after it (`next()`): the check, if any, is made where archlint does not look.
    if (forwardsRequest(fn) || passesRequestOn(fn)) return { unknown: true };
    // It (or a helper it hands the request to) reads the caller's credential header (`req.headers.authorization`, an
    // `x-api-key`) and checks it in code archlint does not follow (an AI gateway resolving the bearer key): not known.
    if (unknown || credential) return { unknown: true };
    // It asks whether the caller is signed in and answers either way (`isLoggedIn: Boolean(req.user)`): optional
    // authentication written in the handler, a route for anonymous and signed-in callers alike.
    const optional = testsOptionalIdentity(fn);
    if (optional) return { optOut: `optional sign-in (${optional})` };
    const limit = answersTooManyRequests(fn);
    return limit ? { optOut: limit } : {};
  }

  /**
   * The handler, or a project function it hands its request to anywhere in its body (a callback too:
   * `executeAttempt: () => gatewayHandler(req, res)`), a level or two down, reads the caller's credential header.
   */
  private readsCredential(fn: ts.FunctionLikeDeclaration, depth: number): boolean {
    if (readsCredentialHeader(fn)) return true;
    const request =
      fn.parameters[0] && typescript.isIdentifier(fn.parameters[0].name) ? fn.parameters[0].name.text : '';
    if (depth > 2 || request === '' || !fn.body) return false;
    let found = false;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (
        typescript.isCallExpression(node) &&
        node.arguments.some((a) => typescript.isIdentifier(unwrap(a)) && (unwrap(a) as ts.Identifier).text === request)
      ) {
        for (const target of this.functionsOf(node.expression))
          if (target !== fn && this.readsCredential(target, depth + 1)) found = true;
      }
      typescript.forEachChild(node, visit);
    };
    visit(fn.body);
    return found;
  }

  /**
   * The auth check in the project functions a wrapper calls or passes on (`withMiddleware(handler,
   * authMiddleware)`), followed up to two levels down. Only plain evidence counts there (a 401/403 answer
   * outside a `catch`, a denial error, an auth package's check), not a name that mentions a token.
   */
  private handsToAuth(fn: ts.FunctionLikeDeclaration, depth: number): string | undefined {
    const memo = depth === 1 ? this.handedAuth.get(fn) : undefined;
    if (memo !== undefined) return memo ?? undefined;
    let found: string | undefined;
    for (const target of this.handedFunctions(fn)) {
      const evidence = this.bodyKind(target, true, true, true);
      if (evidence.kind === 'auth') found = evidence.call;
      else if (depth < 2) found = this.handsToAuth(target, depth + 1);
      if (found) break;
    }
    if (depth === 1) this.handedAuth.set(fn, found ?? null);
    return found;
  }

  /** Project functions a body calls or passes as an argument (outside `catch` clauses). */
  private handedFunctions(fn: ts.FunctionLikeDeclaration): ts.FunctionLikeDeclaration[] {
    const out = new Set<ts.FunctionLikeDeclaration>();
    const visit = (node: ts.Node): void => {
      if (typescript.isCatchClause(node)) return;
      if (typescript.isCallExpression(node)) {
        for (const target of this.functionsOf(node.expression)) out.add(target);
        for (const arg of node.arguments)
          if (typescript.isIdentifier(unwrap(arg))) for (const target of this.functionsOf(arg)) out.add(target);
      }
      typescript.forEachChild(node, visit);
    };
    if (fn.body) visit(fn.body);
    out.delete(fn);
    return [...out];
  }

  /**
   * A call handing the request to something archlint cannot read: not a package's (whose own code decides, and
   * auth packages are recognised by name), not resolvable to a project function, and not plainly something
   * else by its name (a logger, a parser).
   */
  private handsToUnknown(call: ts.CallExpression): boolean {
    if (this.evaluator.externalRef(call.expression)) return false;
    const root = textOf(call.expression).split(/[.([]/)[0] ?? '';
    if (BUILT_IN.test(root)) return false;
    const name = lastName(call.expression);
    return name === '' || !NOT_AUTH_HINT.test(name);
  }

  /** What a middleware function's body does (a Next.js `middleware.ts` function). */
  functionKind(fn: ts.FunctionLikeDeclaration): MiddlewareInfo['kind'] {
    return this.bodyKind(fn, true).kind;
  }

  /**
   * What one piece of a middleware's body does, read as the whole body is (`functionKind`): a statement or a
   * condition of a Next.js middleware.ts, which checks credentials on some paths and not on others.
   */
  nodeKind(node: ts.Node): BodyEvidence {
    return this.scan(node, true, false, false);
  }

  /** Project functions an expression calls (the router extractor's resolution). */
  functionsAt(expression: ts.Expression): ts.FunctionLikeDeclaration[] {
    return this.functionsOf(expression);
  }

  /** What an expression stands for, through `const` variables and imports. */
  valueAt(expression: ts.Expression): ts.Expression {
    return this.evaluator.valueOf(expression);
  }

  private kindOf(node: ts.Expression, value: ts.Expression): MiddlewareInfo['kind'] {
    if (typescript.isArrowFunction(node) || typescript.isFunctionExpression(node))
      return isErrorHandler(node) ? 'other' : this.bodyKind(node, true).kind;
    const pkg = this.packageOf(node);
    const target = typescript.isCallExpression(node) ? node.expression : node;
    const name = target.getText();
    if (pkg) {
      if (RATE_LIMIT_PACKAGES.has(pkg)) return 'rate-limit';
      // `session()` from express-session is not authentication, whatever the local name says.
      const member = this.evaluator.externalRef(target)?.path.join('.') ?? '';
      // A framework package that exports other middleware too (hono): only its auth sub-modules authenticate.
      const authModules = AUTH_MODULES.get(pkg);
      if (authModules) {
        if (authModules.test(this.importedModule(target) ?? '')) return 'auth';
      } else {
        if (AUTH_PACKAGES.has(pkg)) return 'auth';
        if (AUTH_NAME.test(member) && !NOT_AUTH_NAME.test(member)) return 'auth';
      }
      // A package helper wrapping the project's own function (`createMiddleware(async (c, next) => …)` of
      // hono/factory, `asyncHandler(fn)`): what the wrapped function does.
      return this.wrappedKind(value);
    }
    if (RATE_LIMIT_NAME.test(name)) return 'rate-limit';
    // An error handler maps errors to 401/403 answers after the fact: it does not authenticate.
    if (ERROR_HANDLER_NAME.test(lastName(target))) return 'other';
    if (AUTH_NAME.test(name) && !NOT_AUTH_NAME.test(name)) return 'auth';
    // A project function: what its body (or, for a factory call, the function it returns) does.
    const fns = this.functionsOf(target);
    if (value !== node && (typescript.isArrowFunction(value) || typescript.isFunctionExpression(value)))
      fns.push(value);
    for (const fn of fns) {
      if (isErrorHandler(fn)) continue;
      const { kind } = this.bodyKind(fn, true);
      if (kind !== 'other') return kind;
    }
    // A higher-order wrapper (`withEmailAccount(handler)` → `withMiddleware(handler, emailAccountMiddleware)`)
    // authenticates in the functions it hands work to: read those, a level or two down.
    if (fns.some((fn) => !isErrorHandler(fn) && this.handsToAuth(fn, 1) !== undefined)) return 'auth';
    // Nothing to read (an injected dependency, a value built elsewhere): it may be the auth hook.
    if (fns.length === 0 && !typescript.isObjectLiteralExpression(value) && !NOT_AUTH_HINT.test(name)) return 'unknown';
    return 'other';
  }

  private wrappedKind(value: ts.Expression): MiddlewareInfo['kind'] {
    if (!typescript.isCallExpression(value)) return 'other';
    for (const arg of value.arguments) {
      const node = unwrap(arg);
      const fns =
        typescript.isArrowFunction(node) || typescript.isFunctionExpression(node) ? [node] : this.functionsOf(node);
      for (const fn of fns) {
        const { kind } = this.bodyKind(fn, true);
        if (kind !== 'other') return kind;
      }
    }
    return 'other';
  }

  /** `jwt` from 'hono/jwt', `bearerAuth` from 'hono/bearer-auth': the module it is imported from. */
  private importedModule(target: ts.Expression): string | undefined {
    const id = typescript.isIdentifier(target) ? target : undefined;
    const binding = id ? this.modules.lookup(id) : undefined;
    return binding?.kind === 'external' ? binding.module : undefined;
  }

  /** What a function's body shows: auth checks (a verify call, a 401), a rate limiter, or nothing. */
  /**
   * `strict` (a route handler behind no auth middleware): only a credential check from an auth package
   * or a 401 counts, not a call whose text mentions a token (`tokenRes.json()`, `where(eq(t.token, …))`).
   */
  /**
   * `followed` (a function a wrapper hands work to, read a level or two down): `catch` clauses are skipped, since
   * an error handler that maps a thrown error to 401 does not check anyone's credentials.
   */
  private bodyKind(
    fn: ts.FunctionLikeDeclaration,
    asMiddleware: boolean,
    strict = false,
    followed = false,
  ): BodyEvidence {
    const memos = followed ? this.followedBodies : this.bodies;
    const memo = memos.get(fn);
    if (memo && asMiddleware) return memo;
    const evidence = this.scan(fn.body, asMiddleware, strict, followed);
    if (asMiddleware) memos.set(fn, evidence);
    return evidence;
  }

  private scan(root: ts.Node | undefined, asMiddleware: boolean, strict: boolean, followed: boolean): BodyEvidence {
    let kind: MiddlewareInfo['kind'] = 'other';
    let call: string | undefined;
    let forbidden: string | undefined;
    const visit = (node: ts.Node): void => {
      if (kind !== 'other' || (followed && typescript.isCatchClause(node))) return;
      if (typescript.isCallExpression(node) || typescript.isNewExpression(node)) {
        const callee = node.expression;
        const ref = this.evaluator.externalRef(callee);
        const pkg = ref ? packageName(ref.module) : undefined;
        const name = callee.getText();
        if (pkg && RATE_LIMIT_PACKAGES.has(pkg)) kind = 'rate-limit';
        else if (pkg && AUTH_PACKAGES.has(pkg) && !AUTH_MODULES.has(pkg) && !ISSUING.test(ref!.path.join('.')))
          kind = 'auth';
        else if (
          !strict &&
          !pkg &&
          AUTH_NAME.test(name) &&
          !NOT_AUTH_NAME.test(name) &&
          !ISSUING.test(lastName(callee))
        )
          kind = 'auth';
        // Strict: a call that says it verifies the caller's credential (`verifyObjectSignature(token)` of a signed URL).
        else if (strict && !pkg && VERIFIES_CREDENTIAL.test(lastName(callee))) kind = 'auth';
        // A middleware of the project's own that answers 429, or sets the RateLimit headers it counts requests for
        // (`c.res.headers.set('X-RateLimit-Remaining', …)` before throwing its own RATE_LIMITED error), is a rate limiter.
        else if (
          asMiddleware &&
          node.arguments?.some(
            (a) =>
              (typescript.isNumericLiteral(a) && a.text === '429') ||
              (typescript.isStringLiteralLike(a) && RATE_LIMIT_HEADER.test(a.text)),
          )
        )
          kind = 'rate-limit';
        // Answers 401/403, or builds a denial error it throws or hands to `done()` (`throw ERRORS.AccessDenied(…)`).
        else if (
          asMiddleware &&
          (DENIAL.test(name) || answeredStatus(node).some((status) => status === '401' || status === '403'))
        )
          kind = 'auth';
        // A handler that answers 401 checked the caller's credentials itself (`if (header !== secret) return c.text('…', 401)`).
        else if (
          !asMiddleware &&
          (/unauthori[sz]ed|unauthenticated/i.test(lastName(callee)) ||
            answeredStatus(node).includes('401') ||
            redirectsToSignIn(node))
        ) {
          kind = 'auth';
          call = redirectsToSignIn(node)
            ? `redirect to sign-in (${textOf(callee)}())`
            : `401 from the handler (${textOf(callee)}())`;
        }
        // A handler that answers 403 decides who may call it, on grounds archlint does not read (a private worker,
        // a dashboard shared or not): whether it authenticates is not known.
        else if (!asMiddleware && (FORBIDDEN.test(lastName(callee)) || answeredStatus(node).includes('403')))
          forbidden ??= `403 from the handler (${textOf(callee)}())`;
        if (kind !== 'other') call ??= `${textOf(callee)}()`;
      }
      typescript.forEachChild(node, visit);
    };
    if (root) visit(root);
    if (kind === 'other' && forbidden) return { kind: 'unknown', call: forbidden };
    return { kind, ...(call ? { call } : {}) };
  }
}

export interface BodyEvidence {
  kind: MiddlewareInfo['kind'];
  /** The call that shows it, as written (`getServerSession()`). */
  call?: string;
}
