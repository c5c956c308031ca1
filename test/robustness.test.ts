/**
 * Hostile and broken input, through the whole engine with every rule: each case never throws, never
 * yields core/internal-error, and reports exactly what a user should see, at the exact place.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { lint } from '../src/engine/run.js';
import type { Finding } from '../src/model/finding.js';

const scratch = mkdtempSync(join(tmpdir(), 'archlint-robust-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

function tree(files: Record<string, string | Buffer>): string {
  const dir = join(scratch, `case-${counter++}`);
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

async function run(dir: string, options: { only?: string[]; maxFileSize?: number } = {}) {
  const started = performance.now();
  const { result, fileSet } = await lint({
    cwd: dir,
    paths: ['.'],
    loaded: { config: {}, baseDir: dir },
    rules,
    ...options,
  });
  const ms = performance.now() - started;
  expect(result.findings.filter((f) => f.ruleId === 'core/internal-error').map((f) => f.message)).toEqual([]);
  return { findings: result.findings, skipped: fileSet.skipped, files: fileSet.files.map((f) => f.path), ms };
}

/** `file:line:column ruleId message` of the findings of some rules. */
const show = (findings: Finding[], ...ruleIds: string[]) =>
  findings
    .filter((f) => ruleIds.includes(f.ruleId))
    .map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.message}`);

const HEAD = 'openapi: 3.0.3\ninfo: {title: Orders, version: "1"}\n';
const VALID_PATHS = 'paths:\n  /v1/health:\n    get:\n      responses: {"200": {description: ok}}\n';

describe('invalid YAML and JSON', () => {
  it('reports the parser position and goes on with the other files', async () => {
    const dir = tree({
      'api/openapi.yaml': 'openapi: 3.0.3\ninfo:\n  title: Orders\n version: 1.0.0\npaths: {}\n',
      'api/other.json': '{\n  "openapi": "3.0.3",\n  "info": {"title": "x",, "version": "1"},\n  "paths": {}\n}\n',
      'db/001.sql':
        'CREATE TABLE a (id int primary key);\nCREATE TABLE b (id int primary key, a_id int references a(id));\n',
    });
    const { findings } = await run(dir);
    expect(show(findings, 'core/parse-error', 'db/indexed-foreign-keys')).toEqual([
      'api/openapi.yaml:4:1 core/parse-error api/openapi.yaml is not valid YAML: All mapping items must start at the same column at line 4, column 1:',
      'api/other.json:3:25 core/parse-error api/other.json is not valid JSON: Unexpected , in flow map at line 3, column 25:',
      'db/001.sql:2:46 db/indexed-foreign-keys Foreign key b(a_id) → a(id) has no index whose leading columns are (a_id)',
    ]);
  });
});

describe('resource exhaustion', () => {
  it('refuses a YAML alias bomb (billion laughs) without expanding it', async () => {
    let bomb = `${HEAD}${VALID_PATHS}x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n`;
    let previous = 'a';
    for (const name of 'bcdefghi') {
      bomb += `x-${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]\n`;
      previous = name;
    }
    const { findings, ms } = await run(tree({ 'openapi.yaml': bomb }));
    expect(show(findings, 'core/parse-error')).toEqual([
      'openapi.yaml:1:1 core/parse-error openapi.yaml is not valid YAML: Excessive alias count indicates a resource exhaustion attack',
    ]);
    expect(ms).toBeLessThan(10_000);
  });

  it('refuses 100,000 nested arrays and objects in JSON and YAML at the level that goes too deep', async () => {
    const n = 100_000;
    const prefix = '{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {}, "x-deep": ';
    const dir = tree({
      'a.json': `${prefix}${'['.repeat(n)}${']'.repeat(n)}}`,
      'b.json': `${prefix}${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`,
      'c.yaml': `${HEAD}paths: {}\nx-deep: ${'['.repeat(n)}${']'.repeat(n)}\n`,
      'd.yaml': `${HEAD}paths: {}\nx-deep:\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 1)}k:\n`).join('')}`,
      // Not descriptions: never parsed, never reported.
      'data.json': `${'['.repeat(n)}${']'.repeat(n)}`,
    });
    const { findings } = await run(dir);
    const message = (file: string) => `${file} is not read: it nests more than 256 levels deep here (archlint's limit)`;
    expect(show(findings, 'core/parse-error')).toEqual([
      // The root object is level 1, "x-deep" opens level 2: the 256th "[" opens level 257.
      `a.json:1:${prefix.length + 1 + 255} core/parse-error ${message('a.json')}`,
      `b.json:1:${prefix.length + 1 + 255 * 5} core/parse-error ${message('b.json')}`,
      // The yaml package gives up on its own (a caught stack overflow) and says where.
      expect.stringMatching(
        /^c\.yaml:4:\d+ core\/parse-error c\.yaml is not read: it nests more than 256 levels deep here \(archlint's limit\)$/,
      ),
      // The mapping at depth 256 (line 4 + 256, indented 256) holds level 257.
      `d.yaml:260:257 core/parse-error ${message('d.yaml')}`,
    ]);
  });

  it('reports code nested too deeply for the TypeScript parser or its tree walks, and checks the other files', async () => {
    const n = 100_000;
    const dir = tree({
      'src/parens.ts': `export const x = ${'('.repeat(n)}1${')'.repeat(n)};\n`,
      'src/objects.js': `module.exports = ${'{a:'.repeat(n)}1${'}'.repeat(n)};\n`,
      'src/else-if.ts': `export function f(x: number) {\n${Array.from({ length: 20_000 }, (_, i) => `if (x === ${i}) return ${i};\nelse `).join('')}return 0;\n}\n`,
      'src/concat.ts': `export const s = ${Array(n).fill('"ab"').join(' + ')};\n`,
      'src/config.ts': 'export const config = {\n  jwtSecret: "Xk9mQ2vL7pW4zRt8Yb3N",\n};\n',
    });
    const { findings } = await run(dir);
    const parser = 'Nested too deeply for the TypeScript parser: the file is not parsed, so no rule checks its code';
    expect(show(findings, 'core/parse-error', 'security/no-hardcoded-secrets')).toEqual([
      expect.stringMatching(
        /^src\/concat\.ts:1:\d+ core\/parse-error Code nested more than 700 levels deep here: the file is not parsed, so no rule checks its code$/,
      ),
      `src/config.ts:2:15 security/no-hardcoded-secrets jwtSecret is assigned a literal secret Xk9m… (20 characters)`,
      `src/else-if.ts:1:1 core/parse-error ${parser}`,
      `src/objects.js:1:1 core/parse-error ${parser}`,
      `src/parens.ts:1:1 core/parse-error ${parser}`,
    ]);
  });

  it('reports a SQL statement nested too deeply as the parser says, in both parsers', async () => {
    // DDL: a data statement that only node-sql-parser rejects is not reported (reader.ts), so the view holds the depth.
    const deep = `CREATE VIEW v AS SELECT ${'('.repeat(100_000)}1${')'.repeat(100_000)};\n`;
    const dir = tree({
      'pg/migrations/001.sql': `CREATE TABLE a (id int primary key);\n${deep}`,
      'my/migrations/001.sql': `CREATE TABLE \`a\` (id int primary key) ENGINE=InnoDB;\n${deep}`,
    });
    const { findings } = await run(dir);
    expect(show(findings, 'core/parse-error')).toEqual([
      'my/migrations/001.sql:2:1 core/parse-error MySQL syntax error: the statement nests too deeply for the parser',
      'pg/migrations/001.sql:2:10014 core/parse-error PostgreSQL syntax error: memory exhausted at or near "("',
    ]);
  });

  it('masks template markers in linear time, even when thousands are never closed', async () => {
    const garbage = '{{ ${'.repeat(20_000);
    const sql = `CREATE TABLE a (id int primary key);\n${garbage};\nCREATE TABLE b (id int primary key, a_id int references a(id));\n`;
    const { findings, ms } = await run(tree({ 'db/001.sql': sql }));
    expect(show(findings, 'core/parse-error', 'db/indexed-foreign-keys')).toEqual([
      'db/001.sql:2:1 core/parse-error PostgreSQL syntax error: syntax error at or near "{"',
      'db/001.sql:3:46 db/indexed-foreign-keys Foreign key b(a_id) → a(id) has no index whose leading columns are (a_id)',
    ]);
    expect(ms).toBeLessThan(5_000);
  });

  it('checks 100,000-line files in bounded time, with findings at the last line', async () => {
    const lines = 100_000;
    const sql = `${'-- filler\n'.repeat(lines - 3)}CREATE TABLE a (id int primary key);\nCREATE TABLE b (id int primary key, a_id int references a(id));\n`;
    const ts = `${'export const v = 1; // filler\n'.repeat(lines - 1)}export const apiKey = "Xk9mQ2vL7pW4zRt8Yb3N";\n`;
    const yaml = `${HEAD}${VALID_PATHS}x-filler:\n${'  - filler\n'.repeat(lines - 8)}`;
    const { findings, ms } = await run(tree({ 'db/001.sql': sql, 'src/big.ts': ts, 'openapi.yaml': yaml }));
    expect(show(findings, 'core/parse-error', 'db/indexed-foreign-keys', 'security/no-hardcoded-secrets')).toEqual([
      `db/001.sql:${lines - 1}:46 db/indexed-foreign-keys Foreign key b(a_id) → a(id) has no index whose leading columns are (a_id)`,
      `src/big.ts:${lines}:24 security/no-hardcoded-secrets apiKey is assigned a literal secret Xk9m… (20 characters)`,
    ]);
    expect(ms).toBeLessThan(15_000);
  });

  it('skips 50 MB files, with a note when the file is a migration or a description', async () => {
    const fifty = 50 * 1024 * 1024;
    const dir = tree({
      'db/001.sql': 'CREATE TABLE a (id int primary key);\n',
      'db/002_dump.sql': `CREATE TABLE b (id int primary key);\n${'-'.repeat(fifty)}\n`,
      'api/big.yaml': `${HEAD}${VALID_PATHS}#${'x'.repeat(fifty)}\n`,
      'data/big.json': `[${'1,'.repeat(fifty / 2)}1]`,
      'src/bundle.js': `//${'x'.repeat(fifty)}\n`,
    });
    const { findings, skipped, ms } = await run(dir);
    expect(show(findings, 'core/skipped-file', 'core/parse-error')).toEqual([
      'api/big.yaml:1:1 core/skipped-file This OpenAPI description is not read: 50.0 MB > 10.0 MB (maxFileSize), so its service is not checked',
      'db/002_dump.sql:1:1 core/skipped-file This migration is not read: 50.0 MB > 10.0 MB (maxFileSize), so the schema is folded without it',
    ]);
    expect(findings.find((f) => f.ruleId === 'core/skipped-file')?.severity).toBe('note');
    expect(skipped).toEqual([
      { path: 'api/big.yaml', reason: 'too-large', detail: '50.0 MB > 10.0 MB' },
      { path: 'data/big.json', reason: 'too-large', detail: '50.0 MB > 10.0 MB' },
      { path: 'db/002_dump.sql', reason: 'too-large', detail: '50.0 MB > 10.0 MB' },
      { path: 'src/bundle.js', reason: 'too-large', detail: '50.0 MB > 10.0 MB' },
    ]);
    expect(ms).toBeLessThan(5_000);
  });
});

describe('$ref', () => {
  it('reports cycles of references once each, and still reads the rest', async () => {
    const dir = tree({
      'openapi.yaml':
        `${HEAD}paths:\n  /v1/a:\n    $ref: "#/paths/~1v1~1b"\n  /v1/b:\n    $ref: "#/paths/~1v1~1a"\n  /v1/c:\n    $ref: "other.yaml"\n` +
        '  /v1/tree:\n    get:\n      parameters: [{name: limit, in: query, schema: {type: integer}}]\n      responses:\n        "200":\n          description: ok\n' +
        '          content: {application/json: {schema: {$ref: "#/components/schemas/Node"}}}\n' +
        'components:\n  schemas:\n    Node:\n      type: object\n      properties:\n        children: {type: array, items: {$ref: "#/components/schemas/Node"}}\n' +
        '    Self: {$ref: "#/components/schemas/Self"}\n',
      'other.yaml': '$ref: "openapi.yaml#/paths/~1v1~1c"\n',
    });
    const { findings } = await run(dir);
    expect(show(findings, 'core/parse-error')).toEqual([
      'openapi.yaml:5:11 core/parse-error $ref "#/paths/~1v1~1b" is part of a cycle of references that never reaches a value',
      'openapi.yaml:7:11 core/parse-error $ref "#/paths/~1v1~1a" is part of a cycle of references that never reaches a value',
      'openapi.yaml:9:11 core/parse-error $ref "other.yaml" is part of a cycle of references that never reaches a value',
    ]);
  });

  it('never fetches an http(s) $ref, and says so at the $ref', async () => {
    const requests: string[] = [];
    const server = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.end('description: fetched\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const dir = tree({
        'openapi.yaml':
          `${HEAD}paths:\n  /v1/a:\n    get:\n      responses:\n        "200": {$ref: "http://127.0.0.1:${port}/r.yaml#/ok"}\n` +
          `        "404": {$ref: "https://127.0.0.1:${port}/e.yaml"}\n  /v1/b:\n    $ref: "HTTP://127.0.0.1:${port}/p.yaml"\n`,
      });
      const { findings } = await run(dir);
      const remote = (ref: string) =>
        `$ref "${ref}" is remote: archlint never fetches from the network, so what it points at is not checked`;
      expect(show(findings, 'core/parse-error')).toEqual([
        `openapi.yaml:7:23 core/parse-error ${remote(`http://127.0.0.1:${port}/r.yaml#/ok`)}`,
        `openapi.yaml:8:23 core/parse-error ${remote(`https://127.0.0.1:${port}/e.yaml`)}`,
        `openapi.yaml:10:11 core/parse-error ${remote(`HTTP://127.0.0.1:${port}/p.yaml`)}`,
      ]);
      expect(requests).toEqual([]);
    } finally {
      server.close();
    }
  });
});

describe('SQL, TypeScript and YAML that do not parse', () => {
  it('reports each bad SQL statement at the parser position and never quotes a string literal', async () => {
    const dir = tree({
      'db/migrations/001.sql':
        'CREATE TABLE a (id int primary key);\nCREATE TABL b (id int);\n' +
        "INSERT INTO a VALUES ('sk_live_4eC39HqLyjWDarjtT1zdp7dc);\nCREATE TABLE c (id int primary key);\n",
      'db/migrations/002.sql':
        'CREATE TABLE d (id int primary key);\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1;\nCREATE TABLE e (id int);\n',
      'db/migrations/003.sql': "CREATE TABLE g (id int primary key, note text default E'it\\'s);\n",
    });
    const { findings } = await run(dir);
    expect(show(findings, 'core/parse-error')).toEqual([
      'db/migrations/001.sql:2:8 core/parse-error PostgreSQL syntax error: syntax error at or near "TABL"',
      `db/migrations/001.sql:3:23 core/parse-error PostgreSQL syntax error: unterminated quoted string at or near "'…"`,
      'db/migrations/002.sql:2:36 core/parse-error PostgreSQL syntax error: unterminated dollar-quoted string at or near "$body$…"',
      `db/migrations/003.sql:1:55 core/parse-error PostgreSQL syntax error: unterminated quoted string at or near "E'…"`,
    ]);
    // The unterminated string swallows the rest of its file, so tables after it are not in the schema.
    expect(show(findings, 'db/primary-keys')).toEqual([]);
  });

  it('reports the first TypeScript syntax error and still reads the file as TypeScript recovers it', async () => {
    const dir = tree({ 'src/a.ts': 'const x = ;\nfunction (\nexport const token = "Xk9mQ2vL7pW4zRt8Yb3N";\n' });
    const { findings } = await run(dir);
    expect(show(findings, 'core/parse-error')).toEqual([
      'src/a.ts:1:11 core/parse-error TypeScript syntax error: Expression expected. (and 5 more)',
    ]);
  });

  it('reads empty files of every kind without a finding', async () => {
    const dir = tree({
      'db/001.sql': '',
      'openapi.yaml': '',
      'openapi.json': '',
      'src/a.ts': '',
      '.env': '',
      'x.yml': '\n',
      'y.json': ' ',
    });
    const { findings, files } = await run(dir);
    expect(files).toEqual(['.env', 'db/001.sql', 'openapi.json', 'openapi.yaml', 'src/a.ts', 'x.yml', 'y.json']);
    expect(findings).toEqual([]);
  });
});

describe('bytes', () => {
  it('leaves out a file with a NUL byte in its first 8,000 bytes (a migration with a note); later NULs are reported where they are', async () => {
    const pad = `-- ${'x'.repeat(9000)}\n`;
    const dir = tree({
      'early.sql': 'CREATE\0 TABLE a (id int);\n',
      'db/001.sql': `${pad}CREATE TABLE a (id int primary key, b text default 'a\0b');\nCREATE TABLE c (id int primary key, a_id int references a(id));\n`,
      'src/a.ts': `// ${'x'.repeat(9000)}\nexport const a = "\0";\n`,
    });
    const { findings, skipped } = await run(dir);
    expect(skipped).toEqual([]);
    expect(show(findings, 'core/parse-error', 'core/skipped-file', 'db/indexed-foreign-keys')).toEqual([
      'db/001.sql:2:54 core/parse-error PostgreSQL syntax error: a NUL byte (U+0000), which PostgreSQL does not accept in SQL text',
      'db/001.sql:3:46 db/indexed-foreign-keys Foreign key c(a_id) → a(id) has no index whose leading columns are (a_id)',
      'early.sql:1:1 core/skipped-file This migration is not text (a NUL byte in its first 8000 bytes) or could not be read, so the schema is folded without it',
    ]);
  });

  it('decodes invalid UTF-8 as U+FFFD and keeps every later position right', async () => {
    const bad = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]);
    const dir = tree({
      'db/001.sql': Buffer.concat([
        Buffer.from("CREATE TABLE a (id int primary key, n text default '"),
        bad,
        Buffer.from("');\nCREATE TABLE c (id int primary key, a_id int references a(id));\n"),
      ]),
      'src/a.ts': Buffer.concat([
        Buffer.from('const a = "'),
        bad,
        Buffer.from('"; const password = "Xk9#mQ2$vL7pW4zR";\n'),
      ]),
    });
    const { findings } = await run(dir);
    expect(show(findings, 'core/parse-error', 'db/indexed-foreign-keys', 'security/no-hardcoded-secrets')).toEqual([
      'db/001.sql:2:46 db/indexed-foreign-keys Foreign key c(a_id) → a(id) has no index whose leading columns are (a_id)',
      // `const a = "` (11) + 5 replacement characters + `"; const password = "` (21): the value starts at column 38.
      'src/a.ts:1:38 security/no-hardcoded-secrets password is assigned a literal secret Xk9#… (16 characters)',
    ]);
  });

  it('places findings exactly in files with a BOM and CRLF line ends', async () => {
    const bom = '\uFEFF';
    const dir = tree({
      'db/migrations/001.sql': `${bom}CREATE TABLE a (\r\n  id int primary key\r\n);\r\n\r\nCREATE TABLE c (\r\n  id int primary key,\r\n  a_id int references a(id)\r\n);\r\n`,
      'src/config.ts': `${bom}// c\r\n\r\nexport const config = {\r\n  jwtSecret: "Xk9mQ2vL7pW4zRt8Yb3N",\r\n};\r\n`,
      '.env': `${bom}A=1\r\nB=2\r\nSTRIPE_KEY=sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}\r\n`,
      'openapi.yaml': `${bom}openapi: 3.0.3\r\ninfo: {title: Orders, version: "1"}\r\npaths:\r\n  /v1/orders:\r\n    get:\r\n      responses:\r\n        "200":\r\n          description: ok\r\n          content: {application/json: {schema: {type: array, items: {type: string}}}}\r\n`,
    });
    const { findings } = await run(dir);
    expect(show(findings, 'db/indexed-foreign-keys', 'security/no-hardcoded-secrets', 'api/paginated-lists')).toEqual([
      '.env:3:12 security/no-hardcoded-secrets Stripe secret key sk_l… (32 characters) is committed',
      'db/migrations/001.sql:7:12 db/indexed-foreign-keys Foreign key c(a_id) → a(id) has no index whose leading columns are (a_id)',
      'openapi.yaml:5:5 api/paginated-lists GET /v1/orders returns a list but offers no paging: no page size, cursor or offset parameter, no Link header, no next link or cursor in the body (a total or has_more alone gives the client no way to ask for more)',
      'src/config.ts:4:15 security/no-hardcoded-secrets jwtSecret is assigned a literal secret Xk9m… (20 characters)',
    ]);
  });

  it('prints control characters copied from a file as escapes, so they cannot drive a terminal', async () => {
    const dir = tree({
      'openapi.yaml': `openapi: 3.0.3\ninfo: {title: "Orders\\e]0;pwned\\a\\u202e", version: "1"}\npaths:\n  /items:\n    get:\n      responses: {"200": {description: ok}}\n`,
    });
    const { findings } = await run(dir, { only: ['api/versioned-routes'] });
    expect(findings.map((f) => f.message)).toEqual([
      'Orders\\u001b]0;pwned\\u0007\\u202e has no API versioning scheme: no version in its one resource path (e.g. GET /items), and no version header or media type declared; add /v1 to the base path or declare header versioning',
    ]);
  });
});

describe('the file system', () => {
  it('skips symlink loops and chains that never resolve', async () => {
    const dir = tree({ 'a/x.ts': 'export const a = 1;\n' });
    symlinkSync('..', join(dir, 'a/up'));
    symlinkSync('self', join(dir, 'self'));
    symlinkSync('l2', join(dir, 'l1'));
    symlinkSync('l1', join(dir, 'l2'));
    const { findings, skipped, files } = await run(dir);
    expect(files).toEqual(['a/x.ts']);
    expect(skipped).toEqual([
      { path: 'a/up', reason: 'symlink-loop', detail: 'links to .' },
      { path: 'l1', reason: 'symlink-loop', detail: 'symlink chain never resolves' },
      { path: 'l2', reason: 'symlink-loop', detail: 'symlink chain never resolves' },
      { path: 'self', reason: 'symlink-loop', detail: 'symlink chain never resolves' },
    ]);
    expect(findings).toEqual([]);
  });
});
