/**
 * The passwords a repository's CI gives the throwaway service containers of its test jobs (GitHub Actions
 * `services: <name>: env:`), and the env files that reuse them (TextFileFacts.ciTestPasswordHashes).
 *
 * A service container lives for one job; its password is the project's test password, published in the workflow for
 * anyone to read. An env file of the repository that writes the same value (`PASSWORD_mysql=…`,
 * `URL_mongo=mongodb://root:…@test-db…`) points a developer's run at the project's test databases: it is that test
 * password again, not a credential kept from the readers.
 */
import { createHash } from 'node:crypto';

const WORKFLOW_FILE = /(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i;
const ENV_FILE = /(?:^|\/)(?:\.env(?:\.[\w.-]+)?|[\w.-]+\.env)$/i;
const SERVICES_KEY = /^([ \t]*)services:[ \t]*(?:#.*)?$/;
const ENV_KEY = /^([ \t]*)env:[ \t]*(?:#.*)?$/;
/** `KEY: value`, `KEY: "value"` on one line, the key naming a credential. */
const CREDENTIAL_SETTING =
  /^[ \t]*["']?[\w.-]*(?:pass(?:word|wd)?|pwd|secret|token)[\w.-]*["']?:[ \t]*(?:"([^"]*)"|'([^']*)'|([^\s#"'][^#]*?))[ \t]*(?:#.*)?$/i;
/** Shorter values are common words and defaults: too weak a tie between two files. */
const MIN_LENGTH = 6;

export const isEnvFile = (path: string): boolean => ENV_FILE.test(path);
export const isWorkflowFile = (path: string): boolean => WORKFLOW_FILE.test(path);

const indentOf = (line: string): number => /^[ \t]*/.exec(line)![0].length;

/** The credential values of the service containers' `env:` blocks in one workflow's text. */
export function serviceContainerPasswords(content: string): string[] {
  if (!content.includes('services:')) return [];
  const lines = content.split(/\r?\n/);
  const found: string[] = [];
  let servicesIndent = -1;
  let envIndent = -1;
  for (const line of lines) {
    if (!/\S/.test(line) || /^[ \t]*#/.test(line)) continue;
    const indent = indentOf(line);
    if (envIndent >= 0 && indent <= envIndent) envIndent = -1;
    if (servicesIndent >= 0 && indent <= servicesIndent) servicesIndent = -1;
    const services = SERVICES_KEY.exec(line);
    if (services) {
      servicesIndent = services[1]!.length;
      continue;
    }
    if (servicesIndent < 0) continue;
    const env = ENV_KEY.exec(line);
    if (env) {
      envIndent = env[1]!.length;
      continue;
    }
    if (envIndent < 0) continue;
    const setting = CREDENTIAL_SETTING.exec(line);
    const value = setting?.[1] ?? setting?.[2] ?? setting?.[3];
    if (value && value.length >= MIN_LENGTH && !value.includes('${')) found.push(value);
  }
  return found;
}

export function valueHash(value: string): string {
  return `sha256:${createHash('sha256').update(value).digest('hex')}`;
}

/** For each env file that holds any of `passwords`, the sorted hashes of those it holds. */
export function envFilesReusing(
  paths: readonly string[],
  read: (path: string) => string | undefined,
  passwords: ReadonlySet<string>,
): Map<string, string[]> {
  const reusing = new Map<string, string[]>();
  if (passwords.size === 0) return reusing;
  for (const path of paths) {
    if (!ENV_FILE.test(path)) continue;
    const content = read(path);
    if (content === undefined) continue;
    const held = [...passwords].filter((password) => content.includes(password)).map(valueHash);
    if (held.length > 0) reusing.set(path, held.sort());
  }
  return reusing;
}
