import { defineRule, type TextFile } from '../../src/rule-api.js';
import { findAssignedSecrets } from './_lib/assignments.js';
import { findCodeSecrets, hasCandidate } from './_lib/code.js';
import { mergeHits, type SecretHit } from './_lib/hits.js';
import { findProviderSecrets } from './_lib/providers.js';
import { isTestFile, skipReason } from './_lib/skip.js';
import { findUrlPasswords } from './_lib/urls.js';
import { preview, valueHash } from './_lib/values.js';

type MessageId = 'provider' | 'urlPassword' | 'sink' | 'fallback' | 'assignment';

const MESSAGE_OF: Record<SecretHit['kind'], MessageId> = {
  provider: 'provider',
  'url-password': 'urlPassword',
  sink: 'sink',
  fallback: 'fallback',
  assignment: 'assignment',
};

export default defineRule<MessageId>({
  meta: {
    id: 'security/no-hardcoded-secrets',
    title: 'No secret is committed to the repository',
    severity: 'error',
    // `code` parses lazily: only the few files whose text holds a candidate literal are parsed.
    requires: ['text', 'code'],
    scope: 'file',
    tags: ['security', 'secrets'],
    why:
      'A key in the repository is a key for everyone who can read it: every clone, fork, CI log and backup, for ever — ' +
      'deleting it later does not remove it from git history. Leaked keys are found by scanners within minutes of a push. ' +
      'A literal fallback (`process.env.JWT_SECRET ?? "…"`) is worse than none: production silently runs on the committed key ' +
      'when the variable is missing.',
    fix:
      'Revoke and rotate the key first (it is in the history), then read it at run time from the environment or a secret ' +
      'manager, failing at start-up when it is missing. Keep placeholders in `.env.example`. For a test-only value, ' +
      'suppress the line with `archlint-disable-next-line security/no-hardcoded-secrets -- <why>`.',
    examples: {
      bad: [
        {
          description: 'A signing key passed to jwt.sign, and a Stripe key as an environment fallback',
          files: {
            'src/auth.ts':
              "import jwt from 'jsonwebtoken';\n" +
              "export const issue = (sub: string) => jwt.sign({ sub }, '576ig38uFL6pmtN75xjgMnJMIbAYMpLE', { expiresIn: '5m' });\n",
            // archlint-disable-next-line security/no-hardcoded-secrets -- a random value made for this example, not a key
            'src/stripe.ts': "export const stripeKey = process.env.STRIPE_KEY ?? 'sk_test_MZFF5d5nDXZh15xVotwpjIxBv20X';\n",
          },
        },
        {
          description: 'A database password in a compose file',
          files: { 'docker-compose.yml': 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: 64u1KDrxeSyDFHjUB0ej\n' },
        },
      ],
      good: [
        {
          description: 'Keys read from the environment; placeholders only in .env.example',
          files: {
            'src/auth.ts':
              "import jwt from 'jsonwebtoken';\n" +
              'const secret = process.env.JWT_SECRET;\n' +
              "if (!secret) throw new Error('JWT_SECRET is not set');\n" +
              "export const issue = (sub: string) => jwt.sign({ sub }, secret, { expiresIn: '5m' });\n",
            '.env.example': 'JWT_SECRET=<your-jwt-secret>\nSTRIPE_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\n',
            'docker-compose.yml': 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n',
          },
        },
      ],
    },
    messages: {
      provider: '{{label}} {{preview}} ({{length}} characters) is committed{{context}}',
      urlPassword: 'Password {{preview}} ({{length}} characters) is written in a {{label}}:// URL',
      sink: 'Hard-coded key {{preview}} ({{length}} characters) passed to {{label}}',
      fallback: 'Literal fallback {{preview}} ({{length}} characters) for {{label}}: used whenever the variable is unset',
      assignment: '{{label}} is assigned a literal secret {{preview}} ({{length}} characters)',
    },
  },

  async check(ctx) {
    // Code files whose text has a literal worth a syntax tree; every other file is done from its text.
    const toParse: Array<{ file: TextFile; hits: SecretHit[] }> = [];
    for (const file of ctx.text.all()) {
      if (skipReason(file) !== undefined) continue;
      if (isTestFile(file.path)) {
        report(file, [...findProviderSecrets(file.path, file.content), ...findUrlPasswords(file.content)]);
        continue;
      }
      const hits = [...findProviderSecrets(file.path, file.content), ...findUrlPasswords(file.content)];
      if (file.kind !== 'code') report(file, [...hits, ...findAssignedSecrets(file.path, file.content)]);
      else if (hasCandidate(file.content)) toParse.push({ file, hits });
      else report(file, hits);
    }
    if (toParse.length === 0) return;
    const ts = ctx.code.ts;
    for (const { file, hits } of toParse) {
      const parsed = ctx.code.get(file.path);
      report(file, parsed ? [...hits, ...findCodeSecrets(ts, parsed.sourceFile.compilerNode)] : hits);
    }

    function report(file: TextFile, hits: SecretHit[]): void {
      for (const hit of mergeHits(hits)) {
        ctx.report({
          at: { file: file.path, range: { start: hit.start, end: hit.end } },
          messageId: MESSAGE_OF[hit.kind],
          data: { ...preview(hit.value), label: hit.label, context: hit.context ? ` ${hit.context}` : '' },
          fingerprintText: valueHash(hit.value),
        });
      }
    }
  },
});
