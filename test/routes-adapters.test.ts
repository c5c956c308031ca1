/**
 * The routes input keeps framework knowledge in its adapters (src/inputs/routes/frameworks/): the
 * generic code never compares a framework by name, and every framework has exactly one adapter.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADAPTERS, adapterOf } from '../src/inputs/routes/frameworks/index.js';

const routes = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'inputs', 'routes');
const FRAMEWORK_TEST = /\bframework\s*[!=]==|[!=]==\s*'(express|fastify|hono|koa|nestjs|nextjs|trpc)'/;

describe('framework adapters', () => {
  it('no module outside the adapters compares a framework by name', () => {
    const offenders = readdirSync(routes)
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) =>
        readFileSync(join(routes, name), 'utf8')
          .split('\n')
          .flatMap((line, i) => (FRAMEWORK_TEST.test(line) ? [`${name}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
  });

  it('has one adapter per framework', () => {
    const names = ADAPTERS.map((a) => a.framework);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['express', 'fastify', 'hono', 'koa', 'nestjs', 'nextjs', 'trpc'] as const)
      expect(adapterOf(name).framework).toBe(name);
  });

  it('every factory is resolved up front by one of its callee names', () => {
    for (const adapter of ADAPTERS) {
      for (const factory of adapter.factories) {
        const callees = factory.paths.map((p) => p.split('.').pop() || '');
        // The default export is called by whatever name it is imported under: the package's own name is the usual one.
        const named = callees.some((c) => c !== '' && adapter.factoryCallees.includes(c)) || callees.includes('');
        expect(named, `${adapter.framework} ${factory.paths.join(', ')}`).toBe(true);
      }
    }
  });
});
