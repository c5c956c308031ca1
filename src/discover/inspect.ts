import { accessSync, constants, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { DiscoveredFile, SkippedFile } from '../model/files.js';
import { BINARY_SNIFF_BYTES, looksBinary, readHeadSync } from './binary.js';
import { BINARY_EXTENSIONS, kindOfExtension } from './classify.js';
import { errorCode } from './walk.js';

/**
 * Decides whether a found file is listed: readable, small enough, and text. Synchronous on purpose:
 * for thousands of small files, sync calls beat the promise API's thread-pool round trips.
 */
export function inspectFile(reportPath: string, absPath: string, maxFileSize: number): DiscoveredFile | SkippedFile {
  try {
    // stat follows symlinks: the size is the target's.
    const { size } = statSync(absPath);
    if (size > maxFileSize) {
      return { path: reportPath, reason: 'too-large', detail: `${formatSize(size)} > ${formatSize(maxFileSize)}` };
    }
    const extension = extname(reportPath).toLowerCase();
    if (BINARY_EXTENSIONS.has(extension.slice(1))) return { path: reportPath, reason: 'binary', detail: 'by extension' };
    const kind = kindOfExtension(extension);
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

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
