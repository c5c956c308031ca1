/**
 * Tokens that show, once decoded, that they open nothing: a token is often a JWT or base64 of
 * JSON, and what it carries (who issued it, for whom, signed with what) is in the repository.
 *
 *   published     the Supabase CLI's local keys (issuer `supabase-demo`), jwt.io's sample
 *                 (`"sub": "1234567890", "name": "John Doe"`);
 *   public        a Supabase anon key (issuer `supabase`, role `anon`): Supabase documents it as
 *                 safe in a browser, since row-level security decides what it may read;
 *   forgeable     a JWT signed (HMAC) with a placeholder key (`dev`, `secret`, jwt.io's
 *                 `your-256-bit-secret`, Supabase's documented demo secret): anyone can mint it,
 *                 so having it grants nothing a stranger could not grant themselves;
 *   demo account  a token whose content names a default, demo or test user or password — the
 *                 QStash local dev server's documented token is base64 of
 *                 `{"UserID":"defaultUser","Password":"defaultPassword"}`.
 */
import { createHmac } from 'node:crypto';

/** Keys of placeholder quality that tutorials, jwt.io and local stacks sign with. */
const PLACEHOLDER_SIGNING_KEYS = [
  'dev',
  'development',
  'local',
  'test',
  'testing',
  'secret',
  'secretkey',
  'secret-key',
  'mysecret',
  'supersecret',
  'password',
  'changeme',
  'jwt-secret',
  'jwt_secret',
  'jwtsecret',
  'shhhhh',
  'keyboard cat',
  // jwt.io's default keys, old and new.
  'your-256-bit-secret',
  'your-384-bit-secret',
  'your-512-bit-secret',
  'a-string-secret-at-least-256-bits-long',
  // The Supabase CLI's and its docker stack's documented demo secrets.
  'super-secret-jwt-token-with-at-least-32-characters-long',
  'your-super-secret-jwt-token-with-at-least-32-characters-long',
];
const HMAC_ALGORITHMS: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

/** A made-up account or password: `defaultUser`, `test-user-1`, `demo_password`, `devAdmin`. */
const DEMO_VALUE =
  /^(?:default|demo|test(?:ing)?|example|sample|dummy|fake|local|dev)(?:[-_. ]?(?:user(?:name)?|account|admin|pass(?:word)?|secret|key|token|\d+))*$/i;
/** Fields of a decoded token that say whose it is or what it unlocks. */
const ACCOUNT_FIELD = /^(?:sub|user(?:_?(?:id|name))?|username|login|email|name|pass(?:word)?|secret)$/i;
/** Domains reserved for documentation and tests (RFC 2606, RFC 6761). */
const DEMO_EMAIL = /@(?:[\w-]+\.)*(?:example(?:\.(?:com|org|net))?|test|invalid|localhost)$/i;

export function isPublicDemoToken(value: string): boolean {
  if (value.startsWith('eyJ') && value.includes('.')) return isDemoJwt(value);
  const decoded = decodedContent(value);
  return decoded !== undefined && namesDemoAccount(decoded);
}

function isDemoJwt(token: string): boolean {
  const [header, payload] = token.split('.').map((part) => decodeJson(part));
  if (!payload) return false;
  if (payload.iss === 'supabase-demo' || (payload.sub === '1234567890' && payload.name === 'John Doe')) return true;
  if (payload.iss === 'supabase' && payload.role === 'anon') return true;
  return signedWithPlaceholder(token, header) || namesDemoAccount(payload);
}

function signedWithPlaceholder(token: string, header: Record<string, unknown> | undefined): boolean {
  const algorithm = HMAC_ALGORITHMS[String(header?.alg)];
  if (algorithm === undefined) return false;
  const cut = token.lastIndexOf('.');
  const signed = token.slice(0, cut);
  const signature = token.slice(cut + 1);
  return PLACEHOLDER_SIGNING_KEYS.some(
    (key) => createHmac(algorithm, key).update(signed).digest('base64url') === signature,
  );
}

/** `{ "UserID": "defaultUser", "Password": "defaultPassword" }`: every account field made up, and at least one. */
function namesDemoAccount(content: Record<string, unknown>): boolean {
  const accounts = Object.entries(content).filter(([key, v]) => ACCOUNT_FIELD.test(key) && typeof v === 'string');
  return accounts.length > 0 && accounts.every(([, v]) => isDemoValue(v as string));
}

function isDemoValue(value: string): boolean {
  return DEMO_VALUE.test(value) || DEMO_EMAIL.test(value);
}

function decodeJson(part: string | undefined): Record<string, unknown> | undefined {
  if (!part) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a base64 value holds, when it is readable: a JSON object, or `user:password` (HTTP Basic)
 * as `{ user, password }`. Random key bytes decode to unreadable text and give undefined.
 */
function decodedContent(value: string): Record<string, unknown> | undefined {
  if (value.length < 16 || value.length > 4096 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  const text = Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64').toString('utf8');
  // eslint-disable-next-line no-control-regex
  if (text.includes('\uFFFD') || /[\x00-\x08\x0E-\x1F\x7F]/.test(text)) return undefined;
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }
  const basic = /^([^:\s]{1,100}):(\S{1,200})$/.exec(text);
  return basic ? { user: basic[1], password: basic[2] } : undefined;
}
