/**
 * `--changed-since <ref>`: keep only the findings on lines added or changed since the merge base
 * of <ref> and HEAD, so a pull request is judged on what it touches. The diff is taken against
 * the working tree (uncommitted and untracked files count as changes): in CI the working tree is
 * the commit under test, and locally or in a pre-commit hook it is what is about to be committed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { join, posix, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import type { Finding } from '../model/finding.js';
import { INTERNAL_ERROR } from '../engine/core-rules.js';

/** Inclusive 1-based line range in the new version of a file. */
export interface LineRange {
  start: number;
  end: number;
}

export interface FileChange {
  /** The whole file is new to the comparison (an untracked file): every line counts. */
  all: boolean;
  /** Added or changed lines; empty for a pure rename, a binary file or a deletion-only edit. */
  lines: LineRange[];
}

export interface Changes {
  ref: string;
  /** Commit id of the merge base the working tree was compared with. */
  base: string;
  /** Changed files by path from the repository top, '/' separators. */
  files: Map<string, FileChange>;
  /** The current directory as seen from the repository top ('' at the top), '/' separators. */
  cwdFromTop: string;
  /** What could not be compared (a submodule without its base commit), one line each for standard error. */
  notes: string[];
  /** The repository top (real path) and the current directory, to place findings reached through a directory symlink. */
  top: string;
  cwd: string;
}

const HINT = 'a shallow clone needs its history: actions/checkout with fetch-depth: 0';

/** Asks git what changed between the merge base of `ref` and HEAD, and the working tree. */
export function changesSince(ref: string, cwd: string): Changes {
  if (ref === '' || ref.startsWith('-')) throw new UsageError(`--changed-since: "${ref}" is not a git ref`);
  const top = git(
    ['rev-parse', '--show-toplevel'],
    cwd,
    () => `--changed-since: ${cwd} is not inside a git repository`,
  ).trim();
  git(
    ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`],
    top,
    () => `--changed-since: unknown git ref "${ref}" (${HINT})`,
  );
  const base = git(
    ['merge-base', ref, 'HEAD'],
    top,
    () => `--changed-since: "${ref}" and HEAD have no common history (${HINT})`,
  ).trim();

  const files = new Map<string, FileChange>();
  const notes: string[] = [];
  collectChanges(top, base, '', files, notes);

  const topReal = realpathSync(top);
  const cwdFromTop = relative(topReal, realpathSync(cwd)).split(sep).join('/');
  return { ref, base, files, cwdFromTop, notes, top: topReal, cwd };
}

/**
 * The changed files of the checkout at `repoTop` against commit `base` into `files`, their paths
 * prefixed with `prefix` (the checkout's path from the outermost top), then the same inside each
 * checked-out submodule against the submodule commit the superproject recorded at `base` — a
 * superproject's own diff only says "Subproject commit …", and findings inside a submodule would
 * otherwise all be hidden as unchanged.
 */
function collectChanges(
  repoTop: string,
  base: string,
  prefix: string,
  files: Map<string, FileChange>,
  notes: string[],
): void {
  const diffOptions = [
    '-c',
    'core.quotePath=false',
    'diff',
    '--no-ext-diff',
    '--no-textconv',
    '--no-relative',
    '--find-renames',
    '--ignore-submodules=all',
  ];
  const failed = () => `--changed-since: git diff against ${base} failed`;
  const names = git([...diffOptions, '--name-only', '-z', '--diff-filter=d', base], repoTop, failed);
  const patch = git([...diffOptions, '-U0', '--no-color', '--src-prefix=a/', '--dst-prefix=b/', base], repoTop, failed);
  const untracked = git(['ls-files', '-z', '--others', '--exclude-standard'], repoTop, failed);

  for (const name of names.split('\0').filter(Boolean)) files.set(prefix + name, { all: false, lines: [] });
  for (const [name, lines] of parseUnifiedDiff(patch)) files.set(prefix + name, { all: false, lines });
  for (const name of untracked.split('\0').filter(Boolean)) files.set(prefix + name, { all: true, lines: [] });

  for (const path of submodulesOf(repoTop, failed)) {
    const subTop = join(repoTop, path);
    // A submodule that is not checked out has no files to lint.
    if (!existsSync(join(subTop, '.git'))) continue;
    const subPrefix = `${prefix}${path}/`;
    const recorded = /^160000 commit ([0-9a-f]+)\t/.exec(git(['ls-tree', base, '--', path], repoTop, failed))?.[1];
    if (recorded === undefined) {
      // Added since the base: every file in it is new.
      for (const name of git(['ls-files', '-z'], subTop, failed).split('\0').filter(Boolean))
        files.set(subPrefix + name, { all: true, lines: [] });
      continue;
    }
    if (!hasCommit(subTop, recorded)) {
      notes.push(
        `--changed-since: submodule ${prefix}${path} does not have its base commit ${recorded.slice(0, 12)} (fetch it, e.g. actions/checkout with submodules: recursive and fetch-depth: 0); its findings are not shown`,
      );
      continue;
    }
    collectChanges(subTop, recorded, subPrefix, files, notes);
  }
}

/** Paths of the submodules registered in a checkout's index (mode 160000 entries). */
function submodulesOf(repoTop: string, failed: () => string): string[] {
  const staged = git(['-c', 'core.quotePath=false', 'ls-files', '-z', '--stage'], repoTop, failed);
  return staged
    .split('\0')
    .filter((entry) => entry.startsWith('160000 '))
    .map((entry) => entry.slice(entry.indexOf('\t') + 1));
}

function hasCommit(repoTop: string, commit: string): boolean {
  try {
    execFileSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: repoTop, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs git without a shell; any failure becomes a one-line usage error. */
function git(args: string[], cwd: string, failure: () => string): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError('--changed-since needs git, which was not found');
    // git refuses a checkout owned by another user (a CI container, a mounted volume); that is not "no repository".
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    if (/dubious ownership/.test(stderr)) {
      throw new UsageError(
        `--changed-since: git refuses the repository at ${cwd}: it is owned by another user ("dubious ownership"); if it is yours, run: git config --global --add safe.directory <path>`,
      );
    }
    throw new UsageError(failure());
  }
}

/**
 * Added/changed line ranges per file (new path) from `git diff -U0` output. Hunk bodies are
 * skipped by their counts, so an added line that itself starts with "++" is never a header.
 */
export function parseUnifiedDiff(patch: string): Map<string, LineRange[]> {
  const result = new Map<string, LineRange[]>();
  const lines = patch.split('\n');
  let current: LineRange[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('diff --git ')) {
      current = undefined;
    } else if (line.startsWith('+++ ')) {
      const name = diffPath(line.slice(4));
      current = name === undefined ? undefined : (result.get(name) ?? []);
      if (name !== undefined && current) result.set(name, current);
    } else if (line.startsWith('@@ ')) {
      const hunk = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!hunk) continue;
      const removed = hunk[1] === undefined ? 1 : Number(hunk[1]);
      const start = Number(hunk[2]);
      const added = hunk[3] === undefined ? 1 : Number(hunk[3]);
      if (added > 0 && current) current.push({ start, end: start + added - 1 });
      // Skip the body: "-" and "+" lines, plus any "\ No newline at end of file" markers.
      let body = removed + added;
      while (body > 0 && i + 1 < lines.length) {
        i++;
        if (!lines[i]!.startsWith('\\')) body--;
      }
    }
  }
  return result;
}

/** `b/path`, `"b/pa\tth"` or `/dev/null` (a deleted file) → the path, or undefined. */
function diffPath(text: string): string | undefined {
  const raw = text.startsWith('"') ? unquoteC(text) : text.replace(/\t$/, '');
  return raw.startsWith('b/') ? raw.slice(2) : undefined;
}

/** Git's C-style quoting of unusual path names: backslash escapes and octal UTF-8 bytes. */
export function unquoteC(quoted: string): string {
  const inner = quoted.replace(/^"/, '').replace(/"\s*$/, '');
  const bytes: number[] = [];
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = inner[i + 1] ?? '';
    const octal = /^[0-7]{3}/.exec(inner.slice(i + 1));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Splits findings into those on changed lines (or about a whole changed file) and the rest.
 * `core/internal-error` is always kept: it says the run is incomplete, wherever it points.
 */
export function partitionByChanges(
  findings: readonly Finding[],
  changes: Changes,
): { kept: Finding[]; hidden: number } {
  const kept = findings.filter((finding) => {
    if (finding.ruleId === INTERNAL_ERROR) return true;
    const change = changeOf(finding.file, changes);
    if (!change) return false;
    if (change.all || finding.fileLevel) return true;
    // A range that ends at column 1 does not cover anything of its last line.
    const last = finding.endLine > finding.line && finding.endColumn === 1 ? finding.endLine - 1 : finding.endLine;
    return change.lines.some((range) => range.start <= last && finding.line <= range.end);
  });
  return { kept, hidden: findings.length - kept.length };
}

/** The change of a file given relative to the run's folder (as findings name it), if it changed. */
export function changeOf(file: string, changes: Changes): FileChange | undefined {
  return changes.files.get(posix.normalize(posix.join(changes.cwdFromTop, file))) ?? changeThroughLink(file, changes);
}

/**
 * A finding reached through an in-repository directory symlink is reported under the link's path,
 * but git records the change under the target's: look the file up by its real path.
 */
function changeThroughLink(file: string, changes: Changes): FileChange | undefined {
  let real: string;
  try {
    real = realpathSync(resolve(changes.cwd, file));
  } catch {
    return undefined;
  }
  const fromTop = relative(changes.top, real);
  if (fromTop.startsWith('..') || fromTop === '') return undefined;
  return changes.files.get(fromTop.split(sep).join('/'));
}
