import { describe, expect, it } from 'vitest';
import { json } from '../../src/reporters/json.js';
import { sampleFindings, sampleRun } from './sample-run.js';

const FINDING_KEYS = [
  'ruleId',
  'severity',
  'message',
  'file',
  'line',
  'column',
  'endLine',
  'endColumn',
  'source',
  'fingerprint',
  'related',
];

describe('json reporter', () => {
  const out = json(sampleRun(), { color: false });
  const report = JSON.parse(out) as Record<string, unknown> & {
    findings: Array<Record<string, unknown> & { related: Array<Record<string, unknown>> }>;
  };

  it('has exactly the documented shape, keys in order', () => {
    expect(Object.keys(report)).toEqual(['tool', 'findings', 'summary']);
    expect(report.tool).toEqual({ name: 'archlint', version: '0.1.0' });
    expect(Object.keys(report.summary as object)).toEqual([
      'files',
      'errors',
      'warnings',
      'notes',
      'suppressed',
      'durationMs',
    ]);
    expect(Object.keys(report.findings[0]!)).toEqual(FINDING_KEYS);
    expect(Object.keys(report.findings[1]!)).toEqual([...FINDING_KEYS, 'fix']);
    expect(Object.keys(report.findings[1]!.related[0]!)).toEqual([
      'file',
      'line',
      'column',
      'endLine',
      'endColumn',
      'message',
    ]);
  });

  it('round-trips the findings (without internal fields) and omits absent fix parts', () => {
    expect(report.findings).toEqual(sampleFindings.map(({ fileLevel: _fileLevel, ...rest }) => rest));
    expect(report.findings[1]!.fix).toEqual({ description: 'Add `limit` and `cursor` query parameters.' });
    expect('fix' in report.findings[0]!).toBe(false);
  });

  it('is pretty-printed with two spaces', () => {
    expect(out).toBe(`${JSON.stringify(report, null, 2)}\n`);
  });
});
