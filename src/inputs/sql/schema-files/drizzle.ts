/**
 * Drizzle schema files as schema sources: one Schema per (package, dialect), folded from the
 * table declarations like a migration history, so every db/* rule judges them as it judges SQL.
 *
 * Migrations are authoritative: a table that the run's SQL migrations for the same engine create
 * (in any package) is judged there and left out here (never reported twice). What the Drizzle files add is the
 * tables no migration creates — a project that uses `drizzle-kit push`, or whose migrations stop
 * short of the schema. In a project with drizzle-kit configs, only the files they migrate
 * (drizzle-configs.ts).
 */
import { posix } from 'node:path';
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
import { migratedTables, packageFolders, packageOf, tableKey } from './packages.js';
import type { ts as TypeScript } from 'ts-morph';
import type { CodeModel } from '../../../model/code.js';
import { DRIZZLE_CORE_IMPORT, fileImports, readDrizzleFile, type ResolvedHelper } from './drizzle-read.js';
import { drizzleEvents, type DrizzleTable } from './drizzle-tables.js';
import { drizzleConfigCoverage, relativeModuleCandidates } from './drizzle-configs.js';
import { DRIZZLE_CONFIG } from '../tool-config.js';

const SNAKE_CASE = /\bcasing\s*:\s*['"]snake_case['"]/;

/**
 * Every Drizzle table read in a run, migrated ones too: the variables and property keys the code's
 * queries name them by (the key-usage fact, src/inputs/sql/key-use.ts).
 */
export const drizzleTablesRead = new WeakMap<InputEnv['fileSet'], DrizzleTable[]>();

export async function drizzleSchemas(env: InputEnv, migrationSchemas: readonly Schema[]): Promise<Schema[]> {
  const candidates = env.fileSet.files.filter(
    (file) =>
      file.kind === 'code' &&
      !isTestFile(file, judgingRoots(env.fileSet)) &&
      DRIZZLE_CORE_IMPORT.test(env.text.get(file.path)?.content ?? ''),
  );
  if (candidates.length === 0) return [];
  const packages = packageFolders(env);
  const snakeCaseFolders = new Set(
    env.fileSet.files
      .filter((f) => DRIZZLE_CONFIG.test(f.path) && SNAKE_CASE.test(env.text.get(f.path)?.content ?? ''))
      .map((f) => posix.dirname(f.path)),
  );
  const code = await env.input('code');
  const covered = drizzleConfigCoverage(env, code);
  const uncovered: string[] = [];

  const groups = new Map<string, { folder: string; dialect: SqlDialect; tables: DrizzleTable[]; files: string[] }>();
  for (const candidate of candidates) {
    const file = code.get(candidate.path);
    if (!file) continue;
    if (!covered(candidate.path)) {
      uncovered.push(candidate.path);
      continue;
    }
    const folder = packageOf(candidate.path, packages);
    const tables = readDrizzleFile(code.ts, file.path, file.tree, {
      snakeCase: snakeCaseFolders.has(folder),
      resolve: (name, from) => resolveHelper(code, name, from),
    });
    for (const table of tables) {
      const key = `${folder}\u0000${table.dialect}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { folder, dialect: table.dialect, tables: [], files: [] }));
      group.tables.push(table);
      if (!group.files.includes(file.path)) group.files.push(file.path);
    }
  }

  drizzleTablesRead.set(
    env.fileSet,
    [...groups.values()].flatMap((group) => group.tables),
  );
  const schemas: Schema[] = [];
  for (const group of groups.values()) {
    const byVariable = variableLookup(group.tables);
    const migrated = migratedTables(migrationSchemas, group.dialect);
    const tables = group.tables.filter((table) => !migrated.has(tableKey(table.name, group.dialect)));
    if (tables.length === 0) continue;
    const events: SchemaEvent[] = drizzleEvents(tables, byVariable);
    const state = foldEvents(events, group.dialect);
    const files: MigrationFile[] = group.files.sort().map((path) => {
      const count = tables.filter((t) => t.file === path).length;
      return { path, applied: true, statements: count, parsed: count };
    });
    schemas.push({
      root: group.folder,
      dialect: group.dialect,
      dialectSource: 'declaration',
      declaredBy: 'drizzle',
      generatedBy: 'drizzle',
      files,
      events,
      tables: state.tables,
      table: state.table,
      engine: ENGINE_FACTS[group.dialect],
    });
  }
  if (uncovered.length > 0)
    env.log(
      `sql: ${uncovered.length} Drizzle file(s) no drizzle.config migrates not read (a database the project does not own): ${uncovered.slice(0, 3).join(', ')}`,
    );
  env.log(`sql: ${schemas.length} Drizzle schema(s) from ${candidates.length} file(s)`);
  return schemas;
}

/** A table by the variable that holds it: the same file's first, else the one other file that declares it. */
function variableLookup(tables: DrizzleTable[]): (variable: string, file: string) => DrizzleTable | undefined {
  const byName = new Map<string, DrizzleTable[]>();
  for (const table of tables) byName.set(table.variable, [...(byName.get(table.variable) ?? []), table]);
  return (variable, file) => {
    const found = byName.get(variable) ?? [];
    return found.find((t) => t.file === file) ?? (found.length === 1 ? found[0] : undefined);
  };
}

/**
 * A column helper or an object of columns, by the name a schema file uses: declared in that file,
 * or imported from a relative module of the project (`./util/id`). Packages are not followed.
 */
function resolveHelper(code: CodeModel, identifier: string, fromFile: string): ResolvedHelper | undefined {
  const ts = code.ts;
  const from = code.get(fromFile)?.tree;
  if (!from) return undefined;
  const local = declarationIn(ts, from, identifier);
  if (local) return { ...local, imports: fileImports(ts, from), file: fromFile };
  for (const statement of from.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    if (!specifier.startsWith('.')) continue;
    const bindings = statement.importClause?.namedBindings;
    const element =
      bindings && ts.isNamedImports(bindings) ? bindings.elements.find((e) => e.name.text === identifier) : undefined;
    if (!element) continue;
    for (const candidate of relativeModuleCandidates(fromFile, specifier)) {
      const target = code.get(candidate)?.tree;
      const found = target && declarationIn(ts, target, (element.propertyName ?? element.name).text);
      if (found) return { ...found, imports: fileImports(ts, target!), file: candidate };
    }
  }
  return undefined;
}

/** `function id(name) { return varchar(name) }`, `const id = (name) => varchar(name)`, `const dates = { … }`. */
function declarationIn(
  ts: typeof TypeScript,
  sourceFile: TypeScript.SourceFile,
  name: string,
): { expression: TypeScript.Expression; parameters: string[] } | undefined {
  const parametersOf = (fn: TypeScript.SignatureDeclarationBase) =>
    fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
  const returned = (body: TypeScript.ConciseBody | undefined): TypeScript.Expression | undefined => {
    if (!body) return undefined;
    if (!ts.isBlock(body)) return body;
    const returns = body.statements.filter(ts.isReturnStatement);
    return returns.length === 1 ? returns[0]!.expression : undefined;
  };
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) {
      const expression = returned(statement.body);
      return expression ? { expression, parameters: parametersOf(statement) } : undefined;
    }
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== name || !declaration.initializer) continue;
      const init = declaration.initializer;
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) {
        const expression = returned(init.body);
        return expression ? { expression, parameters: parametersOf(init) } : undefined;
      }
      return { expression: init, parameters: [] };
    }
  }
  return undefined;
}
