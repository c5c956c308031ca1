/**
 * Matching `overrides[].files` globs, .gitignore-style: a glob without '/' matches a file or
 * folder name at any depth, one with '/' is anchored at the config's folder, a trailing '/'
 * matches folders only, a matched folder covers everything below it, and "!glob" excludes
 * what earlier globs matched.
 */
import picomatch from 'picomatch';

type Matcher = (file: string) => boolean;

/** Compiled once per distinct list of globs (overrides are few; files are many). */
const cache = new Map<string, Matcher>();

interface Glob {
  negated: boolean;
  dirOnly: boolean;
  byName: boolean;
  test: (path: string) => boolean;
}

function compileGlob(raw: string): Glob {
  let glob = raw.trim();
  const negated = glob.startsWith('!');
  if (negated) glob = glob.slice(1);
  const dirOnly = glob.endsWith('/');
  if (dirOnly) glob = glob.replace(/\/+$/, '');
  if (glob.startsWith('./')) glob = glob.slice(2);
  // Paths are already relative to the config's folder, so a leading '/' only anchors.
  const byName = !glob.includes('/');
  if (glob.startsWith('/')) glob = glob.slice(1);
  // picomatch throws on an empty pattern; "", "!" or "/" simply match nothing.
  const test = glob === '' ? () => false : picomatch(glob, { dot: true });
  return { negated, dirOnly, byName, test };
}

function matches(glob: Glob, file: string): boolean {
  const parts = file.split('/');
  // The file itself (unless the glob names folders only), then every folder above it.
  for (let end = glob.dirOnly ? parts.length - 1 : parts.length; end >= 1; end--) {
    const candidate = glob.byName ? parts[end - 1]! : parts.slice(0, end).join('/');
    if (glob.test(candidate)) return true;
  }
  return false;
}

/** A predicate over paths relative to the config's folder, with '/' separators. */
export function compileFiles(globs: readonly string[]): Matcher {
  const key = JSON.stringify(globs);
  let matcher = cache.get(key);
  if (!matcher) {
    const compiled = globs.map(compileGlob);
    matcher = (file: string) => {
      let matched = false;
      for (const glob of compiled) {
        if (glob.negated ? matched : !matched) {
          if (matches(glob, file)) matched = !glob.negated;
        }
      }
      return matched;
    };
    cache.set(key, matcher);
  }
  return matcher;
}
