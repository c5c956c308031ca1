/**
 * node-config's convention (the `config` package): `config/default.json` holds every setting's default and
 * `config/custom-environment-variables.json` names the environment variable that sets it in a deployment.
 * A setting the project maps to a variable there is read from the environment wherever the service is
 * deployed: the literal in the defaults (or in `development.json`, `local.json`) is the developer's, like a
 * `.env.development` value. Settings the mapping leaves out are deployed as written, and judged as config.
 */
import type { TextFile } from '../../../src/rule-api.js';

const DEFAULTS_FILE = /(?:^|\/)config\/(?:default|development|local)(?:-[\w.-]+)?\.(?:json5?|ya?ml|toml)$/i;
const MAPPING_FILES = [
  'custom-environment-variables.json',
  'custom-environment-variables.json5',
  'custom-environment-variables.yaml',
  'custom-environment-variables.yml',
];
/** A key of the mapping (`"jwtSecret": "JWT_SECRET"`, `sessionSecret:`): every name in it, at any depth. */
const MAPPING_KEY = /["']?([A-Za-z_$][\w$-]*)["']?\s*:/g;

/** The setting names the deployment takes from environment variables, when `file` is node-config's defaults. */
export function settingsFromEnvironment(
  file: TextFile,
  files: { get(path: string): TextFile | undefined },
): ReadonlySet<string> | undefined {
  if (!DEFAULTS_FILE.test(file.path)) return undefined;
  const folder = file.path.slice(0, file.path.lastIndexOf('/') + 1);
  for (const name of MAPPING_FILES) {
    const mapping = files.get(`${folder}${name}`);
    if (mapping) return new Set([...mapping.content.matchAll(MAPPING_KEY)].map((match) => match[1]!));
  }
  return undefined;
}
