/**
 * The private key of a development certificate for localhost: what a dev server (Angular, Vite,
 * webpack) serves HTTPS on the developer's machine with. It is committed on purpose and protects
 * nothing: a certificate for localhost cannot pass for any other host, and browsers trust it only
 * where the developer added it. Told by
 *   - the file's name: mkcert and the usual `openssl req -x509 … -keyout localhost.pem` recipe
 *     name the key after the host (`localhost.pem`, `localhost-key.pem`, `localhost+2-key.pem`,
 *     `127.0.0.1.key`), or
 *   - a certificate that belongs to the key and names loopback hosts only, in the same file or in a certificate
 *     file of the same folder (TextFileFacts.loopbackCertificates: the `openssl req -x509 -keyout key.pem -out
 *     cert.pem` recipe writes it next to the key, not into it).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { namesOnlyLoopback } from '../../../src/rule-api.js';

/** A file named for a loopback host. */
const LOOPBACK_KEY_FILE = /^(?:localhost|127\.0\.0\.1|::1)(?:[+.-][\w.+-]*)?\.(?:pem|key)$/i;
const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]{0,16000}?-----END CERTIFICATE-----/g;

/**
 * Is the private key written at `keyText` (its whole PEM block) a localhost development key? `besideIt`: the
 * certificates of its folder's certificate files that name loopback hosts only.
 */
export function isLocalhostDevKey(
  path: string,
  content: string,
  keyText: string,
  besideIt: readonly string[] = [],
): boolean {
  if (LOOPBACK_KEY_FILE.test(path.slice(path.lastIndexOf('/') + 1))) return true;
  const inFile = content.includes('BEGIN CERTIFICATE') ? (content.match(CERTIFICATE) ?? []) : [];
  if (inFile.length === 0 && besideIt.length === 0) return false;
  try {
    const key = createPrivateKey(pemText(keyText));
    for (const pem of besideIt) if (new X509Certificate(pem).checkPrivateKey(key)) return true;
    for (const pem of inFile) {
      const certificate = new X509Certificate(pemText(pem));
      if (certificate.checkPrivateKey(key) && namesOnlyLoopback(certificate)) return true;
    }
  } catch {
    // Not a key or certificate node can read (encrypted, truncated, escaped oddly): no proof either way.
  }
  return false;
}

/**
 * A PEM block as written in code: `\n` escapes, and in JavaScript often one string literal per line joined by `+`
 * (`'-----BEGIN CERTIFICATE-----\n' +\n  'MIIC…\n' +`): the joins are dropped, the escapes read.
 */
function pemText(written: string): string {
  return written.replace(/['"`]\s*\+\s*['"`]/g, '').replace(/\\n/g, '\n');
}
