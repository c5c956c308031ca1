import type { SeveritySetting } from './finding.js';

/** A rule's setting in config: "off", a severity, or [severity, options]. */
export type RuleSetting = SeveritySetting | [SeveritySetting, Record<string, unknown>];

export interface ConfigOverride {
  files: string[];
  rules: Record<string, RuleSetting>;
}

/** The validated contents of archlint.config.{json,yaml} or package.json "archlint". */
export interface ArchlintConfig {
  rules?: Record<string, RuleSetting>;
  /** gitignore-style patterns, relative to the config file's folder. */
  ignore?: string[];
  overrides?: ConfigOverride[];
  /** Files larger than this are skipped (bytes, or a string like "10MB"). Default 10 MB. */
  maxFileSize?: number | string;
  /**
   * `dialect`: of every migration; `dialects`: globs (relative to the config's folder, matching
   * migration files) → the dialect of the files they match, which wins over `dialect`.
   */
  sql?: {
    dialect?: 'postgres' | 'mysql' | 'mariadb' | 'sqlite';
    dialects?: Record<string, 'postgres' | 'mysql' | 'mariadb' | 'sqlite'>;
    migrations?: string[];
  };
  /**
   * `services`: globs (relative to the config's folder) of descriptions that are the complete
   * contract of a service deployed from this repository, judged like a service in code (health
   * probes). Other descriptions may be a vendor's public API or a partial one.
   */
  openapi?: { services?: string[] };
}

export interface LoadedConfig {
  config: ArchlintConfig;
  /** Absolute path of the file it came from; undefined when none was found. */
  file?: string;
  /** Absolute folder that `ignore` and `overrides` globs are relative to (config folder or cwd). */
  baseDir: string;
}
