/**
 * Bundles: JavaScript files that are a vendored library or a build's output, not modules of the
 * project (a committed `.yarn/releases/yarn-4.3.0.cjs` in plunk, swagger-ui's static bundles in
 * traduora's docs, `chart.min.js` in kutt). Route extraction leaves them out: no router of the project
 * is created or mounted in one, and their object literals match text patterns that choose files to
 * parse (the router-type pattern of graph-scope.ts, Nest's decorators). They were a third of the code the
 * 13-repository corpus parsed for routes (issue 22). Their syntax is still checked (`core/parse-error`).
 * The knex reader leaves them out of its search for knex configurations too.
 */

/**
 * JavaScript of over 20 KB whose lines average over 300 characters (minified), or whose head is a
 * bundler's wrapper (UMD's `define.amd`, webpack's runtime) — even re-indented, as swagger-ui's are.
 * TypeScript is never one: long lines there are generated data (messages, SVG paths), still the project's.
 */
export function isBundle(path: string, text: string): boolean {
  if (text.length < 20_000 || !/\.[cm]?js$/i.test(path)) return false;
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
  if (text.length / lines > 300) return true;
  return BUNDLER_HEAD.test(text.slice(0, 3_000));
}

const BUNDLER_HEAD = /\bdefine\.amd\b|__webpack_require__|__webpack_modules__/;
