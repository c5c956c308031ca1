/**
 * What a route handler reads from its database to answer: the multi-row reads it makes, and whether
 * each is limited. Followed through the project's own calls a few levels deep (controller → service →
 * repository): plain functions, module members and object-literal services (callees.ts), and the
 * methods of `this` and of injected services (`this.baseService.list()`, typed by its constructor
 * parameter or field). Data calls are recognised as the perf rules recognise them (model/data-calls.ts).
 *
 * The verdict is only as strong as what is seen: a read whose options archlint cannot see in full
 * (`findMany(args)`, `findMany({ ...paging })`) is not known to be unbounded, and a handler whose
 * reads are all out of sight has no verdict at all.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { CodeFile } from '../code/index.js';
import { chainAt, chainLabel, type Segment } from '../../model/call-chains.js';
import { dataCall, fileFacts, type DataCall, type FileFacts } from '../../model/data-calls.js';
import type { ListRead } from '../../model/http.js';
import { memberTypeName } from './callables.js';
import { calledFunction } from './callees.js';
import { CreationCaps, modelOf } from './creation-caps.js';
import { byKeyList, whereKeyInList } from './key-lists.js';
import type { Modules } from './modules.js';
import { origin } from './origins.js';
import { unwrap } from './values.js';

const typescript = loadTypeScript();

/** How many project calls deep reads are followed from the handler (controller → service → repository → helper). */
const READ_DEPTH = 3;
/**
 * The most rows a list may hold to be returned whole (rules.md: a cap bounds a list only when its largest tier is a
 * few hundred items at most; a cap in the thousands bounds nothing).
 */
const SMALL_CAP = 500;

/** Operations that read many rows (Prisma, TypeORM, Sequelize, Mongoose, MongoDB, Drizzle relational queries). */
const MANY_ROWS_OP = new Set([
  'findMany',
  'find',
  'findBy',
  'findAll',
  'findAndCount',
  'findAndCountBy',
  'findAndCountAll',
  'getMany',
  'getManyAndCount',
  'getRawMany',
  'getRawAndEntities',
]);
/**
 * Operations that answer with a number, a few groups or one row: counts, aggregates, `groupBy`,
 * distinct values, `findUnique`. Bounded by the grouping, not by the table.
 */
const NOT_ROWS_OP =
  /^(count\w*|aggregate|groupBy|distinct|sum|average|avg|min|max|minimum|maximum|exists?\w*|find(Unique|First|One|ByPk|ById)\w*|getOne\w*|getRawOne|getCount|getExists|executeTakeFirst\w*|first|get|single|create\w*|update\w*|upsert|delete\w*|insert\w*|save|remove|destroy)$/;
/** Builder segments that make a query answer one row or an aggregate. */
const BUILDER_NOT_ROWS = new Set([
  'first',
  'groupBy',
  'count',
  'countDistinct',
  'sum',
  'avg',
  'min',
  'max',
  'pluck',
  '$count',
  'get',
  'executeTakeFirst',
  'executeTakeFirstOrThrow',
  'insert',
  'update',
  'delete',
  'del',
  'values',
  'set',
  'returning',
]);
const BUILDER_READ = new Set(['select', 'selectDistinct', 'selectDistinctOn', 'from', 'selectFrom']);
const LIMIT_SEGMENT = new Set(['limit', 'take', 'offset', 'skip', 'paginate', 'range', 'cursor', 'first', 'top']);
/** Aggregates in a SELECT list or in a builder's select object: counts per group, sums. */
const AGGREGATE_CALL = /^(count|countDistinct|sum|avg|min|max|countAll)$/;
const SQL_AGGREGATE = /\b(count|sum|avg|min|max)\s*\(|\bgroup\s+by\b/i;

interface Read {
  kind: 'many' | 'bounded' | 'paged' | 'aggregate' | 'unseen';
  call: string;
  node: ts.Node;
  /** How many project calls away from the handler (0: in the handler itself). */
  depth?: number;
}

export class DataReads {
  private readonly facts = new Map<CodeFile, FileFacts>();
  private readonly caps: CreationCaps;

  constructor(private readonly modules: Modules) {
    this.caps = new CreationCaps(modules.code.files);
  }

  /** What the handler reads, or undefined when no data call is seen from it. */
  of(fn: ts.FunctionLikeDeclaration): ListRead | undefined {
    const reads: Read[] = [];
    this.collect(fn, 0, new Set([fn]), reads);
    // The read nearest the handler is the one that most likely makes its answer (`getAccessList` rather than
    // the permission lookup it starts with).
    reads.sort((a, b) => (a.depth ?? 0) - (b.depth ?? 0));
    const many = reads.find((r) => r.kind === 'many');
    const at = (read: Read) => ({ call: read.call, origin: origin(this.modules.fileFor(read.node), read.node) });
    if (many) return { kind: 'unbounded', ...at(many) };
    // A read that may or may not be limited, next to limited ones, leaves the verdict open.
    if (reads.some((r) => r.kind === 'unseen')) return undefined;
    const paged = reads.find((r) => r.kind === 'paged');
    if (paged) return { kind: 'paged', ...at(paged) };
    const bounded = reads.find((r) => r.kind === 'bounded');
    if (bounded) return { kind: 'bounded', ...at(bounded) };
    const aggregate = reads.find((r) => r.kind === 'aggregate');
    return aggregate ? { kind: 'not-rows', ...at(aggregate) } : undefined;
  }

  private collect(fn: ts.FunctionLikeDeclaration, depth: number, seen: Set<ts.Node>, into: Read[]): void {
    if (!fn.body) return;
    const file = this.modules.fileFor(fn);
    const facts = this.fileFactsOf(file);
    const visit = (node: ts.Node): void => {
      if (typescript.isCallExpression(node) || typescript.isTaggedTemplateExpression(node)) {
        const chain = chainAt(typescript, node);
        // SQL written at a query call (`this.query({ text: 'SELECT * FROM tenants' })`) says what it reads,
        // whichever wrapper runs it.
        const sql = typescript.isCallExpression(node) ? writtenSelect(node) : undefined;
        if (sql !== undefined) {
          into.push({ ...judgeSql(sql, chain ? chainLabel(chain) : 'query', node), depth });
          typescript.forEachChild(node, visit);
          return;
        }
        const held = chain ? heldBuilder(chain) : undefined;
        const call = held ?? (chain ? dataCall(typescript, chain, facts) : undefined);
        const followed = depth < READ_DEPTH && typescript.isCallExpression(node) ? this.callee(node) : undefined;
        // A custom repository's method (`this.users.listForTeam()`) is both: its own body says more than its name.
        if (followed && !seen.has(followed)) {
          seen.add(followed);
          this.collect(followed, depth + 1, seen, into);
        } else if (call && chain) {
          const read = judge(
            call,
            held ? chain.segments.slice(chain.segments.length - call.operation.length) : chain.segments,
            node,
            fn,
          );
          if (read) into.push({ ...this.capped(read, node), depth });
        }
      }
      typescript.forEachChild(node, visit);
    };
    visit(fn.body);
  }

  /**
   * Every row of a model whose creation the product caps at a small written number (creation-caps.ts: the count
   * checked before a create): bounded by the cap, not by the table.
   */
  private capped(read: Read, node: ts.Node): Read {
    if (read.kind !== 'many' || !typescript.isCallExpression(node)) return read;
    const model = modelOf(node);
    const cap = model === undefined ? undefined : this.caps.of(model);
    return cap !== undefined && cap <= SMALL_CAP ? { ...read, kind: 'bounded' } : read;
  }

  private fileFactsOf(file: CodeFile): FileFacts {
    let facts = this.facts.get(file);
    if (!facts) {
      facts = fileFacts(typescript, file.tree);
      this.facts.set(file, facts);
    }
    return facts;
  }

  /** The project function a call runs: `helper()`, `service.list()`, `this.list()`, `this.service.list()`. */
  private callee(call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
    const direct = calledFunction(call, this.modules);
    if (direct) return direct.body ? direct : undefined;
    const callee = unwrap(call.expression);
    if (!typescript.isPropertyAccessExpression(callee)) return undefined;
    const receiver = unwrap(callee.expression);
    const method = callee.name.text;
    // this.list()
    if (receiver.kind === typescript.SyntaxKind.ThisKeyword) return methodOf(enclosingClass(call), method);
    // this.service.list(): the class the field or constructor parameter is typed with.
    if (
      typescript.isPropertyAccessExpression(receiver) &&
      unwrap(receiver.expression).kind === typescript.SyntaxKind.ThisKeyword
    ) {
      const owner = enclosingClass(call);
      const type = owner ? memberTypeName(owner, receiver.name.text) : undefined;
      return type ? this.classMethod(type, method) : undefined;
    }
    // store.list() where `const store = new TenantStore(…)`: an instance of a project class.
    if (typescript.isIdentifier(receiver)) {
      const binding = this.modules.lookup(receiver);
      const value = binding?.kind === 'value' ? unwrap(binding.node) : undefined;
      if (value && typescript.isNewExpression(value) && typescript.isIdentifier(value.expression))
        return this.classMethod(value.expression, method);
    }
    return undefined;
  }

  private classMethod(name: ts.Identifier, method: string): ts.FunctionLikeDeclaration | undefined {
    const binding = this.modules.lookup(name);
    return binding?.kind === 'class' ? methodOf(binding.node, method) : undefined;
  }
}

/**
 * A query builder started from a Knex instance held as a property (`db.knex.select(…).from(t)`), or a
 * TypeORM query builder not run in the same chain (`const qb = repo.createQueryBuilder('t').where(…)`):
 * a lazy builder, judged like a Knex or Drizzle one.
 */
function heldBuilder(chain: { segments: readonly Segment[] }): DataCall | undefined {
  const s = chain.segments;
  const start = s.findIndex(
    (seg, i) =>
      i > 0 &&
      seg.args === undefined &&
      /^(knex|kx)$/i.test(seg.name) &&
      s[i + 1]?.args !== undefined &&
      BUILDER_READ.has(s[i + 1]!.name),
  );
  const qb = s.findIndex((seg) => seg.name === 'createQueryBuilder' && seg.args !== undefined);
  const from =
    start >= 0 ? start + 1 : qb >= 0 && !s.some((seg, j) => j > qb && QUERY_BUILDER_RUN.has(seg.name)) ? qb : -1;
  if (from < 0) return undefined;
  const operation = s.slice(from);
  return {
    label: s
      .slice(0, from + 1)
      .map((seg) => seg.name)
      .join('.'),
    batch: false,
    builder: true,
    schemaChange: false,
    executes: false,
    operation,
    root: s[0]?.name ?? '',
  };
}

const QUERY_BUILDER_RUN = new Set([
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

/** What one recognised data call reads. */
function judge(
  call: DataCall,
  segments: readonly Segment[],
  node: ts.Node,
  fn: ts.FunctionLikeDeclaration,
): Read | undefined {
  if (call.schemaChange) return undefined;
  const op = call.operation[0]?.name ?? '';
  const label = call.label;
  const limited = (): Read['kind'] => (call.paging === 'window' ? 'paged' : 'bounded');
  if (call.builder) {
    const names = segments.map((s) => s.name);
    const distinct = segments.find((s) => s.name === 'distinct' && s.args !== undefined);
    const reads =
      names.some((n) => BUILDER_READ.has(n)) ||
      /^find(Many)$/.test(op) ||
      names.includes('createQueryBuilder') ||
      distinct !== undefined;
    if (!reads) return undefined;
    // Knex `distinct(column)`: the values in use, bounded like a groupBy. `distinct(uuid, title, …)` selects rows.
    if (distinct && !names.some((n) => BUILDER_READ.has(n)) && distinctColumns(distinct) === 1)
      return { kind: 'aggregate', call: label, node };
    if (
      names.some((n) => BUILDER_NOT_ROWS.has(n)) ||
      segments.some((s) => BUILDER_READ.has(s.name) && selectsAggregate(s))
    )
      return { kind: 'aggregate', call: label, node };
    if (call.paging || names.some((n) => LIMIT_SEGMENT.has(n))) return { kind: limited(), call: label, node };
    if (segments.some(whereKeyInList)) return { kind: 'bounded', call: label, node };
    if (op === 'findMany') return { kind: optionsSeen(call.operation[0]!) ? 'many' : 'unseen', call: label, node };
    if (call.executes || isAwaited(node)) return { kind: 'many', call: label, node };
    // A builder kept in a variable: what the function does with it later decides (`q.limit(n)`, `await q`).
    return { kind: heldBuilderUse(node, fn), call: label, node };
  }
  if (op === 'query' || op === 'execute' || /^\$queryRaw/.test(op)) {
    const sql = sqlText(call.operation[0]!);
    if (sql === undefined) return { kind: 'unseen', call: label, node };
    return /^\s*(with|select)\b/i.test(sql) ? judgeSql(sql, label, node) : undefined;
  }
  if (MANY_ROWS_OP.has(op)) {
    // `findMany({ distinct: ['platform'] })`: one row per distinct value, bounded by the values like a groupBy.
    if (hasOption(call.operation[0]!, 'distinct')) return { kind: 'aggregate', call: label, node };
    if (call.paging || segments.some((s) => LIMIT_SEGMENT.has(s.name) && s.args !== undefined))
      return { kind: limited(), call: label, node };
    if (byKeyList(call.operation[0]!)) return { kind: 'bounded', call: label, node };
    // `findBy(where)` takes no options: never limited. Others: limited unless every option is in sight.
    return { kind: op === 'findBy' || optionsSeen(call.operation[0]!) ? 'many' : 'unseen', call: label, node };
  }
  if (NOT_ROWS_OP.test(op)) return { kind: 'aggregate', call: label, node };
  return { kind: 'unseen', call: label, node };
}

/** How many columns a Knex `distinct(…)` names: its arguments, or the elements of the one array it is given. */
function distinctColumns(segment: Segment): number {
  const args = segment.args ?? [];
  const only = args.length === 1 ? unwrap(args[0] as ts.Expression) : undefined;
  return only && typescript.isArrayLiteralExpression(only) ? only.elements.length : args.length;
}

/**
 * Whether a call's options are all written at the call: no arguments, or object literals without a
 * spread. `findMany(args)` or `findMany({ ...page, where })` may carry a `take` archlint cannot see.
 */
function optionsSeen(segment: Segment): boolean {
  return (segment.args ?? []).every((arg) => {
    const node = typescript.isExpression(arg as ts.Node) ? unwrap(arg as ts.Expression) : (arg as ts.Node);
    if (!typescript.isObjectLiteralExpression(node))
      return (
        typescript.isStringLiteralLike(node) ||
        typescript.isNumericLiteral(node) ||
        (typescript.isIdentifier(node) && isModelClass(node))
      );
    return node.properties.every((p) => !typescript.isSpreadAssignment(p));
  });
}

/** `manager.find(User, {…})`: the entity class passed first is not an options object. */
function isModelClass(node: ts.Identifier): boolean {
  return /^[A-Z]/.test(node.text);
}

/** `db.select({ total: count() })`, `db.select({ n: sql\`count(*)\` })`: a select list of aggregates only. */
function selectsAggregate(segment: Segment): boolean {
  const arg = segment.args?.[0] as ts.Node | undefined;
  if (!arg || !typescript.isObjectLiteralExpression(arg) || arg.properties.length === 0) return false;
  return arg.properties.every((p) => {
    if (!typescript.isPropertyAssignment(p)) return false;
    const value = unwrap(p.initializer);
    if (typescript.isTaggedTemplateExpression(value)) return SQL_AGGREGATE.test(value.template.getText());
    if (!typescript.isCallExpression(value)) return false;
    const callee = unwrap(value.expression);
    return typescript.isIdentifier(callee) && AGGREGATE_CALL.test(callee.text);
  });
}

/** A SELECT's rows: limited (`LIMIT`, `FETCH FIRST`, `TOP n`), aggregated (`count(…)`, `GROUP BY`), or every row. */
function judgeSql(sql: string, call: string, node: ts.Node): Read {
  if (/\blimit\b|\bfetch\s+first\b|\btop\s*\(?\d/i.test(sql))
    return { kind: /\boffset\b/i.test(sql) ? 'paged' : 'bounded', call, node };
  if (SQL_AGGREGATE.test(sql.replace(/\bfrom\b[\s\S]*$/i, '')) || /\bgroup\s+by\b/i.test(sql))
    return { kind: 'aggregate', call, node };
  if (selectsByKeyList(sql)) return { kind: 'bounded', call, node };
  return { kind: 'many', call, node };
}

/**
 * `SELECT … WHERE uuid IN (?)`, `WHERE id = ANY($1)`: the rows of the keys the caller binds, at most one per key it
 * passes — bounded by the request like `where: { id: { in: ids } }`. A subquery (`IN (SELECT …)`) or a condition
 * joined by `OR` (`IN (?) OR public`) may add any number of rows: still every row.
 */
function selectsByKeyList(sql: string): boolean {
  const where = /\bwhere\b([\s\S]*)$/i.exec(sql)?.[1];
  if (where === undefined || /\bor\b/i.test(where)) return false;
  const bound = String.raw`\(\s*(\?|:\w+|\$\d+|@\w+)\s*\)`;
  return new RegExp(String.raw`[\w.\x60"\]]\s+in\s*${bound}|=\s*any\s*${bound}`, 'i').test(where);
}

/** A call named like a query runner (`query`, `execute`, `$queryRaw`) given a SELECT written at the call. */
function writtenSelect(call: ts.CallExpression): string | undefined {
  const callee = unwrap(call.expression);
  const name = typescript.isPropertyAccessExpression(callee)
    ? callee.name.text
    : typescript.isIdentifier(callee)
      ? callee.text
      : '';
  if (!/^(\$?query(Raw)?(Unsafe)?|execute|sql)$/.test(name) || !call.arguments[0]) return undefined;
  const sql = sqlOf(call.arguments[0]);
  return sql !== undefined && /^\s*(with|select)\b/i.test(sql) ? sql : undefined;
}

/** The SQL a raw query runs, when written at the call (a string, a template, a tagged template). */
function sqlText(segment: Segment): string | undefined {
  const first = segment.args?.[0] as ts.Node | undefined;
  return first ? sqlOf(first) : undefined;
}

/** SQL text written in place: a string, a template, a tagged template, or node-postgres's `{ text }` query config. */
function sqlOf(first: ts.Node): string | undefined {
  let node = typescript.isTaggedTemplateExpression(first) ? first.template : first;
  if (typescript.isObjectLiteralExpression(node)) {
    const text = node.properties.find(
      (p): p is ts.PropertyAssignment => typescript.isPropertyAssignment(p) && /^(text|sql)$/.test(p.name.getText()),
    );
    if (!text) return undefined;
    node = unwrap(text.initializer);
  }
  if (typescript.isStringLiteralLike(node)) return node.text;
  if (typescript.isTemplateExpression(node))
    return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ? ');
  return undefined;
}

/** Whether a call's options object names `key` at its top level. */
function hasOption(segment: Segment, key: string): boolean {
  return (segment.args ?? []).some(
    (arg) =>
      typescript.isObjectLiteralExpression(arg as ts.Node) &&
      (arg as ts.ObjectLiteralExpression).properties.some((p) => p.name !== undefined && p.name.getText() === key),
  );
}

/**
 * What a function does with a query builder it keeps in a variable (`const query = db.select().from(t)`):
 * limits it somewhere (`query.limit(n)`, `qb.take(n)`), or runs it as it is (`await query`, `return query`,
 * `qb.getMany()`). Handed to another function (`paginate(query)`), it may be limited out of sight.
 */
function heldBuilderUse(node: ts.Node, fn: ts.FunctionLikeDeclaration): Read['kind'] {
  let parent = node.parent;
  while (parent && (typescript.isParenthesizedExpression(parent) || typescript.isAsExpression(parent)))
    parent = parent.parent;
  if (!parent || !typescript.isVariableDeclaration(parent) || !typescript.isIdentifier(parent.name) || !fn.body)
    return 'unseen';
  const name = parent.name.text;
  let limited = false;
  let runs = false;
  let handedOver = false;
  let single = false;
  const visit = (inner: ts.Node): void => {
    if (typescript.isIdentifier(inner) && inner.text === name && inner !== parent!.name) {
      const use = inner.parent;
      if (typescript.isPropertyAccessExpression(use) && use.expression === inner) {
        if (LIMIT_SEGMENT.has(use.name.text)) limited = true;
        else if (/^(getOne|getOneOrFail|getRawOne|getCount|getExists|first|executeTakeFirst\w*)$/.test(use.name.text))
          single = true;
        else if (QUERY_BUILDER_RUN.has(use.name.text) || use.name.text === 'then') runs = true;
      } else if (typescript.isAwaitExpression(use) || typescript.isReturnStatement(use)) runs = true;
      else if (typescript.isCallExpression(use) || typescript.isNewExpression(use)) handedOver = true;
    }
    typescript.forEachChild(inner, visit);
  };
  visit(fn.body);
  if (limited) return 'bounded';
  if (handedOver) return 'unseen';
  return runs ? 'many' : single ? 'aggregate' : 'unseen';
}

function isAwaited(node: ts.Node): boolean {
  let parent = node.parent;
  while (parent && typescript.isParenthesizedExpression(parent)) parent = parent.parent;
  return !!parent && (typescript.isAwaitExpression(parent) || typescript.isReturnStatement(parent));
}

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) if (typescript.isClassLike(p)) return p;
  return undefined;
}

function methodOf(owner: ts.ClassLikeDeclaration | undefined, name: string): ts.FunctionLikeDeclaration | undefined {
  if (!owner) return undefined;
  for (const member of owner.members) {
    if (typescript.isMethodDeclaration(member) && member.name.getText() === name && member.body) return member;
    if (typescript.isPropertyDeclaration(member) && member.name.getText() === name && member.initializer) {
      const value = unwrap(member.initializer);
      if (typescript.isArrowFunction(value) || typescript.isFunctionExpression(value)) return value;
    }
  }
  return undefined;
}
