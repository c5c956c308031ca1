/**
 * Which call chains are data-layer calls (one database round trip each), by shape:
 *
 *   Prisma        `prisma.<model>.<op>(…)`, `this.prismaService.<model>.<op>`, `tx.<model>.<op>`, `$queryRaw`
 *   TypeORM       `this.userRepository.findOne(…)`, `getRepository(User).find(…)`, `manager.save(…)`,
 *                 `….createQueryBuilder(…)…getMany()`, `User.findOneBy(…)` (BaseEntity)
 *   Sequelize     `User.findByPk(…)`, `User.findAll(…)`, `db.User.create(…)`, `sequelize.query(…)`
 *   Mongoose      `User.findById(…)`, `this.userModel.findOne(…)`, `db.collection('x').findOne(…)`
 *   Knex          `knex('users').where(…).first()`, `trx('t').insert(…)`, `knex.select(…).from(…)`
 *   Drizzle       `db.select().from(t)…`, `db.insert(t).values(…)`, `db.query.users.findFirst(…)`
 *   Kysely        `db.selectFrom('t')…execute()` (and insertInto / updateTable / deleteFrom)
 *   pg, mysql2    `pool.query(…)`, `client.query(…)`, `connection.execute(…)`
 *
 * Ordinary array/Map/Set methods (`users.find`, `cache.delete`) and HTTP clients never match: the
 * receiver must be named like a data-layer object, or the method be one no collection has
 * (`findUnique`, `findByPk`, `selectFrom`). Generic names on a class (`User.create`) count only
 * when the file imports an ORM or imports/declares that name as a model.
 */
import type { ts as TypeScript } from 'ts-morph';
import { chainLabel, type Chain, type Segment } from './call-chains.js';
import { importBindings } from './qualified-names.js';

export interface DataCall {
  /** `prisma.customer.findUnique`, `knex(…).where(…).first`. */
  label: string;
  /** Handles many rows in one round trip: createMany, insertMany, bulkCreate, an `in` list, `whereIn`, `= ANY(…)`. */
  batch: boolean;
  /** A lazy query builder (Knex, Drizzle): a data call only once awaited or executed. */
  builder: boolean;
  /** Reads a moving window (skip/offset/cursor) or a bounded page (take/limit): how paging loops look. */
  paging?: 'window' | 'bound';
  /** Raw SQL that changes the schema or the session (`DROP TABLE`, `VACUUM`, `SET`): maintenance, not rows. */
  schemaChange: boolean;
  /** The chain executes itself (`.then(…)`, `.execute()`, `.all()`), so it needs no `await` to run. */
  executes: boolean;
  /** The chain's segments from the operation on (`update(…)`, `set(…)`, `where(…)` …), for judging what it writes. */
  operation: readonly Segment[];
  /** The chain's root name (`tx`, `prisma`, `db`), or `this`. */
  root: string;
  /**
   * Which kind of receiver made it a data call: a Prisma client's model (`prisma`), a repository (`repository`:
   * TypeORM's or a custom one), an entity manager (`manager`: TypeORM, MikroORM), a model class or field
   * (`model`: Sequelize, Mongoose, TypeORM's BaseEntity), or another shape (`other`). The package's ORM then says
   * what the method does (inMemoryCreate).
   */
  via?: 'prisma' | 'repository' | 'manager' | 'model' | 'other';
}

/** What a file's imports and declarations say about its data layer. */
export interface FileFacts {
  /** The file imports an ORM or driver package (so `User.create` is a model call). */
  importsOrm: boolean;
  /** Names imported from a models/entities/db module, or declared as models in the file. */
  modelNames: ReadonlySet<string>;
  /**
   * The file imports an in-memory client-side ORM (redux-orm, Vuex ORM, Pinia ORM) and no database
   * package: its models (`boardModel.update(…)`, `User.create(…)`) are objects in a store, not rows.
   */
  inMemoryModels: boolean;
}

const ORM_PACKAGE =
  /^(@prisma\/client|prisma|typeorm|@nestjs\/typeorm|sequelize|sequelize-typescript|@nestjs\/sequelize|mongoose|@nestjs\/mongoose|mongodb|knex|drizzle-orm(\/.*)?|kysely|pg|pg-promise|mysql2(\/promise)?|mysql|@mikro-orm\/.*)$/;
/** Client-side ORMs over an in-memory store (Redux, Vuex, Pinia): no database behind their models. */
const IN_MEMORY_ORM_PACKAGE = /^(redux-orm|@vuex-orm\/core|pinia-orm)$/;
const MODEL_MODULE = /(^|[/@.-])(models?|entit(y|ies)|schemas?|db|database|repositor(y|ies)|dal)([/.-]|$)/i;

export const PRISMA_OPS: ReadonlySet<string> = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'create',
  'createMany',
  'createManyAndReturn',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'upsert',
  'delete',
  'deleteMany',
  'count',
  'aggregate',
  'groupBy',
]);
/** Prisma operations no collection or other library has: recognised on any `<x>.<model>.<op>`. */
const PRISMA_DISTINCT = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'createMany',
  'createManyAndReturn',
  'updateMany',
  'updateManyAndReturn',
  'upsert',
  'deleteMany',
  'groupBy',
]);
const PRISMA_CLIENT = /prisma|^(db|tx|trx|database|transaction)$/i;
const PRISMA_RAW = /^\$(queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe|runCommandRaw)$/;

/** Methods that take many rows in one call, whatever the library. */
const BATCH_METHODS = new Set([
  'createMany',
  'createManyAndReturn',
  'insertMany',
  'bulkCreate',
  'bulkWrite',
  'bulkInsert',
  'bulkUpdate',
  'bulkDelete',
  'bulkSave',
  'whereIn',
  'orWhereIn',
  'andWhereIn',
  'whereInIds',
  'andWhereInIds',
  'orWhereInIds',
]);

/** TypeORM EntityManager / Repository operations (`create` and `merge` only build entities in memory). */
const TYPEORM_OP =
  /^(find\w*|count\w*|exists?(By)?|save|insert|update|upsert|delete|remove|softDelete|softRemove|restore|recover|increment|decrement|query|sum|average|minimum|maximum|preload|clear)$/;
/** A custom repository's own methods: `this.users.findByEmail`, `orderRepo.getOpenOrders`. */
const REPOSITORY_OP =
  /^(find|get|count|exist|save|insert|update|upsert|delete|remove|softDelete|restore|load|fetch|search|list|query|increment|decrement)/;
const NOT_REPOSITORY_OP = new Set([
  'create',
  'merge',
  'getId',
  'hasId',
  'getRepository',
  'getTreeRepository',
  'createQueryBuilder',
  'extend',
  'target',
  'metadata',
  'manager',
]);
const REPOSITORY_NAME = /(^|[a-z0-9_])(repository|repo)$/i;
const MANAGER_NAME = /^(manager|entityManager|em|transactionalEntityManager|transactionManager|entityMgr)$/;

/** Sequelize / Mongoose / TypeORM-BaseEntity static methods no collection has. */
const MODEL_DISTINCT = new Set([
  'findOne',
  'findByPk',
  'findById',
  'findAll',
  'findAndCountAll',
  'findOrCreate',
  'findCreateFind',
  'findOneAndUpdate',
  'findOneAndDelete',
  'findOneAndRemove',
  'findOneAndReplace',
  'findByIdAndUpdate',
  'findByIdAndDelete',
  'findByIdAndRemove',
  'countDocuments',
  'estimatedDocumentCount',
  'updateOne',
  'deleteOne',
  'replaceOne',
  'findAndCount',
  'findOneBy',
  'findBy',
  'findOneOrFail',
  'findOneByOrFail',
  'countBy',
  'existsBy',
  'insertMany',
  'bulkCreate',
  'bulkWrite',
]);
/** Model methods with everyday names: a model call only on a known model (`User.create` with `User` from ./models). */
const MODEL_GENERIC = new Set([
  'find',
  'create',
  'update',
  'destroy',
  'upsert',
  'count',
  'increment',
  'decrement',
  'exists',
  'aggregate',
  'distinct',
  'save',
  'insert',
  'delete',
  'remove',
  'max',
  'min',
  'sum',
  'restore',
  'updateMany',
  'deleteMany',
  'softDelete',
]);
const MODEL_HOLDER = /^(db|models?|database|sequelize|orm|tables)$/i;
const MODEL_FIELD = /^[a-z]\w*Model$|^model$/;
const BUILTIN_CLASSES = new Set([
  'Object',
  'Array',
  'Promise',
  'Math',
  'JSON',
  'Reflect',
  'Date',
  'Number',
  'String',
  'Symbol',
  'Buffer',
  'Map',
  'Set',
  'WeakMap',
  'URL',
  'Intl',
  'BigInt',
  'Error',
  'RegExp',
  'Atomics',
  'Proxy',
  'Boolean',
  'Function',
  'Crypto',
  'React',
]);
/** MongoDB collections (the driver behind Mongoose): `db.collection('users').findOne(…)`, `this.usersCollection.find(…)`. */
const COLLECTION_OP =
  /^(find|findOne|findOneAnd\w+|insertOne|insertMany|updateOne|updateMany|deleteOne|deleteMany|replaceOne|countDocuments|aggregate|distinct|bulkWrite)$/;

/** Receivers of SQL drivers and ORMs' raw-query methods (`pool.query`, `connection.execute`, `sequelize.query`). */
const SQL_RECEIVER =
  /^(pool|client|conn|connection|db|database|pg|pgPool|mysql|trx|tx|sequelize|dataSource|queryRunner|manager|entityManager|em|knex)$|(Pool|Connection|Db|Database|DataSource|PgClient|DbClient|SqlClient)$/;
/** Receivers named like a data object that are something else (GraphQL clients, buses, caches, HTTP). */
const NOT_SQL_RECEIVER =
  /http|api|graphql|gql|apollo|redis|cache|elastic|search|queue|bus|command|mediator|s3|storage/i;

/** Knex / Drizzle / Kysely query roots: `knex('t')`, `db.select()`, `trx.insert(t)`. */
const BUILDER_ROOT = /^(knex|db|trx|tx|database|kx|drizzle|orm)$|Knex$|Db$/;
const BUILDER_START = new Set([
  'select',
  'selectDistinct',
  'selectDistinctOn',
  'from',
  'table',
  'insert',
  'update',
  'del',
  'delete',
  'where',
  'first',
  'count',
  'into',
  'with',
  'raw',
  'increment',
  'decrement',
  'pluck',
  'upsert',
  'onConflict',
  'execute',
  '$count',
]);
const KYSELY_START = new Set(['selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'replaceInto', 'mergeInto']);
const KYSELY_EXECUTE = new Set(['execute', 'executeTakeFirst', 'executeTakeFirstOrThrow', 'stream']);
const QUERY_BUILDER_EXECUTE = new Set([
  'getMany',
  'getOne',
  'getOneOrFail',
  'getRawMany',
  'getRawOne',
  'getCount',
  'getManyAndCount',
  'getRawAndEntities',
  'getExists',
  'execute',
  'stream',
]);
/** Segments after which a lazy builder has run without an `await` at the call. */
const EXECUTES = new Set(['then', 'catch', 'finally', 'execute', 'run', 'all', 'get', 'stream', 'pipe', 'asCallback']);

const WINDOW_KEYS = new Set(['skip', 'offset', 'cursor', 'page', 'after', 'startAfter']);
const BOUND_KEYS = new Set(['take', 'limit', 'first', 'pageSize', 'perPage']);
const IN_KEYS = new Set(['in', '$in']);
const IN_CALLS = new Set(['In', 'inArray', 'ArrayContains', 'Any']);
const SQL_IN_LIST =
  /\bin\s*\(\s*(\$|\?|:|@)|\bin\s*\(\s*\.\.\.|=\s*any\s*\(|\bunnest\s*\(|\bvalues\s+\?|\bin\s*\(\s*:\.\.\./i;

const SCHEMA_SQL =
  /^\s*(drop|create|alter|vacuum|analy[sz]e|reindex|refresh|truncate|set|reset|lock|grant|revoke|comment|cluster|begin|commit|rollback|savepoint|listen|notify|pragma)\s+\S/i;

export function fileFacts(ts: typeof TypeScript, sourceFile: TypeScript.SourceFile): FileFacts {
  let importsOrm = false;
  let importsInMemoryOrm = false;
  const modelNames = new Set<string>();
  const usesPackage = (module: string) => {
    if (ORM_PACKAGE.test(module)) importsOrm = true;
    else if (IN_MEMORY_ORM_PACKAGE.test(module)) importsInMemoryOrm = true;
  };
  // Names bound from a models module (the code-analysis layer's import bindings: ES imports, `require`,
  // destructuring); a namespace import binds the module, not a model.
  for (const [local, { module, path }] of importBindings(ts, sourceFile)) {
    usesPackage(module);
    if (
      !ORM_PACKAGE.test(module) &&
      !IN_MEMORY_ORM_PACKAGE.test(module) &&
      MODEL_MODULE.test(module) &&
      path.length > 0
    )
      modelNames.add(local);
  }
  for (const statement of sourceFile.statements) {
    // A file that imports the package at all uses it: a type-only import (`PrismaClient` as a parameter's
    // type) or a bare `import 'pg'` too, which bind no value.
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      usesPackage(statement.moduleSpecifier.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer;
        if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(declaration.name)) continue;
        // mongoose.model('User', schema), sequelize.define('user', {…})
        if (/(^|\.)(model|define)$/.test(init.expression.getText(sourceFile))) modelNames.add(declaration.name.text);
      }
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      const base = statement.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      if (base && /^(Model|BaseEntity)\b/.test(base.expression.getText(sourceFile)))
        modelNames.add(statement.name.text);
    }
  }
  return { importsOrm, modelNames, inMemoryModels: importsInMemoryOrm && !importsOrm };
}

/** The chain as a data-layer call, or undefined when it is not one. */
export function dataCall(ts: typeof TypeScript, chain: Chain, facts: FileFacts): DataCall | undefined {
  const s = chain.segments;
  const at = recognise(s, chain.fromThis, facts);
  if (at === undefined) return undefined;
  const { index, builder, via = 'other' } = at;
  const found = inspect(ts, s);
  return {
    label: chainLabel(chain, builder ? s.length : index + 1),
    batch: found.batch || s.some((segment) => BATCH_METHODS.has(segment.name) && segment.args !== undefined),
    builder,
    paging: found.paging,
    schemaChange: found.schemaChange,
    executes: s.slice(index + 1).some((segment) => EXECUTES.has(segment.name) && segment.args !== undefined),
    operation: s.slice(index),
    root: chain.fromThis ? 'this' : (s[0]?.name ?? ''),
    via,
  };
}

/** ORMs whose `create` only builds an entity in memory (TypeORM's `repository.create`, `Entity.create`, `em.create`). */
const IN_MEMORY_CREATE_ORM = /^(typeorm|@nestjs\/typeorm|@mikro-orm\/core)$/;
/** ORMs whose `Model.create(…)` inserts a row (Sequelize, Mongoose): the same shape runs a query there. */
const INSERTING_CREATE_ORM =
  /^(sequelize|sequelize-typescript|@nestjs\/sequelize|mongoose|@nestjs\/mongoose|objection|@prisma\/client|prisma)$/;

/**
 * The call is a TypeORM or MikroORM `create(…)` — on a repository, an entity manager or an entity class — that
 * ends the chain (no `.save()` after it): it builds an entity object and runs no query. Known only when the
 * package depends on such an ORM and on none whose `create` inserts (`dataLayers`: CodeFile.packageDataLayers;
 * a package with both, or naming none, is not known, so its calls stay queries).
 */
export function inMemoryCreate(call: DataCall, dataLayers: readonly string[] | undefined): boolean {
  if (call.via !== 'repository' && call.via !== 'manager' && call.via !== 'model') return false;
  if (call.operation.length !== 1 || call.operation[0]!.name !== 'create') return false;
  const layers = dataLayers ?? [];
  return (
    layers.some((name) => IN_MEMORY_CREATE_ORM.test(name)) && !layers.some((name) => INSERTING_CREATE_ORM.test(name))
  );
}

/** ORMs that hand out an entity manager (`manager.findOne(User, …)`, `em.persist(…)`): TypeORM, MikroORM. */
const ENTITY_MANAGER_ORM = /^(typeorm|@nestjs\/typeorm|@mikro-orm\/.+)$/;
/** Where TypeORM keeps its entity manager: `dataSource.manager`, `queryRunner.manager`, `this.connection.manager`. */
const ENTITY_MANAGER_OWNER = /^(dataSource|queryRunner|connection)$|(DataSource|QueryRunner|Connection)$/;

/**
 * The call is on an object only named like an entity manager (`manager.find(…)`, `em.delete(…)`): the file imports
 * no ORM or database driver, its package depends on no ORM that has an entity manager (TypeORM, MikroORM;
 * `dataLayers`: CodeFile.packageDataLayers), and the manager is not taken from a data source or query runner.
 * `manager` is a common name for a project's own objects — a user's drive tree held in memory, a session or
 * window manager — whose `find` and `delete` walk memory; with no ORM behind the name, nothing says a query runs.
 */
export function managerWithoutOrm(
  chain: Chain,
  call: DataCall,
  dataLayers: readonly string[] | undefined,
  facts: FileFacts,
): boolean {
  if (call.via !== 'manager' || facts.importsOrm) return false;
  if ((dataLayers ?? []).some((name) => ENTITY_MANAGER_ORM.test(name))) return false;
  // The operation follows the manager: `dataSource.manager.save(…)` is [dataSource, manager, save].
  const owner = chain.segments[chain.segments.length - call.operation.length - 2];
  return !(owner && ENTITY_MANAGER_OWNER.test(owner.name));
}

/** Index of the operation segment, and whether the chain is a lazy builder. */
function recognise(
  s: readonly Segment[],
  fromThis: boolean,
  facts: FileFacts,
): { index: number; builder: boolean; via?: DataCall['via'] } | undefined {
  if (s.length === 0) return undefined;
  const called = (i: number) => s[i]?.args !== undefined;
  const name = (i: number) => s[i]?.name ?? '';

  for (let i = 1; i < s.length; i++) {
    if (!called(i)) continue;
    const op = name(i);
    const receiver = name(i - 1);
    const receiverCalled = called(i - 1);

    // Prisma: <client>.<model>.<op>(…) and <client>.$queryRaw`…`
    if (PRISMA_RAW.test(op)) return { index: i, builder: false };
    if (i >= 2 && PRISMA_OPS.has(op) && !receiverCalled && receiver !== '[]') {
      if (PRISMA_DISTINCT.has(op) || (!called(i - 2) && PRISMA_CLIENT.test(name(i - 2))))
        return { index: i, builder: false, via: 'prisma' };
    }
    // Kysely: db.selectFrom('t')…execute()
    if (KYSELY_START.has(op)) {
      const exec = s.findIndex((seg, j) => j > i && KYSELY_EXECUTE.has(seg.name) && seg.args !== undefined);
      return exec >= 0 ? { index: exec, builder: false } : undefined;
    }
    // TypeORM query builder: ….createQueryBuilder(…)…getMany()
    if (op === 'createQueryBuilder') {
      const exec = s.findIndex((seg, j) => j > i && QUERY_BUILDER_EXECUTE.has(seg.name) && seg.args !== undefined);
      return exec >= 0 ? { index: exec, builder: false } : undefined;
    }
    // TypeORM repositories (also `getRepository(User).find`) and custom repositories.
    if (!receiverCalled && REPOSITORY_NAME.test(receiver) && REPOSITORY_OP.test(op) && !NOT_REPOSITORY_OP.has(op))
      return { index: i, builder: false, via: 'repository' };
    if (
      receiverCalled &&
      /^(getRepository|getCustomRepository|withRepository|getTreeRepository)$/.test(receiver) &&
      TYPEORM_OP.test(op)
    ) {
      return { index: i, builder: false, via: 'repository' };
    }
    // TypeORM EntityManager: manager.findOne(User, …), queryRunner.manager.save(…)
    if (!receiverCalled && MANAGER_NAME.test(receiver) && TYPEORM_OP.test(op))
      return { index: i, builder: false, via: 'manager' };
    // Sequelize / Mongoose / BaseEntity models: User.findByPk(…), this.userModel.findOne(…), db.User.create(…)
    if (!receiverCalled && isModelReceiver(s, i - 1, fromThis, facts, op))
      return { index: i, builder: false, via: 'model' };
    // MongoDB collections: db.collection('users').findOne(…), this.usersCollection.find(…)
    if (
      COLLECTION_OP.test(op) &&
      ((receiver === 'collection' && receiverCalled) || (!receiverCalled && /Collection$/.test(receiver)))
    ) {
      return { index: i, builder: false };
    }
    // SQL drivers and raw queries: pool.query(…), connection.execute(…), sequelize.query(…)
    if (
      (op === 'query' || op === 'execute') &&
      !receiverCalled &&
      SQL_RECEIVER.test(receiver) &&
      !NOT_SQL_RECEIVER.test(receiver)
    ) {
      if (i === 1 || !NOT_SQL_RECEIVER.test(name(i - 2))) {
        if (!isGraphQlArgument(s[i]!)) return { index: i, builder: false };
      }
    }
  }
  // Knex / Drizzle builders: knex('users')…, db.select()…, trx.insert(t)…
  const root = name(0);
  if (BUILDER_ROOT.test(root)) {
    if (called(0)) return { index: 0, builder: true };
    if (s.length > 1 && called(1) && BUILDER_START.has(name(1))) return { index: 1, builder: true };
    // Drizzle relational queries: db.query.users.findFirst(…)
    if (name(1) === 'query' && !called(1) && s.length > 3 && /^find(First|Many)$/.test(name(3)) && called(3))
      return { index: 3, builder: true };
  }
  return undefined;
}

function isModelReceiver(s: readonly Segment[], i: number, fromThis: boolean, facts: FileFacts, op: string): boolean {
  const receiver = s[i]!.name;
  const distinct = MODEL_DISTINCT.has(op);
  const generic = MODEL_GENERIC.has(op);
  if ((!distinct && !generic) || facts.inMemoryModels) return false;
  // this.userModel.findOne(…), models.user? No: a `*Model` field injected by @InjectModel.
  if (MODEL_FIELD.test(receiver)) return true;
  if (!/^[A-Z][A-Za-z0-9]+$/.test(receiver) || BUILTIN_CLASSES.has(receiver)) return false;
  if (i === 0 && !fromThis) return distinct || facts.importsOrm || facts.modelNames.has(receiver);
  // db.User.create(…), models.Order.findAll(…)
  return distinct || (i === 1 && !fromThis && MODEL_HOLDER.test(s[0]!.name));
}

/** Apollo-style `client.query({ query: GET_USER })` is GraphQL, not SQL. */
function isGraphQlArgument(segment: Segment): boolean {
  const first = segment.args?.[0] as TypeScript.Node | undefined;
  if (!first || !('properties' in first)) return false;
  const properties = (first as TypeScript.ObjectLiteralExpression).properties;
  return properties.some(
    (p) => p.name !== undefined && 'text' in p.name && (p.name.text === 'query' || p.name.text === 'mutation'),
  );
}

/** Batch filters (`in` lists, `whereIn`, `= ANY($1)`) and paging keys in the chain's arguments (not inside callbacks). */
function inspect(
  ts: typeof TypeScript,
  s: readonly Segment[],
): { batch: boolean; schemaChange: boolean; paging?: 'window' | 'bound' } {
  let batch = false;
  let schemaChange = false;
  let window = false;
  let bound = false;
  const visit = (node: TypeScript.Node): void => {
    if (batch) return;
    if (ts.isFunctionLike(node)) return;
    if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) {
      const key = propertyKey(ts, node.name);
      if (key !== undefined) {
        if (IN_KEYS.has(key) || key === 'Op.in' || key === 'Op.any') batch = true;
        if (WINDOW_KEYS.has(key)) window = true;
        if (BOUND_KEYS.has(key)) bound = true;
      }
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && IN_CALLS.has(node.expression.text)) {
      batch = true;
    } else if (ts.isStringLiteralLike(node) || ts.isTemplateExpression(node)) {
      const text = ts.isTemplateExpression(node)
        ? [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ')
        : node.text;
      if (SQL_IN_LIST.test(text)) batch = true;
      if (/\boffset\b/i.test(text)) window = true;
      if (/\blimit\b/i.test(text)) bound = true;
    }
    ts.forEachChild(node, visit);
  };
  for (const segment of s) {
    if (WINDOW_KEYS.has(segment.name) && segment.args) window = true;
    if (BOUND_KEYS.has(segment.name) && segment.args) bound = true;
    const args = segment.args ?? [];
    // A string, a template, or a tagged template (`pool.query(sql\`alter table …\`)`, slonik / postgres.js).
    const first = args[0] && ts.isTaggedTemplateExpression(args[0]) ? args[0].template : args[0];
    const sql = first && (ts.isStringLiteralLike(first) || ts.isTemplateExpression(first)) ? first.getText() : '';
    if (SCHEMA_SQL.test(sql.slice(1))) schemaChange = true;
    else if (first && !sql && RAW_SQL_METHODS.test(segment.name) && builtBySchemaBuilder(ts, first))
      schemaChange = true;
    // Kysely / Knex: .where('id', 'in', ids)
    if (args.length >= 3 && ts.isStringLiteral(args[1]!) && /^(in|= any)$/i.test(args[1].text)) batch = true;
    for (const arg of args) visit(arg);
  }
  return { batch, schemaChange, paging: window ? 'window' : bound ? 'bound' : undefined };
}

/** Methods that run SQL text given to them. */
const RAW_SQL_METHODS = /^(\$?(executeRaw|queryRaw)(Unsafe)?|query|execute|raw|exec|run)$/;
/**
 * SQL built by a schema builder (`knex.schema.alterTable(…).toSQL()`) or by a function named for a
 * schema change (`dialect.modifyColumnSchema(…)`, `duplicateTable(…)`, `createIndexSql(…)`): DDL.
 */
const SCHEMA_BUILDER =
  /\.schema\s*\.\s*(alterTable|createTable\w*|table|dropTable\w*|renameTable|createSchema\w*|dropSchema\w*|withSchema)\s*\(/;
const SCHEMA_GENERATOR =
  /\.(create|alter|drop|rename|duplicate|modify|add)(Table|Column|Index|Schema|Constraint|AutoNumber|View|Trigger)\w*\s*\(/;

/**
 * Whether the SQL argument (`sql`, `statement.sql`) holds a value from a schema builder or
 * generator: a variable (its initializer or assignments in its scope) or a `for…of` binding over
 * such statements, followed through at most three names (`alterTable.toSQL()` → `alterTable`).
 */
function builtBySchemaBuilder(ts: typeof TypeScript, arg: TypeScript.Node, depth = 0): boolean {
  if (ts.isConditionalExpression(arg))
    return builtBySchemaBuilder(ts, arg.whenTrue, depth) || builtBySchemaBuilder(ts, arg.whenFalse, depth);
  const root = rootName(ts, arg);
  if (!root || depth > 2) return false;
  const source = root.getSourceFile();
  return valuesOf(ts, root).some((value) => {
    const text = value.getText(source);
    return SCHEMA_BUILDER.test(text) || SCHEMA_GENERATOR.test(text) || builtBySchemaBuilder(ts, value, depth + 1);
  });
}

/** `a.b.c()` / `a.toSQL()[0]` → `a`; undefined for `this.…` and anything not rooted in a plain name. */
function rootName(ts: typeof TypeScript, node: TypeScript.Node): TypeScript.Identifier | undefined {
  let current = node;
  while (
    ts.isPropertyAccessExpression(current) ||
    ts.isCallExpression(current) ||
    ts.isElementAccessExpression(current) ||
    ts.isParenthesizedExpression(current)
  ) {
    current = current.expression;
  }
  return ts.isIdentifier(current) ? current : undefined;
}

/** What the variable `id` is given in its scope: its initializer and assignments, or the collection a `for…of` binding it walks. */
function valuesOf(ts: typeof TypeScript, id: TypeScript.Identifier): TypeScript.Expression[] {
  for (let scope: TypeScript.Node | undefined = id.parent; scope; scope = scope.parent) {
    if (ts.isForOfStatement(scope) && ts.isVariableDeclarationList(scope.initializer)) {
      if (scope.initializer.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === id.text))
        return [scope.expression];
    }
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      const declaration = statement.declarationList.declarations.find(
        (d) => ts.isIdentifier(d.name) && d.name.text === id.text,
      );
      if (!declaration) continue;
      const values: TypeScript.Expression[] = declaration.initializer ? [declaration.initializer] : [];
      if (!(statement.declarationList.flags & ts.NodeFlags.Const)) {
        const visit = (node: TypeScript.Node): void => {
          if (
            ts.isBinaryExpression(node) &&
            node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
            ts.isIdentifier(node.left) &&
            node.left.text === id.text
          )
            values.push(node.right);
          ts.forEachChild(node, visit);
        };
        visit(scope);
      }
      return values;
    }
  }
  return [];
}

function propertyKey(ts: typeof TypeScript, name: TypeScript.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const expression = name.expression;
    if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression))
      return `${expression.expression.text}.${expression.name.text}`;
  }
  return undefined;
}
