/**
 * `archlint lsp` driven through the Language Server Protocol, as an editor drives it: the built
 * CLI as a child process, JSON-RPC over its standard input/output. A foreign key added in one
 * migration is reported; an index added in a later migration clears it, through didOpen,
 * didChange and didSave messages only (the second file's content never reaches the disk).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { commentSuppressions } from '../src/engine/suppressions.js';
import { createTextFile } from '../src/inputs/text/text-file.js';
import { suppressionEdit } from '../src/lsp/suppress-action.js';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node.js';

const BIN = new URL('../bin/archlint.js', import.meta.url).pathname;

interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  code: string;
  source: string;
  message: string;
  data?: unknown;
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A server on a temporary workspace, and the diagnostics it published, by URI (the latest). */
async function startServer(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'archlint-lsp-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const child: ChildProcess = spawn(process.execPath, [BIN, 'lsp', '--stdio'], {
    cwd: dir,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const connection: MessageConnection = createMessageConnection(
    new StreamMessageReader(child.stdout!),
    new StreamMessageWriter(child.stdin!),
  );
  const published = new Map<string, Diagnostic[]>();
  const waiters: Array<() => void> = [];
  connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: Diagnostic[] }) => {
    published.set(params.uri, params.diagnostics);
    for (const wake of waiters.splice(0)) wake();
  });
  connection.listen();
  cleanups.push(() => {
    connection.dispose();
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  const uri = (path: string) => pathToFileURL(join(dir, path)).href;
  /** Resolves when `test` holds on the published diagnostics (checked after every publication). */
  const until = (test: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}; published: ${JSON.stringify([...published])}`)),
        30_000,
      );
      const check = () => {
        if (test()) {
          clearTimeout(timeout);
          resolve();
        } else waiters.push(check);
      };
      check();
    });
  const init = (await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    capabilities: {},
    workspaceFolders: null,
  })) as { capabilities: Record<string, unknown> };
  await connection.sendNotification('initialized', {});
  return { connection, uri, published, until, init, dir };
}

const TABLES =
  'CREATE TABLE customers (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));\n';

describe('archlint lsp', () => {
  it('reports a foreign key, then clears it when a later migration indexes it — through didOpen/didChange/didSave only', async () => {
    const server = await startServer({
      'db/migrations/001_tables.sql': TABLES,
      'db/migrations/002_index.sql': '-- to be written\n',
    });
    expect(server.init.capabilities).toMatchObject({
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
    });
    const first = server.uri('db/migrations/001_tables.sql');
    const second = server.uri('db/migrations/002_index.sql');
    await server.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: first, languageId: 'sql', version: 1, text: TABLES },
    });
    const fk = () => (server.published.get(first) ?? []).filter((d) => d.code === 'db/indexed-foreign-keys');
    await server.until(() => fk().length === 1, 'the foreign-key diagnostic');
    expect(fk()[0]).toMatchObject({ source: 'archlint', severity: 2, range: { start: { line: 1 } } });
    expect(fk()[0]!.message).toContain('orders(customer_id)');

    // Hover over it: the rule's explanation.
    const hover = (await server.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: first },
      position: { line: 1, character: 5 },
    })) as { contents: { value: string } };
    expect(hover.contents.value).toContain('**db/indexed-foreign-keys**');
    // Code actions: the rule's fix (the CREATE INDEX statement) and a suppression comment in SQL's syntax.
    const actions = (await server.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: first },
      range: fk()[0]!.range,
      context: { diagnostics: fk() },
    })) as Array<{ title: string; edit: { changes: Record<string, Array<{ newText: string }>> } }>;
    const texts = actions.map((a) => a.edit.changes[first]![0]!.newText);
    expect(texts.some((t) => /^CREATE INDEX .*ON orders \(customer_id\)/i.test(t))).toBe(true);
    expect(texts).toContain('-- archlint-disable-next-line db/indexed-foreign-keys -- <reason>\n');

    // The later migration is opened and edited in the editor, never saved to disk before the check.
    await server.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: second, languageId: 'sql', version: 1, text: '-- to be written\n' },
    });
    await server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: second, version: 2 },
      contentChanges: [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
          text: 'CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n',
        },
      ],
    });
    await server.until(() => server.published.has(first) && fk().length === 0, 'the diagnostic to clear');
    await server.connection.sendNotification('textDocument/didSave', { textDocument: { uri: second } });

    // Undo in the editor: the finding is back.
    await server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: second, version: 3 },
      contentChanges: [{ text: '-- to be written\n' }],
    });
    await server.until(() => fk().length === 1, 'the diagnostic to come back');
  }, 90_000);

  it('sees a migration created, then deleted, on disk though the client sends no didChangeWatchedFiles', async () => {
    const server = await startServer({ 'db/migrations/001_tables.sql': TABLES });
    const first = server.uri('db/migrations/001_tables.sql');
    await server.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: first, languageId: 'sql', version: 1, text: TABLES },
    });
    const fk = () => (server.published.get(first) ?? []).filter((d) => d.code === 'db/indexed-foreign-keys');
    await server.until(() => fk().length === 1, 'the foreign-key diagnostic');
    /** A comment typed in the open migration: only a check, which must look at the disk again. */
    let version = 1;
    const typeComment = () =>
      server.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: first, version: ++version },
        contentChanges: [{ text: `${TABLES}-- edit ${version}\n` }],
      });
    // Written by another tool (a generator, a branch switch): the editor says nothing of it.
    const index = join(server.dir, 'db/migrations/002_index.sql');
    writeFileSync(index, 'CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n');
    await typeComment();
    await server.until(() => fk().length === 0, 'the diagnostic to clear after the index file appeared');
    rmSync(index);
    await typeComment();
    await server.until(() => fk().length === 1, 'the diagnostic to come back after the index file went');
  }, 90_000);
});

describe('archlint lsp on code', () => {
  it('after edits to a mounted router, publishes what a cold `archlint lint` of the same text finds', async () => {
    const app =
      "import express from 'express';\nimport { users } from './routes/users';\nconst app = express();\napp.use('/api', users);\napp.listen(3000);\n";
    const users =
      "import { Router } from 'express';\nexport const users = Router();\nusers.get('/users', async (req, res) => res.json(await db.user.findMany()));\n";
    const server = await startServer({
      'package.json': '{ "dependencies": { "express": "5.0.0" } }\n',
      'src/app.ts': app,
      'src/routes/users.ts': users,
    });
    const file = server.uri('src/routes/users.ts');
    await server.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: file, languageId: 'typescript', version: 1, text: users },
    });
    const codes = () => (server.published.get(file) ?? []).map((d) => `${d.range.start.line + 1} ${d.code}`).sort();
    await server.until(() => codes().includes('3 api/paginated-lists'), 'the list route mounted from app.ts');
    // A hard-coded key and a syntax error typed in, never saved, then the error fixed.
    const edits = [
      `${users}const stripeKey = 'sk_live_4eC39HqLyjWDarjtT1zdp7dcQx';\nusers.get('/orders', (req, res) => {\n`,
      `${users}const stripeKey = 'sk_live_4eC39HqLyjWDarjtT1zdp7dcQx';\n`,
    ];
    let version = 1;
    for (const text of edits) {
      await server.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: file, version: ++version },
        contentChanges: [{ text }],
      });
      const broken = text.endsWith('{\n');
      await server.until(
        () =>
          codes().includes('4 security/no-hardcoded-secrets') &&
          codes().some((c) => c.endsWith('core/parse-error')) === broken,
        `the diagnostics of edit ${version}`,
      );
      // The same text on disk, linted cold by the CLI: the same findings in every file.
      writeFileSync(join(server.dir, 'src/routes/users.ts'), text);
      const cold = spawnSync(process.execPath, [BIN, 'lint', '--format', 'json', '.'], {
        cwd: server.dir,
        encoding: 'utf8',
      });
      const findings = (JSON.parse(cold.stdout) as { findings: Array<{ file: string; line: number; ruleId: string }> })
        .findings;
      const published = [...server.published].flatMap(([uri, list]) =>
        list.map((d) => `${uri.slice(pathToFileURL(server.dir).href.length + 1)}:${d.range.start.line + 1} ${d.code}`),
      );
      expect(published.sort()).toEqual(findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort());
    }
  }, 90_000);
});

describe('the suppression code action', () => {
  it.each([
    ['db/001.sql', 'CREATE TABLE t (a int);\n'],
    ['openapi.yaml', 'paths:\n  /x: {}\n'],
    ['src/app.ts', '  app.get("/x", h);\n'],
    ['docs/api.md', 'text\n'],
  ])('writes in %s a comment the suppression reader reads back for the next line', (path, text) => {
    const document = TextDocument.create(`file:///repo/${path}`, 'plaintext', 1, text);
    const edit = suppressionEdit(document, 0, 'db/indexed-foreign-keys')!;
    const edited = `${edit.newText}${text}`;
    const file = createTextFile({ path, absPath: `/repo/${path}`, kind: 'text' }, Buffer.from(edited));
    expect(commentSuppressions(file!)).toMatchObject([{ ruleIds: ['db/indexed-foreign-keys'] }]);
  });

  it('offers none in JSON, which has no comments', () => {
    expect(
      suppressionEdit(TextDocument.create('file:///repo/openapi.json', 'json', 1, '{}\n'), 0, 'api/paginated-lists'),
    ).toBeUndefined();
  });
});
