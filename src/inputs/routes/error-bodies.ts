/**
 * What the body of an error response carries: text, an object and its properties (also through a
 * constant, a spread, a project function returning an object literal or a project class), or a caught
 * error passed on. Split from errors.ts, which finds the error sites; this module reads what they send.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { ErrorBody } from '../../model/code-http.js';
import type { Modules } from './modules.js';
import { returnedExpressions } from './functions.js';
import { classFields, errorObjectOf, literalText } from './error-values.js';
import { propertyName, unwrap } from './values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** The fields of each error express-validator lists (`type` is `'field'`, a kind of input, not an error code). */
const VALIDATION_ERROR_FIELDS = ['msg', 'path', 'location'];

export class ErrorBodies {
  constructor(
    private readonly modules: Modules,
    /** The caught error a node passes on, unless narrowed to the project's own errors (ErrorSites.leak). */
    private readonly leak: (node: ts.Expression) => string | undefined,
  ) {}

  /** What a body expression carries. */
  of(expression: ts.Expression | undefined, depth = 0): ErrorBody {
    if (!expression || depth > 5) return { kind: expression ? 'unknown' : 'none' };
    const node = unwrap(expression);
    if (node.kind === typescript.SyntaxKind.NullKeyword || (typescript.isIdentifier(node) && node.text === 'undefined'))
      return { kind: 'none' };
    if (typescript.isStringLiteralLike(node) || typescript.isTemplateExpression(node))
      return { kind: 'text', text: literalText(node) };
    const leak = this.leak(node);
    if (leak)
      return typescript.isIdentifier(node) ? { kind: 'raw-error', leaked: leak } : { kind: 'text', leaked: leak };
    if (typescript.isObjectLiteralExpression(node)) return this.objectBody(node);
    if (typescript.isIdentifier(node)) {
      const binding = this.modules.lookup(node);
      if (binding?.kind === 'value') return this.of(binding.node, depth + 1);
      return { kind: 'unknown' };
    }
    if (typescript.isCallExpression(node)) {
      const name = typescript.isIdentifier(node.expression)
        ? node.expression.text
        : typescript.isPropertyAccessExpression(node.expression)
          ? node.expression.name.text
          : undefined;
      const fn = this.projectFunction(node.expression);
      if (fn && name) {
        const object = returnedExpressions(fn)
          .map((e) => unwrap(e))
          .find(typescript.isObjectLiteralExpression);
        if (object) return { ...this.objectBody(object), builtBy: name };
      }
      return { kind: 'unknown' };
    }
    if (typescript.isNewExpression(node) && typescript.isIdentifier(node.expression)) {
      const binding = this.modules.lookup(node.expression);
      if (binding?.kind === 'class')
        return { kind: 'object', properties: classFields(binding.node), builtBy: node.expression.text };
    }
    return { kind: 'unknown' };
  }

  private objectBody(object: ts.ObjectLiteralExpression): ErrorBody {
    const properties: string[] = [];
    const stringProperties: Record<string, string> = {};
    let nestedErrorProperties: string[] | undefined;
    let leaked: string | undefined;
    let hidden = false;
    for (const property of object.properties) {
      // `{statusCode, ...mapIssue(error)}`: properties archlint cannot list (a spread it does not resolve to an object).
      if (typescript.isSpreadAssignment(property)) {
        const spread = this.spreadObject(property.expression);
        if (spread) properties.push(...spread);
        else hidden = true;
        continue;
      }
      const name = property.name ? propertyName(property.name) : undefined;
      if (!name) continue;
      properties.push(name);
      const value = typescript.isPropertyAssignment(property)
        ? unwrap(property.initializer)
        : typescript.isShorthandPropertyAssignment(property)
          ? property.name
          : undefined;
      if (!value) continue;
      if (typescript.isStringLiteralLike(value) || typescript.isTemplateExpression(value))
        stringProperties[name] = literalText(value);
      leaked ??= this.leak(value);
      // `{error: {code, message}}`, and the list of error objects of GraphQL and JSON:API: `{errors: [{message, path}]}`.
      const nested =
        name === 'error' && typescript.isObjectLiteralExpression(value)
          ? value
          : name === 'errors' && typescript.isArrayLiteralExpression(value) && value.elements[0]
            ? errorObjectOf(value.elements[0])
            : undefined;
      if (nested) {
        nestedErrorProperties = nested.properties.flatMap((p) => {
          const n = p.name ? propertyName(p.name) : undefined;
          return n ? [n] : [];
        });
      }
      // `{errors: result.array()}` of express-validator: its list of field errors, each `{type, msg, path, location}`.
      else if (name === 'errors' && this.isValidationResultList(value)) nestedErrorProperties = VALIDATION_ERROR_FIELDS;
    }
    // What the spread adds is not known: it may be the code and the message. A leak is still one.
    if (hidden && !leaked) return { kind: 'unknown' };
    return {
      kind: 'object',
      properties,
      stringProperties,
      ...(nestedErrorProperties ? { nestedErrorProperties } : {}),
      ...(leaked ? { leaked } : {}),
    };
  }

  /**
   * `errors.array()` where `errors = validationResult(req)` (or `validationResult(req).array()`): express-validator's
   * list of the request's field errors, each with its message (`msg`) and the field it is about (`path`).
   */
  private isValidationResultList(value: ts.Expression): boolean {
    if (!typescript.isCallExpression(value) || value.arguments.length > 1) return false;
    const callee = unwrap(value.expression);
    if (!typescript.isPropertyAccessExpression(callee) || !/^(array|formatWith)$/.test(callee.name.text)) return false;
    let result = unwrap(callee.expression);
    if (typescript.isIdentifier(result)) {
      const binding = this.modules.lookup(result);
      if (binding?.kind !== 'value') return false;
      result = unwrap(binding.node);
    }
    return (
      typescript.isCallExpression(result) &&
      /^validationResult$/.test(unwrap(result.expression).getText().split('.').pop() ?? '')
    );
  }

  /** The property names a spread adds, when it spreads an object literal (directly or through a constant). */
  private spreadObject(expression: ts.Expression): string[] | undefined {
    let node = unwrap(expression);
    if (typescript.isIdentifier(node)) {
      const binding = this.modules.lookup(node);
      if (binding?.kind !== 'value') return undefined;
      node = unwrap(binding.node);
    }
    if (!typescript.isObjectLiteralExpression(node)) return undefined;
    const names: string[] = [];
    for (const property of node.properties) {
      if (typescript.isSpreadAssignment(property)) return undefined;
      const name = property.name ? propertyName(property.name) : undefined;
      if (name) names.push(name);
    }
    return names;
  }

  projectFunction(callee: ts.Expression): ts.FunctionLikeDeclaration | undefined {
    const node = unwrap(callee);
    if (!typescript.isIdentifier(node)) return undefined;
    const binding = this.modules.lookup(node);
    if (binding?.kind === 'function') return binding.node;
    if (binding?.kind === 'value') {
      const value = unwrap(binding.node);
      if (typescript.isArrowFunction(value) || typescript.isFunctionExpression(value)) return value;
    }
    return undefined;
  }
}
