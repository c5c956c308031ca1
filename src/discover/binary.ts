import { closeSync, openSync, readSync } from 'node:fs';

/** How many leading bytes git inspects to decide a file is binary. */
export const BINARY_SNIFF_BYTES = 8000;

/** Git's heuristic: a NUL byte among the first 8000 bytes means binary. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

/** Reads only the bytes `looksBinary` needs, so sniffing a large text file stays cheap. */
export function readHeadSync(absPath: string): Uint8Array {
  const fd = openSync(absPath, 'r');
  try {
    const buffer = new Uint8Array(BINARY_SNIFF_BYTES);
    const bytesRead = readSync(fd, buffer, 0, BINARY_SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    closeSync(fd);
  }
}
