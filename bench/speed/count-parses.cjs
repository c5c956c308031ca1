// Preload (node -r bench/speed/count-parses.cjs …): counts the syntax trees archlint builds (TypeScript's
// createSourceFile, the one ts-morph bundles, which the code model calls directly) and prints the count on
// exit (standard error), a measure of lazy parsing that the load of a shared machine does not blur.
// Trees parsed only to check a file's syntax (those the code model's checkUnparsed / checkPending parse) are
// counted apart. (Told by the stack, not by `setParentNodes`: since issue 22's fifth pass the code model sets a kept
// tree's parents itself, so every tree is parsed without them.)
const Module = require('node:module');
let count = 0;
let checks = 0;
let chars = 0;
const callers = new Map();
/** COUNT_PARSES_LIST=<file>: every parse, as `tree|check <tab> chars <tab> name`, written on exit. */
const listed = [];
const originalLoad = Module._load;
let wrapped;
Module._load = function load(request, parent, isMain) {
  const exports = originalLoad.call(this, request, parent, isMain);
  if (request !== '@ts-morph/common') return exports;
  if (!wrapped) {
    const ts = exports.ts;
    const createSourceFile = (name, text, options, setParents, kind) => {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 40;
      const stack = new Error().stack;
      Error.stackTraceLimit = limit;
      const isCheck = /\b(?:checkUnparsed|checkPending)\b/.test(stack);
      if (isCheck) checks += 1;
      else count += 1;
      let at = '';
      if (process.env.COUNT_PARSES_BY_CALLER && !isCheck) {
        // The first archlint frame outside the code model: who asked for the tree.
        const frames = stack.split('\n').filter((l) => /dist\//.test(l) && !/code-|\/code\//.test(l));
        at = (frames[0] ?? '?').trim().replace(/\(.*\/dist\//, '(');
        callers.set(at, (callers.get(at) ?? 0) + 1);
      }
      chars += typeof text === 'string' ? text.length : 0;
      if (process.env.COUNT_PARSES_LIST) listed.push(`${isCheck ? 'check' : 'tree'}\t${text.length}\t${name}\t${at}`);
      return ts.createSourceFile(name, text, options, setParents, kind);
    };
    const proxy = new Proxy(ts, { get: (target, key) => (key === 'createSourceFile' ? createSourceFile : target[key]) });
    wrapped = new Proxy(exports, { get: (target, key) => (key === 'ts' ? proxy : target[key]) });
  }
  return wrapped;
};
process.on('exit', () => {
  if (process.env.COUNT_PARSES_LIST) require('node:fs').writeFileSync(process.env.COUNT_PARSES_LIST, `${listed.join('\n')}\n`);
  process.stderr.write(`archlint-parses: ${count} files (+ ${checks} syntax checks), ${chars} chars\n`);
  for (const [at, n] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 15)) process.stderr.write(`  ${n} ${at}\n`);
});
