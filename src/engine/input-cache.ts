/** Builds each input once per run, on first need; a failed input fails every rule that needs it. */
import type { InputEnv } from '../inputs/registry.js';
import { inputProviders } from '../inputs/registry.js';
import type { InputMap, InputName } from '../rule-api.js';
import type { CarriedInputs } from './carried-inputs.js';
import type { RawFinding } from '../model/finding.js';
import { errorMessage } from './errors.js';

export class InputCache {
  private readonly built = new Map<InputName, Promise<unknown>>();

  private env: InputEnv | undefined;

  constructor(
    private readonly log: (message: string) => void,
    /** Hears each input as it starts being built (the progress line). */
    private readonly onBuild?: (name: InputName) => void,
    /** Models kept from the previous run of a long-running process (`--watch`): reused, then kept again. */
    private readonly carried?: CarriedInputs,
    /** Called once an input is built, before the rules that wait on it run (a checkpoint for the collector). */
    private readonly afterBuild?: () => Promise<unknown>,
  ) {}

  /** The env is created after the cache (it hands the cache to providers), so it is set here. */
  bind(env: InputEnv): void {
    this.env = env;
  }

  async require(
    names: readonly InputName[],
  ): Promise<{ ok: true; values: Partial<InputMap> } | { ok: false; failed: InputName; message: string }> {
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

  /** Whether the input was asked for (is built or being built). */
  has(name: InputName): boolean {
    return this.built.has(name);
  }

  get(name: InputName): Promise<unknown> {
    let pending = this.built.get(name);
    if (!pending) {
      const started = performance.now();
      const provider = inputProviders[name] as (env: InputEnv) => unknown;
      const kept = this.carried?.take(name);
      if (kept) {
        for (const finding of kept.reports) this.env!.report(finding);
        this.log(`input ${name}: reused from the previous run`);
        pending = Promise.resolve(kept.value);
        this.built.set(name, pending);
        return pending;
      }
      // What this input reports while it is built, kept with it (a reused model reports it again).
      const reports: RawFinding[] = [];
      const env: InputEnv = this.carried
        ? {
            ...this.env!,
            report: (finding) => {
              reports.push(finding);
              this.env!.report(finding);
            },
          }
        : this.env!;
      pending = Promise.resolve()
        .then(() => {
          this.onBuild?.(name);
          return provider(env);
        })
        .then(
          async (value) => {
            this.log(`input ${name}: ${Math.round(performance.now() - started)} ms`);
            this.carried?.keep(name, { value, reports });
            await this.afterBuild?.();
            return value;
          },
          (error: unknown) => {
            this.log(
              `input ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
            );
            throw error;
          },
        );
      this.built.set(name, pending);
    }
    return pending;
  }
}
