/**
 * Settings files that configure a developer's own machine, told by what they point at: a committed
 * `.env` or a stack's config whose service endpoints are `http://localhost:4000`,
 * `http://host.docker.internal:6000`, `https://api.local.acme.dev` line after line is the team's
 * local-development environment (the deployed one points at real hosts, and is kept out of git or
 * in a secret store). Its keys are the local stack's, made up like a test's: as in `dev/` folders,
 * only provider tokens and passwords in URLs to another machine are reported there.
 *
 * Judged per file, on the first URL of each line: a line pointing at the loopback (`localhost`,
 * `127.0.0.1`, `0.0.0.0`, `host.docker.internal`, `*.localhost`) or at a host with a `local` label
 * (`*.local`, `api.local.acme.dev`) counts for the machine; a line pointing at another dotted host
 * (`api.mapbox.com`) against it. A container's bare name (`http://redis:6379`) says nothing: every
 * deployment's compose file has those. At least three local lines, and at least three times as many
 * as the others.
 */
import type { TextFile } from '../../../src/rule-api.js';

/** The host of the first URL on a line. */
const URL_HOST = /[a-z][\w+.-]*:\/\/(?:[^\s@/'"`]*@)?(\[[^\]\s]*\]|[A-Za-z0-9.-]+)/i;
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[?::1\]?|0\.0\.0\.0|host\.docker\.internal|[\w.-]+\.localhost)$/i;
/** A `local` label anywhere in a dotted name, but not a cluster's internal DNS (`svc.cluster.local` is in production too). */
const LOCAL_LABEL = /(?:^|\.)local(?:\.|$)/i;
const CLUSTER_DNS = /\.svc(?:\.cluster\.local)?$/i;

const MIN_LOCAL_LINES = 3;
const LOCAL_RATIO = 3;

export function pointsAtLocalMachine(file: TextFile): boolean {
  if (!file.content.includes('://')) return false;
  let local = 0;
  let remote = 0;
  for (let n = 1; n <= file.lineCount; n++) {
    const line = file.lineText(n);
    if (!line.includes('://')) continue;
    const host = URL_HOST.exec(line)?.[1];
    if (!host) continue;
    if (LOOPBACK.test(host) || (LOCAL_LABEL.test(host) && !CLUSTER_DNS.test(host))) local++;
    else if (host.includes('.') && !CLUSTER_DNS.test(host)) remote++;
  }
  return local >= MIN_LOCAL_LINES && local >= LOCAL_RATIO * remote;
}
