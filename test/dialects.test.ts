/** The dialect records: what readers, the fold and fix texts ask instead of a dialect's name. */
import { describe, expect, it } from 'vitest';
import { DIALECTS, dialectOfTag, dialectRecord, sqlTableName } from '../src/model/dialects.js';

describe('dialect records', () => {
  it('names each engine from the spellings of tools, folders and files', () => {
    const spelled = [
      'postgres',
      'postgresql',
      'pg',
      'pgsql',
      'cockroachdb',
      'mysql',
      'mariadb',
      'sqlite',
      'sqlite3',
      'mssql',
      undefined,
    ];
    expect(spelled.map((tag) => dialectOfTag(tag))).toEqual([
      'postgres',
      'postgres',
      'postgres',
      'postgres',
      'postgres',
      'mysql',
      'mariadb',
      'sqlite',
      'sqlite',
      undefined,
      undefined,
    ]);
  });

  it('knows which engines index a foreign key themselves and which are one database family', () => {
    expect(
      Object.values(DIALECTS)
        .filter((d) => d.engine.indexesForeignKeys)
        .map((d) => d.id),
    ).toEqual(['mysql', 'mariadb']);
    expect(dialectRecord('mariadb').family).toBe(dialectRecord('mysql').family);
    expect(dialectRecord('sqlite').family).not.toBe(dialectRecord('postgres').family);
  });

  it('writes the fix statements each engine accepts', () => {
    const table = { schema: 'billing', name: 'order' };
    expect(dialectRecord('postgres').dropIndex('order_user_idx', table)).toBe(
      'DROP INDEX CONCURRENTLY billing.order_user_idx;',
    );
    expect(dialectRecord('mysql').dropIndex('order_user_idx', table)).toBe('DROP INDEX order_user_idx ON `order`;');
    expect(dialectRecord('sqlite').dropIndex('Order_User', table)).toBe('DROP INDEX Order_User;');
    const pg = dialectRecord('postgres');
    expect(pg.alterColumnType?.(sqlTableName(table, 'postgres'), 'total', `${pg.exactDecimal}(19, 4)`, false)).toBe(
      'ALTER TABLE billing."order" ALTER COLUMN total TYPE numeric(19, 4);',
    );
    const my = dialectRecord('mysql');
    expect(my.alterColumnType?.('orders', 'total', `${my.exactDecimal}(19, 4)`, false)).toBe(
      'ALTER TABLE orders MODIFY total DECIMAL(19, 4) NOT NULL;',
    );
    expect(dialectRecord('sqlite').alterColumnType).toBeUndefined();
    expect(`CREATE INDEX ${pg.onlineIndex}x ON t (a);`).toBe('CREATE INDEX CONCURRENTLY x ON t (a);');
  });

  it('quotes identifiers the way each engine needs', () => {
    expect(sqlTableName({ name: 'User' }, 'postgres')).toBe('"User"');
    expect(sqlTableName({ name: 'User' }, 'mysql')).toBe('User');
    expect(sqlTableName({ name: 'user' }, 'mysql')).toBe('user');
    expect(sqlTableName({ name: 'order' }, 'mariadb')).toBe('`order`');
    expect(sqlTableName({ name: 'a"b' }, 'sqlite')).toBe('"a""b"');
  });
});
