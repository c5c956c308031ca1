/** The `code` input: TS/JS parsed once, offsets shared with the text input, syntax errors as findings. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../src/engine/run.js';
import { defineRule, nodeOrigin } from '../src/rule-api.js';
import type { ts as TypeScript } from 'ts-morph';
import { buildCodeModel } from '../src/inputs/code/index.js';
import { loadTypeScript } from '../src/inputs/code/ts-morph.js';
import type { InputEnv } from '../src/inputs/env.js';
import { useTempTrees } from './harness/tree.js';

type TsNode = TypeScript.Node;

/** The environment the code model reads, for files given by path and content. */
function codeEnv(files: Record<string, string>): InputEnv {
  const texts = new Map(
    Object.entries(files).map(([path, content]) => [path, { path, absPath: `/${path}`, kind: 'code', content }]),
  );
  return {
    cwd: '/',
    fileSet: { roots: ['/'], files: [...texts.values()].map(({ path, absPath }) => ({ path, absPath, kind: 'code' })) },
    text: { get: (path: string) => texts.get(path) },
    report: () => {},
    log: () => {},
  } as unknown as InputEnv;
}

const tree = useTempTrees('code');

/** Reports every call to a function named `danger`. */
const dangerRule = defineRule({
  meta: {
    id: 'test/danger',
    title: 'No danger() calls',
    severity: 'warning',
    requires: ['code'],
    tags: ['test'],
    why: 'Test rule.',
    fix: 'None.',
    examples: { bad: [], good: [] },
    messages: { call: 'danger() called' },
  },
  check(ctx) {
    for (const file of ctx.code.files) {
      file.sourceFile.forEachDescendant((node) => {
        if (node.getKindName() === 'CallExpression' && node.getText().startsWith('danger(')) {
          ctx.report({ at: nodeOrigin(file, node), messageId: 'call' });
        }
      });
    }
  },
});

async function run(dir: string) {
  const { result } = await lint({ cwd: dir, paths: ['.'], loaded: { config: {}, baseDir: dir }, rules: [dangerRule] });
  return result.findings.map(
    (f) => `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.ruleId} ${f.source} ${f.message}`,
  );
}

describe('code input', () => {
  it('parses .ts .tsx .js .mjs .cjs and places nodes exactly, through a BOM and CRLF', async () => {
    const dir = tree({
      'a.ts': '\uFEFFimport x from "y";\r\n\tconst v: number = danger(1);\r\n',
      'b.tsx': 'export const C = () => <div onClick={() => danger(2)} />;\n',
      'c.js': 'module.exports = danger(3);\n',
      'd.mjs': 'export default danger(4);\n',
      'e.cjs': 'danger(5);\n',
    });
    expect(await run(dir)).toEqual([
      'a.ts:2:20-2:29 test/danger typescript danger() called',
      'b.tsx:1:44-1:53 test/danger typescript danger() called',
      'c.js:1:18-1:27 test/danger typescript danger() called',
      'd.mjs:1:16-1:25 test/danger typescript danger() called',
      'e.cjs:1:1-1:10 test/danger typescript danger() called',
    ]);
  });

  it('reports a syntax error as core/parse-error at its position and still checks the recovered tree', async () => {
    const dir = tree({ 'broken.ts': 'const ok = danger(1);\nfunction (\n' });
    expect(await run(dir)).toEqual([
      'broken.ts:1:12-1:21 test/danger typescript danger() called',
      'broken.ts:2:10-2:11 core/parse-error typescript TypeScript syntax error: Identifier expected. (and 1 more)',
    ]);
  });

  it('reports no TypeScript syntax error in a Flow file (`@flow` in its opening comments), and does in one without the pragma', async () => {
    const flow = 'if (Object.keys((where.sorts: any)).length > 0) danger(1);\n';
    const dir = tree({
      'src/flow.js': `// @flow\nimport { x } from './x';\n${flow}`,
      'src/flow-block.js': `/**\n * Storage adapter.\n * @flow\n */\n${flow}`,
      'src/plain.js': `// a comment that mentions flow control\n${flow}`,
    });
    const found = (await run(dir)).filter((line) => line.includes('core/parse-error')).map((l) => l.split(':')[0]);
    expect(found).toEqual(['src/plain.js']);
  });

  it('reports no Flow syntax error in flow-typed library definitions, pragma or not', async () => {
    const dir = tree({
      'flow-typed/npm/mailer_vx.x.x.js': "declare module 'mailer' {\n  declare module.exports: any;\n}\n",
      'src/declare.js': "declare module 'mailer' {\n  declare module.exports: any;\n}\n",
    });
    const found = (await run(dir)).filter((line) => line.includes('core/parse-error')).map((l) => l.split(':')[0]);
    expect(found).toEqual(['src/declare.js']);
  });

  it('reports no syntax error in JavaScript of a package built with a Babel plugin for syntax TypeScript does not read, and does in its TypeScript and in other packages', async () => {
    const bind = 'export const onClick = ::this.save;\n';
    const dir = tree({
      'client/package.json': JSON.stringify({ devDependencies: { '@babel/plugin-proposal-function-bind': '^7.12.0' } }),
      'client/src/Account.js': bind,
      'client/src/typed.ts': bind,
      'server/package.json': JSON.stringify({ dependencies: { express: '^4.0.0' } }),
      'server/src/app.js': bind,
      'legacy/package.json': JSON.stringify({ devDependencies: { 'babel-preset-stage-0': '^6.0.0' } }),
      'legacy/lib/a.js': bind,
      // A workspace of a monorepo whose root builds with the plugin.
      'legacy/packages/ui/package.json': JSON.stringify({ dependencies: { react: '^18.0.0' } }),
      'legacy/packages/ui/src/b.js': bind,
    });
    const found = (await run(dir)).filter((line) => line.includes('core/parse-error')).map((l) => l.split(':')[0]);
    expect(found.sort()).toEqual(['client/src/typed.ts', 'server/src/app.js']);
  });

  it('reports no syntax error in an EJS template named .js (the error on a line with a <% tag), and does on other lines', async () => {
    const dir = tree({
      'src/templates/bootstrap.js': 'window.clientVars = {\n  version: <%- JSON.stringify(settings.version) %>,\n};\n',
      'src/templates/broken.js': '// renders <%= title %>\nconst ok = {\n  a: ,\n};\n',
      'src/plain.js': 'const x = { a: , };\n',
    });
    const found = (await run(dir)).filter((line) => line.includes('core/parse-error')).map((l) => l.split(':')[0]);
    expect(found.sort()).toEqual(['src/plain.js', 'src/templates/broken.js']);
  });
});

describe('trees a rule declares it reads (Rule.codeTrees)', () => {
  /** Reads the tree of `read-*.ts` files only, and declares every `wanted-*.ts` and `read-*.ts` (a superset). */
  const readingRule = defineRule({
    meta: { ...dangerRule.meta, id: 'test/reads', requires: ['code', 'routes'] },
    codeTrees: (file) => /\/(?:wanted|read)-[^/]*$/.test(`/${file.path}`),
    check(ctx) {
      for (const file of ctx.code.files) {
        if (!/^read-/.test(file.path)) continue;
        file.sourceFile.forEachDescendant((node) => {
          if (node.getKindName() === 'CallExpression' && node.getText().startsWith('danger(')) {
            ctx.report({ at: nodeOrigin(file, node), messageId: 'call' });
          }
        });
      }
    },
  });

  it('reports each syntax error once, whether the rule parsed the file, left it unread, or did not want it', async () => {
    const dir = tree({
      'read-a.ts': 'danger(1);\nfunction (\n',
      'wanted-b.ts': 'function (\n',
      'other-c.ts': 'function (\n',
      'server.ts':
        "import express from 'express';\nconst app = express();\napp.get('/x', (req, res) => res.send('x'));\napp.listen(3000);\n",
    });
    const { result } = await lint({
      cwd: dir,
      paths: ['.'],
      loaded: { config: {}, baseDir: dir },
      rules: [readingRule],
    });
    expect(result.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual([
      'other-c.ts:1 core/parse-error',
      'read-a.ts:1 test/reads',
      'read-a.ts:2 core/parse-error',
      'wanted-b.ts:1 core/parse-error',
    ]);
  });
});

describe('code input on broken imports', () => {
  it('keeps extracting routes when error recovery leaves an import without a string specifier', async () => {
    // Found by scripts/fuzz.mjs: the recovered import's specifier is not a string literal.
    const { cpSync, readFileSync } = await import('node:fs');
    const { rules } = await import('../rules/index.js');
    const dir = tree({});
    cpSync(
      new URL('../fixtures/api/authenticated-operations/bad/code-nestjs-middleware-consumer', import.meta.url),
      dir,
      { recursive: true },
    );
    const middleware = join(dir, 'src/auth.middleware.ts');
    writeFileSync(
      middleware,
      readFileSync(middleware, 'utf8').replace(
        'UnauthorizedException }',
        'UnauthorizedE{"$ref": "x"}{"$ref": "x"}xception }',
      ),
    );
    const { result } = await lint({ cwd: dir, paths: ['.'], loaded: { config: {}, baseDir: dir }, rules });
    expect(result.findings.filter((f) => f.ruleId === 'core/internal-error').map((f) => f.message)).toEqual([]);
    expect(result.findings.filter((f) => f.ruleId === 'core/parse-error').map((f) => f.file)).toEqual([
      'src/auth.middleware.ts',
    ]);
  });
});

describe('code input laziness', () => {
  it('parses only the files a rule reads: a broken file nobody reads yields no parse error', async () => {
    const onlyA = defineRule({
      ...dangerRule,
      check(ctx) {
        const a = ctx.code.get('a.ts')!;
        a.sourceFile.forEachDescendant((node) => {
          if (node.getKindName() === 'CallExpression') ctx.report({ at: nodeOrigin(a, node), messageId: 'call' });
        });
      },
    });
    const dir = tree({ 'a.ts': 'danger(1);\n', 'b.ts': 'function (\n' });
    const { result } = await lint({ cwd: dir, paths: ['.'], loaded: { config: {}, baseDir: dir }, rules: [onlyA] });
    expect(result.findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual(['a.ts test/danger']);
    const all = await run(dir);
    expect(all.filter((line) => line.includes('core/parse-error')).map((line) => line.split(':')[0])).toEqual(['b.ts']);
  });

  it('loads no TypeScript parser for a tree without TS/JS files, even with every rule on', async () => {
    const { spawnSync } = await import('node:child_process');
    const bin = new URL('../bin/archlint.js', import.meta.url).pathname;
    // NODE_DEBUG=module logs every CommonJS module Node loads; ts-morph (and TypeScript inside it) is one.
    const loads = (dir: string) =>
      spawnSync(process.execPath, [bin, '--fail-on', 'never', '.'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NODE_DEBUG: 'module' },
      })
        .stderr.split('\n')
        // The package itself (a bundle chunk may be named after the module that loads it lazily).
        .filter((line) => /node_modules\/(?:ts-morph|@ts-morph\/common|typescript)\//.test(line)).length;
    expect(
      loads(
        tree({
          'db/001.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n',
          'openapi.yaml': 'openapi: 3.0.3\ninfo: { title: T, version: "1" }\npaths: {}\n',
        }),
      ),
    ).toBe(0);
    expect(
      loads(
        tree({
          'app.ts': "import express from 'express';\nconst app = express();\napp.get('/v1/x', (q, r) => r.json({}));\n",
        }),
      ),
    ).toBeGreaterThan(0);
  });

  it('loads no YAML parser for a tree without YAML or JSON files (a folder of migrations)', async () => {
    const { spawnSync } = await import('node:child_process');
    const bin = new URL('../bin/archlint.js', import.meta.url).pathname;
    const loads = (dir: string) =>
      spawnSync(process.execPath, [bin, '--fail-on', 'never', '.'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NODE_DEBUG: 'module' },
      })
        .stderr.split('\n')
        // `yaml` or `js-yaml` (descriptions' values come from js-yaml; `yaml` builds node trees only when needed).
        .filter((line) => /node_modules\/(?:js-)?yaml\//.test(line)).length;
    expect(loads(tree({ 'db/001.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n' }))).toBe(0);
    expect(
      loads(
        tree({
          'db/001.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n',
          'openapi.yaml': 'openapi: 3.0.3\ninfo: { title: T, version: "1" }\npaths: {}\n',
        }),
      ),
    ).toBeGreaterThan(0);
  });
});

describe('trees kept for the rules', () => {
  it('have the parents TypeScript would set, every node reached (decorators, JSX, types, nested functions)', () => {
    const content = [
      "import { Controller, Get } from '@nestjs/common';",
      '@Controller("x") export class C<T extends { a: number }> {',
      '  @Get() list(@Query() q?: string): Array<T> { return [1, 2].map((n) => ({ n, s: `${q}` }) as never); }',
      '}',
      'export const View = ({ items }: { items: string[] }) => <ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>;',
      'label: for (const [k, v] of Object.entries({ a: 1 })) { if (k) continue label; else throw new Error(`${v}`); }',
    ].join('\n');
    const ts = loadTypeScript();
    const expected = ts.createSourceFile('/a.tsx', content, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    const [file] = buildCodeModel(codeEnv({ 'a.tsx': content })).files;
    const pairs: Array<[TsNode, TsNode]> = [];
    const walk = (a: TsNode, b: TsNode): void => {
      pairs.push([a, b]);
      const as: TsNode[] = [];
      const bs: TsNode[] = [];
      ts.forEachChild(a, (child) => void as.push(child));
      ts.forEachChild(b, (child) => void bs.push(child));
      expect(bs.map((n) => n.kind)).toEqual(as.map((n) => n.kind));
      for (const [i, child] of as.entries()) walk(child, bs[i]!);
    };
    walk(expected, file!.tree);
    const counterpart = new Map(pairs);
    expect(pairs.length).toBeGreaterThan(100);
    for (const [a, b] of pairs) expect(b.parent).toBe(a.parent && counterpart.get(a.parent));
  });
});
