/**
 * A deployment file that creates a service and connects to it: a one-click app template (a Kubero app with its
 * PostgreSQL and Redis add-ons), a Kubernetes manifest with its database, an `.env` of a compose stack. Such a file
 * gives the service its password (`password: afffine` under the add-on, `REDIS_PASSWORD=…`, `--requirepass …`) and
 * writes the same password into the app's connection URL to it, by the service's name on the deployment's own
 * network (`postgres://affine:afffine@affine-postgresql:5432/…`, a host with no dot: a Kubernetes service of the
 * namespace, a compose service).
 *
 * The URL is then the other end of a credential the file itself creates for a machine it starts: not a password to
 * another machine, and not a second finding. Each install creates its own service with it (an installer edits the
 * template's form before deploying), so whether it is a secret is judged where the service is given it, as a
 * name-and-value guess (a warning when it looks generated, nothing for a word such as `affine`).
 */
import type { SecretHit } from './hits.js';

/** A key that gives a service its password, just before the value: `password: `, `POSTGRES_PASSWORD=`, `rootPassword: "`. */
const PASSWORD_KEY_BEFORE = /(?:pass(?:word|wd)?|pwd|auth|secret)[\w-]*["']?[ \t]*[:=][ \t]*["']?$/i;
/** A server's password flag just before the value: `--requirepass `, `--masterauth=`, `--password "`. */
const PASSWORD_FLAG_BEFORE = /--(?:requirepass|masterauth|password|pass)[ \t=]["']?$/i;
/** The value ends there: a closing quote, a separator or the line's end (a comment after it). */
const VALUE_END_AFTER = /^["']?[ \t]*(?:[,;}\]][ \t]*)*(?:#.*)?$/;

/** How far before a value its key is looked for. */
const KEY_REACH = 80;

/**
 * Is the hit a URL password to a service of the deployment's own network (a host with no dot) that the same file
 * gives that service as its password?
 */
export function isPasswordOfBundledService(content: string, hit: SecretHit): boolean {
  if (hit.kind !== 'url-password' || !hit.localHost) return false;
  for (let at = content.indexOf(hit.value); at !== -1; at = content.indexOf(hit.value, at + 1)) {
    if (at === hit.start) continue;
    const lineStart = content.lastIndexOf('\n', at - 1) + 1;
    const lineEnd = content.indexOf('\n', at);
    const before = content.slice(Math.max(lineStart, at - KEY_REACH), at);
    const after = content.slice(at + hit.value.length, lineEnd === -1 ? content.length : lineEnd).replace(/\r$/, '');
    if ((PASSWORD_KEY_BEFORE.test(before) || PASSWORD_FLAG_BEFORE.test(before)) && VALUE_END_AFTER.test(after))
      return true;
  }
  return false;
}
