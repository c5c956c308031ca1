/**
 * Static members of a class that no code names (CodeFile.isUnnamedStatic): `static getDomain = async (…) => …` whose
 * name is written once in the whole tree, where it is declared. A static member is reached only through its class
 * (`Vercel.getDomain(…)`, `this.getDomain(…)` inside it) or a reference to it, and each of those writes its name;
 * a name written nowhere else is a member nothing calls (left behind when its callers were removed).
 *
 * Decided from text, never guessed: any other occurrence of the name — a call, a reference, a string a dynamic
 * lookup may use, a comment, an unrelated variable of the same name — counts it as named. Names a framework calls by
 * convention without writing them (Next.js `getInitialProps`, React's `getDerivedStateFromProps`) are never
 * unnamed. A decorated member is the framework's too; that is judged where the key is read (model/uncalled-functions.ts).
 *
 * Judged over the whole tree (a caller may be in any file) and given to a batch checked apart with the tree's other
 * whole-tree keys (CodeModel.loopbackImports).
 */
import type { CodeFile } from '../../model/code.js';

/** `static name = …`, `static name(…)`, `static async name(…)`, `static *name(…)`, `static name<T>(…)`. */
const STATIC_MEMBER = /\bstatic\s+(?:async\s+)?(?:\*\s*)?([A-Za-z_$][\w$]*)\s*[=(<]/g;
/** Static members a framework or library calls by convention: their name is written in its code, not the project's. */
const CONVENTION = new Set([
  'getInitialProps',
  'getDerivedStateFromProps',
  'getDerivedStateFromError',
  'getStaticProps',
  'getServerSideProps',
]);

/** The key of a static member no code names: `${path}\u0000${name}\u0000static`. */
export function unnamedStaticKey(path: string, name: string): string {
  return `${path}\u0000${name}\u0000static`;
}

/** The keys of static members whose name the whole tree writes once (their declaration). */
export function judgeUnnamedStatics(files: readonly CodeFile[]): Set<string> {
  const declaredIn = new Map<string, string>();
  for (const file of files) {
    const text = file.text.content;
    if (!text.includes('static')) continue;
    for (const match of text.matchAll(STATIC_MEMBER)) {
      const name = match[1]!;
      if (name === 'async' || name === 'get' || name === 'set' || CONVENTION.has(name)) continue;
      // Declared twice (two classes, or two files): not one member, and each declaration is a second mention.
      // Named again in its own file (`this.sync()`, `Store.sync`): called, and no need to search the tree.
      declaredIn.set(name, declaredIn.has(name) || mentions(text, name, 2) > 1 ? '' : file.path);
    }
  }
  const candidates = [...declaredIn.keys()].filter((name) => declaredIn.get(name) !== '');
  if (candidates.length === 0) return new Set();
  // The rest are looked for in every text by one regex of their names (a substring search per name was slower).
  const written = new RegExp(
    `(?<![\\w$])(?:${candidates.map((name) => name.replace(/\$/g, '\\$')).join('|')})(?![\\w$])`,
    'g',
  );
  const count = new Map<string, number>();
  for (const file of files)
    for (const match of file.text.content.matchAll(written)) count.set(match[0], (count.get(match[0]) ?? 0) + 1);
  const out = new Set<string>();
  for (const name of candidates) if (count.get(name) === 1) out.add(unnamedStaticKey(declaredIn.get(name)!, name));
  return out;
}

/** How many times `name` is written in `text` as a whole word, counting up to `enough`. */
function mentions(text: string, name: string, enough: number): number {
  let found = 0;
  for (let at = text.indexOf(name); at !== -1 && found < enough; at = text.indexOf(name, at + name.length)) {
    const before = at > 0 ? text.charCodeAt(at - 1) : 32;
    const after = at + name.length < text.length ? text.charCodeAt(at + name.length) : 32;
    if (!isWordChar(before) && !isWordChar(after)) found++;
  }
  return found;
}

/** `[A-Za-z0-9_$]`. */
function isWordChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95 ||
    code === 36
  );
}
