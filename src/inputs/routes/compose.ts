/**
 * The services of the repository's Docker Compose files: each key of `services:` is the host name the
 * other containers reach it by, built from a folder (`build:`), with its `environment:`. Read so that a
 * request to `http://users:3000` can be told apart from one to a vendor (src/map decides which is which).
 */
import { posix } from 'node:path';
import type { ComposeService } from '../../model/code-http.js';
import type { FileSet, TextFiles } from '../../model/files.js';
import { fastYamlValue } from '../yaml/fast-value.js';

const COMPOSE_FILE = /(?:^|\/)(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml$/i;

export function readComposeServices(fileSet: FileSet, text: TextFiles): ComposeService[] {
  const out: ComposeService[] = [];
  for (const found of fileSet.files) {
    if (!COMPOSE_FILE.test(found.path)) continue;
    const file = text.get(found.path);
    if (!file || file.content.length > 1_000_000) continue;
    const parsed = fastYamlValue(file.content, 64)?.value as { services?: unknown } | undefined;
    const services = parsed && typeof parsed === 'object' ? parsed.services : undefined;
    if (!services || typeof services !== 'object' || Array.isArray(services)) continue;
    const dir = posix.dirname(found.path);
    for (const [name, value] of Object.entries(services as Record<string, unknown>)) {
      const service = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
      const buildContext = contextOf(service.build, dir);
      const at = keyOffset(file.content, name);
      out.push({
        name,
        ...(buildContext !== undefined ? { buildContext } : {}),
        environment: environmentOf(service.environment),
        origin: { file: found.path, range: { start: at, end: at + name.length } },
      });
    }
  }
  return out;
}

/** The folder a service is built from, relative to the lint root: the context, or the Dockerfile's folder in it. */
function contextOf(build: unknown, dir: string): string | undefined {
  let context: string | undefined;
  let dockerfile: string | undefined;
  if (typeof build === 'string') context = build;
  else if (build && typeof build === 'object') {
    const b = build as Record<string, unknown>;
    context = typeof b.context === 'string' ? b.context : '.';
    if (typeof b.dockerfile === 'string') dockerfile = b.dockerfile;
  }
  if (context === undefined || /^[a-z]+:\/\/|^git@|\$\{/.test(context)) return undefined;
  let folder = posix.normalize(posix.join(dir, context));
  if (dockerfile && !dockerfile.includes('${')) {
    const inner = posix.dirname(dockerfile);
    if (inner !== '.') folder = posix.normalize(posix.join(folder, inner));
  }
  if (folder.startsWith('..')) return undefined;
  return folder === '.' ? '' : folder.replace(/\/$/, '');
}

function environmentOf(environment: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(environment)) {
    for (const entry of environment) {
      if (typeof entry !== 'string') continue;
      const eq = entry.indexOf('=');
      if (eq > 0) out[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
  } else if (environment && typeof environment === 'object') {
    for (const [key, value] of Object.entries(environment as Record<string, unknown>)) {
      if (typeof value === 'string' || typeof value === 'number') out[key] = String(value);
    }
  }
  return out;
}

/** Where a service's key is written (the first line that starts with it, indented); 0 when not found. */
function keyOffset(content: string, name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^[ \\t]+["']?${escaped}["']?[ \\t]*:`, 'm').exec(content);
  return match ? match.index + match[0].search(/\S/) : 0;
}
