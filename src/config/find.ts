/** Locating the config file: the nearest folder, from cwd up to the filesystem root. */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Looked for in this order in each folder; package.json counts only with an "archlint" key. */
export const CONFIG_FILE_NAMES = ['archlint.config.json', 'archlint.config.yaml', 'archlint.config.yml'] as const;

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** True when package.json parses and has an "archlint" key; a broken package.json is not ours to report. */
export function packageJsonHasConfig(file: string): boolean {
  try {
    const data: unknown = JSON.parse(stripBom(readFileSync(file, 'utf8')));
    return typeof data === 'object' && data !== null && !Array.isArray(data) && Object.hasOwn(data, 'archlint');
  } catch {
    return false;
  }
}

export const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** Absolute path of the nearest config file, or undefined. */
export function findConfig(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (isFile(candidate)) return candidate;
    }
    const pkg = path.join(dir, 'package.json');
    if (isFile(pkg) && packageJsonHasConfig(pkg)) return pkg;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
