import { describe, expect, it } from 'vitest';
import { codeCell, escapeCell, markdown } from '../../src/reporters/markdown.js';
import { manyFindings, sampleRun } from './sample-run.js';

const opts = { color: false };

describe('markdown reporter', () => {
  it('escapes table pipes, newlines and HTML in messages', () => {
    expect(escapeCell('a | b\nc <b>x</b> & y')).toBe('a \\| b<br>c &lt;b&gt;x&lt;/b&gt; &amp; y');
    const out = markdown(sampleRun(), opts);
    expect(out).not.toContain('<b>');
    expect(out).toContain('unpaginated \\|<br>wrap it in &lt;b&gt;limit&lt;/b&gt;');
  });

  it('fences code cells longer than any backtick run and escapes their pipes', () => {
    expect(codeCell('a b/x.ts:3')).toBe('`a b/x.ts:3`');
    expect(codeCell('we`ird|name')).toBe('``we`ird\\|name``');
    expect(codeCell('`x')).toBe('`` `x ``');
  });

  it('counts findings per rule, most first, then by id', () => {
    const out = markdown(sampleRun(), opts);
    const rows = out.split('\n').filter((l) => /^\| `[a-z]+\/[a-z-]+` \| /.test(l));
    expect(rows.slice(0, 3).map((r) => r.split(' | ')[0])).toEqual([
      '| `security/no-hardcoded-secrets`',
      '| `api/paginated-lists`',
      '| `db/indexed-foreign-keys`',
    ]);
    expect(out).toContain('**2 errors**, 1 warning, 1 note · 2 suppressed · 42 files checked');
  });

  it('caps the findings table at 50 rows', () => {
    const out = markdown(sampleRun(manyFindings(57, 'warning')), opts);
    const findingRows = out.split('\n').filter((l) => l.startsWith('| `src/many.ts:'));
    expect(findingRows).toHaveLength(50);
    expect(findingRows[49]).toContain('Finding number 50');
    expect(out.endsWith('\n… and 7 more.\n')).toBe(true);
    expect(markdown(sampleRun(manyFindings(50, 'warning')), opts)).not.toContain('more.');
  });

  it('says so when there are no findings', () => {
    expect(markdown(sampleRun([], 0), opts)).toBe('## archlint\n\n✅ No problems found in 42 files.\n');
    expect(markdown(sampleRun([], 3), opts)).toContain('✅ No problems found in 42 files (3 suppressed).');
  });
});
