/** What reading one statement gave: the schema changes it makes, or where and why it did not parse. */
import type { SchemaEvent } from '../../model/schema.js';

export interface StatementResult {
  events?: SchemaEvent[];
  /** The parser's message and the file offset it points at. */
  error?: { message: string; offset: number };
}
