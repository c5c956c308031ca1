// Preload (node -r bench/speed/count-parses.cjs …): counts the syntax trees archlint builds through
// ts-morph and prints the count on exit (standard error), a measure of lazy parsing that the load of a
// shared machine does not blur.
const { Project } = require('ts-morph');
const original = Project.prototype.createSourceFile;
let count = 0;
let chars = 0;
const callers = new Map();
Project.prototype.createSourceFile = function (name, text, options) {
  count += 1;
  if (process.env.COUNT_PARSES_BY_CALLER) {
    // The first archlint frame below the code model's getter: who asked for the tree.
    const frames = new Error().stack.split('\n').filter((l) => /dist\//.test(l) && !/code-|\/code\//.test(l));
    const at = (frames[0] ?? '?').trim().replace(/\(.*\/dist\//, '(');
    callers.set(at, (callers.get(at) ?? 0) + 1);
  }
  chars += typeof text === 'string' ? text.length : 0;
  return original.call(this, name, text, options);
};
process.on('exit', () => {
  process.stderr.write(`archlint-parses: ${count} files, ${chars} chars\n`);
  for (const [at, n] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 15)) process.stderr.write(`  ${n} ${at}\n`);
});
