/**
 * A Next.js `middleware.ts` (Next 16: `proxy.ts`) as an auth source: which routes it runs for (its exported
 * `config.matcher`, every path when there is none) and, on each of those paths, whether its body checks a
 * credential before the request goes on. The body is read per path: conditions on the pathname
 * (`if (pathname.startsWith('/api/public')) return NextResponse.next()`, `createRouteMatcher([...])(req)`) are
 * evaluated for the route's path; any other condition (a host, a cookie) may go either way. A path where every way
 * through the body ends in an answer of its own for a request with no credential (a 401, a redirect to sign in,
 * Clerk's `auth.protect()`) is guarded; a path where every way lets it through is not; anything else, or a
 * matcher or body archlint cannot read, is unknown — the rule then stays quiet. How the body is read:
 * next-middleware-body.ts (statements) and next-middleware-scope.ts (conditions).
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../../code/ts-morph.js';
import type { CodeFile } from '../../code/index.js';
import type { MiddlewareClassifier } from '../middleware.js';
import { AUTH_PACKAGES, CALLBACK_DECIDES_PACKAGES } from '../middleware-packages.js';
import type { Modules } from '../modules.js';
import { findProperty, packageName, unwrap } from '../values.js';
import { compileMatcher, samplePath } from './next-matcher.js';
import { BodyReader, verdict } from './next-middleware-body.js';
import { isFunction, singleReturn } from './next-middleware-scope.js';

const typescript = loadTypeScript();

export interface NextMiddleware {
  /**
   * For a route path as the middleware sees it (no basePath): the label of the check it runs there, null when it
   * does not check credentials on that path (or does not run for it), undefined when archlint cannot tell.
   */
  guardOf(path: string, method?: string): string | null | undefined;
}

/** The middleware.ts of a Next.js app as an auth source, or undefined when it checks no credential anywhere. */
export function readNextMiddleware(
  modules: Modules,
  classifier: MiddlewareClassifier,
  file: CodeFile,
): NextMiddleware | undefined {
  const binding =
    modules.exportOf(file, 'default') ?? modules.exportOf(file, 'middleware') ?? modules.exportOf(file, 'proxy');
  if (!binding) return undefined;
  const matches = matcherOf(modules, file);
  const label = `${file.path} middleware`;
  let body: ((path: string) => string | null | undefined) | undefined;
  if (binding.kind === 'external') {
    // `export { default } from 'next-auth/middleware'`: the package guards every path it runs for.
    const pkg = packageName(binding.module);
    if (!AUTH_PACKAGES.has(pkg) || CALLBACK_DECIDES_PACKAGES.has(pkg)) return undefined;
    body = () => binding.module;
  } else if (binding.kind === 'function' || (binding.kind === 'value' && isFunction(unwrap(binding.node)))) {
    // `export default async function middleware(req)`, `export const proxy = async (req) => {…}`
    const fn = (binding.kind === 'function' ? binding.node : unwrap(binding.node)) as ts.FunctionLikeDeclaration;
    if (classifier.functionKind(fn) !== 'auth') return undefined;
    const reader = new BodyReader(classifier, label);
    // Evidence of a credential read but no refusal archlint recognises: it cannot tell where it guards.
    if (!reader.deniesAnywhere(fn)) body = () => undefined;
    else body = (path) => reader.guardOf(fn, path);
  } else if (binding.kind === 'value') {
    body = chainBody(classifier, binding.node, label) ?? wrapperBody(classifier, binding.node, label);
    if (!body) return undefined;
  } else return undefined;
  const guardOf = body;
  return {
    guardOf(path, method) {
      const sample = samplePath(path);
      const runs = matches === undefined ? undefined : matches(sample);
      if (runs === undefined) return undefined;
      // The body reads the request: its method (`*` for a route of every method) and its path.
      return runs ? guardOf(`${method?.toUpperCase() ?? '*'} ${sample}`) : null;
    },
  };
}

/**
 * `export default withAuth(fn, options)`, `clerkMiddleware(async (auth, req) => …)`, `auth((req) => …)`: an auth
 * package's wrapper. Most guard every path they run for whatever the callback does; Clerk's guards only where
 * its callback asks (`auth.protect()`), so there the callback is read per path.
 */
function wrapperBody(
  classifier: MiddlewareClassifier,
  node: ts.Expression,
  label: string,
): ((path: string) => string | null | undefined) | undefined {
  const info = classifier.classify(node).find((i) => i.kind === 'auth');
  const value = unwrap(node);
  const pkg = classifier.packageOf(value);
  if (pkg && CALLBACK_DECIDES_PACKAGES.has(pkg) && typescript.isCallExpression(value)) {
    const callback = value.arguments
      .map((a) => unwrap(a))
      .find(
        (a): a is ts.ArrowFunction | ts.FunctionExpression =>
          typescript.isArrowFunction(a) || typescript.isFunctionExpression(a),
      );
    // `clerkMiddleware()` alone makes the session available and protects no route.
    if (!callback) return () => null;
    const reader = new BodyReader(classifier, `${label} (${pkg})`);
    return (path) => reader.guardOf(callback, path);
  }
  if (!info) return undefined;
  const inner = typescript.isCallExpression(value) ? decidingCallback(value) : undefined;
  if (inner) {
    const reader = new BodyReader(classifier, `${label} (${pkg ?? info.label})`);
    return (path) => reader.guardOf(inner, path);
  }
  return () => info.label;
}

/**
 * next-auth's `withAuth(fn, { callbacks: { authorized: () => true } })`: the wrapper lets every request through
 * to `fn`, which decides. With any other `authorized` (or none: a token is required) the wrapper guards.
 */
function decidingCallback(call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
  const [first, options] = call.arguments.map((a) => unwrap(a));
  if (!first || !isFunction(first) || !options || !typescript.isObjectLiteralExpression(options)) return undefined;
  const callbacks = findProperty(options, 'callbacks');
  const object = callbacks ? unwrap(callbacks) : undefined;
  if (!object || !typescript.isObjectLiteralExpression(object)) return undefined;
  const authorized = object.properties.find((p) => p.name?.getText() === 'authorized');
  const fn =
    authorized && typescript.isMethodDeclaration(authorized)
      ? authorized
      : authorized && typescript.isPropertyAssignment(authorized) && isFunction(unwrap(authorized.initializer))
        ? (unwrap(authorized.initializer) as ts.ArrowFunction)
        : undefined;
  const returned = fn ? singleReturn(fn) : undefined;
  return returned?.kind === typescript.SyntaxKind.TrueKeyword ? first : undefined;
}

/**
 * `export const middleware = chain([checkCsrf, checkAuth])`: a project function handed a list of middleware
 * factories (`(next) => async (req, event) => { …; return next(req, event) }`), run in order. An anonymous request
 * goes through each until one answers it or lets it through without calling `next`.
 */
function chainBody(
  classifier: MiddlewareClassifier,
  node: ts.Expression,
  label: string,
): ((path: string) => string | null | undefined) | undefined {
  const value = unwrap(node);
  if (!typescript.isCallExpression(value) || value.arguments.length !== 1) return undefined;
  if (classifier.packageOf(value.expression) || classifier.functionsAt(value.expression).length === 0) return undefined;
  const list = classifier.valueAt(value.arguments[0]!);
  if (!typescript.isArrayLiteralExpression(list) || list.elements.length === 0) return undefined;
  const factories = list.elements.map((element) => classifier.functionsAt(unwrap(element))[0]);
  if (factories.some((f) => !f || f.parameters.length === 0)) return undefined;
  const reader = new BodyReader(classifier, label);
  const steps = factories.map((factory) => chainStep(classifier, factory!));
  if (!steps.some((step) => step === 'guard' || (typeof step === 'object' && reader.deniesAnywhere(step.fn))))
    return undefined;
  return (path) => {
    const run = (index: number): Set<'pass' | 'refused' | 'unknown'> => {
      const step = steps[index];
      if (!step) return new Set(['pass']);
      if (step === 'guard') return new Set(['refused']);
      if (step === 'unknown') return new Set(['unknown']);
      return reader.exitsOf(step.fn, path, 0, { name: step.next, run: () => run(index + 1) });
    };
    return verdict(run(0), label);
  };
}

/** One factory of a chain: the middleware it returns and the name it calls the rest of the chain by. */
function chainStep(
  classifier: MiddlewareClassifier,
  factory: ts.FunctionLikeDeclaration,
): { fn: ts.FunctionLikeDeclaration; next: string } | 'guard' | 'unknown' {
  const parameter = factory.parameters[0]!;
  if (!typescript.isIdentifier(parameter.name)) return 'unknown';
  const returned = singleReturn(factory);
  const made = returned ? unwrap(returned) : undefined;
  if (!made) return 'unknown';
  if (isFunction(made)) return { fn: made, next: parameter.name.text };
  if (typescript.isCallExpression(made)) {
    const pkg = classifier.packageOf(made.expression);
    if (!pkg || !AUTH_PACKAGES.has(pkg)) return 'unknown';
    const inner = decidingCallback(made);
    return inner ? { fn: inner, next: parameter.name.text } : CALLBACK_DECIDES_PACKAGES.has(pkg) ? 'unknown' : 'guard';
  }
  return 'unknown';
}

/** The exported `config.matcher` as a test of a path; undefined when it cannot be read. Every path without one. */
function matcherOf(modules: Modules, file: CodeFile): ((path: string) => boolean) | undefined {
  const config = modules.exportOf(file, 'config');
  if (!config) return () => true;
  const object = config.kind === 'value' ? unwrap(config.node) : undefined;
  if (!object || !typescript.isObjectLiteralExpression(object)) return undefined;
  const matcher = findProperty(object, 'matcher');
  if (!matcher) return () => true;
  const node = unwrap(matcher);
  const items = typescript.isArrayLiteralExpression(node) ? [...node.elements] : [node];
  const patterns: RegExp[] = [];
  for (const raw of items) {
    let item = unwrap(raw);
    if (typescript.isObjectLiteralExpression(item)) {
      // `{ source, missing: [prefetch headers] }`: a condition on headers (`has`) decides per request.
      if (findProperty(item, 'has')) return undefined;
      const source = findProperty(item, 'source');
      if (!source) return undefined;
      item = unwrap(source);
    }
    const compiled = typescript.isStringLiteralLike(item) ? compileMatcher(item.text) : undefined;
    if (!compiled) return undefined;
    patterns.push(compiled);
  }
  return (path) => patterns.some((pattern) => pattern.test(path));
}
