/**
 * Caps the product checks before it creates a row: the code counts the rows of one model an owner already has and
 * refuses the creation past a written number —
 *
 *   const count = await prisma.rssSubscription.count({ where: { ownerId: user.id } });
 *   if (count >= MAX_SUBSCRIPTIONS) return res.status(403).json(…);
 *   await prisma.rssSubscription.create(…);
 *
 * The list of that model can then never hold more than the cap: a read of it with no limit is bounded by the
 * product, not by the table. Only a cap archlint can read counts: a number written in the code (a literal, a
 * `const`, `Number(process.env.X) || 20`'s default) compared with the count of the same model in a function that also
 * creates a row of it. A cap read from a plan, a setting or the database is not known, so the read stays judged.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { CodeFile } from '../code/index.js';
import { writtenNumber } from '../../model/collection-bounds.js';
import { unwrap } from './values.js';

const typescript = loadTypeScript();

/** Operations that count rows (Prisma `count`, TypeORM `count`/`countBy`, Mongoose `countDocuments`, Sequelize `count`). */
const COUNT_OP = /^(count|countBy|countDocuments)$/;
/** Operations that create one row. */
const CREATE_OP = /^(create|insert|insertOne|save|add)$/;
/**
 * The receivers that name a database or a query runner rather than one model (`prisma.count`, `db.insert`): a count
 * or a create through them says nothing about which model.
 */
const GENERIC =
  /^(prisma|db|database|knex|kx|trx|tx|client|manager|entityManager|em|connection|con|pool|repository|repo|this|getRepository|models?)$/i;

/**
 * The model a data call is made on: the name just before the operation (`prisma.rssSubscription.findMany` →
 * `rssSubscription`, `this.folderRepository.find` → `folderRepository`, `Folder.findAll` → `Folder`), compared
 * without case. Undefined for a receiver that names no model.
 */
export function modelOf(call: ts.CallExpression): string | undefined {
  const callee = unwrap(call.expression);
  if (!typescript.isPropertyAccessExpression(callee)) return undefined;
  const receiver = unwrap(callee.expression);
  const name = typescript.isPropertyAccessExpression(receiver)
    ? receiver.name.text
    : typescript.isIdentifier(receiver)
      ? receiver.text
      : undefined;
  return name === undefined || GENERIC.test(name) ? undefined : name.toLowerCase();
}

/** The largest number of rows of each model the product lets exist under one owner, when a cap is written. */
export class CreationCaps {
  private readonly caps = new Map<string, number | undefined>();
  /**
   * The name just before each count written in the files (`rssSubscription` of `prisma.rssSubscription.count(`),
   * lowercased → the files that write it, in order: read in one pass on first use. An expression per model over
   * every file read the tree's text again for each model (~1.1 s of `archlint routes` on the corpus of issue 22).
   */
  private countedIn: Map<string, CodeFile[]> | undefined;

  constructor(private readonly files: readonly CodeFile[]) {}

  /** The written cap on the rows of `model` (see modelOf), or undefined when none is seen. */
  of(model: string): number | undefined {
    if (this.caps.has(model)) return this.caps.get(model);
    let cap: number | undefined;
    // `rssSubscription.count(`, `folderRepository.countBy(`: the count of that model, written out (modelOf reads the
    // name just before the operation).
    const counted = new RegExp(`\\b${escapeRegExp(model)}\\s*\\.\\s*count\\w*\\s*\\(`, 'i');
    // A model of `\w` characters is a whole word before its count: only the files the pass found it in can match.
    const files = /^\w+$/.test(model) ? ((this.countedIn ??= countedNames(this.files)).get(model) ?? []) : this.files;
    for (const file of files) {
      const text = file.text.content;
      // Only files that count the model and compare are parsed (not every file that names it: a vendored bundle does).
      if (!counted.test(text) || !/[<>]=?/.test(text)) continue;
      for (const found of capsIn(file.tree, model)) cap = cap === undefined ? found : Math.max(cap, found);
    }
    this.caps.set(model, cap);
    return cap;
  }
}

/**
 * The lowercased name before each count of each file (`x.count(`, `X . countBy (`) → the files, in order. Found from
 * the operation back to the name: an expression led by the name (`\b(\w+)\s*\.…`) is tried at every word of the text.
 */
function countedNames(files: readonly CodeFile[]): Map<string, CodeFile[]> {
  const found = new Map<string, CodeFile[]>();
  const count = /\.\s*count\w*\s*\(/gi;
  for (const file of files) {
    const text = file.text.content;
    for (const match of text.matchAll(count)) {
      let end = match.index;
      while (end > 0 && /\s/.test(text[end - 1]!)) end--;
      let start = end;
      while (start > 0 && /\w/.test(text[start - 1]!)) start--;
      if (start === end) continue;
      const name = text.slice(start, end).toLowerCase();
      const list = found.get(name);
      if (!list) found.set(name, [file]);
      else if (list[list.length - 1] !== file) list.push(file);
    }
  }
  return found;
}

/** The caps on `model` written in one file: in each function that counts it, refuses past a number and creates it. */
function capsIn(tree: ts.SourceFile, model: string): number[] {
  const caps: number[] = [];
  const visit = (node: ts.Node): void => {
    if (typescript.isFunctionLike(node) && 'body' in node && node.body) {
      const cap = capInFunction(node.body as ts.Node, model);
      if (cap !== undefined) caps.push(cap);
    }
    typescript.forEachChild(node, visit);
  };
  visit(tree);
  return caps;
}

function capInFunction(body: ts.Node, model: string): number | undefined {
  const counts = new Set<string>();
  let creates = false;
  const refusals: ts.IfStatement[] = [];
  const visit = (node: ts.Node): void => {
    // A nested function is its own scope: judged on its own.
    if (typescript.isFunctionLike(node)) return;
    if (typescript.isCallExpression(node)) {
      const callee = unwrap(node.expression);
      const op = typescript.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (modelOf(node) === model && CREATE_OP.test(op)) creates = true;
      if (modelOf(node) === model && COUNT_OP.test(op)) {
        const holder = declaredName(node);
        if (holder) counts.add(holder);
      }
    }
    if (typescript.isIfStatement(node) && refuses(node.thenStatement)) refusals.push(node);
    typescript.forEachChild(node, visit);
  };
  typescript.forEachChild(body, visit);
  if (!creates || counts.size === 0) return undefined;
  for (const statement of refusals) {
    const cap = comparedCap(statement.expression, counts);
    if (cap !== undefined) return cap;
  }
  return undefined;
}

/** `const count = await prisma.x.count(…)`: the variable the count is kept in. */
function declaredName(call: ts.CallExpression): string | undefined {
  let node: ts.Node = call.parent;
  while (typescript.isAwaitExpression(node) || typescript.isParenthesizedExpression(node)) node = node.parent;
  return typescript.isVariableDeclaration(node) && typescript.isIdentifier(node.name) ? node.name.text : undefined;
}

/** A branch that stops the request (the creation, a range too wide): it throws or returns. */
export function refuses(statement: ts.Statement): boolean {
  if (typescript.isThrowStatement(statement) || typescript.isReturnStatement(statement)) return true;
  return (
    typescript.isBlock(statement) &&
    statement.statements.some((s) => typescript.isThrowStatement(s) || typescript.isReturnStatement(s))
  );
}

/** `count >= N`, `count > N` (N + 1 rows at most), `N <= count`: the written N. */
function comparedCap(condition: ts.Expression, counts: Set<string>): number | undefined {
  const value = unwrap(condition);
  if (!typescript.isBinaryExpression(value)) return undefined;
  const kind = value.operatorToken.kind;
  const isCount = (node: ts.Expression) => {
    const inner = unwrap(node);
    return typescript.isIdentifier(inner) && counts.has(inner.text);
  };
  if (kind === typescript.SyntaxKind.BarBarToken || kind === typescript.SyntaxKind.AmpersandAmpersandToken)
    return comparedCap(value.left, counts) ?? comparedCap(value.right, counts);
  const { GreaterThanEqualsToken, GreaterThanToken, LessThanEqualsToken, LessThanToken } = typescript.SyntaxKind;
  if ((kind === GreaterThanEqualsToken || kind === GreaterThanToken) && isCount(value.left)) {
    const n = bound(value.right);
    return n === undefined ? undefined : kind === GreaterThanToken ? n + 1 : n;
  }
  if ((kind === LessThanEqualsToken || kind === LessThanToken) && isCount(value.right)) {
    const n = bound(value.left);
    return n === undefined ? undefined : kind === LessThanToken ? n + 1 : n;
  }
  return undefined;
}

/**
 * A number written in the code, or the default of a setting (`Number(process.env.MAX) || 20`, `env.MAX ?? 20`): an
 * operator may raise it, but the product ships with this cap and the setting is there to tune it.
 */
function bound(node: ts.Expression): number | undefined {
  const value = unwrap(node);
  const written = writtenNumber(typescript, value);
  if (written !== undefined) return written;
  if (typescript.isIdentifier(value)) {
    const init = constInitializer(value);
    return init ? bound(init) : undefined;
  }
  if (
    typescript.isBinaryExpression(value) &&
    (value.operatorToken.kind === typescript.SyntaxKind.BarBarToken ||
      value.operatorToken.kind === typescript.SyntaxKind.QuestionQuestionToken)
  )
    return writtenNumber(typescript, value.right);
  return undefined;
}

/** The initializer of the `const` an identifier names, in an enclosing block or the file. */
function constInitializer(id: ts.Identifier): ts.Expression | undefined {
  for (let scope: ts.Node | undefined = id.parent; scope; scope = scope.parent) {
    if (!typescript.isBlock(scope) && !typescript.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!typescript.isVariableStatement(statement)) continue;
      if (!(statement.declarationList.flags & typescript.NodeFlags.Const)) continue;
      for (const d of statement.declarationList.declarations)
        if (typescript.isIdentifier(d.name) && d.name.text === id.text && d.initializer) return d.initializer;
    }
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
