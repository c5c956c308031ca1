/**
 * Which names in a file are HTTP clients, from its imports: axios, got, undici, ky, node-fetch and
 * friends, and the global `fetch` when nothing in the file shadows it.
 */
import type { ts as TypeScript } from 'ts-morph';
import { importBindings } from '../../../src/rule-api.js';

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
  /** Local name → what it is (`axios`, `got`, `fetch` …). */
  names: ReadonlyMap<string, ClientKind>;
  /** Namespace imports of undici (`import * as undici from 'undici'`): `undici.request`, `undici.fetch`. */
  undiciNamespaces: ReadonlySet<string>;
}

const FETCH_PACKAGES = /^(node-fetch|cross-fetch|isomorphic-fetch|node-fetch-native|@whatwg-node\/fetch)$/;
/** The `request` library and its promise wrappers (deprecated, still common in older servers): no timeout by default. */
const REQUEST_PACKAGES = /^(request|request-promise|request-promise-native|request-promise-any)$/;

export function httpClients(ts: typeof TypeScript, source: TypeScript.SourceFile): HttpClients {
  const names = new Map<string, ClientKind>();
  const undiciNamespaces = new Set<string>();
  const bind = (from: string, imported: 'default' | 'namespace' | string, local: string) => {
    if (from === 'axios' && (imported === 'default' || imported === 'namespace')) names.set(local, 'axios');
    else if (from === 'got' && (imported === 'default' || imported === 'got')) names.set(local, 'got');
    else if (from === 'ky' && imported === 'default') names.set(local, 'ky');
    else if (REQUEST_PACKAGES.test(from) && (imported === 'default' || imported === 'namespace'))
      names.set(local, 'request');
    else if (FETCH_PACKAGES.test(from) && (imported === 'default' || imported === 'fetch'))
      names.set(local, 'node-fetch');
    else if (from === 'undici' && imported === 'fetch') names.set(local, 'undici-fetch');
    else if (from === 'undici' && imported === 'request') names.set(local, 'undici-request');
    else if (from === 'undici' && imported === 'namespace') undiciNamespaces.add(local);
  };
  const bindings = importBindings(ts, source);
  for (const [local, { module, path }] of bindings) {
    if (path.length === 0) bind(module, 'namespace', local);
    else if (path.length === 1) bind(module, path[0]!, local);
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
  return { names, undiciNamespaces };
}
