/**
 * What a framework adapter declares, and what the generic graph builder offers it in return.
 *
 * The builder (../graph-builder.ts) follows values: which router nodes an expression can be,
 * across variables, functions, classes and files. An adapter says what is particular to one
 * framework — which package exports create apps and routers, which method calls register routes,
 * mount routers or add middleware, what a registration's arguments mean — as data where data can
 * say it, and as small hooks where it cannot. Adding a framework is one adapter file and one line
 * in ./index.ts.
 */
import type { ts } from 'ts-morph';
import type { Origin } from '../../../model/finding.js';
import type { CodeFile } from '../../code/index.js';
import type { Callables } from '../callables.js';
import type { Framework, RouteDecl, RouterNode } from '../graph.js';
import type { Modules } from '../modules.js';
import type { Evaluator, StringValue } from '../values.js';

/** A package export that creates an app or router: `express()`, `new Hono()`, `NestFactory.create(…)`. */
export interface Factory {
  /** Package names (as imported, without subpaths). */
  packages: readonly string[];
  /** The export's path inside the package: '' = the default export / module itself, `Router`, `NestFactory.create`. */
  paths: readonly string[];
  /** How it is invoked: a call, `new`, or either (undefined). */
  via?: 'call' | 'new';
  role: 'app' | 'router';
}

/** A route registration's arguments after the path, as the framework reads them. */
export interface MethodRouteParts {
  /** The handler argument (undefined when it could not be found). */
  handler: ts.Expression | undefined;
  /** Middleware that runs before the handler, in order. */
  middleware: ts.Expression[];
  querySchemas: ts.Expression[];
  /** A public-on-purpose marker read from the route's options (when no middleware says so). */
  optOut?: string;
  hidden: { hiddenFromDocs?: true; deprecated?: true };
}

/** HTTP exception classes a framework exports: thrown, the framework answers with their status. */
export interface HttpExceptions {
  /** Whether a module exports them (`@nestjs/common`, `hono/http-exception`). */
  fromModule: (module: string) => boolean;
  /** No other class of the module is read as an error site. */
  exclusive?: boolean;
  /** Class name → the status it answers with; undefined when the status is an argument. */
  statuses: Readonly<Record<string, number | undefined>>;
  /** A `new` of one of the classes: its status, and the message of its body (or that the body is not known). */
  read: (
    className: string,
    args: readonly ts.Expression[],
    evaluator: Evaluator,
  ) => { status?: number; message?: ts.Expression; unknownBody?: boolean };
}

/** A method call on one of the framework's nodes with a meaning of its own (`route`, `register`, `addHook`). */
export type VerbHook = (graph: GraphContext, call: ts.CallExpression, receiver: RouterNode, file: CodeFile) => void;
/** What a method call on one of the framework's nodes evaluates to, when not the receiver itself. */
export type ReturnHook = (graph: GraphContext, call: ts.CallExpression, receiver: RouterNode) => RouterNode[];

export interface FrameworkAdapter {
  readonly framework: Framework;
  /** The framework's own packages: a handler is written in them, it does not delegate to them. */
  readonly packages: readonly string[];
  /**
   * Specifier prefixes of its plugin family (`@fastify/`, `koa-`): a file importing one is a seed of the
   * graph's scope whether or not the adapter names the package.
   */
  readonly packageFamilies?: readonly string[];
  /** Its plugin and mount helpers (`fastify-plugin`, `koa-mount`): recognised by name, like its packages. */
  readonly helperPackages?: readonly string[];
  /**
   * A package of the framework that exports auth middleware among others: the sub-modules whose
   * middleware authenticates (`hono/jwt`, `hono/bearer-auth`; not `hono/cors`).
   */
  readonly authModules?: { package: string; modules: RegExp };
  /**
   * Packages whose import says a file is written for this framework: a router parameter whose
   * callers are not visible is taken to be one of its routers.
   */
  readonly importedFrom: readonly string[];
  /** A parameter type annotation naming the framework's app or router (`FastifyInstance`, `Hono`). */
  readonly parameterType?: {
    pattern: RegExp;
    /** A generic name (`Router`, `Application`): the file's own framework wins, and it is tried after the others. */
    generic?: boolean;
  };
  readonly factories: readonly Factory[];
  /** Callee names worth resolving up front as possible factories (`express`, `Router`, `create`). */
  readonly factoryCallees: readonly string[];
  /** Whether `use(path?, value)` mounts routers (Express, Koa) or only adds middleware (Hono, Fastify). */
  readonly useMounts: boolean;
  /** Whether the HTTP method calls (`get`, `post`…) register routes (Nest apps declare them with decorators). */
  readonly methodRoutes: boolean;
  /** Whether `all(path, handler)` registers a route for every method. */
  readonly allMethodsRoute: boolean;
  /** Reads a method route's arguments after the path; by default `(path, ...middleware, handler)`. */
  readonly methodRouteParts?: (graph: GraphContext, args: readonly ts.Expression[]) => MethodRouteParts;
  /** Method calls with a meaning of their own, in the order they are read. */
  readonly verbs?: Readonly<Record<string, VerbHook>>;
  /** Method calls that return their receiver (chaining), besides the HTTP methods and `use`. */
  readonly chainable?: readonly string[];
  /** Method calls that evaluate to something else than their receiver. */
  readonly returns?: Readonly<Record<string, ReturnHook>>;
  /**
   * Members of an instance of a project class extending the framework's app class that are the app itself
   * (`this.app` of an @overnightjs/core `Server`).
   */
  readonly instanceMembers?: readonly string[];
  /** Runs once when a node is created by one of its factories (options given at creation). */
  readonly created?: (graph: GraphContext, node: RouterNode, creation: ts.Node) => void;
  /** The nodes a function's parameter can be because of how the framework calls it (Fastify plugins). */
  readonly parameterNodes?: (graph: GraphContext, fn: ts.FunctionLikeDeclaration, index: number) => RouterNode[];
  /** Packages whose call wraps a plugin function so that it shares its parent's context (`fastify-plugin`). */
  readonly contextSharingWrappers?: readonly string[];
  /**
   * Packages that register every file of a folder (`@fastify/autoload`): those files are imported by no
   * one, yet are the service's code. `dir` finds the folder in the text of the file that loads it; its
   * first group holds the path segments as string literals.
   */
  readonly folderLoaders?: ReadonlyArray<{ package: string; dir: RegExp }>;
  /** Packages whose call mounts a child with an optional prefix: `mount('/v1', app)` (`koa-mount`). */
  readonly mountWrappers?: readonly string[];
  /** How an app is handed to a server: functions called with it (`serve(app)`), members read from it (`app.fetch`). */
  readonly servedBy?: { calls?: readonly string[]; reads?: readonly string[] };
  /** Modules whose export turns an app into a Next.js route handler (`handle` from `hono/vercel`). */
  readonly nextHandlerModules?: readonly string[];
  readonly httpExceptions?: HttpExceptions;
  /** Packages of error helpers (`createError(404, 'msg')`, `createError.NotFound('msg')`) the framework brings. */
  readonly errorHelpers?: readonly string[];
  /** The parameter decorator that binds the query (`@Query()`): the names it reads are the handler's query parameters. */
  readonly queryDecorator?: string;
  /** A handler's return value is the response body (Fastify, Nest), not only `res.send(…)`. */
  readonly returnsBody: boolean;
  /** An app is also a router: it is a service only when served or when it mounts others (Hono). */
  readonly appIsRouter?: boolean;
  /** Its routes are declared outside the router graph (Nest controllers, Next.js files): its nodes are not walked for routes. */
  readonly routesOutsideGraph?: boolean;
}

/** What the generic graph builder offers adapters. */
export interface GraphContext {
  readonly modules: Modules;
  readonly evaluator: Evaluator;
  readonly callables: Callables;
  /** The router nodes an expression can be. */
  targets(expression: ts.Expression): RouterNode[];
  /** `x.<verb>(…)` calls collected in the walk, in source order. */
  callsOf(verb: string): readonly ts.CallExpression[];
  /** The node created under `key`, if any. */
  existingNode(key: string): RouterNode | undefined;
  makeNode(
    key: string,
    file: CodeFile,
    at: ts.Node,
    name: string,
    framework: Framework,
    role: RouterNode['role'],
  ): RouterNode;
  /** A node standing for the same application as `parent`, mounted on it at `prefix` (`app.basePath('/api')`). */
  derived(call: ts.CallExpression, parent: RouterNode, prefix: StringValue): RouterNode;
  /** `router.route(path)`: a node whose method calls register routes at `path`. */
  routeHandle(call: ts.CallExpression, parent: RouterNode): RouterNode;
  mount(parent: RouterNode, child: RouterNode, prefix: StringValue, at: Origin, order?: number): void;
  addRoute(node: RouterNode, route: RouteDecl): void;
  /** Records middleware on a node: ordered by where it is registered, unless `ordered` is false (it covers the whole node). */
  addMiddleware(
    receiver: RouterNode,
    arg: ts.Expression,
    scopes: StringValue[],
    file: CodeFile,
    ordered?: boolean,
  ): void;
  /** Packages passed as middleware or plugins (`promBundle(…)`, `require('fastify-metrics')`). */
  notePackages(receiver: RouterNode, args: readonly ts.Expression[]): void;
  routeGuards(
    receiver: RouterNode,
    middle: readonly ts.Expression[],
  ): Pick<RouteDecl, 'guards' | 'optOut' | 'unknownMiddleware'>;
  routeRoles(
    middle: readonly ts.Expression[],
    handler: ts.Expression | undefined,
  ): Pick<
    RouteDecl,
    'signatureMiddleware' | 'delegatesTo' | 'pagingMiddleware' | 'scheduledMiddleware' | 'secretMiddleware'
  >;
  handlerOf(expression: ts.Expression | undefined): { handler?: ts.FunctionLikeDeclaration };
}

/** State an adapter keeps for one graph (one run): made on first use. */
export function perGraph<T>(make: (graph: GraphContext) => T): (graph: GraphContext) => T {
  const states = new WeakMap<GraphContext, T>();
  return (graph) => {
    let state = states.get(graph);
    if (state === undefined) states.set(graph, (state = make(graph)));
    return state;
  };
}
