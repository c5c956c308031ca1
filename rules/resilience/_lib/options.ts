/**
 * Reading a request's options object without a type checker: does it set a deadline, not set
 * one, or can we not tell (a spread, a parameter, a value built elsewhere)? "Cannot tell" is never
 * reported.
 */
import type { ts as TypeScript } from 'ts-morph';
import { unwrapExpression } from '../../../src/rule-api.js';

export type Deadline = 'set' | 'missing' | 'unknown' | 'disabled';

/**
 * Whether `options` sets one of `keys` to a usable value. `signal: undefined`, `timeout: 0` (axios:
 * no timeout) and missing keys are 'missing'; `timeout: false` is 'disabled'. An identifier is
 * followed to a `const x = { … }` in the same file.
 */
export function deadlineIn(
  ts: typeof TypeScript,
  options: TypeScript.Node | undefined,
  keys: readonly string[],
  seen = 0,
): Deadline {
  if (!options) return 'missing';
  const node = unwrapExpression(ts, options);
  if (isNothing(ts, node)) return 'missing';
  if (ts.isIdentifier(node) && seen < 3) {
    const found = boundObject(ts, node);
    // `config.timeout = 5_000` after the object is built: set somewhere we do not follow.
    if (!found || found.written.some((key) => key === undefined || keys.includes(key))) return 'unknown';
    return deadlineIn(ts, found.initializer, keys, seen + 1);
  }
  if (!ts.isObjectLiteralExpression(node)) return 'unknown';
  let result: Deadline = 'missing';
  for (const property of node.properties) {
    if (ts.isSpreadAssignment(property)) {
      if (result === 'missing')
        result = deadlineIn(ts, property.expression, keys, seen + 1) === 'set' ? 'set' : 'unknown';
      continue;
    }
    const name =
      property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
        ? property.name.text
        : undefined;
    if (name === undefined || !keys.includes(name)) continue;
    if (ts.isShorthandPropertyAssignment(property)) return 'set';
    if (ts.isPropertyAssignment(property)) {
      const value = unwrapExpression(ts, property.initializer);
      if (value.kind === ts.SyntaxKind.FalseKeyword) return 'disabled';
      if (isNothing(ts, value) || (ts.isNumericLiteral(value) && Number(value.text) === 0)) continue;
      return 'set';
    }
    return 'set'; // a method or accessor: computed at run time
  }
  return result;
}

/** `undefined`, `null`, `void 0`. */
function isNothing(ts: typeof TypeScript, node: TypeScript.Node): boolean {
  return (
    (ts.isIdentifier(node) && node.text === 'undefined') ||
    node.kind === ts.SyntaxKind.NullKeyword ||
    ts.isVoidExpression(node)
  );
}

/** The initializer of the `const` this identifier names, searched in enclosing blocks then the file. */
export function constInitializer(ts: typeof TypeScript, id: TypeScript.Identifier): TypeScript.Expression | undefined {
  for (let scope: TypeScript.Node | undefined = id.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === id.text) return declaration.initializer;
      }
    }
  }
  return undefined;
}

/**
 * The value an identifier names: a `const`, or a `let` never assigned again in its scope (`let config = { … };
 * await axios(config)`), with whether a property of it is written there (`config.timeout = …`, `config['signal'] = …`).
 */
function boundObject(
  ts: typeof TypeScript,
  id: TypeScript.Identifier,
): { initializer: TypeScript.Expression; written: Array<string | undefined> } | undefined {
  const name = id.text.replace(/\$/g, '\\$');
  for (let scope: TypeScript.Node | undefined = id.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      const flags = statement.declarationList.flags;
      const isConst = (flags & ts.NodeFlags.Const) !== 0;
      const isLet = (flags & ts.NodeFlags.Let) !== 0;
      if (!isConst && !isLet) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || declaration.name.text !== id.text || !declaration.initializer)
          continue;
        const text = scope.getText();
        const reassigned = new RegExp(`(?<![\\w$.])${name}\\s*(?:[-+*/|&?]{0,3})=(?![=>])`);
        if (isLet && reassigned.test(text.replace(statement.getText(), ''))) return undefined;
        // The properties written after: `config.timeout = …` (a name), `config[key] = …` (undefined: any).
        const writes = new RegExp(`(?<![\\w$.])${name}(?:\\??\\.([\\w$]+)|\\[([^\\]]*)\\])\\s*=(?![=>])`, 'g');
        const written = [...text.matchAll(writes)].map((m) => m[1] ?? /^\s*['"`]([\w$]+)['"`]\s*$/.exec(m[2]!)?.[1]);
        return { initializer: declaration.initializer, written };
      }
    }
  }
  return undefined;
}
