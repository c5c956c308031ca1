/**
 * What a Next.js route export is, as the route readers (next-routes.ts, react-router-routes.ts) need
 * it: the handler function (through names and wrappers), the wrappers around it, what a name
 * aliases, where to point (its declaration), and for a destructured export
 * (`export const { GET, POST } = handlers`) the package whose call made it.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../../code/ts-morph.js';
import type { CodeFile } from '../../code/index.js';
import type { Modules } from '../modules.js';
import { packageName, unwrap } from '../values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** `export const { GET, POST } = source`: the binding element for `name` and the expression destructured. */
export function destructuredExport(file: CodeFile, name: string): { at: ts.Node; source: ts.Expression } | undefined {
  for (const statement of file.tree.statements) {
    if (
      !typescript.isVariableStatement(statement) ||
      !statement.modifiers?.some((m) => m.kind === typescript.SyntaxKind.ExportKeyword)
    )
      continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!typescript.isObjectBindingPattern(declaration.name) || !declaration.initializer) continue;
      for (const element of declaration.name.elements) {
        if (typescript.isIdentifier(element.name) && element.name.text === name)
          return { at: element, source: declaration.initializer };
      }
    }
  }
  return undefined;
}

/**
 * The package whose call made a destructured value: `handlers` imported from `@/lib/auth`, where
 * `export const { handlers, auth } = NextAuth(config)` → `next-auth`. Followed through imports of
 * destructured exports (a few hops); undefined when it is not a package's.
 */
export function destructuredPackage(
  modules: Modules,
  file: CodeFile,
  source: ts.Expression,
  depth: number,
): string | undefined {
  if (depth > 4) return undefined;
  let node = unwrap(source);
  while (typescript.isPropertyAccessExpression(node)) node = unwrap(node.expression);
  if (typescript.isCallExpression(node) || typescript.isNewExpression(node)) {
    let callee = unwrap(node.expression);
    while (typescript.isPropertyAccessExpression(callee)) callee = unwrap(callee.expression);
    if (!typescript.isIdentifier(callee)) return undefined;
    const binding = modules.lookup(callee);
    return binding?.kind === 'external' ? packageName(binding.module) : undefined;
  }
  if (!typescript.isIdentifier(node)) return undefined;
  const binding = modules.lookup(node);
  if (binding?.kind === 'external') return packageName(binding.module);
  if (binding?.kind === 'value') return destructuredPackage(modules, binding.file, binding.node, depth + 1);
  // An import of a destructured export: follow it to the file that destructures.
  const imported = importOf(modules, file, node.text);
  if (!imported) {
    const local = destructuredLocal(file, node.text);
    return local ? destructuredPackage(modules, file, local, depth + 1) : undefined;
  }
  // `export const { handlers } = NextAuth(…)`, or `const { handlers } = NextAuth(…); export { handlers }`.
  const initializer =
    destructuredExport(imported.file, imported.name)?.source ?? destructuredLocal(imported.file, imported.name);
  return initializer ? destructuredPackage(modules, imported.file, initializer, depth + 1) : undefined;
}

/** `const { handlers } = NextAuth(config)` in the file itself: the destructured expression. */
function destructuredLocal(file: CodeFile, name: string): ts.Expression | undefined {
  for (const statement of file.tree.statements) {
    if (!typescript.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!typescript.isObjectBindingPattern(declaration.name) || !declaration.initializer) continue;
      if (declaration.name.elements.some((e) => typescript.isIdentifier(e.name) && e.name.text === name))
        return declaration.initializer;
    }
  }
  return undefined;
}

/** The project file and exported name a local import name comes from. */
function importOf(modules: Modules, file: CodeFile, local: string): { file: CodeFile; name: string } | undefined {
  for (const statement of file.tree.statements) {
    if (!typescript.isImportDeclaration(statement) || !typescript.isStringLiteral(statement.moduleSpecifier)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !typescript.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) {
      if (element.name.text !== local) continue;
      const target = modules.resolveModule(file.path, statement.moduleSpecifier.text);
      const targetFile = target ? modules.code.get(target) : undefined;
      return targetFile ? { file: targetFile, name: (element.propertyName ?? element.name).text } : undefined;
    }
  }
  return undefined;
}

/** The calls wrapped around a handler, outermost first: `withAuth(withLogging(handler))` → withAuth, withLogging. */
export function wrappersOf(expression: ts.Expression): ts.Expression[] {
  const out: ts.Expression[] = [];
  let node = unwrap(expression);
  while (typescript.isCallExpression(node) && out.length < 8) {
    out.push(node.expression);
    const inner = node.arguments.find((a) => typescript.isCallExpression(unwrap(a)));
    if (!inner) break;
    node = unwrap(inner);
  }
  return out;
}

/** What a name aliases (`export const PUT = PATCH` → PATCH's value), through a few `const`s; the expression itself otherwise. */
export function aliased(modules: Modules, expression: ts.Expression): ts.Expression {
  let node = unwrap(expression);
  for (let hop = 0; hop < 4 && typescript.isIdentifier(node); hop++) {
    const binding = modules.lookup(node);
    if (binding?.kind !== 'value') break;
    node = unwrap(binding.node);
  }
  return node;
}

/** An identifier's value, through `const`s (another file's too). */
export function resolved(modules: Modules, expression: ts.Expression): ts.Expression {
  const node = unwrap(expression);
  if (!typescript.isIdentifier(node)) return node;
  const binding = modules.lookup(node);
  return binding?.kind === 'value' ? unwrap(binding.node) : node;
}

/**
 * The handler an expression is: a function, a name for one, or the function inside a wrapper
 * (`withAuth(async (req) => …)`, `withAuth(handler)`) or a chain built on one (`wrap(handler).withLogging()`).
 */
export function asFunction(
  modules: Modules,
  expression: ts.Expression,
  depth = 0,
): ts.FunctionLikeDeclaration | undefined {
  if (depth > 6) return undefined;
  const node = unwrap(expression);
  if (typescript.isArrowFunction(node) || typescript.isFunctionExpression(node)) return node;
  if (typescript.isIdentifier(node)) {
    const binding = modules.lookup(node);
    if (binding?.kind === 'function') return binding.node;
    return binding?.kind === 'value' ? asFunction(modules, binding.node, depth + 1) : undefined;
  }
  if (!typescript.isCallExpression(node)) return undefined;
  for (const arg of node.arguments) {
    const found = asFunction(modules, arg, depth + 1);
    if (found) return found;
  }
  // `wrap(handler).withLogging()`: the handler the chain was built from.
  const callee = unwrap(node.expression);
  return typescript.isPropertyAccessExpression(callee) && typescript.isCallExpression(unwrap(callee.expression))
    ? asFunction(modules, callee.expression, depth + 1)
    : undefined;
}

/** Point at the declaration (`export async function GET`), not at the whole body. */
export function declarationOf(node: ts.Node): ts.Node {
  if (typescript.isFunctionDeclaration(node) && node.name) return node.name;
  let current = node;
  while (current.parent && !typescript.isVariableDeclaration(current) && !typescript.isSourceFile(current.parent))
    current = current.parent;
  return typescript.isVariableDeclaration(current) ? current.name : node;
}

/**
 * A route builder chain read by its method calls: `createRoute().GET({ auth: true }).handler(fn)
 * .POST({…}).handler(fn2).toNextApiHandler()` (jitsu's console API) — one entry per call named for
 * an HTTP method (`GET`, upper case as Next.js names them), with the first function passed after it
 * (to that call or a later one, before the next method) as its handler. Empty when no call of the
 * chain is named for a method.
 */
export function builderChainMethods(
  modules: Modules,
  expression: ts.Expression,
  methods: readonly string[],
): Array<{ method: string; at: ts.Node; handler?: ts.FunctionLikeDeclaration }> {
  const calls: ts.CallExpression[] = [];
  let node = unwrap(expression);
  while (typescript.isCallExpression(node) && calls.length < 32) {
    calls.unshift(node);
    const callee = unwrap(node.expression);
    if (!typescript.isPropertyAccessExpression(callee)) break;
    node = unwrap(callee.expression);
  }
  const out: Array<{ method: string; at: ts.Node; handler?: ts.FunctionLikeDeclaration }> = [];
  for (const call of calls) {
    const callee = unwrap(call.expression);
    const member = typescript.isPropertyAccessExpression(callee) ? callee.name : undefined;
    if (member && methods.includes(member.text)) {
      out.push({ method: member.text, at: member });
      continue;
    }
    const current = out[out.length - 1];
    if (!current || current.handler) continue;
    for (const arg of call.arguments) {
      const handler = asFunction(modules, arg);
      if (handler) {
        current.handler = handler;
        break;
      }
    }
  }
  return out;
}
