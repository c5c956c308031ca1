/**
 * Running rules against inputs: each rule gets the inputs it declared, a rule that throws becomes one
 * `core/internal-error` naming it, an input that failed becomes one naming every rule it stopped, and
 * --verbose hears how long each took. The same on the calling thread and in a worker thread (file-rules.ts).
 */
import type { RawFinding } from '../model/finding.js';
import type { Rule } from '../rule-api.js';
import { coreRuleMetas, INTERNAL_ERROR } from './core-rules.js';
import { makeContext } from './context.js';
import { errorMessage } from './errors.js';
import type { InputCache } from './input-cache.js';
import { formatMessage } from './messages.js';
import type { ProgressSink } from './progress.js';

export interface RuleRun {
  inputs: InputCache;
  /** Options of each rule from the config ({} when none were given). */
  options(ruleId: string): Record<string, unknown>;
  /** Where a failure that has no file of its own is reported: the first lint root, as reports name it. */
  rootLabel: string;
  raw: RawFinding[];
  log(message: string): void;
  progress?: ProgressSink;
  /** Called once a rule has run (or failed). */
  afterRule?(rule: Rule): void | Promise<void>;
}

export async function runRules(rules: readonly Rule[], run: RuleRun): Promise<void> {
  const { inputs, raw, log, progress } = run;
  /** Inputs that failed, with the rules that could not run for it: one cause, one finding naming them all. */
  const failed = new Map<string, { message: string; rules: string[] }>();
  for (const [done, rule] of rules.entries()) {
    const ready = await inputs.require(rule.meta.requires);
    progress?.phase(`running ${rule.meta.id}`, { done, total: rules.length, unit: 'rules' });
    if (!ready.ok) {
      const failure = failed.get(ready.failed) ?? { message: ready.message, rules: [] };
      failure.rules.push(rule.meta.id);
      failed.set(ready.failed, failure);
      await run.afterRule?.(rule);
      continue;
    }
    const ruleStarted = performance.now();
    try {
      await rule.check(makeContext(rule, ready.values, run.options(rule.meta.id), raw));
    } catch (error) {
      log(`rule ${rule.meta.id} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      raw.push(internalError(run.rootLabel, 'rule', { rule: rule.meta.id, message: errorMessage(error) }));
    }
    log(`rule ${rule.meta.id}: ${Math.round(performance.now() - ruleStarted)} ms`);
    await run.afterRule?.(rule);
  }
  for (const [input, { message, rules: skipped }] of failed)
    raw.push(internalError(run.rootLabel, 'input', { input, rules: listed(skipped), message }));
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function internalError(file: string, kind: 'rule' | 'input', data: Record<string, string>): RawFinding {
  const meta = coreRuleMetas.find((m) => m.id === INTERNAL_ERROR)!;
  return {
    ruleId: INTERNAL_ERROR,
    message: formatMessage((meta.messages as Record<string, string>)[kind]!, data),
    origin: { file },
    related: [],
    source: 'core',
  };
}
