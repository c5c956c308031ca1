/**
 * SARIF 2.1.0 for GitHub code scanning (and any other SARIF viewer). Rule descriptors come
 * from RuleMeta; the output is checked by Microsoft's validator with GitHub's rules in the tests.
 */
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import type { Location, Log, PhysicalLocation, ReportingDescriptor, Result } from 'sarif';
import type { Finding, Severity } from '../model/finding.js';
import type { RuleMeta } from '../rule-api.js';
import { rootPath, type Reporter, type ReporterOptions, type RunResult } from './types.js';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

/**
 * What GitHub code scanning accepts in one upload ("SARIF support for code scanning", upload
 * limits); past them it rejects the file or drops data silently. The file limit is 10 MB
 * gzip-compressed; we stay under 10,000,000 bytes to leave room for rounding either way.
 */
export const GITHUB_LIMITS = {
  resultsPerRun: 25_000,
  locationsPerResult: 1_000,
  relatedLocationsPerResult: 1_000,
  gzippedBytes: 10_000_000,
} as const;

const RANK: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

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

/** A rule's help in Markdown: why, how to fix, the bad and good examples (also the editor's hover). */
export function helpMarkdown(meta: RuleMeta): string {
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

function result(f: Finding, ruleIndex: number, path: (file: string) => string): Result {
  // SARIF fixes need artifactChanges (exact edits); ours are advice, so they go in the text.
  const text = f.fix ? `${sentence(f.message)} Fix: ${sentence(f.fix.description)}` : sentence(f.message);
  const out: Result = {
    ruleId: f.ruleId,
    ruleIndex,
    level: f.severity,
    message: { text },
    locations: [{ physicalLocation: physicalLocation(path(f.file), f.fileLevel ? undefined : f) }],
  };
  if (f.related.length > 0) {
    out.relatedLocations = f.related.slice(0, GITHUB_LIMITS.relatedLocationsPerResult).map(
      (r, i): Location => ({
        id: i,
        physicalLocation: physicalLocation(path(r.file), r),
        message: { text: sentence(r.message) },
      }),
    );
  }
  out.partialFingerprints = { primaryLocationLineHash: f.fingerprint };
  return out;
}

export function toSarifLog(run: RunResult, options: Pick<ReporterOptions, 'category'> = {}): Log {
  return sarifWithinLimits(run, options).log;
}

export interface SarifReport {
  log: Log;
  text: string;
  /** What was left out to stay within GITHUB_LIMITS; zeros when nothing was. */
  cut: { results: number; relatedLocations: number };
}

/**
 * The SARIF log, cut to GitHub's limits when it must be. The cut is deterministic: findings are
 * kept by severity (errors, then warnings, then notes) and, within one severity, in report order
 * (file, line, column, rule); the kept results stay in report order.
 */
export function sarifWithinLimits(run: RunResult, options: Pick<ReporterOptions, 'category'> = {}): SarifReport {
  const byPriority = run.findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => RANK[a.finding.severity] - RANK[b.finding.severity] || a.index - b.index);
  let keep = Math.min(byPriority.length, GITHUB_LIMITS.resultsPerRun);
  for (;;) {
    const kept = byPriority
      .slice(0, keep)
      .sort((a, b) => a.index - b.index)
      .map((k) => k.finding);
    const log = buildLog(run, kept, options.category);
    const text = `${JSON.stringify(log, null, 2)}\n`;
    const size = keep === 0 ? 0 : gzipSync(text).length;
    if (size <= GITHUB_LIMITS.gzippedBytes) {
      const relatedLocations = kept.reduce(
        (n, f) => n + Math.max(0, f.related.length - GITHUB_LIMITS.relatedLocationsPerResult),
        0,
      );
      return { log, text, cut: { results: run.findings.length - keep, relatedLocations } };
    }
    // Results are of similar size: scale down in proportion, with a margin, until it fits.
    keep = Math.min(keep - 1, Math.floor((keep * GITHUB_LIMITS.gzippedBytes * 0.95) / size));
  }
}

/** The one-line warning for standard error when the SARIF report was cut, else undefined. */
export function sarifCutWarning(cut: SarifReport['cut'], total: number): string | undefined {
  if (cut.results === 0 && cut.relatedLocations === 0) return undefined;
  const parts: string[] = [];
  if (cut.results > 0) parts.push(`${total - cut.results} of ${total} findings (the rest are the lowest severities)`);
  if (cut.relatedLocations > 0)
    parts.push(
      `${cut.relatedLocations} related locations left out (at most ${GITHUB_LIMITS.relatedLocationsPerResult} per result)`,
    );
  return (
    `archlint: warning: the SARIF report holds ${parts.join('; ')} to stay within GitHub code scanning's upload limits ` +
    `(${GITHUB_LIMITS.resultsPerRun} results per run, 10 MB gzipped); the other reports have every finding.`
  );
}

function buildLog(run: RunResult, findings: Finding[], category: string | undefined): Log {
  const ids = [...new Set([...run.rules.keys(), ...findings.map((f) => f.ruleId)])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const index = new Map(ids.map((id, i) => [id, i]));
  const root = run.root ?? run.cwd;
  const rootUrl = pathToFileURL(root).href;
  const path = (file: string) => rootPath(run, file);
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
        // GitHub reads the category from the id up to its last "/" (upload-sarif's own `category` input writes it so too).
        ...(category !== undefined
          ? { automationDetails: { id: category.endsWith('/') ? category : `${category}/` } }
          : {}),
        originalUriBaseIds: { [SRCROOT]: { uri: rootUrl.endsWith('/') ? rootUrl : `${rootUrl}/` } },
        results: findings.map((f) => result(f, index.get(f.ruleId)!, path)),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

export const sarif: Reporter = (run, options) => sarifWithinLimits(run, options).text;
