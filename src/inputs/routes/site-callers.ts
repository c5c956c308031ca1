/**
 * Where a helper that sends an error is called from (ErrorSite.calledFrom): `answerHealth(res)` written outside every
 * route answers the routes whose handlers call it, and only those. Read by name, as dev-only.ts reads a function's
 * callers: the named function around the site (`function f`, `const f = () => …`), and every use of that
 * name in the project's code outside tests; when one use is not a call (the function is passed on, stored, exported
 * under a table), where it runs is not known and nothing is said.
 */
import type { ts } from 'ts-morph';
import type { ErrorSite } from '../../model/code-http.js';
import type { Origin } from '../../model/finding.js';
import { isTestPath } from '../../model/test-paths.js';
import type { WordFiles } from './word-files.js';
import { loadTypeScript } from '../code/ts-morph.js';
import { origin } from './origins.js';
import { callsByName, functionName, isFunctionLike, nodeAt } from './dev-only.js';

const typescript = loadTypeScript();

/** Calls listed per helper: a function called from more places is a shared utility, read as unknown. */
const MAX_CALLS = 20;

export function markErrorSiteCallers(sites: readonly ErrorSite[], words: WordFiles): void {
  const byPath = new Map(words.files.map((file) => [file.path, file]));
  const memo = new Map<ts.Node, Origin[] | undefined>();
  for (const site of sites) {
    // Answers on a response object a route handed over (`refuse(res)`): an exception travels up whatever calls it.
    if (site.exception !== undefined) continue;
    const file = byPath.get(site.origin.file);
    if (!file || !site.origin.range) continue;
    const fn = namedFunctionAround(nodeAt(file.tree, site.origin.range.start));
    if (!fn) continue;
    if (!memo.has(fn)) memo.set(fn, callsOf(fn, words));
    const calls = memo.get(fn);
    if (calls) site.calledFrom = calls;
  }
}

/**
 * The function a site is written in, when it is a named function or a `const` arrow (a callback passed to a call runs
 * where that call runs, and a method is called through an instance whose name says nothing: neither is followed).
 */
function namedFunctionAround(start: ts.Node | undefined): ts.Node | undefined {
  for (let node = start?.parent; node; node = node.parent) {
    if (typescript.isSourceFile(node)) return undefined;
    if (!isFunctionLike(node)) continue;
    if (typescript.isMethodDeclaration(node)) return undefined;
    return functionName(node) ? node : undefined;
  }
  return undefined;
}

/** The origins of every call of a named function; undefined when a use is not a call, there is none, or too many. */
function callsOf(fn: ts.Node, words: WordFiles): Origin[] | undefined {
  const name = functionName(fn)!;
  const files = words.candidates(name).filter((file) => !isTestPath(file.path));
  const calls = callsByName(fn, name, files, MAX_CALLS);
  return calls && calls.length > 0 ? calls.map(({ file, call }) => origin(file, call)) : undefined;
}
