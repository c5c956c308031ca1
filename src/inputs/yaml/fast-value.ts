/**
 * The plain value of a YAML file without building the `yaml` package's node tree: `js-yaml`
 * reads a 2.4 MB description ~10× faster than `yaml`'s Document + toJS, and a description's value
 * is needed whole while positions are needed for the few nodes that are reported (json-locator.ts
 * for JSON, block-locator.ts for YAML, the Document as the fallback).
 *
 * The result must be exactly what `yaml` would give, or nothing (the caller then takes the
 * Document path, which also reports errors with their ranges). So:
 * - the schema mirrors `yaml`'s YAML 1.2 core schema, scalar for scalar (null, bool, int in
 *   decimal/0o/0x, float with .inf/.nan) — not js-yaml's default, which also reads YAML 1.1
 *   timestamps, `<<` merges and binary;
 * - anything js-yaml refuses (a syntax error, a duplicate key, an unknown tag) is "nothing";
 * - a value that shares a node (an alias) or nests deeper than the limit is "nothing": `yaml`
 *   bounds alias expansion (bombs) and reports the depth with a range, and js-yaml does neither.
 */
import { createRequire } from 'node:module';

interface JsYaml {
  load(text: string, options: { schema: unknown; json?: boolean; filename?: string }): unknown;
  Type: new (
    tag: string,
    options: { kind: 'scalar'; resolve(data: string | null): boolean; construct(data: string | null): unknown },
  ) => unknown;
  FAILSAFE_SCHEMA: { extend(types: { implicit: unknown[] }): unknown };
}

let loaded: { lib: JsYaml; schema: unknown } | undefined;

/** Loaded on first use, like `yaml` (lib.ts): runs without YAML do not pay for it. */
function jsYaml(): { lib: JsYaml; schema: unknown } {
  if (loaded) return loaded;
  const lib = createRequire(import.meta.url)('js-yaml') as JsYaml;
  const scalar = (tag: string, test: RegExp, construct: (data: string) => unknown) =>
    new lib.Type(tag, {
      kind: 'scalar',
      resolve: (data) => test.test(data ?? ''),
      construct: (data) => construct(data ?? ''),
    });
  // yaml/dist/schema/core: the same patterns, in the same order of precedence.
  const schema = lib.FAILSAFE_SCHEMA.extend({
    implicit: [
      scalar('tag:yaml.org,2002:null', /^(?:~|[Nn]ull|NULL)?$/, () => NULL),
      scalar('tag:yaml.org,2002:bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T'),
      scalar('tag:yaml.org,2002:int', /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/, (s) =>
        s.startsWith('0o') ? parseInt(s.slice(2), 8) : s.startsWith('0x') ? parseInt(s.slice(2), 16) : parseInt(s, 10),
      ),
      scalar(
        'tag:yaml.org,2002:float',
        /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/,
        (s) =>
          /nan$/i.test(s)
            ? NaN
            : /inf$/i.test(s)
              ? s[0] === '-'
                ? Number.NEGATIVE_INFINITY
                : Number.POSITIVE_INFINITY
              : parseFloat(s),
      ),
    ],
  });
  return (loaded = { lib, schema });
}

/**
 * Keys the two packages would name differently, declined before parsing: an empty key (`: x`,
 * `{: x}`), which `yaml` names "" and js-yaml "null", and explicit complex keys (`? [a, b]`).
 * A null key (`~:`, `null:`) is handled by the NULL stand-in below; a mapping used as a key by
 * the `[object Object]` check after parsing. A false match only costs the Document path.
 */
const KEYS_READ_DIFFERENTLY = /^[ \t]*(?:-[ \t]+)*[?:](?:[ \t]|$)|[{,][ \t]*:(?:[ \t]|$)/m;

/**
 * What a null scalar is while js-yaml builds the value: as a key it reads "" (as `yaml` names
 * it, where js-yaml would say "null"); as a value it is replaced by null when the tree is walked.
 * The string tag keeps js-yaml from treating it as a plain object key ("[object Object]").
 */
class YamlNull {
  get [Symbol.toStringTag](): string {
    return 'YamlNull';
  }
  toString(): string {
    return '';
  }
}
const NULL = new YamlNull();

/** The value `yaml` would give for `text`, or undefined when only the `yaml` Document can say (see above). */
export function fastYamlValue(text: string, maxDepth: number): { value: unknown } | undefined {
  if (KEYS_READ_DIFFERENTLY.test(text)) return undefined;
  let value: unknown;
  try {
    const { lib, schema } = jsYaml();
    // An empty or comment-only document: js-yaml says undefined, `yaml` says null.
    value = lib.load(text, { schema }) ?? null;
  } catch {
    return undefined;
  }
  if (value === NULL) return { value: null };
  return settleTree(value, maxDepth) ? { value } : undefined;
}

/**
 * Replaces the NULL stand-ins by null, and checks what only the Document may decide: no object
 * reached twice (an alias), no level deeper than `maxDepth`, no mapping used as a key. An
 * explicit stack, no recursion.
 */
function settleTree(root: unknown, maxDepth: number): boolean {
  const seen = new Set<object>();
  const stack: Array<[object, number]> = typeof root === 'object' && root !== null ? [[root, 0]] : [];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (seen.has(node)) return false;
    seen.add(node);
    const record = node as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length > 0 && depth + 1 > maxDepth) return false;
    for (const key of keys) {
      if (key === '[object Object]') return false;
      const child = record[key];
      if (child === NULL) record[key] = null;
      else if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return true;
}

/**
 * A copy of a value fastYamlValue gave: plain objects, arrays, strings, numbers, booleans and null,
 * no node reached twice, at most the depth limit deep (so the recursion is bounded). What
 * structuredClone gives, without its per-call serialisation: ~2× faster on a large description
 * and ~4× on the thousands of small files a split description is made of (swagger-parser needs
 * a copy of each, as it dereferences in place). A `__proto__` key is an own property, as js-yaml
 * made it.
 */
export function copyTree(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyTree(value[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const child = copyTree((value as Record<string, unknown>)[key]);
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: child, enumerable: true, writable: true, configurable: true });
    else out[key] = child;
  }
  return out;
}
