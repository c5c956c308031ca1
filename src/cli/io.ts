import { fstatSync, writeSync } from 'node:fs';

/** What the CLI touches of the process, injectable so tests can run it in-process. */
export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /**
   * Waits until everything written to `stdout` has reached the system; resolves to the first write
   * error (a full disk; a closed pipe is the reader's choice and stays quiet), so a cut report is exit 2 and not a green run. Absent: the
   * writer cannot fail (tests' strings).
   */
  stdoutDone?: () => Promise<Error | undefined>;
}

export function processIo(): CliIo {
  const stdout = checkedOutput(process.stdout, 1);
  // A broken standard error has nowhere to be reported; without a listener it would crash the run.
  process.stderr.on('error', () => {});
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: stdout.stream,
    stderr: process.stderr,
    stdoutDone: stdout.done,
  };
}

/**
 * Standard output that remembers its first write error instead of crashing on an unhandled
 * 'error' event. Files and devices are written with a loop of write(2) calls, which sees a short
 * write on a full disk (Node's synchronous file stream ignores one); pipes and terminals go through
 * the stream, which retries short writes itself.
 */
function checkedOutput(
  stream: NodeJS.WriteStream,
  fd: number,
): { stream: CliIo['stdout']; done: () => Promise<Error | undefined> } {
  let failure: Error | undefined;
  let pending = 0;
  const waiting: (() => void)[] = [];
  const settle = () => {
    if (pending === 0) for (const wake of waiting.splice(0)) wake();
  };
  stream.on('error', (error: Error) => {
    failure ??= error;
  });
  let direct = false;
  try {
    const stats = fstatSync(fd);
    direct = stats.isFile() || stats.isBlockDevice() || (stats.isCharacterDevice() && !stream.isTTY);
  } catch {
    // no standard output at all: the stream reports it on the first write
  }
  const write = (text: string): boolean => {
    if (failure) return false;
    if (direct) {
      const bytes = Buffer.from(text, 'utf8');
      try {
        for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      } catch (error) {
        failure = error as Error;
      }
      return failure === undefined;
    }
    pending++;
    return stream.write(text, (error) => {
      if (error) failure ??= error;
      pending--;
      settle();
    });
  };
  return {
    stream: {
      write,
      get isTTY() {
        return stream.isTTY;
      },
    },
    done: () => new Promise((resolve) => (pending === 0 ? resolve(failure) : waiting.push(() => resolve(failure)))),
  };
}
