/**
 * Which names in a file are HTTP clients: the package exports that are clients, by their qualified
 * name (the code-analysis layer's `qualifiedName`: `axios`, `got`, `undici.request`, `node-fetch` …),
 * bound to the file's local names, and the global `fetch` when nothing in the file shadows it.
 */
import type { ts as TypeScript } from 'ts-morph';
import { importBindings, qualifiedName, qualifiedNameOf, type ImportBinding } from '../../../src/rule-api.js';

export type ClientKind =
  | 'fetch'
  | 'node-fetch'
  | 'undici-fetch'
  | 'undici-request'
  | 'axios'
  | 'got'
  | 'ky'
  | 'request';

export interface HttpClients {
  /** The file's import bindings (for `qualifiedName` of a callee). */
  bindings: ReadonlyMap<string, ImportBinding>;
  /** Local name → what it is (`axios`, `got`, `fetch` …). */
  names: ReadonlyMap<string, ClientKind>;
  /** Local names of modules whose members are clients (`import * as undici from 'undici'`: `undici.request`). */
  clientModules: ReadonlySet<string>;
}

const FETCH_PACKAGES = ['node-fetch', 'cross-fetch', 'isomorphic-fetch', 'node-fetch-native', '@whatwg-node/fetch'];
/** The `request` library and its promise wrappers (deprecated, still common in older servers): no timeout by default. */
const REQUEST_PACKAGES = ['request', 'request-promise', 'request-promise-native', 'request-promise-any'];

/** Package exports that are clients, by qualified name (a default export is named by its module). */
const CLIENT_EXPORTS: ReadonlyMap<string, ClientKind> = new Map<string, ClientKind>([
  ['axios', 'axios'],
  ['got', 'got'],
  ['got.got', 'got'],
  ['ky', 'ky'],
  ['undici.fetch', 'undici-fetch'],
  ['undici.request', 'undici-request'],
  ...FETCH_PACKAGES.flatMap(
    (name): Array<[string, ClientKind]> => [
      [name, 'node-fetch'],
      [`${name}.fetch`, 'node-fetch'],
    ],
  ),
  ...REQUEST_PACKAGES.map((name): [string, ClientKind] => [name, 'request']),
]);

/** Modules whose members are clients (`undici.fetch`, `undici.request`). */
const CLIENT_MODULES = new Set(['undici']);

/** The client a package export is, by its qualified name (`undici.request` → undici-request). */
export function clientKindOf(name: string | undefined): ClientKind | undefined {
  return name === undefined ? undefined : CLIENT_EXPORTS.get(name);
}

/** The client a callee names through the file's imports: `undici.request`, `got.got`. */
export function calledClient(
  ts: typeof TypeScript,
  callee: TypeScript.Expression,
  clients: HttpClients,
): ClientKind | undefined {
  return clientKindOf(qualifiedName(ts, callee, clients.bindings));
}

export function httpClients(ts: typeof TypeScript, source: TypeScript.SourceFile): HttpClients {
  const names = new Map<string, ClientKind>();
  const clientModules = new Set<string>();
  const bindings = importBindings(ts, source);
  for (const [local, binding] of bindings) {
    const name = qualifiedNameOf(binding);
    const kind = clientKindOf(name);
    if (kind) names.set(local, kind);
    else if (CLIENT_MODULES.has(name)) clientModules.add(local);
  }
  // Any other value named `fetch` at the top of the file hides the global one.
  let shadowsFetch = bindings.has('fetch') && !names.has('fetch');
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name) && declaration.name.text === 'fetch' && !names.has('fetch'))
          shadowsFetch = true;
    } else if (ts.isFunctionDeclaration(statement) && statement.name?.text === 'fetch') {
      shadowsFetch = true;
    }
  }
  if (!shadowsFetch && !names.has('fetch')) names.set('fetch', 'fetch');
  return { bindings, names, clientModules };
}
