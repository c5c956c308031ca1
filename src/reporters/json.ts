/**
 * The JSON report: a stable, documented contract (see design.md, "JSON report").
 * Objects are built key by key so the key order is part of the output, not an accident
 * of how the engine happened to construct its findings.
 */
import type { Finding, RelatedLocation } from '../model/finding.js';
import type { Reporter } from './types.js';

export interface JsonRelated {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export interface JsonFinding {
  ruleId: string;
  severity: Finding['severity'];
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  source: Finding['source'];
  fingerprint: string;
  related: JsonRelated[];
  fix?: { description: string; text?: string };
}

export interface JsonReport {
  tool: { name: string; version: string };
  findings: JsonFinding[];
  /**
   * Spelled out rather than RunSummary: the contract is frozen, while RunSummary grows fields
   * for other reports (baseline, changedSince) that must not appear here.
   */
  summary: {
    files: number;
    errors: number;
    warnings: number;
    notes: number;
    suppressed: number;
    durationMs: number;
  };
}

function related(r: RelatedLocation): JsonRelated {
  return {
    file: r.file,
    line: r.line,
    column: r.column,
    endLine: r.endLine,
    endColumn: r.endColumn,
    message: r.message,
  };
}

function finding(f: Finding): JsonFinding {
  const out: JsonFinding = {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    source: f.source,
    fingerprint: f.fingerprint,
    related: f.related.map(related),
  };
  // `fix` is absent rather than null when there is none; `text` likewise.
  if (f.fix) {
    out.fix =
      f.fix.text === undefined
        ? { description: f.fix.description }
        : { description: f.fix.description, text: f.fix.text };
  }
  return out;
}

export function toJsonReport(result: Parameters<Reporter>[0]): JsonReport {
  const s = result.summary;
  return {
    tool: { name: result.tool.name, version: result.tool.version },
    findings: result.findings.map(finding),
    summary: {
      files: s.files,
      errors: s.errors,
      warnings: s.warnings,
      notes: s.notes,
      suppressed: s.suppressed,
      durationMs: s.durationMs,
    },
  };
}

export const json: Reporter = (result) => `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
