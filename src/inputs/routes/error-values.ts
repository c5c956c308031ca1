/**
 * Error sites (errors.ts): what the expressions around an error say — a literal status or text, a caught error
 * passed through, the fields of an exception class and whether it carries a code.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import { literalStatus } from './route-args.js';
import { findProperty, propertyName, unwrap } from './values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** Names a caught error goes by (`err`, `error`, `e`…). */
export const ERROR_NAME = /^(err|error|e|ex|exc|exception|cause)$/i;

/** `{ status: 500 }` (a ResponseInit). */
export function initStatus(expression: ts.Expression | undefined): number | undefined {
  const node = expression ? unwrap(expression) : undefined;
  if (!node || !typescript.isObjectLiteralExpression(node)) return undefined;
  return literalStatus(findProperty(node, 'status'));
}

export function literalText(node: ts.StringLiteralLike | ts.TemplateExpression): string {
  if (typescript.isStringLiteralLike(node)) return node.text;
  return (
    node.head.text + node.templateSpans.map((span) => `\${${span.expression.getText()}}${span.literal.text}`).join('')
  );
}

/** A caught error (or its message / stack) passed into a response: the expression, or undefined. */
export function leakOf(node: ts.Expression): string | undefined {
  const target = unwrap(node);
  if (typescript.isIdentifier(target) && ERROR_NAME.test(target.text) && isErrorVariable(target)) return target.text;
  if (typescript.isPropertyAccessExpression(target) && ['message', 'stack'].includes(target.name.text)) {
    const base = unwrap(target.expression);
    if (typescript.isIdentifier(base) && ERROR_NAME.test(base.text) && isErrorVariable(base)) return target.getText();
  }
  if (
    typescript.isCallExpression(target) &&
    typescript.isPropertyAccessExpression(target.expression) &&
    target.expression.name.text === 'toString'
  ) {
    return leakOf(target.expression.expression) ? target.getText() : undefined;
  }
  return undefined;
}

/** A catch clause variable, or an error-handler / callback parameter named like one. */
function isErrorVariable(id: ts.Identifier): boolean {
  for (let p: ts.Node | undefined = id.parent; p; p = p.parent) {
    if (
      typescript.isCatchClause(p) &&
      p.variableDeclaration &&
      typescript.isIdentifier(p.variableDeclaration.name) &&
      p.variableDeclaration.name.text === id.text
    )
      return true;
    if (
      typescript.isFunctionLike(p) &&
      p.parameters.some((param) => typescript.isIdentifier(param.name) && param.name.text === id.text)
    )
      return true;
  }
  return false;
}

export function assignment(
  statement: ts.Statement,
  property: string,
): (ts.BinaryExpression & { left: ts.PropertyAccessExpression }) | undefined {
  if (!typescript.isExpressionStatement(statement)) return undefined;
  const e = statement.expression;
  if (!typescript.isBinaryExpression(e) || e.operatorToken.kind !== typescript.SyntaxKind.EqualsToken) return undefined;
  if (!typescript.isPropertyAccessExpression(e.left) || e.left.name.text !== property) return undefined;
  return e as ts.BinaryExpression & { left: ts.PropertyAccessExpression };
}

export function calleeLabel(callee: ts.PropertyAccessExpression): string {
  return `${callee.expression.getText()}.${callee.name.text}`;
}

/** Fields of a class: declared properties, constructor parameter properties, `this.x =` assignments. */
export function classFields(cls: ts.ClassLikeDeclaration): string[] {
  const out = new Set<string>();
  for (const member of cls.members) {
    if (typescript.isPropertyDeclaration(member) && member.name) {
      const name = propertyName(member.name);
      if (name) out.add(name);
    }
    if (typescript.isConstructorDeclaration(member)) {
      for (const param of member.parameters)
        if (param.modifiers?.length && typescript.isIdentifier(param.name)) out.add(param.name.text);
      member.body?.forEachChild(function visit(node): void {
        if (
          typescript.isBinaryExpression(node) &&
          typescript.isPropertyAccessExpression(node.left) &&
          node.left.expression.kind === typescript.SyntaxKind.ThisKeyword
        )
          out.add(node.left.name.text);
        node.forEachChild(visit);
      });
    }
  }
  return [...out];
}

export function classCarriesCode(cls: ts.ClassLikeDeclaration): boolean {
  if (classFields(cls).some((f) => /^(code|errorCode|error_code|type)$/.test(f))) return true;
  // super({ code: 'X', message }) / super({ error: { code } }, 400)
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (typescript.isCallExpression(node) && node.expression.kind === typescript.SyntaxKind.SuperKeyword) {
      found = node.arguments.some((a) => /\bcode\b|error_code|errorCode/.test(a.getText()));
    }
    typescript.forEachChild(node, visit);
  };
  for (const member of cls.members) if (typescript.isConstructorDeclaration(member) && member.body) visit(member.body);
  return found;
}

/**
 * The error object an `errors` list starts with: the literal itself, or the object branch of a conditional
 * (`[password ? undefined : {message, code: 'PASSWORD_MISSING'}]`: the list holds that object when it is sent).
 */
export function errorObjectOf(element: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const node = unwrap(element);
  if (typescript.isObjectLiteralExpression(node)) return node;
  if (!typescript.isConditionalExpression(node)) return undefined;
  return [node.whenTrue, node.whenFalse].map((branch) => unwrap(branch)).find(typescript.isObjectLiteralExpression);
}
