/**
 * YAML/JSON documents parsed once per run with source ranges (JSON is YAML), shared by the
 * engine (JSON pointer → range, x-archlint-ignore) and the OpenAPI input.
 */
import type { Document, Node } from 'yaml';
import { yamlLib } from './lib.js';
import type { TextFiles } from '../../model/files.js';
import { JsonLocator } from './json-locator.js';
import { copyTree, fastYamlValue } from './fast-value.js';
import { BlockLocator, UNKNOWN } from './block-locator.js';

import type { OffsetRange } from './ranges.js';

export type { OffsetRange } from './ranges.js';

/**
 * A file's plain value (what JSON.parse would give), or where and why it could not be read:
 * a syntax error, or (`overLimit`) valid text that goes beyond a resource limit.
 */
export type ParsedValue =
  | { ok: true; value: unknown }
  | { ok: false; message: string; range: OffsetRange; overLimit?: boolean };

/**
 * How deeply YAML/JSON values may nest. Reading a description recurses per level (the $ref walk,
 * swagger-parser's validation, shape extraction), and swagger-parser overflows the stack near
 * 1,000 levels; real descriptions stay under 40.
 */
export const MAX_DATA_DEPTH = 256;

/** Aliases `toJS` may expand in one document: a "billion laughs" bomb is refused, not paid for. */
export const MAX_ALIAS_COUNT = 1000;

export class YamlDocuments {
  private readonly cache = new Map<string, Document | null>();
  private readonly values = new Map<string, ParsedValue | null>();
  /** Files that are valid JSON: pointers resolve on the text itself, no YAML node tree is built. */
  private readonly jsonLocators = new Map<string, JsonLocator>();
  private readonly blockLocators = new Map<string, BlockLocator>();
  /** YAML files whose value came from the fast path (fast-value.ts). */
  private readonly fastValues = new Set<string>();

  /** `fastPath: false` reads everything through the `yaml` Document (the reference the tests compare with). */
  constructor(
    private readonly text: TextFiles,
    private readonly options: { fastPath?: boolean } = {},
  ) {}

  private get fastPath(): boolean {
    return this.options.fastPath !== false;
  }

  /**
   * The plain value of a YAML/JSON file, parsed once. `.json` files that are valid JSON take the
   * fast path (JSON.parse, ~40× faster than a YAML node tree on a 4 MB description); anything else
   * goes through the `yaml` document, whose first error is returned with its range. Undefined when
   * the file is not text.
   */
  value(path: string): ParsedValue | undefined {
    const cached = this.values.get(path);
    if (cached !== undefined) return cached ?? undefined;
    const parsed = this.parseValue(path);
    this.values.set(path, parsed ?? null);
    return parsed;
  }

  private parseValue(path: string): ParsedValue | undefined {
    const file = this.text.get(path);
    if (!file) return undefined;
    if (/\.json$/i.test(path)) {
      let value: unknown;
      try {
        value = JSON.parse(file.content);
      } catch {
        // not strict JSON (comments, trailing commas…): the YAML parser says where, or reads it anyway
      }
      if (value !== undefined) {
        const deep = jsonTooDeepAt(file.content, MAX_DATA_DEPTH);
        if (deep >= 0) return tooDeep({ start: deep, end: deep + 1 });
        this.jsonLocators.set(path, new JsonLocator(file.content));
        return { ok: true, value };
      }
    }
    // Most YAML needs no node tree for its value: js-yaml gives `yaml`'s value ~10× faster, or
    // declines (an error to report with its range, an alias, too deep) and the Document decides.
    const fast = this.fastPath ? fastYamlValue(file.content, MAX_DATA_DEPTH) : undefined;
    if (fast) {
      this.fastValues.add(path);
      return { ok: true, value: fast.value };
    }
    const doc = this.get(path)!;
    const error = doc.errors[0];
    if (error) {
      const range = { start: error.pos[0], end: error.pos[1] };
      // The yaml package catches its own stack overflow on deep flow collections ([[[[…): the same limit, in other words.
      if (/maximum call stack/i.test(error.message)) return tooDeep(range);
      return { ok: false, message: error.message.split('\n')[0] ?? error.message, range };
    }
    const deep = yamlTooDeep(doc.contents, MAX_DATA_DEPTH);
    if (deep) return tooDeep(deep);
    try {
      return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
    } catch (caught) {
      // e.g. an alias bomb: expanding it is refused rather than paid for
      const range = nodeRange(doc.contents) ?? { start: 0, end: 0 };
      return { ok: false, message: caught instanceof Error ? caught.message : String(caught), range };
    }
  }

  private blockLocator(path: string): BlockLocator | undefined {
    const cached = this.blockLocators.get(path);
    if (cached) return cached;
    const file = this.text.get(path);
    if (!file) return undefined;
    const locator = new BlockLocator(file.content);
    this.blockLocators.set(path, locator);
    return locator;
  }

  /**
   * A copy of a file's value that the caller may change (swagger-parser dereferences in place),
   * or undefined when the file has no valid value.
   */
  freshValue(path: string): unknown {
    const parsed = this.value(path);
    if (!parsed?.ok) return undefined;
    // A fast-path value is a tree of plain data (fast-value.ts declines aliases): copied member by member.
    if (this.fastValues.has(path)) return copyTree(parsed.value);
    return this.get(path)!.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  }

  /** The parsed document for a file, or undefined when the file is not text. Parse errors are in `doc.errors`. */
  get(path: string): Document | undefined {
    const cached = this.cache.get(path);
    if (cached !== undefined) return cached ?? undefined;
    const file = this.text.get(path);
    // Only the node tree is kept (no toJS here), so aliases are never expanded: alias bombs cost nothing.
    const doc = file ? yamlLib().parseDocument(file.content, { uniqueKeys: false, strict: false }) : null;
    this.cache.set(path, doc);
    return doc ?? undefined;
  }

  /**
   * The source range of the node at `pointer` in `path`: the mapping key when `target` is 'key'
   * and the node is a mapping value, else the value node. Undefined when the pointer does not resolve.
   */
  rangeOf(path: string, pointer: string, target: 'key' | 'value' = 'key'): OffsetRange | undefined {
    if (/\.json$/i.test(path)) this.value(path);
    const json = this.jsonLocators.get(path);
    if (json) return json.rangeOf(parsePointer(pointer), target);
    // Block-style YAML is located by a scan of its lines; what the scan cannot read, by the Document.
    const block = this.fastPath ? this.blockLocator(path) : undefined;
    if (block) {
      const located = block.rangeOf(parsePointer(pointer), target);
      if (located !== UNKNOWN) return located;
    }
    const doc = this.get(path);
    if (!doc) return undefined;
    return rangeAtPointer(doc, pointer, target);
  }
}

function tooDeep(range: OffsetRange): ParsedValue {
  return {
    ok: false,
    message: `it nests more than ${MAX_DATA_DEPTH} levels deep here (archlint's limit)`,
    range,
    overLimit: true,
  };
}

/** Offset of the first `[`/`{` opening level `limit + 1` in valid JSON text, or -1. Strings are skipped. */
export function jsonTooDeepAt(text: string, limit: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/** The range of the first YAML collection deeper than `limit`, found with an explicit stack (no recursion to overflow). */
function yamlTooDeep(root: unknown, limit: number): OffsetRange | undefined {
  const nodes: unknown[] = [root];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop();
    const depth = depths.pop()!;
    const children = yamlLib().isMap(node)
      ? node.items.flatMap((pair) => [pair.key, pair.value])
      : yamlLib().isSeq(node)
        ? node.items
        : undefined;
    if (!children) continue;
    if (depth + 1 > limit) return nodeRange(node) ?? { start: 0, end: 0 };
    for (const child of children) {
      nodes.push(child);
      depths.push(depth + 1);
    }
  }
  return undefined;
}

/** Decodes an RFC 6901 pointer ("" is the root, "/paths/~1users/get"). Accepts a leading "#" (URI-encoded; malformed escapes are kept as written). */
export function parsePointer(pointer: string): string[] {
  const p = pointer.startsWith('#') ? safeDecodeURIComponent(pointer.slice(1)) : pointer;
  if (p === '') return [];
  return p
    .slice(p.startsWith('/') ? 1 : 0)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function rangeAtPointer(doc: Document, pointer: string, target: 'key' | 'value'): OffsetRange | undefined {
  let node: unknown = doc.contents;
  let keyNode: unknown;
  for (const token of parsePointer(pointer)) {
    if (yamlLib().isAlias(node)) node = node.resolve(doc);
    keyNode = undefined;
    if (yamlLib().isMap(node)) {
      const pair = node.items.find((item) => yamlLib().isPair(item) && keyText(item.key) === token);
      if (!pair) return undefined;
      keyNode = pair.key;
      node = pair.value;
    } else if (yamlLib().isSeq(node)) {
      const index = /^(0|[1-9]\d*)$/.test(token) ? Number(token) : -1;
      if (index < 0 || index >= node.items.length) return undefined;
      node = node.items[index];
    } else {
      return undefined;
    }
  }
  const chosen = target === 'key' && keyNode ? keyNode : node;
  return nodeRange(chosen) ?? nodeRange(keyNode);
}

export function keyText(key: unknown): string | undefined {
  if (yamlLib().isScalar(key)) return String(key.value);
  if (typeof key === 'string' || typeof key === 'number') return String(key);
  return undefined;
}

export function nodeRange(node: unknown): OffsetRange | undefined {
  const range = (node as Node | undefined)?.range;
  if (!range) return undefined;
  return { start: range[0], end: range[1] };
}

function safeDecodeURIComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
