/**
 * Which severity (and options) a rule has in a given file: rule default, then config `rules`,
 * then each matching override in order (later wins), then CLI --rule (wins over all).
 */
import path from 'node:path';
import type { LoadedConfig, RuleSetting } from '../model/config.js';
import type { SeveritySetting } from '../model/finding.js';
import { compileFiles } from './globs.js';

export interface ResolvedRuleSettings {
  /** severity for a rule in a given file (relative path, '/' separators, relative to cwd), after rules, overrides (in order, later wins), and CLI --rule (wins over all); 'off' = disabled there */
  severityFor(ruleId: string, file: string): SeveritySetting;
  /** rule enabled anywhere (base setting or any override turns it on) */
  isEnabled(ruleId: string): boolean;
  /**
   * Options from the [severity, {options}] form in `rules`. With `file`, options of matching
   * overrides are merged over them (shallow, later wins).
   */
  options(ruleId: string, file?: string): Record<string, unknown>;
}

export interface ResolveRuleSettingsInput {
  /** Default severity of every known rule (from its meta). Ids not here and not configured are 'off'. */
  defaults: ReadonlyMap<string, SeveritySetting>;
  loaded: LoadedConfig;
  cwd: string;
  cliRules?: Record<string, SeveritySetting>;
}

const severityOf = (setting: RuleSetting): SeveritySetting => (Array.isArray(setting) ? setting[0] : setting);
const optionsOf = (setting: RuleSetting | undefined) => (Array.isArray(setting) ? setting[1] : undefined);

export function resolveRuleSettings(input: ResolveRuleSettingsInput): ResolvedRuleSettings {
  const { defaults, loaded, cliRules = {} } = input;
  const cwd = path.resolve(input.cwd);
  const baseRules = loaded.config.rules ?? {};
  const overrides = (loaded.config.overrides ?? []).map((o) => ({ rules: o.rules ?? {}, test: compileFiles(o.files) }));
  const has = (record: object, id: string) => Object.hasOwn(record, id);

  // Findings come many per file: remember which overrides apply to each file.
  const applying = new Map<string, Array<Record<string, RuleSetting>>>();
  function overridesFor(file: string): Array<Record<string, RuleSetting>> {
    let list = applying.get(file);
    if (!list) {
      const relative = path.relative(loaded.baseDir, path.resolve(cwd, file)).split(path.sep).join('/');
      list = overrides.filter((o) => o.test(relative)).map((o) => o.rules);
      applying.set(file, list);
    }
    return list;
  }

  const baseSeverity = (id: string): SeveritySetting =>
    has(baseRules, id) ? severityOf(baseRules[id]!) : (defaults.get(id) ?? 'off');

  return {
    severityFor(ruleId, file) {
      if (has(cliRules, ruleId)) return cliRules[ruleId]!;
      let severity = baseSeverity(ruleId);
      for (const rules of overridesFor(file)) if (has(rules, ruleId)) severity = severityOf(rules[ruleId]!);
      return severity;
    },
    isEnabled(ruleId) {
      if (has(cliRules, ruleId)) return cliRules[ruleId] !== 'off';
      if (baseSeverity(ruleId) !== 'off') return true;
      return overrides.some((o) => has(o.rules, ruleId) && severityOf(o.rules[ruleId]!) !== 'off');
    },
    options(ruleId, file) {
      const merged: Record<string, unknown> = {
        ...(has(baseRules, ruleId) ? optionsOf(baseRules[ruleId]) : undefined),
      };
      if (file !== undefined) {
        for (const rules of overridesFor(file)) if (has(rules, ruleId)) Object.assign(merged, optionsOf(rules[ruleId]));
      }
      return merged;
    },
  };
}
