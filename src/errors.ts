/**
 * A problem with how archlint was called (bad flag, unknown rule id, unreadable or invalid
 * config, missing path). The CLI prints `archlint: <message>` on one line and exits 2.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
