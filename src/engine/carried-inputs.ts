/**
 * Input models kept from one run to the next in a process that lints the same tree again and again
 * (`archlint --watch`): an input none of whose files changed is reused, with the diagnostics
 * (`core/parse-error`…) it reported when it was built, instead of being built again. A SQL migration
 * edited on a large service then costs the schema fold and the rules, not the TypeScript parse and
 * the route graph.
 *
 * Which inputs a change can affect is judged from the changed path alone, erring on the side of
 * rebuilding: a `.sql` file can only change the schema; a YAML or JSON file (an OpenAPI description,
 * a Liquibase changelog) the descriptions, the HTTP model and the schema; anything else — code,
 * `package.json`, `tsconfig.json`, a Prisma schema, archlint's config, a deleted folder — everything.
 * What a rebuilt model is made from is kept finer: each code file's syntax tree (`trees`), and what
 * the file-scoped rules found in each file (`fileResults`), reused while the file's text is the same;
 * the reach judgement (`reach`), while nothing it reads changed; and discovery (`discovery`), while the
 * disk says nothing changed — which also tells the changes no editor or watcher announced (`drop`).
 */
import type { RawFinding } from '../model/finding.js';
import type { InputName } from '../rule-api.js';
import { CarriedTrees } from '../inputs/code/carried-trees.js';
import { CarriedReach } from '../inputs/code/reach-facts.js';
import { CarriedDiscovery } from '../discover/carried.js';
import { CarriedFileResults } from './carried-file-results.js';

export interface CarriedInput {
  value: unknown;
  /** What the input reported while it was built (raw: placed again by each run). */
  reports: RawFinding[];
}

const SQL_ONLY: readonly InputName[] = ['schema'];
const DATA_FILE: readonly InputName[] = ['schema', 'openapi', 'http'];
/**
 * JSON files the code inputs read (workspaces, path aliases, a Worker's `main`, which CodeFile.reach starts
 * from): a change there is a code change.
 */
const CODE_JSON = /(^|\/)((package|tsconfig[\w.-]*|jsconfig)\.json|wrangler\.jsonc?)$/;
const ARCHLINT_CONFIG = /(^|\/)(\.?archlint[\w.-]*)$/;

export class CarriedInputs {
  private readonly kept = new Map<InputName, CarriedInput>();

  /**
   * Each code file's syntax tree, kept across every change (valid while its text is the same): a code edit
   * rebuilds the models from the trees, parsing only the edited file again.
   */
  readonly trees = new CarriedTrees();

  /** What the file-scoped rules found in each file, reused while its text is the same (carried-file-results.ts). */
  readonly fileResults = new CarriedFileResults();

  /**
   * Where each code file is reached from (CodeFile.reach), and the per-file facts it is judged from: judged again
   * only when a file's imports, entry-point text or runtime, or a manifest or path alias, changed (reach-facts.ts).
   */
  readonly reach = new CarriedReach();

  take(name: InputName): CarriedInput | undefined {
    return this.kept.get(name);
  }

  keep(name: InputName, entry: CarriedInput): void {
    this.kept.set(name, entry);
  }

  /**
   * The folder walk and each file's inspection and text, reused while the disk says nothing changed; discovery tells
   * which files did (../discover/carried.ts), and those are invalidated too.
   */
  readonly discovery = new CarriedDiscovery();

  /**
   * Forgets the inputs a change to these files (report paths) may change, and has discovery read them again (the
   * editor or the watcher named them: their stat may not show a change made within the clock's tick).
   */
  invalidate(changed: readonly string[]): void {
    this.discovery.hint(changed);
    this.drop(changed);
  }

  /** Forgets the inputs a change to these files may change (what discovery found changed on disk). */
  drop(changed: readonly string[]): void {
    for (const path of changed) {
      const affected = affectedBy(path);
      if (affected === 'all') {
        this.kept.clear();
        return;
      }
      for (const name of affected) this.kept.delete(name);
    }
  }

  /** The inputs kept, for --verbose and tests. */
  names(): InputName[] {
    return [...this.kept.keys()].sort();
  }
}

function affectedBy(path: string): readonly InputName[] | 'all' {
  const lower = path.toLowerCase();
  if (ARCHLINT_CONFIG.test(lower)) return 'all';
  if (lower.endsWith('.sql')) return SQL_ONLY;
  if (/\.(ya?ml|json)$/.test(lower) && !CODE_JSON.test(lower)) return DATA_FILE;
  return 'all';
}
