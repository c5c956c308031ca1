import { defineRule, type Endpoint, type ResponseSummary } from '../../src/rule-api.js';
import { errorSiteProblem } from './_lib/code-error-sites.js';

/** A machine-readable code (`code`, `error_code`, RFC 9457 `type`), compared without case, `_` or `-`. */
const CODE_LIKE = new Set(['code', 'errorcode', 'errcode', 'type', 'errortype', 'reason']);
/** A human message (`message`, RFC 9457 `title`/`detail`, OAuth `error_description`). */
const MESSAGE_LIKE = new Set(['message', 'messages', 'msg', 'detail', 'details', 'title', 'errordescription', 'errormessage', 'description']);

const normalise = (name: string) => name.toLowerCase().replace(/[_-]/g, '');

function isErrorStatus(status: string): boolean {
  return /^[45](\d\d|XX)$/i.test(status) || status === 'default';
}

/** What is wrong with an error response's body, or undefined when it is structured (or cannot be known). */
function problemOf(response: ResponseSummary): string | undefined {
  const { body } = response;
  switch (body.kind) {
    case 'none':
      return 'has no body schema';
    case 'string':
      return 'is a bare string';
    case 'object': {
      const names = [...body.properties, ...(body.nestedErrorProperties ?? [])].map(normalise);
      if (names.some((n) => CODE_LIKE.has(n) || MESSAGE_LIKE.has(n))) return undefined;
      const shown = body.properties.length > 0 ? `{${body.properties.slice(0, 5).join(', ')}${body.properties.length > 5 ? ', …' : ''}}` : '{}';
      return `is an object ${shown} with neither an error code nor a message`;
    }
    default:
      return undefined;
  }
}

export default defineRule({
  meta: {
    id: 'api/structured-errors',
    title: 'Error responses carry a machine-readable code and a human message',
    severity: 'warning',
    requires: ['http', 'routes'],
    tags: ['api', 'errors', 'developer-experience'],
    why:
      'A client can only react to an error it can recognise: a bare "Error" string or an empty 500 leaves it guessing ' +
      'whether to retry, fix the input or give up, and leaves the person debugging it with nothing to search for. A ' +
      'stable code plus a message (and ideally the field and a request id) makes errors handleable and supportable.',
    fix:
      'Give every 4xx/5xx/default response a JSON body with a code and a message, e.g. ' +
      '`{"error": {"code": "VALIDATION_ERROR", "message": "…", "field": "email", "request_id": "…"}}`, or use RFC 9457 ' +
      '`application/problem+json` (`type`, `title`, `status`, `detail`). Define it once as a shared schema and `$ref` it.',
    examples: {
      bad: [
        {
          description: 'A 404 with no body and a 500 that is a bare string',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'paths:',
              '  /v1/orders/{id}:',
              '    get:',
              '      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]',
              '      responses:',
              "        '200': { description: the order }",
              "        '404': { description: not found }",
              "        '500':",
              '          description: failure',
              '          content: { text/plain: { schema: { type: string } } }',
              '',
            ].join('\n'),
          },
        },
        {
          description: 'Express: a bare opaque string and an error object with no code',
          files: {
            'src/orders.ts': [
              "import { Router } from 'express';",
              'export const orders = Router();',
              "orders.post('/v1/orders', (req, res) => {",
              "  if (!req.body?.sku) return res.status(400).json({ error: 'bad input' });",
              "  res.status(500).send('Something went wrong');",
              '});',
              '',
            ].join('\n'),
          },
        },
      ],
      good: [
        {
          description: 'Errors share an RFC 9457 problem schema',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'paths:',
              '  /v1/orders/{id}:',
              '    get:',
              '      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]',
              '      responses:',
              "        '200': { description: the order }",
              "        '404':",
              '          description: not found',
              "          content: { application/problem+json: { schema: { $ref: '#/components/schemas/Problem' } } }",
              'components:',
              '  schemas:',
              '    Problem:',
              '      type: object',
              '      properties: { type: { type: string }, title: { type: string }, status: { type: integer }, detail: { type: string } }',
              '',
            ].join('\n'),
          },
        },
        {
          description: 'Express: errors built by the project\'s helper, which returns {error: {code, message}}',
          files: {
            'src/errors.ts': 'export const apiError = (code: string, message: string) => ({ error: { code, message } });\n',
            'src/orders.ts': [
              "import { Router } from 'express';",
              "import { apiError } from './errors';",
              'export const orders = Router();',
              "orders.post('/v1/orders', (req, res) => {",
              "  if (!req.body?.sku) return res.status(400).json(apiError('VALIDATION_ERROR', 'sku is required'));",
              '  res.status(201).json({});',
              '});',
              '',
            ].join('\n'),
          },
        },
      ],
    },
    messages: {
      unstructured: 'Error response {{status}} of {{endpoint}}{{others}} {{problem}}: give it a code and a message',
      codeSite: '{{site}} sends {{status}} {{problem}}; send a JSON body with a code and a message (or use the project\'s error helper)',
    },
  },
  check(ctx) {
    // A response shared through $ref is reported once, where it is written, naming who uses it.
    const found = new Map<string, { response: ResponseSummary; problem: string; users: Endpoint[] }>();
    for (const endpoint of ctx.http.endpoints) {
      for (const response of endpoint.responses) {
        if (!isErrorStatus(response.status)) continue;
        const problem = problemOf(response);
        if (!problem) continue;
        const key = JSON.stringify(response.origin);
        const entry = found.get(key);
        if (entry) entry.users.push(endpoint);
        else found.set(key, { response, problem, users: [endpoint] });
      }
    }
    // In code there is no response schema: each place that sends an error (routes input) is judged.
    for (const site of ctx.routes.errorSites) {
      const problem = errorSiteProblem(site);
      if (problem) ctx.report({ at: site, messageId: 'codeSite', data: { site: site.via, status: site.status ?? 'an error', problem } });
    }
    for (const { response, problem, users } of found.values()) {
      const first = users[0]!;
      const others = users.length > 1 ? ` (and ${users.length - 1} other operation${users.length > 2 ? 's' : ''})` : '';
      ctx.report({
        at: response,
        messageId: 'unstructured',
        data: { status: response.status, endpoint: `${first.method.toUpperCase()} ${first.path}`, others, problem },
      });
    }
  },
});
