/**
 * Guards against code nested so deeply that parsing it, or walking its tree, would overflow the
 * stack: 100,000 nested brackets, a 20,000-branch `else if` chain, a 50,000-call method chain or
 * a 100,000-term `+` chain. The TypeScript parser recurses per level (it gives up somewhere
 * between 500 and 1,300 nested brackets), and so does every tree walk after it. Hand-written and
 * generated code stays far below MAX_SYNTAX_DEPTH (TypeScript's own 9 MB compiler is 65 deep),
 * so a file beyond it is hostile or broken: it is reported and left out instead of crashing a run.
 */
import type { ts as TypeScript } from 'ts-morph';

/** How deep a syntax tree may be (nodes from the file to the deepest leaf). */
export const MAX_SYNTAX_DEPTH = 1000;

export type DepthCheck = { ok: true } | { ok: false; message: string; offset?: number };

/** Runs `parse`, then measures the tree without recursion (about 7% of the parse time). */
export function parseWithinLimits(
  parse: () => TypeScript.SourceFile,
  ts: typeof TypeScript,
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
  const check = checkDepth(tree, ts);
  return check.ok ? { tree } : { problem: check };
}

/** The first node deeper than MAX_SYNTAX_DEPTH, found with an explicit stack. */
export function checkDepth(root: TypeScript.Node, ts: typeof TypeScript, limit = MAX_SYNTAX_DEPTH): DepthCheck {
  const nodes: TypeScript.Node[] = [root];
  const depths: number[] = [0];
  let childDepth = 0;
  const push = (child: TypeScript.Node): undefined => {
    nodes.push(child);
    depths.push(childDepth);
    return undefined;
  };
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
    ts.forEachChild(node, push);
  }
  return { ok: true };
}
