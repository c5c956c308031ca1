/** What discovery hands to the inputs: every file under the lint roots, classified. */

export type FileKind =
  /** .yaml / .yml / .json: may be an OpenAPI description (the OpenAPI input decides). */
  | 'openapi-candidate'
  | 'sql'
  /** .ts .tsx .mts .cts .js .jsx .mjs .cjs */
  | 'code'
  /** any other text file (secrets, suppressions). */
  | 'text';

export interface DiscoveredFile {
  /** Relative to the current directory, '/' separators: the name every report uses. */
  path: string;
  /** Absolute path on disk. */
  absPath: string;
  kind: FileKind;
  /** Size in bytes. */
  size: number;
}

export type SkipReason = 'binary' | 'too-large' | 'symlink-outside-root' | 'symlink-loop' | 'unreadable';

export interface SkippedFile {
  path: string;
  reason: SkipReason;
  detail?: string;
}

export interface FileSet {
  /** Absolute, real paths of the lint roots (a directory argument, or a file argument's folder). */
  roots: string[];
  /**
   * The roots that came from folder arguments (a file argument's folder is left out): path-based
   * judgements read a file's path below these (test-paths.ts pathBelowRoot). `archlint fixtures/demo`
   * lints the demo as a project; `archlint scripts/seed.ts` still lints a script. Absent: `roots`.
   */
  folderRoots?: string[];
  /** Sorted by path. */
  files: DiscoveredFile[];
  skipped: SkippedFile[];
}

/** A decoded text file with a line index. Offsets everywhere are into `content`. */
export interface TextFile {
  path: string;
  absPath: string;
  kind: FileKind;
  /**
   * The path below the lint root the file was found under (test-paths.ts pathBelowRoot): what
   * path-based judgements (test code, scripts, local-dev files) read, so that folders above the
   * root the user pointed at (`archlint fixtures/demo`) say nothing about the file. Unset for
   * files read outside discovery; use `path` then.
   */
  rootPath?: string;
  /** Decoded UTF-8 text without the BOM. Lines end with \n, \r\n or \r. */
  content: string;
  /** The file started with a UTF-8 BOM (stripped from `content`). */
  bom: boolean;
  /** Number of lines (a trailing newline does not start a new line of its own… it does: "a\n" has 2). */
  lineCount: number;
  /** 1-based line and column (UTF-16 code units) of an offset; offsets past the end clamp. */
  positionAt(offset: number): { line: number; column: number };
  /** Offset of a 1-based line/column; clamps to the file. */
  offsetAt(line: number, column: number): number;
  /** Text of a 1-based line without its terminator. */
  lineText(line: number): string;
  /** Offset range [start, end) of a 1-based line, without its terminator. */
  lineRange(line: number): { start: number; end: number };
}

/**
 * What other files of the tree say about a text file (text-facts.ts), judged over the whole tree like CodeFile.reach:
 * a rule reading one file at a time (a file-scoped rule, run on parts of the tree) is handed these rather than
 * read the other files itself.
 */
export interface TextFileFacts {
  /**
   * node-config's defaults (`config/default.json`, `development`, `local`): the setting names that
   * `custom-environment-variables.*` beside it maps to environment variables (a deployment reads those from there).
   */
  settingsFromEnvironment?: readonly string[];
  /**
   * A key file (`.pem`, `.key`): the certificates (PEM) in certificate files of its own folder that name loopback
   * hosts only, as the `openssl req -x509 -keyout key.pem -out cert.pem` recipe for a local dev server writes them.
   */
  loopbackCertificates?: readonly string[];
  /**
   * An env file (`.env`, `.env.*`, `*.env`): the sha256 hashes (`sha256:<hex>`) of the values in it that the
   * repository's CI workflows give their throwaway service containers (`services: <db>: env: POSTGRES_PASSWORD: …`) —
   * the project's published test passwords, reused by a developer's settings for its test databases. Hashes, not the
   * values: a fact is carried and cached, and a secret is never kept beyond its file.
   */
  ciTestPasswordHashes?: readonly string[];
}

/** Lazily reads and caches text files; binary files come back undefined. */
export interface TextFiles {
  get(path: string): TextFile | undefined;
  /** Every discovered text file, in path order (binary files left out). */
  all(): TextFile[];
  /**
   * The same files one at a time, for a scan that needs each text once (is a name written anywhere?): a file not read
   * yet is read for the scan and not kept, so the run does not hold every file's text to its end (`all()` does).
   */
  each(): Iterable<TextFile>;
  /**
   * Reads a file discovery did not list (an OpenAPI `$ref` target inside the lint roots, when only
   * the root description was named) and caches it under `path`, so findings in it can be placed.
   * `all()` still lists only discovered files. Undefined when binary or unreadable.
   */
  load(path: string, absPath: string): TextFile | undefined;
  /** TextFileFacts of the files that have any, by path: judged over the whole tree once, or handed to a part of it. */
  facts(): ReadonlyMap<string, TextFileFacts>;
}
