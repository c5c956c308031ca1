/**
 * Routes registered in a loop over a list written in the code: each value of the loop variable is a route
 * (`for (const method of ['GET', 'POST']) fastify.route({ method, url, handler })`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanTrees, routeList } from './routes-helpers.js';

afterEach(cleanTrees);

describe('routes registered in a loop', () => {
  it('reads each method of a for…of loop over a constant list (Fastify route options)', async () => {
    const routes = await routeList({
      'package.json': '{ "dependencies": { "fastify": "5.0.0" } }',
      'src/app.ts': [
        "import Fastify from 'fastify';",
        'const app = Fastify();',
        "const METHODS = ['GET', 'HEAD'] as const;",
        'for (const method of METHODS) {',
        "  app.route({ method, url: '/v1/items', handler: async () => [] });",
        '}',
        'app.listen({ port: 3000 });',
      ].join('\n'),
    });
    expect(routes).toEqual(['GET /v1/items src/app.ts:5 src/app.ts#app', 'HEAD /v1/items src/app.ts:5 src/app.ts#app']);
  });

  it('reads each path of a forEach over a literal list (Express)', async () => {
    const routes = await routeList({
      'package.json': '{ "dependencies": { "express": "5.0.0" } }',
      'src/app.ts': [
        "import express from 'express';",
        'const app = express();',
        "['/healthz', '/readyz'].forEach((path) => app.get(path, (req, res) => res.send('ok')));",
        'app.listen(3000);',
      ].join('\n'),
    });
    expect(routes).toEqual(['GET /healthz src/app.ts:3 src/app.ts#app', 'GET /readyz src/app.ts:3 src/app.ts#app']);
  });

  it('leaves a method it cannot list as one route of unknown method', async () => {
    const routes = await routeList({
      'package.json': '{ "dependencies": { "fastify": "5.0.0" } }',
      'src/app.ts': [
        "import Fastify from 'fastify';",
        'const app = Fastify();',
        'export function register(methods: string[]) {',
        "  for (const method of methods) app.route({ method, url: '/v1/things', handler: async () => [] });",
        '}',
        'app.listen({ port: 3000 });',
      ].join('\n'),
    });
    expect(routes).toEqual(['ALL /v1/things src/app.ts:4 src/app.ts#app low']);
  });
});
