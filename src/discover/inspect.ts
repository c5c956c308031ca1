import { accessSync, closeSync, constants, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { DiscoveredFile, FileKind, SkippedFile } from '../model/files.js';
import { BINARY_SNIFF_BYTES, looksBinary, readHeadSync } from './binary.js';
import { BINARY_EXTENSIONS, kindOfExtension } from './classify.js';
import { errorCode } from './walk.js';

/**
 * Files the run will read whole anyway (the kinds its inputs read), read by discovery instead:
 * one open of each path where stat, access and the input's later open would look it up three times
 * (for 1,700 migrations, ~15 ms of the run). The bytes go into `into`, keyed by report path, until
 * they add up to `maxBytes`: they wait there until their input reads them, so a large tree would
 * otherwise hold all its code twice at once (bytes and text).
 */
export interface Prefetch {
  kinds: ReadonlySet<FileKind>;
  into: Map<string, Uint8Array>;
  maxBytes: number;
  /** Bytes read so far (discovery adds to it). */
  read?: number;
}

/**
 * Decides whether a found file is listed: readable, small enough, and text. Synchronous on purpose:
 * for thousands of small files, sync calls beat the promise API's thread-pool round trips.
 */
export function inspectFile(
  reportPath: string,
  absPath: string,
  maxFileSize: number,
  prefetch?: Prefetch,
): DiscoveredFile | SkippedFile {
  const extension = extname(reportPath).toLowerCase();
  const binaryByName = BINARY_EXTENSIONS.has(extension.slice(1));
  const kind = kindOfExtension(extension);
  try {
    if (!binaryByName && prefetch?.kinds.has(kind)) return readWhole(reportPath, absPath, kind, maxFileSize, prefetch);
    // stat follows symlinks: the size is the target's.
    const { size } = statSync(absPath);
    if (size > maxFileSize) return tooLarge(reportPath, size, maxFileSize);
    if (binaryByName) return { path: reportPath, reason: 'binary', detail: 'by extension' };
    if (kind === 'text') {
      if (looksBinary(readHeadSync(absPath))) {
        return { path: reportPath, reason: 'binary', detail: `NUL byte in the first ${BINARY_SNIFF_BYTES} bytes` };
      }
    } else {
      // Code, SQL and YAML/JSON are read whole by their inputs, which also drop a file holding a NUL
      // byte; sniffing them here would read each twice. A permission check is all they need now.
      accessSync(absPath, constants.R_OK);
    }
    return { path: reportPath, absPath, kind, size };
  } catch (error) {
    return { path: reportPath, reason: 'unreadable', detail: errorCode(error) };
  }
}

/** Open (which is the permission check), size, read: the same outcomes as the stat-then-access path. */
function readWhole(
  reportPath: string,
  absPath: string,
  kind: FileKind,
  maxFileSize: number,
  prefetch: Prefetch,
): DiscoveredFile | SkippedFile {
  const fd = openSync(absPath, 'r');
  try {
    const { size } = fstatSync(fd);
    if (size > maxFileSize) return tooLarge(reportPath, size, maxFileSize);
    const read = prefetch.read ?? 0;
    if (read + size <= prefetch.maxBytes) {
      const bytes = readFileSync(fd);
      prefetch.into.set(reportPath, bytes);
      prefetch.read = read + bytes.length;
    }
    return { path: reportPath, absPath, kind, size };
  } finally {
    closeSync(fd);
  }
}

function tooLarge(reportPath: string, size: number, maxFileSize: number): SkippedFile {
  return { path: reportPath, reason: 'too-large', detail: `${formatSize(size)} > ${formatSize(maxFileSize)}` };
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
