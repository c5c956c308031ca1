/**
 * Settings of environments that exist only for a test run, told by what the file says about them:
 *
 *   CI service containers  GitHub Actions starts a job's `services:` containers for that job and
 *                          removes them after it; their credentials (`env:` of a service) open a
 *                          container reachable only from the job. The same value elsewhere in the
 *                          workflow is the app's side of that credential (a token the tests present
 *                          to the container), just as throwaway.
 *   test environments      a block of settings that sets `NODE_ENV: test` (or RAILS_ENV, APP_ENV …)
 *                          configures a test run, as `.env.test` does: its keys are the tests' own;
 *                          one that sets `NODE_ENV: development` configures a developer's machine.
 *   throwaway clusters     a workflow job that creates its own Kubernetes cluster on the runner
 *                          (`kind create cluster`, `k3d cluster create`, `minikube start`) deploys to
 *                          a cluster that dies with the job: the secrets it writes there guard nothing
 *                          that outlives the run, like a service container's.
 */
import type { TextFile } from '../../../src/rule-api.js';
import { indentOf, isCommentText, siblingLines } from './blocks.js';

const WORKFLOW_FILE = /(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i;
const SERVICES_KEY = /^[ \t]*services:[ \t]*(?:#.*)?$/;
const ENV_KEY = /^[ \t]*env:[ \t]*(?:#.*)?$/;
/** `KEY: value`, `KEY: "value"` on one line. */
const YAML_SCALAR = /^[ \t]*["']?[\w.-]+["']?:[ \t]*(?:"([^"]*)"|'([^']*)'|([^\s#][^#]*?))[ \t]*(?:#.*)?$/;

/** The credentials of a workflow's service containers: where they are written, and their values. */
export interface ServiceCredentials {
  /** Offset ranges of the services' `env:` blocks. */
  ranges: Array<{ start: number; end: number }>;
  values: Set<string>;
}

/** The `env:` values of every `services:` container in a GitHub workflow; undefined for other files. */
export function serviceCredentials(file: TextFile): ServiceCredentials | undefined {
  if (!WORKFLOW_FILE.test(file.path) || !file.content.includes('services:')) return undefined;
  const found: ServiceCredentials = { ranges: [], values: new Set() };
  for (let n = 1; n <= file.lineCount; n++) {
    const line = file.lineText(n);
    if (!SERVICES_KEY.test(line)) continue;
    const services = blockEnd(file, n);
    for (let m = n + 1; m < services; m++) {
      if (!ENV_KEY.test(file.lineText(m))) continue;
      const env = blockEnd(file, m);
      for (let k = m + 1; k < env; k++) {
        const scalar = YAML_SCALAR.exec(file.lineText(k));
        const value = scalar?.[1] ?? scalar?.[2] ?? scalar?.[3];
        if (value) found.values.add(value);
      }
      found.ranges.push({ start: file.lineRange(m).start, end: file.lineRange(Math.max(m, env - 1)).end });
      m = env - 1;
    }
    n = services - 1;
  }
  return found.ranges.length > 0 ? found : undefined;
}

/** Is the value at [start, end) a service container's credential, or the same value? */
export function isServiceCredential(
  credentials: ServiceCredentials | undefined,
  start: number,
  value: string,
): boolean {
  if (!credentials) return false;
  return credentials.values.has(value) || credentials.ranges.some((range) => start >= range.start && start < range.end);
}

/** The first line after the block a `key:` line opens (lines more indented than it, blank lines and comments between). */
function blockEnd(file: TextFile, keyLine: number): number {
  const indent = indentOf(file.lineText(keyLine));
  let end = keyLine + 1;
  for (let n = keyLine + 1; n <= file.lineCount; n++) {
    const line = file.lineText(n);
    if (!/\S/.test(line) || isCommentText(file.path, line)) continue;
    if (indentOf(line) <= indent) break;
    end = n + 1;
  }
  return end;
}

/**
 * `NODE_ENV: test`, `RAILS_ENV=test`, `- APP_ENV=testing`, `export NODE_ENV="test"`; and the development
 * environment (`NODE_ENV=development`): settings that say they are a developer's run its stack on their machine
 * (apitable's `env/.env.defaults` next to `MYSQL_HOST=127.0.0.1`) — the deployed settings say `production`, or
 * nothing. Its made-up passwords are judged as a test's.
 */
const TEST_ENVIRONMENT =
  /^[ \t]*(?:-[ \t]+)?(?:export[ \t]+)?["']?(?:NODE_ENV|APP_ENV|RAILS_ENV|RACK_ENV|MIX_ENV|FLASK_ENV|GO_ENV|ENVIRONMENT)["']?[ \t]*[:=][ \t]*["']?(?:test|testing|development)["']?[ \t]*(?:#.*)?$/i;

/**
 * A setting of a workflow's env block that points the app at the runner itself
 * (`DB_URL: postgres://postgres:postgres@localhost:5432/db`, `APP_URL: http://localhost:3000`): the
 * job runs the app against containers it starts, a test run — its other keys are made up for it.
 */
const RUNNER_URL_SETTING =
  /^[ \t]*["']?[\w.-]+["']?[ \t]*:[ \t]*["']?[a-z][\w+.-]*:\/\/(?:[^\s@/]*@)?(?:localhost|127\.0\.0\.1)(?![\w.-])/i;

/** Is the line at `offset` in a block of settings that declares a test environment? */
export function isInTestEnvironment(file: TextFile, offset: number): boolean {
  const siblings = siblingLines(file, file.positionAt(offset).line);
  if (siblings.some((line) => TEST_ENVIRONMENT.test(line))) return true;
  return WORKFLOW_FILE.test(file.path) && siblings.some((line) => RUNNER_URL_SETTING.test(line));
}

const JOBS_KEY = /^[ \t]*jobs:[ \t]*(?:#.*)?$/;
/** Commands that start a cluster on the CI runner itself. */
const LOCAL_CLUSTER =
  /\b(?:kind[ \t]+create[ \t]+cluster|k3d[ \t]+cluster[ \t]+create|minikube[ \t]+start|microk8s[ \t]+start)\b/;

/** Is the line at `offset` in a workflow job that starts a throwaway cluster on the runner? */
export function isInThrowawayClusterJob(file: TextFile, offset: number): boolean {
  if (!WORKFLOW_FILE.test(file.path) || !LOCAL_CLUSTER.test(file.content)) return false;
  const job = jobKeyLine(file, file.positionAt(offset).line);
  if (job === undefined) return false;
  const end = blockEnd(file, job);
  for (let n = job + 1; n < end; n++) if (LOCAL_CLUSTER.test(file.lineText(n))) return true;
  return false;
}

/** The `<job id>:` line a workflow line belongs to: its ancestor right under `jobs:`. */
function jobKeyLine(file: TextFile, lineNumber: number): number | undefined {
  let indent = indentOf(file.lineText(lineNumber));
  let child: number | undefined;
  for (let n = lineNumber - 1; n >= 1 && indent > 0; n--) {
    const line = file.lineText(n);
    if (!/\S/.test(line) || isCommentText(file.path, line) || indentOf(line) >= indent) continue;
    if (JOBS_KEY.test(line)) return child;
    indent = indentOf(line);
    child = n;
  }
  return undefined;
}
