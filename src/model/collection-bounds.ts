/**
 * How many elements a loop can walk when the code itself writes the bound: `xs.slice(0, 20)`,
 * `memories.slice(0, this.WORKSPACE_LIMIT)` (a property written `WORKSPACE_LIMIT: 20`), `for (let i = 0; i < 3; i++)`.
 * The number is read only from what is written in the file — a numeric literal, a `const` holding one, or a
 * property of the enclosing class or object literal initialised with one; a bound read from a request, the
 * environment or the database is unknown (undefined), and callers judge such a loop as before.
 */
import type { ts as TypeScript } from 'ts-morph';
import { unwrapExpression } from './qualified-names.js';

/** The most elements `node` holds when a written bound caps it (`xs.slice(0, N)`), else undefined. */
export function writtenBound(ts: typeof TypeScript, node: TypeScript.Expression): number | undefined {
  const value = unwrapExpression(ts, node);
  if (
    ts.isCallExpression(value) &&
    ts.isPropertyAccessExpression(value.expression) &&
    value.expression.name.text === 'slice' &&
    value.arguments.length === 2
  ) {
    const [start, end] = value.arguments as unknown as [TypeScript.Expression, TypeScript.Expression];
    if (writtenNumber(ts, start) === 0) return writtenNumber(ts, end);
  }
  return undefined;
}

/** `for (let i = 0; i < N; i++)` (or `<= N`, `++i`, `i += 1`): at most N (N + 1) turns when N is written; else undefined. */
export function countedLoopBound(ts: typeof TypeScript, loop: TypeScript.ForStatement): number | undefined {
  const init = loop.initializer;
  if (!init || !ts.isVariableDeclarationList(init) || init.declarations.length !== 1) return undefined;
  const declaration = init.declarations[0]!;
  if (!ts.isIdentifier(declaration.name) || !declaration.initializer) return undefined;
  if (writtenNumber(ts, declaration.initializer) !== 0) return undefined;
  const counter = declaration.name.text;
  const condition = loop.condition && unwrapExpression(ts, loop.condition);
  if (!condition || !ts.isBinaryExpression(condition) || !isName(ts, condition.left, counter)) return undefined;
  const step = loop.incrementor && unwrapExpression(ts, loop.incrementor);
  const byOne =
    step !== undefined &&
    (((ts.isPostfixUnaryExpression(step) || ts.isPrefixUnaryExpression(step)) &&
      step.operator === ts.SyntaxKind.PlusPlusToken &&
      isName(ts, step.operand, counter)) ||
      (ts.isBinaryExpression(step) &&
        step.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken &&
        isName(ts, step.left, counter) &&
        writtenNumber(ts, step.right) === 1));
  if (!byOne) return undefined;
  const limit = writtenNumber(ts, condition.right);
  if (limit === undefined) return undefined;
  if (condition.operatorToken.kind === ts.SyntaxKind.LessThanToken) return limit;
  if (condition.operatorToken.kind === ts.SyntaxKind.LessThanEqualsToken) return limit + 1;
  return undefined;
}

/** A non-negative integer written in the code: a literal, a `const` holding one, or `this.X` set to one where `this` is declared. */
export function writtenNumber(ts: typeof TypeScript, node: TypeScript.Expression, depth = 0): number | undefined {
  const value = unwrapExpression(ts, node);
  if (ts.isNumericLiteral(value)) {
    const n = Number(value.text.replace(/_/g, ''));
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  }
  if (depth > 3) return undefined;
  if (ts.isIdentifier(value)) {
    const init = constInitializer(ts, value);
    return init ? writtenNumber(ts, init, depth + 1) : undefined;
  }
  if (ts.isPropertyAccessExpression(value) && value.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const init = ownPropertyInitializer(ts, value, value.name.text);
    return init ? writtenNumber(ts, init, depth + 1) : undefined;
  }
  return undefined;
}

function isName(ts: typeof TypeScript, node: TypeScript.Node, name: string): boolean {
  return ts.isIdentifier(node) && node.text === name;
}

/** The initializer of a `const` with this name in an enclosing block or the file. */
function constInitializer(ts: typeof TypeScript, id: TypeScript.Identifier): TypeScript.Expression | undefined {
  for (let scope: TypeScript.Node | undefined = id.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name) && declaration.name.text === id.text) return declaration.initializer;
    }
  }
  return undefined;
}

/**
 * `this.X` where `this` is the object literal or class the method is written in (`{ WORKSPACE_LIMIT: 20, save() {…} }`,
 * `class M { static readonly LIMIT = 20 }` read as `this.LIMIT`): X's initializer. An arrow function keeps the outer `this`.
 */
function ownPropertyInitializer(
  ts: typeof TypeScript,
  from: TypeScript.Node,
  name: string,
): TypeScript.Expression | undefined {
  let node: TypeScript.Node | undefined = from.parent;
  while (node && !(ts.isFunctionLike(node) && !ts.isArrowFunction(node))) node = node.parent;
  // `replace: async function () {…}` is a property's value: `this` is the object literal holding the property.
  const holder = node?.parent && ts.isPropertyAssignment(node.parent) ? node.parent.parent : node?.parent;
  if (!holder) return undefined;
  if (ts.isObjectLiteralExpression(holder)) {
    for (const p of holder.properties)
      if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name) return p.initializer;
    return undefined;
  }
  if (ts.isClassLike(holder)) {
    for (const m of holder.members)
      if (ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === name && m.initializer)
        return m.initializer;
  }
  return undefined;
}
