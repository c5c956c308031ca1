/**
 * What the workflow event tells the action: the commit a pull request (or push, or merge-queue
 * entry) is compared with for `only-changed`, and whether a pull request comes from a fork,
 * whose token is read-only (annotations and the step summary still work; a SARIF upload does not).
 */
import { readFileSync } from 'node:fs';

export interface EventInfo {
  name: string;
  /** Commit to compare with, when the event has one. */
  base?: string;
  /** Readable name of the base: the pull request's target branch. */
  baseLabel?: string;
  fromFork: boolean;
}

interface Payload {
  before?: string;
  pull_request?: {
    base?: { sha?: string; ref?: string; repo?: { full_name?: string } | null };
    head?: { repo?: { full_name?: string } | null };
  };
  merge_group?: { base_sha?: string; base_ref?: string };
  repository?: { full_name?: string };
}

export function readEvent(env: NodeJS.ProcessEnv): EventInfo {
  const name = env.GITHUB_EVENT_NAME ?? '';
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const pr = payload.pull_request;
  if (pr) {
    const target = pr.base?.repo?.full_name ?? payload.repository?.full_name;
    // A deleted fork leaves head.repo null: still not this repository.
    const fromFork = pr.head?.repo?.full_name !== target;
    return { name, fromFork, ...commit(pr.base?.sha, pr.base?.ref) };
  }
  if (payload.merge_group) {
    return {
      name,
      fromFork: false,
      ...commit(payload.merge_group.base_sha, payload.merge_group.base_ref?.replace(/^refs\/heads\//, '')),
    };
  }
  // A push that creates a branch has no "before" (all zeros): there is nothing to compare with.
  if (name === 'push' && payload.before !== undefined && !/^0+$/.test(payload.before)) {
    return { name, fromFork: false, ...commit(payload.before, undefined) };
  }
  return { name, fromFork: false };
}

function commit(sha: string | undefined, label: string | undefined): Pick<EventInfo, 'base' | 'baseLabel'> {
  if (!sha) return {};
  return { base: sha, ...(label ? { baseLabel: label } : {}) };
}

function readPayload(path: string | undefined): Payload {
  if (!path) return {};
  try {
    const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof data === 'object' && data !== null ? (data as Payload) : {};
  } catch {
    return {};
  }
}
