import { defineRule, type Endpoint } from '../../src/rule-api.js';

/** Query parameters that bound a page, compared without case, `_` or `-` (`per_page`, `pageSize`, `page[size]`…). */
const PAGING_PARAMETERS = new Set([
  'page', 'perpage', 'pagesize', 'pagenumber', 'pagenum', 'limit', 'offset', 'cursor', 'after', 'before', 'pagetoken',
  'nextpagetoken', 'start', 'take', 'skip', 'top', 'first', 'last', 'maxresults', 'startingafter', 'endingbefore',
  'continue', 'marker', 'since',
]);
/** Response headers that carry paging: RFC 8288 links, totals, next-page hints. */
const PAGING_HEADER = /^(link|x-total(-count)?|x-total-pages|x-next(-page)?|x-page(-size)?|x-per-page|x-next-cursor|x-continuation(-token)?|x-has-more|content-range)$/i;
/** Body properties that carry paging meta (`next`, `cursor`, `has_more`, `total`, a `meta`/`links`/`pagination` block…). */
const PAGING_PROPERTIES = new Set([
  'next', 'nextcursor', 'cursor', 'hasmore', 'hasnext', 'hasnextpage', 'total', 'totalcount', 'totalitems', 'totalpages',
  'page', 'pages', 'pagination', 'paging', 'pageinfo', 'nextpage', 'nextpagetoken', 'nextlink', 'meta', 'links',
  'continuation', 'continuationtoken', 'offset', 'limit', 'metadata', 'previous', 'prev', 'endcursor',
]);

const normalise = (name: string) => name.toLowerCase().replace(/[\s_\-[\]$]/g, '');

function isPaginated(endpoint: Endpoint): boolean {
  if (endpoint.parameters.some((p) => p.in === 'query' && PAGING_PARAMETERS.has(normalise(p.name)))) return true;
  if (endpoint.handler?.queryParams.some((name) => PAGING_PARAMETERS.has(normalise(name)))) return true;
  if (endpoint.handler && endpoint.handler.pagingArgs.length > 0) return true;
  return endpoint.responses.some(
    (r) => r.headers.some((h) => PAGING_HEADER.test(h)) || r.body.properties.some((p) => PAGING_PROPERTIES.has(normalise(p))),
  );
}

/** The first successful response that returns a list, if any. */
function listResponse(endpoint: Endpoint) {
  return endpoint.responses.find((r) => /^(2\d\d|2XX)$/i.test(r.status) && r.body.collection);
}

export default defineRule({
  meta: {
    id: 'api/paginated-lists',
    title: 'List endpoints let the client ask for a bounded page',
    severity: 'warning',
    requires: ['http'],
    tags: ['api', 'performance', 'scalability'],
    why:
      'A GET that returns every row works in development and falls over in production: the response grows with the ' +
      'table, so latency, memory and bandwidth grow without bound, and one client can take the database down. Adding ' +
      'pagination later is a breaking change for every client that assumed it had everything.',
    fix:
      'Accept a page size with a server-side maximum and a cursor (or page/offset) as query parameters, and tell the ' +
      'client how to get the next page: a `next` cursor or `has_more` in the body, or a `Link` header. If the list is ' +
      'bounded by design (an enum of regions), suppress the finding with the reason.',
    examples: {
      bad: [
        {
          description: 'A list of orders with no way to ask for a page',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'paths:',
              '  /v1/orders:',
              '    get:',
              '      responses:',
              "        '200':",
              '          description: all orders',
              '          content:',
              '            application/json:',
              '              schema: { type: array, items: { type: object } }',
              '',
            ].join('\n'),
          },
        },
      ],
      good: [
        {
          description: 'A cursor and a page size, and the next cursor in the body',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'paths:',
              '  /v1/orders:',
              '    get:',
              '      parameters:',
              '        - { name: limit, in: query, schema: { type: integer, maximum: 100 } }',
              '        - { name: cursor, in: query, schema: { type: string } }',
              '      responses:',
              "        '200':",
              '          description: a page of orders',
              '          content:',
              '            application/json:',
              '              schema:',
              '                type: object',
              '                properties:',
              '                  data: { type: array, items: { type: object } }',
              '                  next_cursor: { type: string, nullable: true }',
              '',
            ].join('\n'),
          },
        },
      ],
    },
    messages: {
      unpaginated: '{{method}} {{path}} returns a list{{holder}} but offers no paging: no page size, cursor or offset parameter, no Link header, no next/total in the body',
    },
  },
  check(ctx) {
    for (const endpoint of ctx.http.endpoints) {
      if (endpoint.method !== 'get' || endpoint.role !== 'resource') continue;
      const list = listResponse(endpoint);
      if (!list || isPaginated(endpoint)) continue;
      ctx.report({
        at: endpoint,
        messageId: 'unpaginated',
        data: {
          method: endpoint.method.toUpperCase(),
          path: endpoint.path,
          holder: list.body.arrayProperty ? ` (in \`${list.body.arrayProperty}\`)` : '',
        },
      });
    }
  },
});
