import chalk from 'chalk';
import type { CliIo } from './io.js';

/** Colour only for a terminal that supports it, unless --no-color or NO_COLOR says otherwise. */
export function useColor(flag: boolean, io: CliIo): boolean {
  return flag !== false && io.stdout.isTTY === true && chalk.level > 0 && !io.env.NO_COLOR;
}
