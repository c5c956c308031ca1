/**
 * The README is how a team adopts archlint, so it may not fall behind the code or lose a section:
 * every CLI option of every command, every Action input and output, every rule, the sections a
 * team needs (install, options, config, report formats and the JSON contract, baseline and changed
 * lines, the Action workflow with its SARIF upload, pre-commit, other CI, suppressions, rules,
 * dependencies), and every in-page link lands on a heading.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { allRuleMetas } from '../src/cli/catalogue.js';
import { runCli } from './harness/cli.js';

const ROOT = new URL('..', import.meta.url).pathname;
const readme = readFileSync(`${ROOT}README.md`, 'utf8');

/** GitHub's heading anchors: lower case, punctuation dropped (not `-` or `_`), spaces to `-`. */
// biome-ignore lint/suspicious/noExportsInTest: docs.test.ts links to README headings with the same slug rule.
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Headings outside fenced code blocks (a `# comment` in a shell block is not one). */
function headings(markdown: string): string[] {
  let fenced = false;
  const found: string[] = [];
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced && /^#{1,6} /.test(line)) found.push(line.replace(/^#+ /, ''));
  }
  return found;
}

/** The `--long` options a command's help lists. */
async function optionsOf(command: string[]): Promise<string[]> {
  const help = (await runCli([...command, '--help'])).stdout;
  return [...help.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((o) => o !== '--help');
}

/** The text of one `## ` section, up to the next. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start, `README has no "## ${title}" section`).toBeGreaterThanOrEqual(0);
  const next = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, next < 0 ? undefined : next);
}

describe('README', () => {
  it('keeps every adoption section', () => {
    const found = headings(readme);
    for (const title of [
      'Use it on another repository',
      'Rules',
      'Report formats',
      'The JSON contract',
      "SARIF and GitHub's limits",
      'Only what is new: baseline and changed lines',
      'GitHub Action and code scanning',
      'Pre-commit',
      'Other CI',
      'Configuration',
      'Suppressing a finding',
      'Dependencies, and why each is there',
      'Developing',
    ]) {
      expect(found, `README lost the "${title}" section`).toContain(title);
    }
    expect(readme).toContain('npm install --save-dev archlint');
    expect(readme).toContain('npm install --save-dev github:archlint/archlint');
    expect(readme).toMatch(/\*\*Exit codes:\*\*/);
  });

  it('documents every option of every command', async () => {
    const usage = section('Use it on another repository');
    const lint = await optionsOf(['lint']);
    expect(lint.length).toBeGreaterThan(15);
    for (const option of [...lint, '--version'])
      expect(usage, `README does not document ${option}`).toMatch(new RegExp(`\`(-\\w, )?${option}(?![\\w-])`));
    for (const command of ['rules', 'explain', 'routes', 'init']) {
      for (const option of await optionsOf([command])) {
        expect(usage, `README does not document ${command} ${option}`).toMatch(
          new RegExp(`\`[^\`]*${option}(?![\\w-])`),
        );
      }
    }
  });

  it('documents every Action input and output, and shows a workflow that uploads the SARIF file', () => {
    const action = parse(readFileSync(`${ROOT}action.yml`, 'utf8')) as {
      inputs: Record<string, { default: string }>;
      outputs: Record<string, unknown>;
    };
    const text = section('GitHub Action and code scanning');
    for (const [name, input] of Object.entries(action.inputs)) {
      const row = text.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row, `README does not document the input ${name}`).toBeDefined();
      const shownDefault = row!.split('|')[2]!.trim().replace(/`/g, '');
      expect(shownDefault, `README shows a wrong default for ${name}`).toBe(input.default);
    }
    for (const name of Object.keys(action.outputs))
      expect(text, `README does not document the output ${name}`).toMatch(new RegExp(`\\| [^\\n]*\`${name}\``));
    expect(text).toContain('github/codeql-action/upload-sarif');
    expect(text).toContain('security-events: write');
    expect(text).toContain('steps.archlint.outputs.sarif-file');
  });

  it('names every rule', () => {
    for (const meta of allRuleMetas()) expect(readme, `README does not name ${meta.id}`).toContain(`\`${meta.id}\``);
  });

  it('has no link to a heading that does not exist', () => {
    const anchors = new Set(headings(readme).map(slug));
    const links = [...readme.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(3);
    expect(links.filter((link) => !anchors.has(link))).toEqual([]);
  });

  it('slugs as GitHub does, and catches a broken link', () => {
    expect(slug("SARIF and GitHub's limits")).toBe('sarif-and-githubs-limits');
    expect(slug('Only what is new: baseline and changed lines')).toBe('only-what-is-new-baseline-and-changed-lines');
    expect(slug('Dependencies, and why each is there')).toBe('dependencies-and-why-each-is-there');
    const broken = '# A\n\n[x](#a) [y](#gone)\n';
    const anchors = new Set(headings(broken).map(slug));
    expect([...broken.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!).filter((l) => !anchors.has(l))).toEqual(['gone']);
  });
});
