/**
 * Guards against code nested so deeply that parsing it, or walking its tree, would overflow the
 * stack: 100,000 nested brackets, a 20,000-branch `else if` chain, a 50,000-call method chain or
 * a 100,000-term `+` chain. The TypeScript parser recurses per level (it gives up somewhere
 * between 500 and 1,300 nested brackets), and so does every tree walk after it. Hand-written and
 * generated code stays far below MAX_SYNTAX_DEPTH (TypeScript's own 9 MB compiler is 65 deep),
 * so a file beyond it is hostile or broken: it is reported and left out instead of crashing a run.
 *
 * The limit keeps a margin over the walks: with Node's default stack, the rules' and inputs'
 * recursive visitors (about five frames a level: the visitor, its callback and forEachChild's three)
 * first overflow between 1,800 and 2,300 levels (the SQL input's walk of a TypeORM migration class at
 * 1,802, perf/no-n-plus-one in a route handler at 1,992, the HTTP input by 2,321; Knex, Drizzle,
 * Sequelize and Kysely readers not at 4,000), so 700 leaves 2.5×, and a file at the limit is linted
 * with half the stack (test/robustness-nesting.test.ts). Of 194,670 JavaScript and TypeScript files
 * in the real-world repositories the deepest hand-written one is 317 levels deep (an ANTLR parser),
 * the deepest minified bundle 659.
 */
import type { ts as TypeScript } from 'ts-morph';

/** How deep a syntax tree may be (nodes from the file to the deepest leaf). */
export const MAX_SYNTAX_DEPTH = 700;

export type DepthCheck = { ok: true } | { ok: false; message: string; offset?: number };

/**
 * Runs `parse`, then measures the tree without recursion (about 7% of the parse time). `setParents`: the same walk
 * sets each node's parent, for a tree parsed without them (TypeScript's own pass, `setParentNodes`, walks the tree a
 * second time: issue 22, ~9% of the parse of a tree kept for the rules).
 */
export function parseWithinLimits(
  parse: () => TypeScript.SourceFile,
  ts: typeof TypeScript,
  setParents = false,
): { tree: TypeScript.SourceFile } | { problem: DepthCheck & { ok: false } } {
  let tree: TypeScript.SourceFile;
  try {
    tree = parse();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return {
      problem: {
        ok: false,
        message: 'Nested too deeply for the TypeScript parser: the file is not parsed, so no rule checks its code',
      },
    };
  }
  const check = checkDepth(tree, ts, MAX_SYNTAX_DEPTH, setParents);
  return check.ok ? { tree } : { problem: check };
}

/**
 * The first node deeper than MAX_SYNTAX_DEPTH, found with an explicit stack. `setParents`: sets the parent of every
 * node it reaches on the way (the parents TypeScript's `setParentNodes` sets: every child forEachChild gives; the
 * same on the 13 trees of issue 22's corpus, 5.1 M nodes).
 */
export function checkDepth(
  root: TypeScript.Node,
  ts: typeof TypeScript,
  limit = MAX_SYNTAX_DEPTH,
  setParents = false,
): DepthCheck {
  const nodes: TypeScript.Node[] = [root];
  const depths: number[] = [0];
  let childDepth = 0;
  let parent: TypeScript.Node = root;
  const push = (child: TypeScript.Node): undefined => {
    nodes.push(child);
    depths.push(childDepth);
    return undefined;
  };
  const pushWithParent = (child: TypeScript.Node): undefined => {
    (child as { parent: TypeScript.Node }).parent = parent;
    nodes.push(child);
    depths.push(childDepth);
    return undefined;
  };
  const visit = setParents ? pushWithParent : push;
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) {
      return {
        ok: false,
        message: `Code nested more than ${limit} levels deep here: the file is not parsed, so no rule checks its code`,
        offset: node.getStart(root.getSourceFile()),
      };
    }
    childDepth = depth + 1;
    parent = node;
    ts.forEachChild(node, visit);
  }
  return { ok: true };
}
