/**
 * The `yaml` package, loaded on first use: a run with no YAML or JSON document to read (a folder of
 * SQL migrations, a TypeScript service) does not pay its ~25 ms of module loading. `require`, not
 * `import()`: the package is CommonJS, and the calls that need it are synchronous.
 */
import { createRequire } from 'node:module';

let loaded: typeof import('yaml') | undefined;

export function yamlLib(): typeof import('yaml') {
  return (loaded ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
}
