/** Which call chains perf/no-n-plus-one treats as one data-layer round trip (and which are batches). */
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { chainAt } from '../rules/perf/_lib/chains.js';
import { dataCall, fileFacts, inMemoryCreate, managerWithoutOrm } from '../rules/perf/_lib/data-calls.js';

/** Classifies the outermost call of the last statement, with the statements before it as the file's imports. */
function classify(code: string) {
  const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
  const last = source.statements[source.statements.length - 1]!;
  let top: ts.Node = (last as ts.ExpressionStatement).expression;
  if (ts.isAwaitExpression(top)) top = top.expression;
  const chain = chainAt(ts, top);
  return chain && dataCall(ts, chain, fileFacts(ts, source));
}

describe('data-layer calls', () => {
  it.each([
    ['prisma.user.findUnique({ where: { id } })', 'prisma.user.findUnique'],
    ['this.prismaService.order.update({ where: { id }, data })', 'this.prismaService.order.update'],
    ['tx.invoice.count()', 'tx.invoice.count'],
    ['getClient().user.findMany({ where: { teamId } })', 'getClient(…).user.findMany'],
    ['this.userRepository.findOneBy({ id })', 'this.userRepository.findOneBy'],
    ['dataSource.getRepository(User).save(user)', 'dataSource.getRepository(…).save'],
    ['this.manager.findOne(User, { where: { id } })', 'this.manager.findOne'],
    ['this.profileModel.findOne({ userId }).lean()', 'this.profileModel.findOne'],
    ["db.collection('visits').countDocuments({ userId })", 'db.collection(…).countDocuments'],
    ["pool.query('SELECT 1 WHERE id = $1', [id])", 'pool.query'],
    ["this.connection.execute('UPDATE t SET x = ? WHERE id = ?', [x, id])", 'this.connection.execute'],
    [
      "kysely.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()",
      'kysely.selectFrom(…).selectAll(…).where(…).executeTakeFirst',
    ],
    ["knex('users').where({ id }).first()", 'knex(…).where(…).first'],
    ['db.select().from(users).where(eq(users.id, id))', 'db.select(…).from(…).where'],
    ["import { User } from './models';\nUser.create({ name })", 'User.create'],
    ['Document.findByPk(id)', 'Document.findByPk'],
  ])('%s', (code, label) => {
    expect(classify(code)?.label).toBe(label);
  });

  it.each([
    'users.find((u) => u.id === id)',
    'cache.delete(id)',
    'this.cache.users.delete(id)',
    'map.get(id)',
    'Object.create(null)',
    'axios.get(url)',
    "client.query({ query: 'query { me { id } }' })",
    'this.queryBus.execute(new GetUser(id))',
    'this.usersService.findOne(id)',
    'User.create({ name })', // no ORM import and no model import: an ordinary class
    'this.userRepository.create({ name })', // TypeORM create builds an entity in memory
    "qb.andWhere('x = 1')",
  ])('not %s', (code) => {
    expect(classify(code)).toBeUndefined();
  });

  it.each([
    'prisma.user.findMany({ where: { id: { in: ids } } })',
    'prisma.membership.createMany({ data })',
    'repo.findBy({ id: In(ids) })',
    "knex('users').whereIn('id', ids)",
    "kysely.selectFrom('users').selectAll().where('id', 'in', ids).execute()",
    "pool.query('SELECT * FROM users WHERE id = ANY($1)', [ids])",
    'Order.findAll({ where: { id: { [Op.in]: ids } } })',
    'Profile.insertMany(rows)',
    'Profile.find({ _id: { $in: ids } })',
    'db.select().from(users).where(inArray(users.id, ids))',
  ])('batch: %s', (code) => {
    expect(classify(`import { Model } from 'sequelize';\n${code}`)?.batch).toBe(true);
  });

  it('reads paging and schema changes', () => {
    expect(classify('prisma.order.findMany({ take: 100, skip })')?.paging).toBe('window');
    expect(classify('prisma.order.findMany({ take: 100 })')?.paging).toBe('bound');
    expect(classify('pool.query(`DROP TABLE IF EXISTS "${name}"`)')?.schemaChange).toBe(true);
    expect(classify("pool.query('SELECT 1')")?.schemaChange).toBe(false);
    // A tagged template (slonik / postgres.js `sql\`…\``) is read like a string.
    expect(classify('pool.query(sql`alter table ${table} add column tenant_id text`)')?.schemaChange).toBe(true);
    expect(classify('pool.query(sql`select * from ${table} where id = ${id}`)')?.schemaChange).toBe(false);
  });
});

describe('file facts', () => {
  const facts = (code: string) => {
    const result = fileFacts(ts, ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true));
    return { importsOrm: result.importsOrm, models: [...result.modelNames].sort() };
  };

  it('reads model names from the import bindings of a models module, not a namespace import', () => {
    expect(
      facts(`
        import Post, { Comment, type Draft } from './models';
        import * as entities from '../entities';
        const { User, Team: Group } = require('./db/models');
        const Invoice = require('./models/invoice');
        const Order = require('./models').Order;
      `),
    ).toEqual({ importsOrm: false, models: ['Comment', 'Group', 'Invoice', 'Order', 'Post', 'User'] });
  });

  it('counts an ORM package imported only as a type, bare or through require', () => {
    expect(facts(`import type { PrismaClient } from '@prisma/client';`).importsOrm).toBe(true);
    expect(facts(`import 'pg';`).importsOrm).toBe(true);
    expect(facts(`const { Pool } = require('pg');`).importsOrm).toBe(true);
    expect(facts(`import { z } from 'zod';`).importsOrm).toBe(false);
  });
});

describe('creates that build an entity in memory', () => {
  it('never takes a repository or entity manager create for a query', () => {
    expect(classify("import { Repository } from 'typeorm';\nthis.userRepository.create({ name })")).toBeUndefined();
    expect(classify("import { EntityManager } from 'typeorm';\nmanager.create(User, { name })")).toBeUndefined();
  });

  const typeorm = ['typeorm', 'pg'];
  it.each([
    ["import { BackupCode } from './entities';\nBackupCode.create({ code })", typeorm, true],
    // The same shapes insert a row in Sequelize or Mongoose, or when the package's ORM is not known.
    ["import { BackupCode } from './entities';\nBackupCode.create({ code })", ['sequelize'], false],
    ["import { BackupCode } from './entities';\nBackupCode.create({ code })", ['typeorm', 'mongoose'], false],
    ["import { BackupCode } from './entities';\nBackupCode.create({ code })", [], false],
    // Saved in the same chain, or a Prisma model's create: a query.
    ["import { BackupCode } from './entities';\nBackupCode.create({ code }).save()", typeorm, false],
    ['prisma.user.create({ data })', typeorm, false],
  ] as const)('%s with %j', (code, layers, inMemory) => {
    const call = classify(code);
    expect(call).toBeDefined();
    expect(inMemoryCreate(call!, layers)).toBe(inMemory);
  });
});

describe('entity managers with no ORM behind them', () => {
  /** The data call of the last statement, with its chain and the file's facts, for managerWithoutOrm. */
  function managerCall(code: string, layers: readonly string[]) {
    const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
    const last = source.statements[source.statements.length - 1]!;
    let top: ts.Node = (last as ts.ExpressionStatement).expression;
    if (ts.isAwaitExpression(top)) top = top.expression;
    const chain = chainAt(ts, top)!;
    const facts = fileFacts(ts, source);
    const call = dataCall(ts, chain, facts)!;
    expect(call).toBeDefined();
    return managerWithoutOrm(chain, call, layers, facts);
  }

  it.each([
    // A project's own `manager` (a drive tree in memory): no ORM in the package or the file.
    ['store.manager.findFile(id)', [], true],
    ['manager.delete({ paths })', ['pg'], true],
    // The package or the file names an ORM with an entity manager, or the manager is a data source's.
    ['manager.findOne(User, { where: { id } })', ['typeorm'], false],
    ['this.em.find(Order, { status })', ['@mikro-orm/core'], false],
    ["import { EntityManager } from 'typeorm';\nmanager.save(user)", [], false],
    ['queryRunner.manager.findOne(User, { where: { id } })', [], false],
    ['this.dataSource.manager.increment(User, { id }, "logins", 1)', [], false],
    // Not an entity manager's call at all.
    ['this.userRepository.findOneBy({ id })', [], false],
  ] as const)('%s with %j', (code, layers, unbacked) => {
    expect(managerCall(code, layers)).toBe(unbacked);
  });
});
