/** What a certificate says about where it can be used. */
import type { X509Certificate } from 'node:crypto';

const LOOPBACK_NAME = /^(?:localhost|[\w-]+\.localhost|127(?:\.\d{1,3}){3}|::1|0:0:0:0:0:0:0:1)$/i;

/**
 * Whether every name a certificate is for (subject alternative names and common name) is a loopback host: a
 * certificate for localhost cannot pass for any other host, so it and its key serve a developer's machine only.
 */
export function namesOnlyLoopback(certificate: X509Certificate): boolean {
  const names = (certificate.subjectAltName ?? '')
    .split(/,\s*/)
    .filter(Boolean)
    .map((entry) => entry.replace(/^(?:DNS|IP Address):/, ''));
  const commonName = /(?:^|\n)CN=([^\n]+)/.exec(certificate.subject)?.[1];
  if (commonName) names.push(commonName);
  return names.length > 0 && names.every((name) => LOOPBACK_NAME.test(name));
}
