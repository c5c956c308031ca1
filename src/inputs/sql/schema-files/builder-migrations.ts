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
import { ENGINE_FACTS, type MigrationFile, type Schema, type SchemaEvent, type SqlDialect } from '../../../model/schema.js';
import { isTestFile, judgingRoots } from '../../../model/test-paths.js';
import type { InputEnv } from '../../env.js';
import { foldEvents } from '../fold.js';
import { readTasks } from '../read-task.js';
import { packageFolders, packageOf } from './packages.js';
import { unwrap } from './ts-syntax.js';

type Ts = typeof TypeScript;

export interface BuilderMigration {
  events: SchemaEvent[];
  /** Offsets of the raw SQL string literals `up()` runs (the text between the quotes). */
  sqlStrings: Array<{ start: number; end: number }>;
  /** Schema-changing calls that could not be read. */
  unread: number;
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
    // The tools run a folder's migrations in file-name order.
    for (const path of paths.sort((a, b) => (posix.basename(a) < posix.basename(b) ? -1 : posix.basename(a) > posix.basename(b) ? 1 : 0))) {
      const file = code.get(path);
      const text = env.text.get(path)?.content;
      if (!file || text === undefined) continue;
      const migration = tool.read(code.ts, path, file.sourceFile.compilerNode, dialect);
      // A file in a migrations folder whose `up()` changes nothing through the builder: not one of this tool's.
      if (!migration || (migration.events.length === 0 && migration.sqlStrings.length === 0 && migration.unread === 0)) continue;
      unread += migration.unread;
      const sql = migration.sqlStrings.length > 0 ? await sqlEvents(env, path, text, migration.sqlStrings, dialect) : { events: [], statements: 0, parsed: 0 };
      const merged = [...migration.events, ...sql.events].sort((a, b) => (a.origin.range?.start ?? 0) - (b.origin.range?.start ?? 0));
      events.push(...merged);
      files.push({ path, applied: true, statements: migration.events.length + sql.statements, parsed: migration.events.length + sql.parsed });
    }
    if (files.length === 0) continue;
    if (unread > 0) env.log(`sql: ${unread} ${tool.name} schema call(s) in ${folder} not read (a name that is not a literal, a builder archlint does not know)`);
    const state = foldEvents(events, dialect);
    schemas.push({ root: folder, dialect, dialectSource: 'tool-config', files, events, tables: state.tables, table: state.table, engine: ENGINE_FACTS[dialect] });
  }
  if (schemas.length > 0) env.log(`sql: ${schemas.length} ${tool.name} migration folder(s) from ${candidates.length} file(s)`);
  return schemas;
}

/** The raw SQL of a migration, parsed at its offsets in the file: everything else blanked, a `;` after each string. */
export async function sqlEvents(env: InputEnv, path: string, text: string, strings: Array<{ start: number; end: number }>, dialect: SqlDialect) {
  const out = text.replace(/[^\n\r]/g, ' ').split('');
  for (const { start, end } of strings) {
    for (let i = start; i < end; i++) out[i] = text[i]!;
    if (end < out.length) out[end] = ';';
  }
  const [outcome] = await readTasks([{ path, content: out.join(''), dialect, applied: true }]);
  for (const finding of outcome!.findings) env.report(finding);
  return outcome!;
}

/**
 * The engine of a package from what its configuration names (`client: 'pg'`, `new PostgresDialect(…)`):
 * its own, else the run's when every package agrees. `undefined` in a set is a configuration
 * archlint cannot read (`client: process.env.DB_CLIENT`): the engine is then unknown.
 */
export function chooseEngine(byPackage: Map<string, Set<SqlDialect | undefined>>, what: string): (pkg: string) => EngineChoice {
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
export function literalText(ts: Ts, expression: TypeScript.Expression | undefined, constants: Map<string, string>): string | undefined {
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
export function chainFrom(ts: Ts, root: TypeScript.Expression): { calls: Array<{ method: string; call: TypeScript.CallExpression; name: TypeScript.Node }>; end: TypeScript.Expression } {
  const calls: Array<{ method: string; call: TypeScript.CallExpression; name: TypeScript.Node }> = [];
  let node: TypeScript.Expression = root;
  for (;;) {
    const parent = node.parent;
    if (parent && ts.isPropertyAccessExpression(parent) && parent.expression === node && parent.parent && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
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
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (!parent) return false;
  return ts.isExpressionStatement(parent) || ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === node) || ts.isArrayLiteralExpression(parent) || ts.isVariableDeclaration(parent);
}
