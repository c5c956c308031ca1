/**
 * The shape of a response body from its schema: array or object, which property holds the list,
 * which properties an error body carries. `$ref`, `allOf` (merged) and `oneOf`/`anyOf` (any branch
 * counts, so a rule never reports what one branch provides) are followed.
 */
import { LIST_WRAPPER_PROPERTIES, type BodyShape } from '../../model/http.js';
import { child, isObject, origin, type DescriptionFiles, type Node } from './refs.js';

/**
 * An object with this many properties or fewer, none of them an identifier, whose only array
 * property is a list wrapper (`{total_count, workflow_runs}`); a resource with one array field
 * (`{id, name, topics}`) is not.
 */
const MAX_WRAPPER_PROPERTIES = 5;
const IDENTIFIER = /^(id|uuid|guid|key|slug|_id)$/i;

interface Facts {
  types: Set<string>;
  /** Property name → schema node, first declaration wins. */
  properties: Map<string, Node>;
}

export const NO_BODY: BodyShape = { kind: 'none', collection: false, properties: [] };

export function bodyShape(files: DescriptionFiles, schema: Node | undefined): BodyShape {
  if (!schema) return NO_BODY;
  const resolved = files.deref(schema);
  if (!resolved) return { kind: 'unknown', collection: false, properties: [] };
  const facts = collect(files, resolved);
  const kind = kindOf(facts);
  const properties = [...facts.properties.keys()];
  const shape: BodyShape = { kind, collection: kind === 'array', properties, origin: origin(resolved) };
  if (kind !== 'object') return shape;

  const arrays = properties.filter(
    (name) => kindOf(collect(files, files.deref(facts.properties.get(name)))) === 'array',
  );
  const preferred = LIST_WRAPPER_PROPERTIES.find((name) => arrays.includes(name));
  const wrapper =
    arrays.length === 1 &&
    properties.length <= MAX_WRAPPER_PROPERTIES &&
    !properties.some((name) => IDENTIFIER.test(name));
  const listProperty = preferred ?? (wrapper ? arrays[0] : undefined);
  if (listProperty) {
    shape.collection = true;
    shape.arrayProperty = listProperty;
  }
  const nested = nestedErrorProperties(files, facts);
  if (nested) shape.nestedErrorProperties = nested;
  const strings = properties.filter(
    (name) => kindOf(collect(files, files.deref(facts.properties.get(name)))) === 'string',
  );
  if (strings.length > 0) shape.stringProperties = strings;
  return shape;
}

/**
 * `{error: {code, message}}` or `{errors: [{code, message}]}`: the inner object's properties. Under another
 * name, an object property whose own properties are a `code` and a `message` is the error too
 * (NodeBB's `{status: {code, message}, response: {}}`): a wrapper the description names its own way.
 */
function nestedErrorProperties(files: DescriptionFiles, facts: Facts): string[] | undefined {
  const error = facts.properties.get('error');
  if (error) {
    const inner = collect(files, files.deref(error));
    if (kindOf(inner) === 'object') return [...inner.properties.keys()];
  }
  const errors = facts.properties.get('errors');
  if (errors) {
    const list = files.deref(errors);
    const items = list && collect(files, list).items;
    if (items) {
      const inner = collect(files, files.deref(items));
      if (kindOf(inner) === 'object') return [...inner.properties.keys()];
    }
  }
  for (const [name, node] of facts.properties) {
    if (name === 'error' || name === 'errors') continue;
    const inner = collect(files, files.deref(node));
    if (kindOf(inner) !== 'object') continue;
    const names = [...inner.properties.keys()];
    if (names.includes('code') && names.includes('message')) return names;
  }
  return undefined;
}

/** Merges what a schema says about itself through allOf / oneOf / anyOf (cycles stop at the first repeat). */
function collect(
  files: DescriptionFiles,
  schema: Node | undefined,
  seen = new Set<string>(),
): Facts & { items?: Node } {
  const facts: Facts & { items?: Node } = { types: new Set(), properties: new Map() };
  const visit = (node: Node | undefined, depth: number): void => {
    // The depth bound stops cycles that pointers cannot see (a YAML alias nested in itself).
    if (!node || !isObject(node.value) || depth > 32) return;
    const key = `${node.file}#${node.pointer}`;
    if (seen.has(key)) return;
    seen.add(key);
    const value = node.value;
    const type = value.type;
    for (const t of Array.isArray(type) ? type : [type]) if (typeof t === 'string') facts.types.add(t);
    const properties = child(node, 'properties');
    if (properties && isObject(properties.value)) {
      facts.types.add('object');
      for (const name of Object.keys(properties.value)) {
        if (!facts.properties.has(name)) facts.properties.set(name, child(properties, name)!);
      }
    }
    if (value.additionalProperties !== undefined && value.additionalProperties !== false) facts.types.add('object');
    if (value.items !== undefined) {
      facts.types.add('array');
      facts.items ??= child(node, 'items');
    }
    for (const combinator of ['allOf', 'oneOf', 'anyOf']) {
      const list = child(node, combinator);
      if (!list || !Array.isArray(list.value)) continue;
      list.value.forEach((_, index) => {
        visit(files.deref(child(list, index)), depth + 1);
      });
    }
  };
  visit(schema, 0);
  return facts;
}

function kindOf(facts: Facts): BodyShape['kind'] {
  const { types } = facts;
  if (types.has('object')) return 'object';
  if (types.has('array')) return 'array';
  if (types.has('string') && ![...types].some((t) => t !== 'string' && t !== 'null')) return 'string';
  if (types.size === 0 || (types.size === 1 && types.has('null'))) return 'unknown';
  return 'other';
}
