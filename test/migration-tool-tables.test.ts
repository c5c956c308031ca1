/** Which tables a migration tool owns: named only by tools, or the generic `migrations` with only bookkeeping columns. */
import { describe, expect, it } from 'vitest';
import { migrationToolOf } from '../src/model/migration-tool-tables.js';

const table = (name: string, columns: string[]) => ({
  name: { name },
  columns: columns.map((column) => ({ name: column, type: { name: 'text', array: false }, nullable: true, origin: { file: 'x.sql' } })),
});

describe('migrationToolOf', () => {
  it('knows tables named only by migration tools, in any case', () => {
    expect(migrationToolOf(table('knex_migrations', ['id', 'name', 'batch', 'migration_time']))).toBe('knex');
    expect(migrationToolOf(table('flyway_schema_history', ['installed_rank']))).toBe('Flyway');
    expect(migrationToolOf(table('SequelizeMeta', ['name']))).toBe('Sequelize');
  });
  it('takes a generic `migrations` table only when it has nothing but bookkeeping columns', () => {
    expect(migrationToolOf(table('migrations', ['id', 'name', 'run_on']))).toBeDefined();
    expect(migrationToolOf(table('migrations', ['id', 'timestamp', 'name']))).toBeDefined();
    expect(migrationToolOf(table('migrations', ['id', 'name', 'source_system', 'started_at']))).toBeUndefined();
    expect(migrationToolOf(table('migrations', ['id', 'run_on']))).toBeUndefined();
  });
  it('leaves application tables alone', () => {
    expect(migrationToolOf(table('orders', ['id', 'name']))).toBeUndefined();
  });
});
