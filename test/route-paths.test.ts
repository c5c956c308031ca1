/** Route path normalisation in the routes input: every framework's syntax written the model's way. */
import { describe, expect, it } from 'vitest';
import { joinPaths } from '../src/inputs/routes/paths.js';

describe('joinPaths', () => {
  it('writes Express 5 (path-to-regexp v8) optional groups and named wildcards like Express 4', () => {
    expect(joinPaths('/', '/proxy{/*splat}')).toBe('/proxy/*');
    expect(joinPaths('', '*splat')).toBe('/*');
    expect(joinPaths('/api', '/users{/:id}')).toBe('/api/users/{id}');
    expect(joinPaths('/files{.:ext}')).toBe('/files.{ext}');
  });

  it('keeps parameters already written {name} and drops Hono regex constraints', () => {
    expect(joinPaths('/v1', '/orders/{id}')).toBe('/v1/orders/{id}');
    expect(joinPaths('/posts/:date{[0-9]+}')).toBe('/posts/{date}');
    expect(joinPaths('/legacy/*', '')).toBe('/legacy/*');
    expect(joinPaths('/:path*')).toBe('/{path}');
  });
});
