/**
 * Functions only tests call (TextFileFacts.namedNowhere): named by a test, and nowhere else in the tree outside
 * their declarations — an exported `getListOfScores` that a mock and an interface declare again but no module calls,
 * a replaced adapter kept for its tests. Whatever it does, no running code waits on it. A function no test names
 * either is left alone: it may be a library's, called by code outside the tree.
 *
 * Decided from names written in the text of every file of the tree that is not a test (code, templates, YAML that
 * names a handler…), never guessed: any mention that is not a declaration — a call, an import, a reference passed
 * along, a string a dynamic lookup might use, a comment — keeps the name counted as used. Left out, because code
 * archlint does not see calls them by convention or by another name: default exports, names a framework calls
 * (`GET`, `loader`, `handler`, lifecycle hooks…), names shorter than five characters, and every function of a
 * module some file imports whole (`import * as activities`, `export * from`, a bare `require`, `import()`), whose
 * members may be handed on as an object (a Temporal worker's activities).
 */
import { isTestPath } from '../../model/test-paths.js';

const CODE_FILE = /\.[cm]?[jt]sx?$/;
/** A declaration's name: a function, a method or signature (`name(…) {` / `name(…): T`), or a const holding an arrow. */
const FUNCTION_DECLARATION =
  /^[ \t]*(?:export[ \t]+)?(?:declare[ \t]+)?(?:async[ \t]+)?function[ \t]*\*?[ \t]*([A-Za-z_$][\w$]*)/gm;
const METHOD_DECLARATION =
  /^[ \t]*(?:(?:public|protected|static|readonly|abstract|async|override|get|set)[ \t]+)*([A-Za-z_$][\w$]*)[ \t]*[?!]?[ \t]*(?:<[^>\n]*>)?[ \t]*\(/gm;
const ARROW_DECLARATION =
  /^[ \t]*(?:export[ \t]+)?(?:(?:const|let|var|public|protected|private|static|readonly)[ \t]+)+([A-Za-z_$][\w$]*)[ \t]*(?::[^=\n]+)?=[ \t]*(?:async[ \t]*)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)[ \t]*(?::[^=\n]+)?=>/gm;
const WORDS = /[A-Za-z_$][\w$]*/g;
/**
 * A quoted string on one line. Template literals are left as they are: one with `${…}` parts cannot be told from the
 * code between two of them by a pattern, and stripping code would hide a call.
 */
const PROSE_STRING = /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g;
const NAME_STRING = /^['"][A-Za-z_$][\w$]*['"]$/;
/** Called by a framework or a runtime by convention, or by an interface archlint does not follow. */
const CONVENTIONAL =
  /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|loader|action|handler|middleware|default|constructor|render|getServerSideProps|getStaticProps|getStaticPaths|getInitialProps|generateMetadata|generateStaticParams|onModuleInit|onModuleDestroy|onApplicationBootstrap|onApplicationShutdown|beforeApplicationShutdown|canActivate|intercept|transform|validate|resolve|process|execute|handle|perform|catch|use|run|main|start|stop|init|setup|up|down|ngOnInit|componentDidMount|connectedCallback)$/;
/** A module imported whole: its functions may be handed on as members of an object nobody names them through. */
const WHOLE_IMPORT =
  /\bimport\s+\*\s+as\s+[\w$]+\s+from\s+['"]([^'"]+)['"]|\bexport\s+\*\s+(?:as\s+[\w$]+\s+)?from\s+['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)(?!\s*\.)|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

const moduleName = (path: string): string => {
  const base = path.slice(path.lastIndexOf('/') + 1).replace(/\.[cm]?[jt]sx?$/, '');
  return base === 'index' ? path.slice(0, path.lastIndexOf('/')).replace(/^.*\//, '') : base;
};

/** For each code file with any, the names of functions it declares that the tree names nowhere else. */
export function judgeUnnamedFunctions(
  paths: readonly string[],
  read: (path: string) => string | undefined,
): Map<string, string[]> {
  const served = paths.filter((path) => !isTestPath(path));
  const wholeModules = new Set<string>();
  const declaredIn = new Map<string, Set<string>>();
  const declarations = new Map<string, number>();
  const count = (map: Map<string, number>, name: string) => map.set(name, (map.get(name) ?? 0) + 1);
  for (const path of served) {
    if (!CODE_FILE.test(path)) continue;
    const content = read(path);
    if (content === undefined) continue;
    for (const match of content.matchAll(WHOLE_IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? match[4]!;
      wholeModules.add(moduleName(specifier));
    }
    const names = new Set<string>();
    for (const name of declaredNames(content)) {
      count(declarations, name);
      if (name.length >= 5 && !CONVENTIONAL.test(name)) names.add(name);
    }
    if (names.size > 0) declaredIn.set(path, names);
  }
  const candidates = new Set([...declaredIn.values()].flatMap((names) => [...names]));
  if (candidates.size === 0) return new Map();
  const mentions = new Map<string, number>();
  for (const path of served) {
    const content = read(path);
    if (content === undefined) continue;
    // A log message naming its function (`'getListOfScores error'`) calls nothing; a string that is a name alone
    // (`'getListOfScores'`) may be looked up, and is counted.
    // Only in code: a YAML or JSON file's strings name handlers (`handler: "src/jobs.sendDigest"`).
    const spoken = CODE_FILE.test(path)
      ? content.replace(PROSE_STRING, (string) => (NAME_STRING.test(string) ? string : '""'))
      : content;
    for (const [word] of spoken.matchAll(WORDS)) if (candidates.has(word)) count(mentions, word);
  }
  // Named by a test: the project exercises the function, so its callers are the tree's to show — a function no test
  // names either may be a library's, called from code outside the tree.
  const tested = new Set<string>();
  for (const path of paths) {
    if (!isTestPath(path) || !CODE_FILE.test(path)) continue;
    const content = read(path);
    if (content === undefined) continue;
    for (const [word] of content.matchAll(WORDS)) if (candidates.has(word)) tested.add(word);
  }
  const out = new Map<string, string[]>();
  for (const [path, names] of declaredIn) {
    if (wholeModules.has(moduleName(path))) continue;
    const unnamed = [...names]
      .filter((name) => tested.has(name) && mentions.get(name) === declarations.get(name))
      .sort();
    if (unnamed.length > 0) out.set(path, unnamed);
  }
  return out;
}

/** Each declaration of a function name in the text (one entry per declaration), default exports left out. */
function declaredNames(content: string): string[] {
  const names: string[] = [];
  for (const match of content.matchAll(FUNCTION_DECLARATION)) names.push(match[1]!);
  for (const match of content.matchAll(ARROW_DECLARATION)) names.push(match[1]!);
  for (const match of content.matchAll(METHOD_DECLARATION)) {
    // `name(…) {` or `name(…): Type` is a declaration; `name(…);` a call written at the start of a line.
    const after = closingParen(content, match.index + match[0].length);
    if (after === undefined) continue;
    const next = /\S/.exec(content.slice(after, after + 200));
    if (next && (next[0] === '{' || next[0] === ':')) names.push(match[1]!);
  }
  // `function` in a method's place is a keyword, not a name; `if (…) {` and `for (…) {` are statements.
  return names.filter(
    (name) => !/^(function|if|for|while|switch|catch|with|return|await|typeof|new|async|super)$/.test(name),
  );
}

/** The offset just past the `)` closing the parenthesis opened before `from`, or undefined within 4,000 characters. */
function closingParen(content: string, from: number): number | undefined {
  let depth = 1;
  const end = Math.min(content.length, from + 4000);
  for (let i = from; i < end; i++) {
    const c = content[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return undefined;
}
