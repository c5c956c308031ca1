import type { ts as TypeScript } from 'ts-morph';
import {
  calleeName,
  callsRemoteRepository,
  compilerNodeOrigin,
  defineRule,
  fixedSetOf,
  inBulkOperation,
  iteratedSetSource,
  mayQuerySynchronously,
  partsOfHandedObject,
  resultUsedSynchronously,
  unwrapExpression,
  type CallersOf,
  type CodeFile,
} from '../../src/rule-api.js';
import { chainAt } from './_lib/chains.js';
import {
  dataCall,
  fileFacts,
  inMemoryCreate,
  managerWithoutOrm,
  type DataCall,
  type FileFacts,
} from './_lib/data-calls.js';
import { unbatchable } from './_lib/necessity.js';
import { batchedByPrismaDataloader, collectedForBatchTransaction } from './_lib/prisma-batching.js';
import { IMPORT_FUNCTION, isOneOffForQueries } from './_lib/one-off-code.js';
import {
  awaitedWithin,
  callbackIteration,
  functionRuns,
  isPerElementTransaction,
  isReturned,
  loopIteration,
  type Iteration,
} from './_lib/iteration.js';

type MessageId =
  | 'perElement'
  | 'perElementWrite'
  | 'perElementUnknownSet'
  | 'perElementWriteUnknownSet'
  | 'perElementOneRow'
  | 'perElementWriteOneRow';

/**
 * `untracedSets` (option): what to do with a loop whose set archlint cannot size — a set it cannot trace, or the
 * related rows of one row read by key. 'note' (the default) reports it as a note; 'off' does not report it. See
 * the rule's `why` and bench/realworld/README.md for what each costs on labelled code.
 */
type UntracedSets = 'note' | 'off';
function untracedSetsOption(options: Readonly<Record<string, unknown>>): UntracedSets {
  const value = options.untracedSets;
  if (value === undefined || value === 'note' || value === 'off') return value ?? 'note';
  throw new Error(`perf/no-n-plus-one: option untracedSets must be "note" or "off", not ${JSON.stringify(value)}`);
}

/** Cheap text tests before a file is walked: it must iterate and mention something data-layer-like. */
const ITERATES = /\b(for|while)\s*\(|\bdo\s*\{|\.(forEach|map|flatMap|reduce|reduceRight)\(/;
const MENTIONS_DATA_LAYER =
  /prisma|repo|Repository|Model|knex|\bdb\b|\btrx?\b|\.(query|execute)\(|\.find[A-Z]\w*\(|selectFrom|insertInto|updateTable|deleteFrom|sequelize|mongoose|collection|\$queryRaw|manager|\bem\b|\bpool\b|connection|\.(find|create|update|destroy|count|save|insert|delete)\(/;
interface State {
  iteration?: Iteration;
  /** Inside the arguments of a data call: a sub-query there is part of that call. */
  inQuery: boolean;
}

/** The call changes rows (`update`, `create`, `delete`, `insert`…): the fix batches writes, not a read before the loop. */
const WRITE = /^(create|insert|update|upsert|delete|destroy|remove|save|increment|decrement|bulk)/i;
const writes = (call: { operation: ReadonlyArray<{ name: string }> }) =>
  call.operation.length > 0 && WRITE.test(call.operation[0]!.name);
/** SQL text that changes rows: `db.exec('UPDATE …')`, sql`INSERT …`. */
const WRITE_SQL = /^\s*(insert|update|delete|replace|upsert|merge)\b/i;
/** The call writes: by its operation's name, or by the first SQL text its chain is given (`db.prepare('UPDATE …').run()`). */
function writesRows(ts: typeof TypeScript, node: TypeScript.Node, call: DataCall): boolean {
  if (writes(call)) return true;
  let text: string | undefined;
  const visit = (child: TypeScript.Node): void => {
    if (text !== undefined || ts.isFunctionLike(child)) return;
    if (ts.isStringLiteralLike(child)) text = child.text;
    else if (ts.isTemplateExpression(child)) text = child.head.text;
    else ts.forEachChild(child, visit);
  };
  visit(node);
  return text !== undefined && WRITE_SQL.test(text);
}

export default defineRule<MessageId>({
  meta: {
    id: 'perf/no-n-plus-one',
    title: 'Data is loaded in batches, not with one query per element',
    severity: 'warning',
    requires: ['code'],
    scope: 'file',
    tags: ['performance', 'database'],
    why:
      'A query inside a loop runs once per element: listing 50 orders with their customers costs 51 round trips, and 5,000 ' +
      'orders cost 5,001. Each round trip pays network latency and a connection from the pool, so the endpoint slows down ' +
      'linearly with the data and a busy one exhausts the pool for everyone else. It passes every test on a small database ' +
      'and shows up in production. `Promise.all` over the elements only makes the N queries concurrent: still N queries, and ' +
      "N connections at once. A loop over a set archlint cannot trace to rows, one row's relation, a request's array " +
      "or a caller passing one (a parameter, a helper's result, a parsed file) is reported as a note: how large the set " +
      'gets is not known, and on labelled code most such loops walked a handful. So is a loop over the related rows of ' +
      "one row read by key (`const plan = await prisma.plan.findUnique(…); for (const price of plan.prices)`): one parent's " +
      "children, as many as that parent has — on labelled code a book's authors, a workflow's steps, far more often " +
      "than a category's thousand bookmarks. A loop in a function named for many rows (`bulkCreate`, `upsertMany`, " +
      '`handleBatchUpdateCell`) is a warning even when archlint cannot trace its set: the name says callers hand it all ' +
      'the rows they have. The option `untracedSets: "off"` (default `"note"`) drops the notes: on the labelled code ' +
      'never read while fixing they were almost all wrong, but on the rest they held about a third of the true findings. ' +
      "A loop over a set fixed before the service serves anyone is not reported: elements written in the code, a configuration file or the environment — a boot seed of bundled YAML (`for (const pack of yaml.parse(bundledPacks))`), a one-time migration of the accounts an operator listed (`JSON.parse(process.env.LEGACY_USERS)`), a `config` module's or a JSON file's list, a module constant's list, a file read from a path the code writes — are as many as someone wrote, a handful, and batching them saves nothing anyone would notice.",
    fix:
      'Load all the rows in one query before the loop and look them up in memory: collect the ids, call ' +
      '`findMany({ where: { id: { in: ids } } })` / `findBy({ id: In(ids) })` / `whereIn("id", ids)` / `= ANY($1)`, and build a ' +
      '`Map` by id; or let the ORM join (`include`, `relations`, `populate`). Write with `createMany` / `insertMany` / ' +
      '`bulkCreate` / a multi-row `insert`. For very large sets, loop over fixed-size chunks and make one batch call per ' +
      'chunk. One loop is one finding, at its first per-element call; its other calls are listed with it. ' +
      'Not reported: a bundle (a minified build or a vendored library: its sources are judged, not the copy of them), ' +
      'a call on an object only named like an entity manager (`store.manager.findFile(id)`, `em.delete(…)`) in a package ' +
      'that depends on no ORM with one (TypeORM, MikroORM), in a file that imports no database package, and not taken from ' +
      "a data source or query runner (`queryRunner.manager`): `manager` is a common name for a project's own objects — " +
      "a user's drive tree held in memory — and nothing shows a query behind it; " +
      'calls to a repository that the code shows reaches no database (a `ChainsRepository` whose class ' +
      'holds only API clients — `configApi`, `transactionApiManager` — or other such repositories, and makes no data-layer ' +
      'call: each call is a request to another service, which a batch query cannot replace) and to a repository method ' +
      'declared synchronous that makes no data-layer call (`static getActivityTypes(options): ActivityTypeSettings`: ' +
      'in-memory work), a read in a package whose only database runs in the process (SQLite through `sqlite3` or ' +
      '`better-sqlite3` in its package.json, and no client of a database reached over a network — `pg`, `mysql2`, ' +
      '`mongodb`, Prisma, whose schema may name any provider): each query is a library call with no round trip to pay, ' +
      "as SQLite's own documentation says of many small queries (a write there still commits on its own, so writes stay " +
      'reported), a call whose result the code uses as a value without waiting (a member read straight off it, or a ' +
      'variable declared with a type that is no promise and only read through its members: ' +
      '`const value: Option<FieldValue> = FieldValueFactory.create(field, raw); if (value.isSome()) …`; an untyped variable ' +
      'never waited for that the code reads a member or an element of, iterates, destructures or tests for truth or null — ' +
      '`const table = Table.findOne({ name }); if (!table) throw …; table.fields` —, since a promise has none of those and ' +
      'is always truthy; JavaScript database ' +
      'drivers answer with promises, so such a call is in-memory work — unless the package may use a synchronous driver, ' +
      'better-sqlite3, node:sqlite or bun:sqlite, whose calls return rows), a static method the workspace declares ' +
      'synchronous with a value to return, once for every class of that name (`static findOne(where): Table | null`, or ' +
      'not async and returning an array search with a callback: a schema cache loaded at start; a `void` method may fire ' +
      'a query and forget it, so it stays reported), a TypeORM or MikroORM `create(…)` in a package that depends on that ORM and on none whose ' +
      '`create` inserts (Sequelize, Mongoose, Prisma): it builds an entity in memory, and the `save` of it — reported when ' +
      'it is per element — is the query, batch calls, chunked loops, paging loops (skip/offset/cursor), retry loops, polls and paced loops (the ' +
      'body awaits a pause: `sleep`, `delay`, a `setTimeout` promise, a `waitFor…` helper), loops over a fixed ' +
      "list written in the code (or the keys of an object written in the code, `for (const key in orderFields)`, or a filtered subset of one, or one generated with a written length: `Array.from({ length: 20 })`, or cut to a small bound the code writes — at most 50: `xs.slice(0, 20)`, `xs.slice(0, this.WORKSPACE_LIMIT)` with `WORKSPACE_LIMIT: 20` beside it, `for (let i = 0; i < 3; i++)` — or the defaults the code ships imported by name: `import { defaultSliders }`), an enum's values, or a list the deployment configures " +
      '(ids read from the environment, and the rows looked up by those ids: an operator writes a handful), the integrations or providers an owner connected (`integrations`, `data.alertIntegrations`, `providers`: one per external service), the people or groups mentioned in one text when archlint cannot trace the set (`for (const mention of mentions)`, `groupMentions`, `mentionedUserIds`: each @-mention was typed by the author of the text, a handful; mention rows read from their table stay reported), the parts of one object a function is handed when archlint cannot trace where that object comes from (`params.rules`, `(input.lines ?? []).filter(…)`, `workflow.steps`, `table.views.views`, and the parts of those parts — `for (const spec of pack.tables) for (const field of spec.fields)` (a const holding such a list, `const ids = input.recordIds`, is not followed: the ids of a request, rows to reorder, stay reported): their number is the size of one thing a caller built — a rule group, an order, a table — not of the data, and on code never read while fixing such loops were almost never worth a batch; a result set handed on, `page.items`, and a list inside the request body stay reported), Prisma `findUnique` calls issued together ' +
      'in one `Promise.all` (its dataloader batches them into one query), Prisma queries pushed into the operations of one ' +
      '`$transaction(ops)` (a Prisma query is lazy: the loop collects one batch transaction), a call guarded to run for one element, a call after which the ' +
      'loop is always left (`return`, `throw`, `break`: it looks for the element to query and queries once), a call in the `catch` of ' +
      "the element's own `try` (it records or undoes that element's failure), an insert or update that records the element's own " +
      "awaited send, upload or copy made before it (an email's message id, a copied file's row: the outbound call is the cost), " +
      "or marks the element's own row right after a message to it (a rerun after a crash must not send it twice), " +
      "a guarded `updateMany` of the element's row whose `count` decides what the element does next (a claim), a function defined in a loop but " +
      "not called there, queries that need the previous one's result (a parent chain, a linked insert, a search, a tree created level by level), schema " +
      "statements per table (written as SQL, or built by a schema builder or generator), a statement on the element's own table " +
      "(`knex(table)`, `FROM \"${table}\"`), the statements of a script run one by one (the element is the SQL text), a lookup made on a cache miss and kept in that cache (once per distinct key), an operation log applied in order (each element's kind, `op.type === Op.ADD` or a `switch` on it, picks an insert or a delete: batching them apart reorders an add and a later remove of the same row), the queries of a transaction opened once per element (its own unit of work), an update or upsert of one row by key with that row's own values (an `updateMany` filtered by the row's key alone too; its position in the list alone, `orderIndex: index + 1`, is not its own value: one `UPDATE … FROM (… row_number() …)` writes a new order), an entity saved after the loop set its fields from its own values (`role.permissions = role.permissions.filter(…); repo.save(role)`), nested creates (in an upsert's `create` too), an insert " +
      "whose row feeds that element's further writes, and tests, test-support code, seeds, demo or sample data (a `demo-data/` folder, a `sampleData.ts` file), migrations (code migrations too, and upgrade steps filed under the version that runs them: `upgrades/1.13.3/`, and a module written to a migration framework's contract wherever it is filed: a class that `implements MigrationInterface`, `exports.up = …`, `up(queryInterface)`), alterations, " +
      "backfills and cutovers (a `migration-scripts/` or `cutover/` folder too), data imports (an `import/` folder, a file named for an import, a function `import…`: another system's data copied in once, row by row on purpose), scripts (a `scripts/` or `bin/` folder, a `*.script.ts` file, a module that exports nothing and reads its own positional arguments — `process.argv[2]` — or runs its own `main()` — or an async function it writes and calls in place, `(async () => { … })()` — without serving or looping for ever), command-line tools (a `cli/` or `admin-cli/` package), local development environments (`dev-env/`), " +
      "browser code (a front-end-only package, a 'use client' module: its stores are in memory; a module only a page's imports reach, or one no entry point of its package reaches — a server start file, a route or handler module, a worker or schedule, a script the package runs to serve — since a loop no request or job runs is not on a request path; a module only a command reaches (a package's `bin`, a script such as `migrate` or `seed` that starts no server), whose loop a person runs once and waits on; where a package's start or a dynamic load cannot be read, its files are judged) and the models of an in-memory " +
      'client-side ORM (redux-orm, Vuex ORM, Pinia ORM).',
    examples: {
      bad: [
        {
          description: 'One customer lookup per order (Prisma)',
          files: {
            'src/orders.ts':
              "import { prisma } from './db';\n\n" +
              'export async function orderSummaries() {\n' +
              '  const orders = await prisma.order.findMany({ take: 50 });\n' +
              '  const result = [];\n' +
              '  for (const order of orders) {\n' +
              '    const customer = await prisma.customer.findUnique({ where: { id: order.customerId } });\n' +
              '    result.push({ id: order.id, customer: customer?.name });\n' +
              '  }\n' +
              '  return result;\n' +
              '}\n',
          },
        },
        {
          description: 'One query per id, made concurrent with Promise.all (TypeORM)',
          files: {
            'src/users.service.ts':
              'export class UsersService {\n' +
              '  constructor(private readonly userRepository: Repository<User>) {}\n\n' +
              '  byIds(ids: string[]) {\n' +
              '    return Promise.all(ids.map((id) => this.userRepository.findOneBy({ id })));\n' +
              '  }\n' +
              '}\n',
          },
        },
      ],
      good: [
        {
          description: 'All customers in one query, then a Map lookup',
          files: {
            'src/orders.ts':
              "import { prisma } from './db';\n\n" +
              'export async function orderSummaries() {\n' +
              '  const orders = await prisma.order.findMany({ take: 50 });\n' +
              '  const customers = await prisma.customer.findMany({ where: { id: { in: orders.map((o) => o.customerId) } } });\n' +
              '  const byId = new Map(customers.map((c) => [c.id, c]));\n' +
              '  return orders.map((order) => ({ id: order.id, customer: byId.get(order.customerId)?.name }));\n' +
              '}\n',
          },
        },
        {
          description: 'A loop over fixed-size chunks, one batch insert per chunk (Knex)',
          files: {
            'src/import.ts':
              "import { knex } from './db';\n\n" +
              'export async function importRows(rows: object[]) {\n' +
              '  for (let i = 0; i < rows.length; i += 500) {\n' +
              "    await knex('events').insert(rows.slice(i, i + 500));\n" +
              '  }\n' +
              '}\n',
          },
        },
      ],
    },
    messages: {
      perElement:
        '{{call}}{{others}} runs once per element of `{{loop}}`: N+1 queries. Load the rows in one batch query before the loop',
      perElementWrite:
        '{{call}}{{others}} runs once per element of `{{loop}}`: one write per row. Write them in one statement (createMany/updateMany/deleteMany, a bulk insert, or an UPDATE from a list of values)',
      perElementUnknownSet:
        '{{call}}{{others}} runs once per element of `{{loop}}`: N+1 queries if the set is large (archlint cannot tell where it comes from). Load the rows in one batch query before the loop',
      perElementWriteUnknownSet:
        '{{call}}{{others}} runs once per element of `{{loop}}`: one write per row, if the set is large (archlint cannot tell where it comes from). Write them in one statement (createMany/updateMany/deleteMany, a bulk insert, or an UPDATE from a list of values)',
      perElementOneRow:
        '{{call}}{{others}} runs once per element of `{{loop}}`, the related rows of one row read by key: N+1 queries if that row has many. Load the rows in one batch query before the loop',
      perElementWriteOneRow:
        '{{call}}{{others}} runs once per element of `{{loop}}`, the related rows of one row read by key: one write per row, if that row has many. Write them in one statement (createMany/updateMany/deleteMany, a bulk insert, or an UPDATE from a list of values)',
    },
  },

  codeTrees: mayQueryPerElement,

  async check(ctx) {
    const candidates = ctx.code.files.filter(mayQueryPerElement);
    if (candidates.length === 0) return;
    const ts = ctx.code.ts;
    // Repositories over another service's HTTP API (`this.chainsRepository.getChain`): no database behind them.
    const remote = ctx.code.remoteRepositories();
    const untracedSets = untracedSetsOption(ctx.options);
    for (const file of candidates) checkFile(ts, file);

    function checkFile(ts: typeof TypeScript, file: CodeFile): void {
      const source = file.tree;
      const facts: FileFacts = fileFacts(ts, source);
      // Unless a synchronous driver (better-sqlite3, node:sqlite) may answer with rows.
      const syncResultsAreValues = !mayQuerySynchronously(file.packageDataLayers, file.text.content);
      /** The per-element data calls of each loop, in source order (a Map keeps insertion order). */
      const perLoop = new Map<
        TypeScript.Node,
        { iteration: Iteration; calls: Array<{ node: TypeScript.Node; call: DataCall }> }
      >();

      const visit = (node: TypeScript.Node, state: State): void => {
        if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
          const chain = chainAt(ts, node);
          const recognised =
            chain && !callsRemoteRepository(ts, chain, remote) ? dataCall(ts, chain, facts) : undefined;
          // `manager.findFile(…)` with no ORM behind the name: the project's own object in memory, not a query.
          const found =
            recognised && !managerWithoutOrm(chain!, recognised, file.packageDataLayers, facts)
              ? recognised
              : undefined;
          // TypeORM's `Entity.create(…)` (BaseEntity) builds an entity in memory; its `save` is the query (an active
          // record's own `entity.save()` too, which is not a data-call shape: the create then stands for it).
          const call =
            found &&
            !(inMemoryCreate(found, file.packageDataLayers) && !savedAsActiveRecord(ts, node)) &&
            // A result used as a value without waiting is no query: JavaScript drivers answer with promises.
            !(syncResultsAreValues && resultUsedSynchronously(ts, node))
              ? found
              : undefined;
          if (
            call &&
            !state.inQuery &&
            state.iteration &&
            // SQLite in the process answers a read with a library call, not a round trip; a write still commits alone.
            !(file.packageEmbeddedDatabase && !writesRows(ts, node, call)) &&
            isPerElement(ts, node, call, state.iteration, facts)
          ) {
            const calls = perLoop.get(state.iteration.node);
            if (calls) calls.calls.push({ node, call });
            else perLoop.set(state.iteration.node, { iteration: state.iteration, calls: [{ node, call }] });
          }
          const inner: State = call ? { ...state, inQuery: true } : state;
          const iteration = ts.isCallExpression(node) ? callbackIteration(ts, node, source) : undefined;
          if (iteration && ts.isCallExpression(node)) {
            visit(node.expression, inner);
            node.arguments.forEach((arg, index) => {
              if (index === 0) visitFunctionBody(arg, { iteration, inQuery: false });
              else visit(arg, inner);
            });
            return;
          }
          ts.forEachChild(node, (child) => visit(child, inner));
          return;
        }
        const loop = loopIteration(ts, node, source);
        if (loop) {
          const inside: State = { iteration: loop, inQuery: false };
          if (ts.isForOfStatement(node) || ts.isForInStatement(node)) {
            visit(node.initializer, state);
            visit(node.expression, state);
            visit(node.statement, inside);
          } else if (ts.isForStatement(node)) {
            if (node.initializer) visit(node.initializer, state);
            ts.forEachChild(node, (child) => child !== node.initializer && visit(child, inside));
          } else {
            ts.forEachChild(node, (child) => visit(child, inside));
          }
          return;
        }
        if (ts.isFunctionLike(node)) {
          const runs = state.iteration ? functionRuns(ts, node) : 'detached';
          // A transaction opened once per element is that element's unit of work, not an N+1 (see isPerElementTransaction).
          const inherits = runs === 'inherit' && !isPerElementTransaction(ts, node);
          visitFunctionBody(node, inherits ? { iteration: state.iteration, inQuery: false } : { inQuery: false });
          return;
        }
        ts.forEachChild(node, (child) => visit(child, state));
      };
      const visitFunctionBody = (fn: TypeScript.Node, state: State): void => {
        if (ts.isFunctionLike(fn)) ts.forEachChild(fn, (child) => visit(child, state));
        else visit(fn, state);
      };
      visit(source, { inQuery: false });
      // One loop, one finding: the cure (load or write the loop's rows in one batch) is one change to the
      // loop, however many queries it makes per element. Reported at its first data call; the others are
      // listed as related locations.
      const callersOf = sameFileCallers(ts, source, facts);
      for (const { iteration, calls } of perLoop.values()) {
        const [first, ...others] = calls;
        // A set traced to rows, a relation or a request grows with the data; one archlint cannot trace (a
        // parameter no caller here fills, a helper's result, a parsed file) may be a handful: a note, not a warning.
        const origin = iteration.iterated ? iteratedSetSource(ts, iteration.iterated, facts, callersOf) : undefined;
        // An untraced list held by one object the function was handed (`input.lines`, `params.rules`,
        // `workflow.steps`) is the parts of one thing a caller built: its size is that thing's, not the data's.
        if (!origin && iteration.iterated && partsOfHandedObject(ts, iteration.iterated)) continue;
        // A set written in the code, a configuration file or the environment (`yaml.parse(bundledPacks)`, a
        // list of tables, `JSON.parse(process.env.USERS)`): as many elements as someone wrote, a handful.
        if (!origin && iteration.iterated && fixedSetOf(ts, iteration.iterated, callersOf)) continue;
        // The people or groups mentioned in one text (`mentions`, `mentionedUserIds`): each @-mention was typed by its
        // author, a handful. Only when the set is untraced: mention rows read from a table are as many as the table.
        if (!origin && iteration.iterated && namesMentions(ts, iteration.iterated)) continue;
        // The related rows of one row read by key (`(await findUnique(…)).prices`, a book's authors): the children of
        // one parent, whose number is that parent's, not the table's — as unknown as an untraced set.
        const oneRow = origin?.one === true;
        // A function named for many rows (`bulkCreate`, `upsertMany`) is handed as many as its callers have.
        const known = (origin !== undefined && !oneRow) || (!origin && inBulkOperation(ts, iteration.node));
        if (!known && untracedSets === 'off') continue;
        const write = writes(first!.call);
        ctx.report({
          at: compilerNodeOrigin(file, first!.node),
          messageId: known
            ? write
              ? 'perElementWrite'
              : 'perElement'
            : oneRow
              ? write
                ? 'perElementWriteOneRow'
                : 'perElementOneRow'
              : write
                ? 'perElementWriteUnknownSet'
                : 'perElementUnknownSet',
          ...(known ? {} : { severity: 'note' as const }),
          data: {
            call: first!.call.label,
            loop: iteration.label,
            others:
              others.length === 0
                ? ''
                : ` (and ${others.length} more data call${others.length === 1 ? '' : 's'} in this loop)`,
          },
          related: [
            { at: compilerNodeOrigin(file, iteration.node), message: 'the loop that runs it once per element' },
            ...others.map((other) => ({
              at: compilerNodeOrigin(file, other.node),
              message: `${other.call.label}: also once per element of this loop`,
            })),
          ],
        });
      }
    }
  },
});

/** A set named for mentions: `mentions`, `groupMentions`, `mentionedUserIds`, `event.mentions`, `mentions.filter(…)`. */
const MENTIONS_NAME = /^mentions$|^mentioned[A-Z]\w*$|^\w+Mentions$|^mention[A-Z]\w*s$/;
/** Array methods that keep a subset of the same elements, in order or not. */
const SUBSET_METHODS = new Set(['filter', 'slice', 'values']);

function namesMentions(ts: typeof TypeScript, expression: TypeScript.Expression): boolean {
  let value = unwrapExpression(ts, expression);
  while (
    ts.isCallExpression(value) &&
    ts.isPropertyAccessExpression(value.expression) &&
    SUBSET_METHODS.has(value.expression.name.text)
  )
    value = unwrapExpression(ts, value.expression.expression);
  const name = ts.isIdentifier(value) ? value.text : ts.isPropertyAccessExpression(value) ? value.name.text : undefined;
  return name !== undefined && MENTIONS_NAME.test(name);
}

/** The calls of a function by name within the file: who fills a loop's parameter set, one level up. */
function sameFileCallers(ts: typeof TypeScript, source: TypeScript.SourceFile, facts: FileFacts): CallersOf {
  let byName: Map<string, TypeScript.CallExpression[]> | undefined;
  return (name) => {
    if (!byName) {
      const index = new Map<string, TypeScript.CallExpression[]>();
      const visit = (node: TypeScript.Node): void => {
        if (ts.isCallExpression(node)) {
          const called = calleeName(ts, node);
          if (called) {
            const calls = index.get(called);
            if (calls) calls.push(node);
            else index.set(called, [node]);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
      byName = index;
    }
    return (byName.get(name) ?? []).map((call) => ({ call, facts }));
  };
}

/** Whether the data call really runs once per element of the iteration it sits in. */
function isPerElement(
  ts: typeof TypeScript,
  node: TypeScript.Node,
  call: DataCall,
  iteration: Iteration,
  facts: FileFacts,
): boolean {
  if (
    call.batch ||
    call.schemaChange ||
    iteration.chunked ||
    iteration.retry ||
    iteration.fixedList ||
    iteration.open ||
    iteration.paced
  )
    return false;
  // A data import (`importResources`): run once per onboarding, row by row on purpose (see one-off-code.ts).
  if (inImportFunction(ts, iteration.node)) return false;
  // Paging through a table: each call reads a page, not an element.
  if (call.paging === 'window') return false;
  if (call.paging === 'bound' && (iteration.kind === 'while' || iteration.kind === 'do' || iteration.kind === 'for'))
    return false;
  const callback = iteration.callback;
  const awaited = awaitedWithin(ts, node, callback?.fn);
  // A lazy builder (Knex, Drizzle) that is never awaited or executed here is a sub-query being assembled.
  if (call.builder && !awaited && !call.executes && !(callback?.gathered && isReturned(ts, node))) return false;
  // map/flatMap/reduce: the promises must be awaited in the callback or gathered by Promise.all to run per element.
  if (callback && iteration.kind !== 'forEach' && !callback.gathered && !awaited) return false;
  // Prisma's dataloader merges same-tick findUnique calls into one query.
  if (batchedByPrismaDataloader(ts, node, call, iteration)) return false;
  // A lazy Prisma query pushed into the operations of one `$transaction(ops)`: collected, not run, per element.
  if (!awaited && collectedForBatchTransaction(ts, node)) return false;
  // Sequential by necessity, a write no batch call can make, or a call that runs for one element.
  return unbatchable(ts, node, call, iteration, facts) === undefined;
}

/** Methods of a TypeORM active record (BaseEntity) that run a query on the entity itself. */
const ACTIVE_RECORD_WRITE = new Set(['save', 'remove', 'softRemove', 'recover', 'reload']);

/**
 * `const attachment = Attachment.create({…}); await attachment.save();`: the created entity is saved by its own
 * method in the same function, so the create is where its round trip starts.
 */
function savedAsActiveRecord(ts: typeof TypeScript, call: TypeScript.Node): boolean {
  let declaration = call.parent;
  while (declaration && (ts.isAwaitExpression(declaration) || ts.isParenthesizedExpression(declaration)))
    declaration = declaration.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return false;
  const name = declaration.name.text;
  let body: TypeScript.Node | undefined = declaration.parent;
  while (body && !ts.isFunctionLike(body) && !ts.isSourceFile(body)) body = body.parent;
  let saved = false;
  const visit = (node: TypeScript.Node): void => {
    if (saved) return;
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === name &&
      ACTIVE_RECORD_WRITE.has(node.expression.name.text)
    )
      saved = true;
    else ts.forEachChild(node, visit);
  };
  if (body) visit(body);
  return saved;
}

/** The loop sits in a function named for an import (`importResources`, `async import()`). */
function inImportFunction(ts: typeof TypeScript, node: TypeScript.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const named =
      (ts.isFunctionDeclaration(current) || ts.isMethodDeclaration(current) || ts.isFunctionExpression(current)) &&
      current.name &&
      ts.isIdentifier(current.name)
        ? current.name.text
        : undefined;
    const parent = current.parent;
    const bound =
      parent &&
      (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) &&
      ts.isIdentifier(parent.name)
        ? parent.name.text
        : undefined;
    const name = named ?? bound;
    if (name !== undefined && IMPORT_FUNCTION.test(name)) return true;
  }
  return false;
}

/** A file that loops and names a data layer, not a one-off script, run by a server: the files worth a syntax tree. */
/**
 * Answers already given: the engine asks each file once when it decides which trees to keep (Rule.codeTrees), and
 * check() asks again for its candidates; the text tests over every code file of a large tree cost ~0.3 s a time.
 */
const perElementCandidates = new WeakMap<CodeFile, boolean>();

function mayQueryPerElement(file: CodeFile): boolean {
  let answer = perElementCandidates.get(file);
  if (answer === undefined) perElementCandidates.set(file, (answer = judgePerElementCandidate(file)));
  return answer;
}

function judgePerElementCandidate(file: CodeFile): boolean {
  return (
    !isOneOffForQueries(file.text.rootPath ?? file.path, file.text.content) &&
    ITERATES.test(file.text.content) &&
    MENTIONS_DATA_LAYER.test(file.text.content) &&
    // Browser code (a front-end package, a 'use client' module) has no database round trips; a static build none per request.
    file.runtime === 'server' &&
    // Reached only by a page's imports, a command's (a `bin`, a `migrate` script), or by no entry point's (an upgrade
    // script loaded by file name): not a service's loop.
    (file.reach === 'server' || file.reach === 'unknown') &&
    // A bundle (a minified build, a vendored library) copies modules: their sources are judged, not the copy.
    !file.bundle
  );
}
