/**
 * `archlint map [paths] --format mermaid|html|json`: the services, API surface, databases and tables
 * archlint found, with the findings of the same run counted on each (src/map). One lint run: the
 * map reads the models the rules read. `html` is one self-contained page (src/map/html.ts).
 */
import { rules } from '../../rules/index.js';
import { loadConfig, parseSize } from '../config/index.js';
import { coreRuleMetas } from '../engine/core-rules.js';
import { lint } from '../engine/run.js';
import { buildMap, type ArchitectureMap, type MapOptions } from '../map/build.js';
import type { LintOptions } from '../engine/run.js';
import { renderHtml } from '../map/html.js';
import { renderMermaid } from '../map/mermaid.js';
import type { CliIo } from './io.js';

export interface MapFlags {
  format: 'mermaid' | 'html' | 'json';
  config?: string;
}

/** The lint run's `inspect` hook that builds the map from the run's own models and findings. */
export function mapInspector(
  done: (map: ArchitectureMap) => void,
  options: MapOptions = {},
): NonNullable<LintOptions['inspect']> {
  return async ({ input, locator, findings }) => {
    // The routes model is the one the http model was built from (inputs are built once per run): no second walk.
    const [http, schema, files, routes] = await Promise.all([
      input('http'),
      input('schema'),
      input('files'),
      input('routes'),
    ]);
    const packageDirs = files.files
      .filter((file) => /(?:^|\/)package\.json$/.test(file.path))
      .map((file) => (file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/')) : ''));
    done(
      buildMap(http, schema.schemas, findings, locator, packageDirs, options, {
        outboundCalls: routes.outboundCalls ?? [],
        composeServices: routes.composeServices ?? [],
      }),
    );
  };
}

export async function runMap(paths: string[], flags: MapFlags, io: CliIo): Promise<number> {
  const knownRuleIds = [...coreRuleMetas.map((m) => m.id), ...rules.map((r) => r.meta.id)];
  const loaded = await loadConfig({ cwd: io.cwd, ...(flags.config ? { configPath: flags.config } : {}), knownRuleIds });
  const maxFileSize = loaded.config.maxFileSize !== undefined ? parseSize(loaded.config.maxFileSize) : undefined;
  let map: ArchitectureMap | undefined;
  await lint({
    cwd: io.cwd,
    paths: paths.length > 0 ? paths : ['.'],
    loaded,
    rules,
    ...(maxFileSize !== undefined ? { maxFileSize } : {}),
    inspect: mapInspector((built) => (map = built)),
  });
  if (!map) throw new Error('the lint run ended before its models could be read');
  io.stdout.write(
    flags.format === 'json'
      ? `${JSON.stringify(map, null, 2)}\n`
      : flags.format === 'html'
        ? renderHtml(map)
        : renderMermaid(map),
  );
  return 0;
}
