import { readFileSync } from 'node:fs';
import type { FileKind, FileSet, TextFile, TextFileFacts, TextFiles } from '../../model/files.js';
import { judgingRoots, pathBelowRoot } from '../../model/test-paths.js';
import { createTextFile } from './text-file.js';
import { judgeTextFacts } from './text-facts.js';

/** Decoded text kept between the runs of a long-running process (discover/carried.ts). */
export interface CarriedTextStore {
  get(path: string): TextFile | undefined;
  keep(path: string, file: TextFile): void;
}

/** Reads and decodes one file; undefined when it is binary or cannot be read. */
export function loadTextFile(path: string, absPath: string, kind: FileKind): TextFile | undefined {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(absPath);
  } catch {
    return undefined;
  }
  return createTextFile({ path, absPath, kind }, bytes);
}

/**
 * Text access to the discovered files, read on first use: most runs touch only some inputs.
 * `log` (--verbose) hears of discovered files dropped here: discovery sniffs only files of no
 * known kind for binary content, so a code, SQL or YAML/JSON file holding a NUL byte ends here.
 */
export function createTextFiles(
  fileSet: FileSet,
  log: (message: string) => void = () => {},
  /** Bytes discovery already read, by report path; each is used once, then dropped. */
  prefetched?: Map<string, Uint8Array>,
  /** TextFileFacts judged over a larger tree than `fileSet` (a part of it checked apart); else judged here. */
  givenFacts?: ReadonlyMap<string, TextFileFacts>,
  /** Text decoded by an earlier run of a long-running process, for files unchanged since (discover/carried.ts). */
  carried?: CarriedTextStore,
): TextFiles {
  const byPath = new Map(fileSet.files.map((f) => [f.path, f]));
  // null marks a file already found binary or unreadable, so it is not read again.
  const cache = new Map<string, TextFile | null>();

  const get = (path: string): TextFile | undefined => {
    const cached = cache.get(path);
    if (cached !== undefined) return cached ?? undefined;
    const file = byPath.get(path);
    if (!file) return undefined;
    const bytes = prefetched?.get(path);
    prefetched?.delete(path);
    const loaded = bytes
      ? createTextFile({ path: file.path, absPath: file.absPath, kind: file.kind }, bytes)
      : (carried?.get(path) ?? loadTextFile(file.path, file.absPath, file.kind));
    if (loaded) {
      loaded.rootPath = pathBelowRoot(file, judgingRoots(fileSet));
      carried?.keep(path, loaded);
    }
    cache.set(path, loaded ?? null);
    if (!loaded) log(`skipped ${path}: binary (a NUL byte) or unreadable, so no rule checks it`);
    return loaded;
  };

  const load = (path: string, absPath: string): TextFile | undefined => {
    if (byPath.has(path) || cache.has(path)) return get(path);
    const loaded = loadTextFile(path, absPath, 'openapi-candidate');
    cache.set(path, loaded ?? null);
    return loaded;
  };

  /** Bytes read ahead for a file, decoded without taking them from the read-ahead (get still finds them). */
  const prefetchedText = (file: (typeof fileSet.files)[number]): TextFile | undefined => {
    const bytes = prefetched?.get(file.path);
    return bytes ? createTextFile({ path: file.path, absPath: file.absPath, kind: file.kind }, bytes) : undefined;
  };

  let facts = givenFacts;
  return {
    get,
    load,
    all: () => fileSet.files.map((f) => get(f.path)).filter((t): t is TextFile => t !== undefined),
    *each() {
      for (const file of fileSet.files) {
        const cached = cache.get(file.path);
        if (cached === null) continue;
        const found =
          cached ?? prefetchedText(file) ?? carried?.get(file.path) ?? loadTextFile(file.path, file.absPath, file.kind);
        if (!found) continue;
        found.rootPath ??= pathBelowRoot(file, judgingRoots(fileSet));
        yield found;
      }
    },
    facts: () =>
      (facts ??= judgeTextFacts(
        fileSet.files.map((f) => f.path),
        (path) => get(path)?.content,
      )),
  };
}
