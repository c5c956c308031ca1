/**
 * Scheduled jobs the platform bounds. A cron handler is called by a scheduler, not by a person or
 * a service waiting on the answer: a stalled outbound call there delays only that run. When the
 * handler also declares the platform's maximum duration (`export const maxDuration = 300`, the
 * Next.js route segment option Vercel enforces), the stall cannot outlive the run either — the
 * deadline exists, at the platform.
 *
 * A scheduled handler: a file-routed handler under a `cron/` (or `crons/`) URL segment, or one that
 * checks the scheduler's `CRON_SECRET`. Judged from the file alone (the rule is file-scoped): a bound
 * set only in vercel.json (`functions[glob].maxDuration`), or a helper module next to the handler,
 * is not seen, and is reported as before.
 * TODO(routes): read `Endpoint.handler.scheduled` once the routes model carries it (a file-scoped
 * rule cannot require `routes` today).
 */

const MAX_DURATION_EXPORT = /^\s*export\s+const\s+maxDuration\s*(:\s*\w+\s*)?=\s*\d/m;
const CRON_SECRET = /\bCRON_SECRET\b/;
/** `app/(jobs)/api/cron/sync/route.ts`, `pages/api/crons/digest.ts`: a cron segment below a file router's folder. */
const CRON_ROUTE = /(^|\/)(app|pages|routes)\/(.*\/)?crons?\//;

export function isBoundedScheduledJob(path: string, text: string): boolean {
  return (CRON_ROUTE.test(path) || CRON_SECRET.test(text)) && MAX_DURATION_EXPORT.test(text);
}
