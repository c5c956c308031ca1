/** loadConfig: find (or take --config), read, parse as data, validate. */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LoadedConfig } from '../model/config.js';
import { UsageError } from '../errors.js';
import { findConfig, stripBom } from './find.js';
import { parseJson, parseYaml } from './parse.js';
import { validateConfig } from './validate.js';

export interface LoadConfigOptions {
  cwd: string;
  /** Explicit --config, resolved against cwd. */
  configPath?: string;
  /** Ids of every registered rule (core ones included); other ids in config are errors. */
  knownRuleIds: readonly string[];
}

/** Path as shown in messages: relative to cwd, '/' separators. */
function display(cwd: string, file: string): string {
  return (path.relative(cwd, file) || path.basename(file)).split(path.sep).join('/');
}

function readText(file: string, shown: string): string {
  try {
    return stripBom(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`cannot read config file ${shown}: ${code}`);
  }
}

export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const cwd = path.resolve(options.cwd);
  let file: string | undefined;
  if (options.configPath !== undefined) {
    file = path.resolve(cwd, options.configPath);
    let exists = false;
    try {
      exists = statSync(file).isFile();
    } catch {
      exists = false;
    }
    if (!exists) throw new UsageError(`config file not found: ${options.configPath}`);
  } else {
    file = findConfig(cwd);
  }
  if (file === undefined) return { config: {}, baseDir: cwd };

  const shown = display(cwd, file);
  const text = readText(file, shown);
  // .json (package.json included) is parsed as strict JSON; anything else as YAML, which
  // also reads JSON, so an explicit --config with another extension still works.
  let data = file.endsWith('.json') ? parseJson(text, shown) : parseYaml(text, shown);
  let pointerPrefix = '';
  if (path.basename(file) === 'package.json') {
    const pkg = data as Record<string, unknown> | undefined;
    if (typeof pkg !== 'object' || pkg === null || !Object.hasOwn(pkg, 'archlint')) {
      throw new UsageError(`${shown}: no "archlint" key`);
    }
    data = pkg.archlint;
    pointerPrefix = '/archlint';
  }
  // An empty file (or one with only comments) is an empty config.
  if (data === undefined || (data === null && pointerPrefix === '')) data = {};
  const config = await validateConfig(data, { displayName: shown, pointerPrefix, knownRuleIds: options.knownRuleIds });
  return { config, file, baseDir: path.dirname(file) };
}
