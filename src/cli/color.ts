import chalk from 'chalk';
import type { CliIo } from './io.js';

/**
 * Colour, in the order other command-line tools decide it: `--color`/`--no-color` win; then
 * FORCE_COLOR (`0` or `false` turns colour off, any other value on — CI logs that render ANSI
 * set it); then NO_COLOR (any non-empty value: off); else colour only on a terminal that has it.
 */
export function useColor(flag: boolean | undefined, io: CliIo): boolean {
  if (flag !== undefined) return flag;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
  if (io.env.NO_COLOR) return false;
  return io.stdout.isTTY === true && chalk.level > 0;
}
