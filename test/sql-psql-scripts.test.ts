/**
 * Migrations written as psql scripts: psql's variables and meta-commands are replaced at the same
 * length before PostgreSQL's parser reads the file, and nothing PostgreSQL itself writes with a colon
 * or a backslash changes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { lint } from '../src/engine/run.js';
import { maskPsqlScript } from '../src/inputs/sql/psql-variables.js';

describe('maskPsqlScript', () => {
  it('replaces each kind of variable by a placeholder of that kind and the same length', () => {
    const sql = `GRANT ALL ON SCHEMA app TO :DATABASE_VISITOR;\nCREATE ROLE :"role";\nCOMMENT ON SCHEMA app IS :'note';\nSELECT f(:a,:b);\n`;
    expect(maskPsqlScript(sql)).toBe(
      `GRANT ALL ON SCHEMA app TO _________________;\nCREATE ROLE "_____";\nCOMMENT ON SCHEMA app IS '_____';\nSELECT f(__,__);\n`,
    );
  });

  it('blanks meta-commands to the end of their line, and ends the statement where one sends the buffer', () => {
    const sql = `\\set ON_ERROR_STOP on\r\n\\connect :db\r\nSELECT 'CREATE DATABASE x'\r\n\\gexec\r\nSELECT 1 \\gset one_\r\n\\i other.sql\n`;
    expect(maskPsqlScript(sql)).toBe(
      `${' '.repeat(21)}\r\n${' '.repeat(12)}\r\nSELECT 'CREATE DATABASE x'\r\n;     \r\nSELECT 1 ;${' '.repeat(9)}\r\n${' '.repeat(12)}\n`,
    );
  });

  it('leaves casts, assignments, slices, names, times and everything quoted or commented as written', () => {
    const sql = [
      `SELECT x::text, tags[1:n], tags[lo : hi], tags[:n], f(a := 1), ns:b, 12:30, $1, '${':x'}', E'\\':x', "a:b";`,
      `-- a :comment`,
      `/* a /* nested :one */ :two */`,
      `CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN x := :y; RETURN x\\y; END $body$;`,
      `SELECT $$ :z \\gexec $$, :{?flag};`,
      '',
    ].join('\n');
    expect(maskPsqlScript(sql)).toBe(sql);
  });

  it('returns the very text when there is nothing to replace', () => {
    const sql = 'CREATE TABLE a (id int PRIMARY KEY, at time DEFAULT now()::time);\n';
    expect(maskPsqlScript(sql)).toBe(sql);
  });
});

describe('psql scripts through the whole run', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'archlint-psql-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  async function findings(files: Record<string, string>): Promise<string[]> {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), content);
    }
    const { result } = await lint({ cwd: scratch, paths: ['.'], loaded: { config: {}, baseDir: scratch }, rules });
    return result.findings
      .filter((f) => f.ruleId === 'core/parse-error' || f.ruleId === 'db/indexed-foreign-keys')
      .map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.message}`);
  }

  it('reports a real syntax error after a variable at its own line and column, and the statements around it', async () => {
    const sql = [
      `\\set owner app`,
      `CREATE TABLE a (id int PRIMARY KEY); ALTER TABLE a OWNER TO :owner; CREATE TABEL oops (id int);`,
      `SET search_path TO :schema;`,
      `CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));`,
      '',
    ].join('\n');
    expect(await findings({ 'db/migrations/001.sql': sql })).toEqual([
      'db/migrations/001.sql:2:76 core/parse-error PostgreSQL syntax error: syntax error at or near "TABEL"',
      // The search path names a schema psql fills in: the table stays unqualified, as a templated schema does.
      'db/migrations/001.sql:4:46 db/indexed-foreign-keys Foreign key b(a_id) → a(id) has no index whose leading columns are (a_id)',
    ]);
  });
});
