/**
 * SQL scripts a Docker Compose file mounts into a database container (`- ./perma-act-users.sql:/x.sql`
 * or `- ./initdb:/docker-entrypoint-initdb.d` under a service whose `image` is `mysql:8`): that
 * engine runs them, whatever the SQL looks like — a short MySQL script with double-quoted strings
 * and none of MySQL's own marks must not be read as PostgreSQL. Only bind mounts of a path in the
 * tree count; an image archlint does not know (a project's own build) says nothing.
 */
import type { TextFiles } from '../../model/files.js';
import type { SqlDialect } from '../../model/schema.js';
import { yamlLib } from '../yaml/lib.js';
import { join, parentOf } from './tree-paths.js';

const COMPOSE_FILE = /(?:^|\/)(?:docker-)?compose(?:[\w.-]*)?\.ya?ml$/;
/** The image's repository name (registry, owner and tag left out) → the engine it runs. */
const IMAGE_ENGINES: Array<[RegExp, SqlDialect]> = [
  [/^(?:mysql|mysql-server|percona|percona-server)$/, 'mysql'],
  [/^mariadb$/, 'mariadb'],
  [/^(?:postgres|postgis|timescaledb(?:-ha)?|pgvector)$/, 'postgres'],
];
const DATABASE_IMAGE = /\bimage\s*:\s*["']?[\w./-]*(?:mysql|mariadb|percona|postgres|postgis|timescaledb|pgvector)/i;

/** Host paths (relative to the tree, no trailing `/`) mounted into a database container → its engine (null: two engines). */
export function composeMounts(text: TextFiles): Map<string, SqlDialect | null> {
  const mounts = new Map<string, SqlDialect | null>();
  for (const file of text.all()) {
    if (!COMPOSE_FILE.test(file.path) || !DATABASE_IMAGE.test(file.content)) continue;
    let value: unknown;
    try {
      value = yamlLib().parse(file.content, { strict: false, uniqueKeys: false });
    } catch {
      continue; // a broken compose file is not archlint's to judge here
    }
    const services = (value as { services?: unknown } | null)?.services;
    if (typeof services !== 'object' || services === null) continue;
    const folder = parentOf(file.path);
    for (const service of Object.values(services)) {
      const engine = engineOfImage((service as { image?: unknown } | null)?.image);
      if (!engine) continue;
      const volumes = (service as { volumes?: unknown }).volumes;
      for (const volume of Array.isArray(volumes) ? volumes : []) {
        const host = hostPath(volume);
        if (host === undefined) continue;
        const path = join(folder, host);
        // The whole tree mounted (a dev container) says nothing about which scripts the engine runs.
        if (path === '.' || path.startsWith('..')) continue;
        const before = mounts.get(path);
        mounts.set(path, before === undefined || before === engine ? engine : null);
      }
    }
  }
  return mounts;
}

function engineOfImage(image: unknown): SqlDialect | undefined {
  if (typeof image !== 'string') return undefined;
  const name = image
    .split('@')[0]!
    .replace(/:[^/]*$/, '')
    .split('/')
    .pop()!
    .toLowerCase();
  return IMAGE_ENGINES.find(([pattern]) => pattern.test(name))?.[1];
}

/** The host side of a bind mount written as a relative path (`./x:/y`, `{ type: bind, source: ./x }`). */
function hostPath(volume: unknown): string | undefined {
  let source: unknown;
  if (typeof volume === 'string') source = volume.split(':')[0];
  else if (typeof volume === 'object' && volume !== null) source = (volume as { source?: unknown }).source;
  if (typeof source !== 'string' || !/^\.{1,2}\//.test(source) || source.includes('$')) return undefined;
  return source;
}

/** The engine that runs every one of `files` (each mounted itself or inside a mounted folder), if one does. */
export function mountedDialect(
  mounts: Map<string, SqlDialect | null>,
  files: readonly string[],
): SqlDialect | undefined {
  if (files.length === 0 || mounts.size === 0) return undefined;
  const found = new Set<SqlDialect | null | undefined>();
  for (const file of files) {
    let engine: SqlDialect | null | undefined;
    for (let path = file; engine === undefined; path = parentOf(path)) {
      engine = mounts.get(path);
      if (path === '.') break;
    }
    found.add(engine);
  }
  const only = found.size === 1 ? [...found][0] : undefined;
  return only ?? undefined;
}
