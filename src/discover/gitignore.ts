import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PatternIndex, type IgnorePattern } from './pattern-index.js';

/**
 * Ignore rules and the folder their patterns are relative to.
 *
 * Nested .gitignore files are folded into one rule list rebased onto `base`, deeper files last:
 * git gives a deeper .gitignore precedence, and a single list lets the `ignore` package apply
 * "a file under an excluded folder cannot be re-included" across files, as git does.
 */
export interface IgnoreScope {
  base: string;
  rules: PatternIndex;
  /** No patterns at all: most folders of most trees, where matching can be skipped. */
  empty: boolean;
}

export interface IgnoreMatch {
  /** The pattern as written, and where: `"*.log" in sub/.gitignore`. */
  source: string;
}

/** Case-sensitive like git on Linux (PatternIndex), so a report does not depend on the platform it ran on. */
function emptyRules(): PatternIndex {
  return PatternIndex.empty();
}

export function scopeOf(base: string, patterns: readonly string[], label: string): IgnoreScope {
  const added = { count: 0 };
  return { base, rules: addPatterns(emptyRules(), patterns, '', label, added), empty: added.count === 0 };
}

/** A copy of `scope` with the patterns of a .gitignore found in `dir` (absolute) added. */
export function extendScope(scope: IgnoreScope, dir: string, text: string, label: string): IgnoreScope {
  const relDir = toPosix(path.relative(scope.base, dir));
  const added = { count: 0 };
  const rules = addPatterns(scope.rules, splitLines(text), relDir, label, added);
  return { base: scope.base, rules, empty: scope.empty && added.count === 0 };
}

/**
 * The rule that ignores `absPath`, if any. Paths outside the scope's base are never matched
 * (config patterns only cover the folder the config lives in).
 */
export function matchIgnore(scope: IgnoreScope | undefined, absPath: string, isDir: boolean): IgnoreMatch | undefined {
  if (!scope || scope.empty) return undefined;
  const rel = toPosix(path.relative(scope.base, absPath));
  if (rel === '' || rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) return undefined;
  const result = scope.rules.test(isDir ? `${rel}/` : rel);
  return result.ignored ? { source: result.rule?.mark ?? `"${result.rule?.pattern ?? ''}"` } : undefined;
}

/**
 * The .gitignore rules that apply inside `root` before its own .gitignore is read: those of the
 * enclosing git work tree (`.git/info/exclude`, then each .gitignore from the top down to the
 * root's parent), so `archlint services/api` skips what `git status` would. If those rules
 * ignore the root itself, the user asked for it explicitly, so they are dropped.
 */
export function rootGitScope(root: string, label: (absPath: string) => string): IgnoreScope {
  const top = findWorkTreeTop(root);
  if (top === undefined) return { base: root, rules: emptyRules(), empty: true };

  let scope = scopeOf(top, [], '');
  const excludePath = path.join(top, '.git', 'info', 'exclude');
  const exclude = readOptionalSync(excludePath);
  if (exclude !== undefined) scope = extendScope(scope, top, exclude, label(excludePath));
  for (let dir = top; dir !== root; dir = path.join(dir, firstSegment(path.relative(dir, root)))) {
    const gitignorePath = path.join(dir, '.gitignore');
    const text = readOptionalSync(gitignorePath);
    if (text !== undefined) scope = extendScope(scope, dir, text, label(gitignorePath));
  }
  return matchIgnore(scope, root, true) ? { base: root, rules: emptyRules(), empty: true } : scope;
}

/** Reads a text file that may well not exist; unreadable counts as absent. */
export function readOptionalSync(absPath: string): string | undefined {
  try {
    return readFileSync(absPath, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Rewrites one gitignore line from folder `relDir` (relative to the scope base) so it matches
 * from the base: a pattern with a slash before its end is anchored to its folder, any other
 * matches at any depth below it.
 */
function rebasePattern(line: string, relDir: string): string | undefined {
  if (relDir === '') return line;
  // Trailing spaces are ignored by git unless escaped with a backslash.
  const trimmed = line.replace(/(?<!\\) +$/, '');
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const negated = trimmed.startsWith('!');
  const body = negated ? trimmed.slice(1) : trimmed;
  const anchored = body.replace(/\/$/, '').includes('/');
  const prefix = escapeGlob(relDir);
  const rebased = anchored ? `${prefix}/${body.replace(/^\//, '')}` : `${prefix}/**/${body}`;
  return negated ? `!${rebased}` : rebased;
}

/** `rules` with the patterns of `lines` added after its own (a new list: scopes share their parents' lists). */
function addPatterns(
  rules: PatternIndex,
  lines: readonly string[],
  relDir: string,
  label: string,
  added: { count: number },
): PatternIndex {
  const patterns: IgnorePattern[] = [];
  for (const line of lines) {
    const pattern = rebasePattern(line, relDir);
    if (pattern === undefined) continue;
    const trimmed = line.trim();
    // Blank lines and comments are no patterns (rebasePattern keeps them only at the base).
    if (trimmed !== '' && !trimmed.startsWith('#')) added.count++;
    patterns.push({ pattern, mark: label === '' ? undefined : `"${trimmed}" in ${label}` });
  }
  return rules.with(patterns);
}

function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/);
}

/** A folder name used literally inside a pattern: glob characters and a leading `!`/`#` escaped. */
function escapeGlob(relDir: string): string {
  return relDir.replace(/[\\*?[\]]/g, '\\$&').replace(/^[!#]/, '\\$&');
}

/**
 * The nearest folder at or above `start` holding `.git`. Synchronous: a handful of stats, where
 * the promise API would make a thread-pool round trip of each (a few ms per root).
 */
function findWorkTreeTop(start: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    // `.git` is a folder in a plain clone and a file in worktrees and submodules.
    if (exists(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function exists(absPath: string): boolean {
  try {
    return statSync(absPath, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false; // unreadable counts as absent
  }
}

function firstSegment(rel: string): string {
  return rel.split(path.sep)[0] ?? rel;
}

export function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}
