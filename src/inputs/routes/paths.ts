/**
 * Route paths as the HTTP model writes them: every prefix applied, parameters as `{name}` in every
 * framework (`:id`, `:id?`, `:id(\\d+)`, Hono `:id{[0-9]+}`, Next.js `[id]` / `[...slug]`), wildcards as
 * `*` (Express 4 `*`, Express 5 `*splat`), single slashes, no trailing slash.
 */

/** Joins path pieces (each may be '', 'v1', '/v1/', …) into one normalised path. */
export function joinPaths(...parts: string[]): string {
  const segments: string[] = [];
  for (const part of parts) {
    for (const segment of expandOptionalGroups(part).split('/')) if (segment !== '') segments.push(segment);
  }
  return normaliseParams(`/${segments.join('/')}`);
}

/** `:id` → `{id}` (optional marker and inline regex dropped); `{id}` stays; `*splat` → `*`. */
export function normaliseParams(path: string): string {
  return path.replace(/:([A-Za-z_$][\w$]*)(?:\([^)]*\)|\{[^}]*\})?[?+*]?/g, '{$1}').replace(/\*[A-Za-z_$][\w$]*/g, '*');
}

/**
 * Express 5 (path-to-regexp v8) optional groups: `/proxy{/*splat}`, `/users{/:id}`, `/file{.:ext}`. The route
 * answers with and without the group; the model keeps the longer form, which names what the route serves.
 * A group right after a parameter is Hono's regex constraint (`:id{[0-9]+}`), and `{id}` alone is a parameter
 * already written the model's way: both stay.
 */
function expandOptionalGroups(part: string): string {
  let previous: string;
  let current = part;
  do {
    previous = current;
    current = current.replace(/\{([^{}]*)\}/g, (whole, inner: string, at: number, text: string) =>
      /^[/.-]|[:*]/.test(inner) && !/:[A-Za-z_$][\w$]*$/.test(text.slice(0, at)) ? inner : whole,
    );
  } while (current !== previous);
  return current;
}
