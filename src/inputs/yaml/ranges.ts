/** A range of a file's text, in UTF-16 offsets. */
export interface OffsetRange {
  start: number;
  end: number;
}
