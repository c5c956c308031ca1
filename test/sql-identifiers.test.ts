import { describe, expect, it } from 'vitest';
import { sqlIdentifier, sqlTableName } from '../src/model/schema.js';

describe('sqlIdentifier: names in fix statements', () => {
  it('quotes reserved words, case and characters as each dialect needs', () => {
    expect(sqlIdentifier('orders', 'postgres')).toBe('orders');
    expect(sqlIdentifier('order', 'postgres')).toBe('"order"');
    expect(sqlIdentifier('user', 'postgres')).toBe('"user"');
    expect(sqlIdentifier('customerId', 'postgres')).toBe('"customerId"');
    expect(sqlIdentifier('order', 'mysql')).toBe('`order`');
    expect(sqlIdentifier('user', 'mysql')).toBe('user');
    expect(sqlIdentifier('Key', 'mariadb')).toBe('`Key`');
    expect(sqlIdentifier('group', 'sqlite')).toBe('"group"');
    expect(sqlTableName({ schema: 'public', name: 'user' }, 'postgres')).toBe('public."user"');
  });
});
