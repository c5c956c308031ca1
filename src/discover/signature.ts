import { statSync } from 'node:fs';

/**
 * What a stat says about a file or folder (modification and change times in nanoseconds, size, inode, mode): two
 * equal signatures, nothing changed as far as the disk tells. Undefined when it cannot be stat-ed.
 */
export function signatureOf(absPath: string): string | undefined {
  try {
    const s = statSync(absPath, { bigint: true, throwIfNoEntry: false });
    return s ? `${s.mtimeNs}:${s.ctimeNs}:${s.size}:${s.ino}:${s.mode}` : undefined;
  } catch {
    return undefined;
  }
}
