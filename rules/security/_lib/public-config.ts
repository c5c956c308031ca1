/**
 * Keys that a platform documents as public by design, told by where they are written (their
 * format alone does not say it; formats public everywhere — `pk_`, `phc_`, `pk.eyJ` — are in
 * values.ts):
 *
 *   Nx Cloud       `nxCloudAccessToken` in nx.json (`accessToken` in the runner options of older ones):
 *                  Nx documents the read-only token there as safe to commit (it reads the remote
 *                  cache; CI writes with a token from its secrets).
 *                  A token that decodes to a read-write grant is still reported.
 *   Firebase web   the `apiKey` of a Firebase web app's config (`authDomain`, `projectId`,
 *                  `messagingSenderId` … beside it): Firebase documents it as an identifier that
 *                  ships to every browser, not a credential; security rules guard the data.
 */
import type { TextFile } from '../../../src/rule-api.js';
import type { SecretHit } from './hits.js';

const NX_JSON = /(?:^|\/)nx\.json$/;
/** `nxCloudAccessToken`, and `accessToken` in the runner options of older nx.json files (`tasksRunnerOptions.default.options`). */
const NX_CLOUD_TOKEN = /^(?:nxCloudAccessToken|accessToken)$/;

/** Characters on either side of a Google API key searched for the rest of a Firebase web config. */
const FIREBASE_WINDOW = 600;
const FIREBASE_FIELDS =
  /\bauthDomain\b[\s\S]*\b(?:projectId|messagingSenderId|storageBucket|appId)\b|\b(?:projectId|messagingSenderId|storageBucket|appId)\b[\s\S]*\bauthDomain\b/;

export function isPublicByDesign(file: TextFile, hit: SecretHit): boolean {
  if (hit.kind === 'assignment' && NX_CLOUD_TOKEN.test(hit.label) && NX_JSON.test(file.path))
    return !grantsWrites(hit.value);
  if (hit.kind === 'provider' && hit.label === 'Google API key') {
    const around = file.content.slice(Math.max(0, hit.start - FIREBASE_WINDOW), hit.end + FIREBASE_WINDOW);
    return FIREBASE_FIELDS.test(around);
  }
  return false;
}

/** Nx Cloud's classic tokens are base64 of `<id>|read` or `<id>|read-write`. */
function grantsWrites(token: string): boolean {
  return /\|read-write$/.test(Buffer.from(token, 'base64').toString('utf8'));
}
