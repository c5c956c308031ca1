/**
 * SARIF 2.1.0 for GitHub code scanning (and any other SARIF viewer). Rule descriptors come
 * from RuleMeta; the output is checked by Microsoft's validator with GitHub's rules in the tests.
 */
import { pathToFileURL } from 'node:url';
import type {
  Location,
  Log,
  PhysicalLocation,
  ReportingDescriptor,
  Result,
} from 'sarif';
import type { Finding, Severity } from '../model/finding.js';
import type { RuleMeta } from '../rule-api.js';
import type { Reporter } from './types.js';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

/** GitHub ranks security alerts by this score (0–10, as a string); it reads it from rule properties. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', note: '2.0' };

/** The validator (SARIF2001) wants plain-text messages to be sentences ending in a period. */
export function sentence(text: string): string {
  const trimmed = text.trimEnd();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** `db/indexed-foreign-keys` → `IndexedForeignKeys` (SARIF's `name` is an identifier). */
export function ruleName(id: string): string {
  const namePart = id.slice(id.lastIndexOf('/') + 1);
  return namePart
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/**
 * A relative path with `/` separators → a relative URI reference. Each segment is
 * percent-encoded (spaces, `#`, `%`, `?`, non-ASCII…); encoding `:` too keeps a first
 * segment like `c:x` from reading as a URI scheme.
 */
export function toUriReference(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

const LANGUAGES: Record<string, string> = {
  ts: 'typescript',
  tsx: 'tsx',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'jsx',
  mjs: 'javascript',
  cjs: 'javascript',
  json: 'json',
  yaml: 'yaml',
  yml: 'yaml',
  sql: 'sql',
  env: 'dotenv',
  toml: 'toml',
  md: 'markdown',
  sh: 'sh',
};

function fence(path: string, content: string): string {
  const dot = path.lastIndexOf('.');
  const ext = dot >= 0 ? path.slice(dot + 1).toLowerCase() : '';
  const language = LANGUAGES[ext] ?? '';
  // A fence longer than any backtick run in the content, so examples cannot close it early.
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(Math.max(3, longestRun + 1));
  const body = content.endsWith('\n') ? content : `${content}\n`;
  return `\`${path}\`\n\n${ticks}${language}\n${body}${ticks}`;
}

function helpMarkdown(meta: RuleMeta): string {
  const parts = [`**Why**\n\n${sentence(meta.why)}`, `**Fix**\n\n${sentence(meta.fix)}`];
  for (const [label, examples] of [
    ['Bad', meta.examples.bad],
    ['Good', meta.examples.good],
  ] as const) {
    for (const example of examples) {
      const heading = example.description ? `**${label}:** ${example.description}` : `**${label}**`;
      const files = Object.entries(example.files).map(([path, content]) => fence(path, content));
      parts.push([heading, ...files].join('\n\n'));
    }
  }
  return `${parts.join('\n\n')}\n`;
}

function descriptor(id: string, meta: RuleMeta | undefined): ReportingDescriptor {
  // A finding whose rule has no metadata still needs a descriptor for its ruleIndex.
  if (!meta) return { id, name: ruleName(id) };
  const properties: Record<string, unknown> = { tags: [...meta.tags], precision: 'high' };
  if (meta.tags.includes('security')) properties['security-severity'] = SECURITY_SEVERITY[meta.severity];
  return {
    id,
    name: ruleName(id),
    shortDescription: { text: sentence(meta.title) },
    fullDescription: { text: sentence(meta.why) },
    help: {
      text: `${sentence(meta.why)}\n\nFix: ${sentence(meta.fix)}`,
      markdown: helpMarkdown(meta),
    },
    defaultConfiguration: { level: meta.severity },
    properties,
  };
}

function physicalLocation(
  file: string,
  region: { line: number; column: number; endLine: number; endColumn: number } | undefined,
): PhysicalLocation {
  const location: PhysicalLocation = {
    artifactLocation: { uri: toUriReference(file), uriBaseId: SRCROOT },
  };
  if (region) {
    location.region = {
      startLine: region.line,
      startColumn: region.column,
      endLine: region.endLine,
      endColumn: region.endColumn,
    };
  }
  return location;
}

function result(f: Finding, ruleIndex: number): Result {
  // SARIF fixes need artifactChanges (exact edits); ours are advice, so they go in the text.
  const text = f.fix ? `${sentence(f.message)} Fix: ${sentence(f.fix.description)}` : sentence(f.message);
  const out: Result = {
    ruleId: f.ruleId,
    ruleIndex,
    level: f.severity,
    message: { text },
    locations: [{ physicalLocation: physicalLocation(f.file, f.fileLevel ? undefined : f) }],
  };
  if (f.related.length > 0) {
    out.relatedLocations = f.related.map(
      (r, i): Location => ({
        id: i,
        physicalLocation: physicalLocation(r.file, r),
        message: { text: sentence(r.message) },
      }),
    );
  }
  out.partialFingerprints = { primaryLocationLineHash: f.fingerprint };
  return out;
}

export function toSarifLog(run: Parameters<Reporter>[0]): Log {
  const ids = [...new Set([...run.rules.keys(), ...run.findings.map((f) => f.ruleId)])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const index = new Map(ids.map((id, i) => [id, i]));
  const cwdUrl = pathToFileURL(run.cwd).href;
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: run.tool.name,
            version: run.tool.version,
            semanticVersion: run.tool.version,
            informationUri: run.tool.informationUri,
            rules: ids.map((id) => descriptor(id, run.rules.get(id))),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: cwdUrl.endsWith('/') ? cwdUrl : `${cwdUrl}/` } },
        results: run.findings.map((f) => result(f, index.get(f.ruleId)!)),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

export const sarif: Reporter = (run) => `${JSON.stringify(toSarifLog(run), null, 2)}\n`;
