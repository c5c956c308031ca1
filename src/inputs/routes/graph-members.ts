/**
 * Two ways a router reaches code that the plain value-following of graph-builder.ts does not see:
 *
 * - as a property of an object argument: `registerUsersRoutes({ app, db })` received as
 *   `function registerUsersRoutes({ app, db }: Context)`, or as `context.app`, passed on
 *   (`registerRoutes(context)`) and spread (`{ app, ...dependencies }`);
 * - as an instance of a project class that extends a framework's app class (`class Api extends Koa`,
 *   `class extends Server` of @overnightjs/core): `this` inside it and `new Api()` are that app, and the
 *   framework may say that a member of it is the app too (`this.app`).
 *
 * Framework-blind: which classes make apps comes from the adapters' factories.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { Callables } from './callables.js';
import { adapterOf } from './frameworks/index.js';
import { returnedExpressions } from './functions.js';
import type { Framework, RouterNode } from './graph.js';
import type { Binding, Modules } from './modules.js';
import { type Evaluator, findProperty, packageName, unwrap } from './values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** What these readings need from the graph builder. */
export interface MemberGraph {
  readonly modules: Modules;
  readonly evaluator: Evaluator;
  readonly callables: Callables;
  targets(expression: ts.Expression): RouterNode[];
  /** The arguments given at `index` by every visible call of `fn`. */
  argumentsOf(fn: ts.FunctionLikeDeclaration, index: number): ts.Expression[];
  /** The factory a package export is, when extended by a class (`new` factories only). */
  classFactory(pkg: string, path: string): { framework: Framework; role: RouterNode['role'] } | undefined;
  nodeFor(creation: ts.Node, framework: Framework, role: RouterNode['role']): RouterNode;
}

const MAX_DEPTH = 10;

/** Answers by graph, expression and path: a context passed through many functions is followed once per path. */
const memos = new WeakMap<MemberGraph, Map<ts.Node, Map<string, RouterNode[]>>>();

/** The routers the property `path` of a value can be (`path` empty: the value itself). */
export function propertyTargets(
  graph: MemberGraph,
  expression: ts.Expression,
  path: readonly string[],
  depth = 0,
): RouterNode[] {
  if (path.length === 0) return graph.targets(expression);
  if (depth > MAX_DEPTH) return [];
  let byNode = memos.get(graph);
  if (!byNode) memos.set(graph, (byNode = new Map()));
  let byPath = byNode.get(expression);
  if (!byPath) byNode.set(expression, (byPath = new Map()));
  const key = path.join('.');
  const known = byPath.get(key);
  if (known) return known;
  byPath.set(key, []); // cycle guard
  const result = [...new Set(computePropertyTargets(graph, expression, path, depth))];
  byPath.set(key, result);
  return result;
}

function computePropertyTargets(
  graph: MemberGraph,
  expression: ts.Expression,
  path: readonly string[],
  depth: number,
): RouterNode[] {
  const node = unwrap(expression);
  if (typescript.isIdentifier(node)) {
    const binding = graph.modules.lookup(node);
    return binding ? bindingPropertyTargets(graph, binding, path, depth + 1) : [];
  }
  if (typescript.isPropertyAccessExpression(node))
    return propertyTargets(graph, node.expression, [node.name.text, ...path], depth + 1);
  if (typescript.isObjectLiteralExpression(node)) {
    const [name, ...rest] = path;
    const value = findProperty(node, name!);
    if (value) return propertyTargets(graph, value, rest, depth + 1);
    // `registerRoutes({ app, ...dependencies })`, `{ ...context, db }`: what the spread objects hold.
    return node.properties.flatMap((p) =>
      typescript.isSpreadAssignment(p) ? propertyTargets(graph, p.expression, path, depth + 1) : [],
    );
  }
  if (typescript.isCallExpression(node)) {
    // `const { app } = createServer(deps)`: the property of what the project function returns.
    return graph.callables
      .functionsOf(node.expression)
      .flatMap((fn) => returnedExpressions(fn).flatMap((e) => propertyTargets(graph, e, path, depth + 1)));
  }
  return [];
}

/** The routers a destructured name can be (a `property` binding). */
export function destructuredTargets(graph: MemberGraph, binding: Extract<Binding, { kind: 'property' }>): RouterNode[] {
  return bindingPropertyTargets(graph, binding.of, binding.path, 0);
}

function bindingPropertyTargets(
  graph: MemberGraph,
  binding: Binding,
  path: readonly string[],
  depth: number,
): RouterNode[] {
  if (depth > MAX_DEPTH) return [];
  switch (binding.kind) {
    case 'value':
      return propertyTargets(graph, binding.node, path, depth + 1);
    case 'param':
      return graph
        .argumentsOf(binding.fn as ts.FunctionLikeDeclaration, binding.index)
        .flatMap((arg) => propertyTargets(graph, arg, path, depth + 1));
    case 'property':
      return bindingPropertyTargets(graph, binding.of, [...binding.path, ...path], depth + 1);
    default:
      return [];
  }
}

/**
 * The app an instance of a project class is, when the class extends a framework's app class (directly or
 * through project classes): one node per class.
 */
export function classInstance(graph: MemberGraph, cls: ts.ClassLikeDeclaration, depth = 0): RouterNode[] {
  if (depth > 5) return [];
  for (const clause of cls.heritageClauses ?? []) {
    if (clause.token !== typescript.SyntaxKind.ExtendsKeyword) continue;
    const base = clause.types[0]?.expression;
    if (!base) continue;
    const ref = graph.evaluator.externalRef(base);
    const factory = ref ? graph.classFactory(packageName(ref.module), ref.path.join('.')) : undefined;
    if (factory) return [graph.nodeFor(cls, factory.framework, factory.role)];
    const binding = typescript.isIdentifier(base) ? graph.modules.lookup(base) : undefined;
    if (binding?.kind === 'class' && classInstance(graph, binding.node, depth + 1).length > 0) {
      const [inherited] = classInstance(graph, binding.node, depth + 1);
      return [graph.nodeFor(cls, inherited!.framework, inherited!.role)];
    }
  }
  return [];
}

/** A member of a framework class instance that is the app itself (`this.app` of an @overnightjs/core Server). */
export function instanceMemberTargets(graph: MemberGraph, cls: ts.ClassLikeDeclaration, name: string): RouterNode[] {
  return classInstance(graph, cls).filter((node) => adapterOf(node.framework).instanceMembers?.includes(name));
}
