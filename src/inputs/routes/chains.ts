/**
 * The middleware chain in front of every route of a router tree: the auth guards, whether middleware archlint cannot
 * follow is in front, and what the middleware shows about who calls (a cron secret, the deployment's shared secret),
 * with each route's full prefix.
 */
import type { NodeMiddleware, RouterNode } from './graph.js';
import { joinPaths } from './paths.js';
import { unique } from './service-facts.js';
import type { StringValue } from './values.js';

/** The auth middleware in front of a route, and whether middleware it cannot follow is in front of it too. */
export interface Chain {
  guards: string[];
  unknown: boolean;
  /** A middleware in front checks a cron secret: the routes behind it are scheduled jobs. */
  scheduled?: boolean;
  /** A middleware in front compares the request with a shared secret of the deployment: its name. */
  sharedSecret?: string;
  /** The route or a mount above it is registered only in development or tests: the condition, as written. */
  devOnly?: string;
}

type Visit = (route: RouterNode['routes'][number], prefix: StringValue, chain: Chain) => void;

/**
 * Every route under a root with its accumulated prefix and the auth middleware in front of it (a node
 * reached twice is walked twice; cycles stop).
 */
export function walk(
  node: RouterNode,
  prefix: StringValue,
  inherited: Chain,
  visit: Visit,
  path: RouterNode[] = [],
): void {
  if (path.includes(node) || path.length > 32) return;
  const own = node.ownPrefix ? joinStrings(prefix, node.ownPrefix) : prefix;
  for (const route of node.routes) {
    const at = { file: route.origin.file, offset: route.origin.range?.start ?? 0 };
    const before = middlewareBefore(node.middleware, route.path, at);
    visit(route, own, {
      guards: unique([...inherited.guards, ...labels(before, 'auth'), ...(route.guards ?? [])]),
      unknown: inherited.unknown || labels(before, 'unknown').length > 0 || route.unknownMiddleware === true,
      scheduled: inherited.scheduled === true || before.some((m) => m.scheduled) || route.scheduledMiddleware === true,
      ...secretOf(inherited, before, route.secretMiddleware),
      ...devOnlyOf(inherited, route.devOnly),
    });
  }
  for (const mount of node.mounts) {
    const before = middlewareBefore(node.middleware, mount.prefix, { file: mount.origin.file, offset: mount.order });
    const chain = {
      guards: unique([...inherited.guards, ...labels(before, 'auth')]),
      unknown: inherited.unknown || labels(before, 'unknown').length > 0,
      scheduled: inherited.scheduled === true || before.some((m) => m.scheduled),
      ...secretOf(inherited, before),
      ...devOnlyOf(inherited, mount.devOnly),
    };
    walk(mount.child, joinStrings(own, mount.prefix), chain, visit, [...path, node]);
  }
}

/** The shared secret checked in front of a route or mount: inherited, a node middleware's, or the route's own. */
function secretOf(inherited: Chain, before: NodeMiddleware[], own?: string): Pick<Chain, 'sharedSecret'> {
  const name = inherited.sharedSecret ?? before.find((m) => m.sharedSecret)?.sharedSecret ?? own;
  return name ? { sharedSecret: name } : {};
}

/** A development-only condition over a mount holds for everything below it. */
function devOnlyOf(inherited: Chain, own?: string): Pick<Chain, 'devOnly'> {
  const condition = inherited.devOnly ?? own;
  return condition ? { devOnly: condition } : {};
}

/** Middleware of a node that runs before a route or mount at `at` whose node-relative path is `path`. */
function middlewareBefore(
  middleware: NodeMiddleware[],
  path: StringValue,
  at: { file: string; offset: number },
): NodeMiddleware[] {
  return middleware.filter(
    (m) => (m.order === undefined || m.file !== at.file || m.order < at.offset) && covers(m.scope, path),
  );
}

function labels(middleware: NodeMiddleware[], kind: NodeMiddleware['kind']): string[] {
  return middleware.filter((m) => m.kind === kind).map((m) => m.label);
}

/** Whether a middleware scope (`/admin`, Hono `/api/*`, `*`) covers a path; unknown scopes are assumed to. */
function covers(scope: StringValue, path: StringValue): boolean {
  if (!scope.exact || !path.exact) return true;
  const base = joinPaths(scope.value.replace(/(\/?\*|\(\.\*\))$/, ''));
  if (base === '/') return true;
  const full = joinPaths(path.value);
  return full === base || full.startsWith(`${base}/`);
}

export function joinStrings(a: StringValue, b: StringValue): StringValue {
  return { value: joinPaths(a.value, b.value), exact: a.exact && b.exact };
}
