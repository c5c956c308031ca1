/**
 * The OpenAPI input: roots, $ref resolution with origins in the file that holds each node, the
 * Endpoint fields, and every problem reported as a finding (never a throw, never a fetch).
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { discover } from '../src/discover/index.js';
import { lint } from '../src/engine/run.js';
import { buildOpenApiModel } from '../src/inputs/openapi/index.js';
import { inputProviders, type InputEnv } from '../src/inputs/registry.js';
import { createTextFiles } from '../src/inputs/text/index.js';
import { YamlDocuments } from '../src/inputs/yaml/documents.js';
import type { RawFinding } from '../src/model/finding.js';
import type { InputMap, InputName } from '../src/rule-api.js';

const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'archlint-openapi-')));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let cases = 0;
function repo(files: Record<string, string>): string {
  const dir = join(scratch, `case-${++cases}`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

async function model(dir: string, paths = ['.']) {
  const fileSet = await discover(paths, { cwd: dir });
  const text = createTextFiles(fileSet);
  const yaml = new YamlDocuments(text);
  const parsed: string[] = [];
  const value = yaml.value.bind(yaml);
  yaml.value = (path: string) => {
    parsed.push(path);
    return value(path);
  };
  const findings: RawFinding[] = [];
  const built = new Map<InputName, Promise<unknown>>();
  const env: InputEnv = {
    cwd: dir,
    fileSet,
    text,
    yaml,
    config: { config: {}, baseDir: dir },
    threads: 1,
    report: (finding) => findings.push(finding),
    log: () => {},
    input: <K extends InputName>(name: K) => {
      if (!built.has(name)) built.set(name, Promise.resolve((inputProviders[name] as (e: InputEnv) => unknown)(env)));
      return built.get(name) as Promise<InputMap[K]>;
    },
  };
  const openapi = await buildOpenApiModel(env);
  return { openapi, findings, parsed, yaml, text };
}

/** Line (1-based) of an origin, as the engine will place it. */
function lineOf(
  yaml: YamlDocuments,
  text: ReturnType<typeof createTextFiles>,
  origin: { file: string; pointer?: string; pointerTarget?: 'key' | 'value' },
) {
  const range = yaml.rangeOf(origin.file, origin.pointer ?? '', origin.pointerTarget ?? 'key');
  return range && text.get(origin.file)!.positionAt(range.start).line;
}

const MULTI_FILE = {
  'api/openapi.yaml': [
    'openapi: 3.0.3',
    'info: { title: Shop, version: "1" }',
    'servers:',
    '  - url: https://{env}.example.com/{base}',
    '    variables: { env: { default: api }, base: { default: v2 } }',
    'security: [{ token: [] }]',
    'paths:',
    '  /orders:',
    '    $ref: paths/orders.yaml',
    '  /orders/{id}/:',
    '    parameters:',
    '      - { name: id, in: path, required: true, schema: { type: string } }',
    '      - { name: expand, in: query, schema: { type: string } }',
    '    get:',
    '      security: []',
    '      parameters:',
    '        - { name: expand, in: query, required: true, schema: { type: boolean } }',
    '      responses:',
    "        '200': { description: one, content: { application/json: { schema: { $ref: 'schemas.json#/Order' } } } }",
    "        '404': { $ref: 'responses.yaml#/NotFound' }",
    'components:',
    '  securitySchemes: { token: { type: http, scheme: bearer } }',
    '',
  ].join('\n'),
  'api/paths/orders.yaml': [
    'get:',
    '  parameters:',
    "    - $ref: '../parameters.yaml#/Limit'",
    '  responses:',
    "    '200':",
    '      description: list',
    '      headers: { Link: { schema: { type: string } } }',
    "      content: { application/json: { schema: { $ref: '../schemas.json#/OrderList' } } }",
    '',
  ].join('\n'),
  'api/parameters.yaml': 'Limit:\n  name: limit\n  in: query\n  schema: { type: integer }\n',
  'api/responses.yaml': [
    'NotFound:',
    '  description: missing',
    '  content:',
    '    application/json:',
    '      schema:',
    '        allOf:',
    "          - $ref: 'schemas.json#/Base'",
    '          - { type: object, properties: { error: { type: object, properties: { code: { type: string }, message: { type: string } } } } }',
    '',
  ].join('\n'),
  'api/schemas.json': JSON.stringify(
    {
      Base: { type: 'object', properties: { request_id: { type: 'string' } } },
      Order: { type: 'object', properties: { id: { type: 'string' }, parent: { $ref: '#/Order' } } },
      OrderList: {
        type: 'object',
        properties: { data: { type: 'array', items: { $ref: '#/Order' } }, next: { type: 'string' } },
      },
    },
    null,
    2,
  ),
  'package.json': '{ "name": "not-a-description", "version": "1.0.0" }\n',
  'docker-compose.yml': 'services:\n  api: { image: node }\n',
};

describe('the OpenAPI input on a multi-file description', async () => {
  const dir = repo(MULTI_FILE);
  const { openapi, findings, parsed, yaml, text } = await model(dir);

  it('finds one description and reads its $ref targets as part of it, never as roots', () => {
    expect(findings.map((f) => f.message)).toEqual([]);
    expect(openapi.descriptions.map((d) => [d.path, d.version, d.title, d.endpointCount])).toEqual([
      ['api/openapi.yaml', '3.0.3', 'Shop', 2],
    ]);
    expect(openapi.http.services).toHaveLength(1);
  });

  it('never parses YAML/JSON that is not a description or reached by $ref', () => {
    expect(parsed).not.toContain('package.json');
    expect(parsed).not.toContain('docker-compose.yml');
  });

  it('builds full paths from the server URL with its variables, without a trailing slash', () => {
    expect(openapi.http.endpoints.map((e) => `${e.method} ${e.path} (${e.declaredPath})`)).toEqual([
      'get /v2/orders (/orders)',
      'get /v2/orders/{id} (/orders/{id}/)',
    ]);
  });

  it('keeps each node where it is written, in the referenced file', () => {
    const [list, one] = openapi.http.endpoints;
    expect(list!.origin).toEqual({ file: 'api/paths/orders.yaml', pointer: '/get' });
    expect(list!.pathOrigin).toEqual({ file: 'api/openapi.yaml', pointer: '/paths/~1orders' });
    expect(list!.parameters).toEqual([
      { name: 'limit', in: 'query', required: false, origin: { file: 'api/parameters.yaml', pointer: '/Limit' } },
    ]);
    expect(list!.responses[0]!.body.origin).toEqual({ file: 'api/schemas.json', pointer: '/OrderList' });
    expect(lineOf(yaml, text, list!.responses[0]!.body.origin!)).toBe(
      JSON.stringify(JSON.parse(MULTI_FILE['api/schemas.json']), null, 2)
        .split('\n')
        .findIndex((l) => l.includes('"OrderList"')) + 1,
    );
    expect(one!.responses.find((r) => r.status === '404')!.origin).toEqual({
      file: 'api/responses.yaml',
      pointer: '/NotFound',
    });
    expect(lineOf(yaml, text, one!.origin)).toBe(14);
  });

  it('merges path-level parameters, the operation winning on the same name', () => {
    const one = openapi.http.endpoints[1]!;
    expect(one.parameters.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual(['path:id:true', 'query:expand:true']);
  });

  it('summarises bodies: lists, paging meta, allOf-merged and nested error properties', () => {
    const [list, one] = openapi.http.endpoints;
    expect(list!.responses[0]).toMatchObject({ status: '200', headers: ['Link'], mediaTypes: ['application/json'] });
    expect(list!.responses[0]!.body).toMatchObject({
      kind: 'object',
      collection: true,
      arrayProperty: 'data',
      properties: ['data', 'next'],
    });
    const notFound = one!.responses.find((r) => r.status === '404')!.body;
    expect(notFound).toMatchObject({
      kind: 'object',
      collection: false,
      properties: ['request_id', 'error'],
      nestedErrorProperties: ['code', 'message'],
      // Which properties are strings: `request_id` is, `error` is an object.
      stringProperties: ['request_id'],
    });
    expect(one!.responses[0]!.body).toMatchObject({ kind: 'object', collection: false, properties: ['id', 'parent'] });
  });

  it("records security in effect: global, or the operation's own (explicitly none)", () => {
    const [list, one] = openapi.http.endpoints;
    expect(list!.security).toEqual([['token']]);
    expect(one!.security).toEqual([]);
  });

  it('reads $ref targets discovery did not list when only the root is named', async () => {
    const named = await model(dir, ['api/openapi.yaml']);
    expect(named.findings).toEqual([]);
    expect(named.openapi.http.endpoints[0]!.origin.file).toBe('api/paths/orders.yaml');
    expect(named.text.get('api/paths/orders.yaml')).toBeDefined();
  });
});

describe('Swagger 2.0', () => {
  it('uses basePath, body parameters and produces', async () => {
    const dir = repo({
      'swagger.json': JSON.stringify({
        swagger: '2.0',
        info: { title: 'Pets', version: '1' },
        basePath: '/api/v1/',
        produces: ['application/json'],
        paths: {
          '/pets': {
            parameters: [{ name: 'limit', in: 'query', type: 'integer' }],
            post: {
              parameters: [{ name: 'pet', in: 'body', required: true, schema: { type: 'object' } }],
              responses: {
                201: { description: 'created', schema: { type: 'object', properties: { id: { type: 'string' } } } },
              },
            },
          },
        },
      }),
    });
    const { openapi, findings } = await model(dir);
    expect(findings).toEqual([]);
    const [post] = openapi.http.endpoints;
    expect(post).toMatchObject({ method: 'post', path: '/api/v1/pets', parameters: [{ name: 'limit', in: 'query' }] });
    expect(post!.requestBody).toMatchObject({ mediaTypes: ['application/json'], required: true });
    expect(post!.responses[0]).toMatchObject({
      status: '201',
      mediaTypes: ['application/json'],
      body: { kind: 'object', properties: ['id'] },
    });
  });
});

describe('problems become findings, and the other files go on', () => {
  const lintRepo = async (files: Record<string, string>) => {
    const dir = repo(files);
    // Declared as a service's complete contract, so ops/health-endpoints judges it.
    const config = { openapi: { services: ['*.yaml'] } };
    const { result } = await lint({
      cwd: dir,
      paths: ['.'],
      loaded: { config, baseDir: dir },
      rules,
      only: ['ops/health-endpoints'],
    });
    return result.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.message}`);
  };
  const GOOD =
    'openapi: 3.0.3\ninfo: { title: Fine, version: "1" }\npaths:\n  /v1/x:\n    get: { responses: { "200": { description: ok } } }\n';

  it('reports invalid YAML at the parser position', async () => {
    const found = await lintRepo({ 'bad.yaml': 'openapi: 3.0.3\ninfo: [unclosed\npaths: {}\n', 'good.yaml': GOOD });
    expect(found.filter((f) => f.includes('core/parse-error'))).toEqual([
      expect.stringMatching(/^bad\.yaml:\d+ core\/parse-error bad\.yaml is not valid YAML/),
    ]);
    expect(found.filter((f) => f.startsWith('good.yaml')).length).toBe(1);
  });

  it('reports an invalid OpenAPI document at the offending node', async () => {
    const found = await lintRepo({
      'openapi.yaml':
        'openapi: 3.0.3\ninfo: { title: T, version: "1" }\npaths:\n  /v1/x:\n    get:\n      summary: no responses\n',
    });
    expect(found.filter((f) => f.includes('core/parse-error'))).toEqual([
      "openapi.yaml:5 core/parse-error Not a valid OpenAPI 3.0.3 description: /paths/~1v1~1x/get must have required property 'responses'",
    ]);
  });

  it('refuses refs that leave the lint root, never fetches remote refs, and names missing targets', async () => {
    const dir = repo({ 'outside.yaml': 'Secret: { name: s, in: query }\n' });
    const found = await lintRepo({
      'openapi.yaml': [
        'openapi: 3.0.3',
        'info: { title: Refs, version: "1" }',
        'paths:',
        '  /v1/x:',
        '    get:',
        '      parameters:',
        `        - $ref: '${join(dir, 'outside.yaml')}#/Secret'`,
        "        - $ref: 'https://example.com/params.yaml#/Limit'",
        "        - $ref: 'missing.yaml#/Nope'",
        "        - $ref: '#/components/parameters/Nope'",
        "      responses: { '200': { description: ok } }",
        'components: { parameters: {} }',
        '',
      ].join('\n'),
    });
    const problems = found.filter((f) => f.includes('core/parse-error'));
    expect(problems).toEqual([
      expect.stringMatching(
        /^openapi\.yaml:7 core\/parse-error \$ref ".*outside\.yaml#\/Secret" leaves the lint roots/,
      ),
      expect.stringMatching(
        /^openapi\.yaml:8 core\/parse-error \$ref "https:\/\/example\.com\/params\.yaml#\/Limit" is remote: archlint never fetches/,
      ),
      expect.stringMatching(
        /^openapi\.yaml:9 core\/parse-error \$ref "missing\.yaml#\/Nope": missing\.yaml cannot be read/,
      ),
      expect.stringMatching(
        /^openapi\.yaml:10 core\/parse-error \$ref "#\/components\/parameters\/Nope" points at nothing/,
      ),
    ]);
  });

  it("accepts a 3.1 server variable's description, which the bundled 3.1 schema misspells, and still reports a wrong key beside it", async () => {
    const description = (extra: string) =>
      [
        'openapi: 3.1.0',
        'info: { title: Servers, version: "1" }',
        'servers:',
        '  - url: "{base}/v1"',
        '    variables:',
        '      base:',
        '        default: https://api.example.com',
        '        description: Where the deployment answers',
        ...(extra ? [`        ${extra}`] : []),
        'paths: {}',
        '',
      ].join('\n');
    const valid = await lintRepo({ 'openapi.yaml': description('') });
    expect(valid.filter((f) => f.includes('core/parse-error'))).toEqual([]);
    const invalid = await lintRepo({ 'openapi.yaml': description('allowEmptyValue: false') });
    expect(invalid.filter((f) => f.includes('core/parse-error'))).toEqual([
      expect.stringMatching(
        /^openapi\.yaml:6 core\/parse-error Not a valid OpenAPI 3\.1\.0 description: \/servers\/0\/variables\/base must NOT have unevaluated properties$/,
      ),
    ]);
  });

  it('survives circular references', async () => {
    const found = await lintRepo({
      'openapi.yaml': [
        'openapi: 3.1.0',
        'info: { title: Cycles, version: "1" }',
        'paths:',
        '  /v1/a: { $ref: "#/paths/~1v1~1b" }',
        '  /v1/b: { $ref: "#/paths/~1v1~1a" }',
        '  /v1/tree:',
        '    get:',
        '      responses:',
        "        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Node' } } } }",
        'components:',
        '  schemas:',
        '    Node: { allOf: [{ $ref: "#/components/schemas/Node" }, { type: object, properties: { children: { type: array, items: { $ref: "#/components/schemas/Node" } } } }] }',
        '',
      ].join('\n'),
    });
    expect(found.filter((f) => f.includes('core/internal-error'))).toEqual([]);
    // Each path item enters the cycle at its own $ref: one finding there, and no endless loop.
    expect(found.filter((f) => f.includes('cycle')).map((f) => f.split(' ')[0])).toEqual([
      'openapi.yaml:4',
      'openapi.yaml:5',
    ]);
  });
});
