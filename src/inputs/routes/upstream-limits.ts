/**
 * A request rate limit the repository's own deployment applies in front of its apps: a reverse proxy or gateway
 * configured in the repository (nginx `limit_req`, a Traefik `rateLimit` middleware, Caddy `rate_limit`, Envoy's
 * rate-limit filters, Kong's `rate-limiting` plugin, HAProxy request-rate tracking). Clients then meet the limit
 * before the app: the app needs no limiter of its own (api/rate-limit-responses). Which app the proxy fronts is not
 * read (routing is the proxy's own language), so the limit counts for every app of the repository.
 *
 * Read from the text of configuration files, as written; commented-out lines (`# limit_req …`) declare nothing.
 */
import { posix } from 'node:path';
import type { FileSet, TextFiles } from '../../model/files.js';
import { isTestPath, judgingRoots, pathBelowRoot } from '../../model/test-paths.js';
import { snapshotCopies } from '../../model/snapshot-copies.js';
import { isExamplePath } from '../../model/example-paths.js';

/** Files a proxy or gateway is configured in: nginx and HAProxy configs and templates, Caddyfiles, YAML, TOML, JSON. */
const CONFIG_FILE = /(\.conf|\.conf\.template|\.cfg|\.ya?ml|\.toml|\.json|(^|\/)Caddyfile[\w.-]*|(^|\/)nginx[\w.-]*)$/i;
/** A limit, as each proxy spells it. */
const LIMIT = new RegExp(
  [
    String.raw`^\s*limit_req(_zone)?\s`, // nginx
    String.raw`traefik\.http\.middlewares\.[\w-]+\.ratelimit\.`, // Traefik labels (Compose, Kubernetes annotations)
    String.raw`^\s*rateLimit:\s*$`, // Traefik dynamic configuration (a middleware's `rateLimit:` block)
    String.raw`^\s*\[http\.middlewares\.[\w-]+\.rateLimit\]`, // Traefik TOML
    String.raw`^\s*rate_limit\s*\{`, // Caddy (caddy-ratelimit)
    String.raw`envoy\.filters\.http\.(local_)?ratelimit`, // Envoy filters
    String.raw`^\s*-?\s*name:\s*["']?rate-limiting(-advanced)?["']?\s*$`, // Kong plugin
    String.raw`sc_http_req_rate|http_req_rate\(`, // HAProxy stick tables
  ].join('|'),
  'im',
);
/**
 * A word every spelling of LIMIT holds: a file without one is not split into lines and searched (most of a tree's
 * YAML and JSON; ~1 % of `archlint routes` on the corpus of issue 22).
 */
const LIMIT_WORD = /limit_req|ratelimit|rate_limit|rate-limiting|req_rate/i;
/** Larger files are data, not configuration. */
const MAX_SIZE = 512 * 1024;

/** Where the first request rate limit of the repository's proxy configuration is declared; undefined: none. */
export function upstreamRateLimit(fileSet: FileSet, text: TextFiles): string | undefined {
  const inCopy = snapshotCopies(fileSet);
  for (const found of fileSet.files) {
    if (found.size > MAX_SIZE || !CONFIG_FILE.test(posix.basename(found.path))) continue;
    // A test's, an example's or a tutorial's snapshot copy's proxy (model/snapshot-copies.ts) is not the one the
    // repository deploys.
    if (isTestPath(found.path) || isExamplePath(found.path)) continue;
    if (inCopy(pathBelowRoot(found, judgingRoots(fileSet)))) continue;
    // A package manifest or lockfile names packages, not a proxy's settings.
    if (/(^|\/)(package(-lock)?\.json|[\w.-]*lock[\w.-]*\.(json|ya?ml))$/i.test(found.path)) continue;
    const content = text.get(found.path)?.content;
    if (!content || !LIMIT_WORD.test(content)) continue;
    const live = content
      .split(/\r?\n|\r/)
      .filter((line) => !/^\s*(#|\/\/)/.test(line))
      .join('\n');
    if (LIMIT.test(live)) return found.path;
  }
  return undefined;
}
