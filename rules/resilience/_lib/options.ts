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
    // `httpAgent` carries only `http:` requests: it bounds a client whose base URL is written `http://…`.
    const agentApplies =
      name !== undefined && (AGENT_KEYS.has(name) || (name === 'httpAgent' && plainHttpBase(ts, node)));
    if (agentApplies && ts.isPropertyAssignment(property) && agentWithTimeout(ts, property.initializer)) return 'set';
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

/**
 * Where a request or client takes the connection pool it sends through (got, node-fetch, request, undici; axios's
 * `httpsAgent`). axios's `httpAgent` serves only `http:` URLs: an `https:` request goes around it.
 */
const AGENT_KEYS = new Set(['agent', 'httpsAgent', 'dispatcher']);

/** `{ baseURL: 'http://users:3000', … }`: an options object whose base URL is written, and plain `http:`. */
function plainHttpBase(ts: typeof TypeScript, options: TypeScript.ObjectLiteralExpression): boolean {
  return options.properties.some((p) => {
    if (!ts.isPropertyAssignment(p) || p.name.getText() !== 'baseURL') return false;
    const v = unwrapExpression(ts, p.initializer);
    const text = ts.isStringLiteralLike(v) ? v.text : ts.isTemplateExpression(v) ? v.head.text : '';
    return /^http:\/\//i.test(text);
  });
}
/** An agent's own bound on a silent socket or a late answer (`http.Agent`/agentkeepalive `timeout`, undici's). */
const AGENT_TIMEOUTS = new Set(['timeout', 'headersTimeout', 'bodyTimeout', 'socketTimeout']);

/**
 * `httpAgent: new AgentKeepAlive({ keepAlive: true, timeout: 8_000 })`, `dispatcher: new Agent({ headersTimeout })`:
 * the agent closes a socket that stays silent that long, so a stalled server fails the request like a
 * deadline would. Followed through a `const` in the same file; got's `agent: { http, https }` too.
 */
function agentWithTimeout(ts: typeof TypeScript, node: TypeScript.Expression, seen = 0): boolean {
  let value = unwrapExpression(ts, node);
  if (ts.isIdentifier(value) && seen < 3) {
    const bound = constInitializer(ts, value);
    return bound !== undefined && agentWithTimeout(ts, bound, seen + 1);
  }
  value = unwrapExpression(ts, value);
  if (ts.isObjectLiteralExpression(value))
    return value.properties.some(
      (p) =>
        ts.isPropertyAssignment(p) &&
        /^https?$/.test(p.name.getText()) &&
        agentWithTimeout(ts, p.initializer, seen + 1),
    );
  if (!ts.isNewExpression(value)) return false;
  const [options] = value.arguments ?? [];
  const object = options && unwrapExpression(ts, options);
  if (!object || !ts.isObjectLiteralExpression(object)) return false;
  return object.properties.some((p) => {
    if (!ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p)) return false;
    if (!AGENT_TIMEOUTS.has(p.name.getText())) return false;
    if (ts.isShorthandPropertyAssignment(p)) return true;
    const v = unwrapExpression(ts, p.initializer);
    return !isNothing(ts, v) && !(ts.isNumericLiteral(v) && Number(v.text) === 0);
  });
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
