import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, github } from '../../src/reporters/github.js';
import type { Finding } from '../../src/model/finding.js';
import { manyFindings, sampleFindings, sampleRun, TRICKY_MESSAGE } from './sample-run.js';

const opts = { color: false };

function linesOf(output: string): string[] {
  return output.trimEnd().split('\n');
}

describe('github reporter', () => {
  it('escapes data and properties as actions/toolkit does', () => {
    expect(escapeData('100% a:b,c\r\nd')).toBe('100%25 a:b,c%0D%0Ad');
    expect(escapeProperty('100% a:b,c\r\nd')).toBe('100%25 a%3Ab%2Cc%0D%0Ad');
  });

  it('keeps a multi-line message on one command line, with the fix after an escaped newline', () => {
    const line = linesOf(github(sampleRun(), opts)).find((l) => l.startsWith('::warning'));
    expect(TRICKY_MESSAGE).toContain('\n');
    expect(line).toBe(
      '::warning file=api/openapi.yaml,line=12,col=5,endLine=12,endColumn=8,title=api/paginated-lists::' +
        'GET /items: returns 100%25 of rows, unpaginated |%0Awrap it in <b>limit</b>' +
        '%0AAdd `limit` and `cursor` query parameters.',
    );
  });

  it('escapes `:` and `,` in properties (file and title)', () => {
    const f: Finding = { ...sampleFindings[2]!, file: 'a:b,c%.ts', ruleId: 'x/y,z:w', fix: undefined };
    expect(github(sampleRun([f]), opts)).toBe(
      '::error file=a%3Ab%2Cc%25.ts,line=3,col=14,endLine=3,endColumn=39,title=x/y%2Cz%3Aw::' +
        "Hard-coded Stripe secret key 'sk_l…89'\n",
    );
  });

  it('emits only file and title for a file-level finding, and no columns across lines', () => {
    const lines = linesOf(github(sampleRun(), opts));
    expect(lines[0]).toBe(
      '::error file=.env,title=security/no-hardcoded-secrets::The file .env is committed and holds secrets',
    );
    expect(lines[3]).toMatch(/^::notice file=db\/migrations\/0003_items\.sql,line=9,endLine=11,title=/);
  });

  it('turns the exclusive end column into an inclusive one, never before the start', () => {
    const f: Finding = { ...manyFindings(1, 'error')[0]!, column: 4, endColumn: 4 };
    expect(github(sampleRun([f]), opts)).toContain(',col=4,endLine=1,endColumn=4,');
  });

  it('emits every annotation and counts those beyond 10 per level', () => {
    const findings = [...manyFindings(13, 'error'), ...manyFindings(10, 'warning'), ...manyFindings(12, 'note')];
    const lines = linesOf(github(sampleRun(findings), opts));
    expect(lines).toHaveLength(36);
    expect(lines.filter((l) => l.startsWith('::notice ')).length).toBe(12);
    expect(lines[35]).toBe(
      'archlint: 5 findings were not annotated (GitHub shows at most 10 per level per step); ' +
        'see the SARIF report or the step summary.',
    );
  });

  it('has no footer at exactly 10 per level', () => {
    const out = github(sampleRun(manyFindings(10, 'error')), opts);
    expect(out).not.toContain('not annotated');
  });

  it('says so in one plain line when there is nothing to annotate', () => {
    expect(github(sampleRun([], 0), opts)).toBe('archlint: no problems in 42 files.\n');
  });
});
