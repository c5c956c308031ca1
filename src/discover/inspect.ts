import { stat } from 'node:fs/promises';
import type { DiscoveredFile, SkippedFile } from '../model/files.js';
import { BINARY_SNIFF_BYTES, looksBinary, readHead } from './binary.js';
import { classifyFile, hasBinaryExtension } from './classify.js';
import { errorCode } from './walk.js';

/** Decides whether a found file is listed: small enough, and text. */
export async function inspectFile(
  reportPath: string,
  absPath: string,
  maxFileSize: number,
): Promise<DiscoveredFile | SkippedFile> {
  try {
    // stat follows symlinks: the size is the target's.
    const { size } = await stat(absPath);
    if (size > maxFileSize) {
      return { path: reportPath, reason: 'too-large', detail: `${formatSize(size)} > ${formatSize(maxFileSize)}` };
    }
    if (hasBinaryExtension(absPath)) return { path: reportPath, reason: 'binary', detail: 'by extension' };
    if (looksBinary(await readHead(absPath))) {
      return { path: reportPath, reason: 'binary', detail: `NUL byte in the first ${BINARY_SNIFF_BYTES} bytes` };
    }
    return { path: reportPath, absPath, kind: classifyFile(reportPath), size };
  } catch (error) {
    return { path: reportPath, reason: 'unreadable', detail: errorCode(error) };
  }
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Runs `fn` over `items` with at most `limit` in flight, so a large tree does not hit EMFILE. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
