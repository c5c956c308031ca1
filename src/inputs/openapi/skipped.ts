/**
 * A YAML/JSON file over maxFileSize is skipped by discovery; when its first 8 KB show a top-level
 * `openapi`/`swagger` key it is a description whose service goes unchecked, which a
 * `core/skipped-file` note says. Other large YAML/JSON (data, lockfiles) stay a --verbose line.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { SKIPPED_FILE, skippedFileMessages as messages } from '../../model/core-diagnostics.js';
import { formatMessage } from '../../util/format-message.js';
import type { InputEnv } from '../env.js';

const HEAD_BYTES = 8192;

export function reportSkippedDescriptions(env: InputEnv, looksLikeDescription: (head: string) => boolean): void {
  const template = messages.openapiTooLarge;
  for (const skip of env.fileSet.skipped) {
    if (skip.reason !== 'too-large' || !/\.(ya?ml|json)$/i.test(skip.path)) continue;
    const head = readHead(resolve(env.cwd, skip.path));
    if (head === undefined || !looksLikeDescription(head)) continue;
    env.report({
      ruleId: SKIPPED_FILE,
      message: formatMessage(template, { detail: skip.detail ?? skip.reason }),
      origin: { file: skip.path },
      related: [],
      source: 'openapi',
    });
  }
}

function readHead(absPath: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(absPath, 'r');
    const buffer = Buffer.alloc(HEAD_BYTES);
    const length = readSync(fd, buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, length).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
