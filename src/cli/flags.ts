/** The lint command's flags and their allowed values (shared by the command line and the lint command). */
export const FORMATS = ['pretty', 'json', 'sarif', 'github', 'markdown'] as const;
export const FAIL_LEVELS = ['error', 'warning', 'note', 'never'] as const;

export interface LintFlags {
  format: string[];
  output?: string;
  config?: string;
  rule: string[];
  only?: string;
  failOn: (typeof FAIL_LEVELS)[number];
  quiet?: boolean;
  /** --color / --no-color; undefined: FORCE_COLOR, NO_COLOR, then whether standard output is a terminal. */
  color?: boolean;
  /** Exit 1 when more warnings than this are reported (after the baseline and --changed-since). */
  maxWarnings?: number;
  /** false with --no-ignore: .gitignore files and the config's `ignore` are not applied. */
  ignore?: boolean;
  /** SARIF `automationDetails.id`, so several archlint uploads for one commit stay apart. */
  category?: string;
  verbose?: boolean;
  /** Report only findings on lines changed since the merge base of this git ref and HEAD. */
  changedSince?: string;
  /** Hide the findings recorded in this baseline file. */
  baseline?: string;
  /** Record every finding of the run in this baseline file. */
  writeBaseline?: string;
  /** Reuse the previous run's findings when no input changed. */
  cache?: boolean;
  /** Folder of the cache (implies --cache); default the user cache folder's archlint/<repo>-<hash> (cache-location.ts). */
  cacheLocation?: string;
  /** Add the architecture map (Mermaid, collapsed) to the Markdown report; with --changed-since, what the change touches. */
  map?: boolean;
  /** Threads for parsing, the main one included; default 1 (no worker threads). */
  threads?: number;
  /** Lint again whenever a file under the paths changes, printing only the findings that appeared or went away. */
  watch?: boolean;
}
