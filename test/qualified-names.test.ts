import { describe, expect, it } from 'vitest';
import { ts } from 'ts-morph';
import { importBindings, isShadowed, qualifiedName, unwrapExpression, type ImportBinding } from '../src/rule-api.js';

const parse = (code: string, name = 'x.ts') => ts.createSourceFile(name, code, ts.ScriptTarget.Latest, true);

function bindingsOf(code: string): Record<string, ImportBinding> {
  return Object.fromEntries(importBindings(ts, parse(code)));
}

/** The first expression statement's expression (the callee when it is a call or `new`). */
function firstExpression(source: ts.SourceFile): ts.Expression {
  const statement = source.statements.find(ts.isExpressionStatement)!;
  const expression = statement.expression;
  return ts.isCallExpression(expression) || ts.isNewExpression(expression) ? expression.expression : expression;
}

function qualified(code: string): string | undefined {
  const source = parse(code);
  return qualifiedName(ts, firstExpression(source), importBindings(ts, source));
}

describe('importBindings', () => {
  it('binds ES imports: default, named, aliased, namespace; skips type-only ones', () => {
    expect(
      bindingsOf(`
        import axios from 'axios';
        import { request, fetch as undiciFetch, default as got2, type Dispatcher } from 'undici';
        import * as https from 'node:https';
        import type { Foo } from 'foo';
        import 'side-effect';
      `),
    ).toEqual({
      axios: { module: 'axios', path: ['default'] },
      request: { module: 'undici', path: ['request'] },
      undiciFetch: { module: 'undici', path: ['fetch'] },
      got2: { module: 'undici', path: ['default'] },
      https: { module: 'node:https', path: [] },
    });
  });

  it('binds import-equals and CommonJS require forms', () => {
    expect(
      bindingsOf(`
        import legacy = require('legacy');
        const axios = require('axios');
        const ky = require('ky').default;
        const undiciRequest = require('undici').request;
        const { a: b, c } = require('m');
        const { x } = require('n').default;
        const { y } = require('o').sub;
        const notRequired = make('p');
        const dynamic = require(name);
      `),
    ).toEqual({
      legacy: { module: 'legacy', path: ['default'] },
      axios: { module: 'axios', path: ['default'], interop: true },
      ky: { module: 'ky', path: ['default'], interop: true },
      undiciRequest: { module: 'undici', path: ['request'] },
      b: { module: 'm', path: ['a'] },
      c: { module: 'm', path: ['c'] },
      x: { module: 'n', path: ['x'] },
      y: { module: 'o', path: ['sub', 'y'] },
    });
  });

  it('binds dynamic imports and nested destructuring, not rest elements', () => {
    expect(
      bindingsOf(`
        const ns = await import('ns');
        const def = (await import('def')).default;
        const { a: { b: deep } } = require('m');
        const { ...rest } = require('r');
      `),
    ).toEqual({
      ns: { module: 'ns', path: [] },
      def: { module: 'def', path: ['default'], interop: true },
      deep: { module: 'm', path: ['a', 'b'] },
    });
  });

  it('reads only the top level: a require inside a function binds nothing', () => {
    expect(bindingsOf(`function f() { const axios = require('axios'); }`)).toEqual({});
  });
});

describe('qualifiedName', () => {
  it('names a default import by its module', () => {
    expect(qualified(`import axios from 'axios';\naxios.create({});`)).toBe('axios.create');
    expect(qualified(`const axios = require('axios');\naxios.create({});`)).toBe('axios.create');
    expect(qualified(`import got from 'got';\ngot('x');`)).toBe('got');
    expect(qualified(`import * as got from 'got';\ngot.default.extend({});`)).toBe('got.extend');
    expect(qualified(`require('express').Router();`)).toBe('express.Router');
  });

  it('names a named export under its module, through an alias', () => {
    expect(qualified(`import { PrismaClient } from '@prisma/client';\nnew PrismaClient();`)).toBe(
      '@prisma/client.PrismaClient',
    );
    expect(qualified(`import { request as r } from 'https';\nr('x');`)).toBe('https.request');
    expect(qualified(`const { request } = require('node:https');\nrequest('x');`)).toBe('node:https.request');
  });

  it('follows members of a namespace import, unwrapping on the way', () => {
    expect(qualified(`import * as https from 'node:https';\nhttps.request('x');`)).toBe('node:https.request');
    expect(qualified(`import * as https from 'https';\n(https as any)['get']!('x');`)).toBe('https.get');
  });

  it('is undefined for names not from a module', () => {
    expect(qualified(`const axios = make();\naxios.create({});`)).toBeUndefined();
    expect(qualified(`fetch('x');`)).toBeUndefined();
    expect(qualified(`import axios from 'axios';\nclients[0].get('x');`)).toBeUndefined();
    expect(qualified(`import axios from 'axios';\naxios.create().get('x');`)).toBeUndefined();
  });
});

describe('isShadowed', () => {
  it('sees parameters and declarations of enclosing functions and blocks, not the top level', () => {
    const source = parse(`
      import axios from 'axios';
      axios.get('top');
      function f(axios) { axios.get('param'); }
      function g() { const axios = other(); { axios.get('block'); } }
      function h() { axios.get('import'); }
    `);
    const calls: Record<string, boolean> = {};
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const arg = node.arguments[0];
        if (arg && ts.isStringLiteral(arg)) calls[arg.text] = isShadowed(ts, node, 'axios');
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    expect(calls).toEqual({ top: false, param: true, block: true, import: false });
  });
});

describe('unwrapExpression', () => {
  const inner = (code: string, options?: { await?: boolean }) => {
    const source = parse(`async function f() { ${code} }`);
    const body = (source.statements[0] as ts.FunctionDeclaration).body!;
    const statement = body.statements[0] as ts.ExpressionStatement;
    return unwrapExpression(ts, statement.expression, options).getText(source);
  };

  it('strips parentheses, as, satisfies, non-null and type assertions', () => {
    expect(inner(`((<any>(value as Foo)!) satisfies Bar);`)).toBe('value');
  });

  it('keeps await unless asked', () => {
    expect(inner(`(await (value as Foo));`)).toBe('await (value as Foo)');
    expect(inner(`(await (value as Foo));`, { await: true })).toBe('value');
  });

  it('gives any other node back as it is', () => {
    expect(inner(`call(value as Foo);`)).toBe('call(value as Foo)');
  });
});
