/**
 * What inputs may say about the files they read, besides parse errors: the `core/skipped-file`
 * messages. They are data here (the engine's core-rules meta uses the same templates) so an input
 * reports through its environment without importing the engine.
 */
export const SKIPPED_FILE = 'core/skipped-file';

export const skippedFileMessages = {
  sqlTooLarge: 'This migration is not read: {{detail}} (maxFileSize), so the schema is folded without it',
  sqlUnreadable: 'This migration cannot be read ({{detail}}), so the schema is folded without it',
  sqlNotText:
    'This migration is not text (a NUL byte in its first 8000 bytes) or could not be read, so the schema is folded without it',
  sqlOtherEngine:
    'The {{count}} SQL file(s) under {{folder}} are for {{engine}}, which archlint does not model: not read',
  openapiTooLarge: 'This OpenAPI description is not read: {{detail}} (maxFileSize), so its service is not checked',
} as const;
