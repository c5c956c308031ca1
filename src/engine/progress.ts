/**
 * What the engine tells a progress display (the CLI draws it on a terminal's standard error).
 * The engine only names phases and counts; drawing, throttling and TTY checks are the CLI's.
 */
import type { FileSet, TextFiles } from '../model/files.js';

export interface ProgressSink {
  /** A new phase: "discovering", "reading", "building code", "running db/x"; with its count when known. */
  phase(name: string, count?: ProgressCount): void;
  /** How far the current phase is: `done` of `total` `unit` ("files", "rules"). */
  count(done: number, total: number, unit: string): void;
}

export interface ProgressCount {
  done: number;
  total: number;
  unit: string;
}

/** Text access that counts each discovered file's first read, so "building code" can show files done/total. */
export function countReads(text: TextFiles, fileSet: FileSet, progress: ProgressSink): TextFiles {
  const discovered = new Set(fileSet.files.map((file) => file.path));
  const seen = new Set<string>();
  const total = discovered.size;
  const note = (path: string) => {
    if (!discovered.has(path) || seen.has(path)) return;
    seen.add(path);
    progress.count(seen.size, total, 'files');
  };
  return {
    get: (path) => {
      note(path);
      return text.get(path);
    },
    load: (path, absPath) => {
      note(path);
      return text.load(path, absPath);
    },
    all: () => {
      for (const file of fileSet.files) note(file.path);
      return text.all();
    },
    each: () => {
      for (const file of fileSet.files) note(file.path);
      return text.each();
    },
    facts: () => text.facts(),
  };
}
