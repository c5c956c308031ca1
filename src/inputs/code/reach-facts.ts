/**
 * What the reach judgement (reach.ts) reads from one code file's own text: whether it is an entry point by its text,
 * whether it runs for ever, what it imports and names, whether it loads modules it does not name. Each is read from
 * the text on first use and kept with it.
 *
 * In a process that lints the same tree again and again (`archlint lsp`, `--watch`) the facts are carried from one
 * run to the next while a file's text is the same (CarriedReach), and so is the judgement itself while no file's
 * facts, and nothing else it reads, changed: an edit to a handler's body that keeps its imports judges nothing again.
 */
import { isBundle } from '../../model/bundles.js';
import type { CodeReach } from '../../model/code.js';
import { isUseClient } from './directives.js';
import { valueSpecifiersIn } from './specifiers.js';

export interface ReachTexts {
  /** Starts, serves or schedules (reach.ts SERVER_TEXT). */
  server: RegExp;
  /** A default export that answers requests (reach.ts DEFAULT_HANDLERS). */
  defaultHandlers: RegExp;
  /** Mounts a user interface (reach.ts BROWSER_TEXT). */
  browser: RegExp;
  /** A pages-router page's server data (reach.ts PAGE_SERVER_DATA). */
  pageServerData: RegExp;
  /** Keeps its process running (reach.ts RUNS_FOR_EVER). */
  runsForEver: RegExp;
  /** Loads modules it does not name (reach.ts DYNAMIC_LOAD). */
  dynamicLoad: RegExp;
  /** A path written in a string (reach.ts PATH_LITERAL, global). */
  pathLiteral: RegExp;
  /** A file named to be run beside this one (reach.ts FILE_REFERENCE, global). */
  fileReference: RegExp;
  /** webpack configurations (web-bundles.ts): their whole text counts. */
  webpackConfig: RegExp;
}

export class ReachFacts {
  private memo = new Map<string, unknown>();

  constructor(
    readonly path: string,
    readonly content: string,
    private readonly texts: ReachTexts,
  ) {}

  get bundle(): boolean {
    return this.once('bundle', () => isBundle(this.path, this.content));
  }
  get useClient(): boolean {
    return this.once('useClient', () => isUseClient(this.content));
  }
  get serverText(): boolean {
    return this.once('serverText', () => this.texts.server.test(this.content));
  }
  get defaultHandlers(): boolean {
    return this.once('defaultHandlers', () => this.texts.defaultHandlers.test(this.content));
  }
  get browserText(): boolean {
    return this.once('browserText', () => this.texts.browser.test(this.content));
  }
  get pageServerData(): boolean {
    return this.once('pageServerData', () => this.texts.pageServerData.test(this.content));
  }
  get runsForEver(): boolean {
    return this.once('runsForEver', () => this.texts.runsForEver.test(this.content));
  }
  /** The value imports' specifiers (a type-only import brings no code). */
  get specifiers(): readonly string[] {
    return this.once('specifiers', () => valueSpecifiersIn(this.content));
  }
  /** `new URL('./x.js', import.meta.url)`, `require.resolve('./worker')`: the paths named. */
  get fileReferences(): readonly string[] {
    return this.once('fileReferences', () =>
      [...this.content.matchAll(this.texts.fileReference)].map((match) => match[1] ?? match[2]!),
    );
  }
  get dynamicLoad(): boolean {
    return this.once('dynamicLoad', () => this.texts.dynamicLoad.test(this.content));
  }
  /**
   * The folders its strings name, for a dynamic loader: a glob's static base (`'server/subscriber/**\/*.ts'`), and
   * only a path with a `/` (`'./upgrades'`): a bare `'.'` is a separator (`key.split('.')`), a word is no folder.
   */
  get folderLiterals(): readonly string[] {
    return this.once('folderLiterals', () =>
      [...this.content.matchAll(this.texts.pathLiteral)]
        .map((match) => match[1]!.replace(/\/?[^/]*\*.*$/, ''))
        .filter((written) => written.includes('/')),
    );
  }
  /** Names its own folder (`__dirname`, `import.meta.url`). */
  get ownFolder(): boolean {
    return this.once('ownFolder', () => /\b__dirname\b|import\.meta\.(?:url|dirname)/.test(this.content));
  }

  /** Every fact at once, as a string: two texts with the same key are judged alike. */
  key(): string {
    return this.once('key', () =>
      JSON.stringify([
        this.bundle,
        this.useClient,
        this.serverText,
        this.defaultHandlers,
        this.browserText,
        this.pageServerData,
        this.runsForEver,
        this.specifiers,
        this.fileReferences,
        this.dynamicLoad,
        // What a file loads by a name it builds is read only when it does: a string added elsewhere changes nothing.
        this.dynamicLoad ? this.folderLiterals : null,
        this.dynamicLoad ? this.ownFolder : null,
        this.texts.webpackConfig.test(this.path) ? this.content : null,
      ]),
    );
  }

  private once<T>(name: string, read: () => T): T {
    if (this.memo.has(name)) return this.memo.get(name) as T;
    const value = read();
    this.memo.set(name, value);
    return value;
  }
}

/**
 * The reach facts and the last judgement, kept between the runs of one process. `factsOf` gives the same object
 * while a file's text is the same; `reuse` gives the last judgement when the run's inputs to it are those of the
 * last one (each file's path, facts, runtime and test-ness, and the tree's manifests and path aliases).
 */
export class CarriedReach {
  private readonly facts = new Map<string, ReachFacts>();
  private last: { inputs: readonly unknown[]; facts: readonly ReachFacts[]; reach: Map<string, CodeReach> } | undefined;
  /** How many judgements were made whole (tests). */
  judged = 0;

  factsOf(path: string, content: string, texts: ReachTexts): ReachFacts {
    const kept = this.facts.get(path);
    if (kept && kept.content === content) return kept;
    const made = new ReachFacts(path, content, texts);
    this.facts.set(path, made);
    return made;
  }

  /** The last judgement, if it was made from the same inputs; `inputs` other than the files' facts, compared by value. */
  reuse(inputs: readonly unknown[], facts: readonly ReachFacts[]): Map<string, CodeReach> | undefined {
    const last = this.last;
    if (!last || last.inputs.length !== inputs.length || last.facts.length !== facts.length) return undefined;
    for (let i = 0; i < inputs.length; i++) if (last.inputs[i] !== inputs[i]) return undefined;
    for (let i = 0; i < facts.length; i++) {
      const before = last.facts[i]!;
      const now = facts[i]!;
      // The same object: the same text. Else an edit that kept every fact (a handler's body) judges alike.
      if (before !== now && (before.path !== now.path || before.key() !== now.key())) return undefined;
    }
    // Compared with this run's facts next time: the same objects while the texts stay.
    this.last = { inputs, facts, reach: last.reach };
    return last.reach;
  }

  keep(inputs: readonly unknown[], facts: readonly ReachFacts[], reach: Map<string, CodeReach>): void {
    this.judged++;
    this.last = { inputs, facts, reach };
    const current = new Set(facts.map((f) => f.path));
    for (const path of this.facts.keys()) if (!current.has(path)) this.facts.delete(path);
  }
}
