/**
 * PostgreSQL `search_path`: an unqualified name in a statement means the first schema of the path
 * (for a name that is created, the engine's rule; for a name that is looked up, the schema a
 * migration that moved its session there works in). Set by `SET [SESSION|LOCAL] search_path
 * TO|= a, b` (and `set_config('search_path', 'a, b', …)`) for the rest of the file, or by the
 * migration tool's config (Flyway `defaultSchema`/`schemas`, see tool-config.ts) for every file.
 * `public` (or an empty path, as pg_dump sets it before qualifying every name) is the default
 * schema, which TableName leaves out, so it changes nothing.
 */
import type { SchemaEvent } from '../../model/schema.js';
import { isMaskedName } from './templates.js';

const SET_SEARCH_PATH = /^SET\s+(?:(?:SESSION|LOCAL)\s+)?search_path\s*(?:TO|=)\s*([\s\S]*?)\s*;?\s*$/i;
const SET_CONFIG = /^SELECT\s+(?:pg_catalog\.)?set_config\s*\(\s*'search_path'\s*,\s*'([^']*)'/i;
const RESET = /^(?:RESET\s+search_path|SET\s+(?:(?:SESSION|LOCAL)\s+)?search_path\s*(?:TO|=)\s*DEFAULT)\s*;?\s*$/i;

/** The schemas a statement sets the path to, `[]` for the default, undefined when it does not set it. */
export function searchPathSet(statement: string): string[] | undefined {
  if (RESET.test(statement)) return [];
  const list = SET_SEARCH_PATH.exec(statement)?.[1] ?? SET_CONFIG.exec(statement)?.[1];
  return list === undefined ? undefined : parseSchemaList(list);
}

/** `a, "B", '$user'` → the schemas in order, `$user` left out (no role is known here). */
export function parseSchemaList(list: string): string[] {
  const out: string[] = [];
  for (const raw of list.split(',')) {
    const item = raw.trim();
    const name = /^"(.*)"$/.exec(item)?.[1]?.replace(/""/g, '"') ?? /^'(.*)'$/.exec(item)?.[1] ?? item.toLowerCase();
    if (name !== '' && name !== '$user') out.push(name);
  }
  return out;
}

/**
 * The schema unqualified names go to under `path`, undefined for the default one, and for a masked name
 * (`SET search_path TO :schema` in a psql script, `${schema}` in a template): which schema it is is not
 * known, and a name qualified by a masked schema is read unqualified too (postgres-events.ts).
 */
export function currentSchema(path: readonly string[] | undefined): string | undefined {
  const first = path?.[0];
  return first === undefined || first === 'public' || isMaskedName(first) ? undefined : first;
}

/** The events with every unqualified table (and index) name placed in `schema`. */
export function qualifyEvents(events: SchemaEvent[], schema: string): SchemaEvent[] {
  const qualify = (value: unknown, key: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => qualify(item, ''));
    if (typeof value !== 'object' || value === null) return value;
    const node = value as Record<string, unknown>;
    // A TableName: { name, schema? } under `table` (events, indexes, references) or a renamed table's `to`.
    if (
      (key === 'table' || key === 'to') &&
      typeof node.name === 'string' &&
      Object.keys(node).every((k) => k === 'name' || k === 'schema')
    ) {
      return node.schema === undefined ? { schema, name: node.name } : node;
    }
    const out: Record<string, unknown> = {};
    for (const [field, inner] of Object.entries(node)) out[field] = field === 'origin' ? inner : qualify(inner, field);
    return out;
  };
  return events.map((event) => {
    const moved = qualify(event, '') as SchemaEvent;
    // An index named alone lives in the schema of the path.
    if (
      (moved.kind === 'drop-index' || moved.kind === 'rename-index') &&
      moved.schema === undefined &&
      moved.table === undefined
    )
      moved.schema = schema;
    return moved;
  });
}
