/**
 * Code nothing calls: a function whose name is written nowhere it could be called from. A rule that judges
 * what a running service does (a request with no deadline) has nothing to judge in it — no caller waits on it.
 *
 * Decided from names written in the code's text, never guessed: any other mention of the name (a call, a
 * reference passed along, a comment, a string a dynamic lookup might use) keeps the function counted as called.
 *   - a module's own function (`async function addPeer(…)`, `const removePeer = async (…) => …`) that the module
 *     does not export: only its own module could call it, and the name appears there once, where it is declared;
 *   - a private method (`private`, `#name`), without decorators (a framework calls decorated ones): only its class
 *     could call it, likewise.
 *   - a static member (`static getDomain = async (…) => …`, `static async sync(…)`), without decorators, whose name no
 *     file of the tree writes again (CodeFile.isUnnamedStatic, judged over the whole tree by the code input): it is
 *     reached only through its class, by a name nothing writes.
 * Otherwise judged within the file only (rules that use it are file-scoped): a public instance method or an exported
 * function may be called from anywhere — a library or framework may call it through an interface whose names live
 * outside the tree — so it always counts as called.
 * No type checker: syntax trees and text only.
 */
import type { ts as TypeScript } from 'ts-morph';
import type { CodeFile } from './code.js';

function occurrences(text: string, name: string): number {
  const escaped = name.replace(/\$/g, '\\$');
  return text.match(new RegExp(`(?<![\\w$])${escaped}(?![\\w$])`, 'g'))?.length ?? 0;
}

/** Is `fn` one that nothing calls? `file` is the file holding it. */
export function isUncalledFunction(ts: typeof TypeScript, fn: TypeScript.Node, file: CodeFile): boolean {
  const text = file.text.content;
  if (ts.isFunctionDeclaration(fn) && fn.name && ts.isSourceFile(fn.parent)) {
    if (isExported(ts, fn)) return false;
    return occurrences(text, fn.name.text) === 1;
  }
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent)) {
    const declaration = fn.parent;
    const statement = declaration.parent?.parent;
    if (!ts.isIdentifier(declaration.name) || !statement || !ts.isVariableStatement(statement)) return false;
    if (!ts.isSourceFile(statement.parent) || isExported(ts, statement)) return false;
    return occurrences(text, declaration.name.text) === 1;
  }
  // `static getDomain = async (…) => …`: a static property holding a function, judged as a static method.
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isPropertyDeclaration(fn.parent)) {
    const member = fn.parent;
    if (member.initializer !== fn || !ts.isClassLike(member.parent) || !ts.isIdentifier(member.name)) return false;
    return isUnnamedStatic(ts, member, member.name.text, file);
  }
  if (ts.isMethodDeclaration(fn) && ts.isClassLike(fn.parent)) {
    const name = ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name) ? fn.name.text : undefined;
    if (!name) return false;
    const modifiers = ts.canHaveModifiers(fn) ? (ts.getModifiers(fn) ?? []) : [];
    if (ts.canHaveDecorators(fn) && (ts.getDecorators(fn) ?? []).length > 0) return false;
    if (modifiers.some((m) => m.kind === ts.SyntaxKind.AbstractKeyword || m.kind === ts.SyntaxKind.OverrideKeyword))
      return false;
    if (ts.isIdentifier(fn.name) && isUnnamedStatic(ts, fn, name, file)) return true;
    if (ts.isPrivateIdentifier(fn.name)) return occurrences(text, name.slice(1)) === 1;
    if (modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) return occurrences(text, name) === 1;
    return false;
  }
  return false;
}

/**
 * A static member (not decorated: a framework calls those) whose name the whole tree writes only where it is declared
 * (CodeFile.isUnnamedStatic): reached only through its class, and nothing names it there.
 */
function isUnnamedStatic(
  ts: typeof TypeScript,
  member: TypeScript.MethodDeclaration | TypeScript.PropertyDeclaration,
  name: string,
  file: CodeFile,
): boolean {
  const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
  if (!modifiers.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) return false;
  if (ts.canHaveDecorators(member) && (ts.getDecorators(member) ?? []).length > 0) return false;
  return file.isUnnamedStatic?.(name) ?? false;
}

/** Exported by a modifier, by an `export { name }` list, or through CommonJS (`module.exports`, `exports.x`). */
function isExported(ts: typeof TypeScript, statement: TypeScript.Statement): boolean {
  const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
  if (modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword))
    return true;
  // A name listed in `export { … }` or assigned to `module.exports` is written a second time: occurrences() sees it.
  return false;
}
