/**
 * Which names in a file are HTTP clients, from its imports: axios, got, undici, ky, node-fetch and
 * friends, and the global `fetch` when nothing in the file shadows it.
 */
import type { ts as TypeScript } from 'ts-morph';

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
  let shadowsFetch = false;
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.importClause;
      if (!clause || clause.isTypeOnly) continue;
      const from = statement.moduleSpecifier.text;
      if (clause.name) bind(from, 'default', clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) bind(from, 'namespace', bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          const imported = (element.propertyName ?? element.name).text;
          bind(from, imported === 'default' ? 'default' : imported, element.name.text);
          if (element.name.text === 'fetch' && !names.has('fetch')) shadowsFetch = true;
        }
      }
      if (clause.name?.text === 'fetch' && !names.has('fetch')) shadowsFetch = true;
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const required = requiredModule(ts, declaration.initializer);
        if (required !== undefined) {
          if (ts.isIdentifier(declaration.name))
            bind(required.module, required.property ?? 'default', declaration.name.text);
          else if (ts.isObjectBindingPattern(declaration.name)) {
            for (const element of declaration.name.elements) {
              if (!ts.isIdentifier(element.name)) continue;
              const imported =
                element.propertyName && ts.isIdentifier(element.propertyName)
                  ? element.propertyName.text
                  : element.name.text;
              bind(required.module, imported, element.name.text);
            }
          }
        }
        if (ts.isIdentifier(declaration.name) && declaration.name.text === 'fetch' && !names.has('fetch'))
          shadowsFetch = true;
      }
    } else if (ts.isFunctionDeclaration(statement) && statement.name?.text === 'fetch') {
      shadowsFetch = true;
    }
  }
  if (!shadowsFetch && !names.has('fetch')) names.set('fetch', 'fetch');
  return { names, undiciNamespaces };
}

/** `require('axios')`, `require('axios').default`, `require('undici').request`. */
function requiredModule(
  ts: typeof TypeScript,
  init: TypeScript.Expression | undefined,
): { module: string; property?: string } | undefined {
  if (!init) return undefined;
  let property: string | undefined;
  let node = init;
  if (ts.isPropertyAccessExpression(node)) {
    property = node.name.text;
    node = node.expression;
  }
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
    const arg = node.arguments[0];
    if (arg && ts.isStringLiteral(arg)) return { module: arg.text, property };
  }
  return undefined;
}
