/**
 * The pieces of security/no-hardcoded-secrets on their own: value tests, names, file skips,
 * provider formats, URL passwords, hit merging, and the text pre-filter that decides which code
 * files get parsed (it must never hide a finding the syntax tree would give).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { findAssignedSecrets } from '../rules/security/_lib/assignments.js';
import { exampleRanges, findCodeSecrets, hasCandidate } from '../rules/security/_lib/code.js';
import { failsChecksum, withChecksum } from '../rules/security/_lib/checksums.js';
import { isDeclaredNotSecret } from '../rules/security/_lib/declarations.js';
import { isCommentLine, isSampleFile, isUnderExampleKey } from '../rules/security/_lib/examples.js';
import { mergeHits, type SecretHit } from '../rules/security/_lib/hits.js';
import { isSecretName, valueSpellsName } from '../rules/security/_lib/names.js';
import { findProviderSecrets, PROVIDER_FORMATS } from '../rules/security/_lib/providers.js';
import { isDependencyPatch, skipReason } from '../rules/security/_lib/skip.js';
import { findUrlPasswords } from '../rules/security/_lib/urls.js';
import { base64Text, isInstruction, looksLikeSecret, notSecretReason, preview } from '../rules/security/_lib/values.js';
import { createTextFile } from '../src/inputs/text/index.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const random = (n: number, alphabet = ALNUM) =>
  Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
const textFile = (path: string, content: string) =>
  createTextFile(
    { path, absPath: `/${path}`, kind: /\.(c|m)?[jt]sx?$/.test(path) ? 'code' : 'text' },
    Buffer.from(content),
  )!;

describe('values', () => {
  it('random tokens look like secrets; placeholders, references, text, hashes, ids do not', () => {
    expect(looksLikeSecret(random(24), 'named')).toBe(true);
    expect(looksLikeSecret(random(40), 'anonymous')).toBe(true);
    // Under a secret-like name, under 10 characters is a dev default or stub; words joined by separators are codes.
    expect(looksLikeSecret('tea8le123', 'named')).toBe(false);
    expect(looksLikeSecret('Xk9pQ2zLm7', 'named')).toBe(true);
    for (const value of ['auth/invalid_access_token', 'kubernetes.io/hostname', 'renewal-early-bird-2024'])
      expect(looksLikeSecret(value, 'named'), value).toBe(false);
    for (const value of [
      'changeme',
      'xxxxxxxxxxxxxxxx',
      'your-api-key-here',
      'dummy-token-1234',
      'password123!',
      'test',
      'AKIAIOSFODNN7EXAMPLE',
    ]) {
      expect(looksLikeSecret(value, 'named'), value).toBe(false);
    }
    for (const value of [
      '${DB_PASSWORD}',
      '{{ .Values.key }}',
      '<your-key>',
      '%API_KEY%',
      '$API_KEY',
      'process.env.KEY',
    ]) {
      expect(notSecretReason(value), value).toBe('reference to configuration');
    }
    expect(looksLikeSecret('Please enter your password', 'named')).toBe(false);
    expect(notSecretReason('3fa85f64-5717-4562-b3fc-2c963f66afa6')).toBe('UUID');
    expect(notSecretReason('a94a8fe5ccb19ba61c4c0873d391e987982fbbd3')).toBe('hash');
    expect(notSecretReason(`pk_live_${random(24)}`)).toBe('public identifier');
    expect(looksLikeSecret('externalId', 'named')).toBe(false);
    expect(looksLikeSecret('/run/secrets/db_password', 'named')).toBe(false);
    // The source of a regular expression (a lexer's token), not a key: a group, a lookaround, a quantified escape.
    expect(notSecretReason('(?:auto|0|\\d+(?:\\.\\d+)?(?:px|%))')).toBe('regular expression');
    expect(notSecretReason('^(?=.*[A-Z])\\w{8,}$')).toBe('regular expression');
    expect(notSecretReason('Zq8(?x7Lm2Wp4Rt9Yv3Bn6Kc1Hd5Fg0Js')).toBeUndefined();
  });

  it('a sink takes weaker keys than a name, and a name weaker than nothing', () => {
    expect(looksLikeSecret('mysupersecretkey', 'sink')).toBe(true);
    expect(looksLikeSecret('mysupersecretkey', 'named')).toBe(false);
    const short = random(12);
    expect(looksLikeSecret(short, 'anonymous')).toBe(false);
  });

  it("shell variables quoted in a command, paths under a variable, status labels and the reader's placeholders are not secrets", () => {
    const sed = `    sed -i "s|# SMTP_PASSWORD:|SMTP_PASSWORD: \\"$smtp_password\\"|" docker-compose.yml\n`;
    expect(findAssignedSecrets('docker/install.sh', sed)).toEqual([]);
    const echo = `          echo "APPLE_API_KEY=$RUNNER_TEMP/AuthKey.p8" >> "$GITHUB_ENV"\n`;
    expect(findAssignedSecrets('.github/workflows/release.yml', echo)).toEqual([]);
    expect(notSecretReason('\\"$ext_s3_secret_key\\"|')).toBe('reference to configuration');
    expect(notSecretReason('(not configured)')).toBe('placeholder');
    expect(notSecretReason('mypassword')).toBe('placeholder');
    expect(notSecretReason('your_api_key')).toBe('placeholder');
    expect(looksLikeSecret(`Xk9$mQ2pL7vR${random(8)}`, 'named')).toBe(true);
  });

  it('base64 of text is judged as the text; base64 of key bytes stays a key', () => {
    const encode = (text: string) => Buffer.from(text).toString('base64');
    expect(base64Text(encode('your-mailgun-key-here'))).toBe('your-mailgun-key-here');
    expect(looksLikeSecret(encode('your-mailgun-key-here'), 'named')).toBe(false);
    expect(looksLikeSecret(encode('nango123'), 'named')).toBe(false);
    const text = random(32);
    expect(looksLikeSecret(encode(text), 'named')).toBe(true);
    // Random key bytes are not text: judged as the base64 they are written as.
    for (let i = 0; i < 50; i++) expect(base64Text(randomBytes(32).toString('base64'))).toBeUndefined();
    expect(base64Text(random(40, '0123456789abcdef'))).toBeUndefined();
  });

  it('previews show at most 4 characters and never more than a quarter of the value', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), (value) => {
        const shown = preview(value).preview.replace(/…$/, '');
        expect(shown.length).toBeLessThanOrEqual(Math.min(4, value.length / 4));
        expect(value.startsWith(shown)).toBe(true);
      }),
    );
  });
});

describe('names', () => {
  it('the last word names the secret', () => {
    for (const name of [
      'password',
      'DB_PASS',
      'client_secret',
      'apiKey',
      'AUTH_JWT_SECRET',
      'x-api-key',
      'STRIPE_KEY',
      'secretOrKey',
      'accessToken',
      'API_KEY_VALUE',
    ]) {
      expect(isSecretName(name), name).toBe(true);
    }
    for (const name of [
      'password_min_length',
      'tokenUrl',
      'secretName',
      'cacheKey',
      'api_key_id',
      'key',
      'csrf_token',
      'public_key',
      'hashed_token',
      'nextPageToken',
    ]) {
      expect(isSecretName(name), name).toBe(false);
    }
  });
});

describe('self-named values', () => {
  it('a value that spells its own name is a label; short names and other values are not', () => {
    expect(valueSpellsName('SET_COMPONENT_CREDENTIALS', '@canvas/SET_COMPONENT_CREDENTIALS')).toBe(true);
    expect(valueSpellsName('apiToken', 'settings:api-token')).toBe(true);
    expect(valueSpellsName('API_TOKEN', random(24))).toBe(false);
    expect(valueSpellsName('key', 'xkeyQ8v2Lm9Tz4Rb')).toBe(false);
  });

  it('analytics write keys are public by design', () => {
    expect(isSecretName('CLI_SEGMENT_WRITE_KEY')).toBe(false);
    expect(isSecretName('writeKey')).toBe(false);
    expect(isSecretName('SEGMENT_API_KEY')).toBe(true);
  });
});

describe('file skips', () => {
  const file = (path: string, content = 'x\n') => textFile(path, content);
  it('templates, lockfiles, minified and generated files', () => {
    expect(skipReason(file('.env.example'))).toBe('example/template file');
    expect(skipReason(file('config/app.sample.yaml'))).toBe('example/template file');
    expect(skipReason(file('settings.template.json'))).toBe('example/template file');
    expect(skipReason(file('web/package-lock.json'))).toBe('lockfile');
    expect(skipReason(file('Cargo.lock'))).toBe('lockfile');
    expect(skipReason(file('public/app.min.js'))).toBe('minified');
    expect(skipReason(file('public/bundle.js', `var a=${'1,'.repeat(4000)}1;\n`))).toBe('minified');
    expect(skipReason(file('src/client.ts', '// Code generated by protoc-gen-ts. DO NOT EDIT.\n'))).toBe('generated');
    expect(skipReason(file('.env'))).toBeUndefined();
    expect(skipReason(file('src/sample-service.ts'))).toBeUndefined();
  });

  it('patches to dependencies are third-party code', () => {
    expect(isDependencyPatch('patches/redux-orm+0.16.2.patch')).toBe(true);
    expect(isDependencyPatch('client/patches/@scope+pkg+1.2.3.patch')).toBe(true);
    expect(isDependencyPatch('.yarn/patches/pkg-npm-1.0.0-abc.patch')).toBe(true);
    expect(isDependencyPatch('patches/pkg@2.0.0.diff')).toBe(true);
    expect(isDependencyPatch('src/patches/apply.ts')).toBe(false);
    expect(isDependencyPatch('fix.patch')).toBe(false);
  });
});

describe('provider formats', () => {
  it('each format finds a fresh random token of its shape, at the token', () => {
    const samples: Record<string, string> = {
      'GitHub token': `ghp_${random(36)}`,
      'Stripe secret key': `sk_live_${random(30)}`,
      'Slack token': `xoxb-${random(11, '0123456789')}-${random(12, '0123456789')}-${random(24)}`,
      'Google API key': `AIza${random(35)}`,
      'npm access token': `npm_${random(36)}`,
      'GitLab token': `glpat-${random(20)}`,
      'Google OAuth refresh token': `1//0${random(99)}`,
      'AWS access key ID': `AKIA${random(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`,
    };
    for (const [label, token] of Object.entries(samples)) {
      const content = `value: ${token}\n`;
      const hits = findProviderSecrets('x.yaml', content);
      expect(
        hits.map((h) => [h.label, content.slice(h.start, h.end)]),
        label,
      ).toEqual([[label, token]]);
    }
    expect(PROVIDER_FORMATS.length).toBeGreaterThanOrEqual(30);
  });

  it('placeholders in a provider shape are not reported', () => {
    expect(findProviderSecrets('x', 'STRIPE_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\n')).toEqual([]);
    expect(findProviderSecrets('x', 'id: AKIAIOSFODNN7EXAMPLE\n')).toEqual([]);
    expect(
      findProviderSecrets('x', 'url: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n'),
    ).toEqual([]);
  });

  it('a token must stand apart: inside a longer run of base64 or letters its prefix is a chance substring', () => {
    const aws = `AKIA${random(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`;
    const google = `AIza${random(35)}`;
    const refresh = `1//0${random(60)}`;
    for (const inside of [
      `k${aws}q`,
      `+${aws}/`,
      `/${google}+`,
      `+${google}/`,
      `a${refresh}`,
      `${refresh}+x`,
      `/${refresh}`,
    ]) {
      expect(
        findProviderSecrets('x.ts', `const logo = 'data:image/png;base64,${random(40)}${inside}${random(40)}';\n`),
        inside.slice(0, 6),
      ).toEqual([]);
    }
    // Standing apart: at a value's start, after `=` of a query, in quotes.
    expect(
      findProviderSecrets('x.ts', `const u = 'https://maps.example/js?key=${google}&v=3';\n`).map((h) => h.label),
    ).toEqual(['Google API key']);
    expect(findProviderSecrets('x.ts', `const k = "${aws}";\n`).map((h) => h.label)).toEqual(['AWS access key ID']);
  });

  /** A service-account JSON file holding a PEM key whose body is `inner`. */
  const pem = (inner: string) =>
    `{"private_key": "-----BEGIN PRIVATE KEY-----\\n${inner.match(/.{1,64}/g)!.join('\\n')}\\n-----END PRIVATE KEY-----\\n"}`;

  it('a private key in a JSON string is found from BEGIN to END', () => {
    const content = pem(`MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${randomBytes(200).toString('base64')}`);
    const [hit] = findProviderSecrets('sa.json', content);
    expect(hit?.label).toBe('private key');
    expect(content.slice(hit!.start, hit!.start + 11)).toBe('-----BEGIN ');
  });

  it('a key body where four x or a short word turn up by chance is still a key (a long value: only runs standing apart mark a stand-in)', () => {
    // About one random key body in two thousand held `XxxX` or `8ToDo4`, and was taken for a placeholder.
    const body = `MIIEvQIBADANBgkqhkiG9w0BAQEFAASCdXxxXQtEh2p/YdBKrGzEouZOGBLb8ToDo4H8sXZAo${'Q7kP2mN9vR4tW1yB'.repeat(10)}`;
    expect(findProviderSecrets('sa.json', pem(body))[0]?.label).toBe('private key');
    // A run of x standing apart is a stand-in in a long value too.
    expect(findProviderSecrets('sa.json', pem(`${body.slice(0, 40)}/xxxxxxxx/${body.slice(40)}`))).toEqual([]);
  });
});

describe('URL passwords', () => {
  it('points at the password; skips references, placeholders and user = password', () => {
    const password = random(16);
    const content = `a=postgres://app:${password}@db:5432/app\nb=postgres://app:\${DB_PASSWORD}@db/app\nc=postgres://postgres:postgres@localhost/app\nd=https://user:passwd@10.0.0.1\n`;
    const hits = findUrlPasswords(content);
    expect(hits.map((h) => content.slice(h.start, h.end))).toEqual([password]);
  });
});

describe('assignments in config files', () => {
  it('finds env, YAML, JSON, TOML, XML and SQL shapes at the value', () => {
    const v = () => random(24);
    const values = [v(), v(), v(), v(), v(), v()];
    const content = [
      `API_KEY=${values[0]}`,
      `  password: "${values[1]}"`,
      `  "client_secret": "${values[2]}",`,
      `smtp_password = '${values[3]}'`,
      `<password>${values[4]}</password>`,
      `token := os.Getenv("TOKEN")`,
      `PORT=3000`,
    ].join('\n');
    const hits = findAssignedSecrets('x.env', content);
    expect(hits.map((h) => content.slice(h.start, h.end))).toEqual(values.slice(0, 5));
    const sql = `CREATE ROLE app LOGIN PASSWORD '${values[5]}';\n`;
    expect(findAssignedSecrets('seed.sql', sql).map((h) => sql.slice(h.start, h.end))).toEqual([values[5]]);
  });
});

describe('merging hits', () => {
  it('one finding per secret: the provider wins and keeps the fallback context', () => {
    const hit = (kind: SecretHit['kind'], start: number, end: number, label: string): SecretHit => ({
      kind,
      start,
      end,
      label,
      value: 'v',
      sure: kind === 'provider',
    });
    const merged = mergeHits([
      hit('fallback', 10, 40, 'process.env.STRIPE_KEY'),
      hit('provider', 10, 40, 'Stripe secret key'),
      hit('assignment', 50, 60, 'password'),
    ]);
    expect(merged.map((h) => [h.kind, h.context])).toEqual([
      ['provider', 'as the fallback for process.env.STRIPE_KEY'],
      ['assignment', undefined],
    ]);
  });
});

describe('code pre-filter', () => {
  const parse = (code: string) => ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);

  it('lets through files with a sink, fallback or secret name, and skips the rest', () => {
    expect(hasCandidate(`jwt.sign(p, '${random(24)}')`)).toBe(true);
    expect(hasCandidate(`const k = process.env.K ?? '${random(24)}'`)).toBe(true);
    expect(hasCandidate(`export const apiKey = '${random(24)}'`)).toBe(true);
    expect(
      hasCandidate(
        `import { x } from '@nestjs/common';\nfetch(url, { headers: { 'content-type': 'application/json' } });\nconst s = 'orders.timeoutMs';`,
      ),
    ).toBe(false);
  });

  it('never hides a finding the syntax tree gives (random programs)', () => {
    const names = ['secret', 'apiKey', 'password', 'value', 'url', 'cacheKey', 'SIGNING'];
    const literals = [
      random(24),
      random(10),
      'changeme',
      'http://x.internal:8080',
      'orders.list',
      random(40, 'abcdef0123456789'),
    ];
    const statement = fc.oneof(
      fc.tuple(fc.constantFrom(...names), fc.constantFrom(...literals)).map(([n, l]) => `const ${n} = '${l}';`),
      fc
        .tuple(fc.constantFrom(...names), fc.constantFrom(...literals))
        .map(([n, l]) => `export const cfg = { ${n}: process.env.X_${n.toUpperCase()} ?? '${l}' };`),
      fc.constantFrom(...literals).map((l) => `jwt.sign(payload, '${l}');`),
      fc
        .tuple(fc.constantFrom(...names), fc.constantFrom(...literals))
        .map(([n, l]) => `app.use(session({\n  ${n}:\n    '${l}',\n}));`),
      fc.constantFrom(...names).map((n) => `jwt.verify(token, ${n});`),
      fc.constantFrom(...names).map((n) => `app.use(session({ secret: ${n} }));`),
      fc.constantFrom(...names).map((n) => `super({ jwtFromRequest, secretOrKey: ${n} });`),
      fc.constantFrom(...literals).map((l) => `createHmac('sha256', '${l}');`),
    );
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 6 }), (statements) => {
        const code = statements.join('\n');
        if (findCodeSecrets(ts, parse(code)).length > 0) expect(hasCandidate(code), code).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('samples and published defaults', () => {
  const jwt = (payload: object) =>
    `${[{ alg: 'HS256', typ: 'JWT' }, payload].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.')}.${randomBytes(32).toString('base64url')}`;

  it('published demo JWTs and local-stack defaults are not secrets; other JWTs are guesses', () => {
    expect(notSecretReason(jwt({ iss: 'supabase-demo', role: 'anon', exp: 1983812996 }))).toBe('demo token');
    expect(findProviderSecrets('x.yaml', `k: ${jwt({ iss: 'supabase-demo', role: 'service_role' })}\n`)).toEqual([]);
    const [hit] = findProviderSecrets('x.yaml', `k: ${jwt({ iss: 'acme', role: 'service_role' })}\n`);
    expect(hit).toMatchObject({ label: 'JSON Web Token', sure: false });
    for (const value of ['minioadmin', 'p0stgr3s', 'postgres123', 'rabbitmq', 'p@ss/word', 'changeit'])
      expect(notSecretReason(value), value).toBeDefined();
    expect(notSecretReason(random(16))).toBeUndefined();
  });

  it("local chains' default accounts are published keys; any other 64-hex key is not", () => {
    // Account 0 of Hardhat/Anvil (`test test … junk`) and of Ganache --deterministic, as the tools print them.
    for (const key of [
      '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
      'AC0974BEC39A17E36BA4A6B4D238FF944BACB478CBED5EFCAE784D7BF4F2FF80',
      '0x4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d',
      // Hardhat's account 19, the last it funds.
      '0xdf57089febbacf7ba0bc227dafbffa9fc08a93fdc68e1e42411a14efcf23656e',
    ])
      expect(notSecretReason(key), key).toBe('published key of a local chain account');
    expect(notSecretReason('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff81')).toBeUndefined();
    expect(notSecretReason(randomBytes(32).toString('hex'))).toBeUndefined();
  });

  it('an instruction in place of a value is not a secret; a chosen phrase, leet or a random draw is judged as usual', () => {
    for (const value of [
      'SomeRandomStringOf32CharsExactly',
      'aLongAndSecretStringUsedToSignTheJSONWebToken1234',
      'createAGithubApp',
      'generate-a-long-random-key',
      'enter-a-strong-passphrase',
    ]) {
      expect(isInstruction(value), value).toBe(true);
      expect(looksLikeSecret(value, 'named'), value).toBe(false);
      // Passed to a signing call, the phrase is the key the code signs with.
      expect(looksLikeSecret(value, 'sink'), value).toBe(true);
    }
    for (const value of [
      'aK3yF0rS1gn1ngT0k3nsW1thJwt',
      'aK9xLmQ2pR7tV4wY6zB8cD1eF3gH5jN0',
      'peppermint4life',
      'aXbYcZdWeVfU',
    ])
      expect(isInstruction(value), value).toBe(false);
    // Random draws that happen to start like an article or a verb stay secrets.
    for (let i = 0; i < 5000; i++)
      for (const start of ['a', 'Some', 'create']) expect(isInstruction(`${start}${random(28)}`)).toBe(false);
  });

  it('tokens whose content shows they open nothing: public anon keys, placeholder-signed JWTs, demo accounts', () => {
    const signed = (payload: object, key: string) => {
      const unsigned = [{ alg: 'HS256', typ: 'JWT' }, payload]
        .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
        .join('.');
      return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
    };
    const base64 = (text: string) => Buffer.from(text).toString('base64');
    // Supabase documents the anon key as safe in a browser; a service_role key of a real project is not.
    expect(notSecretReason(jwt({ iss: 'supabase', ref: 'abcdefghijklmnopqrst', role: 'anon' }))).toBe('demo token');
    const reported = (token: string) => findProviderSecrets('x.yaml', `k: ${token}\n`).length === 1;
    expect(reported(jwt({ iss: 'supabase', ref: 'abcdefghijklmnopqrst', role: 'service_role' }))).toBe(true);
    expect(reported(jwt({ iss: 'supabase', ref: 'abcdefghijklmnopqrst', role: 'anon' }))).toBe(false);
    // Anyone can mint a token signed with `dev` or jwt.io's default key; the same claims under a real key are a guess.
    const claims = { role: 'metrics', sub: '4ddfc71e-1458-4355-a532-86302ca121d7' };
    expect(notSecretReason(signed(claims, 'dev'))).toBe('demo token');
    expect(notSecretReason(signed(claims, 'your-256-bit-secret'))).toBe('demo token');
    expect(reported(signed(claims, 'dev'))).toBe(false);
    expect(reported(signed(claims, random(32)))).toBe(true);
    // A local dev server's documented token: base64 of a default account. A real account, or random bytes, are not.
    expect(notSecretReason(base64('{"UserID":"defaultUser","Password":"defaultPassword"}'))).toBe('demo token');
    expect(notSecretReason(base64('test-user:test-password'))).toBe('demo token');
    expect(notSecretReason(base64(`{"UserID":"acme-billing","Password":"${random(20)}"}`))).toBeUndefined();
    expect(notSecretReason(createHash('sha384').update('key bytes').digest('base64'))).toBeUndefined();
    expect(notSecretReason(signed({ sub: 'demo-user', email: 'demo@example.com' }, random(32)))).toBe('demo token');
    expect(reported(signed({ sub: 'demo-user', email: 'ops@acme.io' }, random(32)))).toBe(true);
  });

  it('values public by design and printf formats are not secrets', () => {
    expect(notSecretReason(`phc_${random(43)}`)).toBe('public identifier');
    expect(notSecretReason(`pk.eyJ${random(60)}`)).toBeDefined();
    expect(notSecretReason(`phx_${random(43)}`)).toBeUndefined();
    expect(notSecretReason('%s\\nUNKEY_REGISTRY_PASSWORD=%s\\n')).toBe('reference to configuration');
    // A URL-encoded password has `%` and hex digits, no printf conversion.
    expect(notSecretReason(`${random(8)}%2F${random(8)}%3d`)).toBeUndefined();
  });

  it('words of a language and UI keys are not secrets under a secret-like name; a signing call still takes a word', () => {
    for (const value of [
      'Passwort',
      'Palavra-passe',
      'OIDC-Privatschlüssel',
      'Lösenord',
      'コネクタのIDトークン',
      'p95Latency',
      'mfa.link_email_2fa_description',
      '_app_device_flow_xsrf',
      'env.APP_SECRET',
    ]) {
      expect(looksLikeSecret(value, 'named'), value).toBe(false);
    }
    expect(looksLikeSecret('Secretkey', 'sink')).toBe(true);
    for (const name of [
      'dataKey',
      'titleKey',
      'descriptionKey',
      'idempotencyKey',
      'deduplicationKey',
      'correlationToken',
    ]) {
      expect(isSecretName(name), name).toBe(name === 'dataKey');
    }
  });

  it('Slack tokens need Slack ids: a short label in a test is not one', () => {
    expect(findProviderSecrets('a.test.ts', "botToken: 'xoxb-old-1'\n")).toEqual([]);
  });

  it('a URL password is sure to another machine, and nothing to this machine or a documentation host', () => {
    const password = random(16);
    const loopback = ['localhost:5432', '127.0.0.1', '[::1]:5432', 'host.docker.internal'].map(
      (host) => `postgres://app:${password}@${host}/app`,
    );
    const content = `a=postgres://app:${password}@db.internal/app\n${loopback.join('\n')}\nc=redis://u:${password}@cache.example:6379\n`;
    expect(findUrlPasswords(content).map((h) => [content.slice(0, h.start).split('\n').length, h.sure])).toEqual([
      [1, true],
    ]);
  });

  it('finds command-line passwords and shell defaults, and not a default inside ${…} as a name', () => {
    const secret = random(20);
    const content = `command: redis-server --requirepass ${secret}\ncmd: ["redis-server", "--masterauth", "${secret}"]\nJWT_SECRET: \${JWT_SECRET:-${secret}}\nKEY: \${ENCRYPTION_KEY:-default-encryption-key}\n`;
    const hits = findAssignedSecrets('docker-compose.yml', content);
    expect(hits.map((h) => [h.kind, h.label, content.slice(h.start, h.end)])).toEqual([
      ['assignment', 'the command-line flag --requirepass', secret],
      ['assignment', 'the command-line flag --masterauth', secret],
      ['fallback', '${JWT_SECRET}', secret],
    ]);
  });

  it("judges a flag's key=value option list per option: a BuildKit secret id is a name, not a value", () => {
    const secret = random(24);
    const content = `build: docker buildx build --secret id=NPM_TOKEN,env=NPM_TOKEN -t app .\nrun: tool --auth user=ci,password=${secret}\n`;
    const hits = mergeHits(findAssignedSecrets('package.json', content));
    expect(hits.map((h) => [h.label, content.slice(h.start, h.end)])).toEqual([['password', secret]]);
  });

  it("finds an example's key however far above the value it is (a large description's components.examples)", () => {
    const filler = Array.from({ length: 3000 }, (_, n) => `          "field${n}": ${n},`).join('\n');
    const json =
      '{\n  "components": {\n    "examples": {\n      "token": {\n        "value": {\n' +
      `${filler}\n          "temp_clone_token": "FFF"\n        }\n      }\n    },\n    "x": { "password": "GGG" }\n  }\n}\n`;
    const file = textFile('api.json', json);
    expect(isUnderExampleKey(file, json.indexOf('FFF'))).toBe(true);
    expect(isUnderExampleKey(file, json.indexOf('GGG'))).toBe(false);
    const yaml = 'examples:\n- AAA\n- BBB\nother:\n- CCC\n';
    const yamlFile = textFile('a.yaml', yaml);
    expect(
      [yaml.indexOf('AAA'), yaml.indexOf('BBB'), yaml.indexOf('CCC')].map((at) => isUnderExampleKey(yamlFile, at)),
    ).toEqual([true, true, false]);
  });

  it("tells a GitHub or npm token that fails its format's checksum (never issued) from one that passes", () => {
    const body = random(30);
    expect(failsChecksum('GitHub token', withChecksum('ghp_', body))).toBe(false);
    expect(failsChecksum('npm access token', withChecksum('npm_', body))).toBe(false);
    // GitHub's own API description shows this one: the shape, not the checksum.
    expect(failsChecksum('GitHub token', 'ghu_16C7e42F292c6912E7710c838347Ae178B4a')).toBe(true);
    expect(failsChecksum('Slack token', 'xoxb-1')).toBeUndefined();
  });

  it('tells sample values by their place: example keys, comment lines, documentation, translations', () => {
    const yaml =
      'properties:\n  token:\n    type: string\n    examples:\n    - AAA\n    example: BBB\n  other:\n    default: CCC\n';
    expect(isUnderExampleKey(textFile('a.yaml', yaml), yaml.indexOf('AAA'))).toBe(true);
    expect(isUnderExampleKey(textFile('a.yaml', yaml), yaml.indexOf('BBB'))).toBe(true);
    expect(isUnderExampleKey(textFile('a.yaml', yaml), yaml.indexOf('CCC'))).toBe(false);
    const json = '{\n  "example": {\n    "client_secret": "DDD"\n  },\n  "password": "EEE"\n}\n';
    expect(isUnderExampleKey(textFile('a.json', json), json.indexOf('DDD'))).toBe(true);
    expect(isUnderExampleKey(textFile('a.json', json), json.indexOf('EEE'))).toBe(false);
    expect(isCommentLine(textFile('a.yml', '  # curl -H "Authorization: Bearer X"\n'), 20)).toBe(true);
    expect(isCommentLine(textFile('a.yml', '  command: --requirepass X\n'), 20)).toBe(false);
    expect(isCommentLine(textFile('a.sql', '-- ALTER USER app PASSWORD X\n'), 20)).toBe(true);
    expect(
      isSampleFile('docs/guide.mdx') &&
        isSampleFile('public/intl/messages/ca-ES.json') &&
        isSampleFile('src/locales/de/input.ts'),
    ).toBe(true);
    expect(isSampleFile('config/app.yaml') || isSampleFile('docker-compose.yml')).toBe(false);
  });

  it('reads a declaration in the trailing comment or the comment heading the block, nowhere else', () => {
    const declared = (content: string, path = 'a.ts') =>
      isDeclaredNotSecret(textFile(path, content), content.indexOf('VALUE'), content.indexOf('VALUE') + 5);
    for (const comment of [
      'not actually a secret key',
      'dummy secret',
      'fake',
      'placeholder',
      'for unit tests',
      'test-only',
      'local-dev account 1',
      'development only',
      'safe to commit',
    ]) {
      expect(declared(`const a = 'VALUE'; // ${comment}\n`), comment).toBe(true);
      expect(declared(`// ${comment}\nconst a = 'VALUE';\n`), comment).toBe(true);
    }
    expect(declared("// mocked in tests\nconst a = 'VALUE';\n")).toBe(false);
    // A URL's `//` is no comment; a blank line, a parent line or another comment ends a heading's block.
    expect(declared("const a = 'VALUE', b = 'https://dummy.acme.dev';\n")).toBe(false);
    expect(declared("// dummy\n\nconst a = 'VALUE';\n")).toBe(false);
    expect(declared('# dummy\nsection:\n  key: VALUE\n', 'a.yaml')).toBe(false);
    expect(declared('# dummy\nother: x\n# the real one\nkey: VALUE\n', 'a.yaml')).toBe(false);
    expect(declared('# dummy\nother: x\nkey: VALUE\n', 'a.yaml')).toBe(true);
  });

  it('finds the ranges of example values in code-defined schemas', () => {
    const code =
      "const s = { examples: ['A1'] };\nz.string().openapi({ example: 'B2' });\nclass D { @ApiProperty({ example: 'C3' }) p!: string }\nconst k = { key: 'D4' };\n";
    const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const ranges = exampleRanges(ts, source);
    const inside = (text: string) => ranges.some((r) => code.indexOf(text) >= r.start && code.indexOf(text) < r.end);
    expect(['A1', 'B2', 'C3'].map(inside)).toEqual([true, true, true]);
    expect(inside('D4')).toBe(false);
  });
});
