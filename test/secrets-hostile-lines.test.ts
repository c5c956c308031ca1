/**
 * Issue 23, item 2: one crafted line used to stall security/no-hardcoded-secrets — `key:` repeated
 * and a `(` at the end, in a text file that is not code, took 391 s at 1 MB, because the
 * assignment pattern retried the same run of characters from every `key:` in it. The scan is now
 * linear in the line's length. These lines go through the whole rule (discovery, detectors,
 * report) and must finish within the test's timeout; the benchmark `secrets-hostile-line`
 * measures the times. A real secret on the next line is still found, so the lines are read.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { lint } from '../src/engine/run.js';

const RULE = 'security/no-hardcoded-secrets';
const MB = 1024 * 1024;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const random = (n: number) => Array.from(randomBytes(n), (b) => ALNUM[b % ALNUM.length]).join('');

/** A unit repeated to about 1 MB, then what makes every match fail at the very end. */
const hostile = (unit: string, end: string) => `${unit.repeat(Math.ceil(MB / unit.length))}${end}\n`;

const dir = mkdtempSync(join(tmpdir(), 'archlint-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function findingsOf(file: string, content: string) {
  writeFileSync(join(dir, file), content);
  const { result } = await lint({ cwd: dir, paths: [file], loaded: { config: {}, baseDir: dir }, rules, only: [RULE] });
  return result.findings.map((f) => `${f.file}:${f.line} ${f.message.split(' ')[0]}`);
}

describe('security/no-hardcoded-secrets on a 1 MB hostile line', () => {
  it('`key:` repeated and a `(` (the issue’s line) in a text file', async () => {
    const secret = random(24);
    expect(await findingsOf('notes.txt', `${hostile('key:', '(')}API_KEY=${secret}\n`)).toEqual([
      'notes.txt:2 API_KEY',
    ]);
  });

  it('`password=` repeated and a `(`, in a .env file', async () => {
    expect(await findingsOf('hostile.env', hostile('password=', '('))).toEqual([]);
  });

  it('`${KEY:-` repeated with no closing brace, in a compose file', async () => {
    expect(await findingsOf('docker-compose.yml', hostile('${KEY:-', ''))).toEqual([]);
  });

  it("a YAML `services:` block of indented lines with no container (Render's blueprint) is read line by line", async () => {
    // A regular expression over the block backtracked for ever on these lines: each may be read as blank or not.
    const block = `services:\n${'  - key: ENDPOINT\n    value: true\n'.repeat(40)}databases:\n  - name: db\n`;
    const secret = random(24);
    expect(await findingsOf('render.yaml', `${block}API_KEY: ${secret}\n`)).toEqual(['render.yaml:84 API_KEY']);
  });

  it('BEGIN PRIVATE KEY lines and no END', async () => {
    expect(await findingsOf('keys.txt', hostile('-----BEGIN PRIVATE KEY-----', ''))).toEqual([]);
  });
});

/**
 * The same, as a property: any line built by repeating a few tokens that the secrets patterns
 * react to (assignment keys, separators, quotes, `${`, key prefixes, PEM armour), cut anywhere, in
 * any of the file kinds the rule reads, is scanned in linear time. The budget is the test's
 * timeout: 24 lines of 256 KB each take well under a second apiece when the scan is linear, and
 * the quadratic pattern this replaces needed 21 s for one such line.
 */
describe('any line made of the tokens the patterns react to', () => {
  const TOKENS = [
    'key',
    'API_KEY',
    'password',
    'secret',
    'token',
    ':',
    '=',
    ': ',
    ' = ',
    ' ',
    '"',
    "'",
    '`',
    '(',
    ')',
    '${',
    ':-',
    '}',
    '$',
    'AKIA',
    'sk_live_',
    'ghp_',
    'xoxb-',
    'eyJ',
    '.',
    '/',
    '\\',
    'a1B2c3D4e5',
    '_',
    '-',
    '@',
    '://',
    'Bearer ',
    '-----BEGIN ',
    'PRIVATE KEY-----',
    '#',
    '//',
    ',',
    '{',
    '[',
    '\t',
  ];
  const FILES = ['notes.txt', '.env', 'config.ts', 'docker-compose.yml', 'settings.json', 'app.properties'];
  it('is scanned within the budget, whatever the mix', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 6 }),
        fc.constantFrom('', '(', '"', "'", '${', '=', ':'),
        fc.constantFrom(...FILES),
        async (unit, end, file) => {
          const text = unit.join('');
          const line = `${text.repeat(Math.ceil((256 * 1024) / text.length))}${end}\n`;
          // A real key on the next line: the hostile line must not stop the scan.
          const found = await findingsOf(file, `${line}aws_key = "AKIAZ3MWSQPWNHXYK7QT"\n`);
          expect(found.some((f) => f.endsWith(':2 AWS'))).toBe(true);
        },
      ),
      { numRuns: 24, seed: 23 },
    );
  }, 120_000);
});
