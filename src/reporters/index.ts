/** The report formats by name: what `--format` accepts, and the one signature they share. */
import { github } from './github.js';
import { json } from './json.js';
import { markdown } from './markdown.js';
import { pretty } from './pretty.js';
import { sarif } from './sarif.js';
import type { Reporter } from './types.js';

export type { Reporter, ReporterOptions, RunResult, RunSummary } from './types.js';

export const FORMAT_NAMES = ['pretty', 'json', 'sarif', 'github', 'markdown'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export const reporters: Record<FormatName, Reporter> = { pretty, json, sarif, github, markdown };

export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}
