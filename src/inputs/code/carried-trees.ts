/**
 * Syntax trees kept from one run to the next in a process that lints the same tree again and again
 * (`archlint lsp`, `--watch`): after a one-file edit only that file is parsed again, not the other
 * thousands (TypeScript's parse was ~45 % of the routes input on a 5,700-file service).
 *
 * Keyed by path, and valid while the file's text is the same: the text is compared whole, which costs
 * less than hashing it, and a kept tree holds that text anyway (`tree.text`). A file only checked for
 * its syntax errors keeps those (its tree is let go, as in a cold run); a file whose tree a model or a
 * rule read keeps its tree. One entry per path, so the cache holds only the current version of each
 * file, and `retain` forgets the files a run no longer has (deleted, renamed, now ignored).
 *
 * What a tree is parsed from never depends on anything but the file's path and text (the parse
 * options are fixed), so nothing else invalidates it; what is *reported* about it (a Flow file, an
 * EJS template, a package building with Babel) is judged again at each run from these facts.
 */
import type { ts as TypeScript } from 'ts-morph';
import type { DepthCheck } from './nesting.js';

/** The parser's syntax errors, as much as a `core/parse-error` tells: the first, and how many. */
export interface SyntaxErrors {
  first: { start?: number; length?: number; messageText: unknown };
  count: number;
}

/** What parsing a file gave: its tree, or why it could not be parsed safely (nesting.ts). */
export type ParseOutcome = { tree: TypeScript.SourceFile } | { problem: DepthCheck & { ok: false } };

interface Entry {
  content: string;
  /** Undefined for a file only checked for its syntax errors. */
  outcome?: ParseOutcome;
  /** Whether the tree's nodes have their parents set (a tree kept for the rules does). */
  parents: boolean;
  errors: SyntaxErrors | undefined;
}

export class CarriedTrees {
  private readonly entries = new Map<string, Entry>();

  /** The outcome of parsing this text, kept with parents set when `parents` (a check-only entry has no tree). */
  outcome(path: string, content: string, parents: boolean): ParseOutcome | undefined {
    const entry = this.current(path, content);
    if (!entry?.outcome) return undefined;
    if (parents && !entry.parents && 'tree' in entry.outcome) return undefined;
    return entry.outcome;
  }

  /** The syntax errors of this text, if it was parsed or checked before: undefined when not known. */
  errors(path: string, content: string): { errors: SyntaxErrors | undefined; problem?: ParseOutcome } | undefined {
    const entry = this.current(path, content);
    if (!entry) return undefined;
    if (entry.outcome && 'problem' in entry.outcome) return { errors: undefined, problem: entry.outcome };
    return { errors: entry.errors };
  }

  /** Keeps a parse's outcome; `keepTree: false` keeps only its errors (a tree parsed to check it, then dropped). */
  keep(path: string, content: string, outcome: ParseOutcome, parents: boolean, keepTree: boolean): void {
    const errors = 'tree' in outcome ? syntaxErrorsOf(outcome.tree) : undefined;
    const previous = this.current(path, content);
    // A tree already kept for this text stays (a check-only parse never replaces it).
    if (previous?.outcome && 'tree' in previous.outcome && !keepTree) return;
    this.entries.set(path, {
      content,
      ...(keepTree || 'problem' in outcome ? { outcome } : {}),
      parents: keepTree && parents,
      errors,
    });
  }

  /** Forgets every file not among `paths` (deleted, renamed or left out of the run since). */
  retain(paths: ReadonlySet<string>): void {
    for (const path of this.entries.keys()) if (!paths.has(path)) this.entries.delete(path);
  }

  /** How many files have a kept tree, and how many only their syntax errors (--verbose, tests). */
  size(): { trees: number; checked: number } {
    let trees = 0;
    for (const entry of this.entries.values()) if (entry.outcome && 'tree' in entry.outcome) trees++;
    return { trees, checked: this.entries.size - trees };
  }

  private current(path: string, content: string): Entry | undefined {
    const entry = this.entries.get(path);
    return entry && entry.content === content ? entry : undefined;
  }
}

/**
 * TypeScript's errors for legacy octal escapes (`'\\200b'`) and literals (`0777`, `08`), which it reports in every
 * file but which JavaScript forbids only in strict mode code: a CommonJS script without `'use strict'`
 * runs them (dbgate's diff2htmlPage.js).
 */
const SLOPPY_MODE_LEGAL = new Set([1121, 1487, 1489]);

/** A `'use strict'` directive on a line of its own (the file's, or a function's). */
const STRICT_DIRECTIVE = /^[ \t]*(['"])use strict\1[ \t]*;?[ \t]*$/m;

/**
 * A JavaScript file Node runs in sloppy mode: a script (no `import`/`export`: modules are strict) with
 * no `'use strict'` directive and no class (class bodies are strict).
 */
function isSloppyScript(tree: TypeScript.SourceFile): boolean {
  if (!/\.(?:c?js|jsx)$/.test(tree.fileName)) return false;
  const module = (tree as unknown as { externalModuleIndicator?: unknown }).externalModuleIndicator;
  return !module && !STRICT_DIRECTIVE.test(tree.text) && !/\bclass\b/.test(tree.text);
}

/**
 * The parser's own list of syntax errors (no program or type checker needed to read it), reduced to
 * what is reported: a parse diagnostic holds its whole tree (`file`), which a check-only entry must not keep.
 */
export function syntaxErrorsOf(tree: TypeScript.SourceFile): SyntaxErrors | undefined {
  const all = (
    tree as unknown as {
      parseDiagnostics?: Array<{ start?: number; length?: number; code?: number; messageText: unknown }>;
    }
  ).parseDiagnostics;
  const sloppy = all !== undefined && all.length > 0 && isSloppyScript(tree);
  const diagnostics = sloppy ? all.filter((d) => d.code === undefined || !SLOPPY_MODE_LEGAL.has(d.code)) : all;
  const first = diagnostics?.[0];
  if (!diagnostics || !first) return undefined;
  const { start, length, messageText } = first;
  return {
    first: {
      ...(start !== undefined ? { start } : {}),
      ...(length !== undefined ? { length } : {}),
      // A chain of messages is reported by its head (index.ts): keep only that, not the chain's objects.
      messageText:
        typeof messageText === 'string'
          ? messageText
          : String((messageText as { messageText?: string }).messageText ?? 'syntax error'),
    },
    count: diagnostics.length,
  };
}
