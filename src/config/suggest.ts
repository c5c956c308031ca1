/**
 * "Did you mean …?" for rule ids and config keys: the closest candidate by edit distance,
 * used by the config validator and by the CLI for --rule, --only and `explain`.
 */

/** Levenshtein distance with a single rolling row (inputs are short ids, so O(n·m) is fine). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate the user most likely meant, or undefined when nothing is close enough.
 * Case is ignored, and a bare rule name matches its full id ("paginated-lists" →
 * "api/paginated-lists") because people often forget the domain prefix.
 */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  if (wanted === '') return undefined;
  // Up to a third of the name may be wrong (at least one edit): close enough for typos,
  // far enough to avoid suggesting unrelated ids for short inputs.
  const limit = Math.max(1, Math.floor(wanted.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  // Sorted so that ties resolve the same way every time.
  for (const candidate of [...candidates].sort()) {
    const lower = candidate.toLowerCase();
    const distance = lower.endsWith(`/${wanted}`) ? 0 : editDistance(wanted, lower);
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === name ? undefined : best;
}

/** ` (did you mean "x"?)` or '' — for the end of an error message. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const match = suggest(name, candidates);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}
