/**
 * What one file's walk gives the call-site index (call-sites.ts): its calls by callee name, its `x.name(…)` calls,
 * the registration-verb calls, possible app or router factories, served member reads, computed-member calls and
 * assignments to undeclared names — nodes of the file's own tree, in source order.
 *
 * Kept per syntax tree (a WeakMap: an entry lives as long as its tree), so a process that lints the same tree again
 * and again (`archlint lsp`, `--watch`) walks only the files whose tree is new: the carried trees
 * (../code/carried-trees.ts) are the same objects while a file's text is the same. The walk was about a fifth of a
 * one-file edit's time on a 6,000-file service. What the walk keeps depends on the tree and on which names it looks
 * for (CallSiteNames), nothing else: the entry is keyed by both.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

export interface NamesLookedFor {
  /** `x.<name>(…)` calls kept by name (the registration verbs). */
  verbs: ReadonlySet<string>;
  /** Callee names of calls and `new` expressions that may create an app or router. */
  factories: ReadonlySet<string>;
  /** Member names whose reading may hand an app to a server (`app.fetch`). */
  reads: ReadonlySet<string>;
}

export interface FileCalls {
  /** `name(…)` calls by callee name. */
  identifierCalls: ReadonlyMap<string, ts.CallExpression[]>;
  /** `x.name(…)` calls by property name. */
  memberCalls: ReadonlyMap<string, ts.CallExpression[]>;
  /** `x.<verb>(…)` calls by verb. */
  verbCalls: ReadonlyMap<string, ts.CallExpression[]>;
  /** Possible factory calls and `new` expressions. */
  factories: ReadonlyArray<ts.CallExpression | ts.NewExpression>;
  /** Reads of the served members (`app.fetch`). */
  reads: readonly ts.PropertyAccessExpression[];
  /** `router[method](…)`. */
  elementCalls: readonly ts.CallExpression[];
  /** `name = value` with an identifier on the left: the values by name. */
  assignments: ReadonlyMap<string, ts.Expression[]>;
  /** `new Name(…)` expressions by name (`new Name` or `new x.Name`): the constructions of a project class. */
  news: ReadonlyMap<string, ts.NewExpression[]>;
}

/** Per tree, then per set of names looked for (one per call-site index; an index's names rarely change). */
const walked = new WeakMap<ts.SourceFile, Map<string, FileCalls>>();

/** A key for the names looked for: what the walk keeps depends on them. */
export function namesKey(names: NamesLookedFor): string {
  return JSON.stringify([[...names.verbs].sort(), [...names.factories].sort(), [...names.reads].sort()]);
}

/** The file's calls, from an earlier walk of the same tree when there was one. */
export function fileCalls(tree: ts.SourceFile, names: NamesLookedFor, key: string): FileCalls {
  let byNames = walked.get(tree);
  if (!byNames) walked.set(tree, (byNames = new Map()));
  let found = byNames.get(key);
  if (!found) byNames.set(key, (found = walk(tree, names)));
  return found;
}

function walk(tree: ts.SourceFile, { verbs, factories, reads }: NamesLookedFor): FileCalls {
  const identifierCalls = new Map<string, ts.CallExpression[]>();
  const memberCalls = new Map<string, ts.CallExpression[]>();
  const verbCalls = new Map<string, ts.CallExpression[]>();
  const factoryNodes: Array<ts.CallExpression | ts.NewExpression> = [];
  const readNodes: ts.PropertyAccessExpression[] = [];
  const elementCalls: ts.CallExpression[] = [];
  const assignments = new Map<string, ts.Expression[]>();
  const news = new Map<string, ts.NewExpression[]>();
  const visit = (node: ts.Node): void => {
    if (typescript.isCallExpression(node)) {
      const callee = node.expression;
      if (typescript.isPropertyAccessExpression(callee)) {
        const name = callee.name.text;
        if (verbs.has(name)) push(verbCalls, name, node);
        push(memberCalls, name, node);
        if (factories.has(name)) factoryNodes.push(node);
      } else if (typescript.isElementAccessExpression(callee)) {
        elementCalls.push(node);
      } else if (typescript.isIdentifier(callee)) {
        push(identifierCalls, callee.text, node);
        if (factories.has(callee.text)) factoryNodes.push(node);
      }
    } else if (typescript.isNewExpression(node)) {
      const callee = node.expression;
      const name = typescript.isIdentifier(callee)
        ? callee.text
        : typescript.isPropertyAccessExpression(callee)
          ? callee.name.text
          : '';
      if (factories.has(name)) factoryNodes.push(node);
      if (name !== '') push(news, name, node);
    } else if (typescript.isPropertyAccessExpression(node) && reads.has(node.name.text)) {
      readNodes.push(node);
    } else if (
      typescript.isBinaryExpression(node) &&
      node.operatorToken.kind === typescript.SyntaxKind.EqualsToken &&
      typescript.isIdentifier(node.left)
    ) {
      push(assignments, node.left.text, node.right);
    }
    typescript.forEachChild(node, visit);
  };
  visit(tree);
  return {
    identifierCalls,
    memberCalls,
    verbCalls,
    factories: factoryNodes,
    reads: readNodes,
    elementCalls,
    assignments,
    news,
  };
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
