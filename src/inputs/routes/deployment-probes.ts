/**
 * The HTTP paths the repository's own deployment configuration probes: a Dockerfile `HEALTHCHECK` that fetches
 * `http://localhost:3000/auth/isconfigured`, a Compose `healthcheck: test:` that does the same, a Kubernetes or Helm
 * `httpGet: path:` (liveness, readiness and startup probes are the only pod fields that take one), a platform's
 * health-check path (Railway `healthcheckPath`, Render `healthCheckPath`, DigitalOcean `http_path`, Fly.io
 * `[[…checks]] path`). A Compose healthcheck counts only on a service built from the repository (`build:`): one run
 * from a vendor's image probes that image. Whatever such a path answers, the orchestrator restarts the service or takes it out of
 * rotation on it: it is the service's probe, named or not like one (ops/health-endpoints).
 *
 * Read from the text of the files, as written; commented-out lines (`# HEALTHCHECK …`) declare nothing.
 */
import type { FileSet, TextFiles } from '../../model/files.js';
import { isExamplePath } from '../../model/example-paths.js';
import { isTestPath, judgingRoots, pathBelowRoot } from '../../model/test-paths.js';
import { snapshotCopies } from '../../model/snapshot-copies.js';
import { fastYamlValue } from '../yaml/fast-value.js';

export interface DeploymentProbe {
  /** The path probed, without query string, as written (`/auth/isconfigured`, `/api`, `/`). */
  path: string;
  /** The file that declares it, relative like every report path. */
  file: string;
}

const DOCKERFILE = /(^|\/)(Dockerfile[\w.-]*|[\w.-]+\.dockerfile)$/i;
const YAML = /\.ya?ml$/i;
const COMPOSE_FILE = /(?:^|\/)(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml$/i;
const PLATFORM_FILE = /(^|\/)(railway\.(json|toml)|render\.ya?ml|fly[\w.-]*\.toml|app\.ya?ml|\.do\/app\.ya?ml)$/i;
/** A URL to the container itself (or a service name) followed by a path; a `${PORT}` stands for the port. */
const LOCAL_URL = /https?:\/\/[\w.-]+(?::(?:\d+|\$\{?\w+(?::-?\d+)?\}?))?(\/[^\s'"`)\]\\|;&]*)?/g;
/** A platform's health-check path setting (Railway, Render, DigitalOcean), in JSON, YAML or TOML. */
const PLATFORM_PATH = /["']?(?:health_?check_?path|http_path)["']?\s*[:=]\s*["']?(\/[^\s"',}]*)/gi;
/** Larger files are data, not deployment configuration. */
const MAX_SIZE = 512 * 1024;

export function readDeploymentProbes(fileSet: FileSet, text: TextFiles): DeploymentProbe[] {
  const out: DeploymentProbe[] = [];
  const add = (path: string | undefined, file: string) => {
    const clean = path?.split(/[?#]/)[0];
    if (clean?.startsWith('/') && !out.some((p) => p.path === clean && p.file === file))
      out.push({ path: clean, file });
  };
  const inCopy = snapshotCopies(fileSet);
  for (const found of fileSet.files) {
    // A test's, an example's or a tutorial's snapshot copy's deployment (model/snapshot-copies.ts) is not the one the
    // repository ships.
    if (found.size > MAX_SIZE || isTestPath(found.path) || isExamplePath(found.path)) continue;
    if (inCopy(pathBelowRoot(found, judgingRoots(fileSet)))) continue;
    const isDocker = DOCKERFILE.test(found.path);
    const isPlatform = PLATFORM_FILE.test(found.path);
    if (!isDocker && !isPlatform && !YAML.test(found.path)) continue;
    const content = text.get(found.path)?.content;
    if (!content) continue;
    const lines = withoutComments(content);
    if (isDocker)
      for (const command of healthchecks(lines)) for (const path of urlPaths(command)) add(path, found.path);
    if (isPlatform) for (const match of lines.join('\n').matchAll(PLATFORM_PATH)) add(match[1], found.path);
    if (/(^|\/)fly[\w.-]*\.toml$/i.test(found.path)) for (const path of flyCheckPaths(lines)) add(path, found.path);
    if (YAML.test(found.path)) for (const path of httpGetPaths(lines)) add(path, found.path);
    if (COMPOSE_FILE.test(found.path))
      for (const test of composeHealthchecks(content)) for (const path of urlPaths(test)) add(path, found.path);
  }
  return out;
}

/** Does a route path answer a probed path? Compared without case (Express matches so by default) or trailing `/`. */
export function probedBy(routePath: string, probes: readonly DeploymentProbe[]): DeploymentProbe | undefined {
  const route = normalise(routePath);
  return probes.find((probe) => normalise(probe.path) === route);
}

function normalise(path: string): string {
  const trimmed = path.toLowerCase().replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** Lines with `#` comments (whole-line) blanked, so commented-out probes declare nothing. */
function withoutComments(content: string): string[] {
  return content.split(/\r?\n|\r/).map((line) => (/^\s*#/.test(line) ? '' : line));
}

/** The command of each `HEALTHCHECK` instruction, its `\` continuation lines joined (`HEALTHCHECK NONE` has none). */
function healthchecks(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*HEALTHCHECK\b/i.test(lines[i]!)) continue;
    let command = lines[i]!;
    while (/\\\s*$/.test(lines[i]!) && i + 1 < lines.length) command += ` ${lines[++i]!}`;
    if (!/^\s*HEALTHCHECK\s+NONE\b/i.test(command)) out.push(command);
  }
  return out;
}

function urlPaths(command: string): string[] {
  return [...command.matchAll(LOCAL_URL)].map((match) => match[1] ?? '/');
}

/** `httpGet:` then, within its block, `path: /x`: a Kubernetes probe (plain manifests, Helm templates and values). */
function httpGetPaths(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^(\s*)(?:-\s*)?httpGet:\s*$/.exec(lines[i]!);
    if (!head) continue;
    for (let j = i + 1; j < Math.min(lines.length, i + 8); j++) {
      const line = lines[j]!;
      if (line.trim() !== '' && indentOf(line) <= head[1]!.length) break;
      const path = /^\s*path:\s*["']?(\/[^\s"']*)/.exec(line);
      if (path) out.push(path[1]!);
    }
  }
  return out;
}

/**
 * The `healthcheck: test:` of each Compose service built from the repository (`build:`): a service run from someone
 * else's image (a database, an identity provider, object storage) probes that image, not the project's apps.
 */
function composeHealthchecks(content: string): string[] {
  const parsed = fastYamlValue(content, 64)?.value as { services?: unknown } | undefined;
  const services = parsed && typeof parsed === 'object' ? parsed.services : undefined;
  if (!services || typeof services !== 'object' || Array.isArray(services)) return [];
  const out: string[] = [];
  for (const value of Object.values(services as Record<string, unknown>)) {
    if (!value || typeof value !== 'object') continue;
    const service = value as { build?: unknown; healthcheck?: { test?: unknown } };
    const test = service.build === undefined ? undefined : service.healthcheck?.test;
    if (typeof test === 'string') out.push(test);
    else if (Array.isArray(test)) out.push(test.filter((part) => typeof part === 'string').join(' '));
  }
  return out;
}

/** Fly.io: `path = "/health"` inside a `[[…checks]]` table. */
function flyCheckPaths(lines: readonly string[]): string[] {
  const out: string[] = [];
  let inChecks = false;
  for (const line of lines) {
    const table = /^\s*\[\[?([\w.]+)\]?\]/.exec(line);
    if (table) inChecks = /checks$/.test(table[1]!);
    const path = inChecks ? /^\s*path\s*=\s*["'](\/[^"']*)["']/.exec(line) : null;
    if (path) out.push(path[1]!);
  }
  return out;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}
