/**
 * Migrations written with a schema builder (Sequelize's QueryInterface, knex's and Kysely's
 * `schema` builders) as migration histories: the migration files of one folder in file-name order
 * (the order each tool runs them), each read statically by its tool's reader into schema events
 * with origins at the builder calls, plus its raw SQL strings, parsed in place by the SQL reader so
 * their findings point into the file. Folded like a folder of `.sql` migrations, every db/* rule
 * judges them the same way. A folder whose engine cannot be known is not read (archlint stays quiet).
 */
import { posix } from 'node:path';
import type { ts as TypeScript } from 'ts-morph';
import {
  ENGINE_FACTS,
  type MigrationFile,
  type Schema,
  type SchemaEvent,
  type SqlDialect,
} from '../../../model/schema.js';
import { isTestFile, judgingRoots } from '../../../model/test-paths.js';
import type { InputEnv } from '../../env.js';
import { foldEvents } from '../fold.js';
import { readTasks } from '../read-task.js';
import { cookedText } from './js-escapes.js';
import { packageFolders, packageOf } from './packages.js';
import { unwrap } from './ts-syntax.js';

type Ts = typeof TypeScript;

export interface BuilderMigration {
  events: SchemaEvent[];
  /** Offsets of the raw SQL string literals `up()` runs (the text between the quotes), with their constants filled in. */
  sqlStrings: SqlString[];
  /** Schema-changing calls that could not be read. */
  unread: number;
  /**
   * Offsets of unread calls that may change tables created before them (an `alterTable` of a table
   * named at run time, raw DDL built from variables): those tables are not fully known from there on.
   */
  uncertainAt: number[];
}

/** Raw SQL text that may change an existing table's columns, keys or indexes. */
export const CHANGES_TABLES =
  /\b(?:alter\s+table|drop\s+(?:table|index|constraint|column)|create\s+(?:unique\s+)?index|rename)\b/i;

export interface SqlString {
  start: number;
  end: number;
  /** The SQL once the string's constants are filled in, and the file offset of each of its characters. */
  text?: string;
  sources?: number[];
}

export interface BuilderTool {
  /** For log lines: `knex`, `Kysely`. */
  name: string;
  /** A migration file of this tool, judged by its text. */
  isMigration(text: string, path: string): boolean;
  /** The engine each package's migrations run against, or why it cannot be known. */
  engines(env: InputEnv, packages: string[]): Promise<(pkg: string) => EngineChoice>;
  read(ts: Ts, path: string, sourceFile: TypeScript.SourceFile, dialect: SqlDialect): BuilderMigration | undefined;
}

export interface EngineChoice {
  dialect?: SqlDialect;
  why?: string;
}

/** A folder named `migrations`, `migration`, `knex_migrations`, `db-migrations`. */
const MIGRATIONS_FOLDER = /(?:^|\/)[\w.-]*migrations?\//i;

export async function builderMigrationSchemas(env: InputEnv, tool: BuilderTool): Promise<Schema[]> {
  const judging = judgingRoots(env.fileSet);
  const candidates = env.fileSet.files.filter((file) => {
    if (file.kind !== 'code' || !MIGRATIONS_FOLDER.test(file.path) || isTestFile(file, judging)) return false;
    return tool.isMigration(env.text.get(file.path)?.content ?? '', file.path);
  });
  if (candidates.length === 0) return [];
  const packages = packageFolders(env);
  const engineOf = await tool.engines(env, packages);
  const code = await env.input('code');
  const folders = new Map<string, string[]>();
  for (const file of candidates) {
    const folder = posix.dirname(file.path);
    folders.set(folder, [...(folders.get(folder) ?? []), file.path]);
  }
  const schemas: Schema[] = [];
  for (const [folder, paths] of folders) {
    const found = engineOf(packageOf(folder, packages));
    if (found.dialect === undefined) {
      env.log(`sql: ${tool.name} migrations in ${folder} not read: ${found.why}`);
      continue;
    }
    const dialect = found.dialect;
    const files: MigrationFile[] = [];
    const events: SchemaEvent[] = [];
    let unread = 0;
    /** Index in `events` of the last change archlint could not read that may touch an existing table. */
    let uncertainBefore = -1;
    let uncertainWhere = '';
    // The tools run a folder's migrations in file-name order.
    for (const path of paths.sort((a, b) =>
      posix.basename(a) < posix.basename(b) ? -1 : posix.basename(a) > posix.basename(b) ? 1 : 0,
    )) {
      const file = code.get(path);
      const text = env.text.get(path)?.content;
      if (!file || text === undefined) continue;
      const migration = tool.read(code.ts, path, file.tree, dialect);
      // A file in a migrations folder whose `up()` changes nothing through the builder: not one of this tool's.
      if (!migration || (migration.events.length === 0 && migration.sqlStrings.length === 0 && migration.unread === 0))
        continue;
      unread += migration.unread;
      const sql =
        migration.sqlStrings.length > 0
          ? await sqlEvents(env, path, text, migration.sqlStrings, dialect)
          : { events: [], statements: 0, parsed: 0 };
      const merged = [...migration.events, ...sql.events].sort(
        (a, b) => (a.origin.range?.start ?? 0) - (b.origin.range?.start ?? 0),
      );
      for (const offset of migration.uncertainAt) {
        const at = events.length + merged.filter((e) => (e.origin.range?.start ?? 0) < offset).length;
        if (at >= uncertainBefore) [uncertainBefore, uncertainWhere] = [at, `${path}:${lineOf(text, offset)}`];
      }
      events.push(...merged);
      files.push({
        path,
        applied: true,
        statements: migration.events.length + sql.statements,
        parsed: migration.events.length + sql.parsed,
      });
    }
    if (files.length === 0) continue;
    if (unread > 0)
      env.log(
        `sql: ${unread} ${tool.name} schema call(s) in ${folder} not read (a name that is not a literal, a builder archlint does not know)`,
      );
    const state = foldEvents(events, dialect);
    if (uncertainBefore >= 0) {
      // A table created before a change archlint cannot read may have lost a column or gained an index there.
      const created = new Map<string, number>();
      events.forEach((event, i) => {
        if (event.kind === 'create-table') created.set(originKey(event.origin), i);
      });
      const unknown = state.tables.filter(
        (table) => table.declared && (created.get(originKey(table.origin)) ?? -1) < uncertainBefore,
      );
      for (const table of unknown) table.declared = false;
      if (unknown.length > 0)
        env.log(
          `sql: ${unknown.length} table(s) of ${folder} not fully known: a later ${tool.name} change archlint cannot read (${uncertainWhere}) may touch them`,
        );
    }
    schemas.push({
      root: folder,
      dialect,
      dialectSource: 'tool-config',
      files,
      events,
      tables: state.tables,
      table: state.table,
      engine: ENGINE_FACTS[dialect],
    });
  }
  if (schemas.length > 0)
    env.log(`sql: ${schemas.length} ${tool.name} migration folder(s) from ${candidates.length} file(s)`);
  return schemas;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function originKey(origin: { file: string; range?: { start: number } }): string {
  return `${origin.file}:${origin.range?.start ?? -1}`;
}

/**
 * The raw SQL of a migration, parsed at its offsets in the file: everything else blanked, a `;`
 * after each string. A string with constants filled in is longer or shorter than its source: the
 * text after it moves, and every origin the SQL reader gives is mapped back to the file.
 */
export async function sqlEvents(env: InputEnv, path: string, text: string, strings: SqlString[], dialect: SqlDialect) {
  const sorted = [...strings].sort((a, b) => a.start - b.start);
  if (sorted.every((s) => s.text === undefined)) {
    const out = text.replace(/[^\n\r]/g, ' ').split('');
    for (const { start, end } of sorted) {
      for (let i = start; i < end; i++) out[i] = text[i]!;
      if (end < out.length) out[end] = ';';
    }
    return read(env, path, out.join(''), dialect);
  }
  let content = '';
  const map: number[] = [];
  let from = 0;
  for (const { start, end, text: filled, sources } of sorted) {
    for (let i = from; i < start; i++) {
      content += text[i] === '\n' || text[i] === '\r' ? text[i] : ' ';
      map.push(i);
    }
    const body = filled ?? text.slice(start, end);
    for (let i = 0; i < body.length; i++) map.push(sources ? sources[i]! : start + i);
    content += `${body};`;
    map.push(end);
    from = end + 1;
  }
  map.push(text.length);
  const outcome = await read(env, path, content, dialect, (offset) => map[Math.min(offset, map.length - 1)]!);
  return outcome;
}

async function read(
  env: InputEnv,
  path: string,
  content: string,
  dialect: SqlDialect,
  back?: (offset: number) => number,
) {
  const [outcome] = await readTasks([{ path, content, dialect, applied: true }]);
  if (back) remap(outcome!, path, back, new Set());
  for (const finding of outcome!.findings) env.report(finding);
  return outcome!;
}

/** Every `{ file: path, range }` inside a value, with its range mapped back to the file. */
function remap(value: unknown, path: string, back: (offset: number) => number, seen: Set<object>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  const located = value as { file?: unknown; range?: { start: number; end: number } };
  if (located.file === path && located.range && typeof located.range.start === 'number') {
    const end = located.range.end > located.range.start ? back(located.range.end - 1) + 1 : back(located.range.end);
    located.range = { start: back(located.range.start), end };
  }
  for (const child of Array.isArray(value) ? value : Object.values(value)) remap(child, path, back, seen);
}

/**
 * The engine of a package from what its configuration names (`client: 'pg'`, `new PostgresDialect(…)`):
 * its own, else the run's when every package agrees. `undefined` in a set is a configuration
 * archlint cannot read (`client: process.env.DB_CLIENT`): the engine is then unknown.
 */
export function chooseEngine(
  byPackage: Map<string, Set<SqlDialect | undefined>>,
  what: string,
): (pkg: string) => EngineChoice {
  const all = new Set([...byPackage.values()].flatMap((s) => [...s]));
  return (pkg) => {
    const own = byPackage.get(pkg);
    const set = own && own.size > 0 ? own : all;
    if (set.size === 0) return { why: `no ${what} says which database it is` };
    if (set.has(undefined)) return { why: `a ${what} names its database at run time, or one archlint does not model` };
    if (set.size > 1) return { why: `the ${what}s name several databases (${[...set].sort().join(', ')})` };
    return { dialect: [...set][0]! };
  };
}

/** `const TABLE = 'users'` (and `` `${PREFIX}users` `` of such constants) at the top of the file. */
export function stringConstants(ts: Ts, sourceFile: TypeScript.SourceFile): Map<string, string> {
  const constants = new Map<string, string>();
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of statement.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !d.initializer) continue;
      const value = literalText(ts, d.initializer, constants);
      if (value !== undefined) constants.set(d.name.text, value);
    }
  }
  return constants;
}

/** A string literal, a constant holding one, or a template whose parts are such constants. */
export function literalText(
  ts: Ts,
  expression: TypeScript.Expression | undefined,
  constants: Map<string, string>,
): string | undefined {
  if (!expression) return undefined;
  const e = unwrap(ts, expression);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (ts.isIdentifier(e)) return constants.get(e.text);
  if (ts.isTemplateExpression(e)) {
    let text = e.head.text;
    for (const span of e.templateSpans) {
      const part = literalText(ts, span.expression, constants);
      if (part === undefined) return undefined;
      text += part + span.literal.text;
    }
    return text;
  }
  return undefined;
}

/** `a.b().c()` from its root `a.b`: each call of the chain in order, with its method name. */
export function chainFrom(
  ts: Ts,
  root: TypeScript.Expression,
): {
  calls: Array<{ method: string; call: TypeScript.CallExpression; name: TypeScript.Node }>;
  end: TypeScript.Expression;
} {
  const calls: Array<{ method: string; call: TypeScript.CallExpression; name: TypeScript.Node }> = [];
  let node: TypeScript.Expression = root;
  for (;;) {
    const parent = node.parent;
    if (
      parent &&
      ts.isPropertyAccessExpression(parent) &&
      parent.expression === node &&
      parent.parent &&
      ts.isCallExpression(parent.parent) &&
      parent.parent.expression === parent
    ) {
      calls.push({ method: parent.name.text, call: parent.parent, name: parent.name });
      node = parent.parent;
      continue;
    }
    // `x!.y()`, `(x).y()`
    if (parent && (ts.isNonNullExpression(parent) || ts.isParenthesizedExpression(parent))) {
      node = parent;
      continue;
    }
    break;
  }
  return { calls, end: node };
}

/** A call run as a statement of its own (awaited, returned, an arrow's body, in `Promise.all([...])`), not an argument of another call. */
export function isStatementCall(ts: Ts, call: TypeScript.Node): boolean {
  let node: TypeScript.Node = call;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent)))
    node = node.parent;
  const parent = node.parent;
  if (!parent) return false;
  return (
    ts.isExpressionStatement(parent) ||
    ts.isReturnStatement(parent) ||
    (ts.isArrowFunction(parent) && parent.body === node) ||
    ts.isArrayLiteralExpression(parent) ||
    ts.isVariableDeclaration(parent)
  );
}

/**
 * A template literal whose `${…}` parts are all constants of the file (`` `CREATE INDEX … ON ${table} (…)` ``),
 * filled in, with where each of its characters comes from in the file (a constant's: its `${…}`);
 * `undefined` when a part is not a constant.
 */
export function filledTemplate(
  ts: Ts,
  sourceFile: TypeScript.SourceFile,
  template: TypeScript.TemplateExpression,
  constants: Map<string, string>,
): SqlString | undefined {
  const source = sourceFile.text;
  const start = template.getStart(sourceFile) + 1;
  const end = template.getEnd() - 1;
  let filled = '';
  const sources: number[] = [];
  // The template's own text with its escapes undone (`\"name\"` is `"name"` to the database).
  const copy = (from: number, to: number) => {
    const cooked = cookedText(source, from, to);
    if (cooked) {
      filled += cooked.text;
      sources.push(...cooked.sources);
      return;
    }
    for (let i = from; i < to; i++) {
      filled += source[i];
      sources.push(i);
    }
  };
  let from = start;
  let previous: TypeScript.Node = template.head;
  for (const span of template.templateSpans) {
    const value = literalText(ts, span.expression, constants);
    if (value === undefined || /[\r\n]/.test(value)) return undefined;
    const open = previous.getEnd() - 2;
    copy(from, open);
    filled += value;
    for (let i = 0; i < value.length; i++) sources.push(open);
    from = span.literal.getStart(sourceFile) + 1;
    previous = span.literal;
  }
  copy(from, end);
  return { start, end, text: filled, sources };
}

/**
 * The strings a loop variable takes: `for (const x of ARRAY)`, `for (const { key: x } of ARRAY)`, or
 * `const { key: x } = item` in the body of `for (const item of ARRAY)`, ARRAY an array literal or a
 * `const` of the file holding one, its elements strings (or constants) or objects with `key`.
 */
export function loopValues(
  ts: Ts,
  sourceFile: TypeScript.SourceFile,
  identifier: TypeScript.Identifier,
  constants: Map<string, string>,
): string[] | undefined {
  let name = identifier.text;
  let key: string | null | undefined;
  for (let node: TypeScript.Node | undefined = identifier.parent; node; node = node.parent) {
    // `const { name: table } = item;` earlier in the loop's body
    if (ts.isBlock(node) && key === undefined) {
      for (const statement of node.statements) {
        if (!ts.isVariableStatement(statement) || statement.pos > identifier.pos) continue;
        for (const d of statement.declarationList.declarations) {
          const from = bindingKey(ts, d.name, name);
          if (from !== undefined && from !== null && d.initializer && ts.isIdentifier(d.initializer))
            [name, key] = [d.initializer.text, from];
        }
      }
    }
    if (!ts.isForOfStatement(node) || !ts.isVariableDeclarationList(node.initializer)) continue;
    const binding = node.initializer.declarations[0]?.name;
    const own = binding ? bindingKey(ts, binding, name) : undefined;
    if (own === undefined) continue;
    if (own !== null && key !== undefined) return undefined;
    const property = own ?? key ?? null;
    const array = arrayOf(ts, sourceFile, node.expression);
    if (!array) return undefined;
    const values: string[] = [];
    for (const element of array.elements) {
      const item = unwrap(ts, element);
      const value =
        property === null
          ? literalText(ts, item, constants)
          : ts.isObjectLiteralExpression(item)
            ? literalText(ts, objectProperty(ts, item, property), constants)
            : undefined;
      if (value === undefined) return undefined;
      values.push(value);
    }
    return values;
  }
  return undefined;
}

/** `x` bound by `x` (null: the whole value) or by `{ key: x }` / `{ x }` (the key). */
function bindingKey(ts: Ts, binding: TypeScript.BindingName, name: string): string | null | undefined {
  if (ts.isIdentifier(binding)) return binding.text === name ? null : undefined;
  if (!ts.isObjectBindingPattern(binding)) return undefined;
  const element = binding.elements.find((el) => ts.isIdentifier(el.name) && el.name.text === name);
  if (!element) return undefined;
  if (!element.propertyName) return name;
  return ts.isIdentifier(element.propertyName) || ts.isStringLiteral(element.propertyName)
    ? element.propertyName.text
    : undefined;
}

function objectProperty(
  ts: Ts,
  object: TypeScript.ObjectLiteralExpression,
  key: string,
): TypeScript.Expression | undefined {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === key)
      return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) return p.name;
  }
  return undefined;
}

/** An array literal, or a `const` of the file holding one. */
function arrayOf(
  ts: Ts,
  sourceFile: TypeScript.SourceFile,
  expression: TypeScript.Expression,
): TypeScript.ArrayLiteralExpression | undefined {
  const e = unwrap(ts, expression);
  if (ts.isArrayLiteralExpression(e)) return e;
  if (!ts.isIdentifier(e)) return undefined;
  let found: TypeScript.ArrayLiteralExpression | undefined;
  const visit = (node: TypeScript.Node): void => {
    if (found) return;
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === e.text &&
      node.initializer &&
      ts.isVariableDeclarationList(node.parent) &&
      node.parent.flags & ts.NodeFlags.Const
    ) {
      const init = unwrap(ts, node.initializer);
      if (ts.isArrayLiteralExpression(init)) found = init;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}
