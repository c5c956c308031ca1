/** What the detectors of security/no-hardcoded-secrets find, before the rule turns it into a report. */

export type HitKind =
  /** A provider's token format (GitHub, Stripe, AWS, …), a private key or a JWT. */
  | 'provider'
  /** The password part of `scheme://user:password@host`. */
  | 'url-password'
  /** A literal passed to a signing/encryption call (`jwt.sign(x, '…')`, `JwtModule.register({ secret })`). */
  | 'sink'
  /** A literal used when an environment variable is unset (`process.env.X ?? '…'`). */
  | 'fallback'
  /** A secret-like name assigned a random-looking literal (`API_KEY=…`, `password: …`). */
  | 'assignment';

export interface SecretHit {
  /** UTF-16 offsets of the secret value itself in the file's content. */
  start: number;
  end: number;
  /** The secret as written (never printed: only hashed and previewed). */
  value: string;
  kind: HitKind;
  /** provider: its name ("GitHub personal access token"); sink: the call; fallback: the env var; assignment: the name. */
  label: string;
  /** For a provider hit inside a fallback or sink: that context, for the message. */
  context?: string;
  /**
   * Sure to be a live credential from its shape alone: a format only its provider issues, a private
   * key, a literal passed as a signing key, a password in a URL to another machine. Otherwise a
   * guess (a secret-like name with a random-looking value, a JWT of an issuer archlint cannot see,
   * a test-mode key, a password to a local database): reported as a warning, and not at all in
   * examples (documentation, comments, schema examples) where such values are samples.
   */
  sure: boolean;
  /** For a provider format that is not sure: why (for the message). */
  doubt?: string;
  /** For a URL password: the host is a bare name with no dot (a compose service, `db`). */
  localHost?: boolean;
}

/** Which hit wins when two cover the same characters: the more specific description. */
const PRIORITY: Record<HitKind, number> = { provider: 5, 'url-password': 4, sink: 3, fallback: 2, assignment: 1 };

/**
 * One hit per secret: overlapping hits collapse into the most specific one, which keeps the
 * context of a sink or fallback it was found in (`process.env.STRIPE_KEY ?? 'sk_live_…'` is one
 * Stripe key found as a fallback, not two findings). Sorted by offset.
 */
export function mergeHits(hits: SecretHit[]): SecretHit[] {
  const sorted = [...hits].sort((a, b) => a.start - b.start || PRIORITY[b.kind] - PRIORITY[a.kind] || b.end - a.end);
  const kept: SecretHit[] = [];
  for (const hit of sorted) {
    // The kept hits are disjoint and in order, and this one starts at or after all of them: only the
    // last can overlap it (one look per hit, however many hits a long line has).
    const last = kept[kept.length - 1];
    if (!last || hit.start >= last.end || last.start >= hit.end) {
      kept.push({ ...hit });
      continue;
    }
    const [winner, loser] = PRIORITY[hit.kind] > PRIORITY[last.kind] ? [{ ...hit }, last] : [last, hit];
    if (!winner.context && (loser.kind === 'sink' || loser.kind === 'fallback')) winner.context = contextOf(loser);
    // A JWT passed to jwt.sign as its key is a key: what the context makes sure stays sure.
    winner.sure ||= loser.sure;
    kept[kept.length - 1] = winner;
  }
  return kept;
}

function contextOf(hit: SecretHit): string {
  return hit.kind === 'sink' ? `passed to ${hit.label}` : `as the fallback for ${hit.label}`;
}
