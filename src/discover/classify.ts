import path from 'node:path';
import type { FileKind } from '../model/files.js';

const KIND_BY_EXTENSION: ReadonlyMap<string, FileKind> = new Map<string, FileKind>([
  ['.yaml', 'openapi-candidate'],
  ['.yml', 'openapi-candidate'],
  ['.json', 'openapi-candidate'],
  ['.sql', 'sql'],
  // `.d.ts` ends in `.ts`, so declaration files are code too.
  ...['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'].map((ext) => [ext, 'code'] as [string, FileKind]),
]);

/** Which input a file belongs to, by extension only (case-insensitive). */
export function classifyFile(filePath: string): FileKind {
  return kindOfExtension(path.extname(filePath).toLowerCase());
}

/** The kind for a lower-case extension with its dot (`.sql`). */
export function kindOfExtension(extension: string): FileKind {
  return KIND_BY_EXTENSION.get(extension) ?? 'text';
}

/**
 * Extensions that are binary often enough that reading them to find out is wasted I/O: images,
 * archives, compiled objects, fonts, media, databases, lockfiles in binary formats.
 */
export const BINARY_EXTENSIONS: ReadonlySet<string> = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'webp',
  'bmp',
  'tif',
  'tiff',
  'ico',
  'icns',
  'psd',
  'avif',
  'heic',
  'pdf',
  'doc',
  'docx',
  'xls',
  'xlsx',
  'ppt',
  'pptx',
  'odt',
  'ods',
  'zip',
  'gz',
  'tgz',
  'bz2',
  'xz',
  'zst',
  '7z',
  'rar',
  'tar',
  'jar',
  'war',
  'ear',
  'apk',
  'dmg',
  'iso',
  'class',
  'so',
  'dylib',
  'dll',
  'exe',
  'wasm',
  'node',
  'o',
  'a',
  'pyc',
  'pyo',
  'bin',
  'woff',
  'woff2',
  'ttf',
  'otf',
  'eot',
  'mp3',
  'mp4',
  'm4a',
  'wav',
  'ogg',
  'flac',
  'mov',
  'avi',
  'mkv',
  'webm',
  'sqlite',
  'sqlite3',
  'db',
  'lockb',
  'parquet',
  'avro',
]);
