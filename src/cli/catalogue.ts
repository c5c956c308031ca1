/** Every rule's metadata the CLI can show: the engine's core diagnostics and the checklist rules. */
import { rules } from '../../rules/index.js';
import { coreRuleMetas } from '../engine/core-rules.js';
import type { RuleMeta } from '../rule-api.js';

export function allRuleMetas(): RuleMeta[] {
  return [...rules.map((rule) => rule.meta), ...coreRuleMetas].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
