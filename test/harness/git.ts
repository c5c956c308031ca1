/** Temporary git repositories for the --changed-since, baseline and action tests. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** No user or system git config may change what the tests see (diff prefixes, quoting, hooks). */
export const GIT_ENV: NodeJS.ProcessEnv = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'archlint tests',
  GIT_AUTHOR_EMAIL: 'tests@archlint.invalid',
  GIT_COMMITTER_NAME: 'archlint tests',
  GIT_COMMITTER_EMAIL: 'tests@archlint.invalid',
};

export interface TempRepo {
  dir: string;
  git(...args: string[]): string;
  write(files: Record<string, string>): void;
  /** Writes the files, stages everything and commits; returns the commit id. */
  commit(message: string, files?: Record<string, string>): string;
  remove(): void;
}

export function tempRepo(): TempRepo {
  const dir = mkdtempSync(join(tmpdir(), 'archlint-git-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...GIT_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const write = (files: Record<string, string>) => {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
  };
  git('init', '-q', '-b', 'main');
  return {
    dir,
    git,
    write,
    commit(message, files = {}) {
      write(files);
      git('add', '-A');
      git('commit', '-q', '--no-verify', '-m', message);
      return git('rev-parse', 'HEAD').trim();
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
