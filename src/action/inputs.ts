/**
 * The action's inputs. The runner gives a JavaScript action each input as an environment variable,
 * `INPUT_` + the name upper-cased with spaces as `_` (hyphens stay: `INPUT_FAIL-ON`), the way
 * actions/toolkit's getInput reads them; the defaults here are the ones action.yml declares, so
 * the entry point behaves the same when run by hand.
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
  map: 'false',
  'only-changed': 'false',
  baseline: '',
  category: '',
  'working-directory': '.',
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
  /** Add the architecture map of what the change touches to the summary (--map). */
  map: boolean;
  onlyChanged: boolean;
  baseline?: string;
  /** SARIF automationDetails.id (see --category). */
  category?: string;
  /** Folder to run in, relative to the workspace: paths, config, baseline and sarif-file are relative to it. */
  workingDirectory: string;
}

/** `fail-on` → `INPUT_FAIL-ON`, as the runner names it. */
export function inputVariable(name: InputName): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
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
  const category = optional('category');
  if (category !== undefined && /[\r\n]/.test(category)) throw new UsageError('input category: must be one line');
  return {
    // Whitespace- or newline-separated, like most actions' path lists.
    paths: get('paths').split(/\s+/).filter(Boolean),
    ...(config !== undefined ? { config } : {}),
    failOn: failOn as LintFlags['failOn'],
    ...(sarifFile !== undefined ? { sarifFile } : {}),
    annotations: flag(get('annotations'), 'annotations'),
    summary: flag(get('summary'), 'summary'),
    map: flag(get('map'), 'map'),
    onlyChanged: flag(get('only-changed'), 'only-changed'),
    ...(baseline !== undefined ? { baseline } : {}),
    ...(category !== undefined ? { category } : {}),
    workingDirectory: get('working-directory') || '.',
  };
}

/** YAML 1.2 core-schema booleans, as GitHub's `core.getBooleanInput` accepts them. */
function flag(value: string, name: InputName): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new UsageError(`input ${name}: "${value}" is not true or false`);
}
