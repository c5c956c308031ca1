/**
 * Static values the route extractors need: strings (route paths and prefixes from literals,
 * `const`s, template literals of constants, `+`), and what package export a callee is.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import { returnedExpressions } from './functions.js';
import type { Binding, Modules } from './modules.js';
import { type QualifiedRef, qualifiedRef, unwrapExpression } from '../../model/qualified-names.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** A path or prefix as far as it could be evaluated: unknown parts are written `<source text>`. */
export interface StringValue {
  value: string;
  exact: boolean;
}

/** Strips what does not change a value: parentheses, `as`, `!`, `satisfies`, `await`, type assertions. */
export function unwrap(expression: ts.Expression): ts.Expression {
  return unwrapExpression(typescript, expression, { await: true });
}

export class Evaluator {
  private readonly strings = new Map<ts.Node, StringValue | undefined>();

  constructor(readonly modules: Modules) {}

  /** The string an expression evaluates to; undefined when it is not string-like at all. */
  string(expression: ts.Expression, depth = 0): StringValue | undefined {
    if (this.strings.has(expression)) return this.strings.get(expression);
    this.strings.set(expression, undefined); // cycle guard
    const result = this.evaluate(expression, depth);
    this.strings.set(expression, result);
    return result;
  }

  /** Like string(), but an unknown expression becomes `<its text>` (not exact). */
  stringOrText(expression: ts.Expression): StringValue {
    return this.string(expression) ?? { value: `<${textOf(expression)}>`, exact: false };
  }

  private evaluate(expression: ts.Expression, depth: number): StringValue | undefined {
    if (depth > 20) return undefined;
    const node = unwrap(expression);
    if (typescript.isStringLiteral(node) || typescript.isNoSubstitutionTemplateLiteral(node))
      return { value: node.text, exact: true };
    if (typescript.isNumericLiteral(node)) return { value: node.text, exact: true };
    if (typescript.isTemplateExpression(node)) {
      let value = node.head.text;
      let exact = true;
      for (const span of node.templateSpans) {
        const part = this.string(span.expression, depth + 1) ?? { value: `<${textOf(span.expression)}>`, exact: false };
        value += part.value + span.literal.text;
        exact &&= part.exact;
      }
      return { value, exact };
    }
    if (typescript.isBinaryExpression(node) && node.operatorToken.kind === typescript.SyntaxKind.PlusToken) {
      const left = this.string(node.left, depth + 1);
      const right = this.string(node.right, depth + 1);
      if (!left && !right) return undefined;
      const l = left ?? { value: `<${textOf(node.left)}>`, exact: false };
      const r = right ?? { value: `<${textOf(node.right)}>`, exact: false };
      return { value: l.value + r.value, exact: l.exact && r.exact };
    }
    // `route || '/health'`, `options.prefix ?? '/api'`: a setting with a default; what is served unless configured.
    if (
      typescript.isBinaryExpression(node) &&
      [typescript.SyntaxKind.BarBarToken, typescript.SyntaxKind.QuestionQuestionToken].includes(node.operatorToken.kind)
    ) {
      const left = this.string(node.left, depth + 1);
      if (left?.exact) return left;
      const fallback = this.string(node.right, depth + 1);
      return fallback ? { value: fallback.value, exact: false } : undefined;
    }
    if (typescript.isIdentifier(node)) return this.fromBinding(this.modules.lookup(node), depth);
    if (typescript.isCallExpression(node)) return this.wrappedPath(node, depth);
    if (typescript.isPropertyAccessExpression(node) || typescript.isElementAccessExpression(node)) {
      const name = typescript.isPropertyAccessExpression(node) ? node.name.text : literalKey(node.argumentExpression);
      if (name === undefined) return undefined;
      const object = this.objectLiteralOf(node.expression, depth);
      if (object) {
        const property = findProperty(object, name);
        return property ? this.string(property, depth + 1) : undefined;
      }
      const enumDecl = this.enumOf(node.expression);
      if (enumDecl) {
        const member = enumDecl.members.find(
          (m) => (typescript.isIdentifier(m.name) || typescript.isStringLiteral(m.name)) && m.name.text === name,
        );
        return member?.initializer ? this.string(member.initializer, depth + 1) : undefined;
      }
    }
    return undefined;
  }

  /**
   * `getExpressPath('/health')` of `function getExpressPath(path) { … return `/${root}/${path}` }`: a project function
   * that puts the path it is given at the end of a root it computes (a configured base URL). The path is served under
   * that unknown root: `<getExpressPath>/health`, not exact. Any other call is not a string archlint knows.
   */
  private wrappedPath(call: ts.CallExpression, depth: number): StringValue | undefined {
    const [argument] = call.arguments;
    if (call.arguments.length !== 1 || !argument || !typescript.isIdentifier(call.expression)) return undefined;
    const path = this.string(argument, depth + 1);
    if (!path?.exact || !path.value.startsWith('/')) return undefined;
    const fn = functionBound(this.modules.lookup(call.expression));
    const parameter = fn?.parameters[0]?.name;
    if (fn?.parameters.length !== 1 || !parameter || !typescript.isIdentifier(parameter)) return undefined;
    const returns = returnedExpressions(fn);
    const endsWithPath = (e: ts.Expression) => {
      const value = unwrap(e);
      if (typescript.isTemplateExpression(value)) {
        const last = value.templateSpans.at(-1)!;
        return last.literal.text === '' && isNamed(last.expression, parameter.text);
      }
      return (
        typescript.isBinaryExpression(value) &&
        value.operatorToken.kind === typescript.SyntaxKind.PlusToken &&
        isNamed(value.right, parameter.text)
      );
    };
    if (returns.length === 0 || !returns.every(endsWithPath)) return undefined;
    return { value: `<${call.expression.text}>${path.value}`, exact: false };
  }

  private fromBinding(binding: Binding | undefined, depth: number): StringValue | undefined {
    if (binding?.kind === 'value') return this.string(binding.node, depth + 1);
    return undefined;
  }

  /** What an expression stands for, through `const` variables and namespace imports (`routes.getMeRoute`). */
  valueOf(expression: ts.Expression, depth = 0): ts.Expression {
    const node = unwrap(expression);
    if (depth > 10) return node;
    if (typescript.isIdentifier(node)) {
      const binding = this.modules.lookup(node);
      if (binding?.kind === 'value') return this.valueOf(binding.node, depth + 1);
    } else if (typescript.isPropertyAccessExpression(node) && typescript.isIdentifier(node.expression)) {
      const binding = this.modules.lookup(node.expression);
      if (binding?.kind === 'module') {
        const exported = this.modules.exportOf(binding.file, node.name.text);
        if (exported?.kind === 'value') return this.valueOf(exported.node, depth + 1);
      }
    }
    return node;
  }

  /** The object literal an expression refers to (`const ROUTES = { users: '/users' } as const`). */
  objectLiteralOf(expression: ts.Expression, depth = 0): ts.ObjectLiteralExpression | undefined {
    if (depth > 10) return undefined;
    const node = unwrap(expression);
    if (typescript.isObjectLiteralExpression(node)) return node;
    const value = this.valueOf(node);
    if (value !== node) return this.objectLiteralOf(value, depth + 1);
    if (typescript.isPropertyAccessExpression(node)) {
      const parent = this.objectLiteralOf(node.expression, depth + 1);
      const value = parent ? findProperty(parent, node.name.text) : undefined;
      return value ? this.objectLiteralOf(value, depth + 1) : undefined;
    }
    return undefined;
  }

  private enumOf(expression: ts.Expression): ts.EnumDeclaration | undefined {
    const node = unwrap(expression);
    if (!typescript.isIdentifier(node)) return undefined;
    const binding = this.modules.lookup(node);
    return binding?.kind === 'enum' ? binding.node : undefined;
  }

  /**
   * The package export an expression names: `express` → {express, []}, `express.Router` →
   * {express, [Router]}, `Router` imported from express → {express, [Router]}. Default and
   * namespace imports are the module itself. The code-analysis layer's `qualifiedRef` (what rules
   * get from `qualifiedName`) with the root name resolved in its scope and across files, through
   * `const` values and re-exports.
   */
  externalRef(expression: ts.Expression, depth = 0): QualifiedRef | undefined {
    if (depth > 10) return undefined;
    return qualifiedRef(
      typescript,
      expression,
      (root) => {
        const binding = this.modules.lookup(root);
        if (binding?.kind === 'external') return binding;
        if (binding?.kind === 'value') return this.externalRef(binding.node, depth + 1);
        return undefined;
      },
      { await: true },
    );
  }
}

export function findProperty(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of object.properties) {
    if (typescript.isPropertyAssignment(property) && propertyName(property.name) === name) return property.initializer;
    if (typescript.isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
  }
  return undefined;
}

export function propertyName(name: ts.PropertyName): string | undefined {
  if (
    typescript.isIdentifier(name) ||
    typescript.isStringLiteral(name) ||
    typescript.isNumericLiteral(name) ||
    typescript.isPrivateIdentifier(name)
  )
    return name.text;
  if (typescript.isComputedPropertyName(name) && typescript.isStringLiteralLike(name.expression))
    return name.expression.text;
  return undefined;
}

function literalKey(expression: ts.Expression): string | undefined {
  return typescript.isStringLiteralLike(expression) || typescript.isNumericLiteral(expression)
    ? expression.text
    : undefined;
}

/** Source text with whitespace collapsed, short enough for a path placeholder. */
export function textOf(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** The name of a package from an import specifier: `@koa/router`, `express` (from `express/lib/x`). */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const EQUALITY = new Set([
  typescript.SyntaxKind.EqualsEqualsEqualsToken,
  typescript.SyntaxKind.ExclamationEqualsEqualsToken,
  typescript.SyntaxKind.EqualsEqualsToken,
  typescript.SyntaxKind.ExclamationEqualsToken,
]);

/** `a === b`, `a !== b`, `a == b`, `a != b`: a comparison for (in)equality. */
export function isEqualityComparison(node: ts.Node): node is ts.BinaryExpression {
  return typescript.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind);
}

/** The function a name is bound to: a declaration, or a `const` holding an arrow function or function expression. */
function functionBound(binding: Binding | undefined): ts.FunctionLikeDeclaration | undefined {
  if (binding?.kind === 'function') return binding.node;
  const value = binding?.kind === 'value' ? unwrap(binding.node) : undefined;
  return value && (typescript.isArrowFunction(value) || typescript.isFunctionExpression(value)) ? value : undefined;
}

function isNamed(expression: ts.Expression, name: string): boolean {
  const node = unwrap(expression);
  return typescript.isIdentifier(node) && node.text === name;
}
