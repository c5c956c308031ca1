/** What an input is given: the run's files, config and limits, and where it reports what it could not read. */
import type { LoadedConfig } from '../model/config.js';
import type { FileSet, TextFiles } from '../model/files.js';
import type { RawFinding } from '../model/finding.js';
import type { InputMap, InputName } from '../rule-api.js';
import type { YamlDocuments } from './yaml/documents.js';

export interface InputEnv {
  cwd: string;
  fileSet: FileSet;
  text: TextFiles;
  yaml: YamlDocuments;
  config: LoadedConfig;
  /** Report a `core/parse-error` (or another core diagnostic) about a file. */
  report(finding: RawFinding): void;
  /** Threads a parse step may use, the calling one included (`--threads`; 1 = no worker threads). */
  threads: number;
  /** --verbose output. */
  log(message: string): void;
  /** Another input, built once per run (an input may build on others: `http` on `openapi` and `routes`). */
  input<K extends InputName>(name: K): Promise<InputMap[K]>;
  /**
   * Where code files are reached from (CodeFile.reach), judged over the whole tree: given to a batch of
   * files checked apart from the others (file-rules.ts), which cannot see the importers.
   */
  codeReach?: ReadonlyMap<string, import('../model/code.js').CodeReach>;
  /** CodeModel.remoteRepositories judged over the whole tree, for a batch checked apart (like codeReach). */
  remoteRepositories?: ReadonlySet<string>;
  /** CodeModel.loopbackImports judged over the whole tree, for a batch checked apart (like codeReach). */
  loopbackImports?: ReadonlySet<string>;
  /**
   * The code files whose syntax trees the rules of the run will read (the union of their Rule.codeTrees):
   * the code model keeps those trees rather than parse them again.
   */
  treesWanted?: (file: import('../model/code.js').CodeFile) => boolean;
  /**
   * false: the routes input checks the syntax of no file beyond those it parses (`archlint routes`, which reports
   * no finding: only how many files it could not parse and may hide routes, and a file the router graph did not
   * need cannot hide one). Otherwise every linted file is checked, for its `core/parse-error`.
   */
  checkSyntax?: boolean;
  /**
   * Syntax trees kept from the previous run of a long-running process (`archlint lsp`, `--watch`): the code input
   * parses again only the files whose text changed (code/carried-trees.ts). Absent in a CLI run.
   */
  carriedTrees?: import('./code/carried-trees.js').CarriedTrees;
  /**
   * The reach judgement of the previous run of a long-running process and the per-file facts it was made from
   * (code/reach-facts.ts): judged again only when something it reads changed. Absent in a CLI run.
   */
  carriedReach?: import('./code/reach-facts.js').CarriedReach;
  /** Let swagger-parser compile the OpenAPI JSON Schemas at run time, as before openapi/schemas.ts (tests compare the two). */
  runtimeSchemaValidators?: boolean;
}
