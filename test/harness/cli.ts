/** Runs the CLI in-process, as a user would from `cwd`, with captured streams that are not a terminal. */
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  argv: string[],
  cwd: string = process.cwd(),
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    cwd,
    env,
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
  });
  return { code, stdout, stderr };
}
