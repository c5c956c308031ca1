/**
 * `.sql` files discovery skipped (over maxFileSize, unreadable) are missing from the folded schema:
 * each is reported as a `core/skipped-file` note, so findings about an incomplete schema are not
 * taken at face value. The `sql.migrations` globs and the test folders left out apply, as they do to
 * the files that are read.
 */
import { relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { formatMessage } from '../../util/format-message.js';
import { SKIPPED_FILE, skippedFileMessages as messages } from '../../model/core-diagnostics.js';
import type { InputEnv } from '../env.js';
import { inTestFolder } from './migrations.js';

export function reportSkippedMigrations(env: InputEnv, globs: string[] | undefined): void {
  const matches = globs && globs.length > 0 ? picomatch(globs, { dot: true }) : undefined;
  for (const skip of env.fileSet.skipped) {
    if (!/\.sql$/i.test(skip.path) || (skip.reason !== 'too-large' && skip.reason !== 'unreadable')) continue;
    const absPath = resolve(env.cwd, skip.path);
    if (matches && !matches(relative(env.config.baseDir, absPath).split(sep).join('/'))) continue;
    // Test schemas are no migration history (see migrations.ts): a missing one leaves no gap.
    if (!matches && inTestFolder({ path: skip.path, absPath, kind: 'sql', size: 0 }, env.fileSet.roots)) continue;
    env.report({
      ruleId: SKIPPED_FILE,
      message: formatMessage(messages[skip.reason === 'too-large' ? 'sqlTooLarge' : 'sqlUnreadable'], {
        detail: skip.detail ?? skip.reason,
      }),
      origin: { file: skip.path },
      related: [],
      source: 'sql',
    });
  }
}

/** A listed `.sql` file whose text could not be had (binary content, or it vanished or became unreadable since discovery). */
export function reportUnreadMigration(env: InputEnv, path: string): void {
  env.report({
    ruleId: SKIPPED_FILE,
    message: messages.sqlNotText,
    origin: { file: path },
    related: [],
    source: 'sql',
  });
}

/** One note per folder of SQL written for an engine archlint does not model (see other-engines.ts). */
export function reportOtherEngineFolder(
  env: InputEnv,
  folder: { path: string; engine: string; files: string[] },
): void {
  env.report({
    ruleId: SKIPPED_FILE,
    message: formatMessage(messages.sqlOtherEngine, {
      count: String(folder.files.length),
      folder: `${folder.path}/`,
      engine: folder.engine,
    }),
    origin: { file: folder.files[0]! },
    related: [],
    source: 'sql',
  });
}
