/**
 * Credentials in URLs: `postgres://user:password@host`, `mongodb+srv://…`, `redis://:password@…`,
 * `https://user:password@host`. The finding points at the password itself. Placeholders
 * (`<db-password>`, `${DB_PASSWORD}`, `changeme`, `user:passwd`), a password equal to the user name
 * (`postgres:postgres`), passwords shorter than 4 characters and URLs to the documentation domains
 * of RFC 2606 (`example.com`, `db.example`, `*.test`, `*.invalid`), to link-local and RFC 5737
 * documentation addresses and to `*.localhost` are not reported.
 *
 * The URL's structure says the value is a password, so one to another machine is sure. One to the
 * developer's own machine (`localhost`, `127.0.0.1`, `::1`, `host.docker.internal`) is a local
 * development credential wherever it is written — a CI job's database, a hint naming the local
 * docker URL, a dev default: it opens a container on that machine, and is not reported.
 */
import type { SecretHit } from './hits.js';
import { isHumanText, notSecretReason } from './values.js';

/** From a URL's scheme (sticky: tried only where a `://` was found). */
const URL_WITH_CREDENTIALS =
  /(?<scheme>[A-Za-z][A-Za-z0-9+.-]{1,24}):\/\/(?<user>[^\s:@/'"`<>{}\\]{0,100}):(?<password>[^\s@/'"`\\]{1,200})@(?<host>[A-Za-z0-9[][^\s/'"`<>?#\\]{0,254})/y;
const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
/** Hosts reserved for documentation (RFC 2606). */
const EXAMPLE_HOST = /(?:^|\.)(?:example(?:\.(?:com|org|net))?|test|invalid)$/i;
/**
 * Addresses where no credential can work: a bare number (no machine is named `123`:
 * `at://did:plc:x@123` is a malformed identifier in a parser's list of invalid inputs, not a login),
 * link-local (`169.254.x.x`, the cloud metadata service a
 * server-side request forgery test aims at), the documentation ranges of RFC 5737, and names under
 * `.localhost` (RFC 6761, resolved to the developer's own machine).
 */
const NOWHERE_HOST =
  /^(?:\d+|169\.254(?:\.\d{1,3}){2}|192\.0\.2\.\d{1,3}|198\.51\.100\.\d{1,3}|203\.0\.113\.\d{1,3}|[\w.-]+\.localhost)$/i;
/** The developer's own machine. */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[?::1\]?|0\.0\.0\.0|host\.docker\.internal)$/i;

export function findUrlPasswords(content: string): SecretHit[] {
  const hits: SecretHit[] = [];
  // indexOf finds the few `://` far faster than a regex trying a scheme at every letter.
  for (let at = content.indexOf('://'); at !== -1; at = content.indexOf('://', at + 3)) {
    let start = at;
    while (start > 0 && at - start < 25 && SCHEME_CHAR.test(content[start - 1]!)) start--;
    URL_WITH_CREDENTIALS.lastIndex = start;
    const match = URL_WITH_CREDENTIALS.exec(content);
    if (!match) continue;
    const { scheme = '', user = '', password = '', host: hostAndPort = '' } = match.groups ?? {};
    const host = /^\[[^\]]*\]|^[A-Za-z0-9.-]*/.exec(hostAndPort)?.[0] ?? '';
    if (EXAMPLE_HOST.test(host) || NOWHERE_HOST.test(host)) continue;
    // `https://<token>:x-oauth-basic@github.com/…`: the token is the user part.
    const [secret, offset] =
      password === 'x-oauth-basic' ? [user, scheme.length + 3] : [password, scheme.length + 3 + user.length + 1];
    if (!isCredential(secret, user)) continue;
    if (LOOPBACK_HOST.test(host)) continue;
    const from = match.index + offset;
    hits.push({
      start: from,
      end: from + secret.length,
      value: secret,
      kind: 'url-password',
      label: scheme.toLowerCase(),
      sure: true,
      localHost: !host.includes('.'),
    });
  }
  return hits;
}

/** A field's name in capitalised words (`AuthToken`, `AccountSid`), letters only. */
const FIELD_NAME = /^(?:[A-Z][a-z]+){2,}$/;

function isCredential(secret: string, user: string): boolean {
  if (secret.length < 4 || secret === user || isHumanText(secret)) return false;
  // `twilio://AccountSid:AuthToken@FromPhoneNo`: the names of the fields to put there, in a URL's format help.
  if (FIELD_NAME.test(secret) && FIELD_NAME.test(user)) return false;
  let decoded = secret;
  try {
    decoded = decodeURIComponent(secret);
  } catch {
    // A stray % is part of the password as written.
  }
  return notSecretReason(decoded) === undefined && notSecretReason(secret) === undefined;
}
