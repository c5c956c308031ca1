/**
 * Which project functions an expression can call, and which class an expression is an instance
 * of: declarations, arrow functions, imports (ES and CommonJS), object members, class methods and
 * fields, and wrappers around them (`fp(plugin)`, `makePlugin(options)` returning one).
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import { returnedExpressions } from './functions.js';
import type { Binding, Modules } from './modules.js';
import { requireSpecifier } from './modules.js';
import { findProperty, unwrap, type Evaluator } from './values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

export interface Callable {
  fn: ts.FunctionLikeDeclaration;
  /**
   * Wrapped in a package that makes a plugin share its parent's context (fastify-plugin): registered
   * into the parent, its prefix ignored.
   */
  sharesContext: boolean;
}

export class Callables {
  constructor(
    private readonly modules: Modules,
    private readonly evaluator: Evaluator,
    /** Packages whose call wraps a plugin function so that it shares its parent's context. */
    private readonly contextSharingWrappers: ReadonlySet<string>,
  ) {}

  /** functionsOf's answers from the top (depth 0): the graph asks again for the same callees (issue 22). */
  private readonly functionsMemo = new Map<ts.Expression, ts.FunctionLikeDeclaration[]>();

  /** Project functions an expression can call: declarations, arrow functions, imports, fp()/wrappers. */
  functionsOf(expression: ts.Expression, depth = 0): ts.FunctionLikeDeclaration[] {
    if (depth !== 0) return this.of(expression, depth).map((ref) => ref.fn);
    let memo = this.functionsMemo.get(expression);
    if (!memo) this.functionsMemo.set(expression, (memo = this.of(expression, depth).map((ref) => ref.fn)));
    return [...memo];
  }

  of(expression: ts.Expression, depth = 0): Callable[] {
    if (depth > 8) return [];
    const node = unwrap(expression);
    if (typescript.isArrowFunction(node) || typescript.isFunctionExpression(node))
      return [{ fn: node, sharesContext: false }];
    if (typescript.isIdentifier(node)) return this.ofBinding(this.modules.lookup(node), depth);
    if (typescript.isCallExpression(node)) {
      const spec = requireSpecifier(node);
      if (spec !== undefined) return this.moduleDefault(node, spec, depth);
      const ref = this.evaluator.externalRef(node.expression);
      if (ref && this.contextSharingWrappers.has(ref.module) && node.arguments[0]) {
        return this.of(node.arguments[0], depth + 1).map((r) => ({ ...r, sharesContext: true }));
      }
      if (ref) return [];
      // A project factory that builds the plugin: `register(metrics({ enabledEndpoint }))` registers what it returns.
      return this.of(node.expression, depth + 1).flatMap((factory) =>
        returnedExpressions(factory.fn).flatMap((e) => this.of(e, depth + 1)),
      );
    }
    if (typescript.isPropertyAccessExpression(node)) {
      if (node.name.text === 'default') {
        const spec = requireSpecifier(node);
        if (spec !== undefined) return this.moduleDefault(node, spec, depth);
      }
      const object = unwrap(node.expression);
      if (typescript.isIdentifier(object)) {
        const binding = this.modules.lookup(object);
        if (binding?.kind === 'module')
          return this.ofBinding(this.modules.exportOf(binding.file, node.name.text), depth);
        // `const renders = require('./renders')` with `module.exports = { confirmUserDelete }`, or a local
        // `const handlers = { list, show }`: the member is the object's property.
        const value = binding?.kind === 'value' ? unwrap(binding.node) : undefined;
        if (value && typescript.isObjectLiteralExpression(value)) {
          const member = findProperty(value, node.name.text);
          if (member) return this.of(member, depth + 1);
        }
      }
      const cls = this.classOf(object);
      const member = cls ? classMethod(cls, node.name.text) : undefined;
      if (member) return [{ fn: member, sharesContext: false }];
    }
    return [];
  }

  ofBinding(binding: Binding | undefined, depth: number): Callable[] {
    if (!binding) return [];
    if (binding.kind === 'function') return [{ fn: binding.node, sharesContext: false }];
    if (binding.kind === 'value') return this.of(binding.node, depth + 1);
    return [];
  }

  private moduleDefault(at: ts.Node, spec: string, depth: number): Callable[] {
    const target = this.modules.resolveModule(this.modules.fileFor(at).path, spec);
    const file = target ? this.modules.code.get(target) : undefined;
    return file ? this.ofBinding(this.modules.exportOf(file, 'default'), depth) : [];
  }

  /** The class an expression is an instance of: `this` inside a class, `new C()`, a variable holding one. */
  classOf(expression: ts.Expression, depth = 0): ts.ClassLikeDeclaration | undefined {
    if (depth > 5) return undefined;
    const node = unwrap(expression);
    if (node.kind === typescript.SyntaxKind.ThisKeyword) {
      for (let p: ts.Node | undefined = node.parent; p; p = p.parent) if (typescript.isClassLike(p)) return p;
      return undefined;
    }
    if (typescript.isNewExpression(node)) {
      // `new (class extends Server { … })()`: the class written in place.
      const callee = unwrap(node.expression);
      if (typescript.isClassExpression(callee)) return callee;
      return typescript.isIdentifier(callee) ? this.classNamed(callee, depth) : undefined;
    }
    if (typescript.isIdentifier(node)) {
      const binding = this.modules.lookup(node);
      if (binding?.kind === 'value') return this.classOf(binding.node, depth + 1);
      // A class itself: its static members (`UserController.list`).
      if (binding?.kind === 'class') return binding.node;
    }
    // `this.apiRouter` where the constructor did `this.apiRouter = new ApiRouter(this)` (audiobookshelf's
    // Server): the class of the instance the member holds, so `this.apiRouter.router` is that class's router.
    if (typescript.isPropertyAccessExpression(node)) {
      const owner = this.classOf(node.expression, depth + 1);
      const value = owner ? classMemberValue(owner, node.name.text) : undefined;
      if (value && unwrap(value) !== node) return this.classOf(value, depth + 1);
    }
    return undefined;
  }

  /** The class a name refers to: declared here, or imported (`const ApiRouter = require('./ApiRouter')` of `module.exports = ApiRouter`). */
  private classNamed(name: ts.Identifier, depth: number): ts.ClassLikeDeclaration | undefined {
    const binding = this.modules.lookup(name);
    if (binding?.kind === 'class') return binding.node;
    if (binding?.kind !== 'value' || depth > 5) return undefined;
    const value = unwrap(binding.node);
    if (typescript.isClassExpression(value)) return value;
    return typescript.isIdentifier(value) ? this.classNamed(value, depth + 1) : undefined;
  }
}

/** A class field's initializer, or what the constructor assigns to `this.<name>`. */
export function classMemberValue(cls: ts.ClassLikeDeclaration, name: string): ts.Expression | undefined {
  for (const member of cls.members) {
    if (typescript.isPropertyDeclaration(member) && member.name.getText() === name && member.initializer)
      return member.initializer;
  }
  for (const member of cls.members) {
    if (!typescript.isConstructorDeclaration(member) || !member.body) continue;
    for (const statement of member.body.statements) {
      if (!typescript.isExpressionStatement(statement) || !typescript.isBinaryExpression(statement.expression))
        continue;
      const { left, right, operatorToken } = statement.expression;
      if (
        operatorToken.kind === typescript.SyntaxKind.EqualsToken &&
        typescript.isPropertyAccessExpression(left) &&
        left.expression.kind === typescript.SyntaxKind.ThisKeyword &&
        left.name.text === name
      ) {
        return right;
      }
    }
  }
  return undefined;
}

/**
 * The method `this.<field>.<method>` runs when the field is an injected service: a field or constructor parameter
 * property typed with a project class (`constructor(private readonly repoService: RepoService)`, NestJS's injection).
 */
export function injectedMethod(access: ts.Expression, modules: Modules): ts.FunctionLikeDeclaration | undefined {
  const node = unwrap(access);
  if (!typescript.isPropertyAccessExpression(node)) return undefined;
  const receiver = unwrap(node.expression);
  if (
    !typescript.isPropertyAccessExpression(receiver) ||
    unwrap(receiver.expression).kind !== typescript.SyntaxKind.ThisKeyword
  )
    return undefined;
  let owner: ts.Node | undefined = node.parent;
  while (owner && !typescript.isClassLike(owner)) owner = owner.parent;
  const type = owner ? memberTypeName(owner as ts.ClassLikeDeclaration, receiver.name.text) : undefined;
  const binding = type ? modules.lookup(type) : undefined;
  return binding?.kind === 'class' ? classMethod(binding.node, node.name.text) : undefined;
}

/** The class name a field or constructor parameter property is typed with (`private readonly users: UsersService`). */
export function memberTypeName(owner: ts.ClassLikeDeclaration, name: string): ts.Identifier | undefined {
  for (const member of owner.members) {
    if (typescript.isPropertyDeclaration(member) && member.name.getText() === name) return typeName(member.type);
    if (typescript.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (typescript.isIdentifier(parameter.name) && parameter.name.text === name) return typeName(parameter.type);
      }
    }
  }
  return undefined;
}

function typeName(type: ts.TypeNode | undefined): ts.Identifier | undefined {
  return type && typescript.isTypeReferenceNode(type) && typescript.isIdentifier(type.typeName)
    ? type.typeName
    : undefined;
}

function classMethod(cls: ts.ClassLikeDeclaration, name: string): ts.FunctionLikeDeclaration | undefined {
  for (const member of cls.members) {
    if (typescript.isMethodDeclaration(member) && member.name.getText() === name) return member;
    if (typescript.isPropertyDeclaration(member) && member.name.getText() === name && member.initializer) {
      const init = unwrap(member.initializer);
      if (typescript.isArrowFunction(init) || typescript.isFunctionExpression(init)) return init;
    }
  }
  return undefined;
}
