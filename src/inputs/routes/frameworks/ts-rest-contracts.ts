/**
 * ts-rest contracts and their implementations, read statically.
 *
 * A contract is `initContract().router({ key: { method, path, query, responses… } }, { pathPrefix })` from
 * `@ts-rest/core`: routes by key, nested routers (a key holding another contract router, or a plain nested
 * object of routes), `c.query({…})` / `c.mutation({…})` around a route; a router's `pathPrefix` is put
 * before the paths of every route below it. A route's key path (`posts.get`) names it in the implementation.
 *
 * An implementation mirrors the contract's keys: `s.router(contract, { key: handler })` (`initServer()` of
 * `@ts-rest/express` / `@ts-rest/fastify`), `tsr.router(contract, {…})` (`@ts-rest/serverless`),
 * `createNextRoute(contract, {…})`, or the object itself. A key holds the handler, `{ handler, middleware }`,
 * a wrapper call around the handler (`withAuth(async (args) => …)`), or the implementation of a nested router.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../../code/ts-morph.js';
import type { CodeFile } from '../../code/index.js';
import type { HttpMethod } from '../../../model/http.js';
import type { Modules } from '../modules.js';
import { findProperty, propertyName, unwrap, type Evaluator } from '../values.js';
import { calleeName } from './trpc-procedures.js';

const typescript = loadTypeScript();

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);
/** Calls that build an implementation from a contract and an object of handlers. */
const IMPLEMENTATION_CALLEE = /^(router|createNextRoute|routerWithMiddleware)$/;

export interface ContractRoute {
  /** Keys from the contract's root, joined by dots. */
  name: string;
  method: HttpMethod;
  /** The router prefixes and the route's own path, as written (`/posts/:id`). */
  path: string;
  /** Every part of the path is a literal. */
  exact: boolean;
  /** The route's key in its router: where it is declared. */
  at: ts.Node;
  file: CodeFile;
  query?: ts.Expression;
  deprecated?: boolean;
}

export interface Implementation {
  handler?: ts.FunctionLikeDeclaration;
  /** Route middleware (`{ middleware: [...], handler }`). */
  middleware: ts.Expression[];
  /** Calls wrapped around the handler, outermost first (`withAuth(handler)`). */
  wrappers: ts.Expression[];
}

export class TsRestContracts {
  constructor(
    private readonly modules: Modules,
    private readonly evaluator: Evaluator,
    private readonly functionsOf: (expression: ts.Expression) => ts.FunctionLikeDeclaration[],
  ) {}

  /** Whether a call is `X.router(…)` with X made by `initContract()` of `@ts-rest/core`. */
  isContractRouter(call: ts.CallExpression): boolean {
    if (!typescript.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'router') return false;
    const maker = unwrap(this.evaluator.valueOf(call.expression.expression));
    if (!typescript.isCallExpression(maker)) return false;
    const ref = this.evaluator.externalRef(maker.expression);
    return ref !== undefined && /^@ts-rest\/core/.test(ref.module) && ref.path.at(-1) === 'initContract';
  }

  /** The routes of a contract (or of the part of one an expression names: `contract.posts`). */
  routes(expression: ts.Expression): ContractRoute[] {
    const found = this.routerAt(expression);
    return found ? this.record(found.record, [], found.prefix, true, new Set()) : [];
  }

  /** The one route an expression names (`contract.posts.get`, as `@TsRestHandler(contract.posts.get)` takes it). */
  route(expression: ts.Expression): ContractRoute | undefined {
    const value = unwrap(this.evaluator.valueOf(expression));
    if (!typescript.isPropertyAccessExpression(value)) return undefined;
    const parent = this.routerAt(value.expression);
    const initializer = parent ? findProperty(parent.record, value.name.text) : undefined;
    const literal = initializer ? this.routeLiteral(initializer) : undefined;
    if (!parent || !initializer || !literal || !isRoute(literal)) return undefined;
    const at = initializer.parent ?? initializer;
    return this.readRoute(literal, [value.name.text], parent.prefix, true, at);
  }

  /** The router call or nested object an expression refers to, with the prefixes above it. */
  private routerAt(
    expression: ts.Expression,
    depth = 0,
  ): { record: ts.ObjectLiteralExpression; prefix: string } | undefined {
    if (depth > 8) return undefined;
    const value = unwrap(this.evaluator.valueOf(expression));
    if (typescript.isCallExpression(value) && this.isContractRouter(value)) {
      const record = value.arguments[0] ? this.evaluator.objectLiteralOf(value.arguments[0]) : undefined;
      return record ? { record, prefix: this.prefixOf(value) } : undefined;
    }
    if (typescript.isPropertyAccessExpression(value)) {
      const parent = this.routerAt(value.expression, depth + 1);
      const child = parent ? findProperty(parent.record, value.name.text) : undefined;
      if (!parent || !child) return undefined;
      const inner = this.routerAt(child, depth + 1);
      if (inner) return { record: inner.record, prefix: parent.prefix + inner.prefix };
      const record = this.evaluator.objectLiteralOf(child);
      return record && !isRoute(record) ? { record, prefix: parent.prefix } : undefined;
    }
    return undefined;
  }

  private prefixOf(call: ts.CallExpression): string {
    const options = call.arguments[1] ? this.evaluator.objectLiteralOf(call.arguments[1]) : undefined;
    const prefix = options ? findProperty(options, 'pathPrefix') : undefined;
    return prefix ? (this.evaluator.string(prefix)?.value ?? '') : '';
  }

  private record(
    record: ts.ObjectLiteralExpression,
    keys: string[],
    prefix: string,
    exact: boolean,
    seen: Set<ts.Node>,
  ): ContractRoute[] {
    if (seen.has(record) || seen.size > 500) return [];
    seen.add(record);
    const out: ContractRoute[] = [];
    for (const property of record.properties) {
      if (typescript.isSpreadAssignment(property)) {
        const spread = this.routerAt(property.expression) ?? this.plainRecord(property.expression);
        if (spread) out.push(...this.record(spread.record, keys, prefix + spread.prefix, exact, seen));
        continue;
      }
      if (!typescript.isPropertyAssignment(property) && !typescript.isShorthandPropertyAssignment(property)) continue;
      const key = propertyName(property.name);
      if (key === undefined) continue;
      const initializer = typescript.isPropertyAssignment(property) ? property.initializer : property.name;
      const nested = this.routerAt(initializer);
      if (nested) {
        out.push(...this.record(nested.record, [...keys, key], prefix + nested.prefix, exact, seen));
        continue;
      }
      const literal = this.routeLiteral(initializer);
      if (literal && isRoute(literal)) {
        const route = this.readRoute(literal, [...keys, key], prefix, exact, property);
        if (route) out.push(route);
      } else if (literal) out.push(...this.record(literal, [...keys, key], prefix, exact, seen));
    }
    return out;
  }

  private plainRecord(expression: ts.Expression): { record: ts.ObjectLiteralExpression; prefix: string } | undefined {
    const record = this.evaluator.objectLiteralOf(expression);
    return record ? { record, prefix: '' } : undefined;
  }

  /** The object literal of a route, through `c.query({…})` / `c.mutation({…})` and constants. */
  private routeLiteral(expression: ts.Expression): ts.ObjectLiteralExpression | undefined {
    const value = unwrap(this.evaluator.valueOf(expression));
    if (typescript.isCallExpression(value) && /^(query|mutation)$/.test(calleeName(value) ?? '') && value.arguments[0])
      return this.evaluator.objectLiteralOf(value.arguments[0]);
    return this.evaluator.objectLiteralOf(value);
  }

  private readRoute(
    literal: ts.ObjectLiteralExpression,
    keys: string[],
    prefix: string,
    exact: boolean,
    at: ts.Node,
  ): ContractRoute | undefined {
    const methodValue = findProperty(literal, 'method');
    const pathValue = findProperty(literal, 'path');
    const method = methodValue ? this.evaluator.string(methodValue)?.value.toLowerCase() : undefined;
    const path = pathValue ? this.evaluator.string(pathValue) : undefined;
    if (!method || !METHODS.has(method) || !path) return undefined;
    const query = findProperty(literal, 'query');
    const deprecated = findProperty(literal, 'deprecated');
    return {
      name: keys.join('.'),
      method: method as HttpMethod,
      path: prefix + path.value,
      exact: exact && path.exact,
      at,
      file: this.modules.fileFor(at),
      ...(query ? { query } : {}),
      ...(deprecated && unwrap(deprecated).kind === typescript.SyntaxKind.TrueKeyword ? { deprecated: true } : {}),
    };
  }

  /** The contract an implementation is built for (`s.router(contract, {…})` → contract). */
  contractOfImplementation(expression: ts.Expression): ts.Expression | undefined {
    const value = unwrap(this.evaluator.valueOf(expression));
    if (!typescript.isCallExpression(value)) return undefined;
    // `tsr.routerWithMiddleware(contract)<Ctx>({…})`
    const inner = unwrap(value.expression);
    if (typescript.isCallExpression(inner) && calleeName(inner) === 'routerWithMiddleware') return inner.arguments[0];
    return IMPLEMENTATION_CALLEE.test(calleeName(value) ?? '') && value.arguments.length >= 2
      ? value.arguments[0]
      : undefined;
  }

  /** Each route's implementation by the route's key path, from an implementation expression. */
  implementations(expression: ts.Expression): Map<string, Implementation> {
    const out = new Map<string, Implementation>();
    this.collect(expression, [], out, 0);
    return out;
  }

  private collect(expression: ts.Expression, keys: string[], out: Map<string, Implementation>, depth: number): void {
    if (depth > 8) return;
    const value = unwrap(this.evaluator.valueOf(expression));
    let record: ts.ObjectLiteralExpression | undefined;
    if (typescript.isCallExpression(value)) {
      const inner = unwrap(value.expression);
      const argument =
        typescript.isCallExpression(inner) && calleeName(inner) === 'routerWithMiddleware'
          ? value.arguments[0]
          : IMPLEMENTATION_CALLEE.test(calleeName(value) ?? '')
            ? value.arguments[1]
            : undefined;
      record = argument ? this.evaluator.objectLiteralOf(argument) : undefined;
    } else record = this.evaluator.objectLiteralOf(value);
    if (!record) return;
    for (const property of record.properties) {
      if (typescript.isSpreadAssignment(property)) {
        this.collect(property.expression, keys, out, depth + 1);
        continue;
      }
      const key = property.name ? propertyName(property.name as ts.PropertyName) : undefined;
      if (key === undefined) continue;
      const path = [...keys, key];
      if (typescript.isMethodDeclaration(property)) {
        out.set(path.join('.'), { handler: property, middleware: [], wrappers: [] });
        continue;
      }
      if (!typescript.isPropertyAssignment(property) && !typescript.isShorthandPropertyAssignment(property)) continue;
      const initializer = typescript.isPropertyAssignment(property) ? property.initializer : property.name;
      const entry = unwrap(this.evaluator.valueOf(initializer));
      if (typescript.isObjectLiteralExpression(entry) && findProperty(entry, 'handler')) {
        const middleware = findProperty(entry, 'middleware');
        const list = middleware ? unwrap(this.evaluator.valueOf(middleware)) : undefined;
        out.set(path.join('.'), {
          ...this.handlerOf(findProperty(entry, 'handler')!),
          middleware:
            list && typescript.isArrayLiteralExpression(list) ? [...list.elements] : middleware ? [middleware] : [],
        });
      } else if (
        typescript.isObjectLiteralExpression(entry) ||
        (typescript.isCallExpression(entry) && this.contractOfImplementation(entry))
      )
        this.collect(entry, path, out, depth + 1);
      else out.set(path.join('.'), { ...this.handlerOf(initializer), middleware: [] });
    }
  }

  /** A handler expression: the function, and the calls wrapped around it. */
  private handlerOf(expression: ts.Expression): Omit<Implementation, 'middleware'> {
    const wrappers: ts.Expression[] = [];
    let node = unwrap(this.evaluator.valueOf(expression));
    while (typescript.isCallExpression(node) && wrappers.length < 8) {
      wrappers.push(node.expression);
      const inner = node.arguments.find((a) => {
        const v = unwrap(a);
        return typescript.isArrowFunction(v) || typescript.isFunctionExpression(v) || typescript.isCallExpression(v);
      });
      if (!inner) return { wrappers };
      node = unwrap(this.evaluator.valueOf(inner));
    }
    if (typescript.isArrowFunction(node) || typescript.isFunctionExpression(node)) return { handler: node, wrappers };
    const [fn] = this.functionsOf(node);
    return fn ? { handler: fn, wrappers } : { wrappers };
  }
}

/** A route literal has a method and a path; a nested router does not. */
function isRoute(record: ts.ObjectLiteralExpression): boolean {
  return findProperty(record, 'method') !== undefined && findProperty(record, 'path') !== undefined;
}
