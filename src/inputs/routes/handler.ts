/**
 * What a route handler shows about its endpoint, for the rules the spec side answers from
 * parameters and response schemas: the query parameters it reads, the paging arguments it passes
 * to the data layer, and what its success responses carry (a collection or not; paging headers).
 * Error responses are not here: they are error sites (errors.ts), judged by api/structured-errors.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { BodyShape, ResponseSummary } from '../../model/http.js';
import type { CodeFile } from '../code/index.js';
import { adapterOf } from './frameworks/index.js';
import type { Framework } from './graph.js';
import type { Modules } from './modules.js';
import { origin } from './origins.js';
import { findProperty, propertyName, unwrap } from './values.js';
import { calledFunction } from './callees.js';
import {
  chainHas,
  identifierDeclaration,
  isArrayType,
  isOwnReturn,
  isQueryCall,
  isQueryObject,
  pagingProperties,
  passesRequest,
  schemaProperties,
} from './handler-syntax.js';
import { capsRequestedRange } from './range-caps.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

const PAGING_METHODS = new Set(['limit', 'offset', 'skip', 'take', 'paginate', 'range', 'cursor']);
/** Data-layer / service calls that return many rows. */
const MANY_ROWS = /^(findMany|findAll|findAndCountAll|getMany|all|list[A-Z]?\w*|getAll\w*|search\w*|fetchAll\w*)$/;
const ARRAY_METHODS = new Set(['map', 'filter', 'slice', 'flatMap', 'sort', 'concat', 'reverse']);
const MAIN_ARRAY = ['data', 'items', 'results', 'records', 'rows', 'list', 'entries', 'nodes', 'edges'];
/** What sits next to the list in a wrapper (`{ users, total, nextCursor }`): counts, paging, links. */
const LIST_META =
  /^(total\w*|count|\w*Count|\w*_count|page\w*|per_?page|limit|offset|skip|take|cursor|next\w*|prev\w*|previous\w*|has_?more|hasNext\w*|links?|meta|pagination|paging|success|ok|status)$/i;
const HEADER_CALLS = new Set(['set', 'setHeader', 'header', 'append', 'appendHeader']);

export interface HandlerFacts {
  queryParams: string[];
  pagingArgs: string[];
  /** Success responses (status < 400 or unspecified). */
  responses: ResponseSummary[];
}

export class HandlerAnalyzer {
  constructor(private readonly modules: Modules) {}

  analyze(
    fn: ts.FunctionLikeDeclaration,
    _file: CodeFile,
    framework: Framework,
    querySchemas: ts.Expression[],
  ): HandlerFacts {
    const query = new Set<string>();
    const paging = new Set<string>();
    const responses: ResponseSummary[] = [];
    const headers = new Set<string>();
    const handlerFile = this.modules.fileFor(fn);

    const adapter = adapterOf(framework);
    if (adapter.queryDecorator) this.decoratedQuery(fn, adapter.queryDecorator, query);
    // A declared return type that is not a list (`Promise<ArticlesRO>`) describes the body better than
    // the name of the call it returns (`this.service.findAll()`): returns are then of unknown shape.
    const declaredNotList =
      fn.type !== undefined && !isArrayType(fn.type) && fn.type.kind !== typescript.SyntaxKind.AnyKeyword;
    for (const schema of querySchemas) for (const name of schemaProperties(schema, this.modules)) query.add(name);

    const visit = (node: ts.Node): void => {
      this.queryRead(node, query);
      // `if (end - start > 100) throw …`: the client pages by a window whose width the handler caps (range-caps.ts).
      if (capsRequestedRange(node)) paging.add('range');
      if (typescript.isCallExpression(node)) {
        const callee = node.expression;
        if (typescript.isPropertyAccessExpression(callee)) {
          const name = callee.name.text;
          if (PAGING_METHODS.has(name) && node.arguments.length > 0) paging.add(name);
          if (
            HEADER_CALLS.has(name) &&
            node.arguments[0] &&
            typescript.isStringLiteralLike(node.arguments[0]) &&
            /^[A-Za-z][\w-]*$/.test(node.arguments[0].text)
          ) {
            headers.add(node.arguments[0].text);
          }
        }
        for (const arg of node.arguments) pagingProperties(arg, paging);
        const send = this.successSend(node);
        if (send) responses.push(this.response(send.status, send.body, handlerFile, node, headers));
      } else if (typescript.isStringLiteralLike(node) && /\bselect\b[\s\S]*\blimit\b/i.test(node.text)) {
        paging.add('limit');
        if (/\boffset\b/i.test(node.text)) paging.add('offset');
      } else if (
        typescript.isBinaryExpression(node) &&
        node.operatorToken.kind === typescript.SyntaxKind.EqualsToken &&
        typescript.isPropertyAccessExpression(node.left) &&
        node.left.name.text === 'body'
      ) {
        // Koa: ctx.body = value
        responses.push(this.response('200', node.right, handlerFile, node, headers));
      } else if (
        typescript.isReturnStatement(node) &&
        node.expression &&
        adapter.returnsBody &&
        isOwnReturn(node, fn)
      ) {
        const value = unwrap(node.expression);
        if (declaredNotList)
          responses.push({
            ...this.response('200', node.expression, handlerFile, node, headers),
            body: { kind: 'unknown', collection: false, properties: [] },
          });
        else if (!typescript.isCallExpression(value) || !this.successSend(value))
          responses.push(this.response('200', node.expression, handlerFile, node, headers));
      }
      typescript.forEachChild(node, visit);
    };
    if (fn.body) {
      if (typescript.isBlock(fn.body)) visit(fn.body);
      else {
        visit(fn.body);
        const value = unwrap(fn.body);
        if (adapter.returnsBody && (!typescript.isCallExpression(value) || !this.successSend(value)))
          responses.push(this.response('200', fn.body, handlerFile, fn.body, headers));
      }
    }
    this.helperReads(fn, query, paging, 0);
    // A declared `Promise<T[]>` return type says it all (Nest controllers).
    if (fn.type && isArrayType(fn.type) && !responses.some((r) => r.body.collection)) {
      responses.push({
        status: '200',
        mediaTypes: ['application/json'],
        body: { kind: 'array', collection: true, properties: [] },
        headers: [...headers],
        origin: origin(handlerFile, fn.type),
      });
    }
    for (const response of responses) response.headers = [...headers];
    return { queryParams: [...query].sort(), pagingArgs: [...paging].sort(), responses };
  }

  /**
   * Project helpers the handler gives its request to (`getPageAndLimitParams(req)`, `parseListQuery(req.query)`):
   * the query parameters they read and the paging they apply are the handler's, one or two calls deep.
   */
  private helperReads(fn: ts.FunctionLikeDeclaration, query: Set<string>, paging: Set<string>, depth: number): void {
    if (!fn.body || depth >= HELPER_DEPTH) return;
    const own = new Set(fn.parameters.flatMap((p) => (typescript.isIdentifier(p.name) ? [p.name.text] : [])));
    if (own.size === 0) return;
    const seen = new Set<ts.Node>();
    const visit = (node: ts.Node): void => {
      if (typescript.isCallExpression(node) && node.arguments.some((a) => passesRequest(a, own))) {
        const helper = calledFunction(node, this.modules);
        if (helper?.body && helper !== fn && !seen.has(helper)) {
          seen.add(helper);
          const read = (inner: ts.Node): void => {
            this.queryRead(inner, query);
            if (
              typescript.isCallExpression(inner) &&
              typescript.isPropertyAccessExpression(inner.expression) &&
              PAGING_METHODS.has(inner.expression.name.text) &&
              inner.arguments.length > 0
            ) {
              paging.add(inner.expression.name.text);
            }
            typescript.forEachChild(inner, read);
          };
          read(helper.body);
          this.helperReads(helper, query, paging, depth + 1);
        }
      }
      typescript.forEachChild(node, visit);
    };
    visit(fn.body);
  }

  /** `req.query.limit`, `req.query['page']`, `const { limit } = req.query`, `c.req.query('page')`, `searchParams.get('cursor')`. */
  private queryRead(node: ts.Node, into: Set<string>): void {
    if (typescript.isPropertyAccessExpression(node) && isQueryObject(node.expression)) into.add(node.name.text);
    else if (
      typescript.isElementAccessExpression(node) &&
      isQueryObject(node.expression) &&
      typescript.isStringLiteralLike(node.argumentExpression)
    )
      into.add(node.argumentExpression.text);
    else if (
      typescript.isVariableDeclaration(node) &&
      node.initializer &&
      typescript.isObjectBindingPattern(node.name)
    ) {
      const init = unwrap(node.initializer);
      if (isQueryObject(init) || (typescript.isCallExpression(init) && isQueryCall(init))) {
        for (const element of node.name.elements) {
          const name = element.propertyName ?? element.name;
          if (typescript.isIdentifier(name)) into.add(name.text);
        }
      }
    } else if (typescript.isCallExpression(node) && typescript.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      const arg = node.arguments[0];
      if (
        arg &&
        typescript.isStringLiteralLike(arg) &&
        ((name === 'get' && /searchParams$/i.test(node.expression.expression.getText())) ||
          name === 'query' ||
          name === 'queries')
      ) {
        into.add(arg.text);
      }
    }
  }

  /** `@Query('page') page`, `@Query() q: ListDto` (the DTO's properties). */
  /** Parameters decorated as the query (`@Query('page') page`, `@Query() q: ListQuery`): the names read. */
  private decoratedQuery(fn: ts.FunctionLikeDeclaration, decoratorName: string, into: Set<string>): void {
    for (const parameter of fn.parameters) {
      for (const decorator of typescript.getDecorators(parameter) ?? []) {
        const call = decorator.expression;
        if (
          !typescript.isCallExpression(call) ||
          !typescript.isIdentifier(call.expression) ||
          call.expression.text !== decoratorName
        )
          continue;
        const arg = call.arguments[0];
        if (arg && typescript.isStringLiteralLike(arg)) into.add(arg.text);
        else if (
          parameter.type &&
          typescript.isTypeReferenceNode(parameter.type) &&
          typescript.isIdentifier(parameter.type.typeName)
        ) {
          for (const name of this.classProperties(parameter.type.typeName, 0)) into.add(name);
        }
      }
    }
  }

  private classProperties(name: ts.Identifier, depth: number): string[] {
    const binding = this.modules.lookup(name);
    if (binding?.kind !== 'class' || depth > 3) return [];
    const out: string[] = [];
    for (const member of binding.node.members) {
      if (typescript.isPropertyDeclaration(member)) {
        const text = propertyName(member.name);
        if (text) out.push(text);
      }
    }
    for (const clause of binding.node.heritageClauses ?? []) {
      for (const type of clause.types) {
        const base = unwrap(type.expression);
        if (typescript.isIdentifier(base)) out.push(...this.classProperties(base, depth + 1));
        // PartialType(Dto), IntersectionType(A, B); createZodDto(listQuery): a schema's own keys.
        if (typescript.isCallExpression(base))
          for (const arg of base.arguments) {
            if (typescript.isIdentifier(arg) && this.modules.lookup(arg)?.kind === 'class')
              out.push(...this.classProperties(arg, depth + 1));
            else out.push(...schemaProperties(arg, this.modules));
          }
      }
    }
    return out;
  }

  /** A call that sends a success body: `res.json(x)`, `res.status(200).send(x)`, `c.json(x)`, `reply.send(x)`, `NextResponse.json(x)`. */
  successSend(call: ts.CallExpression): { status: string; body: ts.Expression } | undefined {
    const callee = call.expression;
    if (!typescript.isPropertyAccessExpression(callee)) return undefined;
    const name = callee.name.text;
    if (name !== 'json' && name !== 'send') return undefined;
    const body = call.arguments[0];
    if (!body) return undefined;
    let status: number | undefined;
    const chained = unwrap(callee.expression);
    if (
      typescript.isCallExpression(chained) &&
      typescript.isPropertyAccessExpression(chained.expression) &&
      ['status', 'code'].includes(chained.expression.name.text)
    ) {
      const arg = chained.arguments[0];
      status = arg && typescript.isNumericLiteral(arg) ? Number(arg.text) : undefined;
      if (status === undefined) return undefined;
    }
    const second = call.arguments[1];
    if (second && typescript.isNumericLiteral(second)) status = Number(second.text);
    if (second && typescript.isObjectLiteralExpression(second)) {
      const value = findProperty(second, 'status');
      if (value && typescript.isNumericLiteral(value)) status = Number(value.text);
    }
    if (status !== undefined && status >= 400) return undefined;
    return { status: String(status ?? 200), body };
  }

  private response(
    status: string,
    body: ts.Expression,
    file: CodeFile,
    at: ts.Node,
    headers: Set<string>,
  ): ResponseSummary {
    return {
      status,
      mediaTypes: ['application/json'],
      body: this.shape(body, 0),
      headers: [...headers],
      origin: origin(file, at),
    };
  }

  /** The shape of a response body expression. */
  shape(expression: ts.Expression, depth: number): BodyShape {
    const unknown: BodyShape = { kind: 'unknown', collection: false, properties: [] };
    if (depth > 6) return unknown;
    const node = unwrap(expression);
    if (typescript.isArrayLiteralExpression(node)) return { kind: 'array', collection: true, properties: [] };
    if (typescript.isStringLiteralLike(node) || typescript.isTemplateExpression(node))
      return { kind: 'string', collection: false, properties: [] };
    if (typescript.isObjectLiteralExpression(node)) {
      const properties: string[] = [];
      const arrays: string[] = [];
      for (const property of node.properties) {
        const name = property.name ? propertyName(property.name) : undefined;
        if (!name) continue;
        properties.push(name);
        const value = typescript.isPropertyAssignment(property)
          ? property.initializer
          : typescript.isShorthandPropertyAssignment(property)
            ? property.name
            : undefined;
        if (value && this.shape(value, depth + 1).kind === 'array') arrays.push(name);
      }
      // `{ users, total }` wraps a list; `{ apikey, email, domains }` is one resource (the caller) with a list field.
      const wrapper = arrays.length === 1 && properties.every((name) => name === arrays[0] || LIST_META.test(name));
      const main = arrays.find((a) => MAIN_ARRAY.includes(a)) ?? (wrapper ? arrays[0] : undefined);
      return { kind: 'object', collection: main !== undefined, ...(main ? { arrayProperty: main } : {}), properties };
    }
    if (typescript.isIdentifier(node)) {
      const binding = this.modules.lookup(node);
      if (binding?.kind === 'value') {
        const declaration = binding.node.parent;
        if (typescript.isVariableDeclaration(declaration) && declaration.type && isArrayType(declaration.type))
          return { kind: 'array', collection: true, properties: [] };
        return this.shape(binding.node, depth + 1);
      }
      const declaration = identifierDeclaration(node);
      if (declaration?.type && isArrayType(declaration.type))
        return { kind: 'array', collection: true, properties: [] };
      return unknown;
    }
    if (typescript.isPropertyAccessExpression(node) && node.name.text === 'rows')
      return { kind: 'array', collection: true, properties: [] };
    if (typescript.isCallExpression(node)) return this.callShape(node, depth);
    return unknown;
  }

  private callShape(call: ts.CallExpression, depth: number): BodyShape {
    const array: BodyShape = { kind: 'array', collection: true, properties: [] };
    const callee = call.expression;
    if (!typescript.isPropertyAccessExpression(callee)) return { kind: 'unknown', collection: false, properties: [] };
    const name = callee.name.text;
    if (ARRAY_METHODS.has(name)) return array;
    if (MANY_ROWS.test(name)) return array;
    // repo.find({ where }) (TypeORM / Mongoose) returns rows; array.find(fn) returns one element.
    if (
      name === 'find' &&
      !call.arguments.some((a) => typescript.isArrowFunction(a) || typescript.isFunctionExpression(a))
    )
      return array;
    // Query builders: db.select().from(t), knex('t').select(), unless they end in first()/single().
    if (
      [
        'from',
        'select',
        'where',
        'orderBy',
        'execute',
        'returning',
        'limit',
        'offset',
        'innerJoin',
        'leftJoin',
      ].includes(name) &&
      chainHas(callee.expression, ['select', 'from', 'selectFrom']) &&
      !chainHas(callee.expression, ['first', 'findFirst', 'executeTakeFirst', 'single'])
    ) {
      return array;
    }
    if (
      name === 'json' &&
      typescript.isIdentifier(callee.expression) &&
      /Response$/.test(callee.expression.text) &&
      call.arguments[0]
    ) {
      return this.shape(call.arguments[0], depth + 1);
    }
    return { kind: 'unknown', collection: false, properties: [] };
  }
}

/** How many calls deep request helpers are followed. */
const HELPER_DEPTH = 2;
