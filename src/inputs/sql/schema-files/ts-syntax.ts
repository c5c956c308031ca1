/**
 * Reading values out of TypeScript syntax, for the schema-file readers (Drizzle tables, TypeORM
 * entities, Sequelize migrations): literals, object-literal options and the referential actions
 * they spell, statically.
 */
import type { ts as TypeScript } from 'ts-morph';
import type { ReferentialAction } from '../../../model/schema.js';
import { unwrapExpression } from '../../../model/qualified-names.js';

type Ts = typeof TypeScript;

/** `(x)`, `x as T`, `x satisfies T`, `x!`, `<T>x` → `x` (the code-analysis layer's unwrapExpression). */
export function unwrap(ts: Ts, expression: TypeScript.Expression): TypeScript.Expression {
  return unwrapExpression(ts, expression);
}

/** A string literal or a template without substitutions, as its text. */
export function stringValue(ts: Ts, expression: TypeScript.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  const e = unwrap(ts, expression);
  return ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) ? e.text : undefined;
}

/** `key`, `'key'`: a property name written literally. */
export function propertyName(ts: Ts, name: TypeScript.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)
    ? name.text
    : undefined;
}

/** The value of `key: value` in an object literal. */
export function property(
  ts: Ts,
  object: TypeScript.ObjectLiteralExpression,
  key: string,
): TypeScript.Expression | undefined {
  for (const p of object.properties)
    if (ts.isPropertyAssignment(p) && propertyName(ts, p.name) === key) return p.initializer;
  return undefined;
}

const ACTIONS: Record<string, ReferentialAction> = {
  CASCADE: 'cascade',
  RESTRICT: 'restrict',
  'NO ACTION': 'no-action',
  'SET NULL': 'set-null',
  'SET DEFAULT': 'set-default',
};

/** `'CASCADE'`, `'set null'` (SQL's spelling, any case, as ORMs take it) → the model's action. */
export function referentialAction(written: string): ReferentialAction | undefined {
  return ACTIONS[written.toUpperCase()];
}

export type FunctionLike =
  | TypeScript.FunctionDeclaration
  | TypeScript.FunctionExpression
  | TypeScript.ArrowFunction
  | TypeScript.MethodDeclaration;

/** `module.exports = { up }`, `export async function up`, `export const up = …`, `async up(…) {}` in an exported object. */
export function upFunction(ts: Ts, sourceFile: TypeScript.SourceFile): FunctionLike | undefined {
  const fromObject = (object: TypeScript.ObjectLiteralExpression): FunctionLike | undefined => {
    for (const p of object.properties) {
      if (ts.isMethodDeclaration(p) && propertyName(ts, p.name) === 'up') return p;
      if (ts.isPropertyAssignment(p) && propertyName(ts, p.name) === 'up') {
        const value = unwrap(ts, p.initializer);
        if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
      }
    }
    return undefined;
  };
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === 'up') return statement;
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        const init = d.initializer && unwrap(ts, d.initializer);
        if (
          ts.isIdentifier(d.name) &&
          d.name.text === 'up' &&
          init &&
          (ts.isArrowFunction(init) || ts.isFunctionExpression(init))
        )
          return init;
      }
    }
    // `exports.up = async (queryInterface) => …`
    if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      ts.isPropertyAccessExpression(statement.expression.left) &&
      statement.expression.left.name.text === 'up'
    ) {
      const value = unwrap(ts, statement.expression.right);
      if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
    }
    const assigned =
      ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression)
        ? unwrap(ts, statement.expression.right)
        : ts.isExportAssignment(statement)
          ? unwrap(ts, statement.expression)
          : undefined;
    if (assigned && ts.isObjectLiteralExpression(assigned)) {
      const found = fromObject(assigned);
      if (found) return found;
    }
  }
  return undefined;
}
