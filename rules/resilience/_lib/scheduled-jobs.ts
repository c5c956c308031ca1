/**
 * Scheduled jobs the platform bounds. A cron handler is called by a scheduler, not by a person or
 * a service waiting on the answer: a stalled outbound call there delays only that run. When the
 * platform also kills the function after a maximum duration (Vercel: `export const maxDuration`,
 * the Next.js route segment option, or `functions["<glob>"].maxDuration` in vercel.json), the
 * stall cannot outlive the run either — the deadline exists, at the platform.
 *
 * A scheduled handler: a path Vercel's `crons` list calls, a route under a `cron/` (or `crons/`)
 * segment, or a handler that checks the scheduler's `CRON_SECRET`.
 * TODO(routes): read `Endpoint.handler.scheduled` from the routes model once it carries it.
 */

/** What one vercel.json says, for the files under its folder. */
export interface VercelProject {
  /** The folder holding vercel.json ('' at the root). */
  base: string;
  /** The paths the platform's scheduler calls (`crons[].path`). */
  crons: string[];
  /** The `functions` globs (relative to `base`) that set a `maxDuration`. */
  bounded: RegExp[];
}

/** Reads every vercel.json among the files; one that does not parse or has no such keys adds nothing. */
export function vercelProjects(paths: readonly string[], read: (path: string) => string | undefined): VercelProject[] {
  const projects: VercelProject[] = [];
  for (const path of paths) {
    if (!/(^|\/)vercel\.json$/.test(path)) continue;
    let config: unknown;
    try {
      config = JSON.parse(read(path) ?? '');
    } catch {
      continue;
    }
    if (!config || typeof config !== 'object') continue;
    const { crons, functions } = config as { crons?: unknown; functions?: unknown };
    const cronPaths = Array.isArray(crons)
      ? crons.flatMap((c) => (c && typeof c === 'object' && typeof (c as { path?: unknown }).path === 'string' ? [(c as { path: string }).path.split('?')[0]!] : []))
      : [];
    const bounded: RegExp[] = [];
    if (functions && typeof functions === 'object') {
      for (const [glob, settings] of Object.entries(functions as Record<string, unknown>)) {
        if (settings && typeof settings === 'object' && typeof (settings as { maxDuration?: unknown }).maxDuration === 'number') bounded.push(globToRegExp(glob));
      }
    }
    projects.push({ base: path.replace(/(^|\/)vercel\.json$/, ''), crons: cronPaths, bounded });
  }
  return projects;
}

const MAX_DURATION_EXPORT = /^\s*export\s+const\s+maxDuration\s*(:\s*\w+\s*)?=\s*\d/m;
const CRON_SECRET = /\bCRON_SECRET\b/;
const CRON_SEGMENT = /\/crons?(\/|$)/;

/**
 * Whether the file is part of a scheduled handler that the platform bounds. `read` gives the text
 * of another file (the route module next to a helper, which holds the `maxDuration` export).
 */
export function isBoundedScheduledJob(
  path: string,
  text: string,
  projects: readonly VercelProject[],
  read: (path: string) => string | undefined,
): boolean {
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const siblingRoutes = ['route.ts', 'route.js', 'route.tsx'].map((name) => (folder ? `${folder}/${name}` : name));
  const texts = [text, ...siblingRoutes.map((p) => (p === path ? undefined : read(p))).filter((t): t is string => t !== undefined)];
  const project = projects
    .filter((p) => p.base === '' || path.startsWith(`${p.base}/`))
    .sort((a, b) => b.base.length - a.base.length)[0];
  const relative = project && project.base ? path.slice(project.base.length + 1) : path;
  const route = routePath(relative);
  const scheduled =
    CRON_SEGMENT.test(route) ||
    texts.some((t) => CRON_SECRET.test(t)) ||
    !!project?.crons.some((cron) => route === cron || route.startsWith(`${cron}/`));
  if (!scheduled) return false;
  return texts.some((t) => MAX_DURATION_EXPORT.test(t)) || !!project?.bounded.some((glob) => glob.test(relative));
}

/** `src/app/(ee)/api/cron/sync/utils.ts` → `/api/cron/sync`: the URL path of the folder, as a file router maps it. */
function routePath(relative: string): string {
  const folder = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '';
  const segments = folder.split('/').filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith('@'));
  const start = segments.findIndex((s) => s === 'app' || s === 'pages');
  const kept = start >= 0 ? segments.slice(start + 1) : segments;
  return `/${kept.join('/')}`;
}

/** A vercel.json `functions` glob (`app/(ee)/api/cron/**\/*.ts`, `api/*.js`) as a path test. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') {
        i++;
        out += '(?:.*/)?';
      } else out += '.*';
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^(?:\\./)?${out}$`);
}
