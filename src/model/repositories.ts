/**
 * Which repository a `this.<name>.<method>(…)` call goes to, by what the enclosing class declares `<name>`
 * to be, and whether that repository reaches a database at all (CodeModel.remoteRepositories, judged over
 * the whole tree by src/inputs/code/repositories.ts).
 */
import type { ts as TypeScript } from 'ts-morph';
import type { Chain } from './call-chains.js';

/**
 * The name a member's type is declared with: `@Inject(IChainsRepository) private readonly x: IChainsRepository` →
 * `IChainsRepository` (the type annotation, else the injection token).
 */
export function declaredType(
  ts: typeof TypeScript,
  member: TypeScript.ParameterDeclaration | TypeScript.PropertyDeclaration,
  tree: TypeScript.SourceFile,
): { type?: string } {
  if (member.type && ts.isTypeReferenceNode(member.type)) return { type: lastName(member.type.typeName.getText(tree)) };
  for (const decorator of ts.canHaveDecorators(member) ? (ts.getDecorators(member) ?? []) : []) {
    const call = decorator.expression;
    if (ts.isCallExpression(call) && call.expression.getText(tree) === 'Inject' && call.arguments[0])
      return { type: lastName(call.arguments[0].getText(tree)) };
  }
  return {};
}

/**
 * Whether the chain (`this.chainsRepository.getChain(…)`) calls a repository the tree shows to reach no
 * database, or a method of one the tree shows to be synchronous (`Class.method` in `remote`): the member's declared type (or, undeclared, the class its name spells: `chainsRepository` →
 * `ChainsRepository`) is in `remote`. Undefined facts (no class around the call, a member not found) say no.
 */
export function callsRemoteRepository(ts: typeof TypeScript, chain: Chain, remote: ReadonlySet<string>): boolean {
  if (remote.size === 0 || chain.segments.length < 2) return false;
  // `SegmentRepository.getActivityTypes(options)`: a static method of a class the tree declares synchronous.
  if (!chain.fromThis)
    return chain.segments.length === 2 && remote.has(`${chain.segments[0]!.name}.${chain.segments[1]!.name}`);
  const member = chain.segments[0]!.name;
  const method = chain.segments[1]!.name;
  let owner: TypeScript.Node | undefined = chain.top.parent;
  while (owner && !ts.isClassLike(owner)) owner = owner.parent;
  if (!owner || !ts.isClassLike(owner)) return false;
  const tree = owner.getSourceFile();
  for (const m of owner.members) {
    const declarations: Array<TypeScript.ParameterDeclaration | TypeScript.PropertyDeclaration> =
      ts.isConstructorDeclaration(m) ? [...m.parameters] : ts.isPropertyDeclaration(m) ? [m] : [];
    for (const declaration of declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== member) continue;
      const { type } = declaredType(ts, declaration, tree);
      const name = type ?? member.charAt(0).toUpperCase() + member.slice(1);
      return remote.has(name) || (chain.segments.length === 2 && remote.has(`${name}.${method}`));
    }
  }
  return false;
}

const lastName = (text: string) =>
  text
    .replace(/<[\s\S]*$/, '')
    .split('.')
    .at(-1) ?? text;
