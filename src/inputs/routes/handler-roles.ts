/**
 * Two handler facts that tell a webhook receiver or a protocol endpoint from a resource endpoint
 * (Endpoint.handler.verifiesSignature / delegatesTo). Both are syntactic and minimal:
 * - a handler verifies a webhook signature when it (or its route middleware, or a project function it
 *   calls directly) calls a signature check: `stripe.webhooks.constructEvent`, svix
 *   `new Webhook(secret).verify`, `verifyWebhook`, `validateSignature`, compares an HMAC with
 *   `timingSafeEqual`, or reads the header a sender signs its delivery with (`req.headers['stripe-signature']`
 *   handed to a project service that checks it);
 * - a handler delegates to a library when all it does is hand the request to a value a package built
 *   (`auth.handler(c.req.raw)` with `auth = betterAuth(…)`, `tusServer.handle(req, res)`,
 *   `provider.callback()(ctx.req, ctx.res)`), or when the registered handler is itself a package call
 *   that wraps no project function (`toNodeHandler(auth)`).
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import { injectedMethod } from './callables.js';
import type { Modules } from './modules.js';
import { returnedExpressions } from './functions.js';
import { packageName, unwrap, type Evaluator } from './values.js';
import { FRAMEWORK_PACKAGES } from './frameworks/index.js';
import { SIGNATURE_HEADER } from '../../model/endpoint-roles.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** Calls that check a webhook signature, by their own name. */
const SIGNATURE_CALL =
  /^(constructEvent(Async)?|(verify|validate|check|assert)\w*(signature|webhook|hmac)\w*|(is_?)?valid\w*(signature|webhook|hmac)\w*|verifyAndReceive)$/i;
/** …but not a signed URL or token (`verifyObjectSignature(token)`): that is a link, not a webhook. */
const SIGNED_LINK = /url|object|token|link|download|upload|cookie/i;
const CONSTANT_TIME_COMPARE =
  /^(timingSafeEqual|timingSafeEquals|safeCompare|safeEqual|constantTimeEqual\w*|secureCompare)$/i;
const HMAC_CALL = /^(createHmac|hmac|importKey|sign)$/i;
/** A request (or context) handed on as a whole, not one of its parts (`req.body` goes to a validator). */
const REQUEST_ARGUMENT = /^(req|request|ctx|c|context|event|evt)(\.(raw|req|request|res|response|node))*$/;

export class HandlerRoles {
  private readonly verifies = new Map<ts.Node, boolean>();
  /** Functions whose only evidence is an HMAC compared in constant time (see answersWebhookSender). */
  private readonly hmacOnly = new Set<ts.Node>();

  constructor(
    private readonly modules: Modules,
    private readonly evaluator: Evaluator,
    /** Project functions an expression can call (the router extractor's resolution). */
    private readonly functionsOf: (expression: ts.Expression) => ts.FunctionLikeDeclaration[],
  ) {}

  /** Whether a handler function's body, or a project function it calls, checks a webhook signature. */
  verifiesSignature(fn: ts.FunctionLikeDeclaration, depth = 0): boolean {
    const memo = this.verifies.get(fn);
    if (memo !== undefined) return memo;
    this.verifies.set(fn, false); // cycle guard
    const names = new Set<string>();
    const callees: ts.Expression[] = [];
    let found = false;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (typescript.isCallExpression(node) || typescript.isNewExpression(node)) {
        const name = lastName(node.expression);
        names.add(name);
        if (isSignatureCall(name) || (name === 'verify' && this.isWebhookVerifier(node.expression))) found = true;
        if (typescript.isCallExpression(node)) {
          callees.push(node.expression);
          if (isHeaderRead(node.expression, name) && readsSignatureHeader(node.arguments[0])) found = true;
        }
      } else if (
        typescript.isElementAccessExpression(node) &&
        /headers$/i.test(lastName(node.expression)) &&
        readsSignatureHeader(node.argumentExpression)
      ) {
        // `req.headers['stripe-signature']`: the signature a webhook sender puts on its delivery, read to be checked
        // (here or by the project service it is handed to: `stripeService.validateRequest(rawBody, signature, secret)`).
        found = true;
      }
      typescript.forEachChild(node, visit);
    };
    if (fn.body) visit(fn.body);
    if (!found) {
      found = [...names].some((n) => CONSTANT_TIME_COMPARE.test(n)) && [...names].some((n) => HMAC_CALL.test(n));
      if (found) this.hmacOnly.add(fn);
    }
    // One level into the project's own helpers (`await verifyRequest(req)` → its body).
    if (!found && depth === 0) {
      for (const callee of callees) {
        // `this.repoService.handleWebhook(provider, req.headers, body)`: an injected service's method too.
        const injected = injectedMethod(callee, this.modules);
        const candidates = [...this.functionsOf(callee), ...(injected ? [injected] : [])];
        const inner = candidates.find((f) => f !== fn && this.verifiesSignature(f, depth + 1));
        if (inner) {
          found = true;
          if (this.hmacOnly.has(inner)) this.hmacOnly.add(fn);
          break;
        }
      }
    }
    this.verifies.set(fn, found);
    return found;
  }

  /**
   * Whether what a function sends answers a webhook sender: it checks the sender's signature by a webhook check
   * (`constructEvent`, svix `verify`, the sender's signature header), or compares an HMAC in a function named for
   * webhooks (`validateWebhookMiddleware`). An HMAC compared elsewhere may as well authenticate an API client that
   * signs its requests (`Authorization: HMAC <client>:<signature>`), whose errors are the API's.
   */
  answersWebhookSender(fn: ts.FunctionLikeDeclaration): boolean {
    if (!this.verifiesSignature(fn)) return false;
    if (!this.hmacOnly.has(fn)) return true;
    for (let p: ts.Node | undefined = fn; p && !typescript.isSourceFile(p); p = p.parent) {
      const name =
        typescript.isFunctionLike(p) && p.name && typescript.isIdentifier(p.name)
          ? p.name.text
          : typescript.isVariableDeclaration(p) && typescript.isIdentifier(p.name)
            ? p.name.text
            : '';
      if (/webhook/i.test(name)) return true;
    }
    return false;
  }

  /** Whether a route middleware expression checks a webhook signature (`verifySlackSignature`, `verifyWebhook()`). */
  middlewareVerifies(expression: ts.Expression): boolean {
    const node = unwrap(expression);
    if (typescript.isArrowFunction(node) || typescript.isFunctionExpression(node)) return this.verifiesSignature(node);
    const target = typescript.isCallExpression(node) ? node.expression : node;
    if (isSignatureCall(lastName(target))) return true;
    return this.functionsOf(target).some((fn) => this.verifiesSignature(fn));
  }

  /** The package a handler function hands the whole request to, when that is all it does. */
  delegatesTo(fn: ts.FunctionLikeDeclaration): string | undefined {
    const body = fn.body;
    if (!body) return undefined;
    let last: ts.Expression | undefined;
    if (!typescript.isBlock(body)) last = body as ts.Expression;
    else {
      if (body.statements.length === 0) return undefined;
      const statement = body.statements[body.statements.length - 1]!;
      if (typescript.isReturnStatement(statement)) last = statement.expression;
      else if (typescript.isExpressionStatement(statement)) last = statement.expression;
      // A line or two of set-up may come first (`const url = new URL(req.url)`); the hand-off is last.
      // Longer set-up counts when every way out of the handler returns the same package's answer (a bearer
      // token moved to the header the library reads, then `return auth.handler(new Request(c.req.raw, …))`).
      if (body.statements.length > 3) return this.everyReturnHandsOff(fn);
    }
    return last ? this.handOff(last) : undefined;
  }

  /** The package every `return` of a handler (and its last statement) hands the request to, when it is one. */
  private everyReturnHandsOff(fn: ts.FunctionLikeDeclaration): string | undefined {
    const returns: ts.ReturnStatement[] = [];
    let throws = false;
    const visit = (node: ts.Node): void => {
      if (typescript.isFunctionLike(node) && node !== fn) return;
      if (typescript.isReturnStatement(node)) returns.push(node);
      else if (typescript.isThrowStatement(node)) throws = true;
      typescript.forEachChild(node, visit);
    };
    if (fn.body) visit(fn.body);
    const block = fn.body && typescript.isBlock(fn.body) ? fn.body : undefined;
    const finalStatement = block?.statements[block.statements.length - 1];
    if (throws || !finalStatement || !typescript.isReturnStatement(finalStatement) || returns.length === 0)
      return undefined;
    const packages = new Set(returns.map((r) => (r.expression ? this.handOff(r.expression) : undefined)));
    const [only] = packages;
    return packages.size === 1 && only !== undefined ? only : undefined;
  }

  /** A registered handler that is a package call wrapping no project function: `toNodeHandler(auth)`. */
  delegatesToExpression(expression: ts.Expression): string | undefined {
    const node = unwrap(expression);
    if (!typescript.isCallExpression(node)) return undefined;
    if (
      node.arguments.some(
        (arg) =>
          this.functionsOf(arg).length > 0 ||
          typescript.isArrowFunction(unwrap(arg)) ||
          typescript.isFunctionExpression(unwrap(arg)),
      )
    )
      return undefined;
    const ref = this.evaluator.externalRef(node.expression);
    const pkg = ref ? packageName(ref.module) : undefined;
    return pkg && !FRAMEWORK_PACKAGES.has(pkg) ? pkg : undefined;
  }

  private handOff(expression: ts.Expression): string | undefined {
    let node = unwrap(expression);
    while (typescript.isAwaitExpression(node)) node = unwrap(node.expression);
    if (!typescript.isCallExpression(node)) return undefined;
    if (!node.arguments.some((arg) => isRequest(arg))) return undefined;
    const pkg = this.creatorPackage(node.expression);
    return pkg && !FRAMEWORK_PACKAGES.has(pkg) ? pkg : undefined;
  }

  /** The package that made the value a call chain starts from (`auth` = `betterAuth(…)`, `new Server(…)` of @tus/server). */
  private creatorPackage(callee: ts.Expression): string | undefined {
    let root = unwrap(callee);
    const chain: string[] = [];
    while (
      typescript.isPropertyAccessExpression(root) ||
      typescript.isCallExpression(root) ||
      typescript.isElementAccessExpression(root)
    ) {
      if (typescript.isPropertyAccessExpression(root)) chain.unshift(root.name.text);
      root = unwrap(root.expression);
    }
    if (!typescript.isIdentifier(root)) return undefined;
    const direct = this.evaluator.externalRef(root);
    if (direct) return packageName(direct.module);
    const value = this.evaluator.valueOf(root);
    if (value !== root && (typescript.isCallExpression(value) || typescript.isNewExpression(value))) {
      const ref = this.evaluator.externalRef(value.expression);
      if (ref) return packageName(ref.module);
      // `const auth = createAuth(env)` where the project's factory returns `betterAuth({…})`.
      for (const factory of typescript.isCallExpression(value) ? this.functionsOf(value.expression) : []) {
        for (const returned of returnedExpressions(factory)) {
          const made = unwrap(returned);
          const inner =
            typescript.isCallExpression(made) || typescript.isNewExpression(made)
              ? this.evaluator.externalRef(made.expression)
              : undefined;
          if (inner) return packageName(inner.module);
        }
      }
    }
    return this.declaredPackage(root, chain);
  }

  /**
   * A parameter whose declared type says a package made it: `(server: Server)`, or
   * `options: { tusServer: Server }` for `options.tusServer.handle(…)`, with `Server` imported from a package.
   */
  private declaredPackage(root: ts.Identifier, chain: string[]): string | undefined {
    const binding = this.modules.lookup(root);
    if (binding?.kind !== 'param') return undefined;
    let type = binding.node.type;
    if (type && typescript.isTypeLiteralNode(type) && chain[0]) {
      const member = type.members.find((m) => typescript.isPropertySignature(m) && m.name.getText() === chain[0]);
      type = member && typescript.isPropertySignature(member) ? member.type : undefined;
    }
    if (!type || !typescript.isTypeReferenceNode(type)) return undefined;
    let name: ts.EntityName = type.typeName;
    while (typescript.isQualifiedName(name)) name = name.left;
    const ref = this.modules.lookup(name);
    return ref?.kind === 'external' ? packageName(ref.module) : undefined;
  }

  /** `.verify` on svix / standardwebhooks `new Webhook(secret)`, or on something named as a webhook verifier. */
  private isWebhookVerifier(callee: ts.Expression): boolean {
    const node = unwrap(callee);
    if (!typescript.isPropertyAccessExpression(node)) return false;
    const receiver = unwrap(node.expression);
    if (/webhook|^wh$|svix/i.test(receiver.getText())) return true;
    const value = this.evaluator.valueOf(receiver);
    return typescript.isNewExpression(value) && /Webhook/.test(value.expression.getText());
  }
}

/** The request handed on as a whole, or a copy of it (`new Request(c.req.raw, { headers })`). */
function isRequest(argument: ts.Expression): boolean {
  const node = unwrap(argument);
  if (REQUEST_ARGUMENT.test(node.getText().replace(/\s+/g, ''))) return true;
  return (
    typescript.isNewExpression(node) &&
    node.expression.getText() === 'Request' &&
    node.arguments?.[0] !== undefined &&
    REQUEST_ARGUMENT.test(unwrap(node.arguments[0]).getText().replace(/\s+/g, ''))
  );
}

/**
 * How a handler reads one request header: `req.header('x')`, `c.req.header('x')`, `reply.getHeader('x')`,
 * `request.headers.get('x')`, Express `req.get('x')` (a `get` on anything else — a query string's
 * `searchParams.get('signature')` of a signed link — is not a header).
 */
function isHeaderRead(callee: ts.Expression, name: string): boolean {
  if (name === 'header' || name === 'getHeader') return true;
  if (name !== 'get') return false;
  const node = unwrap(callee);
  return typescript.isPropertyAccessExpression(node) && /^(headers|req|request)$/i.test(lastName(node.expression));
}

/**
 * A literal header name a webhook sender signs with (`Stripe-Signature`, `X-Hub-Signature-256`, `svix-signature`):
 * a prefixed name, as senders write them; a bare `signature` is as often a signed link's query parameter.
 */
function readsSignatureHeader(argument: ts.Expression | undefined): boolean {
  const node = argument ? unwrap(argument) : undefined;
  return (
    node !== undefined &&
    typescript.isStringLiteralLike(node) &&
    node.text.includes('-') &&
    SIGNATURE_HEADER.test(node.text)
  );
}

function isSignatureCall(name: string): boolean {
  return SIGNATURE_CALL.test(name) && !SIGNED_LINK.test(name);
}

function lastName(callee: ts.Expression): string {
  const node = unwrap(callee);
  if (typescript.isPropertyAccessExpression(node)) return node.name.text;
  return typescript.isIdentifier(node) ? node.text : '';
}
