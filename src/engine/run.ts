/**
 * One lint run: discover files, build the inputs enabled rules need (lazily, once), run the rules,
 * then place, suppress, grade, fingerprint and sort the findings for the reporters.
 */
import { relative, sep } from 'node:path';
import { resolveRuleSettings } from '../config/severity.js';
import { discover } from '../discover/index.js';
import { createTextFiles } from '../inputs/text/index.js';
import { inputProviders, type InputEnv } from '../inputs/registry.js';
import { YamlDocuments } from '../inputs/yaml/documents.js';
import type { LoadedConfig } from '../model/config.js';
import type { FileSet } from '../model/files.js';
import type { Finding, RawFinding, SeveritySetting } from '../model/finding.js';
import type { RunResult } from '../reporters/types.js';
import { isLocated, type InputMap, type InputName, type Rule, type RuleContext, type RuleMeta } from '../rule-api.js';
import { packageInfo } from '../version.js';
import { coreRuleMetas, INTERNAL_ERROR, UNUSED_SUPPRESSION } from './core-rules.js';
import { fingerprint, fingerprintKey } from './fingerprint.js';
import { Locator, type Placement } from './locate.js';
import { formatMessage } from './messages.js';
import { applySuppressions, collectSuppressions } from './suppress.js';

export interface LintOptions {
  /** Absolute current directory: paths in reports are relative to it. */
  cwd: string;
  paths: string[];
  loaded: LoadedConfig;
  /** Every rule archlint knows (rules/index.ts); which run is decided by config, --rule and --only. */
  rules: readonly Rule[];
  cliRules?: Record<string, SeveritySetting>;
  /** Run only these rule ids (core diagnostics still apply). */
  only?: readonly string[];
  maxFileSize?: number;
  log?: (message: string) => void;
}

export interface LintRun {
  result: RunResult;
  fileSet: FileSet;
}

/** A finding after placement, before fingerprinting: what suppression and grading work on. */
export interface PlacedFinding {
  raw: RawFinding;
  placement: Placement;
  severity: Exclude<SeveritySetting, 'off'>;
}

export async function lint(options: LintOptions): Promise<LintRun> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const { cwd, loaded } = options;

  const fileSet = await discover(options.paths, {
    cwd,
    ignore: loaded.config.ignore ?? [],
    ignoreBaseDir: loaded.baseDir,
    ...(options.maxFileSize !== undefined ? { maxFileSize: options.maxFileSize } : {}),
    log,
  });
  log(`${fileSet.files.length} files to check, ${fileSet.skipped.length} skipped`);

  const allMetas = new Map<string, RuleMeta>();
  for (const meta of coreRuleMetas) allMetas.set(meta.id, meta);
  for (const rule of options.rules) allMetas.set(rule.meta.id, rule.meta);
  const defaults = new Map<string, SeveritySetting>([...allMetas.values()].map((meta) => [meta.id, meta.severity]));
  const settings = resolveRuleSettings({ defaults, loaded, cwd, ...(options.cliRules ? { cliRules: options.cliRules } : {}) });

  const only = options.only ? new Set(options.only) : undefined;
  const enabled = options.rules
    .filter((rule) => settings.isEnabled(rule.meta.id) && (!only || only.has(rule.meta.id)))
    .sort((a, b) => compare(a.meta.id, b.meta.id));
  log(`rules: ${enabled.map((rule) => rule.meta.id).join(', ') || '(none)'}`);

  const text = createTextFiles(fileSet);
  const yaml = new YamlDocuments(text);
  const raw: RawFinding[] = [];
  const env: InputEnv = {
    cwd,
    fileSet,
    text,
    yaml,
    config: loaded,
    report: (finding) => raw.push(finding),
    log,
    input: (name) => inputs.get(name) as never,
  };
  const rootLabel = toReportPath(cwd, fileSet.roots[0] ?? cwd);
  const inputs = new InputCache(env, log);

  for (const rule of enabled) {
    const ready = await inputs.require(rule.meta.requires);
    if (!ready.ok) {
      raw.push(internalError(rootLabel, 'input', { input: ready.failed, rules: rule.meta.id, message: ready.message }));
      continue;
    }
    const ruleStarted = performance.now();
    try {
      await rule.check(makeContext(rule, ready.values, settings.options(rule.meta.id), raw));
    } catch (error) {
      log(`rule ${rule.meta.id} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      raw.push(internalError(rootLabel, 'rule', { rule: rule.meta.id, message: errorMessage(error) }));
    }
    log(`rule ${rule.meta.id}: ${Math.round(performance.now() - ruleStarted)} ms`);
  }

  const locator = new Locator(text, yaml);
  const placed: PlacedFinding[] = [];
  for (const finding of raw) {
    const severity = settings.severityFor(finding.ruleId, finding.origin.file);
    if (severity === 'off') continue;
    placed.push({ raw: finding, placement: locator.place(finding.origin), severity });
  }

  const ran = new Set(enabled.map((rule) => rule.meta.id));
  const suppressions = collectSuppressions(text, yaml);
  const { kept, suppressed, unused } = applySuppressions(placed, suppressions, {
    knownRuleIds: new Set(allMetas.keys()),
    ranFor: (ruleId, file) => ran.has(ruleId) && settings.severityFor(ruleId, file) !== 'off',
  });
  for (const leftover of unused) {
    const severity = settings.severityFor(UNUSED_SUPPRESSION, leftover.origin.file);
    if (severity === 'off') continue;
    kept.push({ raw: leftover, placement: locator.place(leftover.origin), severity });
  }

  const findings = finalise(kept, locator);
  const result: RunResult = {
    tool: { name: 'archlint', version: packageInfo.version, informationUri: packageInfo.homepage },
    findings,
    summary: {
      files: fileSet.files.length,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      notes: findings.filter((f) => f.severity === 'note').length,
      suppressed,
      durationMs: Math.round(performance.now() - started),
    },
    rules: metasInResult(allMetas, enabled, findings),
    cwd,
  };
  return { result, fileSet };
}

/** Builds each input once, on first need; a failed input fails every rule that needs it, once each. */
class InputCache {
  private readonly built = new Map<InputName, Promise<unknown>>();

  constructor(
    private readonly env: InputEnv,
    private readonly log: (message: string) => void,
  ) {}

  async require(names: readonly InputName[]): Promise<{ ok: true; values: Partial<InputMap> } | { ok: false; failed: InputName; message: string }> {
    const values: Partial<Record<InputName, unknown>> = {};
    for (const name of names) {
      try {
        values[name] = await this.get(name);
      } catch (error) {
        return { ok: false, failed: name, message: errorMessage(error) };
      }
    }
    return { ok: true, values: values as Partial<InputMap> };
  }

  get(name: InputName): Promise<unknown> {
    let pending = this.built.get(name);
    if (!pending) {
      const started = performance.now();
      const provider = inputProviders[name] as (env: InputEnv) => unknown;
      pending = Promise.resolve()
        .then(() => provider(this.env))
        .then(
          (value) => {
            this.log(`input ${name}: ${Math.round(performance.now() - started)} ms`);
            return value;
          },
          (error: unknown) => {
            this.log(`input ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
            throw error;
          },
        );
      this.built.set(name, pending);
    }
    return pending;
  }
}

function makeContext(rule: Rule, values: Partial<InputMap>, options: Record<string, unknown>, sink: RawFinding[]): RuleContext {
  const { meta } = rule;
  const context = {
    ruleId: meta.id,
    options,
    report(descriptor: Parameters<RuleContext['report']>[0]) {
      const template = (meta.messages as Record<string, string>)[descriptor.messageId];
      if (template === undefined) throw new Error(`rule ${meta.id} reported unknown messageId "${descriptor.messageId}"`);
      sink.push({
        ruleId: meta.id,
        message: formatMessage(template, descriptor.data),
        origin: isLocated(descriptor.at) ? descriptor.at.origin : descriptor.at,
        related: (descriptor.related ?? []).map((r) => ({ origin: isLocated(r.at) ? r.at.origin : r.at, message: r.message })),
        ...(descriptor.fix ? { fix: descriptor.fix } : {}),
        source: sourceOf(descriptor.at, meta.requires),
        ...(descriptor.fingerprintText !== undefined ? { fingerprintText: descriptor.fingerprintText } : {}),
      });
    },
  };
  // Inputs a rule did not declare are not built for it: fail loudly instead of handing it undefined.
  for (const name of Object.keys(inputProviders) as InputName[]) {
    Object.defineProperty(context, name, {
      enumerable: true,
      get() {
        if (!(name in values)) throw new Error(`rule ${meta.id} reads the "${name}" input but does not list it in meta.requires`);
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

/** Places related locations, fingerprints, and sorts: the order and bytes of a report depend only on the input. */
function finalise(kept: PlacedFinding[], locator: Locator): Finding[] {
  const findings = kept.map(({ raw, placement, severity }) => {
    const { region } = placement;
    const finding: Finding = {
      ruleId: raw.ruleId,
      severity,
      message: raw.message,
      file: raw.origin.file,
      ...region,
      fileLevel: placement.fileLevel,
      source: raw.source,
      fingerprint: fingerprintKey(raw.ruleId, raw.origin.file, raw.fingerprintText ?? (placement.sourceText || raw.message)),
      related: raw.related.map((related) => ({ file: related.origin.file, ...locator.place(related.origin).region, message: related.message })),
      ...(raw.fix ? { fix: raw.fix } : {}),
    };
    return finding;
  });
  findings.sort(compareFindings);
  const seen = new Map<string, number>();
  for (const finding of findings) {
    const occurrence = seen.get(finding.fingerprint) ?? 0;
    seen.set(finding.fingerprint, occurrence + 1);
    finding.fingerprint = fingerprint(finding.fingerprint, occurrence);
  }
  return findings;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compare(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    compare(a.ruleId, b.ruleId) ||
    a.endLine - b.endLine ||
    a.endColumn - b.endColumn ||
    compare(a.message, b.message)
  );
}

/** Code-unit order, not locale order: the same on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rules that ran, plus core diagnostics that produced findings: what SARIF lists as descriptors. */
function metasInResult(all: Map<string, RuleMeta>, enabled: readonly Rule[], findings: Finding[]): Map<string, RuleMeta> {
  const ids = new Set([...enabled.map((rule) => rule.meta.id), ...findings.map((finding) => finding.ruleId)]);
  return new Map([...ids].sort(compare).flatMap((id) => (all.has(id) ? [[id, all.get(id)!] as const] : [])));
}

export function toReportPath(cwd: string, absPath: string): string {
  const rel = relative(cwd, absPath);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

