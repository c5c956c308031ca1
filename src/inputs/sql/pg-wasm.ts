/**
 * The PostgreSQL parser (libpg-query's WebAssembly build of libpg_query), called directly through
 * libpg_query's C API instead of through the package's JavaScript wrapper. Two reasons, both speed
 * on a cold process (a run reads a few thousand statements once, before V8 has optimised anything):
 *
 * - Text crosses into and out of WebAssembly memory with the engine's native UTF-8 codecs
 *   (`TextEncoder.encodeInto`, a native search for the terminating NUL, `TextDecoder`), where the
 *   wrapper walks every character in JavaScript. The trees come back as ~4 bytes of JSON per byte
 *   of SQL, so this is most of the wrapper's cost.
 * - A caller can say which statement types it needs; a tree of any other type is never turned
 *   into objects (`JSON.parse` of data statements' trees, then collecting them, is wasted work).
 *
 * What this relies on is the C API of pg_query.h (`PgQueryParseResult`, `PgQueryError`) as
 * libpg-query's `wasm_parse_query_raw` returns it; the package version is pinned in package.json,
 * and every SQL test goes through here.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { ParseResult } from 'libpg-query';

/** The parts of the Emscripten module this file uses. */
interface PgModule {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  _wasm_parse_query_raw(query: number): number;
  _wasm_free_parse_result(result: number): void;
  _wasm_parse_plpgsql(query: number): number;
  _wasm_free_string(pointer: number): void;
}

/** A syntax error as PostgreSQL reports it: the message and a 0-based code-point cursor into the query. */
export class PgSyntaxError extends Error {
  constructor(
    message: string,
    readonly cursor: number,
  ) {
    super(message);
  }
}

export interface PgParser {
  /**
   * The parse tree of `sql`. Statements whose node type `wanted` rejects come back without their
   * tree (`stmts` holds `{}` for them): they parsed, and that is all the caller asked.
   */
  parse(sql: string, wanted?: (nodeType: string) => boolean): ParseResult;
  /** PL/pgSQL's parse of a `CREATE FUNCTION … LANGUAGE plpgsql` statement: JSON-like trees. */
  parsePlPgSql(sql: string): unknown;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

let loading: Promise<PgParser> | undefined;

/**
 * Loads the WASM parser once per thread; only runs that read PostgreSQL migrations pay for it.
 * V8 compiles WebAssembly with its baseline compiler (Liftoff) and then recompiles hot functions
 * with its optimising one (TurboFan) on background threads. For this 1.7 MB parser that second
 * compile costs more CPU (~350 ms) than parsing a whole corpus of migrations gains from it, and on
 * a small machine it competes with the parsing itself: baseline code only. Set before the module
 * is compiled; it affects only WebAssembly.
 */
export function loadPgParser(): Promise<PgParser> {
  loading ??= Promise.resolve().then(async () => {
    setFlagsFromString('--liftoff-only');
    const require = createRequire(import.meta.url);
    // The Emscripten module itself, not the package's entry point (which would load a second copy).
    const factory = require(join(dirname(require.resolve('libpg-query')), 'libpg-query.js')) as () => Promise<PgModule>;
    return parserOf(await factory());
  });
  return loading;
}

function parserOf(module: PgModule): PgParser {
  return {
    parse(sql, wanted) {
      const query = toWasm(module, sql);
      let result = 0;
      try {
        result = module._wasm_parse_query_raw(query);
        if (!result) throw new Error('the parser ran out of memory');
        // PgQueryParseResult { char *parse_tree; char *stderr_buffer; PgQueryError *error; }
        const tree = module.HEAPU32[result >> 2]!;
        const error = module.HEAPU32[(result + 8) >> 2]!;
        if (error) {
          // PgQueryError { char *message; char *funcname; char *filename; int lineno; int cursorpos; … }
          const message = fromWasm(module, module.HEAPU32[error >> 2]!) || 'unknown error';
          const cursor = module.HEAPU32[(error + 16) >> 2]! | 0;
          throw new PgSyntaxError(message, cursor > 0 ? cursor - 1 : 0);
        }
        if (!tree) throw new Error('the parser returned no tree');
        return parseTree(module, tree, wanted);
      } finally {
        module._free(query);
        if (result) module._wasm_free_parse_result(result);
      }
    },
    parsePlPgSql(sql) {
      const query = toWasm(module, sql);
      let result = 0;
      try {
        result = module._wasm_parse_plpgsql(query);
        const text = fromWasm(module, result);
        // Success is a JSON array or object; anything else is the error message.
        if (!text.startsWith('{') && !text.startsWith('[')) throw new Error(text);
        return JSON.parse(text) as unknown;
      } finally {
        module._free(query);
        if (result) module._wasm_free_string(result);
      }
    },
  };
}

/** Copies `text` into WebAssembly memory as a NUL-terminated UTF-8 string; the caller frees it. */
function toWasm(module: PgModule, text: string): number {
  const length = Buffer.byteLength(text, 'utf8');
  const pointer = module._malloc(length + 1);
  if (!pointer) throw new Error('the parser ran out of memory');
  // Read the heap after _malloc: growing the memory replaces the view.
  const heap = module.HEAPU8;
  encoder.encodeInto(text, heap.subarray(pointer, pointer + length));
  heap[pointer + length] = 0;
  return pointer;
}

function fromWasm(module: PgModule, pointer: number): string {
  if (!pointer) return '';
  const heap = module.HEAPU8;
  const end = heap.indexOf(0, pointer);
  return decoder.decode(heap.subarray(pointer, end < 0 ? heap.length : end));
}

/** `{"version":180004,"stmts":[{"stmt":{"InsertStmt":…`: the first statement's node type. */
const FIRST_STATEMENT = /^\{"version":\d+,"stmts":\[\{"stmt":\{"(\w+)"/;
/**
 * The end of a tree whose last statement does not start at offset 0: there may be several
 * statements. A lone statement starting at 0 (what the splitter hands over) ends `}}]}` or, after
 * a terminator, `"stmt_len":n}]}`.
 */
const LATER_STATEMENT = /"stmt_location":\d+(?:,"stmt_len":\d+)?\}\]\}$/;
/** Only RawStmt has a "stmt" key (and a quote inside a JSON string is escaped): the top-level statements. */
const STATEMENT = /\{"stmt":\{"(\w+)"/g;

/**
 * The tree at `pointer` (NUL-terminated JSON in WebAssembly memory). A lone statement that is not
 * wanted is recognised from the first and last few bytes, so its JSON is never even decoded.
 */
function parseTree(
  module: PgModule,
  pointer: number,
  wanted: ((nodeType: string) => boolean) | undefined,
): ParseResult {
  const heap = module.HEAPU8;
  const found = heap.indexOf(0, pointer);
  const end = found < 0 ? heap.length : found;
  if (!wanted) return JSON.parse(decoder.decode(heap.subarray(pointer, end))) as ParseResult;
  const first = FIRST_STATEMENT.exec(decoder.decode(heap.subarray(pointer, Math.min(end, pointer + 96))))?.[1];
  const lone = !LATER_STATEMENT.test(decoder.decode(heap.subarray(Math.max(pointer, end - 64), end)));
  if (first !== undefined && lone && !wanted(first)) return skipped(1);
  const json = decoder.decode(heap.subarray(pointer, end));
  if (first !== undefined && !lone) {
    const types = [...json.matchAll(STATEMENT)].map((match) => match[1]!);
    if (!types.some(wanted)) return skipped(types.length);
  }
  return JSON.parse(json) as ParseResult;
}

/** A result for statements that parsed but whose trees nobody asked for. */
function skipped(count: number): ParseResult {
  return { version: 0, stmts: Array.from({ length: count }, () => ({})) } as unknown as ParseResult;
}
