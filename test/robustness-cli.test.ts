/**
 * Hostile input through the command line: nothing outside the lint root is ever read (a canary
 * planted next to the repository never shows up in any report format or log), a missing path is a
 * usage error, and unreadable files are reported, not thrown.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as cli } from './harness/cli.js';

const BIN = new URL('../bin/archlint.js', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'archlint-robust-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

describe('nothing outside the lint root is read', () => {
  it('never lets a canary outside the root reach any report format, the log or the routes list', async () => {
    const CANARY = 'CANARY-7f3a9c2e-outside-the-root';
    const base = join(scratch, 'canary');
    // The canary files: YAML a $ref could pull in, SQL and code a symlink could pull in.
    write(join(base, 'outside'), {
      'spec.yaml': `openapi: 3.0.3\ninfo: {title: ${CANARY}, version: "1"}\npaths:\n  /${CANARY}:\n    get:\n      responses: {"200": {description: ${CANARY}}}\n`,
      // Were it read, api/paginated-lists would name the list property in its message.
      'ok.yaml': `description: ok\ncontent:\n  application/json:\n    schema: {type: object, properties: {${CANARY}: {type: array, items: {type: string}}}}\n`,
      'db/001.sql': `CREATE TABLE ${CANARY.replace(/-/g, '_')} (id int, secret text default '${CANARY}');\n`,
      'src/app.ts': `import express from 'express';\nconst app = express();\napp.get('/${CANARY}', (q, r) => r.json([]));\nexport const password = "${CANARY}";\n`,
    });
    const repo = join(base, 'work', 'repo');
    const outside = join(base, 'outside');
    const ref = (target: string) => `{$ref: ${JSON.stringify(target)}}`;
    write(repo, {
      'openapi.yaml':
        'openapi: 3.0.3\ninfo: {title: Orders, version: "1"}\npaths:\n  /v1/orders:\n    get:\n      responses:\n' +
        `        "200": ${ref('../../outside/ok.yaml')}\n` +
        `        "201": ${ref(join(outside, 'ok.yaml'))}\n` +
        `        "202": ${ref(`file://${join(outside, 'ok.yaml')}`)}\n` +
        `        "203": ${ref('..%2F..%2Foutside%2Fok.yaml')}\n` +
        `        "204": ${ref('linked.yaml')}\n` +
        `        "205": ${ref('linked-dir/ok.yaml')}\n` +
        '  /v1/all:\n    $ref: "../../outside/spec.yaml#/paths"\n',
    });
    symlinkSync(join(outside, 'ok.yaml'), join(repo, 'linked.yaml'));
    symlinkSync(outside, join(repo, 'linked-dir'));
    symlinkSync(join(outside, 'db'), join(repo, 'db'));
    symlinkSync(join(outside, 'src', 'app.ts'), join(repo, 'app.ts'));

    const reports = ['json', 'sarif', 'github', 'markdown'].map(
      (format) => [format, join(scratch, `canary-report.${format}`)] as const,
    );
    const run = await cli(
      [
        '--verbose',
        '--fail-on',
        'never',
        '-f',
        'pretty',
        ...reports.flatMap(([format, file]) => ['-f', `${format}=${file}`]),
      ],
      repo,
    );
    const routes = await cli(['routes', '--format', 'json'], repo);
    expect(run.code).toBe(0);
    expect(routes.code).toBe(0);
    const outputs = [
      run.stdout,
      run.stderr,
      routes.stdout,
      routes.stderr,
      ...reports.map(([, file]) => readFileSync(file, 'utf8')),
    ];
    for (const output of outputs) expect(output).not.toContain(CANARY);

    const json = JSON.parse(readFileSync(reports[0]![1], 'utf8')) as {
      findings: Array<{ file: string; line: number; ruleId: string; message: string }>;
    };
    for (const finding of json.findings) expect(finding.file, finding.message).not.toMatch(/^(\.\.|\/)/);
    expect(json.findings.filter((f) => f.ruleId === 'core/parse-error').map((f) => `${f.line} ${f.message}`)).toEqual([
      `7 $ref "../../outside/ok.yaml" leaves the lint roots: the file is not read`,
      `8 $ref "${join(outside, 'ok.yaml')}" leaves the lint roots: the file is not read`,
      `9 $ref "file://${join(outside, 'ok.yaml')}" uses a URI scheme archlint does not read`,
      `10 $ref "..%2F..%2Foutside%2Fok.yaml" leaves the lint roots: the file is not read`,
      `11 $ref "linked.yaml" leaves the lint roots: the file is not read`,
      `12 $ref "linked-dir/ok.yaml" leaves the lint roots: the file is not read`,
      `14 $ref "../../outside/spec.yaml#/paths" leaves the lint roots: the file is not read`,
    ]);
  });
});

describe('paths and permissions', () => {
  it('exits 2 with one line naming a path that does not exist', async () => {
    const dir = mkdtempSync(join(scratch, 'missing-'));
    write(dir, { 'a.sql': 'CREATE TABLE a (id int primary key);\n' });
    expect(await cli(['a.sql', 'no/such/dir'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'archlint: path not found: no/such/dir\n',
    });
  });

  it('reports an unreadable migration as a note and reads the rest', () => {
    const dir = mkdtempSync(join(scratch, 'unreadable-'));
    write(dir, {
      'db/001.sql': 'CREATE TABLE a (id int primary key);\n',
      'db/002.sql': 'CREATE TABLE b (id int primary key, a_id int references a(id));\n',
      'src/locked.ts': 'export const x = 1;\n',
    });
    chmodSync(scratch, 0o755);
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'db/001.sql'), 0o000);
    chmodSync(join(dir, 'src/locked.ts'), 0o000);
    // root reads everything: as root the CLI runs as "nobody" (the built CLI: npm test builds first).
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const child = spawnSync(process.execPath, [BIN, '-f', 'json', '--fail-on', 'never', '--verbose'], {
      cwd: dir,
      encoding: 'utf8',
      ...asNobody,
    });
    expect(child.status).toBe(0);
    const report = JSON.parse(child.stdout) as {
      findings: Array<{ file: string; line: number; ruleId: string; message: string; severity: string }>;
    };
    // 002 is folded without 001: the note tells the reader that the schema behind the other findings is incomplete.
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.severity} ${f.ruleId} ${f.message}`)).toEqual([
      'db/001.sql:1 note core/skipped-file This migration cannot be read (EACCES), so the schema is folded without it',
      'db/002.sql:1 warning db/indexed-foreign-keys Foreign key b(a_id) → a(id) has no index whose leading columns are (a_id)',
    ]);
    expect(child.stderr).toContain('archlint: skipped db/001.sql: unreadable (EACCES)\n');
    expect(child.stderr).toContain('archlint: skipped src/locked.ts: unreadable (EACCES)\n');
  });
});
