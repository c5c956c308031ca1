/**
 * A reader of Prisma schema files (PSL) for what a schema review needs: `datasource` provider,
 * `model` blocks with their fields (name, type, `?`, `[]`, field attributes) and block attributes
 * (`@@id`, `@@unique`, `@@index`, `@@map`, `@@schema`), and `enum` names. Offsets are kept for
 * every model, field and attribute so findings point at the declaration.
 *
 * Written here rather than taken from `@mrleebo/prisma-ast`: that package searches the current
 * folder and its parents for a configuration file when it is imported — and loads a `.js` one
 * with `require`, which would run code from the repository being linted.
 */

export interface PrismaArgument {
  /** Undefined for a positional argument. */
  name?: string;
  value: PrismaValue;
}

export type PrismaValue =
  | { kind: 'string'; text: string }
  | { kind: 'list'; items: PrismaValue[] }
  | { kind: 'name'; text: string; call?: PrismaArgument[] }
  | { kind: 'other'; text: string };

export interface PrismaAttribute {
  /** `id`, `unique`, `relation`, `map`, `db.Timestamptz`, `@@index` → `index`. */
  name: string;
  args: PrismaArgument[];
  start: number;
  end: number;
}

export interface PrismaField {
  name: string;
  type: string;
  optional: boolean;
  list: boolean;
  attributes: PrismaAttribute[];
  start: number;
  end: number;
}

export interface PrismaModel {
  name: string;
  fields: PrismaField[];
  blockAttributes: PrismaAttribute[];
  start: number;
  /** End of `model Name`: where a finding about the whole table points. */
  headerEnd: number;
  end: number;
  /** A `view` block: a database view, which has no keys or indexes of its own to judge. */
  view?: boolean;
}

export interface PrismaSchemaFile {
  provider?: string;
  models: PrismaModel[];
  enums: string[];
  /** Names of `type` blocks (MongoDB composite types): not tables. */
  types: string[];
}

type Token = { kind: 'word' | 'string' | 'punct' | 'newline'; text: string; start: number; end: number };

const WORD = /[A-Za-z_][\w.]*/y;
const NUMBER = /-?\d+(?:\.\d+)?/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      tokens.push({ kind: 'newline', text: '\n', start: i, end: i + 1 });
      i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\uFEFF') {
      i++;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? text.length : close + 2;
    } else if (ch === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== '"' && text[j] !== '\n') {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j];
        j++;
      }
      tokens.push({ kind: 'string', text: value, start: i, end: Math.min(j + 1, text.length) });
      i = j + 1;
    } else {
      WORD.lastIndex = i;
      NUMBER.lastIndex = i;
      const word = WORD.exec(text) ?? NUMBER.exec(text);
      if (word) {
        tokens.push({ kind: 'word', text: word[0], start: i, end: i + word[0].length });
        i += word[0].length;
      } else {
        const two = text.slice(i, i + 2);
        const punct = two === '@@' ? two : ch;
        tokens.push({ kind: 'punct', text: punct, start: i, end: i + punct.length });
        i += punct.length;
      }
    }
  }
  return tokens;
}

/** Reads one file; what it does not understand (a block of another kind, a malformed line) is skipped. */
export function parsePrismaSchema(text: string): PrismaSchemaFile {
  const tokens = tokenize(text);
  const file: PrismaSchemaFile = { models: [], enums: [], types: [] };
  let i = 0;
  const peek = (offset = 0): Token | undefined => tokens[i + offset];
  const skipNewlines = (): void => {
    while (peek()?.kind === 'newline') i++;
  };
  /** Index of the `}` closing the block whose `{` is at `open`. */
  const blockEnd = (open: number): number => {
    let depth = 0;
    for (let k = open; k < tokens.length; k++) {
      if (tokens[k]!.text === '{') depth++;
      else if (tokens[k]!.text === '}' && --depth === 0) return k;
    }
    return tokens.length - 1;
  };

  while (i < tokens.length) {
    skipNewlines();
    const keyword = peek();
    if (!keyword) break;
    const name = peek(1);
    const open = peek(2);
    if (keyword.kind !== 'word' || name?.kind !== 'word' || open?.text !== '{') {
      i++;
      continue;
    }
    const close = blockEnd(i + 2);
    const body = tokens.slice(i + 3, close);
    if (keyword.text === 'model' || keyword.text === 'view') {
      const model = readModel(name.text, body, keyword.start, name.end, tokens[close]!.end);
      if (keyword.text === 'view') model.view = true;
      file.models.push(model);
    } else if (keyword.text === 'enum') {
      file.enums.push(name.text);
    } else if (keyword.text === 'type') {
      file.types.push(name.text);
    } else if (keyword.text === 'datasource') {
      const at = body.findIndex((t) => t.text === 'provider');
      if (at !== -1 && body[at + 1]?.text === '=' && body[at + 2]?.kind === 'string')
        file.provider = body[at + 2]!.text;
    }
    i = close + 1;
  }
  return file;
}

function readModel(name: string, body: Token[], start: number, headerEnd: number, end: number): PrismaModel {
  const model: PrismaModel = { name, fields: [], blockAttributes: [], start, headerEnd, end };
  // One declaration per line (a line may continue inside parentheses or brackets).
  for (const line of lines(body)) {
    if (line.length === 0) continue;
    const first = line[0]!;
    if (first.text === '@@') {
      const attribute = readAttribute(line, 0);
      if (attribute) model.blockAttributes.push(attribute.attribute);
      continue;
    }
    if (first.kind !== 'word' || line[1]?.kind !== 'word') continue;
    let k = 2;
    let list = false;
    let optional = false;
    if (line[k]?.text === '[' && line[k + 1]?.text === ']') {
      list = true;
      k += 2;
    }
    if (line[k]?.text === '?') {
      optional = true;
      k++;
    }
    const field: PrismaField = {
      name: first.text,
      type: line[1]!.text,
      optional,
      list,
      attributes: [],
      start: first.start,
      end: line[line.length - 1]!.end,
    };
    while (k < line.length) {
      if (line[k]!.text !== '@') {
        k++;
        continue;
      }
      const read = readAttribute(line, k);
      if (!read) break;
      field.attributes.push(read.attribute);
      k = read.next;
    }
    model.fields.push(field);
  }
  return model;
}

/** Splits a block's tokens into lines, keeping bracketed continuations together. */
function lines(body: Token[]): Token[][] {
  const out: Token[][] = [[]];
  let depth = 0;
  for (const token of body) {
    if (token.text === '(' || token.text === '[' || token.text === '{') depth++;
    else if (token.text === ')' || token.text === ']' || token.text === '}') depth = Math.max(0, depth - 1);
    if (token.kind === 'newline') {
      if (depth === 0) out.push([]);
      continue;
    }
    out[out.length - 1]!.push(token);
  }
  return out;
}

/** `@name(args)` or `@@name(args)` starting at `k`. */
function readAttribute(line: Token[], k: number): { attribute: PrismaAttribute; next: number } | undefined {
  const at = line[k]!;
  const word = line[k + 1];
  if (word?.kind !== 'word') return undefined;
  let next = k + 2;
  let args: PrismaArgument[] = [];
  let end = word.end;
  if (line[next]?.text === '(') {
    const read = readArguments(line, next);
    args = read.args;
    end = line[read.next - 1]?.end ?? end;
    next = read.next;
  }
  return { attribute: { name: word.text, args, start: at.start, end }, next };
}

/** `(a, name: [x, y], map: "n")` starting at the `(`; returns the index after the `)`. */
function readArguments(line: Token[], open: number): { args: PrismaArgument[]; next: number } {
  const args: PrismaArgument[] = [];
  let k = open + 1;
  while (k < line.length && line[k]!.text !== ')') {
    if (line[k]!.text === ',') {
      k++;
      continue;
    }
    let name: string | undefined;
    if (line[k]!.kind === 'word' && line[k + 1]?.text === ':') {
      name = line[k]!.text;
      k += 2;
    }
    const read = readValue(line, k);
    args.push(name === undefined ? { value: read.value } : { name, value: read.value });
    k = read.next;
  }
  return { args, next: k + 1 };
}

function readValue(line: Token[], k: number): { value: PrismaValue; next: number } {
  const token = line[k];
  if (!token) return { value: { kind: 'other', text: '' }, next: k };
  if (token.kind === 'string') return { value: { kind: 'string', text: token.text }, next: k + 1 };
  if (token.text === '[') {
    const items: PrismaValue[] = [];
    let j = k + 1;
    while (j < line.length && line[j]!.text !== ']') {
      if (line[j]!.text === ',') {
        j++;
        continue;
      }
      const read = readValue(line, j);
      items.push(read.value);
      j = read.next === j ? j + 1 : read.next;
    }
    return { value: { kind: 'list', items }, next: j + 1 };
  }
  if (token.kind === 'word') {
    if (line[k + 1]?.text === '(') {
      const read = readArguments(line, k + 1);
      return { value: { kind: 'name', text: token.text, call: read.args }, next: read.next };
    }
    return { value: { kind: 'name', text: token.text }, next: k + 1 };
  }
  return { value: { kind: 'other', text: token.text }, next: k + 1 };
}
