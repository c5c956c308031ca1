/**
 * `archlint map` on the demo: its services with their mounts, its tables with their keys, the
 * planted problems marked; and every Mermaid diagram it writes parses with Mermaid's own parser
 * (run under jsdom, as Mermaid needs a DOM even to parse).
 */
import { fileURLToPath } from 'node:url';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import type { ArchitectureMap } from '../src/map/build.js';
import { runCli } from './harness/cli.js';

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
    expect(app).toMatchObject({ file: 'src/app.ts', endpoints: 7, roles: { resource: 6, infrastructure: 1 }, databases: ['db/migrations'] });
    expect(Object.keys(app.prefixes).sort()).toEqual(['/api/orders', '/api/v1', '/health']);
    expect(map.services.find((s) => s.source === 'openapi')).toMatchObject({ file: 'openapi/orders.yaml', endpoints: 6 });
    const [schema] = map.schemas;
    expect(schema).toMatchObject({ root: 'db/migrations', dialect: 'postgres' });
    expect(schema!.tables.length).toBeGreaterThanOrEqual(5);
    const table = (name: string) => schema!.tables.find((t) => t.name === name)!;
    expect(table('orders')).toMatchObject({ primaryKey: ['id'], missingPrimaryKey: false });
    expect(table('order_items').primaryKey).toEqual(['order_id', 'line_no']);
    expect(table('order_events')).toMatchObject({ primaryKey: null, missingPrimaryKey: true });
    const unindexed = schema!.tables.flatMap((t) => t.foreignKeys.filter((fk) => !fk.indexed).map((fk) => `${t.name}(${fk.columns.join(',')}) -> ${fk.references.table}`));
    expect(unindexed.sort()).toEqual(['order_events(order_id) -> orders', 'payments(order_id) -> orders']);
    expect(table('refunds').foreignKeys).toMatchObject([{ columns: ['payment_id'], references: { table: 'payments', columns: ['id'] }, indexed: true }]);
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
    expect(run.stdout).toContain('- `payments(order_id)` → `orders` has no index (db/migrations/20240115141500_create_payments.sql:9)');
    // A hostile table name cannot break out of its label.
    await expect(parse('flowchart LR\n  s0["a#quot;]; click s0 call x(#quot;"]\n')).resolves.toBeTruthy();
  }, 60_000);
});
