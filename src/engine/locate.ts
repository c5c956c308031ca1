/**
 * Turns origins into 1-based regions, once, for every reporter. Ranges are offsets into the
 * decoded text (BOM stripped), so BOM, CRLF and tabs cannot shift a line or column; JSON
 * pointers are resolved in the YAML/JSON document of the file that holds the node.
 */
import type { TextFiles } from '../model/files.js';
import type { Origin, Region } from '../model/finding.js';
import { parsePointer, type OffsetRange, type YamlDocuments } from '../inputs/yaml/documents.js';

export interface Placement {
  region: Region;
  fileLevel: boolean;
  /** Offset of the region's start, when the file's text is known. */
  startOffset?: number;
  /** The flagged source text ('' for a file-level finding). */
  sourceText: string;
}

const FILE_LEVEL: Placement = {
  region: { line: 1, column: 1, endLine: 1, endColumn: 1 },
  fileLevel: true,
  sourceText: '',
};

export class Locator {
  constructor(
    private readonly text: TextFiles,
    private readonly yaml: YamlDocuments,
  ) {}

  place(origin: Origin): Placement {
    if (origin.range) return this.fromRange(origin.file, origin.range);
    if (origin.pointer !== undefined)
      return this.fromPointer(origin.file, origin.pointer, origin.pointerTarget ?? 'key');
    if (origin.position) return this.fromPosition(origin.file, origin.position);
    return FILE_LEVEL;
  }

  private fromRange(path: string, range: OffsetRange): Placement {
    const file = this.text.get(path);
    if (!file) return FILE_LEVEL;
    const start = clamp(range.start, 0, file.content.length);
    const end = clamp(range.end, start, file.content.length);
    const from = file.positionAt(start);
    const to = file.positionAt(end);
    return {
      region: { line: from.line, column: from.column, endLine: to.line, endColumn: to.column },
      fileLevel: false,
      startOffset: start,
      sourceText: file.content.slice(start, end),
    };
  }

  /**
   * An unresolvable pointer falls back to its nearest resolvable ancestor; one that resolves
   * nowhere (or points at the whole document) is about the file.
   */
  private fromPointer(path: string, pointer: string, target: 'key' | 'value'): Placement {
    const tokens = parsePointer(pointer);
    for (let length = tokens.length; length >= 1; length--) {
      const range = this.yaml.rangeOf(path, `/${tokens.slice(0, length).map(escapeToken).join('/')}`, target);
      if (range) return this.fromRange(path, range);
    }
    return FILE_LEVEL;
  }

  private fromPosition(path: string, position: NonNullable<Origin['position']>): Placement {
    const file = this.text.get(path);
    const line = Math.max(1, position.line);
    const column = Math.max(1, position.column);
    if (!file) {
      const region = { line, column, endLine: position.endLine ?? line, endColumn: position.endColumn ?? column };
      return { region, fileLevel: false, sourceText: '' };
    }
    const start = file.offsetAt(line, column);
    const end =
      position.endLine !== undefined
        ? file.offsetAt(position.endLine, position.endColumn ?? Number.MAX_SAFE_INTEGER)
        : file.lineRange(file.positionAt(start).line).end; // no end given: to the end of the line
    return this.fromRange(path, { start, end: Math.max(start, end) });
  }
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
