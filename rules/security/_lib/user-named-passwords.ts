/**
 * A password set to the account's own name in the same block (`MINIO_ROOT_USER="s3mockroot"` beside
 * `MINIO_ROOT_PASSWORD="s3mockroot"`, `user: app` / `password: app`): a default typed to match, as `postgres:postgres`
 * is in a URL (urls.ts leaves a URL's password equal to its user out for the same reason). A generated secret is
 * never its own account's name.
 */
import type { TextFile } from '../../../src/rule-api.js';
import { siblingLines } from './blocks.js';
import type { SecretHit } from './hits.js';

/** A key naming the account (`MINIO_ROOT_USER`, `username`, `"login"`), then its value, alone on the rest of the line. */
const USER_SETTING =
  /(?:user(?:[-_]?name)?|login|account)["']?[ \t]*(?:[:=]|=>)[ \t]*["']?([^"'\s,;]+)["']?[ \t]*[,;]?[ \t]*$/i;

export function isAccountNameAsPassword(file: TextFile, hit: SecretHit): boolean {
  if (hit.kind !== 'assignment' && hit.kind !== 'fallback') return false;
  const { line } = file.positionAt(hit.start);
  return siblingLines(file, line).some((sibling) => USER_SETTING.exec(sibling.trimEnd())?.[1] === hit.value);
}
