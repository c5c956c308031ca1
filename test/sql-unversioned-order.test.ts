import { describe, expect, it } from 'vitest';
import type { SchemaEvent } from '../src/model/schema.js';
import { orderByNeeds } from '../src/inputs/sql/unversioned-order.js';

const origin = { file: 'x.sql', range: { start: 0, end: 1 } };
const create = (name: string): SchemaEvent => ({
  kind: 'create-table',
  table: { name },
  columns: [],
  constraints: [],
  indexes: [],
  ifNotExists: false,
  inherits: false,
  origin,
});
const dropColumn = (name: string): SchemaEvent => ({
  kind: 'drop-column',
  table: { name },
  column: 'legacy',
  origin,
});
const drop = (name: string, ifExists: boolean): SchemaEvent => ({
  kind: 'drop-table',
  table: { name },
  ifExists,
  origin,
});

describe('unversioned migration files ordered by the tables they need', () => {
  it('moves an unversioned file after the last file that creates a table it changes', () => {
    const files = [
      { name: 'patch-named', unversioned: true, events: [dropColumn('monitor')] },
      { name: 'patch1', unversioned: false, events: [create('monitor')] },
      { name: 'patch2', unversioned: false, events: [drop('monitor', false), create('monitor')] },
      { name: 'patch3', unversioned: false, events: [create('tag')] },
    ];
    expect(orderByNeeds(files).map((f) => f.name)).toEqual(['patch1', 'patch2', 'patch-named', 'patch3']);
  });

  it('keeps an order that was possible, and never moves a versioned file or a guarded drop', () => {
    const files = [
      { name: 'schema', unversioned: true, events: [create('monitor')] },
      { name: 'cleanup', unversioned: true, events: [drop('tag', true)] },
      { name: '001', unversioned: false, events: [dropColumn('monitor'), create('tag')] },
      { name: '002', unversioned: false, events: [dropColumn('late')] },
      { name: '003', unversioned: false, events: [create('late')] },
    ];
    expect(orderByNeeds(files).map((f) => f.name)).toEqual(['schema', 'cleanup', '001', '002', '003']);
  });
});
