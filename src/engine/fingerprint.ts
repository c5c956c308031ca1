/**
 * Line-independent fingerprints: editing lines above a finding must not change its identity
 * (baselines and GitHub's alert tracking rely on that). Key: rule id + file + the flagged
 * source text with whitespace collapsed + the occurrence index of that same key in the file.
 */
import { createHash } from 'node:crypto';

/** Flagged text longer than this is cut before hashing: the start identifies it well enough. */
const MAX_KEY_TEXT = 4096;

export function normaliseSourceText(text: string): string {
  return text
    .slice(0, MAX_KEY_TEXT * 2)
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_KEY_TEXT);
}

export function fingerprintKey(ruleId: string, file: string, text: string): string {
  return `${ruleId}\u0000${file}\u0000${normaliseSourceText(text)}`;
}

export function fingerprint(key: string, occurrence: number): string {
  return createHash('sha256').update(`${key}\u0000${occurrence}`).digest('hex').slice(0, 32);
}
