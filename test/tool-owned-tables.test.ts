/** Which tables a migration tool owns: named only by tools, or the generic `migrations` with only bookkeeping columns. */
import { describe, expect, it } from 'vitest';
import { authAdapterTableOf, isAuthJsModel, migrationToolOf } from '../src/model/tool-owned-tables.js';

const table = (name: string, columns: string[]) => ({
  name: { name },
  columns: columns.map((column) => ({
    name: column,
    type: { name: 'text', array: false },
    nullable: true,
    origin: { file: 'x.sql' },
  })),
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

describe('authAdapterTableOf', () => {
  const withUnique = (columns: string[], unique: string[]) => ({
    ...table('VerificationToken', columns),
    uniques: [],
    indexes: [
      {
        table: { name: 'VerificationToken' },
        columns: unique,
        unique: true,
        partial: false,
        expression: false,
        origin: { file: 'x.sql' },
      },
    ],
  });
  it('knows the Auth.js verification-token model by its exact shape', () => {
    expect(authAdapterTableOf(withUnique(['identifier', 'token', 'expires'], ['identifier', 'token']))).toBe('Auth.js');
    expect(
      authAdapterTableOf(withUnique(['identifier', 'token', 'expires', 'failedAttempts'], ['identifier', 'token'])),
    ).toBe('Auth.js');
  });
  it("does not take a token table of the team's own design for it", () => {
    expect(
      authAdapterTableOf(
        withUnique(['deviceIdentifier', 'token', 'userUid', 'expiresOn'], ['deviceIdentifier', 'token']),
      ),
    ).toBeUndefined();
    expect(authAdapterTableOf(withUnique(['identifier', 'token', 'expires'], ['token']))).toBeUndefined();
  });
  it('knows the Auth.js v5 session model: unique sessionToken, userId, expires, no key', () => {
    expect(authAdapterTableOf(withUnique(['sessionToken', 'userId', 'expires', 'createdAt'], ['sessionToken']))).toBe(
      'Auth.js',
    );
    expect(authAdapterTableOf(withUnique(['session_token', 'user_id', 'expires'], ['session_token']))).toBe('Auth.js');
    // Unique with another column, or a session table of the team's own design: not the adapter's.
    expect(authAdapterTableOf(withUnique(['sessionToken', 'userId', 'expires'], ['userId', 'sessionToken']))).toBe(
      undefined,
    );
    expect(authAdapterTableOf(withUnique(['token', 'deviceId', 'expires'], ['token']))).toBeUndefined();
  });

  it('knows the Auth.js account model by provider account, and not the account model of better-auth', () => {
    expect(
      isAuthJsModel(
        withUnique(['id', 'userId', 'type', 'provider', 'providerAccountId'], ['provider', 'providerAccountId']),
      ),
    ).toBe(true);
    expect(
      isAuthJsModel(
        withUnique(['id', 'user_id', 'provider', 'provider_account_id'], ['provider_account_id', 'provider']),
      ),
    ).toBe(true);
    expect(isAuthJsModel(withUnique(['id', 'userId', 'provider', 'providerAccountId'], ['providerAccountId']))).toBe(
      false,
    );
    expect(isAuthJsModel(withUnique(['id', 'userId', 'providerId', 'accountId'], ['providerId', 'accountId']))).toBe(
      false,
    );
    expect(isAuthJsModel(withUnique(['sessionToken', 'userId', 'expires'], ['sessionToken']))).toBe(true);
  });
});
