/** Next.js path matchers (middleware.ts `config.matcher`, Clerk route matchers) as the routes input reads them. */
import { describe, expect, it } from 'vitest';
import { compileMatcher, samplePath } from '../src/inputs/routes/frameworks/next-matcher.js';

const matches = (pattern: string, path: string) => compileMatcher(pattern)?.test(samplePath(path));

describe('Next.js matchers', () => {
  it('reads parameters with modifiers as Next.js does', () => {
    expect(matches('/api/:path*', '/api')).toBe(true);
    expect(matches('/api/:path*', '/api/items/{id}')).toBe(true);
    expect(matches('/api/:path*', '/apix')).toBe(false);
    expect(matches('/api/projects/:path+', '/api/projects')).toBe(false);
    expect(matches('/api/projects/:path+', '/api/projects/{id}/runs')).toBe(true);
    expect(matches('/docs/:slug?', '/docs')).toBe(true);
    expect(matches('/docs/:slug', '/docs/a/b')).toBe(false);
  });

  it('reads raw groups, the negative lookahead that leaves paths out among them', () => {
    const matcher = '/((?!api/|_next/static|_next/image|favicon.ico).*)';
    expect(matches(matcher, '/api/items')).toBe(false);
    expect(matches(matcher, '/dashboard/{id}')).toBe(true);
    expect(matches('/(api|trpc)(.*)', '/api/items')).toBe(true);
    expect(matches('/(api|trpc)(.*)', '/settings')).toBe(false);
  });

  it('gives up on what it cannot compile', () => {
    expect(compileMatcher('/api/((?!x)')).toBeUndefined();
    expect(compileMatcher('api/:path*')).toBeUndefined();
    expect(compileMatcher('/files/{:name}')).toBeUndefined();
  });
});
