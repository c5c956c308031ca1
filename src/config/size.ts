import { UsageError } from '../errors.js';

/** 1024-based, as file sizes are usually meant ("10MB" = 10 × 1024 × 1024 bytes). */
const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/**
 * Accepted size strings. The JSON Schema uses the same pattern (SIZE_PATTERN) so editors and
 * the loader agree on what is valid.
 */
export const SIZE_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*([kKmMgG]?[bB])?\\s*$';
const SIZE_RE = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?b)?\s*$/i;

/** Bytes from a number of bytes or a string like "512KB", "10MB", "1GB", "1.5MB", "2048". */
export function parseSize(value: number | string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0)
      throw new UsageError(`invalid size ${String(value)}: must be a number of bytes ≥ 0`);
    return Math.floor(value);
  }
  const match = SIZE_RE.exec(value);
  if (!match)
    throw new UsageError(`invalid size "${value}": use a number of bytes or a size like "512KB", "10MB", "1GB"`);
  const unit = UNITS[(match[2] ?? '').toLowerCase()]!;
  return Math.floor(Number(match[1]) * unit);
}
