/**
 * One RunResult shared by every reporter test: several files (one with a space in its path),
 * all three severities, a file-level finding, a related location, fixes, and a message full
 * of characters that each format must escape (`%`, `:`, `,`, newline, `|`, `<b>`).
 */
import type { Finding, Severity } from '../../src/model/finding.js';
import type { RunResult } from '../../src/reporters/types.js';
import type { RuleMeta } from '../../src/rule-api.js';

function meta(m: Omit<RuleMeta, 'requires' | 'messages'>): RuleMeta {
  return { ...m, requires: ['text'], messages: {} };
}

export const sampleRules: RuleMeta[] = [
  meta({
    id: 'security/no-hardcoded-secrets',
    title: 'No secret is written in the source',
    severity: 'error',
    tags: ['security', 'secrets'],
    why: 'A committed secret is readable by everyone with access to the repository and stays in its history',
    fix: 'Move the secret to the environment or a secret manager, and rotate it.',
    examples: {
      bad: [{ description: 'A key in code', files: { 'src/pay.ts': "const key = 'sk_live_0123456789';\n" } }],
      good: [{ files: { 'src/pay.ts': 'const key = process.env.STRIPE_KEY;\n', '.env.example': 'STRIPE_KEY=\n' } }],
    },
  }),
  meta({
    id: 'db/indexed-foreign-keys',
    title: 'Foreign key columns are the leading columns of an index',
    severity: 'warning',
    tags: ['performance', 'database'],
    why: 'Without an index, every delete or update of the parent row scans the child table.',
    fix: 'Create an index whose leading columns are the foreign key columns, in order.',
    examples: {
      bad: [{ files: { 'db/0001.sql': 'CREATE TABLE items (order_id int REFERENCES orders(id));' } }],
      good: [
        {
          files: {
            'db/0001.sql':
              'CREATE TABLE items (order_id int REFERENCES orders(id));\nCREATE INDEX ON items (order_id);\n',
          },
        },
      ],
    },
  }),
  meta({
    id: 'api/paginated-lists',
    title: 'List endpoints are paginated',
    severity: 'warning',
    tags: ['api', 'performance'],
    why: 'An unpaginated list grows with the data until it times out.',
    fix: 'Accept `limit` and `cursor` parameters and return a next cursor.',
    examples: {
      bad: [{ files: { 'openapi.yaml': 'paths:\n  /items:\n    get: {}\n' } }],
      good: [
        { files: { 'openapi.yaml': 'paths:\n  /items:\n    get:\n      parameters: [{name: limit, in: query}]\n' } },
      ],
    },
  }),
];

export const TRICKY_MESSAGE = 'GET /items: returns 100% of rows, unpaginated |\nwrap it in <b>limit</b>';

export const sampleFindings: Finding[] = [
  {
    ruleId: 'security/no-hardcoded-secrets',
    severity: 'error',
    message: 'The file .env is committed and holds secrets',
    file: '.env',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    fileLevel: true,
    source: 'text',
    fingerprint: '6f1c2a0b9d8e7f60',
    related: [],
  },
  {
    ruleId: 'api/paginated-lists',
    severity: 'warning',
    message: TRICKY_MESSAGE,
    file: 'api/openapi.yaml',
    line: 12,
    column: 5,
    endLine: 12,
    endColumn: 9,
    fileLevel: false,
    source: 'openapi',
    fingerprint: 'a1b2c3d4e5f60718',
    related: [
      {
        file: 'src/routes/items.ts',
        line: 7,
        column: 3,
        endLine: 9,
        endColumn: 5,
        message: 'Handler that returns the whole table',
      },
    ],
    fix: { description: 'Add `limit` and `cursor` query parameters.' },
  },
  {
    ruleId: 'security/no-hardcoded-secrets',
    severity: 'error',
    message: "Hard-coded Stripe secret key 'sk_l…89'",
    file: 'config/app settings.ts',
    line: 3,
    column: 14,
    endLine: 3,
    endColumn: 40,
    fileLevel: false,
    source: 'text',
    fingerprint: '0f9e8d7c6b5a4932',
    related: [],
    fix: { description: 'Read the key from process.env.', text: 'const key = process.env.STRIPE_KEY;' },
  },
  {
    ruleId: 'db/indexed-foreign-keys',
    severity: 'note',
    message: 'Foreign key items(order_id) → orders(id) has no index starting with order_id',
    file: 'db/migrations/0003_items.sql',
    line: 9,
    column: 5,
    endLine: 11,
    endColumn: 2,
    fileLevel: false,
    source: 'sql',
    fingerprint: '1234567890abcdef',
    related: [],
    fix: {
      description: 'Create an index on items(order_id).',
      text: 'CREATE INDEX items_order_id_idx\n  ON items (order_id);',
    },
  },
];

function summarise(findings: Finding[], suppressed: number): RunResult['summary'] {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return {
    files: 42,
    errors: count('error'),
    warnings: count('warning'),
    notes: count('note'),
    suppressed,
    durationMs: 310,
  };
}

/** A run over the sample findings (or others), with every sample rule's metadata. */
export function sampleRun(findings: Finding[] = sampleFindings, suppressed = 2): RunResult {
  return {
    tool: { name: 'archlint', version: '0.1.0', informationUri: 'https://github.com/archlint/archlint' },
    findings,
    summary: summarise(findings, suppressed),
    rules: new Map(sampleRules.map((r) => [r.id, r])),
    cwd: '/home/dev/shop',
  };
}

/** `n` simple findings of one severity in one file, for the caps on annotations and rows. */
export function manyFindings(n: number, severity: Severity, ruleId = 'api/paginated-lists'): Finding[] {
  return Array.from({ length: n }, (_, i) => ({
    ruleId,
    severity,
    message: `Finding number ${i + 1}`,
    file: 'src/many.ts',
    line: i + 1,
    column: 1,
    endLine: i + 1,
    endColumn: 10,
    fileLevel: false,
    source: 'typescript' as const,
    fingerprint: `fp${i}`,
    related: [],
  }));
}
