/**
 * The action's inputs. action.yml passes each one to the entry point as an INPUT_* environment
 * variable (a composite action's steps do not get them automatically); the defaults here are the
 * ones action.yml declares, so the entry point behaves the same when run by hand.
 */
import { UsageError } from '../errors.js';
import { FAIL_LEVELS, type LintFlags } from '../cli/main.js';

export const INPUT_DEFAULTS = {
  paths: '.',
  config: '',
  'fail-on': 'error',
  'sarif-file': 'archlint.sarif',
  annotations: 'true',
  summary: 'true',
  'only-changed': 'false',
  baseline: '',
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;

export interface ActionInputs {
  paths: string[];
  config?: string;
  failOn: LintFlags['failOn'];
  /** Where to write SARIF, relative to the workspace; undefined writes none. */
  sarifFile?: string;
  annotations: boolean;
  summary: boolean;
  onlyChanged: boolean;
  baseline?: string;
}

/** `fail-on` → `INPUT_FAIL_ON`. */
export function inputVariable(name: InputName): string {
  return `INPUT_${name.toUpperCase().replace(/-/g, '_')}`;
}

export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const get = (name: InputName) => (env[inputVariable(name)] ?? INPUT_DEFAULTS[name]).trim();
  const failOn = get('fail-on');
  if (!(FAIL_LEVELS as readonly string[]).includes(failOn)) {
    throw new UsageError(`input fail-on: "${failOn}" is not one of ${FAIL_LEVELS.join(', ')}`);
  }
  const optional = (name: InputName) => (get(name) === '' ? undefined : get(name));
  const config = optional('config');
  const sarifFile = optional('sarif-file');
  const baseline = optional('baseline');
  return {
    // Whitespace- or newline-separated, like most actions' path lists.
    paths: get('paths').split(/\s+/).filter(Boolean),
    ...(config !== undefined ? { config } : {}),
    failOn: failOn as LintFlags['failOn'],
    ...(sarifFile !== undefined ? { sarifFile } : {}),
    annotations: flag(get('annotations'), 'annotations'),
    summary: flag(get('summary'), 'summary'),
    onlyChanged: flag(get('only-changed'), 'only-changed'),
    ...(baseline !== undefined ? { baseline } : {}),
  };
}

/** YAML 1.2 core-schema booleans, as GitHub's `core.getBooleanInput` accepts them. */
function flag(value: string, name: InputName): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new UsageError(`input ${name}: "${value}" is not true or false`);
}
