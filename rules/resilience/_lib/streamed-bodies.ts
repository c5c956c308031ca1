/**
 * A download read chunk by chunk: `const res = await fetch(url)` whose body the code reads as a stream
 * (`res.body.getReader()`, `res.body.pipeThrough(…)`, `for await (const chunk of res.body)`, also through a
 * variable holding `res.body`) instead of `res.json()`. A video, a batch's output file, a model pull, an export:
 * the transfer lasts as long as the content is big, so a total deadline (`AbortSignal.timeout(ms)`, the fix the
 * rule offers) would cut the good transfers. Handing the body on whole (`new Response(res.body)`,
 * `Readable.fromWeb(res.body)`) says nothing about its size — a proxied error report is small — and is judged.
 */
import type { ts as TypeScript } from 'ts-morph';

/** Methods of a web or Node stream that consume it piece by piece. */
const CHUNKED = new Set(['getReader', 'pipeThrough', 'pipeTo', 'pipe', 'tee']);

export function readsBodyAsStream(ts: typeof TypeScript, call: TypeScript.CallExpression): boolean {
  const name = boundName(ts, call);
  if (!name) return false;
  let scope: TypeScript.Node | undefined = call.parent;
  while (scope && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  if (!scope) return false;
  // The names the body is read through: `res.body` itself, or `const reader = res.body`.
  const holders = new Set<string>();
  let found = false;
  const isBody = (n: TypeScript.Node): boolean => {
    const v = skipWrappers(ts, n);
    if (ts.isIdentifier(v)) return holders.has(v.text);
    return (
      ts.isPropertyAccessExpression(v) &&
      v.name.text === 'body' &&
      ts.isIdentifier(skipWrappers(ts, v.expression)) &&
      (skipWrappers(ts, v.expression) as TypeScript.Identifier).text === name
    );
  };
  const visit = (n: TypeScript.Node): void => {
    if (found) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && isBody(n.initializer))
      holders.add(n.name.text);
    if (ts.isPropertyAccessExpression(n) && CHUNKED.has(n.name.text) && isBody(n.expression)) found = true;
    if (ts.isForOfStatement(n) && n.awaitModifier && isBody(n.expression)) found = true;
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}

/** `const res = await fetch(…)`: the name the response is bound to. */
function boundName(ts: typeof TypeScript, call: TypeScript.CallExpression): string | undefined {
  let node: TypeScript.Node = call;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent)))
    node = node.parent;
  const declaration = node.parent;
  return declaration && ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name)
    ? declaration.name.text
    : undefined;
}

/** `x!`, `(x)`, `x as T`, `x?.body` reads the same value. */
function skipWrappers(ts: typeof TypeScript, node: TypeScript.Node): TypeScript.Node {
  let n = node;
  while (ts.isNonNullExpression(n) || ts.isParenthesizedExpression(n) || ts.isAsExpression(n)) n = n.expression;
  return n;
}
