/**
 * A call chain read as a list of named segments: `this.prisma.user.findUnique({…})` is
 * prisma → user → findUnique(…), `knex('users').where({ id }).first()` is knex(…) → where(…) → first(…).
 * Data-layer calls are recognised by these shapes (receiver names and method names), since the
 * rules run without a type checker.
 */
import type { ts as TypeScript } from 'ts-morph';

export interface Segment {
  /** Identifier or property name; `[]` for an element access (`models[name]`). */
  name: string;
  /** Arguments when this segment is called (`where(…)`), the template of a tagged call, else undefined. */
  args?: readonly TypeScript.Node[];
}

export interface Chain {
  /** The outermost node of the chain (the node to report at). */
  top: TypeScript.Expression;
  /** True when the chain starts at `this` (`this.userRepository.findOne`): segments start after it. */
  fromThis: boolean;
  /** Root first. Empty when the root is not a name (`(await x).y()`, `new Foo().bar()`). */
  segments: Segment[];
}

/**
 * The chain ending at `top`, or undefined when `top` is not the outermost call of its chain
 * (the caller visits every call; only chain tops are classified, so a chain is judged once).
 */
export function chainAt(ts: typeof TypeScript, top: TypeScript.Node): Chain | undefined {
  if (!ts.isCallExpression(top) && !ts.isTaggedTemplateExpression(top)) return undefined;
  if (isInnerLink(ts, top)) return undefined;
  const segments: Segment[] = [];
  let pendingArgs: readonly TypeScript.Node[] | undefined;
  let node: TypeScript.Node = top;
  let fromThis = false;
  for (;;) {
    if (ts.isCallExpression(node)) {
      pendingArgs = node.arguments;
      node = node.expression;
    } else if (ts.isTaggedTemplateExpression(node)) {
      pendingArgs = [node.template];
      node = node.tag;
    } else if (ts.isNonNullExpression(node)) {
      node = node.expression;
    } else if (ts.isPropertyAccessExpression(node)) {
      segments.push({ name: node.name.text, args: pendingArgs });
      pendingArgs = undefined;
      node = node.expression;
    } else if (ts.isElementAccessExpression(node)) {
      segments.push({ name: '[]', args: pendingArgs });
      pendingArgs = undefined;
      node = node.expression;
    } else if (ts.isIdentifier(node)) {
      segments.push({ name: node.text, args: pendingArgs });
      break;
    } else {
      fromThis = node.kind === ts.SyntaxKind.ThisKeyword;
      if (!fromThis) segments.length = 0;
      break;
    }
  }
  segments.reverse();
  return { top: top as TypeScript.Expression, fromThis, segments };
}

/** `a.b()` inside `a.b().c()`: the call is the receiver of a further link. */
function isInnerLink(ts: typeof TypeScript, node: TypeScript.Node): boolean {
  let child = node;
  let parent = node.parent;
  while (parent && ts.isNonNullExpression(parent)) {
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return false;
  if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === child)
    return true;
  return (
    (ts.isCallExpression(parent) && parent.expression === child) ||
    (ts.isTaggedTemplateExpression(parent) && parent.tag === child)
  );
}

/** How the chain reads in a message: `this.prisma.user.findUnique`, `knex(…).where(…).first`. */
export function chainLabel(chain: Chain, upTo = chain.segments.length): string {
  const parts = chain.segments.slice(0, upTo).map((s, i) => (s.args && i < upTo - 1 ? `${s.name}(…)` : s.name));
  const text = (chain.fromThis ? ['this', ...parts] : parts).join('.').replace(/\.\[\]/g, '[…]');
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
