/**
 * Two facts about how a project configures its HTTP clients, judged over the whole tree (a module cannot see the
 * settings file or the start-up module that sets them) and carried with the loopback imports
 * (CodeModel.loopbackImports) to a batch checked apart:
 *
 * - Settings whose value in the project's dotenv files is a path of the page's own origin
 *   (`NEXT_PUBLIC_NEXT_API=/nest/v1` in `packages/web/.env`): a base URL with no host only resolves in a browser
 *   (Node's fetch rejects it, axios in Node has no page to resolve it against), so a request through it is a page
 *   calling its own server, wherever the module sits (CodeFile.isOriginPathSetting). A setting any env file gives
 *   a host (`API_URL=https://api.example.com`) says nothing.
 * - Packages whose server code sets a process-wide default deadline on the axios module
 *   (`axios.defaults.timeout = 300 * 1000` in the server's start-up class): every request through the global axios
 *   of that package, made after start-up, has that deadline (CodeFile.axiosDefaultTimeout). Instances made with
 *   `axios.create` may be made before the default is set (at import): not covered.
 * - Packages that set the axios module's base URL to a path of the page's origin (`axios.defaults.baseURL =
 *   Url.BASE_URL` with `export const BASE_URL = '/api/v1'`, or a setting the env files give a path): the package's
 *   requests through the global axios are written for a browser (CodeFile.axiosOriginBase).
 */
import { posix } from 'node:path';
import type { CodeFile } from '../../model/code.js';
import type { FileSet, TextFiles } from '../../model/files.js';
import type { ts as TypeScript } from 'ts-morph';
import { unwrapExpression } from '../../model/qualified-names.js';
import { isTestPath } from '../../model/test-paths.js';
import { loadTypeScript } from './ts-morph.js';

/** The key of a setting whose committed values are all same-origin paths. */
export function originPathSettingKey(name: string): string {
  return `\u0000env\u0000${name}`;
}

/** The key of a package folder ('' for the root) whose server code sets `axios.defaults.timeout`. */
export function axiosTimeoutPackageKey(dir: string): string {
  return `\u0000axios-timeout\u0000${dir}`;
}

/** The key of a package folder whose code sets `axios.defaults.baseURL` to a same-origin path. */
export function axiosOriginBasePackageKey(dir: string): string {
  return `\u0000axios-origin-base\u0000${dir}`;
}

/** `.env`, `.env.example`, `.env.production`, `app.env`: dotenv files, not `env.ts`. */
const DOTENV_FILE = /^(?:\.env(?:\.[\w.-]+)?|[\w.-]+\.env)$/;
/** `NAME=value`, `export NAME="value"`. */
const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
/** A path of the page's own origin: `/api/v1`, not a protocol-relative `//host/…`. */
const ORIGIN_PATH = /^\/(?!\/)\S*$/;
/** `axios.defaults.timeout = 5000` (0, null and undefined mean no deadline). */
const AXIOS_DEFAULT_TIMEOUT = /(^|[^\w$.])axios\.defaults\.timeout\s*=(?!=)\s*(?!0\b|undefined\b|null\b)/;

/** `axios.defaults.baseURL = …`. */
const AXIOS_DEFAULT_BASE = /(^|[^\w$.])axios\.defaults\.baseURL\s*=(?!=)/;

/**
 * `isOriginPathImport(path, name)`: the name (`BASE_URL`, `Url.BASE_URL`) the module at `path` imports holds a
 * same-origin path (loopback-imports.ts); `packageDirOf`: the folder of a file's nearest package.json (runtime.ts).
 */
export function judgeClientSettings(
  files: readonly CodeFile[],
  fileSet: FileSet,
  text: TextFiles,
  isOriginPathImport: (path: string, name: string) => boolean,
  packageDirOf: (file: CodeFile) => string | undefined,
): Set<string> {
  const out = new Set<string>();
  const settings = originPathSettings(fileSet, text);
  for (const name of settings) out.add(originPathSettingKey(name));
  for (const file of files) {
    if (!AXIOS_DEFAULT_TIMEOUT.test(file.text.content)) continue;
    // A test's setup sets it for the test's own requests; a page's for the browser's: not the server's axios.
    if (isTestPath(file.text.rootPath ?? file.path) || file.runtime !== 'server') continue;
    const dir = packageDirOf(file);
    if (dir !== undefined) out.add(axiosTimeoutPackageKey(dir));
  }
  for (const file of files) {
    if (!AXIOS_DEFAULT_BASE.test(file.text.content)) continue;
    const dir = packageDirOf(file);
    if (dir === undefined || !setsOriginBase(file, settings, isOriginPathImport)) continue;
    out.add(axiosOriginBasePackageKey(dir));
  }
  return out;
}

/** The module assigns `axios.defaults.baseURL` a same-origin path: written, imported, or a setting that holds one. */
function setsOriginBase(
  file: CodeFile,
  settings: ReadonlySet<string>,
  isOriginPathImport: (path: string, name: string) => boolean,
): boolean {
  const ts = loadTypeScript();
  let found = false;
  const visit = (node: TypeScript.Node): void => {
    if (found) return;
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      node.left.getText(file.tree).replace(/\s+/g, '') === 'axios.defaults.baseURL'
    ) {
      const value = unwrapExpression(ts, node.right);
      const name = value.getText(file.tree);
      found =
        (ts.isStringLiteralLike(value) && ORIGIN_PATH.test(value.text)) ||
        (ts.isTemplateExpression(value) && /^\/(?!\/)/.test(value.head.text)) ||
        ((ts.isIdentifier(value) || ts.isPropertyAccessExpression(value)) && isOriginPathImport(file.path, name)) ||
        (ts.isPropertyAccessExpression(value) &&
          /(?:^|\.)env$/.test(value.expression.getText(file.tree)) &&
          settings.has(value.name.text));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file.tree);
  return found;
}

/** The settings every dotenv file of the tree that names them gives a same-origin path (empty values aside). */
function originPathSettings(fileSet: FileSet, text: TextFiles): Set<string> {
  const paths = new Set<string>();
  const others = new Set<string>();
  for (const discovered of fileSet.files) {
    if (!DOTENV_FILE.test(posix.basename(discovered.path)) || /(^|\/)node_modules\//.test(discovered.path)) continue;
    const content = text.get(discovered.path)?.content;
    if (content === undefined) continue;
    for (const line of content.split(/\r?\n|\r/)) {
      const match = ASSIGNMENT.exec(line);
      if (!match) continue;
      const value = unquote(match[2]!);
      if (value === '') continue;
      (ORIGIN_PATH.test(value) ? paths : others).add(match[1]!);
    }
  }
  for (const name of others) paths.delete(name);
  return paths;
}

/** The value without its quotes or a trailing ` # comment`. */
function unquote(raw: string): string {
  const value = raw.trim();
  const quoted = /^(['"`])(.*)\1/.exec(value);
  if (quoted) return quoted[2]!;
  return value.replace(/\s+#.*$/, '').trim();
}
