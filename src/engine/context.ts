/** The context a rule's check receives: its declared inputs, its options, and report(). */
import type { RawFinding } from '../model/finding.js';
import { inputProviders } from '../inputs/registry.js';
import { isLocated, type InputMap, type InputName, type Rule, type RuleContext } from '../rule-api.js';
import { formatMessage } from './messages.js';

export function makeContext(
  rule: Rule,
  values: Partial<InputMap>,
  options: Record<string, unknown>,
  sink: RawFinding[],
): RuleContext {
  const { meta } = rule;
  const context = {
    ruleId: meta.id,
    options,
    report(descriptor: Parameters<RuleContext['report']>[0]) {
      const template = (meta.messages as Record<string, string>)[descriptor.messageId];
      if (template === undefined)
        throw new Error(`rule ${meta.id} reported unknown messageId "${descriptor.messageId}"`);
      sink.push({
        ruleId: meta.id,
        message: formatMessage(template, descriptor.data),
        origin: isLocated(descriptor.at) ? descriptor.at.origin : descriptor.at,
        related: (descriptor.related ?? []).map((r) => ({
          origin: isLocated(r.at) ? r.at.origin : r.at,
          message: r.message,
        })),
        ...(descriptor.fix ? { fix: descriptor.fix } : {}),
        source: sourceOf(descriptor.at, meta.requires),
        ...(descriptor.fingerprintText !== undefined ? { fingerprintText: descriptor.fingerprintText } : {}),
        ...(descriptor.severity !== undefined ? { severity: descriptor.severity } : {}),
      });
    },
  };
  // Inputs a rule did not declare are not built for it: fail loudly instead of handing it undefined.
  for (const name of Object.keys(inputProviders) as InputName[]) {
    Object.defineProperty(context, name, {
      enumerable: true,
      get() {
        if (!(name in values))
          throw new Error(`rule ${meta.id} reads the "${name}" input but does not list it in meta.requires`);
        return values[name];
      },
    });
  }
  return context as unknown as RuleContext;
}

const SOURCES = new Set<string>(['openapi', 'typescript', 'sql', 'text']);

/** The "source" field of a finding: the element's own source (an Endpoint's), else the kind of input its rule reads. */
function sourceOf(at: unknown, requires: readonly InputName[]): RawFinding['source'] {
  const own = (at as { source?: unknown }).source;
  if (typeof own === 'string' && SOURCES.has(own)) return own as RawFinding['source'];
  const names = requires as readonly string[];
  if (names.includes('schema')) return 'sql';
  if (names.includes('code')) return 'typescript';
  if (names.includes('http')) return 'openapi';
  return 'text';
}
