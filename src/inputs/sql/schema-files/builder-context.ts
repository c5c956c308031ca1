/**
 * What the knex and Kysely migration readers share: the context one migration is read in (its
 * `up(db)` and the name it gives the builder, the file's string constants, where events go), the
 * origin of a builder call, literal names, and table names as both tools read them (`'app.users'`
 * is schema and table; the chain's `withSchema` qualifies a bare name; the engine's default schema
 * is left out of a TableName).
 */
import type { ts as TypeScript } from 'ts-morph';
import { DIALECTS } from '../../../model/dialects.js';
import type { Origin } from '../../../model/finding.js';
import type { SqlDialect, TableName } from '../../../model/schema.js';
import { literalText, stringConstants, type BuilderMigration } from './builder-migrations.js';
import { upFunction } from './ts-syntax.js';

type Ts = typeof TypeScript;

export interface BuilderContext {
  ts: Ts;
  dialect: SqlDialect;
  constants: Map<string, string>;
  sourceFile: TypeScript.SourceFile;
  path: string;
  out: BuilderMigration;
}

/** The migration's `up()` body, the name of its first parameter (the builder: `knex`, `db`) and a fresh context; `undefined` when there is no such `up`. */
export function migrationContext(
  ts: Ts,
  path: string,
  sourceFile: TypeScript.SourceFile,
  dialect: SqlDialect,
): { body: TypeScript.Node; builder: string; c: BuilderContext } | undefined {
  const up = upFunction(ts, sourceFile);
  const first = up?.parameters[0]?.name;
  if (!up?.body || !first || !ts.isIdentifier(first)) return undefined;
  const c: BuilderContext = {
    ts,
    dialect,
    constants: stringConstants(ts, sourceFile),
    sourceFile,
    path,
    out: { events: [], sqlStrings: [], unread: 0, uncertainAt: [] },
  };
  return { body: up.body, builder: first.text, c };
}

/** A change archlint cannot read that may touch tables created before it. */
export function uncertain(c: BuilderContext, node: TypeScript.Node): void {
  c.out.unread++;
  c.out.uncertainAt.push(node.getStart(c.sourceFile));
}

export function origin(c: BuilderContext, start: TypeScript.Node, end: TypeScript.Node = start): Origin {
  return { file: c.path, range: { start: start.getStart(c.sourceFile), end: end.getEnd() } };
}

export function text(c: BuilderContext, expression: TypeScript.Expression | undefined): string | undefined {
  return literalText(c.ts, expression, c.constants);
}

/** `'users'`, `'app.users'` (both tools split a dotted name), the chain's `withSchema`. */
export function tableName(
  c: BuilderContext,
  expression: TypeScript.Expression | undefined,
  schema: string | undefined,
): TableName | undefined {
  const written = text(c, expression);
  if (written === undefined) return undefined;
  const name = qualified(c, written);
  return schema && !name.schema ? defaultSchema(c, { schema, name: name.name }) : name;
}

export function qualified(c: BuilderContext, written: string): TableName {
  const dot = written.lastIndexOf('.');
  return dot > 0
    ? defaultSchema(c, { schema: written.slice(0, dot), name: written.slice(dot + 1) })
    : { name: written };
}

/** PostgreSQL's `public` is the default schema, left out of a TableName. */
export function defaultSchema(c: BuilderContext, name: TableName): TableName {
  return name.schema !== undefined && name.schema === DIALECTS[c.dialect].defaultSchema ? { name: name.name } : name;
}
