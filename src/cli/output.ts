/**
 * Every file the CLI writes (reports, baselines): checked before the run, so an unwritable path
 * costs a second and not a whole run; written whole or not at all (a temporary file beside it,
 * then renamed over it), so a full disk or Ctrl-C leaves the previous file as it was; and every
 * failure is one line naming the path (exit 2), never a stack trace or a silently short file.
 */
import { accessSync, constants, realpathSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { writeWhole } from '../util/write-whole.js';

/** Output could not be written (or cannot be): the CLI prints `archlint: <message>` and exits 2. */
export class OutputError extends Error {
  override name = 'OutputError';
}

/** What an errno code means for someone who asked for a file to be written, in words. */
export function describeWriteError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const words: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EFBIG: 'the file grew past the allowed size',
    EIO: 'input/output error',
    EPIPE: 'the reader closed the pipe',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'it is a folder',
  };
  if (code !== undefined) return `${words[code] ?? 'write failed'} (${code})`;
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Throws OutputError when `file` cannot be written: it is a folder, a part of its folder path is
 * a file, or the nearest existing folder denies writing. Creates nothing. `label` says what the
 * file is for ("report", "baseline").
 */
export function checkWritable(file: string, label: string): void {
  const fail = (why: string) => {
    throw new OutputError(`cannot write the ${label} ${file}: ${why}`);
  };
  const existing = statOrUndefined(file);
  if (existing?.isDirectory()) fail('it is a folder');
  if (existing && !existing.isFile()) {
    // A device or a pipe (/dev/null, /dev/stdout): written straight through, so it must accept writing.
    try {
      accessSync(file, constants.W_OK);
    } catch (error) {
      fail(describeWriteError(error));
    }
    return;
  }
  // The file is replaced by a rename inside the folder that holds it (or will hold it).
  let folder = dirname(existing ? realpathSync(file) : file);
  for (;;) {
    const stats = statOrUndefined(folder);
    if (stats) {
      if (!stats.isDirectory()) fail(`${folder} is a file, not a folder`);
      break;
    }
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (error) {
    fail(`${folder}: ${describeWriteError(error)}`);
  }
}

/**
 * Writes `text` to `file` whole: a regular file (or a new one) through a temporary file and a
 * rename, so it is never seen half-written and a failure leaves the previous content; a device or
 * pipe (/dev/stdout, a FIFO) straight through, since a rename would replace the device itself.
 */
export function writeOutputFile(file: string, text: string, label: string): void {
  const existing = statOrUndefined(file);
  const throughDevice = existing !== undefined && !existing.isFile() && !existing.isDirectory();
  try {
    if (throughDevice) writeFileSync(file, text);
    // Through a symlink to the file it names: the link stays a link.
    else writeWhole(existing ? realpathSync(file) : file, text);
  } catch (error) {
    const kept = throughDevice ? '' : '; the previous file, if any, is unchanged';
    throw new OutputError(`cannot write the ${label} ${file}: ${describeWriteError(error)}${kept}`);
  }
}
