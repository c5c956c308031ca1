/**
 * `archlint map` on the demo: its services with their mounts, its tables with their keys, the
 * planted problems marked; and every Mermaid diagram it writes parses with Mermaid's own parser
 * (run under jsdom, as Mermaid needs a DOM even to parse).
 */
import { fileURLToPath } from 'node:url';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import type { ArchitectureMap } from '../src/map/build.js';
import { renderHtml } from '../src/map/html.js';
import { runCli } from './harness/cli.js';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { tempRepo, type TempRepo } from './harness/git.js';
import { useTempTrees } from './harness/tree.js';
import { serviceKey } from '../src/map/calls.js';

const tree = useTempTrees('map-calls');

/**
 * Three services of one repository that call each other, and requests whose target is not one of them:
 * orders → users by a base URL default naming the Compose service `users-service` (built from
 * apps/users), orders → notifications by a variable its Compose service sets to `http://notifier:4000`,
 * users → orders by a client named for it; Stripe, an unset BILLING_URL and a request of users to itself
 * are left out.
 */
const CALLING_SERVICES: Record<string, string> = {
  'docker-compose.yml': [
    'services:',
    '  users-service:',
    '    build: ./apps/users',
    '  orders:',
    '    build:',
    '      context: .',
    '      dockerfile: apps/orders/Dockerfile',
    '    environment:',
    '      - NOTIFY_ENDPOINT=http://notifier:4000',
    '  notifier:',
    '    build: apps/notifications',
    '  db:',
    '    image: postgres:16',
    '',
  ].join('\n'),
  'apps/users/package.json': '{ "name": "@acme/users-service" }\n',
  'apps/users/src/main.ts': [
    "import express from 'express';",
    "import ky from 'ky';",
    'const app = express();',
    'const ordersClient = ky.create({ prefixUrl: process.env.ORDERS_BASE });',
    "app.get('/users/:id', async (req, res) => {",
    '  const orders = await ordersClient.get(`orders?user=${req.params.id}`).json();',
    "  await fetch('http://users-service:3000/health');",
    '  res.json({ id: req.params.id, orders });',
    '});',
    'app.listen(3000);',
    '',
  ].join('\n'),
  'apps/orders/package.json': '{ "name": "orders" }\n',
  'apps/orders/src/clients.ts': [
    "import axios from 'axios';",
    "import got from 'got';",
    "const USERS = process.env.USERS_URL ?? 'http://users-service:3000';",
    'const users = axios.create({ baseURL: USERS });',
    'export async function user(id: string) {',
    '  return (await users.get(`/users/${id}`)).data;',
    '}',
    'export async function notify(text: string) {',
    '  await got.post(`${process.env.NOTIFY_ENDPOINT}/send`, { json: { text } });',
    "  await fetch('https://api.stripe.com/v1/charges', { method: 'POST' });",
    '  await fetch(`${process.env.BILLING_URL}/invoices`);',
    '}',
    '',
  ].join('\n'),
  'apps/orders/src/main.ts': [
    "import express from 'express';",
    "import { notify, user } from './clients';",
    'const app = express();',
    "app.post('/orders', async (req, res) => {",
    '  await user(req.body.userId);',
    "  await notify('ordered');",
    '  res.status(201).json({});',
    '});',
    'app.listen(3001);',
    '',
  ].join('\n'),
  'apps/notifications/package.json': '{ "name": "notifications" }\n',
  'apps/notifications/src/main.ts': [
    "import express from 'express';",
    'const app = express();',
    "app.post('/send', (req, res) => res.status(202).json({}));",
    'app.listen(4000);',
    '',
  ].join('\n'),
};

let repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos) repo.remove();
  repos = [];
});

/** The demo committed in a temporary repository, on a branch `feature` made from `main`. */
function demoRepo(): TempRepo {
  const repo = tempRepo();
  repos.push(repo);
  cpSync(DEMO, repo.dir, { recursive: true });
  repo.commit('demo');
  repo.git('checkout', '-q', '-b', 'feature');
  return repo;
}

/** The collapsed map section of a Markdown report, and its Mermaid diagrams. */
function mapSection(markdown: string): { summary: string; diagrams: string[]; body: string } {
  const match = /<details><summary>(.*?)<\/summary>([\s\S]*?)<\/details>/.exec(markdown);
  if (!match) throw new Error(`no map section in:\n${markdown}`);
  return {
    summary: match[1]!,
    body: match[2]!,
    diagrams: [...match[2]!.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!),
  };
}

const DEMO = fileURLToPath(new URL('../fixtures/demo', import.meta.url));

async function mermaidParser(): Promise<(text: string) => Promise<unknown>> {
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  const { default: mermaid } = await import('mermaid');
  return (text) => mermaid.parse(text);
}

describe('archlint map', () => {
  it('shows the demo’s services and mounts, its tables with their keys, and marks the planted problems (JSON)', async () => {
    const run = await runCli(['map', '--format', 'json'], DEMO);
    expect(run.code).toBe(0);
    const map = JSON.parse(run.stdout) as ArchitectureMap;
    const app = map.services.find((s) => s.framework === 'express')!;
    expect(app).toMatchObject({
      file: 'src/app.ts',
      endpoints: 7,
      roles: { resource: 6, infrastructure: 1 },
      databases: ['db/migrations'],
    });
    expect(Object.keys(app.prefixes).sort()).toEqual(['/api/orders', '/api/v1', '/health']);
    expect(map.services.find((s) => s.source === 'openapi')).toMatchObject({
      file: 'openapi/orders.yaml',
      endpoints: 6,
    });
    const [schema] = map.schemas;
    expect(schema).toMatchObject({ root: 'db/migrations', dialect: 'postgres' });
    expect(schema!.tables.length).toBeGreaterThanOrEqual(5);
    const table = (name: string) => schema!.tables.find((t) => t.name === name)!;
    expect(table('orders')).toMatchObject({ primaryKey: ['id'], missingPrimaryKey: false });
    expect(table('order_items').primaryKey).toEqual(['order_id', 'line_no']);
    expect(table('order_events')).toMatchObject({ primaryKey: null, missingPrimaryKey: true });
    const unindexed = schema!.tables.flatMap((t) =>
      t.foreignKeys
        .filter((fk) => !fk.indexed)
        .map((fk) => `${t.name}(${fk.columns.join(',')}) -> ${fk.references.table}`),
    );
    expect(unindexed.sort()).toEqual(['order_events(order_id) -> orders', 'payments(order_id) -> orders']);
    expect(table('refunds').foreignKeys).toMatchObject([
      { columns: ['payment_id'], references: { table: 'payments', columns: ['id'] }, indexed: true },
    ]);
    // Each node's findings with where they stand, and each service's routes (the HTML page lists them).
    expect(
      table('order_events')
        .reported.map((f) => `${f.ruleId} ${f.file}:${f.line}`)
        .sort(),
    ).toEqual([
      'db/indexed-foreign-keys db/migrations/20240108093000_create_orders.sql:30',
      'db/primary-keys db/migrations/20240108093000_create_orders.sql:29',
    ]);
    expect(schema!.reported).toHaveLength(schema!.findings);
    expect(app.reported).toHaveLength(app.findings);
    expect(app.reported.map((f) => `${f.file}:${f.line}`)).toContain('src/routes/orders.ts:18');
    expect(app.routes).toHaveLength(7);
    expect(app.routes).toContainEqual({
      method: 'post',
      path: '/api/orders/{orderId}/refunds',
      role: 'resource',
      file: 'src/routes/orders.ts',
      line: 77,
    });
  });

  it('writes one self-contained HTML page whose data no repository name can break out of', async () => {
    const run = await runCli(['map', '--format', 'html'], DEMO);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^<!doctype html>/);
    expect(run.stdout).not.toMatch(/\b(?:src|href)=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const data = /<script type="application\/json" id="map-data">(.*?)<\/script>/s.exec(run.stdout)![1]!;
    expect(JSON.parse(data)).toEqual(JSON.parse((await runCli(['map', '--format', 'json'], DEMO)).stdout));
    const hostile = renderHtml({
      services: [],
      sharedTables: [],
      calls: [],
      callsLeftOut: 0,
      schemas: [
        {
          root: 'db',
          dialect: 'postgres',
          findings: 0,
          reported: [],
          tables: [
            {
              name: '</script><script>alert(1)</script><!--',
              file: 'a.sql',
              line: 1,
              primaryKey: null,
              missingPrimaryKey: false,
              columns: [],
              foreignKeys: [],
              findings: 0,
              reported: [],
            },
          ],
        },
      ],
    });
    expect(hostile.match(/<script/g)).toHaveLength(2);
    expect(hostile).not.toContain('<!--');
    expect(hostile).toContain('\\u003c/script>\\u003cscript>alert(1)');
  });

  it('writes Markdown whose Mermaid diagrams parse, with the problems marked in them', async () => {
    const run = await runCli(['map'], DEMO);
    expect(run.code).toBe(0);
    const diagrams = [...run.stdout.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(diagrams.map((d) => d.split('\n')[0])).toEqual(['flowchart LR', 'erDiagram']);
    const parse = await mermaidParser();
    for (const diagram of diagrams) await expect(parse(diagram)).resolves.toBeTruthy();
    expect(diagrams[0]).toContain('app (express)');
    expect(diagrams[1]).toContain('order_events["order_events (no primary key)');
    expect(diagrams[1]).toContain('orders ||--o{ payments : "order_id (unindexed)"');
    expect(run.stdout).toContain(
      '- `payments(order_id)` → `orders` has no index (`db/migrations/20240115141500_create_payments.sql:9`)',
    );
    // A hostile table name cannot break out of its label.
    await expect(parse('flowchart LR\n  s0["a#quot;]; click s0 call x(#quot;"]\n')).resolves.toBeTruthy();
  }, 60_000);

  it('adds the whole map to the Markdown report as a collapsed section with --map', async () => {
    const run = await runCli(['--format', 'markdown', '--map'], DEMO);
    expect(run.stderr).toBe('');
    const section = mapSection(run.stdout);
    expect(section.summary).toMatch(/^Architecture map \(2 services, \d+ tables\)$/);
    expect(run.stdout.indexOf('<details>')).toBeGreaterThan(run.stdout.indexOf('### Findings'));
    expect(section.diagrams.map((d) => d.split('\n')[0])).toEqual(['flowchart LR', 'erDiagram']);
    const parse = await mermaidParser();
    for (const diagram of section.diagrams) await expect(parse(diagram)).resolves.toBeTruthy();
  }, 60_000);

  it('with --changed-since holds only the tables the change touches and the other ends of their foreign keys', async () => {
    const repo = demoRepo();
    repo.commit('refund reasons', {
      'db/migrations/20240301090000_refund_reasons.sql':
        'CREATE TABLE refund_reasons (\n  id bigint PRIMARY KEY,\n  refund_id bigint NOT NULL REFERENCES refunds (id),\n  reason text NOT NULL\n);\n',
    });
    const run = await runCli(['--format', 'markdown', '--map', '--changed-since', 'main'], repo.dir);
    const section = mapSection(run.stdout);
    expect(section.summary).toBe('Architecture map of what the change touches (0 services, 2 tables)');
    const [er] = section.diagrams.filter((d) => d.startsWith('erDiagram'));
    const tables = [...er!.matchAll(/^ {2}(\w+)\["/gm)].map((m) => m[1]).sort();
    expect(tables).toEqual(['refund_reasons', 'refunds']);
    expect(er).toContain('refunds ||--o{ refund_reasons : "refund_id (unindexed)"');
    const parse = await mermaidParser();
    for (const diagram of section.diagrams) await expect(parse(diagram)).resolves.toBeTruthy();
  }, 60_000);

  it('with --changed-since keeps a service whose route file changed, and says so when nothing mapped was touched', async () => {
    const repo = demoRepo();
    repo.commit('readme only', { 'README.md': 'changed\n' });
    const quiet = await runCli(['--format', 'markdown', '--map', '--changed-since', 'main'], repo.dir);
    expect(mapSection(quiet.stdout).summary).toBe('Architecture map: the change touches no service route or table');
    repo.commit('touch the app', { 'src/app.ts': `${readFileSync(join(DEMO, 'src/app.ts'), 'utf8')}\n// touched\n` });
    const run = await runCli(['--format', 'markdown', '--map', '--changed-since', 'main'], repo.dir);
    const section = mapSection(run.stdout);
    expect(section.summary).toBe('Architecture map of what the change touches (1 service, 0 tables)');
    expect(section.diagrams[0]).toContain('app (express)');
  }, 60_000);

  it('draws the calls between services whose target is known, with their call sites, and counts the rest', async () => {
    const dir = tree(CALLING_SERVICES);
    const run = await runCli(['map', '--format', 'json'], dir);
    expect(run.code).toBe(0);
    const map = JSON.parse(run.stdout) as ArchitectureMap;
    const home = (id: string) => map.services.find((s) => s.id === id)!.file.split('/')[1];
    expect(
      map.calls.map((call) => ({
        edge: `${home(call.from)} -> ${home(call.to)}`,
        via: call.via,
        sites: call.sites.map((site) => `${site.file}:${site.line} ${site.client}`),
      })),
    ).toEqual([
      {
        edge: 'orders -> notifications',
        via: ['env NOTIFY_ENDPOINT=http://notifier:4000'],
        sites: ['apps/orders/src/clients.ts:9 got'],
      },
      {
        edge: 'orders -> users',
        via: ['host users-service'],
        sites: ['apps/orders/src/clients.ts:6 axios'],
      },
      { edge: 'users -> orders', via: ['client ordersClient'], sites: ['apps/users/src/main.ts:6 ky'] },
    ]);
    // Stripe, the unset BILLING_URL, and users calling itself.
    expect(map.callsLeftOut).toBe(3);

    const markdown = await runCli(['map'], dir);
    const [flowchart] = [...markdown.stdout.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(flowchart!.match(/-\.->\|"1 call"\|/g)).toHaveLength(3);
    expect(markdown.stdout).toContain('(`host users-service`): `apps/orders/src/clients.ts:6`');
    expect(markdown.stdout).toContain('3 outbound requests left out');
    const parse = await mermaidParser();
    await expect(parse(flowchart!)).resolves.toBeTruthy();
  }, 60_000);

  it('draws no call when nothing names one service of the repository', async () => {
    const dir = tree({
      ...CALLING_SERVICES,
      // Two packages named alike: `users` no longer names one service.
      'apps/users-api/package.json': '{ "name": "users-api" }\n',
      'apps/users-api/src/main.ts':
        "import express from 'express';\nconst app = express();\napp.get('/x', (req, res) => res.json({}));\napp.listen(1);\n",
      'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n',
    });
    const map = JSON.parse((await runCli(['map', '--format', 'json'], dir)).stdout) as ArchitectureMap;
    expect(map.calls.map((call) => `${call.from} -> ${call.to}`)).toEqual([
      expect.stringMatching(/^apps\/users\/src\/main\.ts#.* -> apps\/orders\/src\/main\.ts#/),
    ]);
    expect(map.callsLeftOut).toBe(5);
  }, 60_000);

  it('reduces names to what tells services apart', () => {
    expect(serviceKey('users-service')).toBe('user');
    expect(serviceKey('USERS_SERVICE')).toBe('user');
    expect(serviceKey('usersClient')).toBe('user');
    expect(serviceKey('@acme/billing-api')).toBe('billing');
    expect(serviceKey('api')).toBe('');
    expect(serviceKey('address')).toBe('');
  });

  it('refuses --map without a Markdown report', async () => {
    const run = await runCli(['--map'], DEMO);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--map adds a section to the Markdown report');
  });
});
