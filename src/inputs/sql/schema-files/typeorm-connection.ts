/**
 * The TypeORM connection that serves a package: which engine its options name (`type: 'sqlite'` in a
 * `new DataSource({...})`, `TypeOrmModule.forRoot({...})`, `createConnection`, an ormconfig file) and
 * how it names tables. Read for TypeORM entities (typeorm.ts) and for TypeORM migration classes,
 * whose `queryRunner.query(...)` SQL is written for that engine (index.ts, dialect.ts).
 *
 * A package's own connection files decide, else the whole run when all of it agrees. No `type`
 * found (an env-driven `type: process.env.DB_TYPE`), or several engines named, decides nothing:
 * archlint does not guess from it.
 */
import type { SqlDialect } from '../../../model/schema.js';
import type { InputEnv } from '../../env.js';
import { isTestFile, judgingRoots } from '../../../model/test-paths.js';
import { packageFolders, packageOf } from './packages.js';

/** Connection options: `type: 'postgres'` (JSON too), in a file that mentions TypeORM or is an ormconfig. */
const CONNECTION_TYPE = /\btype["']?\s*:\s*["']([a-z0-9-]+)["']/g;
const ORMCONFIG = /(?:^|\/)ormconfig\.(?:json|[cm]?[jt]s|ya?ml|env)$/;
/** YAML's plain scalars: `type: mysql` in ormconfig.yml, unquoted. */
const YAML_ORMCONFIG = /(?:^|\/)ormconfig\.ya?ml$/;
const YAML_TYPE = /^[ \t]*type[ \t]*:[ \t]*["']?([a-z0-9-]+)["']?[ \t]*(?:#.*)?$/gm;
/** TypeORM 0.2's environment configuration: `TYPEORM_CONNECTION=mysql` in `.env`, `.env.*` or `ormconfig.env`. */
const ENV_FILE = /(?:^|\/)(?:\.env(?:\.[\w.-]+)?|ormconfig\.env)$/;
const ENV_CONNECTION = /^[ \t]*(?:export[ \t]+)?TYPEORM_CONNECTION[ \t]*=[ \t]*["']?([a-z0-9-]+)["']?/gm;
const CONNECTION_HINT = /typeorm|DataSource|TypeOrmModule|createConnection/;

/** TypeORM's driver names → the engines archlint models; other drivers (mssql, oracle, mongodb…) are not modelled. */
const DRIVERS: Record<string, SqlDialect> = {
  postgres: 'postgres',
  'aurora-postgres': 'postgres',
  cockroachdb: 'postgres',
  mysql: 'mysql',
  'aurora-mysql': 'mysql',
  mariadb: 'mariadb',
  sqlite: 'sqlite',
  'better-sqlite3': 'sqlite',
  sqljs: 'sqlite',
};
/** Drivers of engines archlint does not model, with the engine's name for notes. */
const OTHER_DRIVERS: Readonly<Record<string, string>> = {
  mssql: 'SQL Server',
  oracle: 'Oracle',
  sap: 'SAP HANA',
  mongodb: 'MongoDB',
  spanner: 'Spanner',
  cordova: 'SQLite (Cordova)',
  nativescript: 'SQLite (NativeScript)',
  'react-native': 'SQLite (React Native)',
  expo: 'SQLite (Expo)',
  capacitor: 'SQLite (Capacitor)',
};

/** A TypeORM driver name's engine: a modelled dialect, `other` for an engine archlint does not model, else undefined. */
export function typeormDriverDialect(driver: string): SqlDialect | 'other' | undefined {
  if (Object.hasOwn(DRIVERS, driver)) return DRIVERS[driver];
  return Object.hasOwn(OTHER_DRIVERS, driver) ? 'other' : undefined;
}

const SNAKE_NAMING = /\bSnakeNamingStrategy\b/;
/** Options or settings that may let TypeORM create the entities' tables itself. */
const SYNCHRONIZE_ON =
  /\bsynchronize["']?\s*:\s*(?!false\b)[^\s,}]|\bTYPEORM_SYNCHRONIZE\s*=\s*["']?true\b|\bschema:sync\b/;
/** A naming strategy of the project's own: table and column names archlint cannot derive. */
const CUSTOM_NAMING = /\b(?:extends\s+DefaultNamingStrategy|implements\s+NamingStrategyInterface)\b/;

export interface TypeormConnections {
  /** The engine, naming and why not, for reading a package's entities. */
  of(folder: string): Connection;
  /**
   * The one engine the connection options serving a package name, whatever its naming: a modelled
   * dialect, or the driver of an engine archlint does not model (`mssql`); undefined when none or
   * several are named.
   */
  engineOf(folder: string): { dialect: SqlDialect } | { otherEngine: string } | undefined;
  /**
   * Some connection of the run may create tables from the entities: options whose `synchronize` is
   * anything but a literal `false` (`true`, an environment switch), `TYPEORM_SYNCHRONIZE=true`, or a
   * package script running `schema:sync`. TypeORM's default is off.
   */
  synchronizes: boolean;
}

export interface Connection {
  dialect?: SqlDialect;
  why?: string;
  snakeCase: boolean;
  /** The project names tables with a naming strategy of its own: no engine makes its names known. */
  customNaming?: boolean;
}

/**
 * The engine and naming of the TypeORM connection that serves a package: from its own files, else
 * from the whole run when all of it agrees.
 */
export function connectionFacts(env: InputEnv, packages: string[] = packageFolders(env)): TypeormConnections {
  const drivers = new Map<string, Set<string>>();
  const naming = new Map<string, { snake: boolean; custom: boolean }>();
  const judging = judgingRoots(env.fileSet);
  let synchronizes = false;
  for (const file of env.fileSet.files) {
    if (!synchronizes && /(?:^|\/)package\.json$/.test(file.path) && !isTestFile(file, judging))
      synchronizes = SYNCHRONIZE_ON.test(env.text.get(file.path)?.content ?? '');
    // A test's connection (`.env.test`, a spec's `new DataSource({ type: 'sqljs' })` — vendure's
    // parse-sort-params.spec.ts) describes the tests' database, not the one the project runs on.
    if (isTestFile(file, judging)) continue;
    const envFile = ENV_FILE.test(file.path);
    if (file.kind !== 'code' && !ORMCONFIG.test(file.path) && !/\.(?:json|ya?ml)$/.test(file.path) && !envFile)
      continue;
    const text = env.text.get(file.path)?.content;
    if (
      !text ||
      !(ORMCONFIG.test(file.path) || (envFile ? text.includes('TYPEORM_CONNECTION') : CONNECTION_HINT.test(text)))
    )
      continue;
    const folder = packageOf(file.path, packages);
    if (file.kind === 'code' || ORMCONFIG.test(file.path) || envFile) {
      const pattern = envFile ? ENV_CONNECTION : YAML_ORMCONFIG.test(file.path) ? YAML_TYPE : CONNECTION_TYPE;
      const found = [...text.matchAll(pattern)]
        .map((m) => m[1]!)
        .filter((d) => DRIVERS[d] !== undefined || OTHER_DRIVERS[d] !== undefined);
      if (found.length > 0 && (ORMCONFIG.test(file.path) || envFile || /typeorm|TypeOrmModule|DataSource/.test(text))) {
        const set = drivers.get(folder) ?? new Set<string>();
        for (const d of found) set.add(DRIVERS[d] ?? d);
        drivers.set(folder, set);
      }
    }
    if (SYNCHRONIZE_ON.test(text)) synchronizes = true;
    const seen = naming.get(folder) ?? { snake: false, custom: false };
    if (SNAKE_NAMING.test(text)) seen.snake = true;
    else if (CUSTOM_NAMING.test(text)) seen.custom = true;
    naming.set(folder, seen);
  }
  const all = new Set([...drivers.values()].flatMap((s) => [...s]));
  const anySnake = [...naming.values()].some((n) => n.snake);
  const anyCustom = [...naming.values()].some((n) => n.custom);
  const driversOf = (folder: string) => {
    const own = drivers.get(folder);
    return own && own.size > 0 ? own : all;
  };
  return {
    synchronizes,
    engineOf(folder) {
      const set = driversOf(folder);
      if (set.size !== 1) return undefined;
      const only = [...set][0]!;
      return Object.values(DRIVERS).includes(only as SqlDialect)
        ? { dialect: only as SqlDialect }
        : { otherEngine: OTHER_DRIVERS[only] ?? only };
    },
    of(folder) {
      const set = driversOf(folder);
      const snakeCase = naming.get(folder)?.snake ?? anySnake;
      if (anyCustom && !anySnake)
        return { why: 'the project names tables with a naming strategy of its own', snakeCase, customNaming: true };
      if (set.size === 0) return { why: 'no TypeORM connection options say which database it is (type: …)', snakeCase };
      if (set.size > 1)
        return { why: `the connection options name several databases (${[...set].sort().join(', ')})`, snakeCase };
      const only = [...set][0]!;
      if (!Object.values(DRIVERS).includes(only as SqlDialect))
        return { why: `${only} is not a database archlint models`, snakeCase };
      return { dialect: only as SqlDialect, snakeCase };
    },
  };
}
