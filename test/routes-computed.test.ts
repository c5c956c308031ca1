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

describe('NestJS version prefixes from constants and config', () => {
  const module = [
    "import { Module } from '@nestjs/common';",
    "import { CatsController } from './cats.controller';",
    '@Module({ controllers: [CatsController] })',
    'export class AppModule {}',
  ].join('\n');
  const controller = [
    "import { Controller, Get } from '@nestjs/common';",
    "@Controller('cats')",
    'export class CatsController {',
    '  @Get()',
    '  findAll() { return []; }',
    '}',
  ].join('\n');
  const main = (lines: string[]) =>
    [
      "import { NestFactory } from '@nestjs/core';",
      "import { VersioningType } from '@nestjs/common';",
      "import { AppModule } from './app.module';",
      "import { config } from './config';",
      'async function bootstrap() {',
      '  const app = await NestFactory.create(AppModule);',
      ...lines,
      '  await app.listen(3000);',
      '}',
      'bootstrap();',
    ].join('\n');

  it('reads a version and a prefix held in constants of a config object', async () => {
    const routes = await routeList({
      'package.json': '{ "dependencies": { "@nestjs/core": "11.0.0" } }',
      'src/config.ts': "export const config = { apiPrefix: 'api', version: '2', versionPrefix: 'v' } as const;\n",
      'src/main.ts': main([
        '  app.setGlobalPrefix(config.apiPrefix);',
        '  app.enableVersioning({ type: VersioningType.URI, prefix: config.versionPrefix, defaultVersion: config.version });',
      ]),
      'src/app.module.ts': module,
      'src/cats.controller.ts': controller,
    });
    expect(routes).toEqual(['GET /api/v2/cats src/cats.controller.ts:4 src/main.ts#app']);
  });

  it('keeps a version it cannot read in the path, marked unknown, at low confidence', async () => {
    const routes = await routeList({
      'package.json': '{ "dependencies": { "@nestjs/core": "11.0.0" } }',
      'src/config.ts': 'export const config = { get: (key: string) => process.env[key] };\n',
      'src/main.ts': main([
        "  app.enableVersioning({ type: VersioningType.URI, defaultVersion: config.get('API_VERSION') });",
      ]),
      'src/app.module.ts': module,
      'src/cats.controller.ts': controller,
    });
    expect(routes).toEqual(["GET /v<config.get('API_VERSION')>/cats src/cats.controller.ts:4 src/main.ts#app low"]);
  });
});

describe('routes registered through a computed member', () => {
  it('reads router[method](…) once per method of the list the loop walks', async () => {
    const routes = await routeList({
      'package.json': '{ "dependencies": { "express": "5.0.0" } }',
      'src/app.ts': [
        "import express from 'express';",
        'const app = express();',
        "for (const method of ['get', 'post'] as const) {",
        "  app[method]('/v1/echo', (req, res) => res.json({ method }));",
        '}',
        "app['delete']('/v1/echo', (req, res) => res.sendStatus(204));",
        'app.listen(3000);',
      ].join('\n'),
    });
    expect(routes).toEqual([
      'DELETE /v1/echo src/app.ts:6 src/app.ts#app',
      'GET /v1/echo src/app.ts:4 src/app.ts#app',
      'POST /v1/echo src/app.ts:4 src/app.ts#app',
    ]);
  });

  it('leaves a member it cannot read (or one that is no HTTP method) alone', async () => {
    const routes = await routeList({
      'package.json': '{ "dependencies": { "express": "5.0.0" } }',
      'src/app.ts': [
        "import express from 'express';",
        'const app = express();',
        'export function add(method: string) {',
        "  app[method]('/v1/dynamic', (req, res) => res.json({}));",
        '}',
        "app['set']('trust proxy', true);",
        "app.get('/v1/fixed', (req, res) => res.json({}));",
        'app.listen(3000);',
      ].join('\n'),
    });
    expect(routes).toEqual(['GET /v1/fixed src/app.ts:7 src/app.ts#app']);
  });
});
