/**
 * TypeORM migration classes written for several engines branch on the connection's type:
 *
 *   switch (config.db.default.type) { case DbType.POSTGRES: … case DbType.MYSQL: … }
 *   if (queryRunner.connection.options.type === "mysql") { … } else { … }
 *   if (type !== "postgres") return;
 *
 * Read statically (the code is never run): for each `queryRunner.query(…)` call, the conditions on
 * the engine it runs under. A condition is a comparison with a TypeORM driver name — a string
 * literal, or a member of an enum / constant object of this file or of a relative module it imports
 * (`DbType.POSTGRES` → 'postgres') — `||`/`&&`/`!` of those, `['mysql', 'mariadb'].includes(type)`,
 * or `isX(DbType.MYSQL)`. A `switch` is about the engine when every `case` names a driver; its
 * `default` runs for the engines no case names, as an `else` does. Anything else (a condition on
 * data, a driver name that cannot be resolved) is no condition: the call counts for every engine.
 */
import type { ts as TypeScript } from 'ts-morph';
import type { SqlDialect } from '../../model/schema.js';
import { parseWithinLimits } from '../code/nesting.js';
import { loadTypeScript } from '../code/ts-morph.js';
import { typeormDriverDialect } from './schema-files/typeorm-connection.js';

type Ts = typeof TypeScript;

/** The call runs when the engine's driver is (negated: is not) one of `drivers`. */
interface Condition {
  drivers: ReadonlySet<string>;
  negated: boolean;
}

export interface QueryBranches {
  /** Whether the call whose first argument starts at `offset` runs on `dialect`. */
  runsOn(offset: number, dialect: SqlDialect): boolean;
  /** The modelled engines the branches name (empty: no branch on the engine). */
  dialects: SqlDialect[];
}

const NO_BRANCHES: QueryBranches = { runsOn: () => true, dialects: [] };
const BRANCHING = /\b(?:switch|if)\s*\(/;
const QUERY_CALLEE = /^queryRunner\s*\.\s*query$/;

/**
 * The engine conditions of a migration class's query calls. `importedText(specifier)` gives the text
 * of a relative module the file imports (for enums of driver names), or undefined.
 */
export function queryBranches(
  path: string,
  content: string,
  importedText: (specifier: string) => string | undefined,
): QueryBranches {
  if (!BRANCHING.test(content)) return NO_BRANCHES;
  const ts = loadTypeScript();
  // Parsed here, not taken from the code input, so guarded as the code input guards its trees (nesting.ts): a class
  // nested too deeply to walk is reported by the code input (core/parse-error); here its branches are unknown, so
  // every query counts for every engine.
  const parsed = parseWithinLimits(
    () => ts.createSourceFile(path, content, ts.ScriptTarget.Latest, false, scriptKind(ts, path)),
    ts,
  );
  if ('problem' in parsed) return NO_BRANCHES;
  const file = parsed.tree;
  const constants = new ConstantValues(content, importedText);
  const byOffset = new Map<number, Condition[]>();
  const named = new Set<SqlDialect>();

  const driverOf = (expression: TypeScript.Expression): string | undefined => {
    const e = unwrap(ts, expression);
    let value: string | undefined;
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) value = e.text;
    else if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression))
      value = constants.member(e.expression.text, e.name.text);
    return value !== undefined && typeormDriverDialect(value) !== undefined ? value : undefined;
  };

  const note = (condition: Condition): Condition => {
    for (const driver of condition.drivers) {
      const dialect = typeormDriverDialect(driver);
      if (dialect && dialect !== 'other') named.add(dialect);
    }
    return condition;
  };

  const conditionOf = (expression: TypeScript.Expression): Condition | undefined => {
    const e = unwrap(ts, expression);
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
      const inner = conditionOf(e.operand);
      return inner && { drivers: inner.drivers, negated: !inner.negated };
    }
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (
        op === ts.SyntaxKind.EqualsEqualsEqualsToken ||
        op === ts.SyntaxKind.EqualsEqualsToken ||
        op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
        op === ts.SyntaxKind.ExclamationEqualsToken
      ) {
        const driver = driverOf(e.right) ?? driverOf(e.left);
        if (driver === undefined) return undefined;
        const negated =
          op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
        return { drivers: new Set([driver]), negated };
      }
      if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.AmpersandAmpersandToken) {
        const left = conditionOf(e.left);
        const right = conditionOf(e.right);
        if (!left || !right || left.negated !== right.negated) return undefined;
        // a || b (both "is"), or a && b (both "is not"): one set of drivers.
        if ((op === ts.SyntaxKind.BarBarToken) === left.negated) return undefined;
        return { drivers: new Set([...left.drivers, ...right.drivers]), negated: left.negated };
      }
      return undefined;
    }
    if (ts.isCallExpression(e)) {
      const callee = unwrap(ts, e.expression);
      // ['mysql', 'mariadb'].includes(type)
      if (
        ts.isPropertyAccessExpression(callee) &&
        callee.name.text === 'includes' &&
        ts.isArrayLiteralExpression(unwrap(ts, callee.expression))
      ) {
        const items = (unwrap(ts, callee.expression) as TypeScript.ArrayLiteralExpression).elements.map(driverOf);
        if (items.length === 0 || items.some((d) => d === undefined)) return undefined;
        return { drivers: new Set(items as string[]), negated: false };
      }
      // isDbType(DbType.MYSQL)
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : '';
      if (/^is[A-Z_]/.test(name) && e.arguments.length === 1) {
        const driver = driverOf(e.arguments[0]!);
        if (driver !== undefined) return { drivers: new Set([driver]), negated: false };
      }
    }
    return undefined;
  };

  const visit = (node: TypeScript.Node, conditions: Condition[]): void => {
    if (ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node)) {
      visitStatements(node.statements, conditions);
      return;
    }
    if (ts.isSwitchStatement(node)) {
      const clauses = node.caseBlock.clauses;
      const labels = clauses.map((c) => (ts.isCaseClause(c) ? driverOf(c.expression) : null));
      if (labels.some((l) => l !== null) && labels.every((l) => l !== undefined)) {
        visit(node.expression, conditions);
        const all = new Set(labels.filter((l): l is string => typeof l === 'string'));
        let pending: string[] = [];
        let pendingDefault = false;
        clauses.forEach((clause, i) => {
          const label = labels[i];
          if (label === null) pendingDefault = true;
          else pending.push(label!);
          if (clause.statements.length === 0) return;
          // `default` (alone or fallen into) runs for every engine no other case names.
          const condition = pendingDefault
            ? { drivers: new Set([...all].filter((d) => !pending.includes(d))), negated: true }
            : { drivers: new Set(pending), negated: false };
          visitStatements(clause.statements, [...conditions, note(condition)]);
          if (endsFlow(ts, clause.statements)) {
            pending = [];
            pendingDefault = false;
          }
        });
        return;
      }
    }
    if (ts.isIfStatement(node)) {
      const condition = conditionOf(node.expression);
      if (condition) {
        note(condition);
        visit(node.thenStatement, [...conditions, condition]);
        if (node.elseStatement)
          visit(node.elseStatement, [...conditions, { drivers: condition.drivers, negated: !condition.negated }]);
        return;
      }
    }
    if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const callee = node.expression.getText(file);
      if (QUERY_CALLEE.test(callee)) byOffset.set(node.arguments[0]!.getStart(file), conditions);
    }
    ts.forEachChild(node, (child) => visit(child, conditions));
  };

  /** Statements in order; after `if (<engine condition>) return;` the rest runs only on the other engines. */
  const visitStatements = (statements: readonly TypeScript.Statement[], outer: Condition[]): void => {
    let conditions = outer;
    for (const statement of statements) {
      visit(statement, conditions);
      if (ts.isIfStatement(statement) && !statement.elseStatement && exits(ts, statement.thenStatement)) {
        const condition = conditionOf(statement.expression);
        if (condition) conditions = [...conditions, { drivers: condition.drivers, negated: !condition.negated }];
      }
    }
  };

  visit(file, []);
  if (named.size === 0) return NO_BRANCHES;
  return {
    dialects: [...named].sort(),
    runsOn(offset, dialect) {
      const conditions = byOffset.get(offset);
      if (!conditions) return true;
      return conditions.every(
        (c) => [...c.drivers].some((driver) => typeormDriverDialect(driver) === dialect) !== c.negated,
      );
    },
  };
}

function scriptKind(ts: Ts, path: string): TypeScript.ScriptKind {
  return /\.[cm]?js$/.test(path) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

function unwrap(ts: Ts, expression: TypeScript.Expression): TypeScript.Expression {
  let e = expression;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}

/** A return or throw: the statements after it do not run. */
function exits(ts: Ts, statement: TypeScript.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  return ts.isBlock(statement) && statement.statements.length > 0 && exits(ts, statement.statements.at(-1)!);
}

/** A case's statements end with break, return or throw (no fall-through into the next case). */
function endsFlow(ts: Ts, statements: readonly TypeScript.Statement[]): boolean {
  const last = statements.at(-1);
  if (!last) return false;
  if (ts.isBreakStatement(last) || ts.isReturnStatement(last) || ts.isThrowStatement(last)) return true;
  return ts.isBlock(last) && endsFlow(ts, last.statements);
}

/**
 * String members of enums and constant objects: `enum DbType { POSTGRES = 'postgres' }`,
 * `const DbType = { POSTGRES: 'postgres' } as const`, in the file or in a relative module it imports
 * the name from (`import { DbType } from '../utils/db'`, also `import { X as DbType }`).
 */
class ConstantValues {
  private readonly cache = new Map<string, Map<string, string> | undefined>();

  constructor(
    private readonly content: string,
    private readonly importedText: (specifier: string) => string | undefined,
  ) {}

  member(object: string, member: string): string | undefined {
    if (!this.cache.has(object)) this.cache.set(object, this.read(object));
    return this.cache.get(object)?.get(member);
  }

  private read(name: string): Map<string, string> | undefined {
    const own = membersOf(this.content, name);
    if (own) return own;
    for (const m of this.content.matchAll(/\bimport\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"](\.[^'"]*)['"]/g)) {
      for (const part of m[1]!.split(',')) {
        const [imported, local] = part
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/);
        if ((local ?? imported)?.trim() !== name) continue;
        const text = this.importedText(m[2]!);
        return text === undefined ? undefined : membersOf(text, imported!.trim());
      }
    }
    return undefined;
  }
}

function membersOf(text: string, name: string): Map<string, string> | undefined {
  const declaration = new RegExp(
    String.raw`\b(?:enum\s+${name}|(?:const|let|var)\s+${name}\s*(?::[^={]*)?=)\s*\{([^}]*)\}`,
  ).exec(text);
  if (!declaration) return undefined;
  const members = new Map<string, string>();
  for (const m of declaration[1]!.matchAll(/(\w+)\s*[=:]\s*(['"`])([^'"`]*)\2/g)) members.set(m[1]!, m[3]!);
  return members;
}
