import type { FileKind, TextFile } from '../../model/files.js';
import { looksBinary } from '../../discover/binary.js';

export interface TextFileSource {
  path: string;
  absPath: string;
  kind: FileKind;
}

// Not fatal: invalid UTF-8 becomes U+FFFD instead of losing the file. The BOM is stripped by
// hand so `bom` can report it.
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

const LF = 0x0a;
const CR = 0x0d;

/** Decodes `bytes` and indexes its lines; undefined when the bytes look binary. */
export function createTextFile(file: TextFileSource, bytes: Uint8Array): TextFile | undefined {
  if (looksBinary(bytes)) return undefined;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const content = decoder.decode(bom ? bytes.subarray(3) : bytes);
  // Indexed on first use: most files never need a position (only those with a finding or a
  // suppression comment do), and a scan of every character of a large tree is not free.
  let starts: number[] | undefined;
  const lines = (): number[] => (starts ??= indexLines(content));

  const clampLine = (line: number): number => Math.min(Math.max(Math.trunc(line) || 1, 1), lines().length);
  const lineRange = (line: number): { start: number; end: number } => {
    const index = clampLine(line) - 1;
    const lineStarts = lines();
    const start = lineStarts[index] as number;
    const next = lineStarts[index + 1];
    if (next === undefined) return { start, end: content.length };
    // Step back over the terminator: \n, \r or \r\n.
    const crlf = content.charCodeAt(next - 1) === LF && content.charCodeAt(next - 2) === CR;
    return { start, end: next - (crlf ? 2 : 1) };
  };

  return {
    path: file.path,
    absPath: file.absPath,
    kind: file.kind,
    content,
    bom,
    get lineCount() {
      return lines().length;
    },
    positionAt(offset) {
      const clamped = Math.min(Math.max(Math.trunc(offset) || 0, 0), content.length);
      const lineStarts = lines();
      const index = lineIndexAt(lineStarts, clamped);
      return { line: index + 1, column: clamped - (lineStarts[index] as number) + 1 };
    },
    offsetAt(line, column) {
      const { start, end } = lineRange(line);
      return Math.min(Math.max(start + (Math.trunc(column) || 1) - 1, start), end);
    },
    lineText(line) {
      const { start, end } = lineRange(line);
      return content.slice(start, end);
    },
    lineRange,
  };
}

/** Offsets where each line starts; a line ends at \n, \r\n or a lone \r. */
function indexLines(content: string): number[] {
  const starts = [0];
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c === CR && content.charCodeAt(i + 1) === LF) i++;
    if (c === LF || c === CR) starts.push(i + 1);
  }
  return starts;
}

/** Binary search: the last line starting at or before `offset`. */
function lineIndexAt(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lineStarts[mid] as number) <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}
