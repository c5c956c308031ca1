/**
 * Parsing config text as data (JSON.parse or yaml; no code runs) with one-line errors that
 * carry the position: `<file>:<line>:<col>: invalid JSON|YAML: <message>`.
 */
import { yamlLib } from '../inputs/yaml/lib.js';
import { UsageError } from '../errors.js';

/** 1-based line and column (UTF-16 units) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: Math.min(offset, text.length) - lineStart + 1 };
}

const firstLine = (message: string) => message.split(/\r?\n/, 1)[0]!.trim();

export function parseJson(text: string, displayName: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    const raw = (error as Error).message;
    // V8 reports the position only for some errors, and some messages quote the whole input
    // (`Unexpected token '}', "{…}" is not valid JSON`): locate the error ourselves, and keep
    // only the part of V8's message that names the problem.
    const offset = jsonErrorOffset(text);
    const message = firstLine(
      raw.replace(/, (?:\.\.\.)?".*is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, ''),
    );
    const { line, column } = lineColumn(text, offset);
    throw new UsageError(`${displayName}:${line}:${column}: invalid JSON: ${message}`);
  }
}

export function parseYaml(text: string, displayName: string): unknown {
  const doc = yamlLib().parseDocument(text, { prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0] ?? { line: 1, col: 1 };
    // prettyErrors appends " at line L, column C:" and a code frame; the position is in the prefix.
    const message = firstLine(error.message).replace(/ at line \d+, column \d+:?$/, '');
    throw new UsageError(`${displayName}:${pos.line}:${pos.col}: invalid YAML: ${message}`);
  }
  try {
    // maxAliasCount bounds alias expansion ("billion laughs"); yaml throws past it.
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error_) {
    throw new UsageError(`${displayName}:1:1: invalid YAML: ${firstLine((error_ as Error).message)}`);
  }
}

/**
 * Offset of the first JSON syntax error (text.length for an unexpected end). Only called
 * after JSON.parse failed, to give a line and column that V8 does not always provide.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (at: number): never => {
    throw at;
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail(i);
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail(i);
      const code = text.charCodeAt(i);
      if (code === 0x22) {
        i++;
        return;
      }
      if (code < 0x20) fail(i);
      if (code === 0x5c) {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(i);
          i += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else fail(i);
      } else i++;
    }
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) fail(i);
    i += match![0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === undefined) fail(i);
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(i);
        string();
        ws();
        if (text[i] !== ':') fail(i);
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail(i);
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail(i);
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    return number();
  };
  try {
    value();
    ws();
    return Math.min(i, text.length);
  } catch (at) {
    if (typeof at === 'number') return at;
    throw at;
  }
}
