/**
 * Scheduled jobs the platform bounds. A cron handler is called by a scheduler, not by a person or
 * a service waiting on the answer: a stalled outbound call there delays only that run. When the
 * handler also declares the platform's maximum duration (`export const maxDuration = 300`, the
 * Next.js route segment option Vercel enforces), the stall cannot outlive the run either — the
 * deadline exists, at the platform.
 *
 * A scheduled handler: a file-routed handler under a `cron/` (or `crons/`) URL segment, or one that
 * checks the scheduler's `CRON_SECRET`. The bound is the handler's own `export const maxDuration`, or
 * the one the platform's config sets for the files of its function (CodeFile.platformLimit: vercel.json
 * `functions[glob].maxDuration`), which covers a helper module in the cron route's folder too.
 * TODO(routes): read `Endpoint.handler.scheduled` once the routes model carries it (a file-scoped
 * rule cannot require `routes` today).
 */

const MAX_DURATION_EXPORT = /^\s*export\s+const\s+maxDuration\s*(:\s*\w+\s*)?=\s*\d/m;
const CRON_SECRET = /\bCRON_SECRET\b/;
/** `app/(jobs)/api/cron/sync/route.ts`, `pages/api/crons/digest.ts`: a cron segment below a file router's folder. */
const CRON_ROUTE = /(^|\/)(app|pages|routes)\/(.*\/)?crons?\//;

export function isBoundedScheduledJob(path: string, text: string, platformLimit?: number): boolean {
  return (
    (CRON_ROUTE.test(path) || CRON_SECRET.test(text)) && (platformLimit !== undefined || MAX_DURATION_EXPORT.test(text))
  );
}
