import ignore, { type Ignore } from 'ignore';

/** One gitignore pattern as given to the `ignore` package, with the label a report shows for it. */
export interface IgnorePattern {
  pattern: string;
  mark: string | undefined;
}

interface Entry extends IgnorePattern {
  /**
   * A run of plain characters every path the pattern can match (or ignore through a parent folder)
   * contains; undefined when the pattern has none worth indexing (`*`, `?.o`) or is too subtle to
   * read safely (escapes, character classes): then it is tried on every path.
   */
  literal: string | undefined;
}

interface Index {
  /** Entries with no literal: candidates for every path. */
  always: number[];
  /** Entries by one three-character piece of their literal. */
  byTrigram: Map<string, number[]>;
}

/** Most trees see a handful of candidate sets; a tree of generated names could see many. */
const MATCHER_CACHE_LIMIT = 2_000;

/**
 * An ordered list of gitignore patterns that answers "is this path ignored, and by which pattern"
 * like one `ignore` instance holding them all, without testing every pattern on every path.
 *
 * The `ignore` package tries each pattern's regular expression on each path (and its folders), so a
 * generated 20,000-line .gitignore costs ~20 ms per path: a 400-file run took seconds. A pattern that
 * does not match a path cannot change the verdict (the last matching pattern decides, negations
 * included), so only the patterns that might match are given to `ignore`: those whose literal piece
 * occurs in the path — found through an index of three-character pieces — and those with no literal.
 * A folder's path is a prefix of its files' paths, so the candidates of a file also cover the
 * folders `ignore` checks above it ("a file under an excluded folder cannot be re-included").
 */
export class PatternIndex {
  private index: Index | undefined;
  private readonly matchers = new Map<string, Ignore>();

  private constructor(private readonly entries: readonly Entry[]) {}

  static empty(): PatternIndex {
    return new PatternIndex([]);
  }

  /** A new list: these patterns, then `patterns` (later ones take precedence, as in git). */
  with(patterns: readonly IgnorePattern[]): PatternIndex {
    const added = patterns.filter((p) => isPattern(p.pattern)).map((p) => ({ ...p, literal: literalOf(p.pattern) }));
    return added.length === 0 ? this : new PatternIndex([...this.entries, ...added]);
  }

  get size(): number {
    return this.entries.length;
  }

  /** `path` is relative to the patterns' base, posix, with a trailing `/` for a folder. */
  test(path: string): { ignored: boolean; rule?: IgnorePattern } {
    const candidates = this.candidatesOf(path);
    if (candidates.length === 0) return { ignored: false };
    const key = candidates.join(',');
    let matcher = this.matchers.get(key);
    if (matcher === undefined) {
      if (this.matchers.size >= MATCHER_CACHE_LIMIT) this.matchers.clear();
      matcher = ignore({ ignoreCase: false });
      for (const i of candidates) matcher.add({ pattern: this.entries[i]!.pattern, mark: this.entries[i]!.mark });
      this.matchers.set(key, matcher);
    }
    const result = matcher.test(path);
    return result.ignored && result.rule
      ? { ignored: true, rule: { pattern: result.rule.pattern, mark: result.rule.mark } }
      : { ignored: result.ignored };
  }

  /** Indices of the entries that might match `path` or one of its folders, in list order. */
  private candidatesOf(path: string): number[] {
    const { always, byTrigram } = (this.index ??= this.buildIndex());
    if (byTrigram.size === 0) return always;
    const found = new Set<number>(always);
    for (let i = 0; i + 3 <= path.length; i++) {
      const bucket = byTrigram.get(path.slice(i, i + 3));
      if (bucket === undefined) continue;
      for (const entry of bucket)
        if (!found.has(entry) && path.includes(this.entries[entry]!.literal!)) found.add(entry);
    }
    return found.size === always.length ? always : [...found].sort((a, b) => a - b);
  }

  private buildIndex(): Index {
    const always: number[] = [];
    const byTrigram = new Map<string, number[]>();
    this.entries.forEach((entry, i) => {
      if (entry.literal === undefined) {
        always.push(i);
        return;
      }
      // The piece with the fewest entries so far keeps buckets small for names that share a prefix
      // (`build-1/`, `build-2/`…).
      let best: string | undefined;
      for (let at = 0; at + 3 <= entry.literal.length; at++) {
        const piece = entry.literal.slice(at, at + 3);
        if (best === undefined || (byTrigram.get(piece)?.length ?? 0) < (byTrigram.get(best)?.length ?? 0))
          best = piece;
      }
      const bucket = byTrigram.get(best!);
      if (bucket) bucket.push(i);
      else byTrigram.set(best!, [i]);
    });
    return { always, byTrigram };
  }
}

/** Blank lines and comments are no patterns for `ignore` either. */
function isPattern(pattern: string): boolean {
  return pattern !== '' && !/^\s+$/.test(pattern) && !pattern.startsWith('#');
}

/**
 * The longest run of plain characters within one path segment of the pattern, if it has three or
 * more. Glob characters (`*`, `?`) and `/` end a run: what a segment pattern matches contains each of
 * its runs. Escapes and character classes are left to `ignore` (no literal).
 */
function literalOf(pattern: string): string | undefined {
  const body = pattern.replace(/^!/, '').replace(/ +$/, '');
  if (/[\\[\]]/.test(body)) return undefined;
  let longest = '';
  for (const run of body.split(/[*?/]+/)) if (run.length > longest.length) longest = run;
  return longest.length >= 3 ? longest : undefined;
}
