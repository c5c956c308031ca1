/**
 * Outbound calls between the repository's own services, for the service map: which service's code
 * requests which other service, from the facts the routes input gives (each request's URL or base
 * URL, the environment variable it comes from, the client's name; the Docker Compose services).
 *
 * A target is known only when something names one service of the repository and only one:
 * - the URL's host is a Compose service built from that service's package (`http://users:3000`),
 *   or names its package folder (`users-service` → `apps/users-service`, `users` → `apps/users`);
 * - the environment variable the URL comes from is set to such a URL in the caller's Compose
 *   service, or names the service (`USERS_SERVICE_URL`);
 * - the client made with that base URL names it (`usersClient`, `this.usersApi`).
 * A host with dots is a vendor's or the internet's (`api.stripe.com`), unless it is a cluster-local
 * name (`users.default.svc.cluster.local`, `users.internal`). Anything else is left out and counted.
 */
import { posix } from 'node:path';
import type { ComposeService, OutboundCall } from '../model/code-http.js';

export interface MapCall {
  /** The calling service's id and the called one's. */
  from: string;
  to: string;
  /** What named the target: `host users-service`, `env USERS_URL`, `client usersApi`. */
  via: string[];
  /** Each request, where it is made. */
  sites: Array<{ file: string; line: number; client: string; url?: string }>;
}

export interface CallService {
  id: string;
  /** Code services only: a description is not a caller or a target of code. */
  code: boolean;
  /** Its package folder ('' for the repository root), when known. */
  home: string | undefined;
}

/** Words that say what something is, not which service it is. */
const GENERIC = new Set([
  'service',
  'services',
  'svc',
  'api',
  'apis',
  'server',
  'app',
  'apps',
  'internal',
  'backend',
  'http',
  'https',
  'client',
  'url',
  'uri',
  'base',
  'host',
  'endpoint',
  'addr',
  'address',
  'ms',
  'microservice',
  'rest',
  'web',
  'the',
  'remote',
]);
const CLUSTER_SUFFIX = /\.(?:svc(?:\.cluster\.local)?|cluster\.local|internal|local)$/;
const LOOPBACK = /^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1?\])$/;
const ENV_URL = /_(?:URL|URI|HOST|ENDPOINT|ADDR|ADDRESS|BASE_URL|API_URL)$/;

/** A name reduced to what tells services apart: `users-service` → `user`, `USERS_SERVICE_URL` → `user`. */
export function serviceKey(name: string): string {
  const words = name
    .replace(/^@[^/]+\//, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !GENERIC.has(w));
  if (words.length === 0) return '';
  const last = words[words.length - 1]!;
  if (last.length > 3 && last.endsWith('s') && !last.endsWith('ss')) words[words.length - 1] = last.slice(0, -1);
  return words.join('-');
}

export function resolveCalls(
  services: readonly CallService[],
  calls: readonly OutboundCall[],
  compose: readonly ComposeService[],
  packageDirOf: (file: string) => string | undefined,
  lineOf: (call: OutboundCall) => number,
): { calls: MapCall[]; leftOut: number } {
  const code = services.filter((s) => s.code && s.home !== undefined);
  const byHome = new Map<string, CallService[]>();
  for (const service of code) byHome.set(service.home!, [...(byHome.get(service.home!) ?? []), service]);
  const only = (list: CallService[] | undefined) => (list && list.length === 1 ? list[0] : undefined);

  // Compose service name → the code service built from its folder.
  const composeTarget = new Map<string, CallService | null>();
  const composeOf = new Map<CallService, ComposeService[]>();
  for (const entry of compose) {
    const home = entry.buildContext !== undefined ? packageDirOf(posix.join(entry.buildContext, 'x')) : undefined;
    const service = home !== undefined ? only(byHome.get(home)) : undefined;
    const previous = composeTarget.get(entry.name);
    composeTarget.set(entry.name, previous !== undefined && previous !== service ? null : (service ?? null));
    if (service) composeOf.set(service, [...(composeOf.get(service) ?? []), entry]);
  }
  // Service key (from its package folder) → the services it names.
  const byKey = new Map<string, CallService[]>();
  const addKey = (key: string, service: CallService) => {
    if (!key) return;
    const list = byKey.get(key) ?? [];
    if (!list.includes(service)) list.push(service);
    byKey.set(key, list);
  };
  for (const service of code) {
    if (service.home) addKey(serviceKey(posix.basename(service.home)), service);
    for (const entry of composeOf.get(service) ?? []) addKey(serviceKey(entry.name), service);
  }
  const named = (name: string) => only(byKey.get(serviceKey(name)));
  const byHost = (host: string): { service: CallService; via: string } | undefined => {
    if (LOOPBACK.test(host)) return undefined;
    const exact = composeTarget.get(host);
    if (exact) return { service: exact, via: `host ${host}` };
    if (host.includes('.') && !CLUSTER_SUFFIX.test(host)) return undefined;
    if (/^\d/.test(host)) return undefined;
    const service = named(host.split('.')[0]!);
    return service ? { service, via: `host ${host}` } : undefined;
  };

  const edges = new Map<string, MapCall>();
  let leftOut = 0;
  for (const call of calls) {
    const home = packageDirOf(call.origin.file);
    const caller = home !== undefined ? only(byHome.get(home)) : undefined;
    let found: { service: CallService; via: string } | undefined;
    const host = call.url !== undefined ? hostOf(call.url) : undefined;
    if (host) found = byHost(host);
    if (!found && call.env && caller) {
      for (const entry of composeOf.get(caller) ?? []) {
        const value = entry.environment[call.env];
        const envHost = value !== undefined ? hostOf(value) : undefined;
        found = envHost ? byHost(envHost) : undefined;
        if (found) {
          found = { ...found, via: `env ${call.env}=${value}` };
          break;
        }
      }
    }
    // No host at all (or only an unknown one): the variable or the client may name the service.
    if (!found && !host && call.env && ENV_URL.test(call.env)) {
      const service = named(call.env.replace(ENV_URL, ''));
      if (service) found = { service, via: `env ${call.env}` };
    }
    if (!found && !host && call.clientName) {
      const service = named(call.clientName);
      if (service) found = { service, via: `client ${call.clientName}` };
    }
    if (!caller || !found || found.service === caller) {
      leftOut++;
      continue;
    }
    const key = `${caller.id}\u0000${found.service.id}`;
    const edge = edges.get(key) ?? { from: caller.id, to: found.service.id, via: [], sites: [] };
    if (!edge.via.includes(found.via)) edge.via.push(found.via);
    edge.sites.push({
      file: call.origin.file,
      line: lineOf(call),
      client: call.client,
      ...(call.url !== undefined ? { url: call.url } : {}),
    });
    edges.set(key, edge);
  }
  const list = [...edges.values()].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to));
  for (const edge of list) edge.via.sort();
  return { calls: list, leftOut };
}

/** The host of an absolute URL (`http://users-service:3000/x` → `users-service`); undefined when not written. */
function hostOf(url: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#<>]*@)?(\[[^\]]*\]|[^:/?#<>]+)/i.exec(url.trim());
  return match ? match[1]!.toLowerCase() : undefined;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
