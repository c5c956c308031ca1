/** Public API of src/config: find, load and validate config; its JSON Schema; rule settings; init. */
export { findConfig, CONFIG_FILE_NAMES } from './find.js';
export { loadConfig, type LoadConfigOptions } from './load.js';
export { validateConfig, type ValidateOptions } from './validate.js';
export {
  configSchema,
  renderSchemaFile,
  SEVERITY_SETTINGS,
  SQL_DIALECTS,
  type ConfigSchemaOptions,
  type JsonSchema,
} from './schema.js';
export { resolveRuleSettings, type ResolvedRuleSettings, type ResolveRuleSettingsInput } from './severity.js';
export { suggest, didYouMean, editDistance } from './suggest.js';
export { parseSize } from './size.js';
export { initConfig, renderInitTemplate, INIT_FILE_NAME } from './init.js';
