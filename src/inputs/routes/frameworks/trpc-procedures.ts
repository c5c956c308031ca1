/**
 * tRPC routers read statically: `initTRPC.create()` gives `t`; `t.router({...})` (or the project's alias,
 * `export const createTRPCRouter = t.router`) takes procedures and sub-routers by key, nested routers
 * (`router({ user: userRouter })`, plain nested objects), `mergeRouters(a, b)` and spreads; a procedure is
 * a chain `<base>.use(mw).input(schema).meta(m).query(fn) | .mutation(fn) | .subscription(fn)` whose base
 * is `t.procedure` or a named base procedure built from it (`protectedProcedure = t.procedure.use(isAuthed)`),
 * followed through variables and imports. A procedure's name is its keys joined by dots (`user.byId`).
 *
 * Authentication: a `.use()` middleware in the chain (or in a base procedure's definition) that throws
 * `TRPCError({ code: 'UNAUTHORIZED' })`, or one named as auth (`isAuthed`, `enforceUserIsAuthed`). A base
 * named public (`publicProcedure`) is public on purpose, whatever it checks for some callers. A base
 * that cannot be followed is authenticated when its name says so (`protectedProcedure`), else unknown.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../../code/ts-morph.js';
import type { CodeFile } from '../../code/index.js';
import type { Modules } from '../modules.js';
import { findProperty, propertyName, textOf, unwrap, type Evaluator } from '../values.js';

const typescript = loadTypeScript();

export type ProcedureKind = 'query' | 'mutation' | 'subscription';
const KINDS = new Set<string>(['query', 'mutation', 'subscription']);
/** Router factories by the name they are called with: `t.router`, `router`, `createTRPCRouter`, `mergeRouters`. */
const ROUTER_CALLEE = /^(router|create\w*Router|mergeRouters)$/;
const MERGE = /^mergeRouters$/;
/** A middleware that refuses an anonymous caller: `throw new TRPCError({ code: 'UNAUTHORIZED' })`. */
const UNAUTHORIZED = /['"`]UNAUTHORIZED['"`]/;
const FORBIDDEN = /['"`]FORBIDDEN['"`]/;
const CALLER_CHECK = /ctx\.(session|user|auth|userId)\b/;
/** Middleware and base procedure names that say they authenticate. */
const AUTH_NAME = /auth(?!or)|protected|private|logged|signed_?in|session|require_?user|admin|member/i;
const PUBLIC_NAME = /^public/i;

export interface Procedure {
  /** Keys from the root router, joined by dots. */
  name: string;
  kind: ProcedureKind;
  /** Where it is declared: its key in the router, or the variable that holds it. */
  at: ts.Node;
  /** The `.query(…)` / `.mutation(…)` call: one procedure, whichever routers hold it. */
  call: ts.CallExpression;
  file: CodeFile;
  handler?: ts.FunctionLikeDeclaration;
  /** `.input(schema)` arguments, nearest first. */
  inputs: ts.Expression[];
  /** `meta({ openapi: { method, path, protect } })` (trpc-to-openapi / trpc-openapi). */
  openapi?: { method: string; path: string; protect?: boolean };
  /** Undefined: the chain could not be followed. */
  auth?: { guards: string[]; optOut?: string };
}

export class TrpcProcedures {
  private readonly routerMemo = new Map<ts.Node, boolean>();
  private readonly procedureMemo = new Map<ts.Node, Omit<Procedure, 'name' | 'at' | 'call' | 'file'>>();
  /** Router calls reached as a child of another router. */
  readonly children = new Set<ts.Node>();

  constructor(
    private readonly modules: Modules,
    private readonly evaluator: Evaluator,
    private readonly functionsOf: (expression: ts.Expression) => ts.FunctionLikeDeclaration[],
  ) {}

  /** Whether a call creates a tRPC router. */
  isRouterCall(call: ts.CallExpression, depth = 0): boolean {
    const memo = this.routerMemo.get(call);
    if (memo !== undefined) return memo;
    this.routerMemo.set(call, false);
    const name = calleeName(call);
    let result = false;
    if (name && ROUTER_CALLEE.test(name)) {
      if (MERGE.test(name)) result = call.arguments.some((a) => this.isRouterValue(a, depth + 1));
      else {
        const record = call.arguments[0] ? this.evaluator.objectLiteralOf(call.arguments[0]) : undefined;
        result = record !== undefined && (this.fromTrpc(call.expression) || this.holdsProcedures(record, depth + 1));
      }
    }
    this.routerMemo.set(call, result);
    return result;
  }

  /** The procedures of a router (or of what an expression holds), with their names below `prefix`. */
  procedures(expression: ts.Expression, prefix: string[] = [], at?: ts.Node, seen = new Set<ts.Node>()): Procedure[] {
    const value = unwrap(this.evaluator.valueOf(expression));
    if (seen.has(value) || seen.size > 2000) return [];
    seen.add(value);
    if (typescript.isCallExpression(value)) {
      const name = calleeName(value);
      if (name && KINDS.has(name)) {
        const facts = this.procedure(value);
        const site = declarationSite(value, at);
        return [{ ...facts, name: prefix.join('.'), at: site, call: value, file: this.modules.fileFor(site) }];
      }
      // tRPC 11 `lazy(() => import('./router/user').then((m) => m.userRouter))`: the router the module exports.
      if (name === 'lazy') {
        const loaded = this.lazyRouter(value);
        return loaded ? this.procedures(loaded, prefix, at, seen) : [];
      }
      if (!this.isRouterCall(value)) return [];
      if (prefix.length > 0 || at) this.children.add(value);
      if (name && MERGE.test(name)) {
        for (const arg of value.arguments) {
          const merged = unwrap(this.evaluator.valueOf(arg));
          if (typescript.isCallExpression(merged)) this.children.add(merged);
        }
        return value.arguments.flatMap((a) => this.procedures(a, prefix, undefined, seen));
      }
      const record = this.evaluator.objectLiteralOf(value.arguments[0]!);
      return record ? this.record(record, prefix, seen) : [];
    }
    if (typescript.isObjectLiteralExpression(value) && prefix.length > 0) return this.record(value, prefix, seen);
    return [];
  }

  private record(record: ts.ObjectLiteralExpression, prefix: string[], seen: Set<ts.Node>): Procedure[] {
    const out: Procedure[] = [];
    for (const property of record.properties) {
      if (typescript.isSpreadAssignment(property))
        out.push(...this.procedures(property.expression, prefix, undefined, seen));
      else if (typescript.isPropertyAssignment(property)) {
        const key = propertyName(property.name);
        if (key !== undefined)
          out.push(...this.procedures(property.initializer, [...prefix, key], property.name, seen));
      } else if (typescript.isShorthandPropertyAssignment(property))
        out.push(...this.procedures(property.name, [...prefix, property.name.text], property.name, seen));
    }
    return out;
  }

  /** The export a `lazy(() => import(path).then((m) => m.name))` loads. */
  private lazyRouter(call: ts.CallExpression): ts.Expression | undefined {
    const loader = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
    if (!loader || !(typescript.isArrowFunction(loader) || typescript.isFunctionExpression(loader))) return undefined;
    let specifier: string | undefined;
    let exported = 'default';
    const visit = (node: ts.Node): void => {
      if (
        typescript.isCallExpression(node) &&
        node.expression.kind === typescript.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        typescript.isStringLiteralLike(node.arguments[0])
      )
        specifier = node.arguments[0].text;
      if (
        typescript.isPropertyAccessExpression(node) &&
        node.name.text !== 'then' &&
        typescript.isIdentifier(node.expression)
      )
        exported = node.name.text;
      typescript.forEachChild(node, visit);
    };
    visit(loader.body);
    const file = this.modules.fileFor(call);
    const target = specifier ? this.modules.resolveModule(file.path, specifier) : undefined;
    const module = target ? this.modules.code.get(target) : undefined;
    const binding = module ? this.modules.exportOf(module, exported) : undefined;
    return binding?.kind === 'value' ? binding.node : undefined;
  }

  /** `router: appRouter` resolves to a tRPC router. */
  isRouterValue(expression: ts.Expression, depth = 0): boolean {
    if (depth > 6) return false;
    const value = unwrap(this.evaluator.valueOf(expression));
    return typescript.isCallExpression(value) && this.isRouterCall(value, depth);
  }

  private holdsProcedures(record: ts.ObjectLiteralExpression, depth: number): boolean {
    if (depth > 6) return false;
    return record.properties.some((property) => {
      const value = typescript.isPropertyAssignment(property)
        ? property.initializer
        : typescript.isShorthandPropertyAssignment(property)
          ? property.name
          : undefined;
      if (!value) return false;
      const resolved = unwrap(this.evaluator.valueOf(value));
      if (typescript.isCallExpression(resolved)) {
        const name = calleeName(resolved);
        if (name === 'lazy') {
          const loaded = this.lazyRouter(resolved);
          return loaded !== undefined && this.isRouterValue(loaded, depth + 1);
        }
        return (
          (name !== undefined && KINDS.has(name) && this.isProcedureChain(resolved)) ||
          this.isRouterCall(resolved, depth + 1)
        );
      }
      return typescript.isObjectLiteralExpression(resolved) && this.holdsProcedures(resolved, depth + 1);
    });
  }

  /** `x.query(fn)` on a chain whose base is named as a procedure, or comes from `t.procedure`. */
  private isProcedureChain(call: ts.CallExpression): boolean {
    let node: ts.Expression = call;
    for (let i = 0; i < 12; i++) {
      node = unwrap(node);
      if (typescript.isCallExpression(node) && typescript.isPropertyAccessExpression(node.expression))
        node = node.expression.expression;
      else if (typescript.isPropertyAccessExpression(node)) return node.name.text === 'procedure';
      else if (typescript.isIdentifier(node)) return /procedure/i.test(node.text) || this.isProcedureBase(node);
      else return false;
    }
    return false;
  }

  private isProcedureBase(id: ts.Identifier): boolean {
    const value = unwrap(this.evaluator.valueOf(id));
    return (
      value !== id &&
      (typescript.isPropertyAccessExpression(value) || typescript.isCallExpression(value)) &&
      /\.procedure\b/.test(value.getText())
    );
  }

  /** Whether `t.router` comes from `initTRPC…create()`, or `router` is imported from @trpc/server. */
  private fromTrpc(callee: ts.Expression): boolean {
    const ref = this.evaluator.externalRef(callee);
    if (ref) return ref.module.startsWith('@trpc/server');
    const value = unwrap(this.evaluator.valueOf(callee));
    if (!typescript.isPropertyAccessExpression(value)) return false;
    let node: ts.Expression = unwrap(this.evaluator.valueOf(value.expression));
    for (let i = 0; i < 8; i++) {
      if (typescript.isCallExpression(node) || typescript.isPropertyAccessExpression(node))
        node = unwrap(node.expression);
      else break;
    }
    const root = this.evaluator.externalRef(node);
    return root?.module.startsWith('@trpc/server') === true;
  }

  /** What a procedure chain says: kind, handler, inputs, OpenAPI meta, authentication. */
  private procedure(call: ts.CallExpression): Omit<Procedure, 'name' | 'at' | 'call' | 'file'> {
    const memo = this.procedureMemo.get(call);
    if (memo) return memo;
    const kind = calleeName(call) as ProcedureKind;
    const handler = call.arguments[0] ? this.functionsOf(call.arguments[0])[0] : undefined;
    const inputs: ts.Expression[] = [];
    let openapi: Procedure['openapi'];
    const guards: string[] = [];
    let unknown = false;
    let base: string | undefined;
    let publicBase: string | undefined;
    let rootReached = false;
    let unresolved: string | undefined;
    let node: ts.Expression = (call.expression as ts.PropertyAccessExpression).expression;
    const seen = new Set<ts.Node>();
    for (let i = 0; i < 40 && !seen.has(node); i++) {
      seen.add(node);
      node = unwrap(node);
      if (typescript.isCallExpression(node) && typescript.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        const arg = node.arguments[0];
        if (method === 'input' && arg) inputs.push(arg);
        else if (method === 'meta' && arg && !openapi) openapi = this.openapiMeta(arg);
        else if (method === 'use' && arg) {
          const kindOf = this.middlewareKind(arg);
          if (kindOf === 'auth') guards.push(base ?? textOf(arg));
          else if (kindOf === 'unknown') unknown = true;
        }
        node = node.expression.expression;
      } else if (typescript.isPropertyAccessExpression(node) && node.name.text === 'procedure') {
        rootReached = true;
        break;
      } else if (typescript.isIdentifier(node)) {
        if (PUBLIC_NAME.test(node.text)) {
          publicBase = node.text;
          break;
        }
        base = node.text;
        const value = this.evaluator.valueOf(node);
        if (value === node || unwrap(value) === node) {
          unresolved = node.text;
          break;
        }
        node = value;
      } else break;
    }
    let auth: Procedure['auth'];
    if (guards.length > 0) auth = { guards };
    else if (publicBase) auth = { guards: [], optOut: publicBase };
    else if (unresolved && AUTH_NAME.test(unresolved)) auth = { guards: [unresolved] };
    else if (rootReached && !unknown) auth = { guards: [] };
    const facts = {
      kind,
      ...(handler ? { handler } : {}),
      inputs,
      ...(openapi ? { openapi } : {}),
      ...(auth ? { auth } : {}),
    };
    this.procedureMemo.set(call, facts);
    return facts;
  }

  private openapiMeta(arg: ts.Expression): Procedure['openapi'] {
    const meta = this.evaluator.objectLiteralOf(arg);
    const openapi = meta ? findProperty(meta, 'openapi') : undefined;
    const config = openapi ? this.evaluator.objectLiteralOf(openapi) : undefined;
    if (!config) return undefined;
    // `enabled: false`: described for documentation tooling but not served as REST.
    const enabled = findProperty(config, 'enabled');
    if (enabled && unwrap(enabled).kind === typescript.SyntaxKind.FalseKeyword) return undefined;
    const method = findProperty(config, 'method');
    const path = findProperty(config, 'path');
    const methodText = method ? this.evaluator.string(method) : undefined;
    const pathText = path ? this.evaluator.string(path) : undefined;
    if (!methodText?.exact || !pathText) return undefined;
    const protect = findProperty(config, 'protect');
    const protects = protect ? unwrap(protect).kind === typescript.SyntaxKind.TrueKeyword : undefined;
    return {
      method: methodText.value.toLowerCase(),
      path: pathText.value,
      ...(protects !== undefined ? { protect: protects } : {}),
    };
  }

  /** 'auth' when the middleware refuses anonymous callers (or is named so), 'unknown' when it cannot be read. */
  private middlewareKind(arg: ts.Expression): 'auth' | 'other' | 'unknown' {
    const node = unwrap(arg);
    const value = unwrap(this.evaluator.valueOf(node));
    const inner = typescript.isCallExpression(value) && value.arguments[0] ? value.arguments[0] : value;
    const fn =
      typescript.isArrowFunction(inner) || typescript.isFunctionExpression(inner) ? inner : this.functionsOf(inner)[0];
    const named = typescript.isIdentifier(node) && AUTH_NAME.test(node.text);
    if (!fn) return named ? 'auth' : 'unknown';
    const body = fn.getText();
    if (UNAUTHORIZED.test(body) || (FORBIDDEN.test(body) && CALLER_CHECK.test(body)) || named) return 'auth';
    return 'other';
  }
}

/** `t.router` → router, `createTRPCRouter` → createTRPCRouter, `x.query` → query. */
export function calleeName(call: ts.CallExpression): string | undefined {
  const callee = unwrap(call.expression);
  if (typescript.isIdentifier(callee)) return callee.text;
  if (typescript.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** Its key when written inline in a router; the variable that holds it when it is defined apart. */
function declarationSite(call: ts.CallExpression, at: ts.Node | undefined): ts.Node {
  const parent = call.parent;
  if (parent && typescript.isVariableDeclaration(parent)) return parent.name;
  return at ?? call;
}
