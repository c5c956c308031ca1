/**
 * Names a module imports that hold the address of the app itself (CodeModel.loopbackImports): a constant
 * another module of the project exports as a loopback URL — `export const cloudServerUrl =
 * 'http://localhost:8080/app'`, or a setting whose default is one, `process.env.API_URL ||
 * 'http://127.0.0.1:3000'`. A request to it is the app calling its own server (a Parse app calling its own
 * REST API) or a sidecar beside it, as when the URL is written at the call; the constant only lives in a
 * shared config module.
 *
 * Judged over the whole tree (an importer cannot see the module it imports when checked apart) and given
 * to a batch checked apart as data, like CodeFile.reach. Read from syntax trees: the module that exports
 * the constant and the importer are both parsed, the import followed by ModuleExports (relative paths,
 * tsconfig aliases, the monorepo's own packages, re-exports). A constant set anywhere else, or a `let`,
 * says nothing.
 *
 * Also a path of the page's own origin a module exports (`export const UPLOAD_ATTACH = '/base/attach/upload'`, the
 * URL table of a web client's API wrappers), imported by name or read as a member of a namespace import
 * (`import * as Url from './url'; axios.post(Url.UPLOAD_ATTACH, file)`): a URL with no host only resolves in a
 * browser (Node's fetch rejects it; axios in Node has no page to resolve it against), so a request to it is a page
 * calling its own server — as a path written at the call is (CodeFile.isOriginPathImport).
 */
import type { ts as TypeScript } from 'ts-morph';
import type { CodeModel } from '../../model/code.js';
import type { FileSet, TextFiles } from '../../model/files.js';
import { ModuleExports } from '../../model/module-exports.js';
import { importBindings, unwrapExpression } from '../../model/qualified-names.js';
import { readPathAliases } from '../routes/tsconfig.js';
import { readWorkspacePackages } from '../routes/workspaces.js';
import { packageManifests, tsconfigPaths } from './tree-configs.js';

/** A loopback URL as written: `http://localhost…`, `http://127.0.0.1…`, `http://0.0.0.0…`, `http://[::1]…`. */
export const LOOPBACK_URL = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0)([:/?#]|$)/i;
/** Text test before a module is parsed: it writes a loopback URL in a string or template. */
const WRITES_LOOPBACK = /['"`]https?:\/\/(?:localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0)(?:[:/?#'"`])/i;
/** `process.env.X`, `env.X`, `import.meta.env.X`. */
const ENV_OBJECT = /(?:^|\.)env$/;

/** The key of a local name in a file: `${path}\u0000${name}`. */
export function loopbackImportKey(path: string, name: string): string {
  return `${path}\u0000${name}`;
}

/** The key of a local name (`UPLOAD_ATTACH`, or `Url.UPLOAD_ATTACH` through a namespace) holding a same-origin path. */
export function originPathImportKey(path: string, name: string): string {
  return `${path}\u0000${name}\u0000/`;
}

/**
 * The key of a local name holding a relative path (`'mirrors/:mirrorId/info'`): no host of its own, it resolves
 * below whatever base URL the request is given (CodeFile.isRelativePathImport).
 */
export function relativePathImportKey(path: string, name: string): string {
  return `${path}\u0000${name}\u0000.`;
}

/** A relative path as written: `org/teams`, `mirrors/:id/info` — a segment, then a slash; no scheme (`https:`). */
const RELATIVE_PATH = /^[\w.~-]+\/\S*$/;
/** Text test before a module is parsed: it exports a constant written as such a path. */
const EXPORTS_RELATIVE_PATH = /\bexport\s+const\s+[\w$]+\s*(?::[^=;]+)?=\s*['"`][\w.~-]+\//;

/** A path of the page's own origin as written: `/api/v1`, not a protocol-relative `//host/…`. */
const ORIGIN_PATH = /^\/(?!\/)/;
/** Text test before a module is parsed: it exports a constant written as such a path. */
const EXPORTS_ORIGIN_PATH = /\bexport\s+const\s+[\w$]+\s*(?::[^=;]+)?=\s*['"`]\/(?!\/)/;
/** `import * as Url from './url'`: the members of a module read through a namespace. */
const NAMESPACE_IMPORT = /\bimport\s*\*\s*as\s+[\w$]+\s+from\b/;

export function judgeLoopbackImports(code: CodeModel, fileSet: FileSet, text: TextFiles): ReadonlySet<string> {
  const out = new Set<string>();
  // The exported constants holding a loopback URL, and those holding a same-origin path, by module.
  const constants = new Map<string, Set<string>>();
  const paths = new Map<string, Set<string>>();
  const relatives = new Map<string, Set<string>>();
  for (const file of code.files) {
    const content = file.text.content;
    if (WRITES_LOOPBACK.test(content) && /\bexport\s+(?:const\b|\{)/.test(content)) {
      const names = exportedConstants(code.ts, file.tree, isLoopbackValue);
      if (names.size > 0) constants.set(file.path, names);
    }
    if (EXPORTS_ORIGIN_PATH.test(content)) {
      const names = exportedConstants(code.ts, file.tree, (ts, value) => originPathHead(ts, value));
      if (names.size > 0) paths.set(file.path, names);
    }
    if (EXPORTS_RELATIVE_PATH.test(content)) {
      const names = exportedConstants(code.ts, file.tree, (ts, value) => relativePathHead(ts, value));
      if (names.size > 0) relatives.set(file.path, names);
    }
  }
  if (constants.size === 0 && paths.size === 0 && relatives.size === 0) return out;
  const allNames = new Set(
    [...constants.values(), ...paths.values(), ...relatives.values()].flatMap((names) => [...names]),
  );
  const alternatives = [...allNames].map((n) => n.replace(/\$/g, '\\$')).join('|');
  const mentions = new RegExp(`^(?:${alternatives})$`);
  // Text test before a file is parsed: one of the names in an import or require statement.
  const name = `(?<![\\w$])(?:${alternatives})(?![\\w$])`;
  const imports = new RegExp(`\\b(?:import|require)\\b[^;]{0,500}?${name}|${name}[^;]{0,200}?\\brequire\\s*\\(`);
  // Text test for a namespace import's use: a member named like a path constant (`Url.USER_ME`), not any `z.object`.
  const pathNames = [...new Set([...paths.values(), ...relatives.values()].flatMap((names) => [...names]))];
  const readsMember =
    pathNames.length === 0
      ? undefined
      : new RegExp(`\\.(?:${pathNames.map((n) => n.replace(/\$/g, '\\$')).join('|')})(?![\\w$])`);
  const resolver = new ModuleExports(code, ...resolution(fileSet, text));
  const ts = code.ts;
  for (const file of code.files) {
    const content = file.text.content;
    const byName = imports.test(content);
    const byNamespace = readsMember !== undefined && NAMESPACE_IMPORT.test(content) && readsMember.test(content);
    if (!byName && !byNamespace) continue;
    for (const [local, binding] of importBindings(ts, file.tree)) {
      // `import * as Url from './url'`: each member read (`Url.NAME`) that the module exports, itself or through its
      // re-exports (a URL table split over modules), as a path constant.
      if (byNamespace && binding.path.length === 0) {
        const target = resolver.resolveImport(file, binding);
        if (target?.kind !== 'module') continue;
        const escaped = local.replace(/\$/g, '\\$');
        const members = new Set(
          [...content.matchAll(new RegExp(`(?<![\\w$.])${escaped}\\.([\\w$]+)`, 'g'))].map((m) => m[1]!),
        );
        for (const member of members) {
          const found = resolver.exportOf(target.file, member);
          if (found?.kind !== 'declaration' || !ts.isVariableDeclaration(found.node)) continue;
          const declared = found.node.name;
          if (ts.isIdentifier(declared) && paths.get(found.file.path)?.has(declared.text))
            out.add(originPathImportKey(file.path, `${local}.${member}`));
          if (ts.isIdentifier(declared) && relatives.get(found.file.path)?.has(declared.text))
            out.add(relativePathImportKey(file.path, `${local}.${member}`));
        }
        continue;
      }
      if (!byName || !mentions.test(binding.path.at(-1) ?? '')) continue;
      const target = resolver.resolveImport(file, binding);
      if (target?.kind !== 'declaration' || !ts.isVariableDeclaration(target.node)) continue;
      const name = target.node.name;
      if (!ts.isIdentifier(name)) continue;
      if (constants.get(target.file.path)?.has(name.text)) out.add(loopbackImportKey(file.path, local));
      if (paths.get(target.file.path)?.has(name.text)) out.add(originPathImportKey(file.path, local));
      if (relatives.get(target.file.path)?.has(name.text)) out.add(relativePathImportKey(file.path, local));
    }
  }
  return out;
}

/** tsconfig aliases and the monorepo's packages, as the other whole-tree judgements read them. */
function resolution(
  fileSet: FileSet,
  text: TextFiles,
): [ReturnType<typeof readPathAliases>, ReturnType<typeof readWorkspacePackages>] {
  const configs = tsconfigPaths(fileSet);
  const manifests = packageManifests(fileSet, text);
  return [readPathAliases(configs, text), readWorkspacePackages(manifests, new Set())];
}

/**
 * The constants a module exports whose value `holds`: `export const API = 'http://localhost:3000'` /
 * `export const API = process.env.API || 'http://127.0.0.1:3000'` for loopback, `export const USER_ME = '/user/me'`.
 */
function exportedConstants(
  ts: typeof TypeScript,
  source: TypeScript.SourceFile,
  holds: (ts: typeof TypeScript, value: TypeScript.Expression) => boolean,
): Set<string> {
  const names = new Set<string>();
  const local = new Map<string, TypeScript.Expression>();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    const exported = (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    for (const d of statement.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !d.initializer || !holds(ts, d.initializer)) continue;
      if (exported) names.add(d.name.text);
      else local.set(d.name.text, d.initializer);
    }
  }
  // `const url = '…'; export { url }`.
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || statement.moduleSpecifier || !statement.exportClause) continue;
    if (!ts.isNamedExports(statement.exportClause)) continue;
    for (const element of statement.exportClause.elements)
      if (local.has((element.propertyName ?? element.name).text)) names.add(element.name.text);
  }
  return names;
}

/** A loopback URL written in place, or a setting read from the environment whose default is one. */
export function isLoopbackValue(ts: typeof TypeScript, expression: TypeScript.Expression): boolean {
  const value = unwrapExpression(ts, expression);
  const head = writtenHead(ts, value);
  if (head !== undefined) return LOOPBACK_URL.test(head);
  if (!ts.isBinaryExpression(value)) return false;
  const operator = value.operatorToken.kind;
  if (operator !== ts.SyntaxKind.BarBarToken && operator !== ts.SyntaxKind.QuestionQuestionToken) return false;
  const setting = unwrapExpression(ts, value.left);
  const setFrom = ts.isPropertyAccessExpression(setting)
    ? setting.expression
    : ts.isElementAccessExpression(setting)
      ? setting.expression
      : undefined;
  const fallback = writtenHead(ts, unwrapExpression(ts, value.right));
  return !!setFrom && ENV_OBJECT.test(setFrom.getText()) && fallback !== undefined && LOOPBACK_URL.test(fallback);
}

/** A string or template written as a relative path (`'org/teams'`, `` `spaces/${id}` ``). */
function relativePathHead(ts: typeof TypeScript, expression: TypeScript.Expression): boolean {
  const head = writtenHead(ts, unwrapExpression(ts, expression));
  return head !== undefined && RELATIVE_PATH.test(head);
}

/** A string or template written as a path of the page's own origin (`'/api/v1'`, `` `/spaces/${id}` ``). */
function originPathHead(ts: typeof TypeScript, expression: TypeScript.Expression): boolean {
  const head = writtenHead(ts, unwrapExpression(ts, expression));
  return head !== undefined && ORIGIN_PATH.test(head);
}

function writtenHead(ts: typeof TypeScript, value: TypeScript.Node): string | undefined {
  if (ts.isStringLiteralLike(value)) return value.text;
  if (ts.isTemplateExpression(value)) return value.head.text;
  return undefined;
}
