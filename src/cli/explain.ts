/** `archlint explain <id>`: why the rule exists, how to fix its findings, and its examples, for a terminal. */
import { Chalk, type ChalkInstance } from 'chalk';
import { didYouMean } from '../config/suggest.js';
import { UsageError } from '../errors.js';
import type { RuleExample, RuleMeta } from '../rule-api.js';
import { allRuleMetas } from './catalogue.js';
import { useColor } from './color.js';
import type { CliIo } from './io.js';

export async function runExplain(id: string, flags: { color?: boolean }, io: CliIo): Promise<number> {
  const metas = allRuleMetas();
  const meta = metas.find((m) => m.id === id);
  if (!meta) {
    throw new UsageError(
      `unknown rule id "${id}"${didYouMean(
        id,
        metas.map((m) => m.id),
      )}; "archlint rules" lists them`,
    );
  }
  const width = Math.min(Math.max((io.stdout as { columns?: number }).columns ?? 88, 40), 100);
  io.stdout.write(renderExplanation(meta, new Chalk({ level: useColor(flags.color, io) ? 1 : 0 }), width));
  return 0;
}

export function renderExplanation(meta: RuleMeta, c: ChalkInstance, width = 88): string {
  const severity =
    meta.severity === 'error'
      ? c.red(meta.severity)
      : meta.severity === 'warning'
        ? c.yellow(meta.severity)
        : c.cyan(meta.severity);
  const facts = [
    severity,
    meta.requires.length ? `reads ${meta.requires.join(', ')}` : undefined,
    meta.tags.length ? `tags: ${meta.tags.join(', ')}` : undefined,
  ];
  const out: string[] = [
    `${c.bold(meta.id)}  ${facts.filter(Boolean).join(c.dim('  ·  '))}`,
    meta.title,
    '',
    c.bold('Why'),
    ...wrap(meta.why, width - 2).map((l) => `  ${l}`),
    '',
    c.bold('How to fix'),
    ...wrap(meta.fix, width - 2).map((l) => `  ${l}`),
  ];
  const examples = [
    ...meta.examples.bad.map((e) => ({ example: e, good: false })),
    ...meta.examples.good.map((e) => ({ example: e, good: true })),
  ];
  if (examples.length > 0) {
    out.push('', c.bold('Examples'));
    for (const { example, good } of examples) out.push('', ...renderExample(example, good, c));
  }
  out.push('', c.dim(`Silence one place with a comment: archlint-disable-next-line ${meta.id} -- <reason>`));
  return `${out.join('\n')}\n`;
}

function renderExample(example: RuleExample, good: boolean, c: ChalkInstance): string[] {
  const label = good ? c.green('✓ good') : c.red('✗ bad');
  const lines = [`  ${label}${example.description ? `  ${example.description}` : ''}`];
  for (const [path, code] of Object.entries(example.files)) {
    lines.push(c.dim(`    ── ${path}`));
    const body = code.replace(/\n$/, '').split('\n');
    const digits = String(body.length).length;
    body.forEach((text, index) => {
      lines.push(`    ${c.dim(String(index + 1).padStart(digits))}  ${text}`);
    });
  }
  return lines;
}

/** Greedy word wrap; long words stay whole; blank lines separate paragraphs. */
export function wrap(text: string, width: number): string[] {
  const paragraphs = text.split(/\n\s*\n/).map((paragraph) => {
    const lines: string[] = [];
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    if (line) lines.push(line);
    return lines;
  });
  return paragraphs.filter((p) => p.length > 0).flatMap((p, i) => (i === 0 ? p : ['', ...p]));
}
