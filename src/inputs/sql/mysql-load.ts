/**
 * node-sql-parser's per-dialect builds (only the grammar a history needs is loaded), and MariaDB's
 * fallback to the MySQL grammar.
 */
import { DIALECTS } from '../../model/dialects.js';
import type { SqlDialect } from '../../model/schema.js';

export interface SqlParser {
  astify(sql: string, options: { database: string; parseOptions: { includeLocations: boolean } }): unknown;
}

export const BUILDS: Record<Exclude<SqlDialect, 'postgres'>, { module: string; database: string }> = {
  mysql: { module: 'node-sql-parser/build/mysql.js', database: 'MySQL' },
  mariadb: { module: 'node-sql-parser/build/mariadb.js', database: 'MariaDB' },
  sqlite: { module: 'node-sql-parser/build/sqlite.js', database: 'Sqlite' },
};

export async function loadMysqlParser(dialect: Exclude<SqlDialect, 'postgres'>): Promise<SqlParser> {
  const load = async (d: Exclude<SqlDialect, 'postgres'>) =>
    new ((await import(BUILDS[d].module)) as { default: { Parser: new () => SqlParser } }).default.Parser();
  const parser = await load(dialect);
  const fallbackDialect = DIALECTS[dialect].grammarFallback as Exclude<SqlDialect, 'postgres'> | undefined;
  if (!fallbackDialect || DIALECTS[fallbackDialect].parser !== 'node-sql-parser') return parser;
  // node-sql-parser's MariaDB grammar lags its MySQL one (`ALTER TABLE … ADD CONSTRAINT … FOREIGN
  // KEY`, several clauses in one ALTER), which MariaDB accepts as MySQL does: a statement the MariaDB
  // grammar rejects is read with MySQL's, and its error is MariaDB's when both reject it.
  const fallback = await load(fallbackDialect);
  return {
    astify(sql, options) {
      try {
        return parser.astify(sql, options);
      } catch (error) {
        try {
          return fallback.astify(sql, { ...options, database: BUILDS[fallbackDialect].database });
        } catch {
          throw error;
        }
      }
    },
  };
}
