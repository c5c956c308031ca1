/**
 * Vercel cron jobs: the endpoints a `vercel.json` schedule calls are scheduled-job triggers.
 */
import { posix } from 'node:path';
import type { FileSet, TextFiles } from '../../model/files.js';
import type { Endpoint, Service } from '../../model/http.js';
import { joinPaths } from './paths.js';

/**
 * Vercel cron jobs (`crons[].path` in the vercel.json of the app's folder or above it): the scheduler
 * calls those paths, so their endpoints are scheduled-job triggers (Endpoint.handler.scheduled).
 */
export function markCronPaths(
  endpoints: Endpoint[],
  services: readonly Service[],
  fileSet: FileSet,
  text: TextFiles,
): void {
  const configs = fileSet.files
    .filter((f) => posix.basename(f.path) === 'vercel.json')
    .map((f) => ({ dir: posix.dirname(f.path), paths: cronPaths(text.get(f.path)?.content) }));
  if (configs.every((c) => c.paths.length === 0)) return;
  const byService = new Map<string, string[]>();
  for (const service of services) {
    const file = service.origin.file;
    const config = configs
      .filter((c) => c.dir === '.' || file.startsWith(`${c.dir}/`))
      .sort((a, b) => b.dir.length - a.dir.length)[0];
    if (config && config.paths.length > 0) byService.set(service.id, config.paths);
  }
  for (const endpoint of endpoints) {
    const paths = byService.get(endpoint.serviceId);
    if (!paths?.some((p) => cronMatches(p, endpoint.path))) continue;
    endpoint.handler = {
      ...(endpoint.handler ?? { origin: endpoint.origin, queryParams: [], pagingArgs: [] }),
      scheduled: true,
    };
  }
}

function cronPaths(content: string | undefined): string[] {
  if (!content) return [];
  try {
    const crons = (JSON.parse(content) as { crons?: unknown }).crons;
    if (!Array.isArray(crons)) return [];
    return crons.flatMap((c) =>
      c && typeof c === 'object' && typeof (c as { path?: unknown }).path === 'string'
        ? [joinPaths((c as { path: string }).path.split('?')[0]!)]
        : [],
    );
  } catch {
    return [];
  }
}

/** Whether a cron path is a request to an endpoint path, whose `{param}` segments match any one segment. */
function cronMatches(cronPath: string, path: string): boolean {
  const want = cronPath.split('/');
  const have = path.split('/');
  return want.length === have.length && have.every((segment, i) => segment === want[i] || /^\{.*\}$/.test(segment));
}
