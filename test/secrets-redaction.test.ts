/**
 * security/no-hardcoded-secrets never prints a secret: secrets planted at run time (random, in the
 * right shapes) are reported in every format, and no report contains one whole. Reports show at
 * most the first 4 characters and the length; fingerprints come from a hash of the value.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as cli } from './harness/cli.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/**
 * Random, and always looking it: an upper-case letter, a digit and a lower-case letter among the
 * characters (an all-letter draw, ~3 % of 20-character ones, can read as words to the detector).
 */
const random = (n: number, alphabet = ALNUM) => {
  const chars = Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]!);
  const [upper, digit, lower] = Array.from(randomBytes(3));
  chars[upper! % n] = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[upper! % 26]!;
  chars[((upper! % n) + 1) % n] = '0123456789'[digit! % 10]!;
  chars[((upper! % n) + 2) % n] = 'abcdefghijklmnopqrstuvwxyz'[lower! % 26]!;
  return chars.join('');
};

/** One secret per detector kind, with the file it is planted in. */
const SECRETS = {
  github: `ghp_${random(36)}`,
  stripe: `sk_test_${random(32)}`,
  pemBody: `MIIEpAIBAAKCAQEA${randomBytes(300).toString('base64')}`,
  dbPassword: random(20),
  urlPassword: random(18),
  jwtKey: random(32),
  fallback: random(28),
  generic: random(34),
  sqlPassword: random(20),
};
const pem = (body: string) =>
  `-----BEGIN RSA PRIVATE KEY-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END RSA PRIVATE KEY-----\n`;

const FILES: Record<string, string> = {
  'config/integrations.yaml': `github: ${SECRETS.github}\n`,
  'src/payments.ts': `export const key = process.env.STRIPE_KEY ?? '${SECRETS.stripe}';\n`,
  'keys/deploy.pem': pem(SECRETS.pemBody),
  'docker-compose.yml': `services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${SECRETS.dbPassword}\n`,
  '.env': `DATABASE_URL=postgres://orders:${SECRETS.urlPassword}@db.internal:5432/orders\n`,
  'src/auth.ts': `import jwt from 'jsonwebtoken';\nexport const issue = (sub: string) => jwt.sign({ sub }, '${SECRETS.jwtKey}');\n`,
  'src/config.ts': `export const hmacKey = process.env.HMAC_KEY || '${SECRETS.fallback}';\n`,
  'config/settings.json': `{\n  "client_secret": "${SECRETS.generic}"\n}\n`,
  'db/seed.sql': `CREATE ROLE reporting LOGIN PASSWORD '${SECRETS.sqlPassword}';\n`,
};

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'archlint-secrets-'));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Every way a value could leak: as written, JSON-escaped, and each PEM line of a key. */
function leaks(output: string): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(SECRETS)) {
    const pieces = name === 'pemBody' ? value.match(/.{1,64}/g)! : [value];
    for (const piece of pieces)
      if (output.includes(piece) || output.includes(JSON.stringify(piece).slice(1, -1)))
        found.push(`${name}: …${piece.slice(8, 12)}…`);
  }
  return found;
}

describe('security/no-hardcoded-secrets redaction', () => {
  const dir = tree(FILES);
  const FORMATS = ['pretty', 'json', 'sarif', 'github', 'markdown'] as const;

  it.each(FORMATS)('%s: every planted secret is reported, none is printed', async (format) => {
    const { code, stdout, stderr } = await cli(
      ['--only', 'security/no-hardcoded-secrets', '--format', format, '--no-color', '.'],
      dir,
    );
    expect(code).toBe(1);
    expect(leaks(stdout + stderr)).toEqual([]);
  });

  it('reports each planted secret once, with a 4-character preview and its length', async () => {
    const { stdout } = await cli(['--only', 'security/no-hardcoded-secrets', '--format', 'json', '.'], dir);
    const findings = (JSON.parse(stdout) as { findings: Array<{ file: string; message: string; ruleId: string }> })
      .findings;
    expect(findings.map((f) => f.file).sort()).toEqual(Object.keys(FILES).sort());
    for (const finding of findings) expect(finding.message).toMatch(/ \S{1,4}… \(\d+ characters\)/);
    const github = findings.find((f) => f.file === 'config/integrations.yaml')!;
    expect(github.message).toContain(`${SECRETS.github.slice(0, 4)}… (40 characters)`);
  });

  it('writes reports to files without the secrets either', async () => {
    await cli(
      [
        '--only',
        'security/no-hardcoded-secrets',
        '-f',
        'sarif=out.sarif',
        '-f',
        'markdown=out.md',
        '-f',
        'json=out.json',
        '.',
      ],
      dir,
    );
    for (const file of ['out.sarif', 'out.md', 'out.json'])
      expect(leaks(readFileSync(join(dir, file), 'utf8')), file).toEqual([]);
    rmSync(join(dir, 'out.sarif'));
    rmSync(join(dir, 'out.md'));
    rmSync(join(dir, 'out.json'));
  });

  it('fingerprints depend on the value, not on where it is or the text around it', async () => {
    const key = random(32);
    const fingerprint = async (files: Record<string, string>) => {
      const { stdout } = await cli(['--only', 'security/no-hardcoded-secrets', '--format', 'json', '.'], tree(files));
      return (JSON.parse(stdout) as { findings: Array<{ fingerprint: string }> }).findings.map((f) => f.fingerprint);
    };
    const before = await fingerprint({ '.env': `API_KEY=${key}\n` });
    const moved = await fingerprint({ '.env': `# moved down\nPORT=3000\nexport API_KEY="${key}"\n` });
    const rotated = await fingerprint({ '.env': `API_KEY=${random(32)}\n` });
    expect(moved).toEqual(before);
    expect(rotated).not.toEqual(before);
  });

  it('SARIF rules carry security-severity and results carry no snippet', async () => {
    const { stdout } = await cli(['--only', 'security/no-hardcoded-secrets', '--format', 'sarif', '.'], dir);
    const sarif = JSON.parse(stdout) as {
      runs: Array<{
        tool: { driver: { rules: Array<{ id: string; properties?: Record<string, unknown> }> } };
        results: Array<{ locations: Array<{ physicalLocation: { region?: Record<string, unknown> } }> }>;
      }>;
    };
    const rule = sarif.runs[0]!.tool.driver.rules.find((r) => r.id === 'security/no-hardcoded-secrets')!;
    expect(Number(rule.properties?.['security-severity'])).toBeGreaterThanOrEqual(7);
    for (const result of sarif.runs[0]!.results)
      expect(result.locations[0]!.physicalLocation.region?.snippet).toBeUndefined();
  });
});
