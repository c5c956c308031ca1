/**
 * `archlint lsp`: a Language Server over standard input/output. Editors see archlint's findings
 * as diagnostics while a migration or a handler is being written, from the same engine, rules and
 * config as `archlint lint`.
 *
 * Cross-file findings must be right (a foreign key indexed in a later migration, a route mounted
 * in another file), so every check lints the whole workspace folder, with the text of the open
 * documents in place of what is on disk (unsaved edits count). Checks are debounced while typing
 * and never overlap: an edit during a check schedules one more. Each check reuses the input models
 * the edits since the last one cannot affect (../engine/carried-inputs.ts: typing in a migration
 * rebuilds the schema, not the route graph); a model that is rebuilt is built from the syntax trees
 * of the files whose text did not change, not parsed again, and the file-scoped rules check only the
 * edited files. Discovery, the reach judgement and what the route graph reads from each tree are carried too
 * (carried-inputs.ts); a file changed on disk without a notice is still seen (discover/carried.ts). The route graph's
 * linking is still done whole (issue 20, item 2).
 *
 * Diagnostics: the rule id as code, its SARIF help as the description link, related locations,
 * `archlint explain` as hover, the rule's fix as a quick fix (the CREATE INDEX statement…), and
 * "suppress on this line" code actions that insert the comment the file's language takes.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { relative, resolve, sep } from 'node:path';
import { CarriedInputs } from '../engine/carried-inputs.js';
import {
  CodeActionKind,
  createConnection,
  DiagnosticSeverity,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type InitializeParams,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { rules } from '../../rules/index.js';
import { loadConfig } from '../config/index.js';
import { coreRuleMetas } from '../engine/core-rules.js';
import { lint } from '../engine/run.js';
import type { Finding, Severity } from '../model/finding.js';
import type { RuleMeta } from '../rule-api.js';
import { suppressionEdit } from './suppress-action.js';
import { explanationMarkdown } from './hover.js';
import { packageInfo } from '../version.js';

/** Quiet time after the last keystroke before a check starts. */
const DEBOUNCE_MS = 250;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  note: DiagnosticSeverity.Information,
};

interface FindingData {
  ruleId: string;
  fix?: Finding['fix'];
}

export function startServer(
  connection: Connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout),
): void {
  const documents = new TextDocuments(TextDocument);
  const metas = new Map<string, RuleMeta>(
    [...coreRuleMetas, ...rules.map((rule) => rule.meta)].map((meta) => [meta.id, meta]),
  );
  let root: string | undefined;
  /** URIs that got diagnostics from the last check: cleared when the next check finds nothing there. */
  let published = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  /** The last diagnostics per URI: a hover request does not carry them. */
  const diagnosticsAt = new Map<string, Diagnostic[]>();
  const publish = (uri: string, diagnostics: Diagnostic[]) => {
    if (diagnostics.length > 0) diagnosticsAt.set(uri, diagnostics);
    else diagnosticsAt.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics });
  };

  connection.onInitialize((params: InitializeParams) => {
    const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    root = uri ? fileURLToPath(uri) : (params.rootPath ?? undefined);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'archlint' },
    };
  });
  connection.onInitialized(() => schedule(0));

  const schedule = (delay = DEBOUNCE_MS) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (running) {
        again = true;
        return;
      }
      running = check().finally(() => {
        running = undefined;
        if (again) {
          again = false;
          schedule(0);
        }
      });
    }, delay);
  };
  // The input models of the last check, and the files changed since: the next check rebuilds only what they affect.
  const carried = new CarriedInputs();
  const dirty = new Set<string>();
  const touched = (uri: string) => {
    if (!root || !uri.startsWith('file:')) return;
    dirty.add(relative(root, fileURLToPath(uri)).split(sep).join('/'));
  };
  documents.onDidOpen(() => schedule());
  documents.onDidChangeContent((event) => {
    touched(event.document.uri);
    schedule();
  });
  documents.onDidSave(() => schedule(0));
  documents.onDidClose((event) => {
    // Unsaved edits are dropped: the file on disk counts again.
    touched(event.document.uri);
    schedule();
  });
  // A file created, deleted or changed outside the editor (git checkout): check again.
  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) touched(change.uri);
    schedule();
  });

  async function check(): Promise<void> {
    if (!root) return;
    const cwd = root;
    let findings: Finding[];
    try {
      const loaded = await loadConfig({ cwd, knownRuleIds: [...metas.keys()] });
      const overlay = new Map<string, string>();
      for (const document of documents.all()) {
        if (!document.uri.startsWith('file:')) continue;
        const path = relative(cwd, fileURLToPath(document.uri)).split(sep).join('/');
        if (!path.startsWith('..')) overlay.set(path, document.getText());
      }
      // One thread: the open documents' text is given to this thread's reader, which workers would not share.
      carried.invalidate([...dirty]);
      dirty.clear();
      ({ findings } = (await lint({ cwd, paths: ['.'], loaded, rules, threads: 1, overlay, carried })).result);
    } catch (error) {
      connection.console.error(`archlint: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const byUri = new Map<string, Diagnostic[]>();
    for (const finding of findings) {
      const uri = pathToFileURL(resolve(cwd, finding.file)).href;
      const list = byUri.get(uri) ?? [];
      list.push(toDiagnostic(finding, cwd));
      byUri.set(uri, list);
    }
    for (const uri of published) if (!byUri.has(uri)) publish(uri, []);
    for (const [uri, diagnostics] of byUri) publish(uri, diagnostics);
    published = new Set(byUri.keys());
  }

  connection.onHover((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    // The diagnostics the client holds are not sent with a hover: find ours by position.
    const line = params.position.line;
    const hits =
      diagnosticsAt
        .get(params.textDocument.uri)
        ?.filter((d) => d.range.start.line <= line && line <= d.range.end.line) ?? [];
    const meta = hits.map((d) => metas.get(String(d.code))).find((m): m is RuleMeta => m !== undefined);
    return meta ? { contents: { kind: 'markdown', value: explanationMarkdown(meta) } } : null;
  });

  connection.onCodeAction((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const actions: CodeAction[] = [];
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== 'archlint') continue;
      const data = diagnostic.data as FindingData | undefined;
      const ruleId = data?.ruleId ?? String(diagnostic.code);
      if (data?.fix?.text) {
        actions.push({
          title: `archlint: ${data.fix.description}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          // The fix text (a statement to add, a call to change) is inserted after the flagged line.
          edit: {
            changes: {
              [document.uri]: [
                {
                  range: {
                    start: { line: diagnostic.range.end.line + 1, character: 0 },
                    end: { line: diagnostic.range.end.line + 1, character: 0 },
                  },
                  newText: `${data.fix.text}\n`,
                },
              ],
            },
          },
        });
      }
      const suppress = suppressionEdit(document, diagnostic.range.start.line, ruleId);
      if (suppress) {
        actions.push({
          title: `archlint: suppress ${ruleId} on this line`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: { changes: { [document.uri]: [suppress] } },
        });
      }
    }
    return actions;
  });

  documents.listen(connection);
  connection.listen();
}

function toDiagnostic(finding: Finding, cwd: string): Diagnostic {
  const range = {
    start: { line: finding.line - 1, character: finding.column - 1 },
    end: { line: finding.endLine - 1, character: finding.endColumn - 1 },
  };
  const data: FindingData = { ruleId: finding.ruleId, ...(finding.fix ? { fix: finding.fix } : {}) };
  return {
    range,
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    ...(packageInfo.homepage ? { codeDescription: { href: packageInfo.homepage } } : {}),
    source: 'archlint',
    message: finding.fix ? `${finding.message}\n${finding.fix.description}` : finding.message,
    relatedInformation: finding.related.map((related) => ({
      location: {
        uri: pathToFileURL(resolve(cwd, related.file)).href,
        range: {
          start: { line: related.line - 1, character: related.column - 1 },
          end: { line: related.endLine - 1, character: related.endColumn - 1 },
        },
      },
      message: related.message,
    })),
    data,
  };
}
