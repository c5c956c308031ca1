/**
 * Reads the files of OpenAPI descriptions and follows `$ref`s over their raw values, keeping for
 * every node the file and JSON pointer where it is physically written: a finding about a
 * referenced schema points into the referenced file. Nothing is fetched (http(s) refs are
 * reported, never read) and nothing outside the lint roots is read (such refs are refused with
 * a finding). swagger-parser validates the same files separately (validate.ts); this walk is
 * what gives exact origins, and it only visits what the model needs.
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Origin } from '../../model/finding.js';
import type { InputEnv } from '../env.js';
import { parsePointer } from '../yaml/documents.js';

/**
 * The operating system's realpath(3): one call per file instead of Node's JavaScript walk that
 * lstat()s every folder of the path (~3× slower on the ~2,900 files of a description split over
 * folders, where it was a twentieth of the run). The same answer on POSIX systems; on Windows the
 * native call may name subst and network drives differently from the lint roots (resolved by the
 * JavaScript version), so Windows keeps it.
 */
const realPath = process.platform === 'win32' ? realpathSync : realpathSync.native;

/** A value of a description with the place it is written. */
export interface Node {
  value: unknown;
  file: string;
  /** RFC 6901, '' for the document root. */
  pointer: string;
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Where a node is written. A node that is a whole file (an operation or response kept in a file of
 * its own and reached by `$ref`) has no key of its own: its first key stands for it, so the
 * finding has a line in that file and an `x-archlint-ignore` at its top level covers it.
 */
export function origin(node: Node, pointerTarget: 'key' | 'value' = 'key'): Origin {
  if (node.pointer === '') {
    const first = isObject(node.value) ? Object.keys(node.value)[0] : undefined;
    return first === undefined ? { file: node.file } : { file: node.file, pointer: `/${escapeToken(first)}` };
  }
  return pointerTarget === 'key'
    ? { file: node.file, pointer: node.pointer }
    : { file: node.file, pointer: node.pointer, pointerTarget };
}

/** The member `key` of an object node (no $ref followed). */
export function child(node: Node, key: string | number): Node | undefined {
  const { value } = node;
  let next: unknown;
  if (typeof key === 'number') next = Array.isArray(value) ? value[key] : undefined;
  else next = isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
  return next === undefined
    ? undefined
    : { value: next, file: node.file, pointer: `${node.pointer}/${escapeToken(String(key))}` };
}

/** Reads description files through env (so offsets agree with every other input) and resolves $refs. */
export class DescriptionFiles {
  /** Where each problem was reported already: the same shared $ref is met from many operations. */
  private readonly reported = new Set<string>();
  /** How many problems were reported so far (a caller compares before and after reading a description). */
  problemCount = 0;
  private readonly inRoot = new Map<string, boolean>();
  /** (file, relative $ref file part) → report path of the file it names, null outside the roots (refFile). */
  private readonly refFiles = new Map<string, string | null>();

  constructor(private readonly env: InputEnv) {}

  /** Report path (relative to cwd, '/' separators) → absolute path. */
  absolute(path: string): string {
    return resolve(this.env.cwd, path);
  }

  reportPath(absPath: string): string {
    return relative(this.env.cwd, absPath).split(sep).join('/');
  }

  /**
   * Inside one of the lint roots (which are real paths). The file's real path decides, so a symlink
   * inside the repository that leads out of it (`linked.yaml -> /etc/…`, `dir -> ../..`) is refused;
   * a path that does not exist is judged as written (reading it then fails without touching anything).
   */
  withinRoots(absPath: string): boolean {
    let known = this.inRoot.get(absPath);
    if (known === undefined) {
      let real: string;
      try {
        real = realPath(absPath);
      } catch {
        real = absPath;
      }
      known = this.env.fileSet.roots.some((root) => isInside(real, root));
      this.inRoot.set(absPath, known);
    }
    return known;
  }

  /**
   * The parsed root value of a file; a file that is not valid YAML/JSON yields one
   * `core/parse-error` at the parser's position and undefined. Files discovery did not list
   * (a $ref target when only the root was named) are read through env.text too.
   */
  document(path: string): Node | undefined {
    if (!this.env.text.get(path) && !this.env.text.load(path, this.absolute(path))) return undefined;
    const parsed = this.env.yaml.value(path);
    if (!parsed) return undefined;
    if (!parsed.ok) {
      const problem = parsed.overLimit ? 'is not read' : `is not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}`;
      this.problem({ file: path, range: parsed.range }, `${path} ${problem}: ${parsed.message}`);
      return undefined;
    }
    return { value: parsed.value, file: path, pointer: '' };
  }

  /** A `core/parse-error` about the description, once per place. */
  problem(at: Origin, message: string): void {
    const key = `${at.file}#${at.pointer ?? at.range?.start ?? ''}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.problemCount++;
    this.env.report({ ruleId: 'core/parse-error', message, origin: at, related: [], source: 'openapi' });
  }

  /** Follows `$ref` chains from `node` to the node they end at; undefined (after a finding) when a ref cannot be followed. */
  deref(node: Node | undefined): Node | undefined {
    if (!node) return undefined;
    let current = node;
    const seen = new Set<string>();
    while (isObject(current.value) && typeof current.value.$ref === 'string') {
      const refOrigin: Origin = { file: current.file, pointer: `${current.pointer}/$ref`, pointerTarget: 'value' };
      const key = `${current.file}#${current.pointer}`;
      if (seen.has(key)) {
        this.problem(
          refOrigin,
          `$ref "${current.value.$ref}" is part of a cycle of references that never reaches a value`,
        );
        return undefined;
      }
      seen.add(key);
      const target = this.resolveRef(current.value.$ref, current.file, refOrigin);
      if (!target) return undefined;
      current = target;
    }
    return current;
  }

  /** Follows `tokens` from `node`, through $refs on the way: where an instance path of the resolved description is written. */
  locate(node: Node, tokens: readonly string[]): Node {
    let current = node;
    for (const token of tokens) {
      const resolved = this.deref(current) ?? current;
      const next = child(resolved, Array.isArray(resolved.value) ? Number(token) : token);
      if (!next) return resolved;
      current = next;
    }
    return current;
  }

  /**
   * The report path of the file a relative `$ref` names from `fromFile`, or null when it leaves the
   * lint roots. Remembered per file and reference: a description split over thousands of files
   * names the same few (`../models/x.yml`) from every operation, and three path operations and a
   * root check per use were a tenth of its $ref walk.
   */
  private refFile(fromFile: string, filePart: string): string | null {
    const key = `${fromFile}\0${filePart}`;
    let file = this.refFiles.get(key);
    if (file === undefined) {
      const target = resolve(dirname(this.absolute(fromFile)), safeDecode(filePart));
      file = this.withinRoots(target) ? this.reportPath(target) : null;
      this.refFiles.set(key, file);
    }
    return file;
  }

  private resolveRef(ref: string, fromFile: string, at: Origin): Node | undefined {
    const hash = ref.indexOf('#');
    const filePart = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? '' : ref.slice(hash + 1);
    let file = fromFile;
    if (filePart !== '') {
      if (/^[a-z][a-z0-9+.-]*:/i.test(filePart) && !/^[a-z]:[\\/]/i.test(filePart)) {
        const remote = /^https?:/i.test(filePart);
        this.problem(
          at,
          remote
            ? `$ref "${ref}" is remote: archlint never fetches from the network, so what it points at is not checked`
            : `$ref "${ref}" uses a URI scheme archlint does not read`,
        );
        return undefined;
      }
      const target = this.refFile(fromFile, filePart);
      if (target === null) {
        this.problem(at, `$ref "${ref}" leaves the lint roots: the file is not read`);
        return undefined;
      }
      file = target;
    }
    const doc = this.document(file);
    if (!doc) {
      if (!this.env.text.get(file))
        this.problem(at, `$ref "${ref}": ${file} cannot be read (missing, unreadable or binary)`);
      return undefined;
    }
    if (fragment !== '' && !fragment.startsWith('/')) {
      this.problem(at, `$ref "${ref}": only JSON pointer fragments (#/…) are supported`);
      return undefined;
    }
    let current: Node | undefined = doc;
    for (const token of parsePointer(safeDecode(fragment))) {
      current = child(current, Array.isArray(current.value) ? Number(token) : token);
      if (!current) {
        this.problem(at, `$ref "${ref}" points at nothing in ${file}`);
        return undefined;
      }
    }
    return current;
  }
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
