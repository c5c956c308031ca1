/**
 * Gives the schemas no ORM model names (SQL migrations, Knex, Kysely, Supabase) the key-usage fact read
 * from the code's SQL-level queries (src/model/key-usage-sql.ts), together with what that reading cannot
 * see: sources of other languages, query files, Prisma schemas and TS files declaring ORM models name
 * the tables they may query unseen, and the functions and views the migrations declare are SQL the
 * database runs for the code (Supabase's `rpc`).
 */
import type { InputEnv } from '../env.js';
import type { CodeModel } from '../../model/code.js';
import { formatTableName, type Schema } from '../../model/schema.js';
import { drizzleKeyUse, type DrizzleTableNames } from '../../model/key-usage-drizzle.js';
import { drizzleTablesRead } from './schema-files/drizzle.js';
import { sqlAccessOf, sqlKeyUse, sqlTextsOf, type SqlKeyUseContext } from '../../model/key-usage-sql.js';

/** Sources of other languages, query files and ORM schemas: a query there is one archlint does not read. */
const OTHER_SOURCE = /\.(rs|go|py|cs|java|kt|kts|scala|rb|php|ex|exs|swift|sql|prisma|graphql|gql)$/i;
/** …of which these are programs, not query or schema text: they query a table only if they reach a database at all. */
const OTHER_PROGRAM = /\.(rs|go|py|cs|java|kt|kts|scala|rb|php|ex|exs|swift)$/i;
/**
 * A program that reaches a database shows it: SQL text, or the name of a driver, an ORM or a database. One that shows
 * none (an image renderer, a build script) queries no table, whatever words its comments share with table names
 * (`assets`, `users`). Loose on purpose: any such word keeps the program's words unseen.
 */
const DATABASE_ACCESS =
  /\b(?:select\b[\s\S]{0,300}?\bfrom|insert\s+into|delete\s+from|update\s+[\w."`]+\s+set)\b|\b(?:sql\w*|db|database|orm|gorm|sqlx|diesel|sea_orm|sqlalchemy|psycopg\w*|asyncpg|peewee|pgx|jdbc|jpa|hibernate|ecto|activerecord|applicationrecord|eloquent|doctrine|pdo|dbcontext|dbset|knex|prisma|supabase|postgres\w*|mysql\w*|sqlite\w*|mongo\w*)\b/i;
/** TS/JS that declares ORM models: TypeORM, MikroORM, Sequelize, Objection, Bookshelf, Drizzle. */
const ORM_MODEL =
  /@Entity\(|@Table\(|\bsequelize\.define\(|\bextends\s+Model\b|\btableName\b|new\s+EntitySchema\(|\bdefineEntity\(/;
const DRIZZLE_MODEL = /\b(pg|sqlite|mysql)Table\(/;
const MIGRATIONS = /(^|\/)(migrations?|seeds?)(\/|$)|(^|\/)seed[^/]*\.sql$/i;
/** `packages/db/scripts/sql/upgrade-plan.sql`: a SQL script in a scripts folder, run by hand. */
const HAND_RUN_SQL = /(^|\/)scripts\/(?:[^/]+\/)*[^/]+\.sql$/i;

function wordsOf(content: string, into: Set<string>): void {
  for (const word of content.toLowerCase().match(/[a-z_$][\w$]*/g) ?? []) {
    into.add(word);
    if (word.includes('_')) into.add(word.replace(/_/g, ''));
  }
}

export async function attachSqlKeyUse(env: InputEnv, schemas: Schema[]): Promise<void> {
  const open = schemas.filter(
    (schema) =>
      !schema.keyUse &&
      !schema.orm &&
      !schema.engine.indexesForeignKeys &&
      schema.tables.some((table) => table.declared && table.foreignKeys.length > 0),
  );
  if (open.length === 0) return;
  const drizzleTables = drizzleTablesRead.get(env.fileSet) ?? [];
  const migrationFiles = new Set(schemas.flatMap((schema) => schema.files.map((file) => file.path)));
  const unseenSets = new Map<boolean, Set<string>>();
  let codeModel: CodeModel | undefined;
  /** drizzle: for the Drizzle adapter, whose own declarations are not unseen. */
  const unseenWords = (drizzle: boolean): Set<string> => {
    let unseen = unseenSets.get(drizzle);
    if (unseen) return unseen;
    unseenSets.set(drizzle, (unseen = new Set()));
    for (const file of env.fileSet.files) {
      if (migrationFiles.has(file.path) || MIGRATIONS.test(file.path)) continue;
      // A command a person runs by hand, or a SQL script kept beside such commands: not the service's queries.
      if (HAND_RUN_SQL.test(file.path) || codeModel?.get(file.path)?.reach === 'cli') continue;
      const code = file.kind === 'code';
      if (!code && !OTHER_SOURCE.test(file.path)) continue;
      const content = env.text.get(file.path)?.content;
      if (content === undefined || (code && !ORM_MODEL.test(content) && (drizzle || !DRIZZLE_MODEL.test(content))))
        continue;
      if (OTHER_PROGRAM.test(file.path) && !DATABASE_ACCESS.test(content)) continue;
      wordsOf(content, unseen);
    }
    return unseen;
  };
  const code = await env.input('code');
  codeModel = code;
  // Every table of the schemas asked about, as queries name them (bare): the files that name none are not read.
  const tableNames = new Set(
    open.flatMap((schema) =>
      schema.tables.flatMap((table) => [
        table.name.name.toLowerCase(),
        ...table.foreignKeys.map((fk) => fk.references.table.name.toLowerCase()),
      ]),
    ),
  );
  for (const schema of open) {
    // Functions and views the migrations create run inside the database, for the code that calls them.
    const inDatabase = schema.files.map((file) => sqlTextsOf(env.text.get(file.path)?.content ?? ''));
    const texts = inDatabase.flatMap((found) => found.texts);
    const dynamic = inDatabase.some((found) => found.dynamic);
    const drizzle = schema.declaredBy === 'drizzle' || schema.generatedBy === 'drizzle';
    // Another ORM's schema (TypeORM entities, a Prisma schema without its names): its queries are not read.
    if (!drizzle && (schema.declaredBy !== undefined || schema.generatedBy !== undefined)) continue;
    const names: DrizzleTableNames[] = [];
    if (drizzle) {
      const keys = new Set(schema.tables.map((table) => formatTableName(table.name).toLowerCase()));
      for (const table of drizzleTables) {
        const key = formatTableName(table.name).toLowerCase();
        if (table.dialect === schema.dialect && keys.has(key))
          names.push({ variable: table.variable, file: table.file, table: key, columnsByKey: table.columnsByKey });
      }
      if (names.length === 0) continue;
    }
    let context: SqlKeyUseContext | undefined;
    schema.keyUse = (foreignKey) => {
      context ??= { access: sqlAccessOf(code, tableNames), unseen: unseenWords(drizzle), texts, dynamic };
      return drizzle ? drizzleKeyUse(code, names, context, schema, foreignKey) : sqlKeyUse(context, schema, foreignKey);
    };
  }
}
