/**
 * Which tables of a schema the application's code names at all: a table no source file outside the
 * schema's own definitions names (by its name, its ORM model or accessor, or a relation field typed
 * as it) is one no code reads or writes — a legacy table left behind, one an introspection dump
 * re-created, a table declared for a feature never built. Its rows are whatever the migrations left.
 *
 * Read from the text of every source file of any language (a Rust or Go service may run the queries
 * of a TypeScript repository's migrations), never from migrations, `.sql` files or Prisma schemas,
 * which declare every table. The comparison is loose on purpose — words without case or underscores,
 * singular or plural, with or without a prefix most of the schema's tables share (`mail0_session`
 * named `session` through a table creator) — so that a false "named" keeps a finding, never hides one.
 */
import type { FileSet, TextFiles } from './files.js';
import { formatTableName, type Schema, type Table } from './schema.js';

/** Source files of other languages, beside the TS/JS files discovery classifies as code. */
const OTHER_SOURCE = /\.(rs|go|py|cs|java|kt|kts|scala|rb|php|ex|exs|swift|vue|svelte|astro|graphql|gql)$/i;

/** A word of source text without case, underscores or dashes: `user_features`, `userFeatures` and `UserFeatures` meet. */
const fold = (word: string): string => word.toLowerCase().replace(/[_-]/g, '');

/**
 * The folded words of the tree's source files, read once per run however many schemas ask: one set for the run,
 * no set per file. A schema's own definitions count when they are source files — for an ORM that declares the schema
 * in code they are what the application imports, and for any other they can only make a table look named (kept
 * reported), never the reverse.
 *
 * Each word is folded on its own, never the whole file: V8 keeps a long substring as a view into the string it
 * was cut from, so words cut from a lowercased copy of each file kept every copy alive for the run (~47 MB for
 * the 13-repository corpus of issue 22, whose lint peaked at ~890 MB instead of ~765 MB). A word cut from the
 * file's own text holds only that text, which the text input keeps for the run anyway.
 */
const wordsOfRun = new WeakMap<FileSet, ReadonlySet<string>>();

function sourceWords(files: FileSet, sources: () => Iterable<{ content: string }>): ReadonlySet<string> {
  let words = wordsOfRun.get(files);
  if (!words) {
    const found = new Set<string>();
    for (const file of sources()) addWords(file.content, found);
    wordsOfRun.set(files, (words = found));
  }
  return words;
}

/** `[A-Za-z_$]`: where a word starts. */
const startsWord = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
/** `[\w$]` (without the `u` flag): what a word goes on with. */
const continuesWord = (c: number): boolean => startsWord(c) || (c >= 48 && c <= 57);

/**
 * Adds the folded words of `content` (`[A-Za-z_$][\w$]*`, taken left to right as a global expression would) to `found`.
 * Read by character codes: most words hold no capital and no underscore and are added as cut, without the
 * lowercased copy and the match array per word of a regular expression (~15 % of the scan on the corpus of issue 22).
 */
function addWords(content: string, found: Set<string>): void {
  const length = content.length;
  let i = 0;
  while (i < length) {
    const first = content.charCodeAt(i);
    if (!startsWord(first)) {
      i++;
      continue;
    }
    let plain = !(first >= 65 && first <= 90) && first !== 95;
    let end = i + 1;
    for (; end < length; end++) {
      const c = content.charCodeAt(end);
      if (!continuesWord(c)) break;
      if ((c >= 65 && c <= 90) || c === 95) plain = false;
    }
    const word = content.slice(i, end);
    i = end;
    found.add(plain ? word : fold(word));
  }
}

/** Singular and plural spellings of a folded name: `users` ↔ `user`, `categories` ↔ `category`, `boxes` ↔ `box`. */
function spellings(name: string): string[] {
  const out = new Set([name, `${name}s`, `${name}es`]);
  if (name.endsWith('ies')) out.add(`${name.slice(0, -3)}y`);
  if (name.endsWith('y')) out.add(`${name.slice(0, -1)}ies`);
  if (name.endsWith('es')) out.add(name.slice(0, -2));
  if (name.endsWith('s')) out.add(name.slice(0, -1));
  return [...out];
}

/** A first segment (`mail0_`, `undb_`) that at least half of the schema's tables (three or more) start with. */
function sharedPrefix(schema: Schema): string | undefined {
  const counts = new Map<string, number>();
  for (const table of schema.tables) {
    const match = /^([A-Za-z0-9]+)_./.exec(table.name.name);
    if (match) counts.set(match[1]!, (counts.get(match[1]!) ?? 0) + 1);
  }
  for (const [prefix, count] of counts) if (count >= 3 && count * 2 >= schema.tables.length) return `${prefix}_`;
  return undefined;
}

/** Every name the code may use for the table: its own (with and without the shared prefix) and its ORM names. */
function namesOf(schema: Schema, table: Table, prefix: string | undefined): string[] {
  const raw = [table.name.name];
  if (prefix && table.name.name.startsWith(prefix)) raw.push(table.name.name.slice(prefix.length));
  const orm = schema.orm?.tables.get(formatTableName(table.name));
  if (orm) {
    raw.push(orm.accessor);
    // The parent's fields typed as this model (`paidFor` of ExpensePaidFor): nested reads and writes name it so.
    for (const relation of orm.relations) raw.push(...relation.backFields);
  }
  return raw.flatMap((name) => spellings(fold(name)));
}

export interface TableMentions {
  /** Whether some source file outside the schema's definitions names the table. */
  named(table: Table): boolean;
}

/**
 * The tables of `schema` the code names; undefined unless the code in the run names more than half of
 * them (the code that uses this database is not here, or not in a form archlint reads: it cannot know).
 */
export function tableMentions(files: FileSet, text: TextFiles, schema: Schema): TableMentions | undefined {
  const declaredInCode = schema.declaredBy === 'drizzle' || schema.declaredBy === 'typeorm';
  // Listed from discovery and read one by one: decoding every text file (data, docs) would cost for nothing.
  // Migrations, SQL and Prisma schemas declare every table: they are not sources.
  const sources = () =>
    files.files
      .filter(
        (file) => (file.kind === 'code' || OTHER_SOURCE.test(file.path)) && !/(^|\/)migrations?\//i.test(file.path),
      )
      .flatMap((file) => text.get(file.path) ?? []);
  const prefix = sharedPrefix(schema);
  const words = sourceWords(files, sources);
  // The newest migration's tables may be waiting for their code (a change that adds the table first):
  // they count as named, so a new table's key is judged when it is added, not only once code uses it.
  const applied = schema.files.filter((file) => file.applied);
  const newest = applied.length > 1 && !declaredInCode ? applied[applied.length - 1]!.path : undefined;
  const named = (table: Table): boolean =>
    table.origin.file === newest || namesOf(schema, table, prefix).some((name) => words.has(name));
  const declared = schema.tables.filter((table) => table.declared);
  if (declared.length === 0 || declared.filter(named).length * 2 <= declared.length) return undefined;
  return { named };
}
