/**
 * The values a class gives one of its fields: the property's initializer, then every `this.<name> = …` in its
 * members, in source order. Read syntactically (no checker): both the outbound-calls model (what client a
 * `this.api` holds) and the timeouts rule (whether `this.endpoint` is only ever a loopback URL) ask it.
 */
import type { ts as TypeScript } from 'ts-morph';

export function valuesWrittenToField(
  ts: typeof TypeScript,
  access: TypeScript.PropertyAccessExpression,
): TypeScript.Expression[] {
  if (access.expression.kind !== ts.SyntaxKind.ThisKeyword) return [];
  let owner: TypeScript.Node | undefined = access.parent;
  while (owner && !ts.isClassLike(owner)) owner = owner.parent;
  if (!owner || !ts.isClassLike(owner)) return [];
  const name = access.name.text;
  const initializers: TypeScript.Expression[] = [];
  const assigned: TypeScript.Expression[] = [];
  for (const member of owner.members)
    if (ts.isPropertyDeclaration(member) && member.name.getText() === name && member.initializer)
      initializers.push(member.initializer);
  const visit = (node: TypeScript.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
      node.left.name.text === name
    )
      assigned.push(node.right);
    ts.forEachChild(node, visit);
  };
  for (const member of owner.members) visit(member);
  return [...initializers, ...assigned];
}
