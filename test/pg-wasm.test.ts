/**
 * The direct binding to libpg_query's C API (src/inputs/sql/pg-wasm.ts): trees, errors with the
 * parser's cursor, text that is not ASCII, memory growth, and statements whose tree is not built.
 */
import { describe, expect, it } from 'vitest';
import { loadPgParser, PgSyntaxError } from '../src/inputs/sql/pg-wasm.js';

const parser = await loadPgParser();
const onlyTables = (type: string) => type === 'CreateStmt';

describe('loadPgParser', () => {
  it('returns the parse tree as libpg-query does, with byte locations', () => {
    const tree = parser.parse('CREATE TABLE "naïve" (id int PRIMARY KEY, owner_id int REFERENCES users (id))');
    const create = (
      tree.stmts![0]!.stmt as {
        CreateStmt: {
          relation: { relname: string };
          tableElts: Array<{ ColumnDef: { colname: string; location: number } }>;
        };
      }
    ).CreateStmt;
    expect(create.relation.relname).toBe('naïve');
    expect(create.tableElts.map((e) => e.ColumnDef.colname)).toEqual(['id', 'owner_id']);
    // "ï" is two bytes in UTF-8: the column after it starts one byte later than its UTF-16 index.
    expect(create.tableElts[0]!.ColumnDef.location).toBe('CREATE TABLE "naïve" ('.length + 1);
  });

  it('throws the parser message and a 0-based code-point cursor', () => {
    const sql = "SELECT 'é' FORM t";
    const error = (() => {
      try {
        parser.parse(sql);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PgSyntaxError);
    expect((error as PgSyntaxError).message).toBe('syntax error at or near "t"');
    expect((error as PgSyntaxError).cursor).toBe(sql.indexOf(' t') + 1);
  });

  it('builds no tree for statements of a type not wanted, but still rejects what does not parse', () => {
    expect(parser.parse("INSERT INTO t VALUES (1, 'a;b')", onlyTables).stmts).toEqual([{}]);
    expect(parser.parse('UPDATE t SET a = 1; DELETE FROM t', onlyTables).stmts).toEqual([{}, {}]);
    expect(parser.parse('  UPDATE t SET a = 1;', onlyTables).stmts).toEqual([{}]);
    expect(parser.parse('INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);', onlyTables).stmts).toEqual([{}, {}]);
    const after = parser.parse(' INSERT INTO t VALUES (1); CREATE TABLE u (id int);', onlyTables);
    expect(after.stmts?.map((s) => Object.keys(s.stmt ?? {}))).toEqual([['InsertStmt'], ['CreateStmt']]);
    const mixed = parser.parse('INSERT INTO t VALUES (1); CREATE TABLE u (id int)', onlyTables);
    expect(mixed.stmts?.map((s) => Object.keys(s.stmt ?? {}))).toEqual([['InsertStmt'], ['CreateStmt']]);
    expect(() => parser.parse('INSERT INTO t VALUES (1', onlyTables)).toThrow(PgSyntaxError);
    expect(parser.parse('-- only a comment', onlyTables).stmts ?? []).toEqual([]);
  });

  it('parses statements larger than the initial WebAssembly memory', () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => `(${i}, 'row ${i} ✓')`).join(',\n');
    expect(parser.parse(`INSERT INTO t (id, label) VALUES\n${rows}`, onlyTables).stmts).toEqual([{}]);
    const tree = parser.parse(`INSERT INTO t (id, label) VALUES\n${rows}`);
    expect(Object.keys(tree.stmts?.[0]?.stmt ?? {})).toEqual(['InsertStmt']);
    // The parser still works after the memory grew.
    expect(parser.parse('CREATE INDEX i ON t (id)').stmts).toHaveLength(1);
  });

  it('parses PL/pgSQL and reports its errors', () => {
    const body = parser.parsePlPgSql(
      'CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN ALTER TABLE t ADD COLUMN c int; END $$',
    );
    expect(JSON.stringify(body)).toContain('ALTER TABLE t ADD COLUMN c int');
    expect(() =>
      parser.parsePlPgSql('CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN IF THEN END $$'),
    ).toThrow();
  });
});
