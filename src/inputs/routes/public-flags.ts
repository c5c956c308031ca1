/**
 * Options that mark a route or an auth check public on purpose: `{ skipAuth: true }`,
 * `{ allowAnonymous: true }`, `{ auth: false }`.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import { unwrap } from './values.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** Option flags that let anonymous requests through an auth check (`allowInvalidJwt`, `skipAuth`, `public`). */
export const PUBLIC_FLAG =
  /^(allow_?(invalid|anon|anonymous|unauthenticated|unauthorized|public|guest)\w*|(is_?)?public|skip_?auth\w*|no_?auth|optional_?auth|auth_?optional)$/i;

/** `{ skipAuth: true }` → 'skipAuth: true'; `{ auth: false }` → 'auth: false'. */
export function publicFlag(node: ts.Node): string | undefined {
  if (!typescript.isObjectLiteralExpression(node)) return undefined;
  for (const property of node.properties) {
    if (!typescript.isPropertyAssignment(property)) continue;
    const key = property.name.getText().replace(/['"]/g, '');
    const value = unwrap(property.initializer).kind;
    if (value === typescript.SyntaxKind.TrueKeyword && PUBLIC_FLAG.test(key)) return `${key}: true`;
    if (value === typescript.SyntaxKind.FalseKeyword && /^(auth|authenticate|requireAuth|protected)$/i.test(key))
      return `${key}: false`;
  }
  return undefined;
}
