import { describe, expect, it } from 'vitest';
import { Project, ts } from 'ts-morph';
import type { CodeFile, CodeModel } from '../src/rule-api.js';
import { importBindingOf, importBindings, ModuleExports, qualifiedName, qualifiedRef } from '../src/rule-api.js';
import { Modules } from '../src/inputs/routes/modules.js';
import { Evaluator } from '../src/inputs/routes/values.js';

/** A code model of in-memory files, named as the code input names their trees. */
function buildCodeFromFiles(files: Record<string, string>): CodeModel {
  const project = new Project({ useInMemoryFileSystem: true });
  const list: CodeFile[] = Object.entries(files)
    .filter(([path]) => /\.[cm]?[jt]sx?$/.test(path))
    .map(([path, content]) => {
      const sourceFile = project.createSourceFile(`/${path}`, content);
      return {
        path,
        text: { path, content } as CodeFile['text'],
        sourceFile,
        tree: sourceFile.compilerNode,
        runtime: 'server',
        reach: 'unknown',
      };
    });
  const byPath = new Map(list.map((f) => [f.path, f]));
  return {
    files: list,
    get: (p: string) => byPath.get(p),
    project,
    ts,
    checkUnparsed: () => {},
    releaseTrees: () => 0,
    checkPending: () => {},
    reachMap: () => new Map(),
    remoteRepositories: () => new Set<string>(),
  };
}

/** The callee of the last expression statement of `file`. */
function lastCallee(code: CodeModel, path: string): ts.Expression {
  const typescript = code.ts;
  const source = code.get(path)!.tree;
  const statement = [...source.statements].reverse().find(typescript.isExpressionStatement)!;
  const call = statement.expression as ts.CallExpression;
  return call.expression;
}

describe('ModuleExports (the cross-file step of the code-analysis layer)', () => {
  const files = {
    'src/http.ts': `import axios from 'axios';\nexport const client = axios;\nexport { request as send } from 'undici';`,
    'src/barrel.ts': `export * from './http';\nexport * as ns from './http';`,
    'src/cjs.js': `module.exports = require('./legacy');`,
    'src/legacy.js': `exports.got = require('got');`,
    'packages/lib/package.json': `{ "name": "@acme/lib", "exports": { ".": "./dist/index.js" } }`,
    'packages/lib/src/index.ts': `export { default as ky } from 'ky';`,
    'src/app.ts': [
      `import { client, send } from './barrel';`,
      `import { ns } from './barrel';`,
      `const legacy = require('./cjs');`,
      `import { ky } from '@acme/lib';`,
      `client.get('/a');`,
      `send('/b');`,
      `ns.client.post('/c');`,
      `legacy.got('/d');`,
      `ky('/e');`,
    ].join('\n'),
  };

  it('follows re-exports, export * as, module.exports = require(…) and workspace packages to the package', () => {
    const code = buildCodeFromFiles(files);
    const workspaces = new Map([
      ['@acme/lib', { name: '@acme/lib', dir: 'packages/lib', entries: new Map([['.', ['./dist/index.js']]]) }],
    ]);
    const exports = new ModuleExports(code, [], workspaces);
    const app = code.get('src/app.ts')!;
    const source = app.sourceFile.compilerNode;
    const resolve = (name: string) => {
      const declaration = exports.declarationsIn(source).get(name)!;
      return exports.resolveImport(app, importBindingOf(code.ts, declaration)!);
    };
    expect(resolve('client')).toMatchObject({ kind: 'declaration', file: { path: 'src/http.ts' } });
    expect(resolve('send')).toEqual({ kind: 'external', module: 'undici', path: ['request'] });
    expect(resolve('ns')).toMatchObject({ kind: 'module', file: { path: 'src/http.ts' } });
    // require() of a module with no default export is its exports object; `module.exports = require()` hands
    // the other module's exports on.
    expect(resolve('legacy')).toMatchObject({ kind: 'module', file: { path: 'src/cjs.js' } });
    expect(exports.exportOf(code.get('src/cjs.js')!, 'got')).toMatchObject({
      kind: 'expression',
      file: { path: 'src/legacy.js' },
    });
    expect(resolve('ky')).toEqual({ kind: 'external', module: 'ky', path: ['default'] });
    expect(exports.resolveModule('src/app.ts', '@acme/lib')).toBe('packages/lib/src/index.ts');
    expect(exports.resolveModule('src/app.ts', 'express')).toBeUndefined();
  });

  it('gives a rule (qualifiedName over the file) and the routes input (externalRef) the same answer', () => {
    const code = buildCodeFromFiles({
      'src/app.ts': [
        `import express, { Router as R } from 'express';`,
        `import * as https from 'node:https';`,
        `const got = require('got');`,
        `function inner(express) { express.Router(); }`,
        `express.Router();`,
        `R();`,
        `https['request']();`,
        `got.default.extend();`,
      ].join('\n'),
    });
    const typescript = code.ts;
    const source = code.get('src/app.ts')!.sourceFile.compilerNode;
    const bindings = importBindings(typescript, source);
    const evaluator = new Evaluator(new Modules(code, []));
    const callees = source.statements
      .filter(typescript.isExpressionStatement)
      .map((s) => (s.expression as ts.CallExpression).expression);
    const forRule = callees.map((c) => qualifiedName(typescript, c, bindings));
    const forRoutes = callees.map((c) => {
      const ref = evaluator.externalRef(c);
      return ref && [ref.module, ...ref.path].join('.');
    });
    expect(forRule).toEqual(['express.Router', 'express.Router', 'node:https.request', 'got.extend']);
    expect(forRoutes).toEqual(forRule);
    // Scope-aware: the parameter `express` inside `inner` is not the import (a rule asks isShadowed).
    const innerCall = (
      (source.statements.find(typescript.isFunctionDeclaration)!.body!.statements[0] as ts.ExpressionStatement)
        .expression as ts.CallExpression
    ).expression;
    expect(evaluator.externalRef(innerCall)).toBeUndefined();
    expect(qualifiedRef(typescript, innerCall, () => undefined)).toBeUndefined();
  });

  it('resolves a callee of another file through the barrel to the package export', () => {
    const code = buildCodeFromFiles(files);
    const evaluator = new Evaluator(new Modules(code, []));
    const ref = evaluator.externalRef(lastCallee(code, 'src/app.ts'));
    // `ky` through a workspace package needs the workspace map: without it the specifier is the package.
    expect(ref).toEqual({ module: '@acme/lib', path: ['ky'] });
  });
});

describe('ModuleExports.resolveModule', () => {
  it('resolves a specifier by the folder of the importing file: its siblings share it, other folders do not', () => {
    const code = buildCodeFromFiles({
      'apps/a/src/x.ts': '',
      'apps/a/src/y.ts': '',
      'apps/a/src/lib/util.ts': '',
      'apps/b/src/x.ts': '',
      'apps/b/src/lib/util.ts': '',
    });
    const aliases = [
      { dir: 'apps/a', paths: [{ prefix: '@/', suffix: '', wildcard: true, targets: ['apps/a/src/*'] }] },
      { dir: 'apps/b', paths: [{ prefix: '@/', suffix: '', wildcard: true, targets: ['apps/b/src/*'] }] },
    ];
    const exports = new ModuleExports(code, aliases);
    expect(exports.resolveModule('apps/a/src/x.ts', '@/lib/util')).toBe('apps/a/src/lib/util.ts');
    expect(exports.resolveModule('apps/a/src/y.ts', '@/lib/util')).toBe('apps/a/src/lib/util.ts');
    expect(exports.resolveModule('apps/b/src/x.ts', '@/lib/util')).toBe('apps/b/src/lib/util.ts');
    expect(exports.resolveModule('apps/a/src/y.ts', './lib/util')).toBe('apps/a/src/lib/util.ts');
    expect(exports.resolveModule('apps/a/src/lib/util.ts', './lib/util')).toBeUndefined();
    expect(exports.resolveModule('apps/b/src/x.ts', 'zod')).toBeUndefined();
  });
});
