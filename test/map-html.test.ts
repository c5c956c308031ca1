/**
 * `archlint map --format html` in a real headless browser (Debian's Chromium, driven by
 * playwright-core; no browser is downloaded): the demo's page holds its services, mounts, tables
 * with their keys and the planted problems, asks nothing of the network, filters on the search box,
 * opens and closes its sections, zooms its diagrams, and looks like the committed screenshot
 * (test/map-html/demo.png; `ARCHLINT_UPDATE_SCREENSHOTS=1` rewrites it). A map of 400 tables opens
 * at once, its sections drawn only when opened.
 *
 * Without /usr/bin/chromium the test is skipped on a developer's machine, with a message; under CI
 * (`CI=true`, where .ci/run installs Chromium) it fails instead.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pixelmatch from 'pixelmatch';
import { type Browser, chromium, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchitectureMap, MapTable } from '../src/map/build.js';
import { renderHtml } from '../src/map/html.js';
import { runCli } from './harness/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const DEMO = fileURLToPath(new URL('../fixtures/demo', import.meta.url));
const REFERENCE = fileURLToPath(new URL('./map-html/demo.png', import.meta.url));
const present = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true' || process.env.CI === '1';

if (!present && !inCi) {
  console.warn(
    `test/map-html.test.ts skipped: no ${CHROMIUM} (install Debian's chromium package: apt-get install -y chromium)`,
  );
}

describe('archlint map --format html: the browser', () => {
  it('is there whenever CI runs the tests (.ci/run installs it), so the browser test is never skipped there', () => {
    expect(present || !inCi, `${CHROMIUM} is missing: .ci/run installs it (apt-get install -y chromium)`).toBe(true);
  });
});

describe.skipIf(!present)('archlint map --format html in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  let demoUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'archlint-map-html-'));
    const run = await runCli(['map', '--format', 'html'], DEMO);
    expect(run.code).toBe(0);
    writeFileSync(join(dir, 'demo.html'), run.stdout);
    demoUrl = `file://${join(dir, 'demo.html')}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // This machine's network is closed: no background connections, no QUIC, no sandbox as root.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--font-render-hinting=none',
        '--disable-lcd-text',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh page on `url`, once its script has drawn it; the requests it made that are not the file itself. */
  async function open(url: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => {
      if (request.url() !== url) requests.push(request.url());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    await page.waitForSelector('body[data-rendered]');
    return { page, requests, errors };
  }

  const visibleTexts = (page: Page, selector: string) =>
    page
      .locator(selector)
      .evaluateAll((nodes) =>
        nodes.filter((node) => (node as HTMLElement).offsetParent !== null).map((node) => node.textContent ?? ''),
      );

  it('shows the demo’s services, mounts, tables with their keys and the planted problems, offline', async () => {
    const { page, requests, errors } = await open(demoUrl);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.locator('details.service summary .name').allTextContents()).toEqual([
      'Orders Service API',
      'app',
    ]);
    const app = page.locator('details.service[data-name="app"]');
    expect(await app.locator('.mount').allTextContents()).toEqual([
      '/api/orders (4)',
      ', /api/v1 (2)',
      ', /health (1)',
    ]);
    expect(await app.locator('tr.route').count()).toBe(7);
    expect(await app.locator('.finding .loc').allTextContents()).toContain('src/routes/orders.ts:18');

    const rows = page.locator('tr.table-row');
    const keys = Object.fromEntries(
      await rows.evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-table'), tr.querySelector('td.pk')?.textContent]),
      ),
    );
    expect(Object.keys(keys).length).toBeGreaterThanOrEqual(5);
    expect(keys).toMatchObject({ orders: 'id', order_items: 'order_id, line_no', order_events: 'none', refunds: 'id' });
    expect(await page.locator('svg g.tbl').count()).toBe(Object.keys(keys).length);
    // The planted problems: a table without a primary key, two unindexed foreign keys.
    expect(
      await page.locator('svg g.tbl.nopk').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-table'))),
    ).toEqual(['order_events']);
    expect(
      await page
        .locator('svg path.edge.unindexed')
        .evaluateAll((ps) => ps.map((p) => `${p.getAttribute('data-from')} -> ${p.getAttribute('data-to')}`).sort()),
    ).toEqual(['order_events -> orders', 'payments -> orders']);
    expect(await page.locator('svg path.edge:not(.unindexed)').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('ul.marks li.marked').allTextContents()).toContain(
      'payments(order_id) → orders has no index db/migrations/20240115141500_create_payments.sql:9',
    );
    // Findings counted on each node, with where they stand.
    expect(await page.locator('tr[data-table="order_events"] .badge').textContent()).toBe('2');
    expect(await page.locator('g.tbl[data-table="order_events"] text.count').textContent()).toBe('2');
    expect(await page.locator('g.tbl[data-table="order_events"] > title').textContent()).toContain(
      'db/primary-keys  db/migrations/20240108093000_create_orders.sql:29',
    );
    // The demo calls Stripe and a shipping service that is not in the repository: no edge, a count.
    expect(await page.locator('li.call').count()).toBe(0);
    expect(await page.locator('#calls-left').textContent()).toBe(
      '4 outbound requests left out: no other service of this repository is known to be their target (or no one service their caller).',
    );
    await page.close();
  });

  it('lists the calls between services with their call sites, and links each service to the ones it calls', async () => {
    const service = (id: string, name: string) => ({
      id,
      name,
      framework: 'express',
      source: 'typescript' as const,
      deployable: true,
      file: `${id}.ts`,
      line: 1,
      endpoints: 0,
      roles: {},
      versioned: 0,
      prefixes: {},
      databases: [],
      findings: 0,
      reported: [],
      routes: [],
    });
    const map: ArchitectureMap = {
      services: [service('apps/orders/main', 'orders'), service('apps/users/main', 'users')],
      schemas: [],
      sharedTables: [],
      calls: [
        {
          from: 'apps/orders/main',
          to: 'apps/users/main',
          via: ['host users-service'],
          sites: [
            { file: 'apps/orders/clients.ts', line: 6, client: 'axios', url: 'http://users-service:3000/users/<id>' },
            { file: 'apps/orders/clients.ts', line: 9, client: 'fetch' },
          ],
        },
      ],
      callsLeftOut: 1,
    };
    writeFileSync(join(dir, 'calls.html'), renderHtml(map));
    const { page, errors } = await open(`file://${join(dir, 'calls.html')}`);
    expect(errors).toEqual([]);
    expect(await page.locator('li.call').allTextContents()).toEqual([
      'orders → users host users-service · 2 calls: apps/orders/clients.ts:6, apps/orders/clients.ts:9',
    ]);
    expect(await page.locator('#calls-left').textContent()).toContain('1 outbound request left out');
    expect(await page.locator('details.service[data-name="orders"] .calls a').allTextContents()).toEqual([
      'users (2 calls)',
    ]);
    expect(await page.locator('details.service[data-name="users"] .calls a').allTextContents()).toEqual([
      'orders (2 calls)',
    ]);
    await page.close();
  });

  it('filters services, endpoints and tables on the search box', async () => {
    const { page } = await open(demoUrl);
    await page.fill('#search', 'refund');
    await expect.poll(() => page.locator('#counts').textContent()).toContain('1 of 2 services');
    expect(await visibleTexts(page, 'details.service summary .name')).toEqual(['app']);
    expect(await visibleTexts(page, 'details.service[data-name="app"] tr.route td:nth-child(2)')).toEqual([
      '/api/orders/{orderId}/refunds',
    ]);
    expect(await page.locator('details.service[data-name="app"] .hits').textContent()).toBe('1 matching');
    expect(await visibleTexts(page, 'tr.table-row td.tname')).toEqual(['refunds', 'refund_lines']);
    expect(await page.locator('g.tbl.dim').count()).toBe(5);
    expect(await page.locator('g.tbl.hit').count()).toBe(2);

    await page.fill('#search', 'no-such-thing');
    await expect.poll(() => page.locator('#counts').textContent()).toContain('0 of 2 services');
    expect(await visibleTexts(page, 'details.node summary .name')).toEqual([]);

    await page.fill('#search', '');
    await expect.poll(() => page.locator('#counts').textContent()).toBe('2 services · 1 schema · 7 tables');
    expect((await visibleTexts(page, 'tr.table-row')).length).toBe(7);
    expect(await page.locator('g.tbl.dim').count()).toBe(0);
    await page.close();
  });

  it('collapses and expands a section, and zooms and pans its diagram', async () => {
    const { page } = await open(demoUrl);
    const schema = page.locator('details.schema').first();
    const diagram = schema.locator('.er svg');
    expect(await diagram.isVisible()).toBe(true);
    await schema.locator('summary').click();
    expect(await schema.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await diagram.isVisible()).toBe(false);
    await schema.locator('summary').click();
    expect(await diagram.isVisible()).toBe(true);

    const width = async () => Number((await diagram.getAttribute('viewBox'))!.split(' ')[2]);
    const fitted = await width();
    await schema.locator('button[title="Zoom in"]').click();
    expect(await width()).toBeLessThan(fitted);
    const box = (await diagram.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 300);
    await expect.poll(width).toBeGreaterThan(fitted / 1.3);
    const before = (await diagram.getAttribute('viewBox'))!.split(' ').map(Number);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 100, box.y + box.height / 2 - 50);
    await page.mouse.up();
    const after = (await diagram.getAttribute('viewBox'))!.split(' ').map(Number);
    expect(after[0]).toBeGreaterThan(before[0]!);
    expect(after[1]).toBeGreaterThan(before[1]!);
    await schema.locator('button[title="Fit"]').click();
    expect(await width()).toBe(fitted);
    await page.close();
  });

  it('looks like the committed screenshot of the demo', async () => {
    const { page } = await open(demoUrl);
    const shot = PNG.sync.read(await page.screenshot({ fullPage: true }));
    await page.close();
    if (process.env.ARCHLINT_UPDATE_SCREENSHOTS) {
      mkdirSync(dirname(REFERENCE), { recursive: true });
      writeFileSync(REFERENCE, PNG.sync.write(shot, { colorType: 2 }));
    }
    const reference = PNG.sync.read(readFileSync(REFERENCE));
    expect({ width: shot.width, height: shot.height }).toEqual({ width: reference.width, height: reference.height });
    const diff = new PNG({ width: shot.width, height: shot.height });
    const differing = pixelmatch(shot.data, reference.data, diff.data, shot.width, shot.height, { threshold: 0.2 });
    if (differing > shot.width * shot.height * 0.005)
      writeFileSync(join(tmpdir(), 'archlint-map-html-diff.png'), PNG.sync.write(diff));
    // Font rasterising may differ by a few pixels between machines; a layout change moves far more.
    expect(differing, `pixels that differ (diff image: ${join(tmpdir(), 'archlint-map-html-diff.png')})`).toBeLessThan(
      shot.width * shot.height * 0.005,
    );
  });

  it('opens a map of 400 tables at once and draws a schema only when it is opened', async () => {
    writeFileSync(join(dir, 'big.html'), renderHtml(bigMap(400)));
    const url = `file://${join(dir, 'big.html')}`;
    const started = Date.now();
    const { page, errors } = await open(url);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(errors).toEqual([]);
    expect(await page.locator('details.schema').count()).toBe(4);
    expect(await page.locator('details.schema[open]').count()).toBe(0);
    expect(await page.locator('svg g.tbl').count()).toBe(0);
    await page.locator('details.schema summary').first().click();
    await expect.poll(() => page.locator('svg g.tbl').count()).toBe(100);
    expect(await page.locator('svg path.edge').count()).toBe(99);
    await page.fill('#search', 'table_3_17');
    await expect.poll(() => visibleTexts(page, 'details.schema summary .name')).toEqual(['db3']);
    await page.close();
  });

  it('shows a hostile table name as text, running nothing', async () => {
    const name = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
    const map = bigMap(4);
    map.schemas[0]!.tables[0]!.name = name;
    writeFileSync(join(dir, 'hostile.html'), renderHtml(map));
    const url = `file://${join(dir, 'hostile.html')}`;
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    await page.goto(url);
    await page.waitForSelector('body[data-rendered]');
    expect(await page.locator('tr.table-row td.tname').first().textContent()).toBe(name);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});

/** A synthetic map: four schemas of `tables / 4` tables, each referencing the one before. */
function bigMap(tables: number): ArchitectureMap {
  const perSchema = tables / 4;
  return {
    services: [],
    sharedTables: [],
    calls: [],
    callsLeftOut: 0,
    schemas: [0, 1, 2, 3].map((s) => ({
      root: `db${s}`,
      dialect: 'postgres',
      findings: 0,
      reported: [],
      tables: Array.from(
        { length: perSchema },
        (_, i): MapTable => ({
          name: `table_${s}_${i}`,
          file: `db${s}/0001.sql`,
          line: i + 1,
          primaryKey: ['id'],
          missingPrimaryKey: false,
          columns: [
            { name: 'id', type: 'bigint' },
            { name: 'parent_id', type: 'bigint' },
            { name: 'name', type: 'text' },
          ],
          foreignKeys:
            i === 0
              ? []
              : [
                  {
                    columns: ['parent_id'],
                    references: { table: `table_${s}_${i - 1}`, columns: ['id'] },
                    file: `db${s}/0001.sql`,
                    line: i + 1,
                    indexed: true,
                  },
                ],
          findings: 0,
          reported: [],
        }),
      ),
    })),
  };
}
