/**
 * Provider token formats: the kinds secretlint's recommended preset knows (AWS, GCP, GitHub,
 * GitLab, Slack, Stripe, SendGrid, npm, OpenAI, Anthropic, Groq, Hugging Face, Linear, Notion,
 * Shopify, Grafana, 1Password, HashiCorp Vault, Vercel, Databricks, Docker, Figma, Cloudflare,
 * Tailscale, private keys), plus Google API keys and OAuth refresh tokens, Twilio API keys, Stripe
 * webhook secrets and JWTs. Every token must stand apart on both sides: inside a longer run of
 * letters, digits or base64 it is a chance substring.
 *
 * Each format has a `hint`, a short regex every match contains. The hints are joined into one
 * regex that reads each file once; a format's full pattern runs only on files where its hint
 * appeared (one pass instead of thirty: most files have none).
 */
import type { SecretHit } from './hits.js';
import { isPublicDemoToken } from './demo-tokens.js';
import { notSecretReason } from './values.js';

/** The doubt of a provider's test-mode key: it opens the account's test data only. */
export const TEST_MODE_DOUBT = 'a test-mode key reaches test data only';

interface ProviderFormat {
  label: string;
  /** Regex source every match contains (no capturing groups): the pattern runs only on files that have it. */
  hint: string;
  /** Global pattern; the named group `secret`, when present, is the secret's own range. */
  pattern: RegExp;
  /** Only in files whose path matches (e.g. `.npmrc`). */
  files?: RegExp;
  /** Extra shape check on the secret (JWT header, private key body). */
  accept?: (secret: string) => boolean;
  /** The part whose randomness decides placeholder or not (default: the secret after its prefix). */
  randomPart?: (secret: string) => string;
  /** Why the format alone does not make it a live credential (a JWT of an unknown issuer, a test-mode key), if so. */
  doubt?: (secret: string) => string | undefined;
}

/**
 * Not preceded by a letter, digit, `_`/`-` or base64's `+`/`/` (the token starts here): a key's
 * prefix found inside a longer run of base64 (an inline PNG or font `data:` URI, a certificate body)
 * is a chance string of that run, not a key.
 */
const B = '(?<![A-Za-z0-9_+/-])';
/** Not followed by one (the token ends here). */
const E = '(?![A-Za-z0-9_+/-])';
/** A JWT's own boundaries: its alphabet is base64url, and it may follow a URL's `/` (`/verify/eyJ…`). */
const JWT_B = '(?<![A-Za-z0-9_-])';
const JWT_E = '(?![A-Za-z0-9_-])';
const re = (source: string, flags = 'g') => new RegExp(source, flags);

export const PROVIDER_FORMATS: readonly ProviderFormat[] = [
  // AWS: access key ids of long-term (AKIA) and temporary (ASIA) credentials; the secret key only next to its name.
  {
    label: 'AWS access key ID',
    hint: 'A(?:KIA|SIA|3T)',
    pattern: re(`(?<![A-Za-z0-9+/])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9+/])`),
  },
  {
    label: 'AWS secret access key',
    hint: '(?:[sS]ecret|SECRET)_?(?:[aA]ccess|ACCESS)_?(?:[kK]ey|KEY)',
    pattern: re(
      `(?:aws)?_?secret_?access_?key["']?\\s*(?::|=>|=)\\s*["']?(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])`,
      'gi',
    ),
    randomPart: (s) => s,
  },
  { label: 'Google API key', hint: 'AIza', pattern: re(`${B}AIza[0-9A-Za-z_-]{35}${E}`) },
  // Google's OAuth refresh tokens (`1//0…`, ~100 characters) live until revoked; its access tokens (`ya29.…`) expire within the hour.
  {
    label: 'Google OAuth refresh token',
    hint: '1//0',
    pattern: re(`${B}1//0[A-Za-z0-9_-]{40,250}(?![A-Za-z0-9_+/=-])`),
    randomPart: (s) => s.slice(4),
  },
  { label: 'GitHub token', hint: 'gh[pousr]_', pattern: re(`${B}gh[pousr]_[A-Za-z0-9_]{36}${E}`) },
  { label: 'GitHub fine-grained token', hint: 'github_pat_', pattern: re(`${B}github_pat_[A-Za-z0-9_]{82}${E}`) },
  {
    label: 'GitLab token',
    hint: 'gl[a-z]{1,6}-',
    pattern: re(`${B}gl(?:pat|dt|rt|ptt|ft|soat|cbt|imt|agent)-[A-Za-z0-9_-]{20,128}${E}`),
  },
  {
    label: 'Slack token',
    hint: 'x(?:ox[baprose]|app)-',
    pattern: re(`${B}(?:xox[baprose]|xapp)-(?:\\d-)?(?:[A-Za-z0-9]{1,40}-)+[A-Za-z0-9]{1,40}${E}`),
    // Slack issues ids of 10+ digits and a 24+ character secret: `xoxb-old-1` in a test is a label.
    accept: (secret) => secret.length >= 30 && /\d{8}/.test(secret),
  },
  {
    label: 'Slack webhook URL',
    hint: 'hooks\\.slack\\.com',
    // A real webhook's path is a team id, a hook id and a 24-character secret (43+ characters, as gitleaks
    // requires): `services/123123/123123/123123` in a form's test fixture is a made-up URL.
    pattern: re(`https://hooks\\.slack\\.com/(?:services|workflows|triggers)/(?<secret>[A-Za-z0-9_/+-]{43,})`, 'gi'),
    randomPart: (s) => s,
  },
  {
    label: 'Stripe secret key',
    hint: '[sr]k_(?:live|test)_',
    pattern: re(`${B}[sr]k_(?:live|test)_[A-Za-z0-9]{24,99}${E}`),
    // A test-mode key reads and writes test data only; a live key moves money.
    doubt: (secret) => (secret.includes('_test_') ? TEST_MODE_DOUBT : undefined),
  },
  { label: 'Stripe webhook secret', hint: 'whsec_', pattern: re(`${B}whsec_[A-Za-z0-9+/]{32,}${E}`) },
  { label: 'SendGrid API key', hint: 'SG\\.', pattern: re(`${B}SG\\.[A-Za-z0-9_-]{16,32}\\.[A-Za-z0-9_-]{16,64}${E}`) },
  { label: 'Twilio API key', hint: 'SK[0-9a-f]', pattern: re(`(?<![A-Za-z0-9+/])SK[0-9a-f]{32}(?![A-Za-z0-9+/])`) },
  { label: 'npm access token', hint: 'npm_', pattern: re(`${B}npm_[A-Za-z0-9]{36}${E}`) },
  {
    label: 'npm registry credential',
    hint: ':_(?:authToken|auth|password)\\s*=',
    files: /(^|\/)\.npmrc$/,
    pattern: re(`:_(?:authToken|auth|password)\\s*=\\s*(?<secret>[^\\s$"'][^\\s"']*)`),
    randomPart: (s) => s,
  },
  {
    label: 'OpenAI API key',
    hint: 'sk-',
    pattern: re(
      `${B}sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,200}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{48})${E}`,
    ),
  },
  {
    label: 'Anthropic API key',
    hint: 'sk-ant-',
    pattern: re(`${B}sk-ant-(?:api|admin)\\d\\d-[A-Za-z0-9_-]{80,128}${E}`),
  },
  { label: 'Groq API key', hint: 'gsk_', pattern: re(`${B}gsk_[A-Za-z0-9]{52}${E}`) },
  { label: 'Hugging Face token', hint: 'hf_', pattern: re(`${B}hf_[A-Za-z]{34}${E}`) },
  { label: 'Linear API key', hint: 'lin_api_', pattern: re(`${B}lin_api_[A-Za-z0-9_]{32,128}${E}`) },
  { label: 'Notion token', hint: 'ntn_', pattern: re(`${B}ntn_[0-9]{11}[A-Za-z0-9]{35}${E}`) },
  { label: 'Shopify token', hint: 'shp(?:at|ca|pa|ss)_', pattern: re(`${B}shp(?:at|ca|pa|ss)_[A-Za-z0-9]{32,64}${E}`) },
  {
    label: 'Grafana token',
    hint: 'gl(?:c|sa)_',
    pattern: re(`${B}(?:glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})(?![A-Za-z0-9+/=_-])`),
  },
  {
    label: '1Password service account token',
    hint: 'ops_ey',
    pattern: re(`${B}ops_ey[A-Za-z0-9+/=]{100,1280}(?![A-Za-z0-9+/=])`),
  },
  {
    label: 'HashiCorp Vault token',
    hint: 'hv[sbr]\\.',
    pattern: re(`${B}(?:hvs\\.[A-Za-z0-9_-]{90,120}|hvb\\.[A-Za-z0-9_-]{138,300}|hvr\\.[A-Za-z0-9_-]{90,120})${E}`),
  },
  { label: 'Vercel token', hint: 'vc[pickr]_', pattern: re(`${B}vc[pickr]_[A-Za-z0-9]{20,60}${E}`) },
  { label: 'Databricks token', hint: 'dapi', pattern: re(`${B}dapi[a-f0-9]{32}(?:-\\d)?${E}`) },
  { label: 'Docker personal access token', hint: 'dckr_pat_', pattern: re(`${B}dckr_pat_[A-Za-z0-9_-]{27}${E}`) },
  { label: 'Figma token', hint: 'figd_', pattern: re(`${B}figd_[A-Za-z0-9_-]{40,200}${E}`) },
  {
    label: 'Cloudflare token',
    hint: 'cf(?:k|ut|at)_',
    pattern: re(`${B}cf(?:k|ut|at)_[A-Za-z0-9]{40}[0-9a-f]{8}${E}`),
  },
  {
    label: 'Tailscale key',
    hint: 'tskey-',
    pattern: re(`${B}tskey-[a-z]{2,20}-[0-9A-Za-z_]{8,40}-[0-9A-Za-z_]{16,60}${E}`),
  },
  {
    label: 'JSON Web Token',
    hint: 'eyJ',
    pattern: re(`${JWT_B}eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}${JWT_E}`),
    accept: (token) => isJwt(token) && !isPublicDemoToken(token) && !isShortLived(token),
    randomPart: (s) => s.slice(s.lastIndexOf('.') + 1),
    // Whether a JWT grants anything depends on its issuer's key and its expiry, neither of which is in the repository.
    doubt: () => 'whether it grants access depends on its issuer and expiry, which the repository does not show',
  },
  {
    label: 'private key',
    hint: 'PRIVATE KEY',
    // The body may be a PEM block, a JSON string with \n escapes, or an indented YAML block. It never holds
    // another BEGIN line: without that stop, a file of BEGIN lines and no END was read 16,000 characters per line.
    pattern: re(
      `-----BEGIN (?:(?:RSA|DSA|EC|OPENSSH|PGP|ENCRYPTED) )?PRIVATE KEY(?: BLOCK)?-----(?<secret>(?:(?!-----BEGIN )[\\s\\S]){0,16000}?)-----END (?:(?:RSA|DSA|EC|OPENSSH|PGP|ENCRYPTED) )?PRIVATE KEY(?: BLOCK)?-----`,
    ),
    accept: (body) => pemBase64(body).length >= 100,
    randomPart: (body) => pemBase64(body),
  },
];

/** The base64 of a PEM body: escapes, whitespace, quotes/concatenation and RFC 1421 headers removed. */
export function pemBase64(body: string): string {
  return body
    .replace(/\\[nr]/g, '\n')
    .split(/\n/)
    .filter((line) => !/^\s*[A-Za-z-]+:\s/.test(line))
    .join('')
    .replace(/["'+,\s\\]/g, '');
}

/** An hour: the longest life of a token issued for one request or one view (GitHub's image links live five minutes). */
const SHORT_LIFETIME_SECONDS = 3600;

/**
 * A token whose own claims give it a life of an hour at most (`exp` minus `nbf` or `iat`): issued for one request or
 * one view of an asset (the `?jwt=` of a GitHub private-user-images link), it had expired before the commit holding
 * it could be read. Its expiry is in the repository after all, and it grants nothing; it does not reveal the key that
 * signed it either.
 */
function isShortLived(token: string): boolean {
  const claims = jwtClaims(token);
  const exp = claims?.exp;
  const from = claims?.nbf ?? claims?.iat;
  return typeof exp === 'number' && typeof from === 'number' && exp > from && exp - from <= SHORT_LIFETIME_SECONDS;
}

function jwtClaims(token: string): Record<string, unknown> | undefined {
  try {
    const first = token.indexOf('.');
    const payload = JSON.parse(
      Buffer.from(token.slice(first + 1, token.indexOf('.', first + 1)), 'base64url').toString('utf8'),
    ) as unknown;
    return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The query parameters a pre-signed URL carries its access key id in (SigV4 `X-Amz-Credential=AKIA…/date/region/…`,
 * SigV2 `AWSAccessKeyId=AKIA…`). A pre-signed link shows the id to everyone it is given to by design: the id names the
 * key, the signature beside it grants one object until `X-Amz-Expires` (a week at most), and the secret half is not in
 * the link.
 */
const PRESIGNED_CREDENTIAL = /(?:X-Amz-Credential|AWSAccessKeyId)=$/i;

function isJwt(token: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8')) as unknown;
    return typeof header === 'object' && header !== null && 'alg' in header;
  } catch {
    return false;
  }
}

/** All hints in one regex: one pass over a file says which formats can match at all. */
const ANY_HINT = new RegExp(PROVIDER_FORMATS.map((format) => format.hint).join('|'), 'g');
/** Each hint anchored, to tell which formats start where ANY_HINT matched (hints may overlap: `sk-`, `sk-ant-`). */
const HINT_AT = PROVIDER_FORMATS.map((format) => new RegExp(format.hint, 'y'));

function formatsIn(content: string): ProviderFormat[] {
  const present = new Set<number>();
  ANY_HINT.lastIndex = 0;
  for (const match of content.matchAll(ANY_HINT)) {
    HINT_AT.forEach((hint, index) => {
      hint.lastIndex = match.index;
      if (hint.test(content)) present.add(index);
    });
  }
  return [...present].sort((a, b) => a - b).map((index) => PROVIDER_FORMATS[index]!);
}

/** Every provider-format secret in one file. */
export function findProviderSecrets(path: string, content: string): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const format of formatsIn(content)) {
    if (format.files && !format.files.test(path)) continue;
    format.pattern.lastIndex = 0;
    for (const match of content.matchAll(format.pattern)) {
      const secret = match.groups?.secret ?? match[0];
      const start = match.index + (match.groups?.secret !== undefined ? match[0].lastIndexOf(secret) : 0);
      if (format.accept && !format.accept(secret)) continue;
      if (
        format.label === 'AWS access key ID' &&
        PRESIGNED_CREDENTIAL.test(content.slice(Math.max(0, start - 20), start))
      )
        continue;
      const random = format.randomPart
        ? format.randomPart(secret)
        : secret.replace(/^[A-Za-z]+[_.-]?(?:[a-z]+[_-])?/, '');
      if (notSecretReason(random) !== undefined) continue;
      if (format.label === 'private key') {
        hits.push({
          start: match.index,
          end: match.index + match[0].length,
          value: random,
          kind: 'provider',
          label: 'private key',
          sure: true,
        });
        continue;
      }
      const doubt = format.doubt?.(secret);
      hits.push({
        start,
        end: start + secret.length,
        value: secret,
        kind: 'provider',
        label: format.label,
        sure: doubt === undefined,
        ...(doubt ? { doubt } : {}),
      });
    }
  }
  return hits;
}
