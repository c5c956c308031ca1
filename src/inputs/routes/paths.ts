/**
 * Route paths as the HTTP model writes them: every prefix applied, parameters as `{name}` in every
 * framework (`:id`, `:id?`, `:id(\\d+)`, Next.js `[id]` / `[...slug]`), single slashes, no trailing slash.
 */

/** Joins path pieces (each may be '', 'v1', '/v1/', …) into one normalised path. */
export function joinPaths(...parts: string[]): string {
  const segments: string[] = [];
  for (const part of parts) {
    for (const segment of part.split('/')) if (segment !== '') segments.push(segment);
  }
  return normaliseParams(`/${segments.join('/')}`);
}

/** `:id` → `{id}` (optional marker and inline regex dropped); `{id}` stays. */
export function normaliseParams(path: string): string {
  return path.replace(/:([A-Za-z_$][\w$]*)(\([^)]*\))?[?+*]?/g, '{$1}');
}
