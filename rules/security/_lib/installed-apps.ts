/**
 * OAuth clients of apps installed on the user's machine — a command-line tool, a desktop or mobile app — cannot keep
 * a client secret: every copy of the app carries it, so RFC 8252 (§8.5) has the authorization server treat them as
 * public clients, and Google documents the client secret of its "installed" apps as not confidential. A committed
 * `client_secret` of such an app is the app's identifier, not a credential a reviewer would rotate.
 *
 * The file says the client is installed by how it gets the authorization response back, in ways only a native app
 * uses (RFC 8252 §7): the out-of-band redirect `urn:ietf:wg:oauth:2.0:oob`, a private-use URI scheme named after a
 * reversed domain as its redirect (`com.example.app:/oauth2redirect`), or Google's client file for installed apps
 * (`{"installed": {"client_id": …}}`, where a web server's says `"web"`). A loopback redirect is not taken as a sign:
 * web servers name `http://localhost:3000/callback` for their development setup too.
 */
import type { TextFile } from '../../../src/rule-api.js';
import type { SecretHit } from './hits.js';

/** `client_secret`, `clientSecret`, `GOOGLE_CLIENT_SECRET`, `oauthClientSecret`. */
const CLIENT_SECRET_NAME = /client[-_]?secret\}?$/i;

const NATIVE_CLIENT = new RegExp(
  [
    String.raw`urn:ietf:wg:oauth:2\.0:oob`,
    // a redirect to a private-use scheme: a reversed domain of three labels or more, then `:/` (RFC 8252 §7.1)
    String.raw`redirect[-_]?ur[il]s?["'\]]?\s*[:=(,[]\s*\[?\s*["'\x60](?:com|org|net|io|dev|app|co|me)\.[a-z0-9-]+\.[a-z0-9.-]+:/`,
    // Google's client file of an installed app
    String.raw`"installed"\s*:\s*\{\s*"(?:client_id|project_id|auth_uri)"`,
  ].join('|'),
  'i',
);

/** Is the hit the client secret of an OAuth client that the file shows to be an installed app's? */
export function isInstalledAppClientSecret(file: TextFile, hit: SecretHit): boolean {
  return CLIENT_SECRET_NAME.test(hit.label) && NATIVE_CLIENT.test(file.content);
}
