/**
 * Next.js path matchers (`config.matcher` of middleware.ts, Clerk's `createRouteMatcher([...])`): the
 * path-to-regexp syntax Next.js compiles them with, turned into a RegExp archlint can test a route path
 * against. `/api/:path*` (zero or more segments), `/api/:path+`, `/:slug?`, `/:id(\\d+)`, and raw groups,
 * the common form being a negative lookahead: `/((?!api|_next/static|favicon.ico).*)`. A pattern it cannot
 * compile (an unbalanced group, an invalid regular expression) is undefined: the caller stays unsure.
 */

/** The compiled pattern, matched against the whole pathname (a trailing slash allowed, as Next.js does). */
export function compileMatcher(pattern: string): RegExp | undefined {
  if (!pattern.startsWith('/')) return undefined;
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    // A parameter or a raw group takes the `/` before it as its prefix: `/:path*` also matches nothing at all.
    const prefix = ch === '/' && (pattern[i + 1] === ':' || pattern[i + 1] === '(') ? '/' : '';
    const at = i + prefix.length;
    let body: string | undefined;
    let next = at;
    if (pattern[at] === ':') {
      const name = /^:(\w+)/.exec(pattern.slice(at));
      if (!name) return undefined;
      next = at + name[0].length;
      body = '[^/#?]+?';
      if (pattern[next] === '(') {
        const group = balanced(pattern, next);
        if (group === undefined) return undefined;
        body = pattern.slice(next + 1, group);
        next = group + 1;
      }
    } else if (pattern[at] === '(') {
      const group = balanced(pattern, at);
      if (group === undefined) return undefined;
      body = pattern.slice(at + 1, group);
      next = group + 1;
    }
    if (body === undefined) {
      // `{…}` groups and `*` wildcards of other path-to-regexp versions: not the syntax Next.js documents.
      if ('{}*'.includes(ch)) return undefined;
      out += ch.replace(/[.+?^$|[\]\\]/g, '\\$&');
      i += 1;
      continue;
    }
    const modifier = /[*+?]/.test(pattern[next] ?? '') ? pattern[next]! : '';
    if (modifier) next += 1;
    const p = prefix.replace('/', '\\/');
    if (modifier === '*') out += `(?:${p}(?:${body})(?:${p}(?:${body}))*)?`;
    else if (modifier === '+') out += `(?:${p}(?:${body})(?:${p}(?:${body}))*)`;
    else if (modifier === '?') out += `(?:${p}(?:${body}))?`;
    else out += `${p}(?:${body})`;
    i = next;
  }
  try {
    return new RegExp(`^${out}\\/?$`, 'i');
  } catch {
    return undefined;
  }
}

/** The index of the `)` closing the group opened at `open`; escapes and nested groups skipped. */
function balanced(text: string, open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i += 1;
    else if (ch === '(') depth += 1;
    else if (ch === ')' && --depth === 0) return i;
  }
  return undefined;
}

/**
 * A route path of the HTTP model (`/api/items/{id}`, `/files/{path}` of a catch-all) as a request would have it:
 * each parameter a plain segment, so a matcher's own parameters and lookaheads see an ordinary value.
 */
export function samplePath(path: string): string {
  return path.replace(/\{[^}]*\}/g, 'p1');
}
